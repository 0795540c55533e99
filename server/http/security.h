#pragma once
// Who may talk to the HTTP endpoint: the Origin check (browsers; DNS rebinding), the Host check
// while bound to loopback, CORS answers for the origins we allow, and the caller's bearer key.
// Pure functions of header values, so each rule is tested on its own.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdmcp::server {

class OriginPolicy {
  public:
    // `extra_origins`: "https://app.example.com" entries (scheme://host[:port]); "*" allows any.
    OriginPolicy(std::vector<std::string> extra_origins, std::string bound_host, int bound_port);

    // No Origin header (non-browser clients) is allowed; loopback origins (http or https,
    // localhost / 127.0.0.1 / [::1], any port) are allowed; others only when configured.
    bool origin_allowed(std::optional<std::string_view> origin) const;

    // While bound to a loopback address, the Host header must name the loopback with our port
    // (or none), so a rebinding DNS name never reaches us. Otherwise any Host is accepted.
    bool host_allowed(std::optional<std::string_view> host) const;

    bool bound_to_loopback() const { return loopback_bound_; }
    void set_bound_port(int port) { bound_port_ = port; }

  private:
    std::vector<std::string> extra_;  // normalised: lower case, no trailing slash
    bool any_origin_ = false;
    bool loopback_bound_ = false;
    int bound_port_ = 0;
};

bool is_loopback_host(std::string_view host);  // localhost, 127.x.y.z, ::1, [::1]

// "scheme://host[:port]" in lower case without a trailing slash; nothing when unparseable.
std::optional<std::string> normalise_origin(std::string_view origin);

// The headers a CORS preflight or a cross-origin response carries for an allowed origin.
struct CorsHeader {
    const char* name;
    std::string value;
};
std::vector<CorsHeader> cors_response_headers(std::string_view origin);
std::vector<CorsHeader> cors_preflight_headers(std::string_view origin);

// The bearer key from an Authorization header value.
struct BearerKey {
    enum class Kind { Absent, Present, Malformed } kind = Kind::Absent;
    std::string key;
};
BearerKey parse_authorization(std::optional<std::string_view> header);

// The WWW-Authenticate challenge for a request that brought no usable key.
std::string bearer_challenge(bool malformed);

}  // namespace rdmcp::server
