// list_available_styles: the caller's style catalog, filterable: live from the API's selector
// (the caller's user styles included) when a key is given, cached for a few minutes; the
// built-in catalog without a key or when the selector fails. Free either way. Unfiltered it is
// compact (each style's id, model, kind, sizes and price, about 14 KB for 84 styles); a filter
// gives every matching style's full entry.
#include <algorithm>
#include <cctype>
#include <cmath>
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

// USD from thousandths, with at least two decimals: 0.18, 0.015, 0.10.
std::string usd(long mills) {
    std::string cents = std::to_string(1000 + mills % 1000).substr(1);
    if (cents.back() == '0') cents.pop_back();
    return std::to_string(mills / 1000) + "." + cents;
}

long mills_of(double cost) { return std::lround(cost * 1000); }

// The price of one image from the smallest size to the largest, or of one request when the
// batch does not change it: "$0.015-0.041/image", "$0.18/image", "$0.07/request".
std::string short_price(const Style& s) {
    const long low = mills_of(estimate_cost(s, s.min_width, s.min_height, 1));
    const long high = mills_of(estimate_cost(s, s.max_width, s.max_height, 1));
    const bool per_request = mills_of(estimate_cost(s, s.min_width, s.min_height, 2)) == low;
    // Appended, not `"-" + usd(high)`: see matches_query on GCC's false -Wrestrict.
    std::string price = "$";
    price += usd(low);
    if (high != low) {
        price += '-';
        price += usd(high);
    }
    return price + (per_request ? "/request" : "/image");
}

// What the unfiltered list gives per style; the rest is behind a filter or get_style_usage.
Json compact_entry(const Style& s) {
    return {{"prompt_style", s.id},
            {"model", s.model},
            {"kind", to_string(s.kind)},
            {"sizes", size_text(s)},
            {"price", short_price(s)}};
}

// The value most styles of a family share (the first one on a tie).
std::string most_common(const std::vector<std::string>& values) {
    std::string best;
    long best_count = 0;
    for (const auto& value : values) {
        const long n = std::count(values.begin(), values.end(), value);
        if (n > best_count) {
            best = value;
            best_count = n;
        }
    }
    return best;
}

// One line per model family: what its styles share, then their ids, each with what differs.
std::string family_line(const std::vector<const Style*>& family) {
    const auto field_values = [&family](auto field) {
        std::vector<std::string> values;
        for (const Style* s : family) values.push_back(field(*s));
        return values;
    };
    const auto kind_of = [](const Style& s) { return std::string(to_string(s.kind)); };
    const std::vector<std::vector<std::string>> fields = {
        field_values(kind_of), field_values(size_text), field_values(short_price)};
    std::vector<std::string> shared;
    for (const auto& values : fields) shared.push_back(most_common(values));

    std::string line =
        family.front()->model + " (" + shared[0] + ", " + shared[1] + ", " + shared[2] + "): ";
    for (std::size_t i = 0; i < family.size(); ++i) {
        std::string differs;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (fields[f][i] != shared[f]) differs += (differs.empty() ? "" : ", ") + fields[f][i];
        }
        line += (i ? ", " : "") + family[i]->id + (differs.empty() ? "" : " (" + differs + ")");
    }
    return line + "\n";
}

// Every style grouped by model family, the families in the order they first appear.
std::string family_lines(const std::vector<Style>& styles) {
    std::vector<std::vector<const Style*>> families;
    for (const auto& style : styles) {
        auto family = std::find_if(families.begin(), families.end(), [&style](const auto& f) {
            return f.front()->model == style.model;
        });
        if (family == families.end()) {
            families.push_back({&style});
        } else {
            family->push_back(&style);
        }
    }
    std::string text;
    for (const auto& family : families) text += family_line(family);
    return text;
}

constexpr const char* kDetail =
    "Filter by model, kind or query for each style's description, aliases, batch and input "
    "limits, or call get_style_usage.";

