// Low-Poly work on an existing model (v2 reference section 8): the paid jobs
// POST /lowpoly/assets/{id}/revise|animate|split|rerig (202, async), the sync recolor, and
// DELETE /lowpoly/assets/{id}/versions/{n}/animations/{name}.
#include <algorithm>

#include "sim_http.h"
#include "sim_image_probe.h"
#include "sim_lowpoly.h"

namespace rdsim {
namespace {

const std::string kNoModel = "No Low-Poly model with this id for this API key.";

// The model and version a call works on; sends the error and returns nullopt.
struct Target {
    LowPolyAssetSnapshot snap;
    LowPolyVersion version;
};

std::optional<Target> find_target(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                                  const Call& call, const json& body) {
    auto snap = ctx.state.lowpoly_asset(call.key, req.matches[1].str());
    if (!snap) {
        send_lowpoly_error(res, call, "lowpoly_asset_not_found", kNoModel);
        return std::nullopt;
    }
    if (!snap->active_task_id.empty()) {
        send_lowpoly_error(res, call, "lowpoly_asset_busy",
                           "This model already has a job running; wait for it.");
        return std::nullopt;
    }
    if (snap->asset.versions.empty()) {
        send_lowpoly_error(res, call, "lowpoly_asset_not_ready",
                           "The model has no finished version yet.");
        return std::nullopt;
    }
    const LowPolyVersion* version = find_lowpoly_version(*snap, get_int(body, "version"));
    if (!version) {
        send_lowpoly_error(res, call, "lowpoly_version_not_found",
                           "The model has no such version.");
        return std::nullopt;
    }
    return Target{*snap, *version};
}

// An animation's name: the one asked for, else from the prompt; unique on the version.
std::string animation_name(const json& body, const std::string& prompt,
                           const std::vector<std::string>& taken) {
    std::string name = get_string(body, "animation").value_or("");
    if (name.empty()) {
        for (const char c : prompt) {
            if (std::isalnum(static_cast<unsigned char>(c)))
                name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            else if (!name.empty() && name.back() != '_')
                name += '_';
            if (name.size() >= 48) break;
        }
        while (!name.empty() && name.back() == '_') name.pop_back();
        if (name.empty()) name = "animation";
    }
    const std::string base = name;
    for (int n = 2; std::find(taken.begin(), taken.end(), name) != taken.end(); ++n)
        name = base.substr(0, 60) + "_" + std::to_string(n);
    return name;
}

void job(Ctx& ctx, const std::string& operation, const httplib::Request& req,
         httplib::Response& res, const Call& call) {
    const auto body = read_json_object(req, res);
    if (!body) return;
    const bool needs_prompt = operation == "revise" || operation == "animate";
    json issues = check_fields(*body, {{"prompt", FieldType::String, needs_prompt},
                                       {"version", FieldType::Int},
                                       {"mode", FieldType::String},
                                       {"reference_images", FieldType::StringList},
                                       {"animation", FieldType::String},
                                       {"custom_id", FieldType::String}});
    check_lowpoly_prompt(*body, issues);
    check_lowpoly_common(*body, issues);
    if (const auto name = get_string(*body, "animation"); name && operation == "animate") {
        if (name->empty() || name->size() > 64)
            issues.push_back(
                validation_issue({"body", "animation"}, "String should have 1 to 64 characters",
                                 name->empty() ? "string_too_short" : "string_too_long"));
    }
    const json images = body->value("reference_images", json::array());
    if (images.is_array() && images.size() > static_cast<std::size_t>(kLowPolyMaxReferences))
        issues.push_back(validation_issue({"body", "reference_images"},
                                          "List should have at most 4 items", "too_long"));
    if (!issues.empty()) return send_validation(res, issues);
    const std::string prompt = get_string(*body, "prompt").value_or("");
    if (needs_prompt && prompt.find_first_not_of(" \t\r\n") == std::string::npos)
        return send_lowpoly_error(res, call, "lowpoly_prompt_required",
                                  "A prompt is required for this job.");
    if (operation == "revise" && !check_reference_images(images, res, call)) return;
    if (answer_lowpoly_retry(ctx, req, res, call, *body)) return;

    const auto target = find_target(ctx, req, res, call, *body);
    if (!target) return;
    const LowPolyAsset& asset = target->snap.asset;
    const LowPolyVersion& base = target->version;
    if (operation == "rerig" && !base.rigged)
        return send_lowpoly_error(res, call, "lowpoly_not_rigged",
                                  "This version has no rig; animate it first (the first "
                                  "animation rigs it for free).");
    const LowPolyStyle& style = *find_lowpoly_style(asset.style);

    LowPolyJobRequest request;
    request.operation = operation;
    request.body = *body;
    request.cost = lowpoly_price(style, operation, asset.size);
    request.size = asset.size;
    request.size_source = asset.size_source;
    request.prompt = prompt;
    request.plan.asset_id = asset.id;
    request.plan.job = {call.request_id, asset.id, operation, "", {}};
    const std::string text = prompt.empty() ? base.prompt : prompt;
    if (operation == "split") {
        // Two or three parts, each a new model made by this job.
        const int parts = 2 + static_cast<int>(prompt.size() % 2);
        for (int i = 1; i <= parts; ++i) {
            LowPolyAsset piece;
            piece.id = ctx.state.new_uuid();
            piece.key = call.key;
            piece.style = asset.style;
            piece.size = asset.size;
            piece.size_source = asset.size_source;
            piece.mode = asset.mode;
            piece.prompt = asset.prompt + " (part " + std::to_string(i) + ")";
            piece.inference_id = call.request_id;
            piece.origin_task = call.request_id;
            piece.hidden_until_done = true;
            LowPolyVersion v =
                make_lowpoly_version(ctx, "split", piece.prompt, asset.size, {}, false);
            v.number = 1;
            v.task_id = call.request_id;
            piece.versions.push_back(std::move(v));
            request.plan.job.pieces.push_back(piece.id);
            request.plan.pieces.push_back(std::move(piece));
        }
    } else {
        std::vector<std::string> animations =
            operation == "revise" ? std::vector<std::string>{} : base.animations;
        bool rigged = operation != "revise" && base.rigged;
        if (operation == "animate") {
            request.plan.job.animation = animation_name(*body, prompt, animations);
            animations.push_back(request.plan.job.animation);
            rigged = true;  // the first animation rigs the model, at the animate price only
        }
        if (operation == "rerig") rigged = true;
        LowPolyVersion v =
            make_lowpoly_version(ctx, operation, text, asset.size, animations, rigged);
        v.task_id = call.request_id;
        request.plan.new_version = std::move(v);
    }
    admit_lowpoly_job(ctx, req, res, call, std::move(request));
}

// LowPolyRecolorInput → the model with a new version, at once.
void recolor(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto body = read_json_object(req, res);
    if (!body) return;
    json issues = check_fields(*body, {{"tool", FieldType::String, true},
                                       {"color_count", FieldType::Int},
                                       {"dither_mode", FieldType::String},
                                       {"dither_strength", FieldType::Number},
                                       {"palette_image", FieldType::String},
                                       {"reference_image", FieldType::String},
                                       {"version", FieldType::Int}});
    check_lowpoly_common(*body, issues);
    const std::string tool = get_string(*body, "tool").value_or("");
    if (body->contains("tool") && (*body)["tool"].is_string() && tool != "color_reducer" &&
        tool != "palette_converter" && tool != "color_style_transfer")
        issues.push_back(validation_issue(
            {"body", "tool"},
            "Input should be 'color_reducer', 'palette_converter' or 'color_style_transfer'",
            "enum"));
    const auto count = get_int(*body, "color_count");
    if (count && (*count < 2 || *count > 256))
        issues.push_back(validation_issue({"body", "color_count"},
                                          "Input should be between 2 and 256", "less_than_equal"));
    const auto mode = get_string(*body, "dither_mode");
    if (mode && *mode != "none" && *mode != "bayer_2x2" && *mode != "bayer_4x4" &&
        *mode != "bayer_8x8")
        issues.push_back(validation_issue(
            {"body", "dither_mode"},
            "Input should be 'none', 'bayer_2x2', 'bayer_4x4' or 'bayer_8x8'", "enum"));
    const auto strength = get_number(*body, "dither_strength");
    if (strength && (*strength < 0 || *strength > 10))
        issues.push_back(validation_issue({"body", "dither_strength"},
                                          "Input should be between 0 and 10", "less_than_equal"));
    if (!issues.empty()) return send_validation(res, issues);

    const auto target = find_target(ctx, req, res, call, *body);
    if (!target) return;
    const auto palette = get_string(*body, "palette_image");
    const auto reference = get_string(*body, "reference_image");
    if ((tool == "palette_converter" && !palette) || (tool == "color_style_transfer" && !reference))
        return send_lowpoly_error(res, call, "lowpoly_recolor_input_required",
                                  tool == "palette_converter"
                                      ? "palette_converter needs palette_image."
                                      : "color_style_transfer needs reference_image.");
    if (tool == "palette_converter" && !probe_base64_image(*palette, true).info)
        return send_lowpoly_error(res, call, "lowpoly_invalid_palette",
                                  "palette_image must be a base64 image.");
    if (tool == "color_style_transfer" && !probe_base64_image(*reference, true).info)
        return send_lowpoly_error(res, call, "lowpoly_invalid_reference_image",
                                  "reference_image must be a base64 image.");

    const Micros cost = tool == "color_style_transfer" ? usd_to_micros(0.01) : 0;
    if (cost > 0 && !ctx.state.charge(call.key, cost, "lowpoly.recolor " + req.path))
        return send_no_balance(ctx, res, call, cost);
    call.activity->entry.cost = cost;
    call.activity->entry.charged = cost > 0;
    call.activity->entry.request["asset_id"] = target->snap.asset.id;
    call.activity->entry.request["version"] = target->version.number;
    const LowPolyVersion& base = target->version;
    LowPolyVersion v = make_lowpoly_version(ctx, "recolor", base.prompt, target->snap.asset.size,
                                            base.animations, base.rigged);
    call.activity->entry.outputs.push_back({v.render_id, "image/png"});
    const auto edit = ctx.state.add_lowpoly_version(call.key, target->snap.asset.id, std::move(v));
    if (edit != State::LowPolyEdit::Done) {  // a job was admitted meanwhile
        if (cost > 0) ctx.state.refund(call.key, cost, "lowpoly.recolor " + req.path + " refused");
        call.activity->entry.charged = false;
        return send_lowpoly_error(res, call, "lowpoly_asset_busy",
                                  "This model already has a job running; wait for it.");
    }
    send_json(res, 200,
              lowpoly_asset_json(ctx, *ctx.state.lowpoly_asset(call.key, target->snap.asset.id)));
}

void delete_animation(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                      const Call& call) {
    const std::string asset_id = req.matches[1].str();
    const std::string number = req.matches[2].str();
    const bool digits = !number.empty() && number.size() < 9 &&
                        number.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
        return send_validation(
            res, json::array({validation_issue({"path", "number"},
                                               "Input should be a valid integer", "int_parsing")}));
    using Edit = State::LowPolyEdit;
    switch (ctx.state.delete_lowpoly_animation(call.key, asset_id, std::stoi(number),
                                               req.matches[3].str())) {
        case Edit::NotFound:
            return send_lowpoly_error(res, call, "lowpoly_asset_not_found", kNoModel);
        case Edit::Busy:
            return send_lowpoly_error(res, call, "lowpoly_asset_busy",
                                      "This model already has a job running; wait for it.");
        case Edit::VersionNotFound:
            return send_lowpoly_error(res, call, "lowpoly_version_not_found",
                                      "The model has no such version.");
        case Edit::AnimationNotFound:
            return send_lowpoly_error(res, call, "lowpoly_animation_not_found",
                                      "The version has no animation with this name.");
        case Edit::Done:
            break;
    }
    send_json(res, 200, lowpoly_asset_json(ctx, *ctx.state.lowpoly_asset(call.key, asset_id)));
}

}  // namespace

void register_lowpoly_job_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        const std::string base = prefix + "/lowpoly/assets/([^/]+)";
        for (const std::string operation : {"revise", "animate", "split", "rerig"}) {
            svr.Post(
                base + "/" + operation,
                public_route(
                    ctx, Auth::Token,
                    [&ctx, operation](const httplib::Request& req, httplib::Response& res,
                                      const Call& call) { job(ctx, operation, req, res, call); },
                    "lowpoly." + operation));
        }
        svr.Post(base + "/recolor", public_route(
                                        ctx, Auth::Token,
                                        [&ctx](const httplib::Request& req, httplib::Response& res,
                                               const Call& call) { recolor(ctx, req, res, call); },
                                        "lowpoly.recolor"));
        svr.Delete(
            base + "/versions/([^/]+)/animations/([^/]+)",
            public_route(ctx, Auth::Token,
                         [&ctx](const httplib::Request& req, httplib::Response& res,
                                const Call& call) { delete_animation(ctx, req, res, call); }));
    }
}

}  // namespace rdsim
