// User styles (RD Pro template): create_user_style (POST /v1/styles), update_user_style
// (PATCH /v1/styles/{style_id}), delete_user_style (DELETE /v1/styles/{style_id}). The returned
// prompt_style works in create_inference at once.
#include <algorithm>
#include <cctype>

#include "common/text.h"
#include "tools/agent_errors.h"
#include "tools/image_input.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/user_style_record.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

const Json& style_icons() {
    static const Json icons = {
        "sparkles",      "fire",         "bolt",           "star",
        "heart",         "cube",         "globe",          "sun",
        "moon",          "cloud",        "beaker",         "command",
        "cpu",           "brush",        "photo",          "film",
        "music",         "rocket",       "puzzle",         "cube-transparent",
        "swatch",        "eyedropper",   "grid",           "stack",
        "viewfinder",    "adjustments",  "crystal",        "magic-swirl",
        "swordman",      "dragon",       "castle",         "forest",
        "mountain",      "water-drop",   "flame",          "snowflake",
        "lightning",     "stone",        "mineral",        "gem",
        "diamonds",      "wizard-staff", "portal",         "sunrise",
        "moon-bats",     "night-sky",    "galaxy",         "planet",
        "abstract-1",    "abstract-2",   "gamepad",        "dice",
        "skull",         "crown",        "wizard-hat",     "ghost",
        "robot",         "shuttle",      "fa-star",        "fa-heart",
        "leaf",          "tree",         "fa-mountain",    "fa-water",
        "fa-sun",        "fa-moon",      "tb-sparkles",    "wand",
        "palette",       "tb-brush",     "tb-photo",       "movie",
        "user",          "user-gear",    "user-friends",   "users-viewfinder",
        "walking",       "person",       "child-reaching", "grin-beam",
        "hand-back-fist"};
    return icons;
}

// The RD Pro template fields, the only ones the API accepts. min_width/min_height: 64..256
// (the newer document; the older said 96..256: the wider range is used).
Json template_properties() {
    auto described = [](Json schema, const char* what) {
        if (what) schema["description"] = what;
        return schema;
    };
    auto text = [&](const char* what) { return described({{"type", "string"}}, what); };
    auto flag = [&](const char* what) { return described({{"type", "boolean"}}, what); };
    auto side = [&](const char* what) {
        return described({{"type", "integer"}, {"minimum", 64}, {"maximum", 256}}, what);
    };
    return {
        {"name", {{"type", "string"}, {"minLength", 1}}},
        {"description", text("What the style is for.")},
        // Not an enum: its 81 names would cost every conversation 1 KB per tool. They are
        // checked below, and a wrong one's error lists them.
        {"style_icon", text("Web-app icon, e.g. sparkles, dragon, castle.")},
        {"reference_images", {{"type", "array"}, {"maxItems", 1}, {"items", {{"type", "string"}}}}},
        {"reference_caption", text(nullptr)},
        {"apply_prompt_fixer", flag("Default true.")},
        {"llm_instructions", text("For the prompt-expansion model.")},
        {"expanded_llm_instructions", text(nullptr)},
        {"user_prompt_template", text("Wraps each prompt; contains {prompt}.")},
        {"force_palette", flag("The reference's palette.")},
        {"force_bg_removal", flag(nullptr)},
        {"min_width", side("Forced size, with min_height.")},
        {"min_height", side(nullptr)},
    };
}

// Checks what the schema cannot express, and resolves the reference image.
std::optional<std::string> prepare_template_body(Json& body, bool local_files_allowed) {
    if (auto icon = body.find("style_icon"); icon != body.end()) {
        const auto& icons = style_icons();
        if (std::find(icons.begin(), icons.end(), *icon) == icons.end()) {
            std::string names;
            for (const auto& name : icons)
                names += (names.empty() ? "" : ", ") + name.get<std::string>();
            return "'style_icon' must be one of the web app's icons: " + names;
        }
    }
    if (body.contains("min_width") != body.contains("min_height")) {
        return "'min_width' and 'min_height' must be given together (both 64..256), e.g. "
               "{\"min_width\": 192, \"min_height\": 192}";
    }
    if (auto refs = body.find("reference_images"); refs != body.end()) {
        for (std::size_t i = 0; i < refs->size(); ++i) {
            auto resolved = resolve_image_input("reference_images[" + std::to_string(i) + "]",
                                                (*refs)[i].get<std::string>(),
                                                {.allow_local_files = local_files_allowed});
            if (auto* problem = std::get_if<std::string>(&resolved)) return *problem;
            (*refs)[i] = std::move(std::get<ImageInput>(resolved).base64);
        }
    }
    return std::nullopt;
}

