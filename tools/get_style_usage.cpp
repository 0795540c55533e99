// get_style_usage: everything an agent needs to call one style right the first time: its sizes
// and batch limit, which inputs it requires or takes, its price at the agent's size (the
// documented formulas, tools/cost_model.h), an example call and recipe tips. Answered from the
// caller's cached live catalog or the built-in one: never an API call.
#include <algorithm>

#include "tools/agent_errors.h"
#include "tools/cost_model.h"
#include "tools/live_style_catalog.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/style_descriptions.h"
#include "tools/tool_arguments.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr int kMaxPromptStyleLength = 128;  // as create_inference's inputSchema

// Levenshtein distance, for "did you mean": ids are short, so the quadratic table is tiny.
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string after_family(const std::string& id) {
    const auto separator = id.find("__");
    return separator == std::string::npos ? id : id.substr(separator + 2);
}

// Up to three styles whose id is close to what was asked, or contains it, nearest first.
std::vector<std::string> close_matches(const std::vector<Style>& styles, const std::string& asked) {
    std::vector<std::pair<std::size_t, std::string>> scored;
    const std::string asked_name = after_family(asked);
    for (const Style& s : styles) {
        std::size_t score =
            std::min(distance(asked, s.id), distance(asked_name, after_family(s.id)));
        if (!asked_name.empty() && s.id.find(asked_name) != std::string::npos) score = 0;
        if (score <= std::max<std::size_t>(3, asked.size() / 4)) scored.emplace_back(score, s.id);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < scored.size() && i < 3; ++i) ids.push_back(scored[i].second);
    return ids;
}

// Free and local: no "nothing was charged", just what to send instead.
protocol::ToolResult refuse(std::string problem) {
    return protocol::ToolResult::error(as_sentence(std::move(problem)));
}

std::string range_text(int low, int high) {
    return low == high ? std::to_string(low) : std::to_string(low) + "-" + std::to_string(high);
}

protocol::ToolDefinition get_style_usage_definition() {
    auto whole = [](const char* what, int min, int max) {
        Json schema = {{"type", "integer"}, {"minimum", min}, {"maximum", max}};
        if (what) schema["description"] = what;
        return schema;
    };
    return {
        .name = "get_style_usage",
        .title = "How to use a RetroDiffusion style",
        .description =
            "One prompt_style in full: sizes, batch limit, inputs, price at your size, an example "
            "call, tips. Free.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"prompt_style",
                            {{"type", "string"},
                             {"minLength", 1},
                             {"maxLength", kMaxPromptStyleLength},
                             {"description", "e.g. rd_pro__default."}}},
                           {"width", whole("For the price.", 1, 512)},
                           {"height", whole(nullptr, 1, 512)},
                           {"num_images", whole(nullptr, 1, 64)}}},
                         {"required", {"prompt_style"}},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"prompt_style", {{"type", "string"}}},
                   {"model", {{"type", "string"}}},
                   {"kind", {{"type", "string"}}},
                   {"description", {{"type", "string"}}},
                   {"min_width", {{"type", "integer"}}},
                   {"max_width", {{"type", "integer"}}},
                   {"min_height", {{"type", "integer"}}},
                   {"max_height", {{"type", "integer"}}},
                   {"square_only", {{"type", "boolean"}}},
                   {"max_images", {{"type", "integer"}}},
                   {"inputs", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}},
                   {"output_mime_type", {{"type", "string"}}},
                   {"price",
                    {{"type", "object"},
                     {"properties",
                      {{"balance_cost", {{"type", "number"}}},
                       {"formula", {{"type", "string"}}},
                       {"width", {{"type", "integer"}}},
                       {"height", {{"type", "integer"}}},
                       {"num_images", {{"type", "integer"}}}}},
                     {"required", {"balance_cost", "formula", "width", "height", "num_images"}}}},
                   {"example_call", {{"type", "object"}}},
                   {"tips", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                   {"origin", {{"type", "string"}}},
                   {"catalog_source", {{"type", "string"}, {"enum", {"cached", "built_in"}}}}}},
                 {"required",
                  {"prompt_style", "model", "kind", "min_width", "max_width", "min_height",
                   "max_height", "max_images", "inputs", "price", "example_call", "tips"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = false},
    };
}

