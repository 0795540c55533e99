#include "sim_v2_errors.h"

#include <map>
#include <utility>

#include "sim_http.h"

namespace rdsim {
namespace {

struct CatalogEntry {
    int status;
    const char* message;
};

// Copied from contracts/v2/error-codes.json (schema 2.0.0): only codes the simulator uses or
// that a v1 answer it translates can carry.
const std::map<std::string, CatalogEntry>& catalog() {
    static const std::map<std::string, CatalogEntry> entries = {
        {"animated_input_not_supported", {400, "Animated input not supported."}},
        {"api_activity_not_found", {404, "Api activity not found."}},
        {"bad_request", {400, "The request is invalid."}},
        {"conflict", {409, "The request conflicts with the current resource state."}},
        {"edit_failed", {500, "Edit failed."}},
        {"edit_task_not_found", {404, "The requested edit job does not exist."}},
        {"edit_tool_failed", {500, "Edit tool failed."}},
        {"forbidden", {403, "The authenticated caller is not allowed to perform this action."}},
        {"gone", {410, "The requested operation is no longer available."}},
        {"idempotency_async_required", {400, "Idempotency async required."}},
        {"image_too_large", {413, "Image too large."}},
        {"idempotency_conflict", {409, "Idempotency conflict."}},
        {"inference_failed", {502, "Inference failed."}},
        {"internal_error", {500, "An unexpected internal error occurred."}},
        {"invalid_color_count", {400, "Invalid color count."}},
        {"invalid_cursor", {400, "Invalid cursor."}},
        {"invalid_dither_mode", {400, "Invalid dither mode."}},
        {"invalid_expansion", {400, "Invalid expansion."}},
        {"invalid_idempotency_key", {400, "Invalid idempotency key."}},
        {"invalid_image", {400, "Invalid image."}},
        {"invalid_image_size", {400, "Invalid image size."}},
        {"invalid_repair_window", {400, "Invalid repair window."}},
        {"invalid_rotation", {400, "Invalid rotation."}},
        {"invalid_seam_width", {400, "Invalid seam width."}},
        {"invalid_pixel_fixer_image", {422, "Invalid pixel fixer image."}},
        {"invalid_token", {401, "Invalid or missing X-RD-Token header."}},
        {"lowpoly_animate_failed", {400, "Lowpoly animate failed."}},
        {"lowpoly_animation_not_found", {404, "Lowpoly animation not found."}},
        {"lowpoly_asset_busy", {409, "Lowpoly asset busy."}},
        {"lowpoly_asset_not_found", {404, "Lowpoly asset not found."}},
        {"lowpoly_asset_not_ready", {409, "Lowpoly asset not ready."}},
        {"lowpoly_export_failed", {400, "Lowpoly export failed."}},
        {"lowpoly_generate_failed", {400, "Lowpoly generate failed."}},
        {"lowpoly_invalid_export_target", {400, "Lowpoly invalid export target."}},
        {"lowpoly_invalid_palette", {400, "Lowpoly invalid palette."}},
        {"lowpoly_invalid_reference_image", {400, "Lowpoly invalid reference image."}},
        {"lowpoly_invalid_style", {400, "Lowpoly invalid style."}},
        {"lowpoly_not_rigged", {409, "Lowpoly not rigged."}},
        {"lowpoly_prompt_required", {400, "Lowpoly prompt required."}},
        {"lowpoly_recolor_input_required", {400, "Lowpoly recolor input required."}},
        {"lowpoly_reference_image_too_large", {400, "Lowpoly reference image too large."}},
        {"lowpoly_rerig_failed", {400, "Lowpoly rerig failed."}},
        {"lowpoly_revise_failed", {400, "Lowpoly revise failed."}},
        {"lowpoly_split_failed", {400, "Lowpoly split failed."}},
        {"lowpoly_task_not_found", {404, "Lowpoly task not found."}},
        {"lowpoly_too_many_jobs", {429, "Lowpoly too many jobs."}},
        {"lowpoly_version_not_found", {404, "Lowpoly version not found."}},
        {"method_not_allowed", {405, "Method not allowed."}},
        {"missing_dimensions", {400, "Missing dimensions."}},
        {"missing_expansion", {400, "Missing expansion."}},
        {"missing_mask", {400, "Missing mask."}},
        {"missing_palette", {400, "Missing palette."}},
        {"missing_prompt", {400, "Missing prompt."}},
        {"missing_reference_image", {400, "Missing reference image."}},
        {"missing_tile_direction", {400, "Missing tile direction."}},
        {"not_enough_balance", {402, "Not enough balance."}},
        {"not_found", {404, "Resource not found."}},
        {"palette_too_large", {400, "Palette too large."}},
        {"payload_too_large", {413, "The request or response payload is too large."}},
        {"pixel_fixer_failed", {500, "Pixel fixer failed."}},
        {"pixel_fixer_output_too_large", {413, "Pixel fixer output too large."}},
        {"pixel_fixer_rate_limit_exceeded", {429, "Pixel fixer rate limit exceeded."}},
        {"pixel_fixer_request_too_large", {413, "Pixel fixer request too large."}},
        {"rate_limited", {429, "Too many requests."}},
        {"request_timeout", {504, "The request timed out."}},
        {"service_unavailable", {503, "The service is temporarily unavailable."}},
        {"style_not_found", {404, "Prompt style not found."}},
        {"tool_not_found", {404, "Tool not found."}},
        {"upstream_failure", {502, "An upstream service failed."}},
        {"validation_error", {422, "The request could not be validated."}},
    };
    return entries;
}

// v1-to-v2-error-mapping.json, generic_status_mapping.
std::string generic_code(int status) {
    static const std::map<int, std::string> codes = {
        {400, "bad_request"},        {401, "invalid_token"},
        {402, "not_enough_balance"}, {403, "forbidden"},
        {404, "not_found"},          {405, "method_not_allowed"},
        {409, "conflict"},           {410, "gone"},
        {413, "payload_too_large"},  {422, "validation_error"},
        {429, "rate_limited"},       {500, "internal_error"},
        {502, "upstream_failure"},   {503, "service_unavailable"},
        {504, "request_timeout"},
    };
    const auto it = codes.find(status);
    if (it != codes.end()) return it->second;
    return status >= 500 ? "internal_error" : "bad_request";
}

std::string catalog_message(const std::string& code) {
    const auto it = catalog().find(code);
    return it == catalog().end() ? "Error." : it->second.message;
}

nlohmann::json envelope(const std::string& code, const std::string& message,
                        const std::string& request_id, const nlohmann::json& details) {
    nlohmann::json error = {{"code", code}, {"message", message}, {"request_id", request_id}};
    if (!details.is_null()) error["details"] = details;
    return {{"error", error}};
}

// pydantic {"loc", "msg", "type"} -> V2ValidationIssue {"location", "code", "message"}.
nlohmann::json v2_issues(const nlohmann::json& detail) {
    nlohmann::json issues = nlohmann::json::array();
    for (const auto& d : detail) {
        if (!d.is_object()) continue;
        issues.push_back({{"location", d.value("loc", nlohmann::json::array())},
                          {"code", d.value("type", std::string("value_error"))},
                          {"message", d.value("msg", std::string("Invalid input"))}});
    }
    return issues;
}

// (status, code, message, details) for a v1 error body.
std::pair<int, nlohmann::json> translate(int status, const nlohmann::json& body,
                                         const std::string& request_id) {
    const nlohmann::json detail =
        body.is_object() && body.contains("detail") ? body["detail"] : nlohmann::json();
    if (detail.is_object() && detail.contains("code") && detail["code"].is_string()) {
        std::string code = detail["code"].get<std::string>();
        const std::string message = detail.value("message", catalog_message(code));
        if (const auto registered = v2_status(code)) {
            return {*registered, envelope(code, message, request_id, nullptr)};
        }
        code = generic_code(status);
        return {status, envelope(code, message, request_id, nullptr)};
    }
    if (detail.is_array() && status == 422) {
        return {status, envelope("validation_error", catalog_message("validation_error"),
                                 request_id, {{"issues", v2_issues(detail)}})};
    }
    return {status, v2_status_error(status, request_id)};
}

}  // namespace

std::optional<int> v2_status(const std::string& code) {
    const auto it = catalog().find(code);
    if (it == catalog().end()) return std::nullopt;
    return it->second.status;
}

void send_v2_error(httplib::Response& res, const std::string& request_id, const std::string& code,
                   std::optional<std::string> message, const nlohmann::json& details) {
    send_json(res, v2_status(code).value_or(500),
              envelope(code, message.value_or(catalog_message(code)), request_id, details));
    res.set_header("X-Request-ID", request_id);
}

nlohmann::json v2_status_error(int status, const std::string& request_id) {
    const std::string code = generic_code(status);
    return envelope(code, catalog_message(code), request_id, nullptr);
}

void to_v2_envelope(httplib::Response& res, const std::string& request_id) {
    if (res.status < 400) return;
    const nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
    const bool already = body.is_object() && body.contains("error") && body["error"].is_object();
    if (!already) {
        const auto [status, translated] = translate(res.status, body, request_id);
        send_json(res, status, translated);
    }
    res.set_header("X-Request-ID", request_id);
}

}  // namespace rdsim
