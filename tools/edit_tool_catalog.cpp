#include "tools/edit_tool_catalog.h"

#include <algorithm>
#include <cmath>

#include "tools/api_fields.h"
#include "tools/inference_jobs.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

// The newer field name, else its deprecated camelCase twin (the catalog sends both).
const Json* either(const Json& body, const char* name, const char* twin) {
    const Json* value = member_in(body, name);
    return value && !value->is_null() ? value : member_in(body, twin);
}

std::optional<double> number_of(const Json* value) {
    if (value && value->is_number()) return value->get<double>();
    return std::nullopt;
}

std::optional<bool> flag_of(const Json* value) {
    if (value && value->is_boolean()) return value->get<bool>();
    return std::nullopt;
}

std::optional<EditToolField> read_field(const Json& entry) {
    auto id = text_in(entry, "id");
    if (!id || id->empty()) return std::nullopt;
    EditToolField field;
    field.id = std::move(*id);
    field.label = text_in(entry, "label").value_or("");
    field.type = text_in(entry, "type").value_or("");
    field.required = flag_in(entry, "required").value_or(false);
    if (const Json* value = either(entry, "defaultValue", "default");
        value && (value->is_string() || value->is_number() || value->is_boolean())) {
        field.default_value = *value;
    }
    field.min = number_in(entry, "min");
    field.max = number_in(entry, "max");
    return field;
}

EditToolField field(const char* id, const char* type, bool required = false,
                    std::optional<Json> default_value = std::nullopt,
                    std::optional<double> min = std::nullopt,
                    std::optional<double> max = std::nullopt) {
    return {id, "", type, required, std::move(default_value), min, max};
}

std::vector<EditToolDefinition> build_documented_tools() {
    const auto tool = [](const char* id, const char* description, double usd, long long credits,
                         std::vector<EditToolField> fields) {
        EditToolDefinition definition;
        definition.id = id;
        definition.name = id;
        definition.description = description;
        definition.balance_cost = usd;
        definition.credit_cost = credits;
        definition.is_free = usd == 0;
        definition.api_fields = {field("input_image", "image", true)};
        for (auto& f : fields) definition.api_fields.push_back(std::move(f));
        return definition;
    };
    const auto expand = [](const char* id) { return field(id, "integer", false, 0, 0.0); };
    const auto dither_fields = [] {
        return std::vector<EditToolField>{field("dither_mode", "select", false, "none"),
                                          field("dither_strength", "number", false, {}, 0, 100)};
    };
    std::vector<EditToolDefinition> tools;
    tools.push_back(tool("image_edit", "Change an image by describing the change.", 0.18, 20,
                         {field("prompt", "text", true), field("seed", "integer")}));
    tools.back().max_input_size = 256;
    tools.back().slow = true;
    tools.push_back(
        tool("inpainting", "Repaint the masked part of an image from a prompt.", 0.18, 20,
             {field("mask_image", "image", true), field("prompt", "text", true),
              field("seed", "integer"), field("soft_inpaint", "boolean", false, false)}));
    tools.back().slow = true;
    tools.push_back(
        tool("outpainting", "Extend the canvas past its edges and fill it.", 0.18, 20,
             {expand("expand_left"), expand("expand_right"), expand("expand_top"),
              expand("expand_bottom"), field("prompt", "text"), field("seed", "integer"),
              field("soft_inpaint", "boolean", false, false)}));
    tools.back().slow = true;
    tools.push_back(
        tool("seam_tiling", "Make an image tile seamlessly.", 0.18, 20,
             {field("tile_x", "boolean", false, true), field("tile_y", "boolean", false, false),
              field("seam_width", "integer", false, {}, 1),
              field("repair_window_size", "integer", false, {}, 1), field("seed", "integer")}));
    tools.push_back(tool("background_remover", "Remove the background (transparent PNG).", 0.01, 1,
                         {field("transparency_threshold", "integer", false, {}, 0),
                          field("force_solid_pixels", "boolean", false, true)}));
    tools.push_back(tool("color_style_transfer", "Recolour an image after a reference image.", 0.01,
                         1, {field("extra_input_image", "image", true)}));
    auto reducer = dither_fields();
    reducer.insert(reducer.begin(), field("color_count", "integer", false, {}, 2));
    tools.push_back(tool("color_reducer", "Reduce the number of colours.", 0, 0, reducer));
    auto palette = dither_fields();
    palette.insert(palette.begin(), field("input_palette", "image", true));
    tools.push_back(
        tool("palette_converter", "Map an image onto a palette image's colours.", 0, 0, palette));
    tools.push_back(
        tool("k_centroid_downscale", "Downscale to a native pixel grid.", 0, 0,
             {field("width", "integer", true, {}, 1), field("height", "integer", true, {}, 1)}));
    tools.push_back(tool("pixel_correction", "Clean up stray and off-grid pixels.", 0, 0, {}));
    tools.push_back(
        tool("rotate", "Rotate the image.", 0, 0, {field("rotation_degrees", "number")}));
    return tools;
}

const EditToolDefinition* documented(const std::string& id) {
    for (const auto& tool : documented_edit_tools()) {
        if (tool.id == id) return &tool;
    }
    return nullptr;
}

}  // namespace

const EditToolField* EditToolDefinition::field(const std::string& field_id) const {
    for (const auto& f : api_fields) {
        if (f.id == field_id) return &f;
    }
    return nullptr;
}

