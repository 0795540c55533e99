// API v2 (--api-version v2): a paid submission is charged once under any fault, because every
// attempt of it carries the same Idempotency-Key; what was paid for is found again after a
// restart and recovered by its request id for 24 hours. Every case runs over stdio and HTTP,
// 2026-07-28 and 2025-11-25, against the simulated API's v2, and asserts what it charged.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "tests/support/mcp_callers.h"
#include "tests/support/mcp_stdio_client.h"
#include "tests/support/paid_calls.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {

// A short upstream timeout, so an admission whose answer never comes is taken for lost quickly.
const std::vector<std::string> kV2ShortTimeout = {"--api-version", "v2", "--upstream-timeout", "3"};

// The paid submissions the API received (the free dry runs left out), and the keys they carried.
std::vector<Json> paid_v2_posts(SimulatedApi& api) {
    std::vector<Json> paid;
    for (const auto& post : api.requests_to("POST", "/v2/inferences")) {
        if (post["body"].value("check_cost", false) == false) paid.push_back(post);
    }
    return paid;
}

std::set<std::string> keys_of(const std::vector<Json>& posts) {
    std::set<std::string> keys;
    for (const auto& post : posts) keys.insert(post["headers"].value("idempotency-key", ""));
    return keys;
}

}  // namespace

TEST_CASE("v2: create_inference submits once with a key, polls the task and returns the images") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 200}});
    for (auto& caller : every_way_in(api, kTestKey, kV2ShortTimeout)) {
        CAPTURE(caller->name());
        api.clear_requests();
        const double before = charged(api);
        auto result = caller->call_tool("create_inference", kCorgi);
        REQUIRE_MESSAGE(!result.contains("isError"), result.dump());
        CHECK(result["structuredContent"]["images"].size() == 1);
        CHECK(result["content"][1]["type"] == "image");
        CHECK(result["structuredContent"]["request_id"].is_string());
        const auto posts = paid_v2_posts(api);
        REQUIRE(posts.size() == 1);
        CHECK_FALSE(posts[0]["body"].contains("async"));
        CHECK(keys_of(posts).begin()->rfind("rdmcp-", 0) == 0);
        CHECK(api.requests_to("GET", "/v1/inferences/tasks").empty());  // never v1
        CHECK(charged(api) - before == doctest::Approx(kCorgiCost));
    }
}

TEST_CASE("v2: a lost admission answer is asked for again with the same key: charged once") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 100}});
    const std::vector<std::pair<const char*, Json>> faults = {
        {"502 after the charge", {{"status", 502}, {"raw", "<html>bad gateway</html>"}}},
        {"no answer in time", {{"status", 504}, {"delay_ms", 5000}}},
        {"connection reset", {{"reset", true}}}};
    for (auto& caller : every_way_in(api, kTestKey, kV2ShortTimeout)) {
        for (const auto& [name, fault] : faults) {
            CAPTURE(caller->name());
            CAPTURE(name);
            api.clear_requests();
            const double before = charged(api);
            Json failure = fault;
            failure["path_prefix"] = "/v2/inferences";
            api.fail_after_admission(failure);
            auto result = caller->call_tool("create_inference", kCorgi);
            REQUIRE_MESSAGE(!result.contains("isError"), result.dump());
            CHECK(result["structuredContent"]["images"].size() == 1);
            const auto posts = paid_v2_posts(api);
            CHECK(posts.size() == 2);           // the lost one, and the one asked again
            CHECK(keys_of(posts).size() == 1);  // with the same key
            CHECK(charged(api) - before == doctest::Approx(kCorgiCost));
        }
    }
}

