#include "server/http/request_body.h"

#include <algorithm>

namespace rdmcp::server {

namespace {

// A chunked body (its size unknown until its end) reserves room in steps of this.
constexpr std::size_t kBodyGrowth = 1u << 20;

Rejection too_large(const HttpOptions& options) {
    return invalid_request(413,
                           "the request body exceeds the " +
                               std::to_string(options.max_body_bytes) +
                               "-byte limit (--max-body-bytes); send smaller images",
                           "body too large");
}

Rejection no_room() {
    return unavailable(
        "the server is receiving too many large requests at once (--max-inflight-body-bytes); "
        "retry in a moment",
        "body budget full", 2);
}

}  // namespace

bool has_body(const httplib::Request& request) {
    return request.has_header("Transfer-Encoding") ||
           request.get_header_value<uint64_t>("Content-Length") > 0;
}

std::variant<RequestBody, Rejection> read_request_body(const httplib::Request& request,
                                                       const httplib::ContentReader& reader,
                                                       const HttpOptions& options,
                                                       BodyBudget& budget) {
    const auto declared = request.get_header_value<uint64_t>("Content-Length");
    const bool chunked = request.has_header("Transfer-Encoding");
    if (declared > options.max_body_bytes) return too_large(options);
    // Room for the whole body at once when its size is declared: growing by doubling would hold
    // two copies of a large body (images) at the last step, and up to twice its size after.
    RequestBody body;
    body.hold = budget.reserve(chunked ? std::min(kBodyGrowth, options.max_body_bytes)
                                       : static_cast<std::size_t>(declared));
    if (!BodyBudget::valid(body.hold)) return no_room();
    body.text.reserve(static_cast<std::size_t>(declared));

    bool over_limit = false, out_of_room = false;
    const bool read = reader([&](const char* data, std::size_t size) {
        if (body.text.size() + size > options.max_body_bytes) return !(over_limit = true);
        if (body.text.size() + size > body.hold.bytes() &&
            !body.hold.grow(std::max(size, kBodyGrowth))) {
            return !(out_of_room = true);
        }
        body.text.append(data, size);
        return true;
    });
    if (over_limit) return too_large(options);
    if (out_of_room) return no_room();
    if (!read) {
        return invalid_request(400,
                               "the request body could not be read: it stopped arriving, or took "
                               "longer than " +
                                   std::to_string(options.body_timeout.count()) +
                                   " s (--body-timeout)",
                               "unreadable body");
    }
    return body;
}

std::optional<Rejection> refusal_for_unexpected_body(const httplib::Request& request,
                                                     const std::string& mcp_path) {
    if (!has_body(request) || (request.method == "POST" && request.path == mcp_path)) {
        return std::nullopt;
    }
    if (request.path != mcp_path) {
        return Rejection{404, {-32000, "Not Found: the MCP endpoint is " + mcp_path, {}}, ""};
    }
    if (request.method == "PUT" || request.method == "PATCH") {
        return Rejection{405, {-32000, "Method not allowed", {}}, ""};
    }
    return Rejection{
        400, {-32000, "Bad Request: " + request.method + " takes no request body", {}}, ""};
}

}  // namespace rdmcp::server
