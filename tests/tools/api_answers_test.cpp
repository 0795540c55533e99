#include "tools/api_answers.h"

#include <doctest/doctest.h>

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

namespace {

// Answers of no documented shape at all: each reads as all absent, never throws.
const Json kNotObjects[] = {Json(5), Json("text"), Json::array({1, 2}), Json(nullptr), Json(true)};

}  // namespace

TEST_CASE("the check_cost answer: the price and the balance, each read by type") {
    const auto price =
        Json{{"balance_cost", 0.036}, {"remaining_balance", 12.5}, {"input_tokens", 17}}
            .get<CostAnswer>();
    CHECK(price.balance_cost == 0.036);
    CHECK(price.remaining_balance == 12.5);

    const auto mistyped =
        Json{{"balance_cost", "0.036"}, {"remaining_balance", nullptr}}.get<CostAnswer>();
    CHECK_FALSE(mistyped.balance_cost);
    CHECK_FALSE(mistyped.remaining_balance);

    for (const auto& answer : kNotObjects) {
        CAPTURE(answer.dump());
        const auto none = answer.get<CostAnswer>();
        CHECK_FALSE(none.balance_cost);
        CHECK_FALSE(none.remaining_balance);
    }
}

TEST_CASE("the job admission: a task id only when it is text; images at once only as arrays") {
    const auto job = Json{
        {"status", "accepted"},
        {"task_id", "task-1"},
        {"balance_cost", 0.25},
        {"newer",
         {1, 2}}}.get<JobAdmission>();
    CHECK(job.task_id == "task-1");
    CHECK(job.status == "accepted");
    CHECK(job.balance_cost == 0.25);
    CHECK_FALSE(job.has_images);

    const auto mistyped =
        Json{{"status", 3}, {"task_id", 42}, {"balance_cost", "0.25"}}.get<JobAdmission>();
    CHECK_FALSE(mistyped.task_id);
    CHECK_FALSE(mistyped.status);
    CHECK_FALSE(mistyped.balance_cost);

    const auto nulls = Json{
        {"status", nullptr},
        {"task_id", nullptr},
        {"base64_images", nullptr},
        {"output_urls",
         nullptr}}.get<JobAdmission>();
    CHECK_FALSE(nulls.task_id);
    CHECK_FALSE(nulls.has_images);

    // The API ignored `async` and generated at once.
    CHECK(Json{{"base64_images", {"AAAA"}}}.get<JobAdmission>().has_images);
    CHECK(Json{{"output_urls", Json::array()}, {"base64_images", nullptr}}
              .get<JobAdmission>()
              .has_images);

    for (const auto& answer : kNotObjects) {
        CAPTURE(answer.dump());
        const auto none = answer.get<JobAdmission>();
        CHECK_FALSE(none.task_id);
        CHECK_FALSE(none.has_images);
    }
}

TEST_CASE("the job status: its state, its images once succeeded, why it failed") {
    const auto done = Json{
        {"status", "succeeded"},
        {"result",
         {{"base64_images", {"AAAA", "BBBB"}}, {"balance_cost", 0.5}, {"model", "rd_fast"}}},
        {"error",
         nullptr}}.get<JobStatusAnswer>();
    CHECK(done.status == "succeeded");
    CHECK(done.result.base64_images == std::vector<std::string>{"AAAA", "BBBB"});
    CHECK(done.result.labels == std::vector<std::string>{"generated", "generated"});
    CHECK(done.result.balance_cost == 0.5);
    CHECK(done.result.model == "rd_fast");
    CHECK_FALSE(done.error.status_code);
    CHECK_FALSE(done.error.detail);

    const auto failed =
        Json{{"status", "failed"}, {"error", {{"status_code", 422}, {"detail", "width too large"}}}}
            .get<JobStatusAnswer>();
    CHECK(failed.status == "failed");
    CHECK(failed.result.base64_images.empty());
    CHECK(failed.error.status_code == 422);
    CHECK(failed.error.detail == "width too large");

    // A bare message, and a detail of another shape (FastAPI's list of problems) kept as it came.
    CHECK(Json{{"error", "out of memory"}}.get<JobStatusAnswer>().error.detail == "out of memory");
    const auto listed = Json::parse(R"({"error": {"detail": [{"loc": ["body", "width"]}]}})")
                            .get<JobStatusAnswer>();
    CHECK(listed.error.detail == R"([{"loc":["body","width"]}])");

    // API v2's form: a code, a message in place of the detail, and the request id.
    const auto v2 = Json::parse(R"({"status": "failed", "error": {"status_code": 502,
        "code": "inference_failed", "message": "Inference failed.", "request_id": "req_9"}})")
                        .get<JobStatusAnswer>();
    CHECK(v2.error.status_code == 502);
    CHECK(v2.error.code == "inference_failed");
    CHECK(v2.error.detail == "Inference failed.");
    CHECK(v2.error.request_id == "req_9");
    CHECK_FALSE(failed.error.code);
    CHECK_FALSE(failed.error.request_id);
}

// Found by tests/fuzz (fuzz_upstream_responses): the same shapes once threw in tasks/get.
TEST_CASE("a job status of the wrong shape reads as absent members") {
    for (const Json& answer :
         {Json{{"status", "succeeded"}, {"result", 5}}, Json{{"status", 7}},
          Json{{"status", "failed"}, {"error", {{"status_code", "500"}, {"detail", nullptr}}}},
          Json{{"status", "failed"}, {"error", {{"status_code", 1e300}}}},
          Json{{"status", "failed"}, {"error", {{"status_code", 99}}}},
          Json{{"status", "failed"}, {"error", {{"status_code", 500.5}}}},
          Json{{"status", "failed"}, {"error", 17}}}) {
        CAPTURE(answer.dump());
        const auto status = answer.get<JobStatusAnswer>();
        CHECK(status.result.base64_images.empty());
        CHECK(status.result.labels.empty());
        CHECK_FALSE(status.error.status_code);
        CHECK_FALSE(status.error.detail);
    }
    CHECK(Json{{"status", 7}}.get<JobStatusAnswer>().status.empty());
    CHECK(Json{{"error", {{"status_code", 500.0}}}}.get<JobStatusAnswer>().error.status_code ==
          500);
    for (const auto& answer : kNotObjects) {
        CAPTURE(answer.dump());
        CHECK(answer.get<JobStatusAnswer>().status.empty());
    }
}

TEST_CASE("the balance answer: balance and credits, each a number or absent") {
    const auto balance =
        Json{{"credits", 0}, {"balance", 100.75}, {"plan", "pro"}}.get<BalanceAnswer>();
    CHECK(balance.balance == 100.75);
    CHECK(balance.credits == 0);

    const auto nulls = Json{{"credits", nullptr}, {"balance", "100"}}.get<BalanceAnswer>();
    CHECK_FALSE(nulls.balance);
    CHECK_FALSE(nulls.credits);
    for (const auto& answer : kNotObjects) {
        CAPTURE(answer.dump());
        CHECK_FALSE(answer.get<BalanceAnswer>().balance);
    }
}

TEST_CASE("a whole number reads back as an integer, anything else as it is") {
    CHECK(number_json(0).dump() == "0");
    CHECK(number_json(250).dump() == "250");
    CHECK(number_json(-3).dump() == "-3");
    CHECK(number_json(12.5).dump() == "12.5");
    CHECK(number_json(1e300).dump() == "1e+300");  // beyond what an integer holds exactly
}
