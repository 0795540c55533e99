#pragma once
// A job id the server can hand out and later trust without remembering it: what is needed to
// find the upstream task again (its id, and how to label its images), authenticated with an
// HMAC keyed by the caller's API key (and an optional server secret shared by all replicas).
// So any replica can answer for it, a client cannot forge or alter it, and the same id
// presented with another key is refused.
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::tools {

struct JobDescription {
    std::string upstream_task_id;
    std::string prompt_style;
    int width = 0, height = 0, num_images = 1;
    bool has_pre_palette = false;
    bool has_non_bg_removed = false;
    long long created_at_ms = 0;  // Unix time
    double estimated_cost = -1;   // USD, or negative when unknown
    // v2: the Idempotency-Key the submission was sent with (every attempt of it), for support
    // and for whoever must prove that one charge is all it made.
    std::string idempotency_key;
};

// "rdjob1.<payload>.<mac>", base64url without padding: safe in URLs and JSON.
std::string sign_job(const JobDescription& job, const std::string& api_key,
                     const std::string& server_secret);

// Whether `id` has the shape of an id sign_job makes (not whether it verifies).
inline bool is_signed_job_id(std::string_view id) { return id.rfind("rdjob1.", 0) == 0; }

// Whether `id` is made only of what the API's task ids are made of (letters, digits, '-', '_';
// at most 100 characters). It goes into the upstream URL path, so nothing else may.
bool is_upstream_task_id(const std::string& id);

// The job, or nothing when the id was altered, forged, or signed for another key, or names an
// upstream task id outside that alphabet (without --job-secret the caller's own key signs, so
// the signature alone does not make the payload ours).
std::optional<JobDescription> verify_job(const std::string& job_id, const std::string& api_key,
                                         const std::string& server_secret);

}  // namespace rdmcp::tools
