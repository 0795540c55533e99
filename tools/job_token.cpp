#include "tools/job_token.h"

#include <cctype>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "tools/signed_token.h"

namespace rdmcp::tools {

namespace {

using Json = nlohmann::json;
constexpr std::string_view kPrefix = "rdjob1.";

// The MAC key: a hash of the caller's key and the server secret, never the key itself.
std::string mac_key(const std::string& api_key, const std::string& server_secret) {
    return sha256(server_secret + '\0' + api_key);
}

// Reads payload[name] into `out` when present; false when it has another type, or a number
// `out` cannot hold.
template <typename T>
bool read_field(const Json& payload, const char* name, T& out) {
    auto it = payload.find(name);
    if (it == payload.end()) return true;
    if constexpr (std::is_same_v<T, bool>) {
        if (!it->is_boolean()) return false;
    } else if constexpr (std::is_integral_v<T>) {
        if (!it->is_number_integer()) return false;
        if (it->is_number_unsigned()
                ? it->get<std::uint64_t>() > std::uint64_t(std::numeric_limits<T>::max())
                : it->get<std::int64_t>() < std::int64_t(std::numeric_limits<T>::min()) ||
                      it->get<std::int64_t>() > std::int64_t(std::numeric_limits<T>::max())) {
            return false;
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!it->is_number()) return false;
    } else {
        if (!it->is_string()) return false;
    }
    out = it->get<T>();
    return true;
}

}  // namespace

std::string sign_job(const JobDescription& job, const std::string& api_key,
                     const std::string& server_secret) {
    Json payload = {{"u", job.upstream_task_id}, {"s", job.prompt_style}, {"w", job.width},
                    {"h", job.height},           {"n", job.num_images},   {"t", job.created_at_ms}};
    if (job.has_pre_palette) payload["pp"] = true;
    if (job.has_non_bg_removed) payload["nb"] = true;
    if (job.estimated_cost >= 0) payload["c"] = job.estimated_cost;
    if (!job.idempotency_key.empty()) payload["k"] = job.idempotency_key;
    return sign_token(kPrefix, payload.dump(), mac_key(api_key, server_secret));
}

bool is_upstream_task_id(const std::string& id) {
    if (id.empty() || id.size() > 100) return false;
    for (unsigned char c : id) {
        if (!std::isalnum(c) && c != '-' && c != '_') return false;
    }
    return true;
}

std::optional<JobDescription> verify_job(const std::string& job_id, const std::string& api_key,
                                         const std::string& server_secret) {
    auto payload_text = open_token(job_id, kPrefix, mac_key(api_key, server_secret));
    if (!payload_text) return std::nullopt;
    Json payload = Json::parse(*payload_text, nullptr, false);
    if (!payload.is_object() || !payload.contains("u") || !payload["u"].is_string())
        return std::nullopt;
    // Without a server secret whoever holds the key can sign any payload, so a field of another
    // type or out of range means the id is not one we made.
    JobDescription job;
    job.upstream_task_id = payload["u"].get<std::string>();
    const bool well_formed =
        read_field(payload, "s", job.prompt_style) && read_field(payload, "w", job.width) &&
        read_field(payload, "h", job.height) && read_field(payload, "n", job.num_images) &&
        read_field(payload, "t", job.created_at_ms) &&
        read_field(payload, "pp", job.has_pre_palette) &&
        read_field(payload, "nb", job.has_non_bg_removed) &&
        read_field(payload, "c", job.estimated_cost) &&
        read_field(payload, "k", job.idempotency_key);
    if (!well_formed || !is_upstream_task_id(job.upstream_task_id)) return std::nullopt;
    return job;
}

}  // namespace rdmcp::tools