protocol::ToolResult unknown_style(const CatalogView& view, const std::string& asked) {
    std::string text = "'prompt_style' " + asked +
                       " is not a style this server knows. Call list_available_styles to see "
                       "them all (with an API key it lists your user styles too)";
    const auto matches = close_matches(view.styles(), asked);
    if (!matches.empty()) {
        text += "; close matches: ";
        for (std::size_t i = 0; i < matches.size(); ++i) text += (i ? ", " : "") + matches[i];
    }
    return refuse(text);
}

protocol::ToolResult usage(const Style& s, int width, int height, int num_images,
                           const CatalogView& view) {
    const double cost = estimate_cost(s, width, height, num_images);
    Json structured = style_usage_json(s, width, height, num_images, to_string(view.source));

    std::string text = s.id + " (" + s.model + ", " + std::string(to_string(s.kind)) + ")";
    if (!s.description.empty()) text += ": " + s.description;
    text += "\nSizes: " + range_text(s.min_width, s.max_width) + " x " +
            range_text(s.min_height, s.max_height) + "px" + (s.square_only ? ", square" : "") +
            "; up to " + std::to_string(s.max_images) + " per request; output " +
            std::string(to_string(s.output)) + ".";
    text += "\nInputs:";
    for (const auto& [name, how] : structured["inputs"].items()) {
        text += "\n- " + name + ": " + how.get<std::string>();
    }
    text += "\nPrice: " + format_usd(cost) + " for " + std::to_string(num_images) + " at " +
            std::to_string(width) + "x" + std::to_string(height) + " (" + describe_price(s.price) +
            ").";
    text += "\nExample create_inference arguments: " + structured["example_call"].dump();
    text += "\nTips:";
    for (const auto& tip : structured["tips"]) text += "\n- " + tip.get<std::string>();
    auto result = protocol::ToolResult::text(text);
    result.structured_content = std::move(structured);
    return result;
}

}  // namespace

protocol::Tool make_get_style_usage_tool(StylesPtr styles) {
    auto handler = [styles](const Json& arguments, protocol::RequestContext& context) {
        ArgumentReader read(arguments);
        std::string prompt_style;
        std::optional<int> width, height, num_images;
        read.required_text("prompt_style", prompt_style);
        read.whole("width", width, "a size in pixels such as 128");
        read.whole("height", height, "a size in pixels such as 128");
        read.whole("num_images", num_images, "a number of images such as 1");
        if (read.problem()) return refuse(*read.problem());
        if (prompt_style.size() > kMaxPromptStyleLength) {
            return refuse(
                "'prompt_style' is at most 128 characters; send an id "
                "from list_available_styles");
        }

        const CatalogView view = styles ? styles->cached(context.api_key) : CatalogView{};
        const auto style = view.find(prompt_style);
        if (!style) return unknown_style(view, prompt_style);
        const Style& s = *style;

        const auto [w, h] = default_usage_size(s, width, height);
        const int n = num_images.value_or(1);
        if (w < s.min_width || w > s.max_width || h < s.min_height || h > s.max_height ||
            (s.square_only && w != h)) {
            return refuse("'width' and 'height' must be " + range_text(s.min_width, s.max_width) +
                          " x " + range_text(s.min_height, s.max_height) +
                          (s.square_only ? ", square" : "") + " for " + s.id + ", got " +
                          std::to_string(w) + "x" + std::to_string(h) +
                          "; send a size in that range or leave them out");
        }
        if (n < 1 || n > s.max_images) {
            return refuse("'num_images' must be 1-" + std::to_string(s.max_images) + " for " +
                          s.id + ", got " + std::to_string(n));
        }
        return usage(s, w, h, n, view);
    };
    return {get_style_usage_definition(), handler};
}

}  // namespace rdmcp::tools
