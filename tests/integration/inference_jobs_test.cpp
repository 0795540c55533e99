// Long generations: the async job tools any client can use, and the Tasks extension for
// 2026-07-28 clients that declare it, over stdio against rd-sim's async tasks.
#include <doctest/doctest.h>

#include "tests/support/mcp_stdio_client.h"
#include "tests/support/paid_calls.h"
#include "tests/support/simulated_api.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {

Json tasks_meta() {
    return modern_meta({{"io.modelcontextprotocol/clientCapabilities",
                         {{"extensions", {{"io.modelcontextprotocol/tasks", Json::object()}}}}}});
}

const Json kAnimation = {
    {"prompt", "fire"}, {"prompt_style", "rd_animation__vfx"}, {"width", 48}, {"height", 48}};

std::size_t submissions(SimulatedApi& api) {
    std::size_t count = 0;
    for (const auto& post : api.requests_to("POST", "/v1/inferences")) {
        if (post["body"].value("check_cost", false) == false) ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("start, poll until done, and list: submitted exactly once") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 1500}});
    McpStdioClient client({}, env_for(api, kTestKey));

    auto started = result_of(client.call_tool_modern("start_inference_job", kCorgi));
    const std::string job_id = started["structuredContent"]["job_id"];
    CHECK(started["structuredContent"]["status"] == "accepted");
    CHECK(started["structuredContent"]["estimated_cost"] == doctest::Approx(0.017));
    CHECK(text(started).find(job_id) != std::string::npos);
    auto posts = api.requests_to("POST", "/v1/inferences");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0]["body"]["async"] == true);

    auto running = result_of(client.call_tool_modern("get_inference_job", {{"job_id", job_id}}));
    CHECK(running["structuredContent"]["done"] == false);
    CHECK(text(running).find("do not start it again") != std::string::npos);

    Json done;
    for (int i = 0; i < 40; ++i) {
        done = result_of(client.call_tool_modern("get_inference_job", {{"job_id", job_id}}));
        if (done["structuredContent"]["done"] == true) break;
        std::this_thread::sleep_for(150ms);
    }
    REQUIRE(done["structuredContent"]["done"] == true);
    CHECK(done["structuredContent"]["status"] == "succeeded");
    CHECK(done["structuredContent"]["images"][0]["width"] == 64);
    CHECK(done["content"][1]["type"] == "image");
    CHECK(done["content"][1]["mimeType"] == "image/png");

    // Polling again (a retried get) never resubmits.
    result_of(client.call_tool_modern("get_inference_job", {{"job_id", job_id}}));
    CHECK(submissions(api) == 1);

    auto listed = result_of(client.call_tool_modern("list_inference_jobs", Json::object()));
    REQUIRE(listed["structuredContent"]["count"] == 1);
    CHECK(listed["structuredContent"]["jobs"][0]["job_id"] == job_id);
    CHECK(listed["structuredContent"]["jobs"][0]["last_status"] == "succeeded");
}

TEST_CASE("forged, altered and foreign job ids are refused") {
    SimulatedApi api;
    McpStdioClient alice({}, env_for(api, kTestKey));
    McpStdioClient bob({}, env_for(api, kSecondTestKey));
    auto started = result_of(alice.call_tool_modern("start_inference_job", kCorgi));
    std::string job_id = started["structuredContent"]["job_id"];
    const std::string upstream_id = started["structuredContent"]["upstream_task_id"];

    auto foreign = result_of(bob.call_tool_modern("get_inference_job", {{"job_id", job_id}}));
    CHECK(foreign["isError"] == true);
    CHECK(text(foreign).find("another key") != std::string::npos);

    std::string altered = job_id;
    altered[10] = altered[10] == 'x' ? 'y' : 'x';
    CHECK(result_of(alice.call_tool_modern("get_inference_job",
                                           {{"job_id", altered}}))["isError"] == true);

    // A bare upstream id works for its owner, and the API refuses it to anyone else.
    auto bare = result_of(bob.call_tool_modern("get_inference_job", {{"job_id", upstream_id}}));
    CHECK(bare["isError"] == true);
    CHECK(text(bare).find("does not know this job") != std::string::npos);
    CHECK(result_of(bob.call_tool_modern("list_inference_jobs",
                                         Json::object()))["structuredContent"]["count"] == 0);
}

TEST_CASE("a failed job is an actionable tool error, and its charge is refunded") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 300}});
    McpStdioClient client({}, env_for(api, kTestKey));
    Json failing = kCorgi;
    failing["prompt"] = "FAILME please";
    auto started = result_of(client.call_tool_modern("start_inference_job", failing));
    Json result;
    for (int i = 0; i < 40; ++i) {
        result = result_of(client.call_tool_modern(
            "get_inference_job", {{"job_id", started["structuredContent"]["job_id"]}}));
        if (result.contains("isError")) break;
        std::this_thread::sleep_for(100ms);
    }
    CHECK(result["isError"] == true);
    CHECK(text(result).find("failed") != std::string::npos);
    CHECK(text(result).find("refunded") != std::string::npos);
    CHECK(result_of(client.call_tool_modern(
              "get_balance", Json::object()))["structuredContent"]["balance"] == 100.0);
}

