#pragma once
// Reading the body of a POST to the MCP endpoint, once its request was admitted from the
// headers: within --max-body-bytes (a declared size over it is refused before a byte is read),
// within --max-inflight-body-bytes over every connection (room is reserved before reading: the
// declared size at once, a chunked body as it grows), and within --body-timeout (enforced by the
// connection's stream, see connection_stream.h). The body is read only here: anything else that
// carries one is answered from its headers (refusal_for_unexpected_body).
#include <httplib.h>

#include <optional>
#include <string>
#include <variant>

#include "server/http/body_budget.h"
#include "server/http/options.h"
#include "server/http/rejection.h"

namespace rdmcp::server {

struct RequestBody {
    std::string text;
    BodyBudget::Hold hold;  // the room it takes until it is decoded
};

// The body, or why it was not read (413, 503 + Retry-After, 400).
std::variant<RequestBody, Rejection> read_request_body(const httplib::Request& request,
                                                       const httplib::ContentReader& reader,
                                                       const HttpOptions& options,
                                                       BodyBudget& budget);

// Whether the request announces a body (Content-Length above 0, or Transfer-Encoding).
bool has_body(const httplib::Request& request);

// For a request with a body anywhere but a POST to the MCP endpoint: the answer to give from
// its headers (404 elsewhere, 405 for PUT/PATCH, 400 for GET/DELETE/OPTIONS). cpp-httplib would
// otherwise read that body, up to --max-body-bytes, before any handler runs.
std::optional<Rejection> refusal_for_unexpected_body(const httplib::Request& request,
                                                     const std::string& mcp_path);

}  // namespace rdmcp::server
