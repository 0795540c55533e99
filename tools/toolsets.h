#pragma once
// Tool groups a user can turn off to pay less context (--toolsets, as the GitHub MCP server's):
// every tool belongs to one group; "account" (balance, status, keys) is always on.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rdmcp::tools {

inline constexpr std::string_view kAlwaysOnToolset = "account";

// The groups a user may choose, in the order --help lists them.
const std::vector<std::string>& toolset_names();

// The group of a tool; nothing for a tool no group names (a programming error).
std::optional<std::string_view> toolset_of(std::string_view tool);

// "generate,edit" (commas, spaces allowed): the chosen groups, or what is wrong. "all" is every
// group.
std::optional<std::set<std::string>> parse_toolsets(std::string_view list, std::string& problem);

}  // namespace rdmcp::tools
