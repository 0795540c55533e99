#include "server/config.h"

#include <doctest/doctest.h>

#include <map>

using namespace rdmcp::server;

namespace {
// Parses as the process would, with `env` standing in for its environment.
ParsedCommandLine parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    return parse_command_line(args, [&env](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    });
}
}  // namespace

TEST_CASE("defaults: stdio, loopback, the public API") {
    auto parsed = parse({});
    REQUIRE(parsed.config);
    CHECK(parsed.config->transport == Transport::Stdio);
    CHECK(parsed.config->host == "127.0.0.1");
    CHECK(parsed.config->port == 8000);
    CHECK(parsed.config->upstream_url == "https://api.retrodiffusion.ai");
    CHECK(parsed.config->max_message_bytes == 64u << 20);
    CHECK(parsed.config->api_key.empty());
}

TEST_CASE("flags in both spellings, and flags win over the environment") {
    auto parsed = parse({"--transport", "http", "--port=9001", "--upstream-url", "http://127.0.0.1:5"},
                        {{"RD_MCP_PORT", "7000"}, {"RD_MCP_HOST", "0.0.0.0"}, {"RD_API_KEY", "rdpk-x"}});
    REQUIRE(parsed.config);
    CHECK(parsed.config->transport == Transport::Http);
    CHECK(parsed.config->port == 9001);
    CHECK(parsed.config->host == "0.0.0.0");
    CHECK(parsed.config->upstream_url == "http://127.0.0.1:5");
    CHECK(parsed.config->api_key == "rdpk-x");
}

TEST_CASE("configuration errors are one clear line") {
    CHECK(parse({"--transport", "carrier-pigeon"}).error ==
          "--transport must be stdio or http, got \"carrier-pigeon\"");
    CHECK(parse({"--port", "70000"}).error == "--port must be a whole number from 0 to 65535, got \"70000\"");
    CHECK(parse({"--port"}).error == "--port needs a value (see --help)");
    CHECK(parse({"--colour"}).error == "unknown option \"--colour\" (see --help)");
    CHECK(parse({"--upstream-url", "ftp://x"}).error.find("scheme must be https or http") != std::string::npos);
    CHECK(parse({}, {{"RD_MCP_PORT", "abc"}}).error ==
          "--port must be a whole number from 0 to 65535, got \"abc\" (from RD_MCP_PORT)");
    CHECK_FALSE(parse({"--port", "abc"}).config);
}

TEST_CASE("--help and --version are recognised anywhere") {
    CHECK(parse({"--port", "1", "--help"}).show_help);
    CHECK(parse({"--version"}).show_version);
    CHECK(usage_text().find("--upstream-url") != std::string::npos);
    CHECK(usage_text().find("RD_API_BASE_URL") != std::string::npos);
}
