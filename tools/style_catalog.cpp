#include "tools/style_catalog.h"

#include <unordered_map>

namespace rdmcp::tools {
namespace {

// Maps every current id and every alias to its style. The keys view strings owned by the
// catalog, which lives for the whole program.
using StyleIndex = std::unordered_map<std::string_view, const Style*>;

StyleIndex build_index() {
    StyleIndex index;
    for (const Style& style : all_styles()) {
        index.emplace(style.id, &style);
        for (const std::string& alias : style.aliases) index.emplace(alias, &style);
    }
    return index;
}

}  // namespace

const Style* find_style(std::string_view prompt_style) {
    static const StyleIndex index = build_index();
    const auto found = index.find(prompt_style);
    return found == index.end() ? nullptr : found->second;
}

std::string_view to_string(StyleKind kind) {
    switch (kind) {
        case StyleKind::Image:
            return "image";
        case StyleKind::Animation:
            return "animation";
        case StyleKind::AdvancedAnimation:
            return "advanced_animation";
        case StyleKind::Tileset:
            return "tileset";
    }
    return "image";  // unreachable: every enumerator is handled above
}

std::optional<StyleKind> parse_style_kind(std::string_view text) {
    for (StyleKind kind : {StyleKind::Image, StyleKind::Animation, StyleKind::AdvancedAnimation,
                           StyleKind::Tileset}) {
        if (to_string(kind) == text) return kind;
    }
    return std::nullopt;
}

std::string_view to_string(OutputFormat format) {
    switch (format) {
        case OutputFormat::Png:
            return "image/png";
        case OutputFormat::Gif:
            return "image/gif";
    }
    return "image/png";  // unreachable: every enumerator is handled above
}

std::string_view to_string(StyleOrigin origin) {
    switch (origin) {
        case StyleOrigin::BuiltIn:
            return "built_in";
        case StyleOrigin::Live:
            return "live";
        case StyleOrigin::LiveOnly:
            return "live_only";
    }
    return "built_in";  // unreachable: every enumerator is handled above
}

}  // namespace rdmcp::tools
