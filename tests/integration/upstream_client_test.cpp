// The upstream client against the simulated API: retries, error shapes, TLS verification.
#include "tools/upstream_client.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "protocol/request_context.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp;
using namespace rdmcp::testing;

namespace {
protocol::RequestContext context_with(std::string key) {
    protocol::RequestContext context;
    context.api_key = std::move(key);
    return context;
}
tools::UpstreamClient client_for(const SimulatedApi& api, std::string ca_file = "") {
    tools::UpstreamConfig config;
    config.api_version = tools::ApiVersion::V1;  // the paths asserted below
    config.base_url = api.url();
    config.read_timeout = std::chrono::seconds(5);
    config.ca_file = std::move(ca_file);
    return tools::UpstreamClient(config);
}
}  // namespace

TEST_CASE("each call carries its own caller's key, and only that key") {
    SimulatedApi api;
    auto client = client_for(api);
    auto first = client.get("/inferences/credits", context_with(kTestKey));
    auto second = client.get("/inferences/credits", context_with(kSecondTestKey));
    CHECK(first.body["balance"] == 100.0);
    CHECK(second.body["balance"] == 5.0);
    auto seen = api.requests();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0]["token"] == kTestKey);
    CHECK(seen[1]["token"] == kSecondTestKey);
}

TEST_CASE("an idempotent GET is retried once on 503; a paid POST never is") {
    SimulatedApi api;
    auto client = client_for(api);
    api.fail_next({{"path_prefix", "/v1/inferences/credits"}, {"status", 503}, {"count", 1}});
    auto balance = client.get("/inferences/credits", context_with(kTestKey));
    CHECK(balance.ok());
    CHECK(api.requests_to("GET", "/v1/inferences/credits").size() == 2);

    api.clear_requests();
    api.fail_next({{"path_prefix", "/v1/inferences"}, {"status", 503}, {"count", 1}});
    auto generated = client.post("/inferences",
                                 {{"prompt", "corgi"},
                                  {"width", 64},
                                  {"height", 64},
                                  {"prompt_style", "rd_fast__default"},
                                  {"num_images", 1}},
                                 context_with(kTestKey));
    REQUIRE_FALSE(generated.ok());
    CHECK(generated.error->status == 503);
    CHECK(api.requests_to("POST", "/v1/inferences").size() == 1);
}

TEST_CASE("429 carries Retry-After; errors name the call") {
    SimulatedApi api;
    auto client = client_for(api);
    api.fail_next(
        {{"path_prefix", "/v1/inferences/credits"},
         {"status", 429},
         {"retry_after", 17},
         {"body", {{"detail", {{"code", "rate_limited"}, {"message", "Too many requests"}}}}}});
    auto limited = client.get("/inferences/credits", context_with(kTestKey));
    REQUIRE_FALSE(limited.ok());
    CHECK(limited.error->retry_after == 17);
    CHECK(limited.error->summary() ==
          "GET /v1/inferences/credits: HTTP 429 (rate_limited): Too many requests");
}

TEST_CASE("connection refused is a clear error, not a hang") {
    tools::UpstreamConfig config;
    config.api_version = tools::ApiVersion::V1;  // the paths asserted below
    config.base_url = "http://127.0.0.1:1";      // nothing listens on port 1
    tools::UpstreamClient client(config);
    auto result = client.get("/inferences/credits", context_with(kTestKey));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error->kind == tools::UpstreamError::Kind::Connect);
}

TEST_CASE("HTTPS: the certificate is verified") {
    namespace fs = std::filesystem;
    const auto dir = fs::temp_directory_path() / ("rdmcp-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert + " 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);

    SimulatedApi api({"--tls-cert", cert, "--tls-key", key});
    REQUIRE(api.url().rfind("https://", 0) == 0);

    auto untrusted = client_for(api).get("/inferences/credits", context_with(kTestKey));
    REQUIRE_FALSE(untrusted.ok());
    CHECK(untrusted.error->kind == tools::UpstreamError::Kind::Connect);
    CHECK(untrusted.error->message.find("certificate") != std::string::npos);

    auto trusted = client_for(api, cert).get("/inferences/credits", context_with(kTestKey));
    CHECK(trusted.ok());
    CHECK(trusted.body["balance"] == 100.0);
    fs::remove_all(dir);
}

