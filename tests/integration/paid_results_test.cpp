// What was paid for is never lost: control fields the caller sends (async, check_cost) are the
// server's, an answer of the job shape is kept as a job, and a look-up that fails for a passing
// reason never ends a job. Every case runs over stdio and HTTP, 2026-07-28 and 2025-11-25, and
// asserts what the simulated API charged.
#include <doctest/doctest.h>

#include <thread>

#include "tests/support/mcp_callers.h"
#include "tests/support/paid_calls.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {

Json with(Json arguments, const Json& extra) {
    arguments.update(extra);
    return arguments;
}

// Paid submissions the API received: every POST /v1/inferences but the free dry runs.
std::size_t paid_posts(SimulatedApi& api) {
    std::size_t count = 0;
    for (const auto& post : api.requests_to("POST", "/v1/inferences")) {
        if (post["body"].value("check_cost", false) == false) ++count;
    }
    return count;
}

}  // namespace

TEST_CASE(
    "async: true on create_inference starts a job and returns its id: charged once, images "
    "recoverable") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 200}});
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        api.clear_requests();
        const double before = charged(api);

        auto started = caller->call_tool("create_inference", with(kCorgi, {{"async", true}}));
        REQUIRE_MESSAGE(!started.contains("isError"), started.dump());
        const std::string job_id = started["structuredContent"]["job_id"];
        CHECK(job_id.rfind("rdjob1.", 0) == 0);
        CHECK(text(started).find(job_id) != std::string::npos);
        auto posts = api.requests_to("POST", "/v1/inferences");
        REQUIRE(posts.size() == 1);
        CHECK(posts[0]["body"]["async"] == true);

        auto done = images_of_job(*caller, job_id);
        CHECK_FALSE(done.contains("isError"));
        CHECK(done["structuredContent"]["images"].size() == 1);
        CHECK(done["content"][1]["type"] == "image");

        auto listed = caller->call_tool("list_inference_jobs", Json::object());
        CHECK(listed["structuredContent"]["jobs"][0]["job_id"] == job_id);
        CHECK(paid_posts(api) == 1);
        CHECK(charged(api) - before == doctest::Approx(kCorgiCost));
    }
}

TEST_CASE(
    "check_cost: true on a generation tool is refused before sending, naming the tool for prices") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        for (const char* tool : {"create_inference", "start_inference_job"}) {
            CAPTURE(tool);
            auto refused = caller->call_tool(tool, with(kCorgi, {{"check_cost", true}}));
            CHECK(refused["isError"] == true);
            CHECK(text(refused).find("estimate_inference_cost") != std::string::npos);
            CHECK(text(refused).find("Nothing was charged") != std::string::npos);
        }
        // The price itself, from its own tool, whatever controls came along.
        auto priced = caller->call_tool("estimate_inference_cost",
                                        with(kCorgi, {{"num_images", 2}, {"async", true}}));
        CHECK(priced["structuredContent"]["source"] == "api_check_cost");
        CHECK(priced["structuredContent"]["balance_cost"] ==
              doctest::Approx(0.035));  // 2 x 0.01735
        auto posts = api.requests_to("POST", "/v1/inferences");
        REQUIRE(posts.size() == 1);
        CHECK(posts[0]["body"]["check_cost"] == true);
        CHECK_FALSE(posts[0]["body"].contains("async"));
        api.clear_requests();
    }
    CHECK(charged(api) == 0);
}

TEST_CASE("control fields take only true or false, refused before anything is sent") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        for (const char* field : {"async", "check_cost"}) {
            auto refused = caller->call_tool("create_inference", with(kCorgi, {{field, "yes"}}));
            CHECK(refused["isError"] == true);
            CHECK(text(refused).find(field) != std::string::npos);
        }
    }
    CHECK(api.requests_to("POST", "/v1/inferences").empty());
}

TEST_CASE(
    "a generation the API answers with a job instead of images is kept as a job, not reported "
    "failed") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        // Whatever made the API answer so (a field newer than us, a change of default), the
        // answer is a paid job: its id must reach the agent.
        api.fail_next({{"path_prefix", "/v1/inferences"},
                       {"method", "POST"},
                       {"status", 200},
                       {"body",
                        {{"status", "accepted"},
                         {"task_id", "8d24e990-0b1c-4d2e-9f00-0123456789ab"},
                         {"message", "Inference accepted."}}}});
        auto result = caller->call_tool("create_inference", kCorgi);
        CHECK_FALSE(result.contains("isError"));
        const std::string job_id = result["structuredContent"].value("job_id", "");
        CHECK(job_id.rfind("rdjob1.", 0) == 0);
        CHECK(result["structuredContent"]["upstream_task_id"] ==
              "8d24e990-0b1c-4d2e-9f00-0123456789ab");
        CHECK(text(result).find("refunded") == std::string::npos);
        auto listed = caller->call_tool("list_inference_jobs", Json::object());
        CHECK(listed["structuredContent"]["jobs"][0]["job_id"] == job_id);
    }
}

