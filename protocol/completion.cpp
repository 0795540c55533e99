#include "protocol/completion.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace rdmcp::protocol {

namespace {

std::string lowercase(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

bool starts_a_word(const std::string& value, std::size_t at) {
    if (at == 0) return true;
    const char before = value[at - 1];
    return before == '_' || before == '-' || before == ' ' || before == '.';
}

// 0: equal, 1: prefix, 2: a word's prefix, 3: anywhere; nothing when it does not match.
std::optional<int> rank(const std::string& value, const std::string& typed) {
    if (value == typed) return 0;
    if (value.rfind(typed, 0) == 0) return 1;
    bool found = false;
    for (auto at = value.find(typed); at != std::string::npos; at = value.find(typed, at + 1)) {
        if (starts_a_word(value, at)) return 2;
        found = true;
    }
    if (found) return 3;
    return std::nullopt;
}

}  // namespace

Json rank_completions(const std::vector<std::string>& candidates, std::string_view typed) {
    const std::string needle = lowercase(typed);
    std::array<std::vector<const std::string*>, 4> groups;
    std::set<std::string_view> seen;
    for (const auto& candidate : candidates) {
        if (!seen.insert(candidate).second) continue;
        if (auto r = rank(lowercase(candidate), needle)) groups[*r].push_back(&candidate);
    }
    Json values = Json::array();
    std::size_t total = 0;
    for (const auto& group : groups) {
        for (const auto* value : group) {
            if (values.size() < kMaxCompletionValues) values.push_back(*value);
            ++total;
        }
    }
    return Json{
        {"values", std::move(values)}, {"total", total}, {"hasMore", total > kMaxCompletionValues}};
}

}  // namespace rdmcp::protocol
