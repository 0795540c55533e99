#include "tools/error_catalog.h"

#include <algorithm>
#include <array>
#include <utility>

namespace rdmcp::tools {

namespace catalog_data {
// tools/error_catalog_data.cpp, generated from the API's published catalog.
extern const CatalogEntry kEntries[];
extern const std::size_t kEntryCount;
}  // namespace catalog_data

std::span<const CatalogEntry> catalog_entries() {
    return {catalog_data::kEntries, catalog_data::kEntryCount};
}

std::optional<CatalogEntry> catalog_entry(std::string_view code) {
    const auto entries = catalog_entries();
    auto found = std::lower_bound(
        entries.begin(), entries.end(), code,
        [](const CatalogEntry& entry, std::string_view wanted) { return entry.code < wanted; });
    if (found == entries.end() || found->code != code) return std::nullopt;
    return *found;
}

std::string_view default_code_for_status(int status) {
    // v1-to-v2-error-mapping.json (Retro-Diffusion/api-examples 12e8a77c), generic_status_mapping.
    static constexpr std::array<std::pair<int, std::string_view>, 15> kDefaults = {{
        {400, "bad_request"},
        {401, "invalid_token"},
        {402, "not_enough_balance"},
        {403, "forbidden"},
        {404, "not_found"},
        {405, "method_not_allowed"},
        {409, "conflict"},
        {410, "gone"},
        {413, "payload_too_large"},
        {422, "validation_error"},
        {429, "rate_limited"},
        {500, "internal_error"},
        {502, "upstream_failure"},
        {503, "service_unavailable"},
        {504, "request_timeout"},
    }};
    for (const auto& [mapped, code] : kDefaults) {
        if (mapped == status) return code;
    }
    return {};
}

bool is_balance_code(std::string_view code) {
    return code == "not_enough_balance" || code == "insufficient_balance";
}

}  // namespace rdmcp::tools