TEST_CASE(
    "a look-up that fails for a passing reason never ends the job; the next poll carries on") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 300}});
    const std::vector<Json> faults = {
        {{"status", 200}, {"transport", "reset_mid_body"}},
        {{"status", 503}},
        {{"status", 429}, {"retry_after", 1}},
        {{"status", 500}},
        {{"status", 401}, {"body", {{"detail", "Invalid token"}}}},
    };
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        const double before = charged(api);
        auto started = caller->call_tool("start_inference_job", kCorgi);
        const std::string job_id = started["structuredContent"]["job_id"];
        std::this_thread::sleep_for(400ms);  // done upstream: only the look-up can fail now

        for (Json fault : faults) {
            CAPTURE(fault.dump());
            // Twice: the upstream client retries a GET once after a reset or a 502-504.
            fault.update(
                {{"path_prefix", "/v1/inferences/tasks/"}, {"method", "GET"}, {"count", 2}});
            api.fail_next(fault);
            auto unread = caller->call_tool("get_inference_job", {{"job_id", job_id}});
            api.clear_faults();
            CHECK_FALSE(unread.contains("isError"));
            CHECK(unread["structuredContent"]["done"] == false);
            CHECK(unread["structuredContent"]["status"] == "unknown");
            CHECK(text(unread).find("do not start it again") != std::string::npos);
        }
        auto done = caller->call_tool("get_inference_job", {{"job_id", job_id}});
        CHECK(done["structuredContent"]["done"] == true);
        CHECK(done["structuredContent"]["images"].size() == 1);
        CHECK(charged(api) - before == doctest::Approx(kCorgiCost));
    }
    CHECK(paid_posts(api) == 4);  // one job per way in, never resubmitted

    // Only a definite answer ends it: the API not knowing the job.
    McpStdioClient client({}, {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    auto unknown = client.call_tool_modern("get_inference_job",
                                           {{"job_id", "00000000-0000-4000-8000-000000000000"}});
    CHECK(unknown["result"]["isError"] == true);
}

TEST_CASE("Tasks extension: tasks/get stays working through passing look-up failures") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 300}});
    const Json tasks_meta =
        modern_meta({{"io.modelcontextprotocol/clientCapabilities",
                      {{"extensions", {{"io.modelcontextprotocol/tasks", Json::object()}}}}}});
    const Json animation = {
        {"prompt", "fire"}, {"prompt_style", "rd_animation__vfx"}, {"width", 48}, {"height", 48}};
    for (auto& caller : every_way_in(api)) {
        if (!caller->modern()) continue;  // the extension is 2026-07-28's
        CAPTURE(caller->name());
        auto created = caller->request(
            "tools/call",
            {{"name", "create_inference"}, {"arguments", animation}, {"_meta", tasks_meta}});
        REQUIRE(created["result"]["resultType"] == "task");
        const std::string task_id = created["result"]["taskId"];
        std::this_thread::sleep_for(400ms);

        for (const Json& fault :
             {Json{{"status", 200}, {"transport", "reset_mid_body"}}, Json{{"status", 502}}}) {
            CAPTURE(fault.dump());
            Json rule = fault;
            rule.update(
                {{"path_prefix", "/v1/inferences/tasks/"}, {"method", "GET"}, {"count", 2}});
            api.fail_next(rule);
            auto task = caller->request("tasks/get", {{"_meta", tasks_meta}, {"taskId", task_id}});
            CHECK(task["result"]["status"] == "working");
            CHECK(task["result"]["statusMessage"].get<std::string>().find("goes on") !=
                  std::string::npos);
        }
        auto task = caller->request("tasks/get", {{"_meta", tasks_meta}, {"taskId", task_id}});
        CHECK(task["result"]["status"] == "completed");
        CHECK_FALSE(task["result"]["result"].contains("isError"));
        CHECK(task["result"]["result"]["content"][1]["mimeType"] == "image/gif");
    }
    CHECK(paid_posts(api) == 2);
    CHECK(charged(api) == doctest::Approx(2 * 0.07));
}
