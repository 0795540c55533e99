#include "tools/job_ledger.h"

#include <doctest/doctest.h>

#include "tools/inference_jobs.h"

using namespace rdmcp::tools;

namespace {
LedgerEntry job(const std::string& id, long long created_at_ms = unix_now_ms()) {
    return {.job_id = id,
            .upstream_task_id = "u-" + id,
            .prompt_style = "rd_fast__default",
            .prompt = "corgi",
            .created_at_ms = created_at_ms,
            .last_status = "accepted"};
}
}  // namespace

TEST_CASE("each caller sees only its own jobs, newest first") {
    JobLedger ledger;
    ledger.record("rdpk-alice", job("a1"));
    ledger.record("rdpk-bob", job("b1"));
    ledger.record("rdpk-alice", job("a2"));
    auto alice = ledger.jobs_of("rdpk-alice");
    REQUIRE(alice.size() == 2);
    CHECK(alice[0].job_id == "a2");
    CHECK(alice[1].job_id == "a1");
    CHECK(ledger.jobs_of("rdpk-bob").size() == 1);
    CHECK(ledger.jobs_of("rdpk-carol").empty());

    ledger.update_status("rdpk-bob", "a1", "succeeded");  // not Bob's job: nothing changes
    ledger.update_status("rdpk-alice", "a1", "succeeded");
    CHECK(ledger.jobs_of("rdpk-alice")[1].last_status == "succeeded");
}

TEST_CASE("bounded per caller, per number of callers, and in time") {
    JobLedger ledger({.jobs_per_caller = 3, .callers = 2, .retention = std::chrono::hours(1)});
    // Not "a" + std::to_string(i): GCC 12 at -O3 warns falsely (-Wrestrict) about a literal +
    // std::string&& (GCC bugs 105329, 105651).
    for (const char* id : {"a0", "a1", "a2", "a3", "a4"}) ledger.record("rdpk-alice", job(id));
    auto alice = ledger.jobs_of("rdpk-alice");
    REQUIRE(alice.size() == 3);
    CHECK(alice[0].job_id == "a4");

    ledger.record("rdpk-bob", job("b"));
    ledger.record("rdpk-carol", job("c"));  // a third caller pushes out the stalest one
    CHECK(ledger.jobs_of("rdpk-carol").size() == 1);
    CHECK(ledger.jobs_of("rdpk-alice").empty() + ledger.jobs_of("rdpk-bob").empty() == 1);

    ledger.record("rdpk-carol", job("old", unix_now_ms() - 2 * 3600 * 1000));
    CHECK(ledger.jobs_of("rdpk-carol").size() == 1);  // two hours old: expired
}

TEST_CASE("callers are told apart by a fingerprint, never by the key itself") {
    CHECK(key_fingerprint("rdpk-alice").size() == 64);
    CHECK(key_fingerprint("rdpk-alice") != key_fingerprint("rdpk-bob"));
    CHECK(key_fingerprint("rdpk-alice").find("alice") == std::string::npos);
}
