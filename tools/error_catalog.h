#pragma once
// The RetroDiffusion API's own catalog of error codes (API v2: every error names one of them),
// compiled in, so that what a failure means (and whether trying again can help) is decided by
// its code, as the API asks ("branch on code, never on message"), not by its wording.
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace rdmcp::tools {

struct CatalogEntry {
    std::string_view code;
    int status = 0;          // the HTTP status the API answers this code with
    bool retryable = false;  // the API's word: the same request may succeed if sent again
};

// The entry for `code`; nothing for a code the catalog does not list (an older or newer API
// may send one: fall back on the HTTP status).
std::optional<CatalogEntry> catalog_entry(std::string_view code);

// Every entry, sorted by code.
std::span<const CatalogEntry> catalog_entries();

// The code the API uses for a status when nothing more specific applies (its
// v1-to-v2-error-mapping.json generic_status_mapping): 404 -> "not_found". "" for a status it
// does not map.
std::string_view default_code_for_status(int status);

// Codes that mean the account cannot pay for the request: v2's not_enough_balance (402), and
// insufficient_balance (400), which the API's v1-to-v2 mapping still registers.
bool is_balance_code(std::string_view code);

}  // namespace rdmcp::tools
