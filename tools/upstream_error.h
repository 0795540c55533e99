#pragma once
// Every way a call to the RetroDiffusion API can fail, normalised into one value that carries
// what the agent needs to act: the HTTP status, the API's own code and message, Retry-After.
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
    int status = 0;                  // HTTP status for Kind::Http
    std::string code;                // the API's detail.code, when it gave one
    std::string message;             // the API's words (key redacted), or ours
    std::optional<int> retry_after;  // seconds, from Retry-After
    std::string method, path;        // what we called, e.g. "POST /v1/inferences"

    static UpstreamError of(Kind kind, std::string message, int status = 0) {
        UpstreamError error;
        error.kind = kind;
        error.message = std::move(message);
        error.status = status;
        return error;
    }

    // One sentence for logs and as a base for tool errors: "POST /v1/inferences: HTTP 422: ...".
    std::string summary() const;
};

// Reads the API's error body: {"detail":{"code","message"}}, {"detail":[{"msg","loc"}]},
// {"detail":"text"}, or anything else (shown as text, shortened).
void read_error_body(const std::string& body, UpstreamError& error);

// Replaces every occurrence of `secret` in `text` (an API key echoed back by the API).
std::string redact(std::string text, const std::string& secret);

}  // namespace rdmcp::tools
