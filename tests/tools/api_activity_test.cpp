// API Activity records and the v2 task list, read by type: what get_inference_result and
// list_inference_jobs build on.
#include "tools/api_activity.h"

#include <doctest/doctest.h>

#include "tools/idempotency_key.h"

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

TEST_CASE("An API Activity record: outputs with their links, cost, error, what was asked") {
    const auto activity = Json::parse(R"({
        "request_id": "req_1", "operation": "edit_tool", "status": "succeeded", "mode": "sync",
        "request": {"tool_id": "remove_background"}, "balance_cost": 0.04, "charged": true,
        "http_status": 200, "error": null, "output_status": "available",
        "outputs": [
            {"position": 0, "media_type": "image/png", "available": true,
             "retained_until": "2026-12-06T00:00:00Z", "url": "https://cdn.example/a.png"},
            {"position": 1, "media_type": "image/png", "available": false, "url": null},
            "not an output"],
        "token_prefix": "rdpk-abc", "created_at": "2026-12-05T00:00:00Z",
        "updated_at": "2026-12-05T00:00:01Z", "completed_at": null})")
                              .get<ApiActivity>();
    CHECK(activity.request_id == "req_1");
    CHECK(activity.operation == "edit_tool");
    CHECK(activity.status == "succeeded");
    CHECK(activity.balance_cost == doctest::Approx(0.04));
    CHECK(activity.charged == true);
    CHECK_FALSE(activity.error_code);
    REQUIRE(activity.outputs.size() == 2);
    CHECK(activity.outputs[0].available);
    CHECK(activity.outputs[0].url == "https://cdn.example/a.png");
    CHECK_FALSE(activity.outputs[1].available);
    CHECK_FALSE(activity.outputs[1].url);
    CHECK_FALSE(activity.completed_at);  // null: absent
    CHECK(activity.request["tool_id"] == "remove_background");

    const auto failed = Json::parse(R"({"request_id": "req_2", "status": "failed",
        "error": {"code": "inference_failed", "message": "Unable to run inference."}})")
                            .get<ApiActivity>();
    CHECK(failed.operation == "inference");  // the documented default
    CHECK(failed.error_code == "inference_failed");
    CHECK(failed.error_message == "Unable to run inference.");
    CHECK(Json::array().get<ApiActivity>().request_id.empty());  // not an object: all absent
}

TEST_CASE("The task list: ids, statuses and times in either form the API uses") {
    const auto list = Json::parse(R"({"tasks": [
        {"task_id": "t1", "status": "running", "created_at": "2026-12-05T00:00:01.250Z"},
        {"task_id": "t2", "status": "succeeded", "created_at": 1780000000},
        {"status": "failed"},
        {"task_id": "t3", "status": null, "created_at": "2026-12-05T01:00:00+01:00"}]})")
                          .get<TaskList>();
    REQUIRE(list.tasks.size() == 3);  // the one without an id is left out
    CHECK(list.tasks[0].created_at_ms == 1796428801250LL);
    CHECK(list.tasks[1].created_at_ms == 1780000000000LL);
    CHECK(list.tasks[2].status.empty());
    CHECK(list.tasks[2].created_at_ms == 1796428800000LL);  // the offset applied
    CHECK(Json{{"tasks", nullptr}}.get<TaskList>().tasks.empty());
    CHECK_FALSE(unix_ms_in(Json{{"t", "yesterday"}}, "t"));
}

TEST_CASE("Idempotency keys: visible ASCII within the API's 1-256, and never the same twice") {
    const auto first = new_idempotency_key(), second = new_idempotency_key();
    CHECK(first != second);
    CHECK(first.size() == 38);
    CHECK(first.rfind("rdmcp-", 0) == 0);
    for (char c : first) CHECK((c > ' ' && c < 0x7f));
}
