#include "tools/agent_errors.h"

#include <string>

#include "tools/error_catalog.h"

namespace rdmcp::tools {

namespace {

// The Low-Poly 3D codes (shared/upstream/retrodiffusion-v2-reference.md, sections 8 and 10):
// what the agent should do next. "" for any other code.
std::string lowpoly_advice(const UpstreamError& error) {
    const std::string& code = error.code;
    if (code.rfind("lowpoly_", 0) != 0) return "";
    if (code == "lowpoly_asset_busy") {
        return "The model is busy with another job (one job per model at a time). Wait for that "
               "job to finish (get_lowpoly_model shows its active_task_id; poll it with "
               "get_lowpoly_job), then call again. Nothing was charged.";
    }
    if (code == "lowpoly_too_many_jobs") {
        return "The account runs as many Low-Poly jobs as it may at once. Wait " +
               (error.retry_after ? std::to_string(*error.retry_after) + " seconds (Retry-After)"
                                  : std::string("for one of them to finish")) +
               ", then call again. Nothing was charged.";
    }
    if (code == "lowpoly_not_rigged") {
        return "The model has no rig yet: animate it first (start_lowpoly_animate rigs it for "
               "free), then re-rig. Nothing was charged.";
    }
    if (code == "lowpoly_asset_not_ready") {
        return "The model is not ready yet: wait for its job to succeed (get_lowpoly_job), then "
               "call again. Nothing was charged.";
    }
    if (code == "lowpoly_prompt_required") {
        return "Pass a 'prompt' (at most 250 characters) or 'reference_images'. Nothing was "
               "charged.";
    }
    if (code == "lowpoly_asset_required")
        return "Pass the model's 'asset_id'. Nothing was charged.";
    if (code == "lowpoly_asset_not_found") {
        return "No such model for this key: list_lowpoly_models lists yours.";
    }
    if (code == "lowpoly_task_not_found") {
        return "No such Low-Poly job for this key: start_lowpoly_* answers with the job's id.";
    }
    if (code == "lowpoly_version_not_found") {
        return "The model has no such version: get_lowpoly_model lists its versions.";
    }
    if (code == "lowpoly_animation_not_found") {
        return "That version has no animation of this name: get_lowpoly_model lists each "
               "version's animations.";
    }
    if (code == "lowpoly_invalid_style" || code == "lowpoly_style_not_supported") {
        return "Use one of the Low-Poly styles get_lowpoly_pricing lists (rd_lowpoly__detailed, "
               "rd_lowpoly__blocky, rd_lowpoly__detailed_lite, rd_lowpoly__blocky_lite). Nothing "
               "was charged.";
    }
    if (code == "lowpoly_invalid_export_target") {
        return "Use one of the export targets get_lowpoly_pricing lists.";
    }
    if (code == "lowpoly_invalid_reference_image" || code == "lowpoly_reference_image_too_large") {
        return "Send each reference image as a PNG, JPEG or WEBP of at most 8 MB. Nothing was "
               "charged.";
    }
    if (code == "lowpoly_invalid_palette") {
        return "Send the palette as a PNG of at most 256 colors. Nothing was charged.";
    }
    if (code == "lowpoly_recolor_input_required") {
        return "palette_converter needs 'palette_image' and color_style_transfer needs "
               "'reference_image'. Nothing was charged.";
    }
    if (code == "lowpoly_timeout" || code == "lowpoly_unavailable") {
        return "The Low-Poly service is slow or unavailable just now; failed jobs are refunded. "
               "Try again in a minute" +
               (error.retry_after ? " (Retry-After: " + std::to_string(*error.retry_after) + " s)"
                                  : std::string()) +
               ".";
    }
    return "";
}

// Decided by the API's code (v1 answers get theirs from the API's own v1-to-v2 mapping, see
// read_error_body), then by the status: never by the message's wording.
std::string advice_for_http(const UpstreamError& error) {
    const int status = error.status;
    const std::string& code = error.code;
    if (auto lowpoly = lowpoly_advice(error); !lowpoly.empty()) return lowpoly;
    if (is_balance_code(code)) {
        return "The account's balance is too low for this request. Check it with get_balance, "
               "top it up at https://www.retrodiffusion.ai/app/payment-methods, or ask for fewer "
               "or smaller images. Nothing was charged.";
    }
    if (code == "payment_debt_outstanding") {
        return "The account has an unpaid debt, so the API refuses paid requests until it is "
               "settled at https://www.retrodiffusion.ai/app/payment-methods. Nothing was charged.";
    }
    if (status == 401 || code == "invalid_token" || code == "invalid_authentication") {
        return "The RetroDiffusion API rejected the API key. Check that the key is complete and "
               "still active (keys start with \"rdpk-\"; create one at "
               "https://www.retrodiffusion.ai/app/devtools), then set it again: RD_API_KEY for a "
               "local server, or the header `Authorization: Bearer <key>` for a hosted one.";
    }
    if (status == 403) {
        return "The API key was refused for this operation (it may be invalid, revoked, or lack "
               "access). Check the key at https://www.retrodiffusion.ai/app/devtools.";
    }
    if (status == 400 || status == 422) {
        return "The API rejected the request's fields. Correct what the message names and call "
               "again; nothing was charged.";
    }
    if (status == 404) return "The API does not know this item, or it belongs to another key.";
    if (status == 409) return "The request conflicts with the item's current state.";
    if (status == 410) return "The API has retired this endpoint.";
    if (status == 413) return "The request is too large: send smaller or fewer images.";
    if (status == 429) {
        return error.retry_after ? "Rate limited: wait " + std::to_string(*error.retry_after) +
                                       " seconds before calling again."
                                 : std::string("Rate limited: wait a little before calling again.");
    }
    if (status >= 500) {
        auto entry = catalog_entry(code);
        if (entry && !entry->retryable) {
            return std::string(
                       "The RetroDiffusion API failed, and says that sending the same "
                       "request again will not help now. Charges for failed generations "
                       "are refunded; if it persists, contact RetroDiffusion support") +
                   (error.request_id.empty() ? "." : " with the request id.");
        }
        return "The RetroDiffusion API had a temporary failure. It is safe to retry in a few "
               "seconds; charges for failed generations are refunded.";
    }
    return "The API refused the request.";
}

std::string advice_for(const UpstreamError& error) {
    switch (error.kind) {
        case UpstreamError::Kind::MissingKey:
            return "No RetroDiffusion API key was provided. For a local (stdio) server, set the "
                   "environment variable RD_API_KEY where the server is launched; for a hosted "
                   "(HTTP) server, send the header `Authorization: Bearer <your key>`. Create a "
                   "key at https://www.retrodiffusion.ai/app/devtools. A client that can do "
                   "neither may "
                   "pass the key to the authenticate tool (over stdio, or in a 2025-era HTTP "
                   "session), though it then passes through the conversation. "
                   "list_available_styles works without a key.";
        case UpstreamError::Kind::Connect:
            return "The RetroDiffusion API could not be reached. Check the network, or the "
                   "--upstream-url / RD_API_BASE_URL setting, and retry.";
        case UpstreamError::Kind::Timeout:
            return "The RetroDiffusion API did not answer in time. A generation may still finish "
                   "and be charged: check get_balance before retrying.";
        case UpstreamError::Kind::Cancelled:
            return "The call was cancelled.";
        case UpstreamError::Kind::InvalidResponse:
            return "The RetroDiffusion API answered with something this server could not read. "
                   "Retrying may help; if it persists, the API may have changed.";
        case UpstreamError::Kind::Http:
            return advice_for_http(error);
    }
    return "";
}

}  // namespace

std::string as_sentence(std::string text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    if (!text.empty() && text.back() != '.' && text.back() != '?' && text.back() != '!')
        text += '.';
    return text;
}

protocol::ToolResult tool_error_for(const UpstreamError& error, std::string_view action) {
    std::string text =
        as_sentence(std::string(action) + " failed: " + error.summary()) + " " + advice_for(error);
    return protocol::ToolResult::error(std::move(text));
}

protocol::ToolResult rejected_before_sending(std::string problem) {
    return protocol::ToolResult::error(as_sentence(std::move(problem)) + " Nothing was charged.");
}

}  // namespace rdmcp::tools