protocol::ToolDefinition list_available_styles_definition() {
    const auto string = Json{{"type", "string"}};
    const auto integer = Json{{"type", "integer"}};
    const auto boolean = Json{{"type", "boolean"}};
    Json style_schema = {
        {"type", "object"},
        {"properties",
         {{"prompt_style", string},
          {"aliases", {{"type", "array"}, {"items", string}}},
          {"model", string},
          {"kind", string},
          {"sizes", string},
          {"description", string},
          {"min_width", integer},
          {"max_width", integer},
          {"min_height", integer},
          {"max_height", integer},
          {"square_only", boolean},
          {"max_images", integer},
          {"requires_input_image", boolean},
          {"max_reference_images", integer},
          {"supports_frames_duration", boolean},
          {"output_mime_type", string},
          {"price", string},
          {"origin", {{"type", "string"}, {"enum", {"built_in", "live", "live_only"}}}},
          {"name", string},
          {"example_prompt", string}}},
        {"required", {"prompt_style", "model", "kind"}}};
    return {
        .name = "list_available_styles",
        .title = "List RetroDiffusion styles",
        .description =
            "Lists the prompt_style values for create_inference. Unfiltered: each style's id, "
            "model, kind, sizes and price. Filter (model, kind, query) for descriptions, aliases "
            "and limits, or call get_style_usage. Free; with an API key the live catalog "
            "(your user styles too).",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"model",
                            {{"type", "string"},
                             {"enum", known_models()},
                             {"description", "Only this model family."}}},
                           {"kind",
                            {{"type", "string"},
                             {"enum", {"image", "animation", "advanced_animation", "tileset"}},
                             {"description", "Only this kind."}}},
                           {"query",
                            {{"type", "string"},
                             {"maxLength", 200},
                             {"description",
                              "Words all found in the id, aliases or description, e.g. "
                              "\"walking\"."}}}}},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"count", integer},
                   {"styles", {{"type", "array"}, {"items", style_schema}}},
                   {"source", {{"type", "string"}, {"enum", {"live", "cached", "built_in"}}}},
                   {"fetched_at", string},
                   {"note", string},
                   {"detail", string}}},
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

std::string count_header(std::size_t count, const CatalogView& view) {
    return std::to_string(count) + " style" + (count == 1 ? "" : "s") + " (" + provenance(view) +
           ")";
}

// The filters given; none (all empty) asks for the compact list of every style.
struct Filters {
    std::string model, kind, query;

    bool any() const { return !model.empty() || !kind.empty() || !query.empty(); }
    bool admit(const Style& s) const {
        return (model.empty() || s.model == model) && (kind.empty() || to_string(s.kind) == kind) &&
               matches_query(s, query);
    }
};

protocol::ToolResult with_structured(std::string text, Json structured) {
    auto result = protocol::ToolResult::text(std::move(text));
    result.structured_content = std::move(structured);
    return result;
}

// Filtered: every field of every matching style, one line each in the text.
protocol::ToolResult full_listing(const CatalogView& view, const Filters& filters) {
    Json listed = Json::array();
    std::string text;
    for (const auto& style : view.styles()) {
        if (!filters.admit(style)) continue;
        listed.push_back(style_entry_json(style));
        text += "- " + style_line(style) + "\n";
    }
    const std::size_t count = listed.size();
    return with_structured(
        count_header(count, view) +
            (count ? ":\n" + text
                   : " match these filters; call again without filters to see all styles."),
        {{"count", count}, {"styles", std::move(listed)}});
}

// Unfiltered: every style's id, model, kind, sizes and price; the text groups them by family.
protocol::ToolResult compact_listing(const CatalogView& view) {
    Json listed = Json::array();
    for (const auto& style : view.styles()) listed.push_back(compact_entry(style));
    const std::size_t count = listed.size();
    return with_structured(count_header(count, view) +
                               ". By model family: kind, sizes, price; in parentheses where a "
                               "style differs. " +
                               kDetail + "\n" + family_lines(view.styles()),
                           {{"count", count}, {"styles", std::move(listed)}, {"detail", kDetail}});
}

}  // namespace

protocol::Tool make_list_available_styles_tool(StylesPtr styles) {
    auto handler = [styles](const Json& arguments, protocol::RequestContext& context) {
        const Filters filters{.model = arguments.value("model", std::string()),
                              .kind = arguments.value("kind", std::string()),
                              .query = arguments.value("query", std::string())};
        const CatalogView view =
            styles ? styles->current(context)
                   : CatalogView{.note = "this server was built without the live catalog"};

        auto result = filters.any() ? full_listing(view, filters) : compact_listing(view);
        Json& structured = *result.structured_content;
        structured["source"] = to_string(view.source);
        if (view.source != CatalogSource::BuiltIn)
            structured["fetched_at"] = iso_utc(view.fetched_at);
        if (!view.note.empty()) structured["note"] = view.note;
        return result;
    };
    return {list_available_styles_definition(), handler};
}

}  // namespace rdmcp::tools