TEST_CASE("v2: the job path keeps its key too; a job started before a restart is found again") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 200}});
    for (auto& caller : every_way_in(api, kTestKey, kV2ShortTimeout)) {
        CAPTURE(caller->name());
        api.clear_requests();
        const double before = charged(api);
        api.fail_after_admission({{"path_prefix", "/v2/inferences"}, {"status", 503}});
        auto started = caller->call_tool("start_inference_job", kCorgi);
        REQUIRE_MESSAGE(!started.contains("isError"), started.dump());
        CHECK(keys_of(paid_v2_posts(api)).size() == 1);
        auto done = images_of_job(*caller, started["structuredContent"]["job_id"]);
        CHECK(done["structuredContent"]["images"].size() == 1);
        CHECK(charged(api) - before == doctest::Approx(kCorgiCost));
    }

    // Another server process (a restart, another replica) knows nothing of this job but what
    // the API's task list says.
    std::string upstream_task_id;
    {
        McpStdioClient first(kV2ShortTimeout,
                             {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
        auto started = first.call_tool_modern("start_inference_job", kCorgi);
        upstream_task_id = started["result"]["structuredContent"]["upstream_task_id"];
    }
    McpStdioClient second(kV2ShortTimeout,
                          {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    auto listed = second.call_tool_modern("list_inference_jobs", Json::object())["result"];
    std::string found;
    for (const auto& job : listed["structuredContent"]["jobs"]) {
        if (job["upstream_task_id"] == upstream_task_id) found = job["job_id"];
    }
    REQUIRE_MESSAGE(!found.empty(), listed.dump());
    Json done = Json::object();
    for (int i = 0; i < 100 && done["structuredContent"]["done"] != true; ++i) {
        done = second.call_tool_modern("get_inference_job", {{"job_id", found}})["result"];
        std::this_thread::sleep_for(50ms);
    }
    CHECK(done["structuredContent"]["images"].size() == 1);
}

TEST_CASE("v2: get_inference_result recovers a generation and an edit by request id, for 24 h") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 100}});
    for (auto& caller : every_way_in(api, kTestKey, kV2ShortTimeout)) {
        CAPTURE(caller->name());
        auto generated = caller->call_tool("create_inference", kCorgi);
        REQUIRE_MESSAGE(!generated.contains("isError"), generated.dump());
        const std::string generation = generated["structuredContent"]["request_id"];
        const std::string png = generated["content"][1]["data"];
        auto edited =
            caller->call_tool("edit_image", {{"prompt", "add a hat"}, {"input_image", png}});
        REQUIRE_MESSAGE(!edited.contains("isError"), edited.dump());
        const std::string edit = edited["structuredContent"]["request_id"];

        const double before = charged(api);
        for (const auto& id : {generation, edit}) {
            CAPTURE(id);
            auto recovered = caller->call_tool("get_inference_result", {{"request_id", id}});
            REQUIRE_MESSAGE(!recovered.contains("isError"), recovered.dump());
            CHECK(recovered["structuredContent"]["done"] == true);
            CHECK(recovered["structuredContent"]["images"].size() == 1);
            CHECK(recovered["content"][1]["type"] == "image");
        }
        CHECK(charged(api) == doctest::Approx(before));  // recovering is free

        // The edit is listed with the caller's other paid calls, by its request id.
        auto listed = caller->call_tool("list_inference_jobs", Json::object());
        bool edit_listed = false;
        for (const auto& other : listed["structuredContent"]["other_results"]) {
            edit_listed = edit_listed || other["request_id"] == edit;
        }
        CHECK_MESSAGE(edit_listed, listed.dump());

        auto unknown = caller->call_tool("get_inference_result", {{"request_id", "no_such_id"}});
        CHECK(unknown["isError"] == true);
        CHECK(text(unknown).find("knows no request") != std::string::npos);
    }
}

TEST_CASE("v2: after 24 hours a result's outputs are gone, and get_inference_result says so") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 100}});
    for (auto& caller : every_way_in(api, kTestKey, kV2ShortTimeout)) {
        CAPTURE(caller->name());
        auto generated = caller->call_tool("create_inference", kCorgi);
        const std::string id = generated["structuredContent"]["request_id"];
        api.advance_clock(25 * 3600);
        auto expired = caller->call_tool("get_inference_result", {{"request_id", id}});
        CHECK(expired["isError"] == true);
        CHECK(text(expired).find("24 hours") != std::string::npos);
    }
}

TEST_CASE("v2: the Tasks path keeps the key: a lost admission answer is charged once") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 600}});
    McpStdioClient client(kV2ShortTimeout,
                          {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    const Json tasks =
        modern_meta({{"io.modelcontextprotocol/clientCapabilities",
                      {{"extensions", {{"io.modelcontextprotocol/tasks", Json::object()}}}}}});
    api.fail_after_admission({{"path_prefix", "/v2/inferences"}, {"reset", true}});
    const Json animation = {
        {"prompt", "fire"}, {"prompt_style", "rd_animation__vfx"}, {"width", 48}, {"height", 48}};
    auto created = client.call_tool_modern("create_inference", animation, tasks)["result"];
    REQUIRE_MESSAGE(created["resultType"] == "task", created.dump());
    Json task;
    for (int i = 0; i < 60; ++i) {
        task = client.request("tasks/get",
                              {{"_meta", tasks}, {"taskId", created["taskId"]}})["result"];
        if (task["status"] != "working") break;
        std::this_thread::sleep_for(100ms);
    }
    REQUIRE(task["status"] == "completed");
    CHECK(task["result"]["content"][1]["mimeType"] == "image/gif");  // fetched from output_urls
    const auto posts = paid_v2_posts(api);
    CHECK(posts.size() == 2);
    CHECK(keys_of(posts).size() == 1);
    CHECK(api.ledger()["total_charged"].get<double>() > 0);
    CHECK(api.ledger()["entries"].size() == 1);  // one charge
}

TEST_CASE("v2: idempotency_backend_unavailable is not sent again, and says what to do") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, kV2ShortTimeout)) {
        CAPTURE(caller->name());
        api.clear_requests();
        api.fail_next({{"path_prefix", "/v2/inferences"},
                       {"status", 503},
                       {"body",
                        {{"error",
                          {{"code", "idempotency_backend_unavailable"},
                           {"message", "Idempotency backend unavailable."},
                           {"request_id", "req_idem_1"}}}}}});
        auto refused = caller->call_tool("create_inference", kCorgi);
        CHECK(refused["isError"] == true);
        CHECK(text(refused).find("idempotency_backend_unavailable") != std::string::npos);
        CHECK(text(refused).find("list_inference_jobs") != std::string::npos);
        CHECK(paid_v2_posts(api).size() == 1);  // the catalog: not retryable
    }
}
