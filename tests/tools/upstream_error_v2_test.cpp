// API v2's error envelope, the request id from body or headers, every v1 shape's code (the API's
// v1-to-v2 mapping), and the tool error text an agent reads for them.
#include <doctest/doctest.h>

#include "tests/support/tool_errors.h"
#include "tools/agent_errors.h"
#include "tools/upstream_error.h"

using namespace rdmcp::tools;
using rdmcp::protocol::Json;
using rdmcp::testing::tool_text;

namespace {
UpstreamError v2_http_error(int status, const std::string& body, std::string header_id = "") {
    auto error = UpstreamError::of(UpstreamError::Kind::Http, "", status);
    error.method = "POST";
    error.path = "/v2/inferences";
    error.request_id = std::move(header_id);
    read_error_body(body, error);
    return error;
}
bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("the v2 envelope: code, message, request id and details") {
    auto error =
        v2_http_error(402, R"({"error":{"code":"not_enough_balance","message":"Not enough balance.",
                 "request_id":"req_abc123","details":{"balance":0.01}}})");
    CHECK(error.code == "not_enough_balance");
    CHECK(error.message == "Not enough balance.");
    CHECK(error.request_id == "req_abc123");
    REQUIRE(error.details);
    CHECK((*error.details)["balance"] == 0.01);
    CHECK(error.summary() ==
          "POST /v2/inferences: HTTP 402 (not_enough_balance): Not enough balance "
          "(request id: req_abc123)");

    // No details: none kept; a null one is none either.
    CHECK_FALSE(
        v2_http_error(404, R"({"error":{"code":"not_found","message":"x","request_id":"r"}})")
            .details);
    CHECK_FALSE(v2_http_error(404, R"({"error":{"code":"not_found","details":null}})").details);
}

TEST_CASE("v2 validation issues read like v1's list: location: message") {
    auto error = v2_http_error(422, R"({"error":{"code":"validation_error",
        "message":"The request could not be validated.","request_id":"req_1",
        "details":{"issues":[
            {"location":["body","width"],"code":"less_than_equal","message":"must be <= 512"},
            {"location":["body","images",0],"code":"invalid","message":"not base64"}]}}})");
    CHECK(error.code == "validation_error");
    CHECK(error.message == "width: must be <= 512; images.0: not base64");
    CHECK(error.details->contains("issues"));

    // No readable issues: the envelope's message stays.
    CHECK(v2_http_error(422, R"({"error":{"code":"validation_error","message":"Invalid.",
                              "details":{"issues":[]}}})")
              .message == "Invalid.");
}

TEST_CASE("the request id: the body's, else the header's") {
    CHECK(v2_http_error(503, R"({"error":{"code":"service_unavailable","request_id":"from-body"}})",
                        "from-header")
              .request_id == "from-body");
    CHECK(v2_http_error(503, "", "from-header").request_id == "from-header");
    CHECK(request_id_from_headers("x-request", "x-rd") == "x-request");
    CHECK(request_id_from_headers("", "x-rd") == "x-rd");
    CHECK(request_id_from_headers("", "") == "");
    CHECK(request_id_from_headers(std::string(1000, 'r'), "").size() < 200);  // bounded
}

TEST_CASE("every v1 shape gets a code: its own, a mapped message's, or the status's default") {
    // contracts/v1-error-compatibility.json, case by case.
    auto unknown_route = v2_http_error(404, R"({"detail":"Not Found"})");
    CHECK(unknown_route.code == "not_found");
    CHECK(unknown_route.message == "Not Found");
    CHECK(v2_http_error(405, R"({"detail":"Method Not Allowed"})").code == "method_not_allowed");
    auto missing_token =
        v2_http_error(422, R"({"detail":[{"loc":["header","X-RD-Token"],"msg":"field required",
                            "type":"value_error.missing"}]})");
    CHECK(missing_token.code == "validation_error");
    CHECK(missing_token.message == "header.X-RD-Token: field required");
    auto legacy = v2_http_error(410, R"({"detail":[{"msg":"This endpoint has been deprecated. Please
use /v1/inferences instead.","migration_guide":"https://github.com/Retro-Diffusion/api-examples",
"new_endpoint":"/v1/inferences"}]})");
    CHECK(legacy.code == "gone");
    CHECK(has(legacy.message, "deprecated"));

    // detail.code is the API's own; a known v1 message gets the code v2 gives it.
    CHECK(v2_http_error(500, R"({"detail":{"code":"inference_failed","message":"x"}})").code ==
          "inference_failed");
    CHECK(v2_http_error(400, R"({"detail":[{"msg":"Not enough balance."}]})").code ==
          "not_enough_balance");
    CHECK(v2_http_error(401, R"({"detail":"Invalid or expired API token"})").code ==
          "invalid_token");
    CHECK(v2_http_error(400, R"({"detail":[{"msg":"prompt is too long"}]})").code == "bad_request");
}