// A style id goes into the URL path: only the characters ids and prompt_styles are made of.
std::optional<std::string> check_style_id(const std::string& id) {
    for (unsigned char c : id) {
        if (!std::isalnum(c) && c != '_' && c != '-') {
            return "'style_id' may contain only letters, digits, '_' and '-' (use the id or the "
                   "prompt_style that create_user_style returned), got " +
                   quote_prefix(id);
        }
    }
    return std::nullopt;
}

protocol::ToolResult style_result(const Json& body, const std::string& verb) {
    const auto style = body.get<UserStyleRecord>();
    const std::string prompt_style = style.prompt_style.value_or("");
    std::string text = verb + " user style";
    if (style.name) text += " \"" + *style.name + "\"";
    if (!prompt_style.empty()) {
        text += verb == "Deleted" ? " (" + prompt_style + ")."
                                  : ". Use prompt_style \"" + prompt_style +
                                        "\" in create_inference "
                                        "(RD Pro limits: 64-256 px, up to 4 images).";
    } else {
        text += ".";
    }
    auto result = protocol::ToolResult::text(std::move(text));
    result.structured_content = Json(style);
    return result;
}

}  // namespace

protocol::Tool make_create_user_style_tool(UpstreamPtr upstream, ToolsConfig config) {
    protocol::ToolDefinition definition{
        .name = "create_user_style",
        .title = "Create a custom style",
        .description = "Creates a custom RD Pro style; returns its prompt_style (user__...).",
        .input_schema = {{"type", "object"},
                         {"properties", template_properties()},
                         {"required", {"name"}},
                         {"additionalProperties", false}},
        .output_schema = user_style_output_schema(),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = false,
                        .open_world = true},
    };
    auto handler = [upstream, config](const Json& arguments, protocol::RequestContext& context) {
        Json body = arguments;
        if (auto problem = prepare_template_body(body, config.local_files_allowed)) {
            return rejected_before_sending(*problem);
        }
        auto reply = upstream->post("/styles", body, context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Creating the style");
        return style_result(reply.body, "Created");
    };
    return {std::move(definition), handler};
}

protocol::Tool make_update_user_style_tool(UpstreamPtr upstream, ToolsConfig config) {
    // create_user_style describes the fields; the same words again would only cost context.
    Json properties = template_properties();
    for (auto& [name, property] : properties.items()) property.erase("description");
    properties["style_id"] = {{"type", "string"},
                              {"minLength", 1},
                              {"description", "Its id or prompt_style (user__...)."}};
    protocol::ToolDefinition definition{
        .name = "update_user_style",
        .title = "Update a custom style",
        .description = "Changes fields of a user style (create_user_style's); the rest stay.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"required", {"style_id"}},
                         {"minProperties", 2},
                         {"additionalProperties", false}},
        .output_schema = user_style_output_schema(),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
    auto handler = [upstream, config](const Json& arguments, protocol::RequestContext& context) {
        Json body = arguments;
        const std::string id = body.at("style_id").get<std::string>();
        body.erase("style_id");
        if (auto problem = check_style_id(id)) return rejected_before_sending(*problem);
        if (body.empty()) {
            return protocol::ToolResult::error(
                "Nothing to update: give at least one field besides 'style_id', e.g. "
                "{\"style_id\": \"" +
                id + "\", \"description\": \"...\"}");
        }
        if (auto problem = prepare_template_body(body, config.local_files_allowed)) {
            return rejected_before_sending(*problem);
        }
        auto reply = upstream->patch("/styles/" + id, body, context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Updating style " + id);
        return style_result(reply.body, "Updated");
    };
    return {std::move(definition), handler};
}

protocol::Tool make_delete_user_style_tool(UpstreamPtr upstream) {
    protocol::ToolDefinition definition{
        .name = "delete_user_style",
        .title = "Delete a custom style",
        .description = "Deletes a user style for good.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"style_id",
                            {{"type", "string"},
                             {"minLength", 1},
                             {"description", "Its id or prompt_style."}}}}},
                         {"required", {"style_id"}},
                         {"additionalProperties", false}},
        .output_schema = user_style_output_schema(),
        .annotations = {.read_only = false,
                        .destructive = true,
                        .idempotent = true,
                        .open_world = true},
    };
    auto handler = [upstream](const Json& arguments, protocol::RequestContext& context) {
        const std::string id = arguments.at("style_id").get<std::string>();
        if (auto problem = check_style_id(id)) return rejected_before_sending(*problem);
        auto reply = upstream->del("/styles/" + id, context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Deleting style " + id);
        return style_result(reply.body, "Deleted");
    };
    return {std::move(definition), handler};
}

}  // namespace rdmcp::tools
