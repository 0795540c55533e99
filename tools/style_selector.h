#pragma once
// Reading GET /styles/selector, the API's live style catalog, and merging it with the built-in
// one (style_catalog.h). v1 answers a JSON list of items, v2 {"styles": [...], "models": [...],
// "tabs": [...]}; both are read. Items are read by type (api_fields.h): a missing, null or
// mistyped optional field leaves the built-in value in place, and an item without a usable
// prompt_style is skipped rather than guessed at.
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/style_catalog.h"

namespace rdmcp::tools {

// One caller's catalog: every built-in style (the selector's limits over it where the selector
// lists it), then the styles only the selector knows (newer styles, the caller's user styles),
// in the selector's order.
struct MergedCatalog {
    std::vector<Style> styles;
    const Style* find(std::string_view prompt_style) const;  // by id or alias
};

// A style id as the API's public one: the selector may name RD Fast styles by their internal
// id ("default:rd_flux" is rd_fast__default); any other id is returned as it is.
std::string public_style_id(std::string_view selector_id);

// The merged catalog, or nothing when `body` is neither selector shape (then the caller falls
// back to the built-in catalog). Bounded: at most kMaxSelectorStyles items are read, and long
// texts are cut.
std::optional<MergedCatalog> merge_selector_answer(const protocol::Json& body);

inline constexpr std::size_t kMaxSelectorStyles = 1000;

}  // namespace rdmcp::tools
