#include "server/config.h"

#include <doctest/doctest.h>

#include <map>

using namespace rdmcp::server;

namespace {
// Parses as the process would, with `env` standing in for its environment.
ParsedCommandLine parse(std::vector<std::string> args,
                        std::map<std::string, std::string> env = {}) {
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
    auto parsed =
        parse({"--transport", "http", "--port=9001", "--upstream-url", "http://127.0.0.1:5"},
              {{"RD_MCP_PORT", "7000"}, {"RD_MCP_HOST", "0.0.0.0"}, {"RD_API_KEY", "rdpk-x"}});
    REQUIRE(parsed.config);
    CHECK(parsed.config->transport == Transport::Http);
    CHECK(parsed.config->port == 9001);
    CHECK(parsed.config->host == "0.0.0.0");
    CHECK(parsed.config->upstream_url == "http://127.0.0.1:5");
}

TEST_CASE("configuration errors are one clear line") {
    CHECK(parse({"--transport", "carrier-pigeon"}).error ==
          "--transport must be stdio or http, got \"carrier-pigeon\"");
    CHECK(parse({"--port", "70000"}).error ==
          "--port must be a whole number from 0 to 65535, got \"70000\"");
    CHECK(parse({"--port"}).error == "--port needs a value (see --help)");
    CHECK(parse({"--colour"}).error == "unknown option \"--colour\" (see --help)");
    CHECK(parse({"--upstream-url", "ftp://x"}).error.find("scheme must be https or http") !=
          std::string::npos);
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

TEST_CASE("HTTP flags: defaults, switches, lists and their variables") {
    auto defaults = parse({"--transport", "http"});
    REQUIRE(defaults.config);
    CHECK(defaults.config->http_path == "/mcp");
    CHECK_FALSE(defaults.config->stateless);
    CHECK_FALSE(defaults.config->require_auth);
    CHECK(defaults.config->max_body_bytes == 32u << 20);
    CHECK(defaults.config->max_sessions == 10000);
    CHECK(defaults.config->session_idle_timeout == std::chrono::seconds(1800));
    CHECK(defaults.config->shutdown_grace == std::chrono::seconds(20));
    CHECK(defaults.config->effective_max_concurrency() == 256);
    CHECK(parse({}).config->effective_max_concurrency() == 64);  // stdio keeps 64
    CHECK(parse({"--transport", "http", "--max-concurrency", "8"})
              .config->effective_max_concurrency() == 8);

    auto parsed = parse({"--transport", "http", "--stateless", "--require-auth=true", "--path",
                         "/rd", "--allowed-origins", "https://a.example, http://b.example:3000",
                         "--max-sessions", "5", "--session-idle-timeout", "60",
                         "--shutdown-grace-seconds", "3", "--max-body-bytes", "2048"});
    REQUIRE(parsed.config);
    CHECK(parsed.config->stateless);
    CHECK(parsed.config->require_auth);
    CHECK(parsed.config->http_path == "/rd");
    CHECK(parsed.config->allowed_origins ==
          std::vector<std::string>{"https://a.example", "http://b.example:3000"});
    CHECK(parsed.config->max_sessions == 5);
    CHECK(parsed.config->session_idle_timeout == std::chrono::seconds(60));
    CHECK(parsed.config->shutdown_grace == std::chrono::seconds(3));
    CHECK(parsed.config->max_body_bytes == 2048);

    auto from_env =
        parse({"--transport", "http"},
              {{"RD_MCP_STATELESS", "true"}, {"RD_MCP_PATH", "/x"}, {"RD_MCP_REQUIRE_AUTH", "0"}});
    REQUIRE(from_env.config);
    CHECK(from_env.config->stateless);
    CHECK_FALSE(from_env.config->require_auth);
    CHECK(from_env.config->http_path == "/x");
    CHECK_FALSE(parse({"--stateless=false"}).config->stateless);
}

TEST_CASE("HTTP flag errors are one clear line") {
    CHECK(parse({"--path", "mcp"}).error == "--path must be a path such as /mcp, got \"mcp\"");
    CHECK(parse({"--path", "/metrics"}).error.find("serves itself") != std::string::npos);
    CHECK(parse({"--allowed-origins", "not an origin"}).error.find("https://host[:port]") !=
          std::string::npos);
    CHECK(parse({}, {{"RD_MCP_STATELESS", "maybe"}}).error ==
          "--stateless must be true or false, got \"maybe\" (from RD_MCP_STATELESS)");
    CHECK(parse({"--transport", "http", "--max-concurrency", "600"})
              .error.find("--max-connections") != std::string::npos);
    CHECK(usage_text().find("--require-auth ") != std::string::npos);
    CHECK(usage_text().find("--require-auth VALUE") == std::string::npos);
}

TEST_CASE("HTTP request budgets: heads, bodies and their deadlines") {
    const auto defaults = parse({"--transport", "http"});
    REQUIRE(defaults.config);
    CHECK(defaults.config->max_header_bytes == 65536);
    CHECK(defaults.config->max_header_lines == 100);
    CHECK(defaults.config->header_timeout == std::chrono::seconds(10));
    CHECK(defaults.config->body_timeout == std::chrono::seconds(60));
    CHECK(defaults.config->max_inflight_body_bytes == 0);  // main derives it from the machine

    const auto set =
        parse({"--transport", "http", "--max-header-bytes", "8192", "--max-header-lines", "40",
               "--header-timeout", "3"},
              {{"RD_MCP_BODY_TIMEOUT", "90"}, {"RD_MCP_MAX_INFLIGHT_BODY_BYTES", "268435456"}});
    REQUIRE(set.config);
    CHECK(set.config->max_header_bytes == 8192);
    CHECK(set.config->max_header_lines == 40);
    CHECK(set.config->header_timeout == std::chrono::seconds(3));
    CHECK(set.config->body_timeout == std::chrono::seconds(90));
    CHECK(set.config->max_inflight_body_bytes == 268435456);

    CHECK(parse({"--max-header-bytes", "100"}).error.find("from 1024 to 1048576") !=
          std::string::npos);
    CHECK(parse({"--header-timeout", "0"}).error.find("--header-timeout") != std::string::npos);
    // A budget smaller than one body of the largest size could never admit that body.
    CHECK(parse({"--transport", "http", "--max-body-bytes", "4194304", "--max-inflight-body-bytes",
                 "2097152"})
              .error.find("must be at least --max-body-bytes") != std::string::npos);
}

TEST_CASE("session quotas and --trust-proxy: defaults, flags, variables and errors") {
    auto defaults = parse({"--transport", "http"});
    REQUIRE(defaults.config);
    CHECK(defaults.config->max_sessions_per_key == 100);
    CHECK(defaults.config->max_sessions_per_client == 1000);
    CHECK_FALSE(defaults.config->trust_proxy);

    auto parsed = parse({"--transport", "http", "--max-sessions-per-key", "3",
                         "--max-sessions-per-client", "0", "--trust-proxy"});
    REQUIRE(parsed.config);
    CHECK(parsed.config->max_sessions_per_key == 3);
    CHECK(parsed.config->max_sessions_per_client == 0);  // no quota
    CHECK(parsed.config->trust_proxy);

    auto from_env = parse({"--transport", "http"}, {{"RD_MCP_MAX_SESSIONS_PER_KEY", "7"},
                                                    {"RD_MCP_MAX_SESSIONS_PER_CLIENT", "70"},
                                                    {"RD_MCP_TRUST_PROXY", "true"}});
    REQUIRE(from_env.config);
    CHECK(from_env.config->max_sessions_per_key == 7);
    CHECK(from_env.config->max_sessions_per_client == 70);
    CHECK(from_env.config->trust_proxy);

    CHECK(parse({"--max-sessions-per-key", "-1"}).error ==
          "--max-sessions-per-key must be a whole number from 0 to 10000000, got \"-1\"");
    CHECK(
        parse({}, {{"RD_MCP_TRUST_PROXY", "sometimes"}}).error.find("(from RD_MCP_TRUST_PROXY)") !=
        std::string::npos);
    CHECK(usage_text().find("RD_MCP_MAX_SESSIONS_PER_CLIENT") != std::string::npos);
}

TEST_CASE("stdio-only options are refused with --transport http, saying why and what to do") {
    const auto output_dir = parse({"--transport", "http", "--output-dir", "/tmp/x"});
    CHECK_FALSE(output_dir.config);
    CHECK(output_dir.error.rfind("--output-dir is for stdio: over HTTP it would write every "
                                 "caller's images into one directory on the server",
                                 0) == 0);
    CHECK(output_dir.error.find("remove it") != std::string::npos);
    CHECK(output_dir.error.find('\n') == std::string::npos);
    // Whatever the order, and from the environment too.
    CHECK(parse({"--output-dir", "/tmp/x", "--transport=http"}).error == output_dir.error);
    CHECK(parse({}, {{"RD_MCP_TRANSPORT", "http"}, {"RD_MCP_OUTPUT_DIR", "/tmp/x"}}).error ==
          output_dir.error + " (from RD_MCP_OUTPUT_DIR)");
    CHECK(parse({"--transport", "http", "--max-message-bytes", "4096"})
              .error.find("--max-body-bytes") != std::string::npos);

    // Over stdio they work; HTTP-only options are accepted and unused there (the container
    // image sets some in its environment).
    auto stdio = parse({"--output-dir", "/tmp/x", "--max-message-bytes", "4096"},
                       {{"RD_MCP_STATELESS", "true"}, {"RD_MCP_PORT", "8000"}});
    REQUIRE(stdio.config);
    CHECK(stdio.config->output_dir == "/tmp/x");
    CHECK(stdio.config->max_message_bytes == 4096);
}

TEST_CASE("RD_API_KEY is the stdio key: over HTTP it is not used, and a warning says so") {
    auto stdio = parse({}, {{"RD_API_KEY", "rdpk-x"}});
    REQUIRE(stdio.config);
    CHECK(stdio.config->api_key == "rdpk-x");
    CHECK(stdio.warnings.empty());

    auto http = parse({"--transport", "http"}, {{"RD_API_KEY", "rdpk-x"}});
    REQUIRE(http.config);
    CHECK(http.config->api_key.empty());
    REQUIRE(http.warnings.size() == 1);
    CHECK(http.warnings[0].find("Authorization: Bearer") != std::string::npos);
    CHECK(http.warnings[0].find("rdpk-x") == std::string::npos);
    CHECK(parse({"--transport", "http"}).warnings.empty());
}

TEST_CASE("--help says which options are stdio-only and which HTTP-only") {
    const auto text = usage_text();
    const auto both = text.find("Options for both transports:");
    const auto stdio = text.find("stdio only (refused with --transport http):");
    const auto http = text.find("HTTP only (unused over stdio):");
    REQUIRE(both != std::string::npos);
    REQUIRE(stdio != std::string::npos);
    REQUIRE(http != std::string::npos);
    auto section_of = [&](const char* flag) {
        const auto at = text.find(std::string("\n  ") + flag + " ");
        REQUIRE(at != std::string::npos);
        return at > http ? "http" : at > stdio ? "stdio" : "both";
    };
    CHECK(std::string(section_of("--output-dir")) == "stdio");
    CHECK(std::string(section_of("--max-message-bytes")) == "stdio");
    CHECK(std::string(section_of("--port")) == "http");
    CHECK(std::string(section_of("--require-auth")) == "http");
    CHECK(std::string(section_of("--upstream-url")) == "both");
    CHECK(std::string(section_of("--job-secret")) == "both");
}

TEST_CASE("--api-version: v2 by default, v1 on request, anything else is one clear line") {
    CHECK(parse({}).config->api_version == rdmcp::tools::ApiVersion::V2);
    CHECK(parse({"--api-version", "v1"}).config->api_version == rdmcp::tools::ApiVersion::V1);
    CHECK(parse({}, {{"RD_API_VERSION", "v1"}}).config->api_version ==
          rdmcp::tools::ApiVersion::V1);
    CHECK(parse({"--api-version=v2"}, {{"RD_API_VERSION", "v1"}}).config->api_version ==
          rdmcp::tools::ApiVersion::V2);  // the flag wins
    CHECK(parse({"--api-version", "v3"}).error == "--api-version must be v2 or v1, got \"v3\"");
}

TEST_CASE("spend limits: a $1.00 confirmation threshold over stdio only, each limit settable") {
    auto stdio = parse({});
    REQUIRE(stdio.config);
    CHECK(stdio.config->effective_confirm_above() == 1.00);
    CHECK_FALSE(stdio.config->max_cost_per_call);
    CHECK_FALSE(stdio.config->budget);
    CHECK(stdio.config->budget_window == std::chrono::hours(24));

    auto http = parse({"--transport", "http"});
    REQUIRE(http.config);
    CHECK_FALSE(http.config->effective_confirm_above());

    auto off = parse({"--confirm-above", "none"});
    REQUIRE(off.config);
    CHECK_FALSE(off.config->effective_confirm_above());

    auto set = parse({"--transport", "http", "--confirm-above", "0.25", "--max-cost-per-call=2",
                      "--budget-window", "90m"},
                     {{"RD_BUDGET", "10.5"}, {"RD_CONFIRM_ABOVE", "9"}});
    REQUIRE(set.config);
    CHECK(set.config->effective_confirm_above() == 0.25);
    CHECK(set.config->max_cost_per_call == 2.0);
    CHECK(set.config->budget == 10.5);
    CHECK(set.config->budget_window == std::chrono::minutes(90));
    CHECK(parse({"--budget-window", "7d"}).config->budget_window == std::chrono::hours(24 * 7));
}

TEST_CASE("spend limits: a wrong amount or window says what to write") {
    auto amount = parse({"--budget", "ten dollars"});
    CHECK_FALSE(amount.config);
    CHECK(amount.error.find("--budget must be an amount in USD such as 0.50") != std::string::npos);
    CHECK_FALSE(parse({"--max-cost-per-call", "-1"}).config);
    auto window = parse({"--budget-window", "24 hours"});
    CHECK_FALSE(window.config);
    CHECK(window.error.find("--budget-window must be a duration such as 24h") != std::string::npos);
    CHECK_FALSE(parse({"--budget-window", "10s"}).config);  // under a minute
}
