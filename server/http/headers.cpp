#include "server/http/headers.h"

#include <httplib.h>

#include <array>

#include "common/base64.h"
#include "common/text.h"
#include "protocol/versions.h"

namespace rdmcp::server {

using protocol::Json;
using protocol::RpcError;

namespace {

constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
constexpr std::string_view kSentinelPrefix = "=?base64?";
constexpr std::string_view kSentinelSuffix = "?=";

Rejection mismatch(std::string message) {
    return {400,
            RpcError{protocol::error_code::kHeaderMismatch, "Header mismatch: " + message, {}}};
}

// The _meta protocol version a message's params claim: absent, or the JSON value as sent.
std::optional<Json> claimed_version(const Json& params) {
    auto meta = params.find("_meta");
    if (meta == params.end() || !meta->is_object()) return std::nullopt;
    auto version = meta->find(kMetaProtocolVersion);
    if (version == meta->end()) return std::nullopt;
    return *version;
}

bool is_legacy_claim(const Json& claim) {
    return claim.is_string() && protocol::is_legacy_version(claim.get<std::string>());
}

bool header_names_modern(const McpHeaders& headers) {
    return headers.protocol_version && protocol::is_modern_version(*headers.protocol_version);
}

std::optional<Rejection> version_disagreement(const Json& claim, const McpHeaders& headers) {
    if (!headers.protocol_version || !claim.is_string()) return std::nullopt;
    const auto body = claim.get<std::string>();
    if (*headers.protocol_version == body) return std::nullopt;
    return mismatch("MCP-Protocol-Version header value " + quote_prefix(*headers.protocol_version) +
                    " does not match body value " + quote_prefix(body) + " (params._meta[\"" +
                    kMetaProtocolVersion + "\"])");
}

std::optional<Rejection> method_disagreement(const std::string& method, const McpHeaders& headers) {
    if (!headers.method || *headers.method == method) return std::nullopt;
    return mismatch("Mcp-Method header value " + quote_prefix(*headers.method) +
                    " does not match body value " + quote_prefix(method));
}

std::variant<Era, Rejection> classify_request(const protocol::Request& request,
                                              const McpHeaders& headers) {
    if (request.method == "initialize") {
        if (header_names_modern(headers)) {
            // 2026-07-28 has no handshake: an unknown method there (404, -32601).
            return Rejection{404,
                             RpcError{protocol::error_code::kMethodNotFound,
                                      "Method not found: initialize does not exist in MCP " +
                                          *headers.protocol_version +
                                          " (no handshake: each request carries its version and "
                                          "capabilities in _meta); it is the handshake of protocol "
                                          "versions up to " +
                                          std::string(protocol::kLatestLegacyVersion),
                                      {}}};
        }
        return Era::Legacy;
    }
    if (auto claim = claimed_version(request.params)) {
        if (auto rejection = version_disagreement(*claim, headers)) return *rejection;
        if (is_legacy_claim(*claim)) return Era::Legacy;
        if (auto rejection = method_disagreement(request.method, headers)) return *rejection;
        return Era::Modern;  // unsupported or malformed versions are answered by the engine
    }
    if (header_names_modern(headers)) {
        return Rejection{
            400, RpcError{protocol::error_code::kInvalidParams,
                          "the MCP-Protocol-Version header names " + *headers.protocol_version +
                              ", but params._meta[\"" + kMetaProtocolVersion +
                              "\"] is missing: 2026-07-28 requests carry the "
                              "protocol version and client capabilities in _meta",
                          {}}};
    }
    return Era::Legacy;
}

std::variant<Era, Rejection> classify_notification(const protocol::Notification& notification,
                                                   const McpHeaders& headers) {
    Era era = header_names_modern(headers) ? Era::Modern : Era::Legacy;
    if (auto claim = claimed_version(notification.params)) {
        if (auto rejection = version_disagreement(*claim, headers)) return *rejection;
        era = is_legacy_claim(*claim) ? Era::Legacy : Era::Modern;
    }
    if (era == Era::Modern) {
        if (auto rejection = method_disagreement(notification.method, headers)) return *rejection;
    }
    return era;
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNameSources = {{
    {"tools/call", "name"},
    {"prompts/get", "name"},
    {"resources/read", "uri"},
    {"tasks/get", "taskId"},
    {"tasks/update", "taskId"},
    {"tasks/cancel", "taskId"},
}};

// Standard base64 with its padding, strictly: the lenient base64_decode (made for images
// agents paste) would also take unpadded or line-wrapped text.
std::optional<std::string> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0 || text.find_first_of(" \t\r\n\f\v") != std::string_view::npos) {
        return std::nullopt;
    }
    return base64_decode(text);
}

bool plain_header_safe(std::string_view value) {
    for (unsigned char c : value) {
        if (c != '\t' && (c < 0x20 || c > 0x7e)) return false;
    }
    return true;
}

}  // namespace

