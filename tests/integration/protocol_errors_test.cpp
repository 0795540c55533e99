// Errors the specification fixes for 2026-07-28 requests, over stdio and HTTP: the Tasks
// methods from a client that did not declare the extension (-32021), and the methods 2026-07-28
// removed (-32601, over HTTP 404), while the 2025 handshake on the same endpoint keeps working.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"

using namespace rdmcp::testing;

namespace {

const Json kTasksCapability = {{"extensions", {{"io.modelcontextprotocol/tasks", Json::object()}}}};

}  // namespace

TEST_CASE("tasks/get, tasks/update and tasks/cancel without the declared extension: -32021") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 5000}});
    const Json declaring =
        modern_meta({{"io.modelcontextprotocol/clientCapabilities", kTasksCapability}});
    const Json animation = {
        {"prompt", "fire"}, {"prompt_style", "rd_animation__vfx"}, {"width", 48}, {"height", 48}};
    for (auto& caller : every_way_in(api)) {
        if (!caller->modern()) continue;
        CAPTURE(caller->name());
        auto created = caller->request(
            "tools/call",
            {{"name", "create_inference"}, {"arguments", animation}, {"_meta", declaring}});
        REQUIRE(created["result"]["resultType"] == "task");
        const std::string task_id = created["result"]["taskId"];

        for (const char* method : {"tasks/get", "tasks/update", "tasks/cancel"}) {
            CAPTURE(method);
            auto refused = caller->request(method, {{"taskId", task_id}});  // capabilities: {}
            CHECK(refused["error"]["code"] == -32021);
            CHECK(refused["error"]["data"]["requiredCapabilities"] == kTasksCapability);
            CHECK(refused["error"]["message"].get<std::string>().find(
                      "io.modelcontextprotocol/tasks") != std::string::npos);
            if (caller->last_http_status()) CHECK(caller->last_http_status() == 400);

            auto served = caller->request(method, {{"taskId", task_id}, {"_meta", declaring}});
            CHECK(served.contains("result"));
        }
    }
}

TEST_CASE(
    "initialize, ping and logging/setLevel do not exist in 2026-07-28: -32601, over HTTP 404") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        if (caller->modern()) {
            for (const char* method : {"initialize", "ping", "logging/setLevel"}) {
                CAPTURE(method);
                Json params = {{"_meta", modern_meta()}};
                if (std::string(method) == "initialize") {
                    params.update(
                        {{"protocolVersion", "2025-11-25"}, {"capabilities", Json::object()}});
                }
                if (std::string(method) == "logging/setLevel") params["level"] = "info";
                auto refused = caller->request(method, params);
                CHECK(refused["error"]["code"] == -32601);
                if (caller->last_http_status()) CHECK(caller->last_http_status() == 404);
            }
            CHECK(caller->request("tools/list").contains("result"));  // and the rest is served
        } else {
            // The 2025 handshake (made by every_way_in) and ping keep working on the same endpoint.
            CHECK(caller->request("ping")["result"] == Json::object());
            CHECK(caller->request("tools/list").contains("result"));
        }
    }
}