bool EditToolDefinition::takes_animated_gif() const {
    static const std::vector<std::string> kAnimated = {
        "color_reducer", "palette_converter", "color_style_transfer", "k_centroid_downscale"};
    return std::find(kAnimated.begin(), kAnimated.end(), id) != kAnimated.end();
}

std::optional<EditToolDefinition> read_edit_tool(const Json& entry) {
    auto id = text_in(entry, "id");
    if (!id) id = text_in(entry, "tool_id");
    if (!id || id->empty()) return std::nullopt;
    EditToolDefinition tool;
    tool.id = std::move(*id);
    tool.name = text_in(entry, "name").value_or(tool.id);
    tool.description = text_in(entry, "description").value_or("");
    tool.balance_cost = number_of(either(entry, "balance_cost", "balanceCost"));
    if (auto credits = number_of(either(entry, "credit_cost", "creditCost"))) {
        tool.credit_cost = std::llround(*credits);
    }
    tool.is_free = flag_of(either(entry, "is_free", "isFree"));
    tool.requires_minimum_balance =
        flag_of(either(entry, "requires_minimum_balance", "requiresMinimumBalance"));
    if (auto size = number_of(either(entry, "max_input_size", "maxInputSize"));
        size && *size >= 1 && *size <= 1e6) {
        tool.max_input_size = static_cast<int>(*size);
    }
    if (const Json* fields = member_in(entry, "api_fields"); fields && fields->is_array()) {
        for (const auto& item : *fields) {
            if (auto f = read_field(item)) tool.api_fields.push_back(std::move(*f));
        }
    }
    if (const auto* known = documented(tool.id)) {
        tool.slow = known->slow;
        // An entry that does not describe its fields is checked against the documented ones.
        if (tool.api_fields.empty()) tool.api_fields = known->api_fields;
    }
    return tool;
}

std::vector<EditToolDefinition> read_edit_tool_catalog(const Json& answer) {
    const Json* entries = &answer;
    if (answer.is_object()) entries = member_in(answer, "tools");
    std::vector<EditToolDefinition> tools;
    if (!entries || !entries->is_array()) return tools;
    for (const auto& entry : *entries) {
        if (auto tool = read_edit_tool(entry)) tools.push_back(std::move(*tool));
    }
    return tools;
}

const std::vector<EditToolDefinition>& documented_edit_tools() {
    static const std::vector<EditToolDefinition> tools = build_documented_tools();
    return tools;
}

const EditToolDefinition* EditToolCatalogView::find(const std::string& id) const {
    if (!tools) return nullptr;
    for (const auto& tool : *tools) {
        if (tool.id == id) return &tool;
    }
    return nullptr;
}

std::string unknown_edit_tool_message(const std::string& id, const EditToolCatalogView& view) {
    std::string names;
    if (view.tools) {
        for (const auto& tool : *view.tools) names += (names.empty() ? "" : ", ") + tool.id;
    }
    return "There is no edit tool '" + id + "'" +
           (view.live ? "" : " (among the documented tools: the API's catalog could not be read)") +
           ". Pick one of: " + names;
}

namespace {

UpstreamConfig catalog_config(const UpstreamClient& upstream,
                              const EditToolCatalog::Limits& limits) {
    UpstreamConfig config = upstream.config();
    config.read_timeout = std::min(config.read_timeout, limits.timeout);
    config.connect_timeout = std::min(config.connect_timeout, limits.timeout);
    config.max_idle_connections = 2;  // a request a minute at most
    return config;
}

}  // namespace

EditToolCatalog::EditToolCatalog(const UpstreamClient& upstream, Limits limits)
    : limits_(limits),
      client_(std::make_unique<const UpstreamClient>(catalog_config(upstream, limits_))) {}

EditToolCatalog::~EditToolCatalog() = default;

EditToolCatalogView EditToolCatalog::get(const UpstreamCaller& caller) {
    {
        std::lock_guard lock(mutex_);
        if (cached_ && std::chrono::steady_clock::now() - fetched_ < limits_.ttl) {
            return {cached_, true, "", fetched_at_};
        }
    }
    // Asked outside the lock: a slow API must not hold other callers up.
    auto reply = client_->get_public("/edit/tools", caller);
    std::string problem;
    if (reply.ok()) {
        auto tools = read_edit_tool_catalog(reply.body);
        if (!tools.empty()) {
            auto shared = std::make_shared<const std::vector<EditToolDefinition>>(std::move(tools));
            std::lock_guard lock(mutex_);
            cached_ = shared;
            fetched_ = std::chrono::steady_clock::now();
            fetched_at_ = protocol::iso8601_utc(unix_now_ms());
            return {shared, true, "", fetched_at_};
        }
        problem = "the API's catalog listed no tool it could read";
    } else {
        problem =
            reply.error->message.empty() ? "the catalog could not be read" : reply.error->message;
    }
    static const auto kDocumented =
        std::make_shared<const std::vector<EditToolDefinition>>(documented_edit_tools());
    return {kDocumented, false, problem, ""};
}

std::string limit_text(double value) {
    if (value == static_cast<double>(static_cast<long long>(value))) {
        return std::to_string(static_cast<long long>(value));
    }
    return protocol::Json(value).dump();
}

}  // namespace rdmcp::tools