TEST_CASE("bodiless and unreadable answers get the status's default code") {
    const std::pair<int, const char*> defaults[] = {
        {400, "bad_request"},        {401, "invalid_token"},
        {402, "not_enough_balance"}, {403, "forbidden"},
        {404, "not_found"},          {405, "method_not_allowed"},
        {409, "conflict"},           {410, "gone"},
        {413, "payload_too_large"},  {422, "validation_error"},
        {429, "rate_limited"},       {500, "internal_error"},
        {502, "upstream_failure"},   {503, "service_unavailable"},
        {504, "request_timeout"}};
    for (const auto& [status, code] : defaults) {
        CAPTURE(status);
        CHECK(v2_http_error(status, "").code == code);
        CHECK(v2_http_error(status, "<html>oops</html>").code == code);
    }
    auto unmapped = v2_http_error(418, "");
    CHECK(unmapped.code.empty());
    CHECK(unmapped.summary() == "POST /v2/inferences: HTTP 418");
}

TEST_CASE("tool errors carry the request id and branch on the code") {
    auto balance =
        v2_http_error(402, R"({"error":{"code":"not_enough_balance","message":"Not enough balance.",
                 "request_id":"req_42"}})");
    const auto text = tool_text(balance);
    CHECK(has(text, "request id: req_42"));
    CHECK(has(text, "get_balance"));  // explained like v1's "Not enough balance"
    CHECK(has(text, "Nothing was charged"));
    // v1's 400 says the same thing, and is explained the same way.
    CHECK(has(tool_text(v2_http_error(400, R"({"detail":[{"msg":"Not enough balance."}]})")),
              "get_balance"));
    // The wording is not what decides: a 400 that mentions balance is a field error.
    CHECK_FALSE(has(tool_text(v2_http_error(400, R"({"detail":"balance_cost must be positive"})")),
                    "get_balance"));

    CHECK(
        has(tool_text(v2_http_error(401, R"({"error":{"code":"invalid_token","request_id":"r"}})")),
            "RD_API_KEY"));
    auto retryable =
        tool_text(v2_http_error(502, R"({"error":{"code":"inference_failed"}})", "r-9"));
    CHECK(has(retryable, "safe to retry"));
    CHECK(has(retryable, "request id: r-9"));
    auto final_failure =
        tool_text(v2_http_error(503, R"({"error":{"code":"idempotency_backend_unavailable"}})"));
    CHECK_FALSE(has(final_failure, "safe to retry"));
    CHECK(has(final_failure, "will not help"));
}

TEST_CASE("keys are redacted from details too; hostile codes and ids are bounded") {
    const Json details = {{"echo", "rdpk-leaked-1"}, {"list", {"mine-secret", 3}}};
    const Json clean = redact_json(details, "mine-secret");
    CHECK(clean["echo"] == "[redacted]");
    CHECK(clean["list"][0] == "[redacted]");
    CHECK(clean["list"][1] == 3);

    auto hostile = v2_http_error(500, Json{{"error",
                                            {{"code", std::string(5000, 'c')},
                                             {"request_id", std::string(5000, 'i')},
                                             {"details", {{"big", std::string(10000, 'd')}}}}}}
                                          .dump());
    CHECK(hostile.code.size() < 200);
    CHECK(hostile.request_id.size() < 200);
    CHECK_FALSE(hostile.details);  // too large to carry
}
