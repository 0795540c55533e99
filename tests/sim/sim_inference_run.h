#pragma once
// What POST /v1/inferences and POST /v2/inferences share: the style lookup, the InferenceRun
// body, the task they hand to State, and the FAILME rule.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sim_inference_request.h"
#include "sim_routes.h"
#include "sim_styles.h"

namespace rdsim {

// A prompt containing this fails the inference (and refunds it).
inline constexpr const char* kFailWord = "FAILME";

// created_at as configured: Unix seconds or an ISO 8601 string.
nlohmann::json created_at(const SimConfig& config, std::int64_t unix_seconds);

struct ResolvedStyle {
    std::optional<StyleSpec> spec;
    int status = 0;  // when no spec: 400 unknown public style, 404 unknown user style
    std::string message;
};
ResolvedStyle resolve_style(Ctx& ctx, const std::string& key, const std::string& prompt_style);

// Sends the error for an unresolved style; v1's detail shape (public_route makes it v2's).
void send_style_error(httplib::Response& res, const ResolvedStyle& resolved);

// The InferenceRun of a finished inference. v1 sends every field of the response model (unset
// ones as null); v2 omits nulls and adds request_id, credit_cost, type and output expiry.
nlohmann::json inference_run(Ctx& ctx, const Call& call, Micros cost, Micros remaining,
                             const InferenceRequest& req, const StyleSpec& style,
                             nlohmann::json outputs);

// The check_cost answer (immediate, free).
nlohmann::json cost_check_body(Ctx& ctx, const Call& call, Micros cost);

// A task for an admitted inference: outputs rendered now, shown once it succeeds.
Task inference_task(Ctx& ctx, const Call& call, const httplib::Request& http,
                    const InferenceRequest& req, const StyleSpec& style, Micros cost);

}  // namespace rdsim
