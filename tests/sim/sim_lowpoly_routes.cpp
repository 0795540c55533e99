// Low-Poly 3D (v2 reference section 8) under /v1/lowpoly and /v2/lowpoly: the price list, the
// estimate, generating a model, reading jobs and models, and exporting a model. Jobs on an
// existing model, recolor and animation removal are in sim_lowpoly_jobs.cpp.
#include "sim_base64.h"
#include "sim_http.h"
#include "sim_image_probe.h"
#include "sim_images.h"
#include "sim_lowpoly.h"
#include "sim_lowpoly_files.h"

namespace rdsim {
namespace {

using Handler = std::function<void(Ctx&, const httplib::Request&, httplib::Response&, const Call&)>;

httplib::Server::Handler route(Ctx& ctx, Handler handler, std::string operation = "") {
    return public_route(
        ctx, Auth::Token,
        [&ctx, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                             const Call& call) { handler(ctx, req, res, call); },
        std::move(operation));
}

// size: "auto" or one of the sizes; adds the issue otherwise.
void check_size(const json& body, json& issues) {
    const auto it = body.find("size");
    if (it == body.end() || it->is_null()) return;
    if ((it->is_string() && *it == "auto") || (it->is_number_integer() && is_lowpoly_size(*it)))
        return;
    json issue = validation_issue(
        {"body", "size"}, "Input should be 'auto', 16, 32, 64, 128 or 256", "literal_error");
    issue["input"] = *it;
    issues.push_back(issue);
}

// (size, size_source) for a job's body; "auto" (the default) chooses from the prompt.
std::pair<int, std::string> resolve_size(const json& body, const std::string& prompt) {
    const auto size = get_int(body, "size");
    if (size) return {static_cast<int>(*size), "requested"};
    return {auto_lowpoly_size(prompt), "auto"};
}

void pricing(Ctx&, const httplib::Request&, httplib::Response& res, const Call&) {
    send_json(res, 200, lowpoly_pricing_json());
}

// LowPolyEstimateInput → LowPolyEstimateOutput; free, not recorded. With asset_id the model's
// size and style price it.
void estimate(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto body = read_json_object(req, res);
    if (!body) return;
    json issues = check_fields(*body, {{"operation", FieldType::String},
                                       {"prompt", FieldType::String},
                                       {"asset_id", FieldType::String},
                                       {"style", FieldType::String}});
    check_lowpoly_prompt(*body, issues);
    check_size(*body, issues);
    const std::string operation = get_string(*body, "operation").value_or("generate");
    if (!is_lowpoly_operation(operation))
        issues.push_back(validation_issue(
            {"body", "operation"},
            "Input should be 'generate', 'revise', 'animate', 'split' or 'rerig'", "enum"));
    const auto style_id = get_string(*body, "style");
    if (style_id && style_id->size() > 64)
        issues.push_back(validation_issue(
            {"body", "style"}, "String should have at most 64 characters", "string_too_long"));
    if (!issues.empty()) return send_validation(res, issues);

    const std::string prompt = get_string(*body, "prompt").value_or("");
    auto [size, source] = resolve_size(*body, prompt);
    const LowPolyStyle* style = find_lowpoly_style(style_id.value_or(kLowPolyDefaultStyle));
    if (const auto asset_id = get_string(*body, "asset_id")) {
        const auto asset = ctx.state.lowpoly_asset(call.key, *asset_id);
        if (!asset)
            return send_lowpoly_error(res, call, "lowpoly_asset_not_found",
                                      "No Low-Poly model with this id for this API key.");
        size = asset->asset.size;
        source = "asset";
        if (!style_id) style = find_lowpoly_style(asset->asset.style);
    }
    if (!style)
        return send_lowpoly_error(res, call, "lowpoly_invalid_style", "Unknown Low-Poly style.");
    send_json(res, 200,
              {{"operation", operation},
               {"size", size},
               {"size_source", source},
               {"cost", micros_to_usd(lowpoly_price(*style, operation, size))},
               {"includes_rig", false}});
}

// Semantic checks after the schema; sends the error and returns false.
bool check_generate(Ctx& ctx, const json& body, httplib::Response& res, const Call& call) {
    const std::string prompt = get_string(body, "prompt").value_or("");
    const json images = body.value("reference_images", json::array());
    const bool has_images = images.is_array() && !images.empty();
    if (prompt.find_first_not_of(" \t\r\n") == std::string::npos && !has_images) {
        send_lowpoly_error(res, call, "lowpoly_prompt_required",
                           "A prompt or at least one reference image is required.");
        return false;
    }
    if (!find_lowpoly_style(get_string(body, "style").value_or(kLowPolyDefaultStyle))) {
        send_lowpoly_error(res, call, "lowpoly_invalid_style",
                           "Unknown Low-Poly style; see GET /lowpoly/pricing.");
        return false;
    }
    if (!check_reference_images(images, res, call)) return false;
    for (const json& id : body.value("reference_models", json::array())) {
        if (id.is_string() && ctx.state.lowpoly_asset(call.key, id.get<std::string>())) continue;
        send_lowpoly_error(res, call, "lowpoly_asset_not_found",
                           "A reference model does not exist for this API key.");
        return false;
    }
    if (const auto palette = get_string(body, "input_palette")) {
        if (!probe_base64_image(*palette, /*allow_data_uri=*/true).info) {
            send_lowpoly_error(res, call, "lowpoly_invalid_palette",
                               "input_palette must be a base64 image.");
            return false;
        }
    }
    return true;
}

void generate(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto body = read_json_object(req, res);
    if (!body) return;
    // LowPolyGenerateInput: additionalProperties false, nothing required.
    json issues = check_fields(*body, {{"prompt", FieldType::String},
                                       {"style", FieldType::String},
                                       {"mode", FieldType::String},
                                       {"reference_images", FieldType::StringList},
                                       {"reference_models", FieldType::StringList},
                                       {"input_palette", FieldType::String},
                                       {"custom_id", FieldType::String}});
    forbid_unknown_fields(*body,
                          {"prompt", "size", "style", "mode", "reference_images",
                           "reference_models", "input_palette", "custom_id"},
                          issues);
    check_lowpoly_prompt(*body, issues);
    check_lowpoly_common(*body, issues);
    check_size(*body, issues);
    const json images = body->value("reference_images", json::array());
    const json models = body->value("reference_models", json::array());
    const std::size_t references =
        (images.is_array() ? images.size() : 0) + (models.is_array() ? models.size() : 0);
    if (references > static_cast<std::size_t>(kLowPolyMaxReferences))
        issues.push_back(validation_issue({"body", "reference_images"},
                                          "At most 4 reference images and models together",
                                          "too_long"));
    if (!issues.empty()) return send_validation(res, issues);
    if (!check_generate(ctx, *body, res, call)) return;
    if (answer_lowpoly_retry(ctx, req, res, call, *body)) return;

    const std::string prompt = get_string(*body, "prompt").value_or("");
    const LowPolyStyle& style =
        *find_lowpoly_style(get_string(*body, "style").value_or(kLowPolyDefaultStyle));
    const auto [size, source] = resolve_size(*body, prompt);

    LowPolyJobRequest job;
    job.operation = "generate";
    job.body = *body;
    job.cost = lowpoly_price(style, "generate", size);
    job.size = size;
    job.size_source = source;
    job.prompt = prompt;
    LowPolyAsset asset;
    asset.id = ctx.state.new_uuid();
    asset.key = call.key;
    asset.style = style.id;
    asset.size = size;
    asset.size_source = source;
    asset.mode = get_string(*body, "mode").value_or("auto");
    asset.prompt = prompt;
    asset.inference_id = call.request_id;
    asset.origin_task = call.request_id;
    LowPolyVersion first = make_lowpoly_version(ctx, "generate", prompt, size, {}, false);
    first.number = 1;
    first.task_id = call.request_id;
    asset.versions.push_back(std::move(first));
    job.plan.asset_id = asset.id;
    job.plan.job = {call.request_id, asset.id, "generate", "", {}};
    job.plan.new_asset = std::move(asset);
    admit_lowpoly_job(ctx, req, res, call, std::move(job));
}

void read_task(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto snap = ctx.state.lowpoly_job(call.key, req.matches[1].str());
    if (!snap)
        return send_lowpoly_error(res, call, "lowpoly_task_not_found",
                                  "No Low-Poly job with this id for this API key.");
    send_json(res, 200, lowpoly_task_json(ctx, call, *snap));
}

void list_assets(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    int limit = 20;
    if (auto issue = query_int(req, "limit", 1, 100, limit))
        return send_validation(res, json::array({*issue}));
    const std::string before = req.has_param("before_id") ? req.get_param_value("before_id") : "";
    const std::string inference =
        req.has_param("inference_id") ? req.get_param_value("inference_id") : "";
    const auto assets = ctx.state.lowpoly_assets(call.key);  // newest first
    auto it = assets.begin();
    if (!before.empty()) {
        it = std::find_if(assets.begin(), assets.end(),
                          [&](const LowPolyAssetSnapshot& a) { return a.asset.id == before; });
        if (it == assets.end())
            return send_validation(
                res,
                json::array({validation_issue({"query", "before_id"},
                                              "No Low-Poly model with this id", "value_error")}));
        ++it;
    }
    json items = json::array();
    std::string last;
    bool more = false;
    for (; it != assets.end(); ++it) {
        if (!inference.empty() && it->asset.inference_id != inference) continue;
        if (static_cast<int>(items.size()) == limit) {
            more = true;
            break;
        }
        items.push_back(lowpoly_asset_json(ctx, *it));
        last = it->asset.id;
    }
    json page = {{"items", items}};
    if (more) page["next_before_id"] = last;
    send_json(res, 200, page);
}

void read_asset(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto snap = ctx.state.lowpoly_asset(call.key, req.matches[1].str());
    if (!snap)
        return send_lowpoly_error(res, call, "lowpoly_asset_not_found",
                                  "No Low-Poly model with this id for this API key.");
    send_json(res, 200, lowpoly_asset_json(ctx, *snap));
}

// The bytes of one export.
std::string export_bytes(Ctx& ctx, const LowPolyExportTarget& target, const LowPolyVersion& v,
                         const std::string& animation, const std::string& name) {
    const std::uint64_t seed = ctx.state.random_u64();
    const std::vector<std::string> animations =
        animation.empty() ? v.animations : std::vector<std::string>{animation};
    if (target.extension == "glb") return make_glb(name, animations);
    if (target.id == "blockbench") return make_bbmodel(name);
    if (target.id == "obj")
        return make_zip({{name + ".obj", "# rd-sim\no " + name + "\n"},
                         {name + ".mtl", "# rd-sim\nnewmtl palette\n"},
                         {name + ".png", render_png(64, 64, seed, true)}});
    if (target.id == "minecraft")
        return make_zip({{"pack.mcmeta", R"({"pack":{"pack_format":15,"description":"rd-sim"}})"},
                         {"assets/rd/models/" + name + ".json", R"({"elements":[]})"},
                         {"assets/rd/textures/" + name + ".png", render_png(64, 64, seed, true)}});
    if (target.id == "axis_views") {
        std::vector<std::pair<std::string, std::string>> views;
        for (const char* axis : {"front", "back", "left", "right", "top", "bottom"})
            views.push_back({std::string(axis) + ".png", render_png(128, 128, seed, true)});
        return make_zip(views);
    }
    if (target.id == "turntable") return render_spritesheet(64, 64, seed, 8, 1);
    if (target.id == "gif") return render_gif(128, 128, seed, 8);
    if (target.id == "mp4") return make_mp4();
    if (target.id == "sheet" && animation.empty()) {
        std::vector<std::pair<std::string, std::string>> sheets;
        for (const std::string& a : v.animations)
            sheets.push_back({a + ".png", render_spritesheet(64, 64, seed, 8, 1)});
        if (sheets.empty())
            sheets.push_back({"turntable.png", render_spritesheet(64, 64, seed, 8, 1)});
        return make_zip(sheets);
    }
    if (target.id == "sheet") return render_spritesheet(64, 64, seed, 8, 1);
    return render_png(256, 256, seed, true);  // atlas
}

// LowPolyExportInput → LowPolyExportOutput: a 15-minute signed URL served by the sim.
void export_asset(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto body = read_json_object(req, res);
    if (!body) return;
    json issues = check_fields(*body, {{"target", FieldType::String, true},
                                       {"version", FieldType::Int},
                                       {"animation", FieldType::String}});
    check_lowpoly_common(*body, issues);
    if (!issues.empty()) return send_validation(res, issues);
    const auto snap = ctx.state.lowpoly_asset(call.key, req.matches[1].str());
    if (!snap)
        return send_lowpoly_error(res, call, "lowpoly_asset_not_found",
                                  "No Low-Poly model with this id for this API key.");
    const LowPolyExportTarget* target = find_export_target(*get_string(*body, "target"));
    if (!target)
        return send_lowpoly_error(res, call, "lowpoly_invalid_export_target",
                                  "Unknown export target; see export_targets in GET "
                                  "/lowpoly/pricing.");
    if (snap->asset.versions.empty())
        return send_lowpoly_error(res, call, "lowpoly_asset_not_ready",
                                  "The model has no finished version yet.");
    const LowPolyVersion* version = find_lowpoly_version(*snap, get_int(*body, "version"));
    if (!version)
        return send_lowpoly_error(res, call, "lowpoly_version_not_found",
                                  "The model has no such version.");
    const std::string animation = get_string(*body, "animation").value_or("");
    if (!animation.empty() && std::find(version->animations.begin(), version->animations.end(),
                                        animation) == version->animations.end())
        return send_lowpoly_error(res, call, "lowpoly_animation_not_found",
                                  "The version has no animation with this name.");
    if (target->needs_animation && animation.empty())
        return send_lowpoly_error(res, call, "lowpoly_export_failed",
                                  "The " + target->id + " export needs an animation.");

    const bool zipped_sheets = target->id == "sheet" && animation.empty();
    const std::string content_type = zipped_sheets ? "application/zip" : target->content_type;
    const std::string name = "model_" + snap->asset.id.substr(0, 8);
    const OutputRef ref =
        keep_output(ctx, call, export_bytes(ctx, *target, *version, animation, name), content_type);
    const std::int64_t expires = ctx.state.now_ms() / 1000 + 15 * 60;
    call.activity->entry.request["asset_id"] = snap->asset.id;
    call.activity->entry.request["version"] = version->number;
    std::string filename = name + "_v" + std::to_string(version->number);
    if (!animation.empty()) filename += "_" + animation;
    filename += "_" + target->id + "." + ref.ext();
    send_json(res, 200,
              {{"target", target->id},
               {"version", version->number},
               {"url", ctx.base_url + "/_sim/outputs/" + ref.id + "." + ref.ext() +
                           "?expires=" + std::to_string(expires)},
               {"filename", filename},
               {"content_type", content_type}});
}

}  // namespace

void register_lowpoly_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        const std::string base = prefix + "/lowpoly";
        svr.Get(base + "/pricing", route(ctx, pricing));
        svr.Post(base + "/estimate", route(ctx, estimate));
        svr.Post(base + "/generate", route(ctx, generate, "lowpoly.generate"));
        svr.Get(base + R"(/tasks/([^/]+))", route(ctx, read_task));
        svr.Get(base + "/assets", route(ctx, list_assets));
        svr.Get(base + R"(/assets/([^/]+))", route(ctx, read_asset));
        svr.Post(base + R"(/assets/([^/]+)/export)", route(ctx, export_asset, "lowpoly.export"));
    }
}

}  // namespace rdsim
