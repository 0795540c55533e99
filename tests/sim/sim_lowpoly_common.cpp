// Low-Poly views, field checks and job admission, shared by every /lowpoly route.
#include <algorithm>
#include <ctime>

#include "sim_base64.h"
#include "sim_http.h"
#include "sim_image_probe.h"
#include "sim_images.h"
#include "sim_lowpoly.h"
#include "sim_lowpoly_files.h"
#include "sim_v2_errors.h"

namespace rdsim {
namespace {

constexpr std::size_t kMaxReferenceBytes = 8u << 20;  // "≤8 MB each"

// "1-256 visible ASCII characters", as on POST /v2/inferences.
bool valid_idempotency_key(const std::string& key) {
    if (key.empty() || key.size() > 256) return false;
    return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

std::string output_url(Ctx& ctx, const std::string& id, const std::string& ext) {
    return ctx.base_url + "/_sim/outputs/" + id + "." + ext;
}

json too_long(const std::string& field, std::size_t max) {
    return validation_issue({"body", field},
                            "String should have at most " + std::to_string(max) + " characters",
                            "string_too_long");
}

}  // namespace

std::string lowpoly_iso(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

void send_lowpoly_error(httplib::Response& res, const Call& call, const std::string& code,
                        const std::string& message) {
    send_v2_error(res, call.request_id, code, message);
}

LowPolyVersion make_lowpoly_version(Ctx& ctx, const std::string& kind, const std::string& prompt,
                                    int size, const std::vector<std::string>& animations,
                                    bool rigged) {
    const std::uint64_t seed = ctx.state.random_u64();
    LowPolyVersion v;
    v.kind = kind;
    v.prompt = prompt;
    v.animations = animations;
    v.rigged = rigged;
    // Kept as long as the model (the 24 h retention is for API Activity outputs).
    v.render_id = ctx.state.store_output(render_png(256, 256, seed, true), "image/png");
    v.turntable_id =
        ctx.state.store_output(render_spritesheet(64, 64, seed, 8, 1), "image/png");  // 8 views
    v.scene_id = ctx.state.store_output(make_glb(prompt, animations), "model/gltf-binary");
    const double s = size;
    v.stats = {{"size_px", {s * (0.6 + (seed % 40) / 100.0), s * 0.75, s * 0.7}},
               {"triangles", 120 + static_cast<int>(seed % 400) + size * 4}};
    return v;
}

nlohmann::json lowpoly_version_json(Ctx& ctx, const LowPolyVersion& v) {
    json view = {{"number", v.number},
                 {"kind", v.kind},
                 {"render_url", output_url(ctx, v.render_id, "png")},
                 {"turntable_url", output_url(ctx, v.turntable_id, "png")},
                 {"scene_url", output_url(ctx, v.scene_id, "glb")},
                 {"animations", v.animations},
                 {"rigged", v.rigged},
                 {"stats", v.stats},
                 {"created_at", lowpoly_iso(v.created_ms)}};
    if (!v.prompt.empty()) view["prompt"] = v.prompt;
    return view;
}

nlohmann::json lowpoly_asset_json(Ctx& ctx, const LowPolyAssetSnapshot& snap) {
    const LowPolyAsset& a = snap.asset;
    json versions = json::array();
    for (const LowPolyVersion& v : a.versions) versions.push_back(lowpoly_version_json(ctx, v));
    json view = {{"asset_id", a.id},
                 {"status", snap.status},
                 {"style", a.style},
                 {"size", a.size},
                 {"size_source", a.size_source},
                 {"mode", a.mode},
                 {"versions", versions},
                 {"inference_id", a.inference_id},
                 {"created_at", lowpoly_iso(a.created_ms)},
                 {"updated_at", lowpoly_iso(snap.updated_ms)}};
    if (!a.prompt.empty()) view["prompt"] = a.prompt;
    if (!snap.active_task_id.empty()) view["active_task_id"] = snap.active_task_id;
    if (!snap.failure_task_id.empty())
        view["error"] = {{"code", "lowpoly_generate_failed"},
                         {"message", "The model could not be made; the charge was refunded."},
                         {"request_id", snap.failure_task_id}};
    return view;
}

nlohmann::json lowpoly_task_json(Ctx& ctx, const Call& call, const LowPolyJobSnapshot& snap) {
    const LowPolyJob& job = snap.job;
    const TaskSnapshot& t = snap.task;
    json view = {{"status", t.status},
                 {"task_id", job.task_id},
                 {"asset_id", job.asset_id},
                 {"operation", job.operation},
                 {"created_at", lowpoly_iso(t.task.accepted_ms)},
                 {"updated_at", lowpoly_iso(t.updated_ms)}};
    if (t.status == "succeeded") {
        if (const auto asset = ctx.state.lowpoly_asset(call.key, job.asset_id))
            view["result"] = lowpoly_asset_json(ctx, *asset);
        if (!job.animation.empty()) view["animation"] = job.animation;
        if (job.operation == "split") {
            json pieces = json::array();
            for (const std::string& id : job.pieces)
                if (const auto piece = ctx.state.lowpoly_asset(call.key, id))
                    pieces.push_back(lowpoly_asset_json(ctx, *piece));
            view["pieces"] = pieces;
        }
    }
    if (t.status == "failed") {
        const std::string code = t.task.failure_code;
        view["error"] = {{"status_code", v2_status(code).value_or(500)},
                         {"code", code},
                         {"message", "The job failed; the charge was refunded."},
                         {"request_id", job.task_id}};
    }
    return view;
}

const LowPolyVersion* find_lowpoly_version(const LowPolyAssetSnapshot& snap,
                                           std::optional<std::int64_t> number) {
    const auto& versions = snap.asset.versions;
    if (versions.empty()) return nullptr;
    if (!number) return &versions.back();
    for (const LowPolyVersion& v : versions)
        if (v.number == *number) return &v;
    return nullptr;
}

void check_lowpoly_prompt(const nlohmann::json& body, nlohmann::json& issues) {
    const auto prompt = get_string(body, "prompt");
    if (prompt && prompt->size() > static_cast<std::size_t>(kLowPolyPromptMax))
        issues.push_back(too_long("prompt", kLowPolyPromptMax));
}

void check_lowpoly_common(const nlohmann::json& body, nlohmann::json& issues) {
    const auto version = get_int(body, "version");
    if (version && *version < 1)
        issues.push_back(validation_issue({"body", "version"},
                                          "Input should be greater than or equal to 1",
                                          "greater_than_equal"));
    const auto mode = get_string(body, "mode");
    if (mode && *mode != "auto" && *mode != "quality" && *mode != "fast")
        issues.push_back(validation_issue({"body", "mode"},
                                          "Input should be 'auto', 'quality' or 'fast'", "enum"));
    const auto custom_id = get_string(body, "custom_id");
    if (custom_id && custom_id->size() > 128) issues.push_back(too_long("custom_id", 128));
}

void forbid_unknown_fields(const nlohmann::json& body, const std::vector<std::string>& known,
                           nlohmann::json& issues) {
    for (const auto& [name, value] : body.items()) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        json issue =
            validation_issue({"body", name}, "Extra inputs are not permitted", "extra_forbidden");
        issues.push_back(issue);
    }
}

bool check_reference_images(const nlohmann::json& images, httplib::Response& res,
                            const Call& call) {
    if (!images.is_array()) return true;
    for (const json& image : images) {
        const std::string& text = image.get_ref<const std::string&>();
        const ProbeResult probe = probe_base64_image(text, /*allow_data_uri=*/true);
        if (!probe.info || probe.info->format == "gif") {
            send_lowpoly_error(res, call, "lowpoly_invalid_reference_image",
                               "Reference images must be base64 PNG, JPEG or WEBP images.");
            return false;
        }
        if (text.size() / 4 * 3 > kMaxReferenceBytes) {
            send_lowpoly_error(res, call, "lowpoly_reference_image_too_large",
                               "Each reference image may be at most 8 MB.");
            return false;
        }
    }
    return true;
}

std::optional<std::pair<std::string, json>> lowpoly_idempotency(const httplib::Request& req,
                                                                httplib::Response& res,
                                                                const Call& call,
                                                                const json& body) {
    // Idempotency-Key header, else the body's custom_id; scoped to Low-Poly and the token.
    const bool keyed = req.has_header("Idempotency-Key");
    const std::string header = req.get_header_value("Idempotency-Key");
    if (keyed && !valid_idempotency_key(header)) {
        send_lowpoly_error(res, call, "invalid_idempotency_key",
                           "Idempotency-Key must be 1-256 visible ASCII characters.");
        return std::nullopt;
    }
    const auto custom_id = get_string(body, "custom_id");
    std::string scoped;
    if (keyed)
        scoped = "lowpoly Idempotency-Key\n" + header;
    else if (custom_id && !custom_id->empty())
        scoped = "lowpoly custom_id\n" + *custom_id;
    // The call's path without its API version: a retry on the other version is the same call.
    return std::pair<std::string, json>{scoped, {{"path", req.path.substr(3)}, {"body", body}}};
}

bool answer_lowpoly_retry(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                          const Call& call, const json& body) {
    const auto idem = lowpoly_idempotency(req, res, call, body);
    if (!idem) return true;  // the 400 was sent
    if (idem->first.empty()) return false;
    const auto earlier = ctx.state.idempotent_answer(call.key, idem->first, idem->second);
    if (!earlier) return false;
    if (earlier->outcome == Admission::Outcome::Conflict) {
        send_lowpoly_error(res, call, "idempotency_conflict",
                           "This idempotency key was already used with a different request.");
        return true;
    }
    call.activity->skip = true;  // the original call's entry stands; nothing new ran
    res.set_header("X-RD-Request-ID", earlier->answer.value("request_id", ""));
    send_json(res, 202, earlier->answer);
    return true;
}

void admit_lowpoly_job(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                       const Call& call, LowPolyJobRequest job) {
    const auto idem = lowpoly_idempotency(req, res, call, job.body);
    if (!idem) return;
    const auto& [scoped, fingerprint] = *idem;
    const std::string version = req.path.substr(1, 2);
    const std::string task_id = call.request_id;
    const json answer = {{"status", "accepted"},
                         {"task_id", task_id},
                         {"request_id", task_id},
                         {"asset_id", job.plan.asset_id},
                         {"operation", job.operation},
                         {"cost", micros_to_usd(job.cost)},
                         {"size", job.size},
                         {"size_source", job.size_source},
                         {"message", "Low-Poly job accepted. Poll GET /" + version +
                                         "/lowpoly/tasks/{task_id} for status."}};

    Task task;
    task.id = task_id;
    task.key = call.key;
    task.path = "lowpoly." + job.operation + " " + req.path;
    task.operation = "lowpoly";
    task.duration_ms = ctx.state.config().async_duration_ms;
    task.will_fail = job.prompt.find("FAILME") != std::string::npos;
    task.failure_code = "lowpoly_" + job.operation + "_failed";
    task.cost = job.cost;
    if (job.plan.new_version)
        task.outputs.push_back({job.plan.new_version->render_id, "image/png"});
    if (job.plan.new_asset && !job.plan.new_asset->versions.empty())
        task.outputs.push_back({job.plan.new_asset->versions.front().render_id, "image/png"});
    for (const LowPolyAsset& piece : job.plan.pieces)
        task.outputs.push_back({piece.versions.front().render_id, "image/png"});

    call.activity->entry.request["asset_id"] = job.plan.asset_id;
    job.plan.job.task_id = task_id;
    const LowPolyAdmission admitted = ctx.state.admit_lowpoly(
        std::move(task), call.activity->entry, std::move(job.plan), scoped, fingerprint, answer);
    using Outcome = LowPolyAdmission::Outcome;
    switch (admitted.outcome) {
        case Outcome::Conflict:
            return send_lowpoly_error(res, call, "idempotency_conflict",
                                      "This idempotency key was already used with a different "
                                      "request.");
        case Outcome::NoBalance:
            return send_no_balance(ctx, res, call, job.cost);
        case Outcome::Busy:
            return send_lowpoly_error(res, call, "lowpoly_asset_busy",
                                      "This model already has a job running; wait for it.");
        case Outcome::TooManyJobs:
            send_lowpoly_error(res, call, "lowpoly_too_many_jobs",
                               "Too many Low-Poly jobs are running for this account; retry "
                               "later.");
            res.set_header("Retry-After", std::to_string(admitted.retry_after_s));
            return;
        case Outcome::Replayed:
        case Outcome::Admitted:
            call.activity->skip = true;  // admit_lowpoly stored the entry (or the original did)
            res.set_header("X-RD-Request-ID", admitted.answer.value("request_id", task_id));
            return send_json(res, 202, admitted.answer);
    }
}

}  // namespace rdsim
