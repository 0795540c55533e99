// list_available_models: the model families side by side (what each is for, how it is priced,
// its sizes and how many styles it has), so an agent picks a family before a style. Answered
// from the caller's cached live catalog or the built-in one: never an API call.
#include <algorithm>
#include <map>

#include "tools/cost_model.h"
#include "tools/live_style_catalog.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

// What the documents say each family is for (retrodiffusion-llms.txt, "Style catalog").
struct Family {
    const char* model;
    const char* title;
    const char* purpose;
};

constexpr Family kFamilies[] = {
    {"rd_fast", "RD Fast", "fastest and cheapest: drafts, simple assets and textures"},
    {"rd_plus", "RD Plus", "the quality all-rounder, incl. low-res, Minecraft and icon styles"},
    {"rd_pro", "RD Pro",
     "highest quality; up to 9 reference_images for consistent characters; edit and pixelate "
     "an input image"},
    {"rd_mini", "RD Mini", "shortcuts to the low-res RD Plus / RD Fast styles"},
    {"rd_animation", "Animations",
     "prompt-driven animations (GIF) at fixed sizes: walking cycles, VFX, rotations"},
    {"rd_advanced_animation", "Advanced animations",
     "animate your own start frame (input_image required, frames_duration 4-16)"},
    {"rd_tile", "Tilesets", "full wang tilesets, single tiles, tile variations and map objects"},
    {"user", "User styles", "your own RD Pro templates (create_user_style)"},
};

struct Summary {
    int styles = 0;
    int min_side = 0, max_side = 0, max_images = 0;
    std::map<std::string, int> prices;  // formula -> styles priced by it
};

std::map<std::string, Summary> summarise(const std::vector<Style>& styles) {
    std::map<std::string, Summary> by_model;
    for (const Style& s : styles) {
        Summary& summary = by_model[s.model];
        const int low = std::min(s.min_width, s.min_height);
        const int high = std::max(s.max_width, s.max_height);
        summary.min_side = summary.styles ? std::min(summary.min_side, low) : low;
        summary.max_side = std::max(summary.max_side, high);
        summary.max_images = std::max(summary.max_images, s.max_images);
        ++summary.prices[describe_price(s.price)];
        ++summary.styles;
    }
    return by_model;
}

// "0.18 x images" or "0.07 per request (6 styles); 0.25 per request (2 styles)".
std::string price_text(const Summary& summary) {
    if (summary.prices.size() == 1) return summary.prices.begin()->first;
    std::string text;
    for (const auto& [formula, count] : summary.prices) {
        text += (text.empty() ? "" : "; ") + formula + " (" + std::to_string(count) +
                (count == 1 ? " style)" : " styles)");
    }
    return text;
}

Json model_json(const std::string& model, const std::string& title, const std::string& purpose,
                const Summary& summary) {
    Json prices = Json::array();
    for (const auto& [formula, count] : summary.prices) {
        prices.push_back({{"formula", formula}, {"styles", count}});
    }
    return {{"model", model},
            {"title", title},
            {"purpose", purpose},
            {"style_count", summary.styles},
            {"min_side", summary.min_side},
            {"max_side", summary.max_side},
            {"max_images", summary.max_images},
            {"price", price_text(summary)},
            {"prices", std::move(prices)}};
}

std::string model_line(const Json& m) {
    const int count = m["style_count"].get<int>();
    return "- " + m["title"].get<std::string>() + " (" + m["model"].get<std::string>() +
           "): " + m["purpose"].get<std::string>() + ". " + std::to_string(count) + " style" +
           (count == 1 ? "" : "s") + ", " + std::to_string(m["min_side"].get<int>()) + "-" +
           std::to_string(m["max_side"].get<int>()) + "px, up to " +
           std::to_string(m["max_images"].get<int>()) + " per request; USD " +
           m["price"].get<std::string>() + "\n";
}

protocol::ToolDefinition list_available_models_definition() {
    Json model_schema = {
        {"type", "object"},
        {"properties",
         {{"model", {{"type", "string"}, {"description", "list_available_styles's model filter"}}},
          {"title", {{"type", "string"}}},
          {"purpose", {{"type", "string"}}},
          {"style_count", {{"type", "integer"}}},
          {"min_side", {{"type", "integer"}}},
          {"max_side", {{"type", "integer"}}},
          {"max_images", {{"type", "integer"}}},
          {"price", {{"type", "string"}, {"description", "USD per request, by formula"}}},
          {"prices",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"formula", {{"type", "string"}}}, {"styles", {{"type", "integer"}}}}},
              {"required", {"formula", "styles"}}}}}}}},
        {"required", {"model", "title", "purpose", "style_count", "price"}}};
    return {
        .name = "list_available_models",
        .title = "List RetroDiffusion model families",
        .description =
            "The model families: what each is for, price formula, sizes, batch limit. Free.",
        .input_schema = {{"type", "object"},
                         {"properties", Json::object()},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"models", {{"type", "array"}, {"items", model_schema}}},
                   {"source", {{"type", "string"}, {"enum", {"cached", "built_in"}}}}}},
                 {"required", {"models", "source"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = false},
    };
}

}  // namespace

protocol::Tool make_list_available_models_tool(StylesPtr styles) {
    auto handler = [styles](const Json&, protocol::RequestContext& context) {
        const CatalogView view = styles ? styles->cached(context.api_key) : CatalogView{};
        auto by_model = summarise(view.styles());
        Json models = Json::array();
        std::string text =
            "RetroDiffusion model families (prices in USD; check one request "
            "with estimate_inference_cost, free):\n";
        for (const Family& family : kFamilies) {
            const auto found = by_model.find(family.model);
            if (found == by_model.end()) continue;  // user styles: none, or not fetched yet
            models.push_back(model_json(family.model, family.title, family.purpose, found->second));
            by_model.erase(found);
        }
        for (const auto& [model, summary] : by_model) {  // families newer than this build
            models.push_back(model_json(model, model,
                                        "a family the API lists (newer than this "
                                        "server): see list_available_styles",
                                        summary));
        }
        for (const Json& m : models) text += model_line(m);
        if (view.source == CatalogSource::BuiltIn) {
            text +=
                "(Built-in catalog; list_available_styles asks the API for the live one, "
                "your user styles included.)";
        } else {
            text += "(From the API's catalog cached at " + iso_utc(view.fetched_at) + ".)";
        }
        auto result = protocol::ToolResult::text(text);
        result.structured_content =
            Json{{"models", std::move(models)}, {"source", to_string(view.source)}};
        return result;
    };
    return {list_available_models_definition(), handler};
}

}  // namespace rdmcp::tools
