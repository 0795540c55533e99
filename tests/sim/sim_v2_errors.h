#pragma once
// API v2's canonical errors: {"error": {"code", "message", "request_id", "details"?}} with an
// X-Request-ID header equal to error.request_id. Codes, statuses and default messages are
// those of contracts/v2/error-codes.json (the subset the simulator emits).
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace rdsim {

// The catalog's status for a code, or nullopt for a code it does not list.
std::optional<int> v2_status(const std::string& code);

// Sends the envelope with the catalog's status and message (unless `message` is given).
void send_v2_error(httplib::Response& res, const std::string& request_id, const std::string& code,
                   std::optional<std::string> message = std::nullopt,
                   const nlohmann::json& details = nullptr);

// The envelope for a bare status: the generic code of v1-to-v2-error-mapping.json.
nlohmann::json v2_status_error(int status, const std::string& request_id);

// Rewrites an error answer in one of v1's shapes ({"detail": "..."}, {"detail": [issues]},
// {"detail": {"code", "message"}}) into the envelope, as v2 does for the surface it keeps
// from v1: registered codes stay (with the catalog's status), others take the status's
// generic code; pydantic issues become details.issues. Also sets X-Request-ID.
void to_v2_envelope(httplib::Response& res, const std::string& request_id);

}  // namespace rdsim
