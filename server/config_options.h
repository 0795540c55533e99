#pragma once
// The table of options: for each its flag, its environment variable, the transports it means
// something on, its help line, and how a value lands in the Config. server/config.cpp reads the
// command line and writes --help from it.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/config.h"

namespace rdmcp::server {

// The transports an option means something on. A stdio-only option given with --transport http
// is refused with why_not_http (what it would do there, and what to do instead). An HTTP-only
// option is accepted and unused over stdio: the container image sets several in its
// environment, and `docker run -i <image> --transport stdio` must still start.
enum class OptionTransports { Both, StdioOnly, HttpOnly };
struct OptionScope {
    OptionTransports transports = OptionTransports::Both;
    const char* why_not_http = nullptr;
};
inline constexpr OptionScope kBothTransports{};
inline constexpr OptionScope kHttpOnly{OptionTransports::HttpOnly};
constexpr OptionScope stdio_only(const char* why_not_http) {
    return {OptionTransports::StdioOnly, why_not_http};
}

// A switch takes no value on the command line (--flag, or --flag=false); its variable is true or
// false.
struct Option {
    const char* flag;
    const char* env;
    OptionScope scope;
    const char* help;
    std::function<std::optional<std::string>(Config&, const std::string&)> apply;
    bool is_switch = false;
};

const std::vector<Option>& options();
const Option* find_option(const std::string& flag);

}  // namespace rdmcp::server
