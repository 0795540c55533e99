#include "tools/agent_errors.h"

#include <string>

#include "tools/error_catalog.h"

namespace rdmcp::tools {

namespace {

// Decided by the API's code (v1 answers get theirs from the API's own v1-to-v2 mapping, see
// read_error_body), then by the status: never by the message's wording.
std::string advice_for_http(const UpstreamError& error) {
    const int status = error.status;
    const std::string& code = error.code;
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
