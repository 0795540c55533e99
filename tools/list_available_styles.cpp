// list_available_styles: the caller's style catalog, filterable: live from the API's selector
// (the caller's user styles included) when a key is given, cached for a few minutes; the
// built-in catalog without a key or when the selector fails. Free either way.
#include <algorithm>
#include <cctype>
#include <set>

#include "tools/cost_model.h"
#include "tools/live_style_catalog.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/style_catalog.h"
#include "tools/style_descriptions.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

Json known_models() {
    std::set<std::string> models;
    for (const auto& style : all_styles()) models.insert(style.model);
    models.insert("user");  // the caller's user styles, from the live catalog
    return Json(std::vector<std::string>(models.begin(), models.end()));
}

std::string size_text(const Style& s) {
    auto range = [](int lo, int hi) {
        return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
    };
    if (s.min_width == s.max_width && s.min_height == s.max_height) {
        return std::to_string(s.min_width) + "x" + std::to_string(s.min_height) + " only";
    }
    std::string text =
        s.min_width == s.min_height && s.max_width == s.max_height
            ? range(s.min_width, s.max_width) + "px"
            : range(s.min_width, s.max_width) + " x " + range(s.min_height, s.max_height) + "px";
    if (s.square_only) text += " square";
    return text;
}

std::string style_line(const Style& s) {
    std::string line = s.id + " [" + s.model + ", " + std::string(to_string(s.kind)) + ", " +
                       size_text(s) + ", up to " + std::to_string(s.max_images) + " image" +
                       (s.max_images == 1 ? "" : "s");
    if (s.requires_input_image) line += ", needs input_image";
    if (s.max_reference_images > 0) {
        line += ", reference_images<=" + std::to_string(s.max_reference_images);
    }
    if (s.output == OutputFormat::Gif) line += ", GIF";
    line += ", " + describe_price(s.price);
    // Only the API knows it: its price is its family's rule, not a documented one.
    if (s.origin == StyleOrigin::LiveOnly && s.model != "user") line += " (family rule)";
    line += "]";
    if (!s.aliases.empty()) {
        line += " (also: ";
        for (std::size_t i = 0; i < s.aliases.size(); ++i) line += (i ? ", " : "") + s.aliases[i];
        line += ")";
    }
    return line + ": " + s.description;
}

bool matches_query(const Style& s, const std::string& query) {
    if (query.empty()) return true;
    std::string haystack = lowercase(s.id + " " + s.description + " " + s.model);
    // Appended, not `" " + lowercase(alias)`: GCC 12 at -O3 warns falsely (-Wrestrict) about a
    // literal + std::string&& (GCC bugs 105329, 105651).
    for (const auto& alias : s.aliases) {
        haystack += ' ';
        haystack += lowercase(alias);
    }
    // Every word must appear, so "walk 4 direction" narrows rather than widens.
    std::size_t start = 0;
    const std::string needle = lowercase(query);
    while (start < needle.size()) {
        auto end = needle.find(' ', start);
        if (end == std::string::npos) end = needle.size();
        if (end > start && haystack.find(needle.substr(start, end - start)) == std::string::npos) {
            return false;
        }
        start = end + 1;
    }
    return true;
}

