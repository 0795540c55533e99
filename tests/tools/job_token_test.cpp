#include "tools/job_token.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/base64.h"

using namespace rdmcp;
using namespace rdmcp::tools;

namespace {
JobDescription example_job() {
    JobDescription job;
    job.upstream_task_id = "8d24e990-1234";
    job.prompt_style = "rd_animation__vfx";
    job.width = 48;
    job.height = 48;
    job.num_images = 1;
    job.has_non_bg_removed = true;
    job.created_at_ms = 1764000000000;
    job.estimated_cost = 0.07;
    return job;
}

std::string base64url(std::string_view bytes) {
    std::string text = base64_encode(bytes);
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    while (!text.empty() && text.back() == '=') text.pop_back();
    return text;
}

// An id for any payload, signed as a caller who holds `key` can when there is no server secret.
std::string self_signed(const nlohmann::json& payload, const std::string& key) {
    const std::string material = std::string(1, '\0') + key;
    unsigned char mac_key[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), mac_key);
    const std::string signed_part = "rdjob1." + base64url(payload.dump());
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), mac_key, sizeof mac_key,
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
         &length);
    return signed_part + "." +
           base64url(std::string_view(reinterpret_cast<const char*>(mac), length));
}
}  // namespace

TEST_CASE("a job id round-trips for the key that signed it") {
    const auto id = sign_job(example_job(), "rdpk-alice", "");
    CHECK(id.rfind("rdjob1.", 0) == 0);
    CHECK(id.find_first_of("+/= ") == std::string::npos);  // safe in URLs and headers
    auto job = verify_job(id, "rdpk-alice", "");
    REQUIRE(job);
    CHECK(job->upstream_task_id == "8d24e990-1234");
    CHECK(job->prompt_style == "rd_animation__vfx");
    CHECK(job->width == 48);
    CHECK(job->has_non_bg_removed);
    CHECK_FALSE(job->has_pre_palette);
    CHECK(job->created_at_ms == 1764000000000);
    CHECK(job->estimated_cost == doctest::Approx(0.07));
}

TEST_CASE("another key, another server secret, or any altered byte is refused") {
    const auto id = sign_job(example_job(), "rdpk-alice", "shared-secret");
    CHECK(verify_job(id, "rdpk-alice", "shared-secret"));
    CHECK_FALSE(verify_job(id, "rdpk-bob", "shared-secret"));
    CHECK_FALSE(verify_job(id, "rdpk-alice", "other-secret"));
    CHECK_FALSE(verify_job(id, "", "shared-secret"));
    for (std::size_t i = 7; i < id.size(); ++i) {
        std::string altered = id;
        altered[i] = altered[i] == 'A' ? 'B' : 'A';
        CHECK_FALSE(verify_job(altered, "rdpk-alice", "shared-secret"));
    }
    CHECK_FALSE(verify_job("", "rdpk-alice", ""));
    CHECK_FALSE(verify_job("rdjob1.", "rdpk-alice", ""));
    CHECK_FALSE(verify_job("rdjob1..", "rdpk-alice", ""));
    CHECK_FALSE(verify_job("8d24e990-1234", "rdpk-alice", ""));
}

// Found by tests/fuzz (fuzz_upstream_responses, corpus crash-job-payload-mistyped): without a
// server secret a caller can sign any payload with its own key, and a field of another type
// threw out of verify_job (tasks/cancel and tasks/get ended the process).
TEST_CASE("a self-signed payload of the wrong shape is refused, not thrown") {
    const auto good =
        verify_job(self_signed({{"u", "t-1"}, {"s", "rd_fast__default"}, {"w", 64}, {"pp", true}},
                               "rdpk-alice"),
                   "rdpk-alice", "");
    REQUIRE(good);  // the helper signs as sign_job does
    CHECK(good->prompt_style == "rd_fast__default");
    CHECK(good->width == 64);
    CHECK(good->has_pre_palette);

    for (const auto& payload :
         {nlohmann::json{{"u", "t"}, {"s", 64}}, nlohmann::json{{"u", "t"}, {"w", "64"}},
          nlohmann::json{{"u", "t"}, {"n", 1e300}}, nlohmann::json{{"u", "t"}, {"h", 4294967296LL}},
          nlohmann::json{{"u", "t"}, {"t", 18446744073709551615ULL}},
          nlohmann::json{{"u", "t"}, {"pp", 1}}, nlohmann::json{{"u", "t"}, {"c", "0.1"}}}) {
        CAPTURE(payload.dump());
        CHECK_FALSE(verify_job(self_signed(payload, "rdpk-alice"), "rdpk-alice", ""));
    }
}

TEST_CASE("a self-signed id whose upstream task id leaves the API's alphabet is refused") {
    // The task id is put into GET /v1/inferences/tasks/{id}: a caller who signs with their own
    // key (no --job-secret) must not be able to steer that path.
    for (const char* task : {"../credits", "t?x=1", "t/1", "t%2f", "", "a b", "t#1", "t\n1"}) {
        CAPTURE(task);
        CHECK_FALSE(verify_job(self_signed({{"u", task}}, "rdpk-alice"), "rdpk-alice", ""));
    }
    CHECK_FALSE(
        verify_job(self_signed({{"u", std::string(101, 'a')}}, "rdpk-alice"), "rdpk-alice", ""));
    CHECK(verify_job(self_signed({{"u", "8d24e990-0b1c_4d2e"}}, "rdpk-alice"), "rdpk-alice", ""));
    CHECK(verify_job(self_signed({{"u", std::string(100, 'a')}}, "rdpk-alice"), "rdpk-alice", ""));
}

TEST_CASE("the upstream task id alphabet: letters, digits, '-' and '_', 1 to 100 characters") {
    CHECK(is_upstream_task_id("8d24e990-1234"));
    CHECK(is_upstream_task_id("abc_DEF"));
    CHECK_FALSE(is_upstream_task_id(""));
    CHECK_FALSE(is_upstream_task_id("a.b"));
    CHECK_FALSE(is_upstream_task_id("a/b"));
}
