#include "server/http/security.h"

#include <doctest/doctest.h>

using namespace rdmcp::server;

TEST_CASE("Origin: absent or loopback is allowed, anything else only when configured") {
    OriginPolicy policy({"https://app.example.com/", "HTTPS://Other.Example:8443"}, "127.0.0.1",
                        8000);
    CHECK(policy.origin_allowed(std::nullopt));
    for (const char* origin :
         {"http://localhost", "http://localhost:6274", "https://127.0.0.1:3000",
          "http://[::1]:8080", "HTTP://LOCALHOST:1"}) {
        CAPTURE(origin);
        CHECK(policy.origin_allowed(std::string_view(origin)));
    }
    CHECK(policy.origin_allowed(std::string_view("https://app.example.com")));
    CHECK(policy.origin_allowed(std::string_view("https://other.example:8443")));
    for (const char* origin :
         {"https://evil.example", "null", "", "file://", "http://localhost.evil.example",
          "ftp://localhost", "https://app.example.com:444", "http://127.0.0.1.nip.io",
          "https://user@localhost"}) {
        CAPTURE(origin);
        CHECK_FALSE(policy.origin_allowed(std::string_view(origin)));
    }
    OriginPolicy any({"*"}, "0.0.0.0", 8000);
    CHECK(any.origin_allowed(std::string_view("https://anything.example")));
}

TEST_CASE("Host is checked only while bound to loopback, against the loopback names and our port") {
    OriginPolicy local({}, "127.0.0.1", 8000);
    CHECK(local.host_allowed(std::nullopt));
    CHECK(local.host_allowed(std::string_view("127.0.0.1:8000")));
    CHECK(local.host_allowed(std::string_view("localhost:8000")));
    CHECK(local.host_allowed(std::string_view("[::1]:8000")));
    CHECK(local.host_allowed(std::string_view("LOCALHOST")));
    CHECK_FALSE(local.host_allowed(std::string_view("localhost:8001")));
    CHECK_FALSE(local.host_allowed(std::string_view("evil.example:8000")));
    CHECK_FALSE(local.host_allowed(std::string_view("evil.example")));
    CHECK_FALSE(local.host_allowed(std::string_view("127.0.0.1:80x")));
    local.set_bound_port(41000);  // --port 0: the port the system picked
    CHECK(local.host_allowed(std::string_view("127.0.0.1:41000")));

    OriginPolicy hosted({}, "0.0.0.0", 8000);
    CHECK(hosted.host_allowed(std::string_view("mcp.example.com")));
    CHECK_FALSE(hosted.bound_to_loopback());
    CHECK(OriginPolicy({}, "::1", 1).bound_to_loopback());
    CHECK(OriginPolicy({}, "localhost", 1).bound_to_loopback());
}

TEST_CASE("CORS answers name the origin and the MCP headers") {
    auto preflight = cors_preflight_headers("http://localhost:6274");
    auto find = [&](const std::string& name) {
        for (const auto& header : preflight) {
            if (name == header.name) return header.value;
        }
        return std::string();
    };
    CHECK(find("Access-Control-Allow-Origin") == "http://localhost:6274");
    CHECK(find("Vary") == "Origin");
    CHECK(find("Access-Control-Allow-Methods") == "GET, POST, DELETE, OPTIONS");
    for (const char* header : {"Authorization", "Content-Type", "Mcp-Session-Id",
                               "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name", "Last-Event-ID"}) {
        CHECK(find("Access-Control-Allow-Headers").find(header) != std::string::npos);
    }
    CHECK(find("Access-Control-Expose-Headers").find("Mcp-Session-Id") != std::string::npos);
}

TEST_CASE("the bearer key: present, absent or malformed") {
    CHECK(parse_authorization(std::nullopt).kind == BearerKey::Kind::Absent);
    CHECK(parse_authorization(std::string_view("")).kind == BearerKey::Kind::Absent);
    auto key = parse_authorization(std::string_view("Bearer rdpk-abc"));
    CHECK(key.kind == BearerKey::Kind::Present);
    CHECK(key.key == "rdpk-abc");
    CHECK(parse_authorization(std::string_view("bearer   rdpk-abc  ")).key == "rdpk-abc");
    for (const char* bad :
         {"Bearer", "Bearer ", "Basic dXNlcg==", "Bearerrdpk", "Bearer a b", "rdpk-abc"}) {
        CAPTURE(bad);
        CHECK(parse_authorization(std::string_view(bad)).kind == BearerKey::Kind::Malformed);
    }
    CHECK(bearer_challenge(false).rfind("Bearer realm=\"retrodiffusion-mcp\"", 0) == 0);
    CHECK(bearer_challenge(true).find("error=\"invalid_request\"") != std::string::npos);
}
