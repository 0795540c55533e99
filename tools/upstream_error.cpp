#include "tools/upstream_error.h"

#include <cctype>
#include <string_view>

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr std::size_t kMaxQuotedBody = 300;

std::string shorten(std::string text) {
    if (text.size() > kMaxQuotedBody) text = text.substr(0, kMaxQuotedBody) + "...";
    return text;
}

// The member as text when it is a string; `fallback` when it is missing or anything else.
std::string text_in(const Json& object, const char* name, std::string fallback = "") {
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::move(fallback);
}

std::string location_of(const Json& item) {
    auto loc = item.find("loc");
    if (loc == item.end() || !loc->is_array()) return "";
    std::string path;
    for (const auto& part : *loc) {
        if (part == "body") continue;
        std::string piece = part.is_string() ? part.get<std::string>() : part.dump();
        path += (path.empty() ? "" : ".") + piece;
    }
    return path;
}

std::string read_validation_list(const Json& items) {
    std::string text;
    for (const auto& item : items) {
        if (!item.is_object()) continue;
        std::string msg = text_in(item, "msg");
        std::string where = location_of(item);
        if (!text.empty()) text += "; ";
        text += where.empty() ? msg : where + ": " + msg;
    }
    return text;
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
            return text;
        }
        case Kind::InvalidResponse:
            return where + "unreadable answer from the API: " + message;
    }
    return where + message;
}

void read_error_body(const std::string& body, UpstreamError& error) {
    Json parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        error.message = shorten(body);
        return;
    }
    auto detail = parsed.find("detail");
    if (detail == parsed.end()) {
        error.message = shorten(text_in(parsed, "message", parsed.dump()));
        return;
    }
    if (detail->is_object()) {
        error.code = text_in(*detail, "code");
        error.message = shorten(text_in(*detail, "message", detail->dump()));
    } else if (detail->is_array()) {
        error.message = shorten(read_validation_list(*detail));
    } else if (detail->is_string()) {
        error.message = shorten(detail->get<std::string>());
    } else {
        error.message = shorten(detail->dump());
    }
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

}  // namespace rdmcp::tools
