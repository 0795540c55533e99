// get_service_status: RetroDiffusion's health per model family, from the public GET /status,
// asked without any key, on API v2 and v1, every way in.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"

using namespace rdmcp::testing;

TEST_CASE("get_service_status: one line per service, degraded ones said plainly, no key sent") {
    SimulatedApi api;
    api.configure({{"service_status", {{"animations", "degraded"}}}});
    for (const char* version : {"v2", "v1"}) {
        // Without a key: the status is public.
        for (auto& caller : every_way_in(api, "", {"--api-version", version})) {
            CAPTURE(version);
            CAPTURE(caller->name());
            api.clear_requests();
            auto status = caller->call_tool("get_service_status", Json::object());
            REQUIRE_MESSAGE(!status.contains("isError"), status.dump());
            const auto& structured = status["structuredContent"];
            CHECK(structured["all_ok"] == false);
            CHECK(structured["updated_at"].is_string());
            bool degraded = false, fast_ok = false;
            for (const auto& service : structured["services"]) {
                degraded = degraded ||
                           (service["name"] == "animations" && service["status"] == "degraded");
                fast_ok = fast_ok || (service["name"] == "rd_fast" && service["status"] == "ok");
            }
            CHECK(degraded);
            CHECK(fast_ok);
            const std::string text = status["content"][0]["text"];
            CHECK(text.find("Not every RetroDiffusion service is ok") != std::string::npos);
            CHECK(text.find("- animations: degraded") != std::string::npos);
            const auto asked = api.requests_to("GET", std::string("/") + version + "/status");
            REQUIRE(asked.size() == 1);
            CHECK(asked[0]["headers"].value("x-rd-token", "") == "");
        }
    }
    api.configure({{"service_status", {{"animations", "ok"}}}});
    auto caller = std::move(every_way_in(api).front());
    auto healthy = caller->call_tool("get_service_status", Json::object());
    CHECK(healthy["structuredContent"]["all_ok"] == true);

    api.fail_next({{"path_prefix", "/v1/status"},
                   {"status", 503},
                   {"count", 2}});  // v1: the suites' baseline
    auto down = caller->call_tool("get_service_status", Json::object());
    CHECK(down["isError"] == true);
}
