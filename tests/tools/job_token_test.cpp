#include "tools/job_token.h"

#include <doctest/doctest.h>

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
