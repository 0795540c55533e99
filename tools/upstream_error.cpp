#include "tools/upstream_error.h"

#include <cctype>
#include <string_view>

#include "tools/api_fields.h"
#include "tools/error_catalog.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr std::size_t kMaxQuotedBody = 300;
// A code or request id longer than this is not one: it is cut, so that a hostile answer cannot
// fill log lines and tool errors through them.
constexpr std::size_t kMaxIdentifier = 128;
// Details larger than this (as JSON text) are dropped rather than carried along.
constexpr std::size_t kMaxDetails = 4096;

std::string shorten(std::string text, std::size_t limit = kMaxQuotedBody) {
    if (text.size() > limit) text = text.substr(0, limit) + "...";
    return text;
}

// A validation problem's location (v1 "loc", v2 "location": ["body", "width"]) as "width".
std::string location_of(const Json& item, const char* name) {
    auto loc = item.find(name);
    if (loc == item.end() || !loc->is_array()) return "";
    std::string path;
    for (const auto& part : *loc) {
        if (part == "body") continue;
        std::string piece = part.is_string() ? part.get<std::string>() : part.dump();
        path += (path.empty() ? "" : ".") + piece;
    }
    return path;
}

// v1 [{"loc", "msg"}] and v2 details.issues [{"location", "code", "message"}] alike:
// "width: must be <= 512; height: ...".
std::string read_validation_list(const Json& items, const char* location, const char* text) {
    std::string joined;
    for (const auto& item : items) {
        if (!item.is_object()) continue;
        std::string msg = text_in(item, text).value_or("");
        std::string where = location_of(item, location);
        if (!joined.empty()) joined += "; ";
        joined += where.empty() ? msg : where + ": " + msg;
    }
    return joined;
}

// The v2 envelope's `error` (also the v2 form of a failed task's error).
void read_v2_error(const Json& body, UpstreamError& error) {
    error.code = shorten(text_in(body, "code").value_or(""), kMaxIdentifier);
    if (auto id = text_in(body, "request_id").value_or(""); !id.empty()) {
        error.request_id = shorten(std::move(id), kMaxIdentifier);
    }
    std::string message = text_in(body, "message").value_or("");
    auto details = body.find("details");
    if (details != body.end() && !details->is_null()) {
        if (details->dump(-1, ' ', false, Json::error_handler_t::replace).size() <= kMaxDetails) {
            error.details = *details;
        }
        auto issues = details->is_object() ? details->find("issues") : details->end();
        if (issues != details->end() && issues->is_array()) {
            // What to fix, by field, reads better than "The request could not be validated."
            if (auto listed = read_validation_list(*issues, "location", "message");
                !listed.empty()) {
                message = std::move(listed);
            }
        }
    }
    error.message = shorten(message.empty() ? body.dump() : message);
}

void read_v1_detail(const Json& detail, UpstreamError& error) {
    if (detail.is_object()) {
        error.code = shorten(text_in(detail, "code").value_or(""), kMaxIdentifier);
        error.message = shorten(text_in(detail, "message").value_or(detail.dump()));
    } else if (detail.is_array()) {
        error.message = shorten(read_validation_list(detail, "loc", "msg"));
    } else if (detail.is_string()) {
        error.message = shorten(detail.get<std::string>());
    } else {
        error.message = shorten(detail.dump());
    }
}

// The code for an answer that named none: the API's v1-to-v2 mapping gives a few v1 messages a
// code of their own (v1 had no other way to say them), and every other status its default.
std::string code_for_uncoded(int status, std::string_view message) {
    while (!message.empty() && message.back() == '.') message.remove_suffix(1);
    if (message == "Not enough balance") return "not_enough_balance";
    if (message == "Invalid or expired API token" || message == "User not found or inactive") {
        return "invalid_token";
    }
    return std::string(default_code_for_status(status));
}

}  // namespace

