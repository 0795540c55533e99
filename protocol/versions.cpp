#include "protocol/versions.h"

#include <algorithm>
#include <array>

namespace rdmcp::protocol {

namespace {
constexpr std::array<std::string_view, 1> kModern = {"2026-07-28"};
constexpr std::array<std::string_view, 4> kLegacy = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                     "2024-11-05"};
constexpr std::array<std::string_view, 5> kAll = {"2026-07-28", "2025-11-25", "2025-06-18",
                                                  "2025-03-26", "2024-11-05"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& versions, std::string_view v) {
    return std::find(versions.begin(), versions.end(), v) != versions.end();
}
}  // namespace

std::span<const std::string_view> supported_versions() { return kAll; }

std::vector<std::string> supported_versions_list() { return {kAll.begin(), kAll.end()}; }

bool is_modern_version(std::string_view version) { return contains(kModern, version); }

bool is_removed_in_modern(std::string_view method) {
    return method == "initialize" || method == "ping" || method == "logging/setLevel";
}

bool is_legacy_version(std::string_view version) { return contains(kLegacy, version); }

std::string negotiate_legacy_version(std::string_view requested) {
    if (is_legacy_version(requested)) return std::string(requested);
    return std::string(kLatestLegacyVersion);
}

}  // namespace rdmcp::protocol
