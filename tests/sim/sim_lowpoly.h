#pragma once
// What the Low-Poly 3D routes share (v2 reference section 8): request checks, the JSON views of
// models and jobs, and job admission. Routes live under /v1/lowpoly and /v2/lowpoly; both
// answer errors in the v2 envelope.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "sim_lowpoly_catalog.h"
#include "sim_routes.h"

namespace rdsim {

// Renders and stores a version's hosted files (render, turntable, scene).
LowPolyVersion make_lowpoly_version(Ctx& ctx, const std::string& kind, const std::string& prompt,
                                    int size, const std::vector<std::string>& animations,
                                    bool rigged);

// LowPolyAssetRead, LowPolyVersionRead, LowPolyTaskRead (null fields omitted).
nlohmann::json lowpoly_asset_json(Ctx& ctx, const LowPolyAssetSnapshot& snap);
nlohmann::json lowpoly_version_json(Ctx& ctx, const LowPolyVersion& version);
nlohmann::json lowpoly_task_json(Ctx& ctx, const Call& call, const LowPolyJobSnapshot& snap);
std::string lowpoly_iso(std::int64_t ms);

// The version a call names (nullopt: the newest), or nullptr if the model has no such version.
const LowPolyVersion* find_lowpoly_version(const LowPolyAssetSnapshot& snap,
                                           std::optional<std::int64_t> number);

// Field checks shared by the inputs: each adds pydantic issues for a 422.
void check_lowpoly_prompt(const nlohmann::json& body, nlohmann::json& issues);
void check_lowpoly_common(const nlohmann::json& body, nlohmann::json& issues);  // version, mode,
                                                                                // custom_id
void forbid_unknown_fields(const nlohmann::json& body, const std::vector<std::string>& known,
                           nlohmann::json& issues);

// Checks reference images (base64 PNG/JPEG/WEBP, at most 8 MB each); sends the 400 and returns
// false when one is bad.
bool check_reference_images(const nlohmann::json& images, httplib::Response& res, const Call& call);

// What a job admission needs besides its plan.
struct LowPolyJobRequest {
    std::string operation;  // generate, revise, animate, split, rerig
    nlohmann::json body;
    Micros cost = 0;
    int size = 32;
    std::string size_source;
    std::string prompt;  // FAILME fails the job
    LowPolyPlan plan;
};

// The scoped idempotency key ("" without one) and the fingerprint its first use is compared
// with; nullopt after sending 400 invalid_idempotency_key.
std::optional<std::pair<std::string, nlohmann::json>> lowpoly_idempotency(
    const httplib::Request& req, httplib::Response& res, const Call& call,
    const nlohmann::json& body);

// A retry of an admitted job answers before any check of the model's state (its own job
// makes it busy): true when it (or its 409/400) was sent.
bool answer_lowpoly_retry(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                          const Call& call, const nlohmann::json& body);

// Admits a job (Idempotency-Key header or body custom_id, concurrency, balance) and answers
// 202 LowPolyTaskAccepted, or the error.
void admit_lowpoly_job(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                       const Call& call, LowPolyJobRequest job);

void send_lowpoly_error(httplib::Response& res, const Call& call, const std::string& code,
                        const std::string& message);

}  // namespace rdsim
