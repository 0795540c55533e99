// The compiled-in error catalog against the API's published one (a copy of
// contracts/v2/error-codes.json at 1274e0b9), and the retry decision for reads built on it.
#include "tools/error_catalog.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "protocol/json_rpc.h"
#include "tools/read_retry.h"

using namespace rdmcp::tools;
using rdmcp::protocol::Json;
using namespace std::chrono_literals;

namespace {
Json published_catalog() {
    std::ifstream file(RDMCP_TEST_DATA_DIR "/upstream/v2-error-codes.json");
    REQUIRE(file.good());
    return Json::parse(file);
}
UpstreamError http(int status, std::string code, std::optional<int> retry_after = {}) {
    auto error = UpstreamError::of(UpstreamError::Kind::Http, "", status);
    error.code = std::move(code);
    error.retry_after = retry_after;
    return error;
}
}  // namespace

TEST_CASE("the catalog holds every published code with its status and retryable flag") {
    const Json published = published_catalog();
    REQUIRE(published["errors"].size() == 138);
    CHECK(catalog_entries().size() == 138);
    for (const auto& entry : published["errors"]) {
        const std::string code = entry["code"];
        CAPTURE(code);
        auto ours = catalog_entry(code);
        REQUIRE(ours);
        CHECK(ours->code == code);
        CHECK(ours->status == entry["status_code"].get<int>());
        CHECK(ours->retryable == entry["retryable"].get<bool>());
    }
    const auto entries = catalog_entries();
    CHECK(std::is_sorted(entries.begin(), entries.end(),
                         [](const auto& a, const auto& b) { return a.code < b.code; }));
}

TEST_CASE("a few entries, as the published catalog states them") {
    auto balance = catalog_entry("not_enough_balance");
    REQUIRE(balance);
    CHECK(balance->status == 402);
    CHECK_FALSE(balance->retryable);

    auto idempotency = catalog_entry("idempotency_backend_unavailable");
    REQUIRE(idempotency);
    CHECK(idempotency->status == 503);
    CHECK_FALSE(idempotency->retryable);  // a 503 the API says not to resend

    auto limited = catalog_entry("rate_limited");
    REQUIRE(limited);
    CHECK(limited->status == 429);
    CHECK(limited->retryable);

    CHECK_FALSE(catalog_entry("no_such_code"));
    CHECK_FALSE(catalog_entry(""));
    CHECK_FALSE(catalog_entry("insufficient_balance"));  // in the v1 mapping only
    CHECK(is_balance_code("insufficient_balance"));
    CHECK(default_code_for_status(404) == "not_found");
    CHECK(default_code_for_status(418).empty());
}

TEST_CASE("a read is retried when the catalog (or, for unknown codes, the status) says so") {
    CHECK(read_retry_wait(UpstreamError::of(UpstreamError::Kind::Connect, "refused")) == 0s);
    CHECK(read_retry_wait(UpstreamError::of(UpstreamError::Kind::Timeout, "slow")) == 0s);
    CHECK_FALSE(read_retry_wait(UpstreamError::of(UpstreamError::Kind::MissingKey, "")));
    CHECK_FALSE(read_retry_wait(UpstreamError::of(UpstreamError::Kind::Cancelled, "")));
    CHECK_FALSE(read_retry_wait(UpstreamError::of(UpstreamError::Kind::InvalidResponse, "")));

    // By the catalog's flag, whatever the status.
    CHECK(read_retry_wait(http(503, "service_unavailable")) == 0s);
    CHECK(read_retry_wait(http(500, "internal_error")) == 0s);
    CHECK(read_retry_wait(http(502, "inference_failed")) == 0s);
    CHECK_FALSE(read_retry_wait(http(503, "idempotency_backend_unavailable")));
    CHECK_FALSE(read_retry_wait(http(500, "credits_lookup_failed")));
    CHECK_FALSE(read_retry_wait(http(402, "not_enough_balance")));
    CHECK_FALSE(read_retry_wait(http(404, "not_found")));

    // Codes the catalog does not know: by status.
    for (int status : {502, 503, 504}) CHECK(read_retry_wait(http(status, "brand_new")) == 0s);
    for (int status : {400, 404, 409, 500}) CHECK_FALSE(read_retry_wait(http(status, "brand_new")));

    // 429 only with a Retry-After short enough to wait inside the call; any Retry-After is kept.
    CHECK(read_retry_wait(http(429, "rate_limited", 2)) == 2s);
    CHECK_FALSE(read_retry_wait(http(429, "rate_limited")));
    CHECK_FALSE(read_retry_wait(http(429, "rate_limited", 60)));
    CHECK(read_retry_wait(http(429, "brand_new", 1)) == 1s);
    CHECK(read_retry_wait(http(503, "service_unavailable", 3)) == 3s);
}

TEST_CASE("a retry's wait ends early when the caller cancels") {
    rdmcp::protocol::CancellationToken token;
    CHECK(wait_unless_cancelled(0s, &token));
    CHECK(wait_unless_cancelled(0s, nullptr));
    token.cancel();
    const auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(wait_unless_cancelled(5s, &token));
    CHECK(std::chrono::steady_clock::now() - started < 1s);
}
