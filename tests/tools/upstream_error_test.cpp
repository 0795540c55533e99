#include "tools/upstream_error.h"

#include <doctest/doctest.h>

#include "tests/support/tool_errors.h"
#include "tools/agent_errors.h"

using namespace rdmcp::tools;
using rdmcp::testing::tool_text;

namespace {
UpstreamError http_error(int status, const std::string& body) {
    auto error = UpstreamError::of(UpstreamError::Kind::Http, "", status);
    error.method = "POST";
    error.path = "/v1/inferences";
    read_error_body(body, error);
    return error;
}
}  // namespace

TEST_CASE("both documented error shapes are read") {
    auto coded = http_error(
        500, R"({"detail":{"code":"inference_failed","message":"Unable to run inference."}})");
    CHECK(coded.code == "inference_failed");
    CHECK(coded.summary() ==
          "POST /v1/inferences: HTTP 500 (inference_failed): Unable to run inference.");

    auto listed = http_error(400, R"({"detail":[{"msg":"Not enough balance."}]})");
    CHECK(listed.message == "Not enough balance.");

    auto located =
        http_error(422, R"({"detail":[{"loc":["body","width"],"msg":"must be <= 512"}]})");
    CHECK(located.message == "width: must be <= 512");

    auto plain = http_error(502, "<html>Bad Gateway</html>");
    CHECK(plain.message == "<html>Bad Gateway</html>");
}

TEST_CASE("tool errors tell the agent what to do next") {
    CHECK(tool_text(http_error(401, R"({"detail":{"code":"bad_token","message":"x"}})"))
              .find("RD_API_KEY") != std::string::npos);
    CHECK(tool_text(http_error(400, R"({"detail":[{"msg":"Not enough balance."}]})"))
              .find("get_balance") != std::string::npos);
    auto limited = http_error(429, R"({"detail":"slow down"})");
    limited.retry_after = 12;
    CHECK(tool_text(limited).find("wait 12 seconds") != std::string::npos);
    CHECK(tool_text(http_error(503, "{}")).find("safe to retry") != std::string::npos);
    CHECK(tool_text(UpstreamError::of(UpstreamError::Kind::MissingKey, "no API key"))
              .find("Authorization: Bearer") != std::string::npos);
}

TEST_CASE("keys are redacted from text the API echoes back") {
    CHECK(redact("token rdpk-secret-123 is invalid", "rdpk-secret-123") ==
          "token [redacted] is invalid");
    CHECK(redact("another key rdpk-other_9 leaked", "rdpk-mine") ==
          "another key [redacted] leaked");
    CHECK(redact("custom-key-abc and custom-key-abc", "custom-key-abc") ==
          "[redacted] and [redacted]");
    CHECK(redact("nothing here", "") == "nothing here");
}

// Found by tests/fuzz (fuzz_upstream_responses, corpus error-*-mistyped): members of another type
// than documented threw out of read_error_body, which tasks/get does not catch.
TEST_CASE("error members of another type are shown as JSON or left out, never thrown") {
    auto message = http_error(500, R"({"message": {"nested": true}})");
    CHECK(message.message == R"({"message":{"nested":true}})");

    auto detail = http_error(422, R"({"detail": {"code": 422, "message": ["not", "text"]}})");
    CHECK(detail.code == "validation_error");  // not the API's (not text): the status's default
    CHECK(detail.message == R"({"code":422,"message":["not","text"]})");

    auto list = http_error(
        422, R"({"detail": [{"msg": 5, "loc": ["body", 1]}, {"msg": "too big", "loc": "x"}]})");
    CHECK(list.message == "1: ; too big");
}