std::optional<std::string_view> mcp_name_source(std::string_view method) {
    for (const auto& [name, field] : kNameSources) {
        if (name == method) return field;
    }
    return std::nullopt;
}

std::optional<std::string> decode_header_value(std::string_view value) {
    if (value.size() >= kSentinelPrefix.size() + kSentinelSuffix.size() &&
        value.substr(0, kSentinelPrefix.size()) == kSentinelPrefix &&
        value.substr(value.size() - kSentinelSuffix.size()) == kSentinelSuffix) {
        return decode_base64(
            value.substr(kSentinelPrefix.size(),
                         value.size() - kSentinelPrefix.size() - kSentinelSuffix.size()));
    }
    if (!plain_header_safe(value)) return std::nullopt;
    return std::string(value);
}

std::variant<Era, Rejection> classify(const protocol::Decoded& message, const McpHeaders& headers) {
    if (const auto* request = std::get_if<protocol::Request>(&message)) {
        return classify_request(*request, headers);
    }
    if (const auto* notification = std::get_if<protocol::Notification>(&message)) {
        return classify_notification(*notification, headers);
    }
    return Era::Legacy;  // a client's response to a server request: 2025-era session traffic
}

std::optional<Rejection> check_standard_headers(const protocol::Request& request,
                                                const McpHeaders& headers) {
    if (!headers.protocol_version) {
        return mismatch(
            "the MCP-Protocol-Version header is required on every request (it must "
            "repeat params._meta[\"" +
            std::string(kMetaProtocolVersion) + "\"])");
    }
    if (!headers.method) {
        return mismatch(
            "the Mcp-Method header is required on every request (it must repeat the "
            "body's method, " +
            quote_prefix(request.method) + ")");
    }
    if (!decode_header_value(*headers.method)) {
        return mismatch("the Mcp-Method header holds characters a header value may not carry");
    }
    const auto field = mcp_name_source(request.method);
    if (!field) return std::nullopt;
    const auto body_value = request.params.find(std::string(*field));
    const bool body_has_value = body_value != request.params.end() && body_value->is_string();
    if (!headers.name) {
        if (!body_has_value) return std::nullopt;  // the engine answers the missing field
        return mismatch("the Mcp-Name header is required for " + request.method +
                        " (it must repeat params." + std::string(*field) + ", " +
                        quote_prefix(body_value->get_ref<const std::string&>()) + ")");
    }
    auto decoded = decode_header_value(*headers.name);
    if (!decoded) {
        return mismatch(
            "the Mcp-Name header is neither a plain header value nor valid "
            "=?base64?...?= encoding");
    }
    // cpp-httplib percent-decodes every header value it reads (all but Location), so a URI
    // such as rd://styles/a%5Fb arrives as rd://styles/a_b: the body is compared as the library
    // delivers the header, or a client that repeats the URI exactly would be refused.
    if (body_has_value && *decoded != body_value->get_ref<const std::string&>() &&
        *decoded != httplib::detail::decode_url(body_value->get<std::string>(), false)) {
        return mismatch("Mcp-Name header value " + quote_prefix(*decoded) +
                        " does not match body value " +
                        quote_prefix(body_value->get_ref<const std::string&>()) + " (params." +
                        std::string(*field) + ")");
    }
    return std::nullopt;
}

}  // namespace rdmcp::server