TEST_CASE("Tasks extension: an animation answers with a task, tasks/get returns the result") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 800}});
    McpStdioClient client({}, env_for(api, kTestKey));

    auto discover = result_of(client.request("server/discover", {{"_meta", modern_meta()}}));
    CHECK(discover["capabilities"]["extensions"].contains("io.modelcontextprotocol/tasks"));

    auto created = result_of(client.call_tool_modern("create_inference", kAnimation, tasks_meta()));
    REQUIRE(created["resultType"] == "task");
    CHECK(created["status"] == "working");
    CHECK(created["pollIntervalMs"] == 2000);
    CHECK(created["ttlMs"].is_number_integer());
    const std::string task_id = created["taskId"];

    Json task;
    for (int i = 0; i < 40; ++i) {
        task =
            result_of(client.request("tasks/get", {{"_meta", tasks_meta()}, {"taskId", task_id}}));
        if (task["status"] != "working") break;
        std::this_thread::sleep_for(100ms);
    }
    CHECK(task["resultType"] == "complete");
    REQUIRE(task["status"] == "completed");
    CHECK(task["result"]["content"][1]["mimeType"] == "image/gif");
    CHECK(task["result"]["structuredContent"]["images"][0]["width"] == 48);

    CHECK(
        result_of(client.request("tasks/cancel", {{"_meta", tasks_meta()}, {"taskId", task_id}})) ==
        Json{{"resultType", "complete"},
             {"_meta",
              {{"io.modelcontextprotocol/serverInfo",
                discover["_meta"]["io.modelcontextprotocol/serverInfo"]}}}});
    CHECK(submissions(api) == 1);  // polling and cancelling never resubmit
}

TEST_CASE("Tasks extension: quick work completes inline, slow work becomes a task") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 300}});
    McpStdioClient client({"--task-inline-wait-ms", "3000"}, env_for(api, kTestKey));
    auto quick = result_of(client.call_tool_modern("create_inference", kCorgi, tasks_meta()));
    CHECK(quick["resultType"] == "complete");
    CHECK(quick["structuredContent"]["images"].size() == 1);

    api.configure({{"async_duration_ms", 8000}});
    const auto started = std::chrono::steady_clock::now();
    auto slow = result_of(client.call_tool_modern("create_inference", kCorgi, tasks_meta()));
    CHECK(slow["resultType"] == "task");
    CHECK(std::chrono::steady_clock::now() - started < 6s);
}

TEST_CASE("Tasks extension: a task id is refused with another key or when forged") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 5000}});
    McpStdioClient alice({}, env_for(api, kTestKey));
    McpStdioClient bob({}, env_for(api, kSecondTestKey));
    auto created = result_of(alice.call_tool_modern("create_inference", kAnimation, tasks_meta()));
    const std::string task_id = created["taskId"];

    auto foreign = bob.request("tasks/get", {{"_meta", tasks_meta()}, {"taskId", task_id}});
    CHECK(foreign["error"]["code"] == -32602);
    auto forged = alice.request("tasks/get", {{"_meta", tasks_meta()}, {"taskId", task_id + "x"}});
    CHECK(forged["error"]["code"] == -32602);
    CHECK(bob.request("tasks/cancel",
                      {{"_meta", tasks_meta()}, {"taskId", task_id}})["error"]["code"] == -32602);
}

TEST_CASE("clients that declare nothing keep the synchronous call") {
    SimulatedApi api;
    McpStdioClient client({}, env_for(api, kTestKey));
    auto result = result_of(client.call_tool_modern("create_inference", kAnimation));
    CHECK(result["resultType"] == "complete");
    CHECK(result["content"][1]["mimeType"] == "image/gif");
    auto posts = api.requests_to("POST", "/v1/inferences");
    REQUIRE(posts.size() == 1);
    CHECK_FALSE(posts[0]["body"].contains("async"));

    client.initialize();  // legacy clients too
    auto legacy =
        client.request("tools/call", {{"name", "create_inference"}, {"arguments", kAnimation}});
    CHECK(legacy["result"]["content"][1]["mimeType"] == "image/gif");
}

// Found by tests/fuzz (fuzz_upstream_responses): a job answer of another shape than documented
// (a `result` that is not an object, a `status` or `status_code` that is not a string or a
// number) threw while tasks/get read it, and the exception ended the server.
TEST_CASE("Tasks extension: a job answer of the wrong shape never ends the server") {
    SimulatedApi api;
    McpStdioClient client({}, env_for(api, kTestKey));
    auto created = result_of(client.call_tool_modern("create_inference", kAnimation, tasks_meta()));
    REQUIRE(created["resultType"] == "task");
    const std::string task_id = created["taskId"];

    for (const Json& answer :
         {Json{{"status", "succeeded"}, {"result", 5}}, Json{{"status", 7}},
          Json{{"status", "failed"}, {"error", {{"status_code", "500"}, {"detail", 1}}}},
          Json{{"status", "failed"}, {"error", {{"status_code", 1e300}}}}}) {
        CAPTURE(answer.dump());
        api.fail_next({{"path_prefix", "/v1/inferences/tasks/"},
                       {"method", "GET"},
                       {"status", 200},
                       {"body", answer}});
        auto task = client.request("tasks/get", {{"_meta", tasks_meta()}, {"taskId", task_id}});
        CHECK(task.contains("result"));
        CHECK(client.request("ping").contains("result"));  // still serving
    }
}