std::string UpstreamError::summary() const {
    std::string where = method.empty() ? std::string() : method + " " + path + ": ";
    switch (kind) {
        case Kind::MissingKey:
            return where + "no RetroDiffusion API key";
        case Kind::Connect:
            return where + "could not reach the RetroDiffusion API: " + message;
        case Kind::Timeout:
            return where + "the RetroDiffusion API did not answer in time: " + message;
        case Kind::Cancelled:
            return where + "cancelled";
        case Kind::Http: {
            std::string text = where + "HTTP " + std::to_string(status);
            if (!code.empty()) text += " (" + code + ")";
            if (!message.empty()) text += ": " + message;
            if (!request_id.empty()) {
                while (text.back() == '.') text.pop_back();  // "...balance (request id: r1)."
                text += " (request id: " + request_id + ")";
            }
            return text;
        }
        case Kind::InvalidResponse:
            return where + "unreadable answer from the API: " + message;
    }
    return where + message;
}

void read_error_body(const std::string& body, UpstreamError& error) {
    const Json parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        error.message = shorten(body);
    } else if (auto v2 = parsed.find("error"); v2 != parsed.end() && v2->is_object()) {
        read_v2_error(*v2, error);
    } else if (auto detail = parsed.find("detail"); detail != parsed.end()) {
        read_v1_detail(*detail, error);
    } else {
        error.message = shorten(
            text_in(parsed, "message").value_or(text_in(parsed, "error").value_or(parsed.dump())));
    }
    if (error.code.empty()) error.code = code_for_uncoded(error.status, error.message);
}

std::string request_id_from_headers(const std::string& x_request_id,
                                    const std::string& x_rd_request_id) {
    return shorten(x_request_id.empty() ? x_rd_request_id : x_request_id, kMaxIdentifier);
}

std::string redact(std::string text, const std::string& secret) {
    constexpr std::string_view kMask = "[redacted]";
    if (!secret.empty()) {
        for (auto pos = text.find(secret); pos != std::string::npos;
             pos = text.find(secret, pos + kMask.size())) {
            text.replace(pos, secret.size(), kMask);
        }
    }
    // Any RetroDiffusion key, not only this caller's: keys start with "rdpk-".
    for (auto pos = text.find("rdpk-"); pos != std::string::npos; pos = text.find("rdpk-", pos)) {
        auto end = pos + 5;
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                     text[end] == '-' || text[end] == '_')) {
            ++end;
        }
        text.replace(pos, end - pos, kMask);
    }
    return text;
}

Json redact_json(const Json& value, const std::string& secret) {
    if (value.is_string()) return redact(value.get<std::string>(), secret);
    if (value.is_array()) {
        Json copy = Json::array();
        for (const auto& item : value) copy.push_back(redact_json(item, secret));
        return copy;
    }
    if (value.is_object()) {
        Json copy = Json::object();
        for (const auto& [name, item] : value.items())
            copy[redact(name, secret)] = redact_json(item, secret);
        return copy;
    }
    return value;
}

bool answer_lost(const UpstreamError& error) {
    if (error.kind == UpstreamError::Kind::Connect || error.kind == UpstreamError::Kind::Timeout) {
        return true;
    }
    if (error.kind != UpstreamError::Kind::Http ||
        error.code == "idempotency_backend_unavailable") {
        return false;
    }
    return error.status == 429 || error.status == 502 || error.status == 503 || error.status == 504;
}

}  // namespace rdmcp::tools

namespace rdmcp::tools {

bool charged_nothing(const UpstreamError& error) {
    if (error.kind == UpstreamError::Kind::MissingKey) return true;
    if (error.kind != UpstreamError::Kind::Http) return false;
    if (error.code == "idempotency_backend_unavailable") return true;  // refused, not run
    return error.status >= 400 && error.status < 500 && !answer_lost(error) && error.status != 408;
}

}  // namespace rdmcp::tools
