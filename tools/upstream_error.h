#pragma once
// Every way a call to the RetroDiffusion API can fail, normalised into one value that carries
// what the agent needs to act: the HTTP status, the API's own code and message, Retry-After,
// and the API's request id (what its support asks for). API v2 and v1 answers read alike.
#include <optional>
#include <string>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

struct UpstreamError {
    enum class Kind {
        MissingKey,       // no API key for this caller: nothing was sent
        Connect,          // could not reach the API (DNS, refused, TLS handshake, certificate)
        Timeout,          // connected, but no answer within the read timeout
        Cancelled,        // the client cancelled while we waited
        Http,             // the API answered with a non-2xx status
        InvalidResponse,  // a 2xx answer we could not read (not JSON, missing fields)
    };

    Kind kind = Kind::Http;
    int status = 0;  // HTTP status for Kind::Http
    // The API's error code (v2 error.code, v1 detail.code); for an answer without one, the code
    // the API's v1-to-v2 mapping gives it (a known v1 message, else the status's default code).
    // Decisions branch on it, never on `message` (tools/error_catalog.h).
    std::string code;
    std::string message;                    // the API's words (key redacted), or ours
    std::string request_id;                 // error.request_id, else X-Request-ID / X-RD-Request-ID
    std::optional<protocol::Json> details;  // v2 error.details, when the API sent any
    std::optional<int> retry_after;         // seconds, from Retry-After
    std::string method, path;               // what we called, e.g. "POST /v1/inferences"

    static UpstreamError of(Kind kind, std::string message, int status = 0) {
        UpstreamError error;
        error.kind = kind;
        error.message = std::move(message);
        error.status = status;
        return error;
    }

    // One sentence for logs and as a base for tool errors:
    // "POST /v2/inferences: HTTP 402 (not_enough_balance): Not enough balance (request id: r1)".
    std::string summary() const;
};

// Reads the API's error body for `error.status` (set it first) into code, message, details and
// request_id: the v2 envelope {"error":{"code","message","request_id","details"?}} (validation
// issues read as "location: message"); v1's {"detail":{"code","message"}},
// {"detail":[{"msg","loc"}]} and {"detail":"text"}; anything else is shown as text, shortened.
// A request id in the body replaces one already taken from a response header.
void read_error_body(const std::string& body, UpstreamError& error);

// The response headers' request id: X-Request-ID (equal to the v2 body's error.request_id), else
// X-RD-Request-ID (the API Activity entry). Each argument is a header's value, "" when absent.
std::string request_id_from_headers(const std::string& x_request_id,
                                    const std::string& x_rd_request_id);

// Replaces every occurrence of `secret` in `text` (an API key echoed back by the API).
std::string redact(std::string text, const std::string& secret);

// The same in every string (and member name) of `value`.
protocol::Json redact_json(const protocol::Json& value, const std::string& secret);

// The answer to a call that did not come, or said to come back later (a broken connection, a
// timeout, 429, 502/503/504): what was sent may have been done. Asking again with the same
// idempotency key gets the original answer, never a second charge. 503
// idempotency_backend_unavailable is not one: the API could not check the key (the catalog marks
// it not retryable).
bool answer_lost(const UpstreamError& error);

}  // namespace rdmcp::tools

namespace rdmcp::tools {

// The API refused the call before doing it (a 4xx other than 408 and 429, or no key to send):
// nothing was charged, so what a spend limit reserved for it is free again. Anything else may have
// been paid.
bool charged_nothing(const UpstreamError& error);

}  // namespace rdmcp::tools