protocol::ToolDefinition definition() {
    Json style_schema = {{"type", "object"},
                         {"properties",
                          {{"prompt_style", {{"type", "string"}}},
                           {"aliases", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                           {"model", {{"type", "string"}}},
                           {"kind", {{"type", "string"}}},
                           {"description", {{"type", "string"}}},
                           {"min_width", {{"type", "integer"}}},
                           {"max_width", {{"type", "integer"}}},
                           {"min_height", {{"type", "integer"}}},
                           {"max_height", {{"type", "integer"}}},
                           {"square_only", {{"type", "boolean"}}},
                           {"max_images", {{"type", "integer"}}},
                           {"requires_input_image", {{"type", "boolean"}}},
                           {"max_reference_images", {{"type", "integer"}}},
                           {"supports_frames_duration", {{"type", "boolean"}}},
                           {"output_mime_type", {{"type", "string"}}},
                           {"price", {{"type", "string"}}},
                           {"origin",
                            {{"type", "string"},
                             {"enum", {"built_in", "live", "live_only"}},
                             {"description",
                              "built_in: this server's table; live: with the API's current "
                              "limits; live_only: only the API knows it (new or user style)"}}},
                           {"name", {{"type", "string"}}},
                           {"example_prompt", {{"type", "string"}}}}},
                         {"required",
                          {"prompt_style", "model", "kind", "min_width", "max_width", "min_height",
                           "max_height", "max_images", "price"}}};
    return {
        .name = "list_available_styles",
        .title = "List RetroDiffusion styles",
        .description =
            "Lists the RetroDiffusion styles (the prompt_style values for create_inference) with "
            "their model, kind (image, animation, advanced_animation, tileset), allowed sizes, "
            "batch limit, required inputs, output format and price formula. Filter by model, "
            "kind, or words in the name or description (query). Free. With an API key the list "
            "is the API's live catalog (current limits, newer styles and your own user styles, "
            "model \"user\"), cached for 5 minutes; without one, or when the API cannot be "
            "asked, this server's built-in catalog. `source` says which.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"model",
                            {{"type", "string"},
                             {"enum", known_models()},
                             {"description", "Only styles of this model family."}}},
                           {"kind",
                            {{"type", "string"},
                             {"enum", {"image", "animation", "advanced_animation", "tileset"}},
                             {"description", "Only styles of this kind."}}},
                           {"query",
                            {{"type", "string"},
                             {"maxLength", 200},
                             {"description",
                              "Words that must all appear in the style's id, aliases "
                              "or description, e.g. \"walking\" or \"isometric\"."}}}}},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"count", {{"type", "integer"}}},
                   {"styles", {{"type", "array"}, {"items", style_schema}}},
                   {"source",
                    {{"type", "string"},
                     {"enum", {"live", "cached", "built_in"}},
                     {"description",
                      "live: just asked from the API; cached: asked at fetched_at; built_in: "
                      "this server's catalog (note says why)"}}},
                   {"fetched_at", {{"type", "string"}, {"description", "ISO 8601 (UTC)"}}},
                   {"note", {{"type", "string"}}}}},
                 {"required", {"count", "styles"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

// Where the list came from, in words, for the text answer.
std::string provenance(const CatalogView& view) {
    switch (view.source) {
        case CatalogSource::Live:
            return "live from the API's style selector";
        case CatalogSource::Cached:
            return "from the API's style selector, cached at " + iso_utc(view.fetched_at);
        case CatalogSource::BuiltIn:
            break;
    }
    return "built-in catalog: " + view.note;
}

}  // namespace

protocol::Tool make_list_available_styles_tool(StylesPtr styles) {
    auto handler = [styles](const Json& arguments, protocol::RequestContext& context) {
        const std::string model = arguments.value("model", std::string());
        const std::string kind = arguments.value("kind", std::string());
        const std::string query = arguments.value("query", std::string());
        const CatalogView view =
            styles ? styles->current(context)
                   : CatalogView{.note = "this server was built without the live catalog"};

        Json listed = Json::array();
        std::string text;
        for (const auto& style : view.styles()) {
            if (!model.empty() && style.model != model) continue;
            if (!kind.empty() && to_string(style.kind) != kind) continue;
            if (!matches_query(style, query)) continue;
            listed.push_back(style_entry_json(style));
            text += "- " + style_line(style) + "\n";
        }
        const std::size_t count = listed.size();
        std::string header = std::to_string(count) + " style" + (count == 1 ? "" : "s") + " (" +
                             provenance(view) + ")" +
                             (count ? ":\n"
                                    : " match these filters; call again without "
                                      "filters to see all styles.");
        auto result = protocol::ToolResult::text(header + text);
        Json structured = {
            {"count", count}, {"styles", std::move(listed)}, {"source", to_string(view.source)}};
        if (view.source != CatalogSource::BuiltIn)
            structured["fetched_at"] = iso_utc(view.fetched_at);
        if (!view.note.empty()) structured["note"] = view.note;
        result.structured_content = std::move(structured);
        return result;
    };
    return {definition(), handler};
}

}  // namespace rdmcp::tools
