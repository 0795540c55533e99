#include "tools/lowpoly_job_token.h"

#include <nlohmann/json.hpp>

#include "tools/job_token.h"
#include "tools/signed_token.h"

namespace rdmcp::tools {

namespace {

using Json = nlohmann::json;
constexpr std::string_view kPrefix = "rdlp1.";

// Not the generation ids' key: an rdjob1 payload can never pass for a Low-Poly one.
std::string mac_key(const std::string& api_key, const std::string& server_secret) {
    return sha256(std::string("lowpoly") + '\0' + server_secret + '\0' + api_key);
}

bool is_operation(const std::string& name) {
    return name == "generate" || name == "revise" || name == "animate" || name == "split" ||
           name == "rerig";
}

}  // namespace

std::string sign_lowpoly_job(const LowPolyJob& job, const std::string& api_key,
                             const std::string& server_secret) {
    Json payload = {
        {"u", job.task_id}, {"a", job.asset_id}, {"o", job.operation}, {"t", job.created_at_ms}};
    if (job.cost >= 0) payload["c"] = job.cost;
    if (!job.idempotency_key.empty()) payload["k"] = job.idempotency_key;
    return sign_token(kPrefix, payload.dump(), mac_key(api_key, server_secret));
}

std::optional<LowPolyJob> verify_lowpoly_job(const std::string& job_id, const std::string& api_key,
                                             const std::string& server_secret) {
    auto text = open_token(job_id, kPrefix, mac_key(api_key, server_secret));
    if (!text) return std::nullopt;
    const Json payload = Json::parse(*text, nullptr, false);
    if (!payload.is_object()) return std::nullopt;
    auto string_at = [&](const char* name) -> const Json* {
        auto it = payload.find(name);
        return it != payload.end() && it->is_string() ? &*it : nullptr;
    };
    const Json* task = string_at("u");
    const Json* asset = string_at("a");
    const Json* operation = string_at("o");
    if (!task || !asset || !operation) return std::nullopt;
    LowPolyJob job;
    job.task_id = task->get<std::string>();
    job.asset_id = asset->get<std::string>();
    job.operation = operation->get<std::string>();
    if (auto it = payload.find("t"); it != payload.end()) {
        if (!it->is_number_integer()) return std::nullopt;
        job.created_at_ms = it->get<long long>();
    }
    if (auto it = payload.find("c"); it != payload.end()) {
        if (!it->is_number()) return std::nullopt;
        job.cost = it->get<double>();
    }
    if (const Json* key = string_at("k")) job.idempotency_key = key->get<std::string>();
    if (!is_upstream_task_id(job.task_id) || !is_upstream_task_id(job.asset_id) ||
        !is_operation(job.operation)) {
        return std::nullopt;
    }
    return job;
}

}  // namespace rdmcp::tools
