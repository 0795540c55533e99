#include "server/http/replies.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"
#include "server/http/sse.h"

namespace rdmcp::server {

using protocol::Json;

namespace {

// "type/subtype" of a media range, without parameters, lower case.
std::string essence(std::string_view media) {
    auto semicolon = media.find(';');
    return lower(trim(media.substr(0, semicolon)));
}

bool zero_quality(std::string_view media) {
    auto q = lower(media).find("q=");
    if (q == std::string::npos) return false;
    const std::string value(trim(media.substr(q + 2)));
    return !value.empty() &&
           std::all_of(value.begin(), value.end(), [](char c) { return c == '0' || c == '.'; });
}

}  // namespace

void reply_json(httplib::Response& response, int status, std::string body) {
    response.status = status;
    // What Response::set_content does, with the body moved in (cpp-httplib 0.11 copies it).
    response.body = std::move(body);
    response.headers.erase("Content-Type");
    response.set_header("Content-Type", kJsonContentType);
}

void reply_error(httplib::Response& response, int status, const Json& id,
                 const protocol::RpcError& error) {
    reply_json(response, status, protocol::encode_error(id, error));
}

void reply_empty(httplib::Response& response, int status) {
    response.status = status;
    response.body.clear();
}

void reply_unavailable(httplib::Response& response, const Json& id, std::string message,
                       int retry_after_seconds) {
    response.set_header("Retry-After", std::to_string(retry_after_seconds));
    reply_error(response, 503, id, {-32000, std::move(message), {}});
}

Accepts parse_accept(std::optional<std::string_view> header) {
    if (!header || trim(*header).empty()) return {true, false};
    Accepts accepts;
    std::string_view rest = *header;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        const auto media = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (zero_quality(media)) continue;
        const auto type = essence(media);
        if (type == "application/json" || type == "application/*" || type == "*/*")
            accepts.json = true;
        if (type == "text/event-stream" || type == "text/*" || type == "*/*") accepts.sse = true;
    }
    return accepts;
}

bool is_json_content_type(std::optional<std::string_view> header) {
    if (!header || trim(*header).empty()) return true;
    return essence(*header) == "application/json";
}

int status_for_engine_error(const protocol::RpcError& error) {
    if (error.code == protocol::error_code::kMethodNotFound) return 404;
    if (error.code == protocol::error_code::kMissingRequiredClientCapability) return 400;
    return 200;
}

int status_for_prepare_error(const protocol::RpcError& error) {
    // A method 2026-07-28 removed is an unknown method there: 404, as the transport spec says.
    return error.code == protocol::error_code::kMethodNotFound ? 404 : 400;
}

std::string_view outcome_name(const protocol::Outcome& outcome) {
    if (std::holds_alternative<protocol::RpcError>(outcome)) return "error";
    return protocol::is_tool_error(outcome) ? "tool_error" : "ok";
}

std::optional<std::string> header_value(const httplib::Request& request, const char* name) {
    // One lookup: each compares names case-insensitively, character by character.
    const auto it = request.headers.find(name);
    if (it == request.headers.end()) return std::nullopt;
    return std::string(trim(it->second));
}

}  // namespace rdmcp::server
