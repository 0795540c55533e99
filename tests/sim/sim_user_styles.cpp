// POST /v1/styles, PATCH /v1/styles/{style_id}, DELETE /v1/styles/{style_id}: RD Pro template
// user styles, owned by the key that made them.
#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "sim_http.h"
#include "sim_image_probe.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

const std::vector<FieldSpec>& template_fields() {
    static const std::vector<FieldSpec> fields = {
        {"name", FieldType::String},
        {"description", FieldType::String},
        {"style_icon", FieldType::String},
        {"reference_images", FieldType::StringList},
        {"reference_caption", FieldType::String},
        {"apply_prompt_fixer", FieldType::Bool},
        {"llm_instructions", FieldType::String},
        {"expanded_llm_instructions", FieldType::String},
        {"user_prompt_template", FieldType::String},
        {"force_palette", FieldType::Bool},
        {"force_bg_removal", FieldType::Bool},
        {"min_width", FieldType::Int},
        {"min_height", FieldType::Int},
    };
    return fields;
}

constexpr std::array<std::string_view, 81> kIcons = {
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

// The wider of the documents' ranges (96..256 and 64..256).
constexpr int kMinForced = 64, kMaxForced = 256;

std::string allowed_list() {
    std::string out;
    for (const FieldSpec& f : template_fields()) out += (out.empty() ? "" : ", ") + f.name;
    return out;
}

bool is_blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

bool present(const json& body, const char* name) {
    return body.contains(name) && !body[name].is_null();
}

std::optional<std::string> unknown_field_error(const json& body) {
    const auto& f = template_fields();
    for (const auto& item : body.items()) {
        const std::string& name = item.key();
        if (std::none_of(f.begin(), f.end(), [&](const FieldSpec& s) { return s.name == name; }))
            return "Field '" + name +
                   "' is not allowed for RD Pro user styles. Allowed fields: " + allowed_list();
    }
    return std::nullopt;
}

// The documented template rules, once the types are right.
std::optional<std::string> check_template(const json& body) {
    if (body.contains("name") && body["name"].is_null()) return "name must not be empty";
    if (auto name = get_string(body, "name"); name && is_blank(*name))
        return "name must not be empty";
    if (auto icon = get_string(body, "style_icon");
        icon && std::find(kIcons.begin(), kIcons.end(), *icon) == kIcons.end())
        return "style_icon '" + *icon + "' is not a valid icon";
    if (present(body, "reference_images")) {
        const json& refs = body["reference_images"];
        if (refs.size() > 1) return "reference_images accepts at most 1 image via the API";
        for (const json& r : refs) {
            const ProbeResult probe = probe_base64_image(r.get<std::string>(), false);
            if (!probe.info) return "reference_images[0] " + probe.error;
        }
    }
    const bool has_w = present(body, "min_width"), has_h = present(body, "min_height");
    if (has_w != has_h) return "min_width and min_height must be provided together";
    if (has_w) {
        for (const char* f : {"min_width", "min_height"}) {
            const auto v = *get_int(body, f);
            if (v < kMinForced || v > kMaxForced)
                return std::string(f) + " must be between " + std::to_string(kMinForced) + " and " +
                       std::to_string(kMaxForced);
        }
    }
    if (auto tpl = get_string(body, "user_prompt_template");
        tpl && tpl->find("{prompt}") == std::string::npos)
        return "user_prompt_template must contain {prompt}";
    return std::nullopt;
}

std::string slug(const std::string& name) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c)) {
            out += static_cast<char>(std::tolower(c));
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    if (out.size() > 32) out.resize(32);
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.empty() ? "style" : out;
}

json style_json(const UserStyle& s) {
    return {{"id", s.id},
            {"prompt_style", s.prompt_style},
            {"name", s.fields.value("name", "")},
            {"description", s.fields.contains("description") ? s.fields["description"] : json()},
            {"type", "user"},
            {"created_at", s.created_at},
            {"updated_at", s.updated_at}};
}

// Parses and checks a create/patch body; sends the error and returns nullopt on failure.
std::optional<json> read_template(const httplib::Request& req, httplib::Response& res,
                                  bool creating) {
    auto body = read_json_object(req, res);
    if (!body) return std::nullopt;
    // Non-template fields are a business rule (400), checked before types.
    if (auto err = unknown_field_error(*body)) {
        send_invalid(res, *err);
        return std::nullopt;
    }
    std::vector<FieldSpec> fields = template_fields();
    if (creating) fields.front().required = true;  // name
    if (json issues = check_fields(*body, fields); !issues.empty()) {
        send_validation(res, issues);
        return std::nullopt;
    }
    if (auto err = check_template(*body)) {
        send_invalid(res, *err);
        return std::nullopt;
    }
    return body;
}

void send_style_not_found(httplib::Response& res, const std::string& id) {
    send_json(res, 404, detail_error("style_not_found", "Style '" + id + "' not found."));
}

}  // namespace

void register_user_style_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        svr.Post(prefix + "/styles",
                 public_route(
                     ctx, Auth::Token,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                         const auto body = read_template(req, res, true);
                         if (!body) return;
                         UserStyle s;
                         s.id = "user_style_" + ctx.state.random_hex(32);
                         s.prompt_style = "user__" + slug((*body)["name"].get<std::string>()) +
                                          "_" + ctx.state.random_hex(8);
                         s.owner = call.key;
                         for (const auto& [name, value] : body->items()) {
                             if (!value.is_null()) s.fields[name] = value;
                         }
                         s.created_at = s.updated_at = unix_now();
                         ctx.state.put_style(s);
                         send_json(res, 201, style_json(s));
                     }));

        svr.Patch(
            prefix + R"(/styles/([^/]+))",
            public_route(
                ctx, Auth::Token,
                [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                    auto style = ctx.state.find_style(call.key, req.matches[1].str());
                    if (!style) return send_style_not_found(res, req.matches[1].str());
                    const auto body = read_template(req, res, false);
                    if (!body) return;
                    for (const auto& [name, value] : body->items()) {
                        if (value.is_null()) {
                            style->fields.erase(name);
                        } else {
                            style->fields[name] = value;
                        }
                    }
                    style->updated_at = std::max(unix_now(), style->created_at);
                    if (!ctx.state.replace_style(*style))
                        return send_style_not_found(res, req.matches[1].str());
                    send_json(res, 200, style_json(*style));
                }));

        svr.Delete(
            prefix + R"(/styles/([^/]+))",
            public_route(
                ctx, Auth::Token,
                [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                    const auto style = ctx.state.find_style(call.key, req.matches[1].str());
                    if (!style || !ctx.state.delete_style(call.key, style->id))
                        return send_style_not_found(res, req.matches[1].str());
                    send_json(res, 200,
                              {{"id", style->id},
                               {"prompt_style", style->prompt_style},
                               {"deleted", true}});
                }));
    }
}

}  // namespace rdsim
