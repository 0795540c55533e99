#pragma once
// rd-sim's command line.
#include <optional>
#include <string>
#include <vector>

#include "sim_server.h"

namespace rdsim {

std::string usage();

// The options, or nullopt with `error` set. `help` is set for --help.
std::optional<ServerOptions> parse_cli(const std::vector<std::string>& args, std::string& error,
                                       bool& help);

}  // namespace rdsim
