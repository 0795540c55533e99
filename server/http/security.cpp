#include "server/http/security.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"

namespace rdmcp::server {

namespace {

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "host[:port]" or "[v6][:port]" split into host (brackets kept) and port text.
struct HostPort {
    std::string host;
    std::string port;
};
std::optional<HostPort> split_host_port(std::string_view text) {
    if (text.empty()) return std::nullopt;
    if (text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        HostPort out{std::string(text.substr(0, close + 1)), ""};
        auto rest = text.substr(close + 1);
        if (rest.empty()) return out;
        if (rest.front() != ':' || !all_digits(rest.substr(1))) return std::nullopt;
        out.port = std::string(rest.substr(1));
        return out;
    }
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return HostPort{std::string(text), ""};
    if (!all_digits(text.substr(colon + 1))) return std::nullopt;
    return HostPort{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

bool is_loopback_name(const std::string& host) {
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

}  // namespace

bool is_loopback_host(std::string_view host) {
    const std::string h = lower(host);
    return h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

std::optional<std::string> normalise_origin(std::string_view origin) {
    std::string text = lower(trim(origin));
    while (!text.empty() && text.back() == '/') text.pop_back();
    auto scheme_end = text.find("://");
    if (scheme_end == std::string::npos || scheme_end == 0) return std::nullopt;
    const std::string authority = text.substr(scheme_end + 3);
    if (authority.find('/') != std::string::npos || authority.find('@') != std::string::npos) {
        return std::nullopt;
    }
    if (!split_host_port(authority)) return std::nullopt;
    return text;
}

OriginPolicy::OriginPolicy(std::vector<std::string> extra_origins, std::string bound_host,
                           int bound_port)
    : loopback_bound_(is_loopback_host(bound_host)), bound_port_(bound_port) {
    for (const auto& origin : extra_origins) {
        if (trim(origin) == "*") {
            any_origin_ = true;
        } else if (auto normalised = normalise_origin(origin)) {
            extra_.push_back(*normalised);
        }
    }
}

bool OriginPolicy::origin_allowed(std::optional<std::string_view> origin) const {
    if (!origin) return true;  // curl, SDKs, agents: no browser, no Origin
    if (any_origin_) return true;
    auto normalised = normalise_origin(*origin);
    if (!normalised) return false;  // "null" (sandboxed frames, file:) and garbage
    if (std::find(extra_.begin(), extra_.end(), *normalised) != extra_.end()) return true;
    const auto scheme_end = normalised->find("://");
    const std::string scheme = normalised->substr(0, scheme_end);
    if (scheme != "http" && scheme != "https") return false;
    auto host_port = split_host_port(std::string_view(*normalised).substr(scheme_end + 3));
    return host_port && is_loopback_name(host_port->host);
}

bool OriginPolicy::host_allowed(std::optional<std::string_view> host) const {
    if (!loopback_bound_ || !host) return true;
    auto host_port = split_host_port(lower(trim(*host)));
    if (!host_port || !is_loopback_name(host_port->host)) return false;
    return host_port->port.empty() || host_port->port == std::to_string(bound_port_);
}

std::vector<CorsHeader> cors_response_headers(std::string_view origin) {
    return {{"Access-Control-Allow-Origin", std::string(origin)},
            {"Vary", "Origin"},
            {"Access-Control-Expose-Headers",
             "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate, Retry-After, X-Request-Id"}};
}

std::vector<CorsHeader> cors_preflight_headers(std::string_view origin) {
    auto headers = cors_response_headers(origin);
    headers.push_back({"Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS"});
    headers.push_back({"Access-Control-Allow-Headers",
                       "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, "
                       "Mcp-Method, Mcp-Name, Last-Event-ID, X-Request-Id"});
    headers.push_back({"Access-Control-Max-Age", "86400"});
    return headers;
}

BearerKey parse_authorization(std::optional<std::string_view> header) {
    if (!header) return {};
    const std::string_view value = trim(*header);
    if (value.empty()) return {};
    constexpr std::string_view kScheme = "bearer";
    if (value.size() <= kScheme.size() || lower(value.substr(0, kScheme.size())) != kScheme ||
        (value[kScheme.size()] != ' ' && value[kScheme.size()] != '\t')) {
        return {BearerKey::Kind::Malformed, {}};
    }
    const std::string_view key = trim(value.substr(kScheme.size()));
    if (key.empty() || key.find_first_of(" \t,") != std::string_view::npos) {
        return {BearerKey::Kind::Malformed, {}};
    }
    return {BearerKey::Kind::Present, std::string(key)};
}

std::string bearer_challenge(bool malformed) {
    if (malformed) {
        return "Bearer realm=\"retrodiffusion-mcp\", error=\"invalid_request\", "
               "error_description=\"the Authorization header must be 'Bearer <your RetroDiffusion "
               "API key>'\"";
    }
    return "Bearer realm=\"retrodiffusion-mcp\", error_description=\"send your RetroDiffusion "
           "API key as 'Authorization: Bearer <key>' (create one at "
           "https://www.retrodiffusion.ai/app/devtools)\"";
}

}  // namespace rdmcp::server