TEST_CASE("a connection that breaks while a large body is sent says so (not 'while reading')") {
    // An API end that reads the first bytes of a request, then resets the connection.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 1) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    std::thread api([listener] {
        const int connection = ::accept(listener, nullptr, nullptr);
        char head[1024];
        [[maybe_unused]] auto got = ::recv(connection, head, sizeof head, 0);
        const linger reset{1, 0};
        ::setsockopt(connection, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        ::close(connection);
    });

    tools::UpstreamConfig config;
    config.api_version = tools::ApiVersion::V1;  // the paths asserted below
    config.base_url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    config.read_timeout = std::chrono::seconds(5);
    const tools::UpstreamClient client(config);
    const protocol::Json images = {{"reference_images", {std::string(16 << 20, 'A')}}};
    auto reply = client.post("/inferences", {{"prompt", "x"}}, images, context_with(kTestKey));
    api.join();
    ::close(listener);
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error->message.find("while sending the request") != std::string::npos);
}

TEST_CASE("a v2 error: code, request id (body, else header) and details; a POST is never resent") {
    SimulatedApi api;
    tools::UpstreamConfig config;
    config.api_version = tools::ApiVersion::V1;  // the paths asserted below
    config.base_url = api.url();
    std::vector<std::string> failures;
    config.on_failure = [&failures](const std::string& log_id, const tools::UpstreamError& error) {
        failures.push_back(log_id + " " + error.request_id);
    };
    const tools::UpstreamClient client(config);
    api.fail_next({{"path_prefix", "/v1/inferences"},
                   {"method", "POST"},
                   {"status", 402},
                   {"retry_after", 1},
                   {"headers", {{"X-Request-ID", "req_from_header"}}},
                   {"body",
                    {{"error",
                      {{"code", "not_enough_balance"},
                       {"message", "Not enough balance."},
                       {"request_id", "req_from_body"},
                       {"details", {{"needed", 0.04}}}}}}}});
    auto context = context_with(kTestKey);
    context.log_id = "stdio-7";
    auto refused = client.post("/inferences", {{"prompt", "x"}}, context);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error->code == "not_enough_balance");
    CHECK(refused.error->request_id == "req_from_body");
    CHECK(refused.error->details == protocol::Json{{"needed", 0.04}});
    CHECK(api.requests_to("POST", "/v1/inferences").size() == 1);
    CHECK(failures == std::vector<std::string>{"stdio-7 req_from_body"});

    api.fail_next({{"path_prefix", "/v1/inferences/credits"},
                   {"status", 404},
                   {"headers", {{"X-RD-Request-ID", "rd_activity_1"}}}});
    auto missing = client.get("/inferences/credits", context);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error->code == "not_found");  // bodiless: the status's default code
    CHECK(missing.error->request_id == "rd_activity_1");
}

TEST_CASE("a GET is resent as the error catalog says: after a short Retry-After, not when final") {
    SimulatedApi api;
    auto client = client_for(api);
    api.fail_next({{"path_prefix", "/v1/inferences/credits"}, {"status", 429}, {"retry_after", 1}});
    const auto started = std::chrono::steady_clock::now();
    auto balance = client.get("/inferences/credits", context_with(kTestKey));
    CHECK(balance.ok());
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::seconds(1));
    CHECK(api.requests_to("GET", "/v1/inferences/credits").size() == 2);

    api.clear_requests();
    api.fail_next({{"path_prefix", "/v1/inferences/credits"},
                   {"status", 503},
                   {"body", {{"error", {{"code", "idempotency_backend_unavailable"}}}}}});
    auto final_failure = client.get("/inferences/credits", context_with(kTestKey));
    REQUIRE_FALSE(final_failure.ok());
    CHECK(api.requests_to("GET", "/v1/inferences/credits").size() == 1);  // retryable: false

    api.clear_requests();
    api.fail_next({{"path_prefix", "/v1/inferences"}, {"method", "POST"}, {"status", 503}});
    auto paid = client.post("/inferences", {{"prompt", "x"}}, context_with(kTestKey));
    REQUIRE_FALSE(paid.ok());
    CHECK(api.requests_to("POST", "/v1/inferences").size() == 1);
}
