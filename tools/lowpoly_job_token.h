#pragma once
// A Low-Poly job id the server hands out and later trusts without remembering it, as
// tools/job_token.h does for generations: the upstream task and model ids and the operation,
// authenticated with an HMAC keyed by the caller's API key (and the optional server secret), so
// any replica can answer for it and the same id presented with another key is refused.
#include <optional>
#include <string>

namespace rdmcp::tools {

struct LowPolyJob {
    std::string task_id;    // GET /lowpoly/tasks/{task_id}
    std::string asset_id;   // the model the job works on (or makes)
    std::string operation;  // generate, revise, animate, split, rerig
    double cost = -1;       // USD the API said it charged; negative when unknown
    long long created_at_ms = 0;
    std::string idempotency_key;  // every attempt of the admission carried it
};

// "rdlp1.<payload>.<mac>", base64url without padding.
std::string sign_lowpoly_job(const LowPolyJob& job, const std::string& api_key,
                             const std::string& server_secret);

// The job, or nothing when the id was altered, forged, signed for another key, or names ids
// outside the API's alphabet (they go into URL paths).
std::optional<LowPolyJob> verify_lowpoly_job(const std::string& job_id, const std::string& api_key,
                                             const std::string& server_secret);

}  // namespace rdmcp::tools
