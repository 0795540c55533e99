#include "tools/user_style_record.h"

#include <array>
#include <string_view>

#include "tools/api_fields.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr std::array<std::string_view, 8> kKnownFields = {
    "id", "prompt_style", "name", "description", "type", "deleted", "created_at", "updated_at"};

bool is_known(const std::string& field) {
    for (auto known : kKnownFields) {
        if (field == known) return true;
    }
    return false;
}

template <typename T>
void put(Json& json, const char* name, const std::optional<T>& value) {
    if (value) json[name] = *value;
}

}  // namespace

void from_json(const Json& body, UserStyleRecord& style) {
    style.id = text_in(body, "id");
    style.prompt_style = text_in(body, "prompt_style");
    style.name = text_in(body, "name");
    style.description = text_in(body, "description");
    style.type = text_in(body, "type");
    style.deleted = flag_in(body, "deleted");
    style.created_at = timestamp_in(body, "created_at");
    style.updated_at = timestamp_in(body, "updated_at");
    style.newer_fields = Json::object();
    if (!body.is_object()) return;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!is_known(it.key()) && !it.value().is_null()) style.newer_fields[it.key()] = it.value();
    }
}

void to_json(Json& json, const UserStyleRecord& style) {
    json = style.newer_fields.is_object() ? style.newer_fields : Json::object();
    put(json, "id", style.id);
    put(json, "prompt_style", style.prompt_style);
    put(json, "name", style.name);
    put(json, "description", style.description);
    put(json, "type", style.type);
    put(json, "deleted", style.deleted);
    put(json, "created_at", style.created_at);
    put(json, "updated_at", style.updated_at);
}

Json user_style_output_schema() {
    auto text = [](const char* what) { return Json{{"type", "string"}, {"description", what}}; };
    return {{"type", "object"},
            {"properties",
             {{"id", text("The style's id.")},
              {"prompt_style", text("Use in create_inference (user__...).")},
              {"name", text("The style's name.")},
              {"description", text("Absent when the style has none.")},
              {"type", text("\"user\" for user styles.")},
              {"deleted", {{"type", "boolean"}}},
              {"created_at", {{"type", "string"}, {"description", "ISO 8601 (UTC)."}}},
              {"updated_at", {{"type", "string"}, {"description", "ISO 8601 (UTC)."}}}}}};
}

}  // namespace rdmcp::tools
