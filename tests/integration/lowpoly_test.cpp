// The Low-Poly 3D tools against the simulated API: each tool every way in (stdio and HTTP,
// 2025-11-25 and 2026-07-28), local refusals that reach no endpoint, the API's error codes as
// advice, a lost admission asked for again under its Idempotency-Key and charged once, the
// spend guard refusing a start above --max-cost-per-call, and an export saved to disk over
// stdio; each checking what the simulator charged.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "tests/support/mcp_callers.h"
#include "tests/support/tool_results.h"

using namespace rdmcp;
using namespace rdmcp::testing;

namespace {

std::size_t posts_to(SimulatedApi& api, const std::string& part) {
    std::size_t count = 0;
    for (const auto& request : api.requests()) {
        if (request["method"] == "POST" &&
            request["path"].get<std::string>().find(part) != std::string::npos) {
            ++count;
        }
    }
    return count;
}

bool has_block(const Json& result, const std::string& type) {
    for (const auto& block : result["content"]) {
        if (block["type"] == type) return true;
    }
    return false;
}

Json generated(McpCaller& caller, SimulatedApi& api) {
    const double before = charged(api);
    auto started =
        caller.call_tool("start_lowpoly_generate", {{"prompt", "a red barn"}, {"size", 32}});
    REQUIRE_MESSAGE(!started.value("isError", false), text(started));
    const auto& job = started["structuredContent"];
    CHECK(job["job_id"].get<std::string>().rfind("rdlp1.", 0) == 0);
    CHECK(job["operation"] == "generate");
    CHECK(job["size"] == 32);
    CHECK(charged(api) - before == doctest::Approx(job["cost"].get<double>()));
    CHECK(job["cost"].get<double>() > 0);
    return job;
}

}  // namespace

TEST_CASE("Low-Poly tools every way in: price, generate, poll, read, animate, export, recolor") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 0}});
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        CAPTURE(caller->name());
        const double start = charged(api);
        auto pricing = caller->call_tool("get_lowpoly_pricing", Json::object());
        REQUIRE_MESSAGE(!pricing.value("isError", false), text(pricing));
        CHECK(pricing["structuredContent"].contains("export_targets"));
        auto estimate =
            caller->call_tool("estimate_lowpoly_cost", {{"prompt", "a red barn"}, {"size", 32}});
        REQUIRE_MESSAGE(!estimate.value("isError", false), text(estimate));
        CHECK(estimate["structuredContent"]["cost"].get<double>() > 0);
        CHECK(charged(api) == start);  // both free

        const Json job = generated(*caller, api);
        const std::string asset = job["asset_id"];
        auto done = caller->call_tool("get_lowpoly_job", {{"job_id", job["job_id"]}});
        REQUIRE_MESSAGE(!done.value("isError", false), text(done));
        CHECK(done["structuredContent"]["status"] == "succeeded");
        CHECK(done["structuredContent"]["model"]["asset_id"] == asset);
        CHECK(has_block(done, "image"));

        auto model = caller->call_tool("get_lowpoly_model", {{"asset_id", asset}});
        REQUIRE_MESSAGE(!model.value("isError", false), text(model));
        CHECK(model["structuredContent"]["model"]["asset_id"] == asset);
        auto list = caller->call_tool("list_lowpoly_models", {{"limit", 5}});
        REQUIRE_MESSAGE(!list.value("isError", false), text(list));
        CHECK(says(list, asset));

        const double before_animate = charged(api);
        auto animate = caller->call_tool(
            "start_lowpoly_animate",
            {{"asset_id", asset}, {"prompt", "walk cycle"}, {"animation", "walk"}});
        REQUIRE_MESSAGE(!animate.value("isError", false), text(animate));
        CHECK(charged(api) - before_animate ==
              doctest::Approx(animate["structuredContent"]["cost"].get<double>()));
        auto animated = caller->call_tool("get_lowpoly_job",
                                          {{"job_id", animate["structuredContent"]["job_id"]}});
        REQUIRE_MESSAGE(!animated.value("isError", false), text(animated));

        auto exported =
            caller->call_tool("export_lowpoly_model", {{"asset_id", asset}, {"target", "glb"}});
        CHECK(exported["isError"] == true);  // not a target: refused here
        exported =
            caller->call_tool("export_lowpoly_model", {{"asset_id", asset}, {"target", "godot"}});
        REQUIRE_MESSAGE(!exported.value("isError", false), text(exported));
        CHECK(exported["structuredContent"]["url"].is_string());

        const double before_recolor = charged(api);
        auto recolored =
            caller->call_tool("recolor_lowpoly_model",
                              {{"asset_id", asset}, {"tool", "color_reducer"}, {"color_count", 8}});
        REQUIRE_MESSAGE(!recolored.value("isError", false), text(recolored));
        CHECK(charged(api) == before_recolor);  // free

        auto removed =
            caller->call_tool("delete_lowpoly_animation",
                              {{"asset_id", asset}, {"version", 2}, {"animation", "walk"}});
        // The animate job made version 2, which holds "walk"; the recolour made version 3.
        CHECK_MESSAGE(!removed.value("isError", false), text(removed));
    }
}

TEST_CASE("Low-Poly refusals made here reach no endpoint and charge nothing") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        CAPTURE(caller->name());
        api.clear_requests();
        for (const Json& arguments : {Json{{"size", 32}}, Json{{"prompt", std::string(251, 'a')}},
                                      Json{{"prompt", "x"}, {"size", 48}},
                                      Json{{"prompt", "x"}, {"style", "rd_pro__default"}},
                                      Json{{"prompt", "x"}, {"mode", "slow"}}}) {
            auto refused = caller->call_tool("start_lowpoly_generate", arguments);
            CHECK(refused["isError"] == true);
        }
        auto mp4 =
            caller->call_tool("export_lowpoly_model", {{"asset_id", "abc"}, {"target", "mp4"}});
        CHECK(mp4["isError"] == true);
        CHECK(says(mp4, "animation"));
        auto bad_job = caller->call_tool("get_lowpoly_job", {{"job_id", "rdjob1.x.y"}});
        CHECK(bad_job["isError"] == true);
        CHECK(posts_to(api, "/lowpoly/") == 0);
    }
    CHECK(charged(api) == 0);
}

TEST_CASE("Low-Poly error codes come back as advice: not rigged, unknown model") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 0}});
    auto callers = every_way_in(api, kTestKey, kV2);
    auto& caller = *callers.front();
    const Json job = generated(caller, api);
    const double before = charged(api);
    auto rerig = caller.call_tool("start_lowpoly_rerig", {{"asset_id", job["asset_id"]}});
    CHECK(rerig["isError"] == true);
    CHECK(says(rerig, "lowpoly_not_rigged"));
    CHECK(says(rerig, "animate it first"));
    auto missing = caller.call_tool("get_lowpoly_model", {{"asset_id", "no-such-model"}});
    CHECK(missing["isError"] == true);
    CHECK(says(missing, "list_lowpoly_models"));
    CHECK(charged(api) == before);
}

TEST_CASE("a lost Low-Poly admission is asked for again under its key and charged once") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        CAPTURE(caller->name());
        api.clear_requests();
        api.fail_after_admission({{"path_prefix", "/v2/lowpoly/generate"}, {"status", 503}});
        const double before = charged(api);
        auto started =
            caller->call_tool("start_lowpoly_generate", {{"prompt", "a tower"}, {"size", 16}});
        REQUIRE_MESSAGE(!started.value("isError", false), text(started));
        auto posts = api.requests_to("POST", "/v2/lowpoly/generate");
        REQUIRE(posts.size() == 2);
        CHECK(posts[0]["headers"]["idempotency-key"] == posts[1]["headers"]["idempotency-key"]);
        CHECK(charged(api) - before ==
              doctest::Approx(started["structuredContent"]["cost"].get<double>()));
    }
}

TEST_CASE("the spend guard refuses a Low-Poly start above --max-cost-per-call, unpaid") {
    SimulatedApi api;
    for (auto& caller : every_way_in(
             api, kTestKey,
             {"--api-version", "v2", "--max-cost-per-call", "0.3", "--confirm-above", "none"})) {
        CAPTURE(caller->name());
        api.clear_requests();
        auto refused = caller->call_tool("start_lowpoly_generate", {{"prompt", "x"}, {"size", 64}});
        CHECK(refused["isError"] == true);
        CHECK(says(refused, "--max-cost-per-call"));
        CHECK(api.requests_to("POST", "/v2/lowpoly/generate").empty());
        CHECK(api.requests_to("POST", "/v2/lowpoly/estimate").size() == 1);
    }
    CHECK(charged(api) == 0);
}

TEST_CASE("over stdio an export is saved to output_dir") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 0}});
    const auto dir = std::filesystem::temp_directory_path() /
                     ("rdmcp-lowpoly-export-" + std::to_string(::getpid()));
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        if (caller->name().rfind("stdio", 0) != 0) continue;
        CAPTURE(caller->name());
        const Json job = generated(*caller, api);
        const double before = charged(api);
        auto exported = caller->call_tool(
            "export_lowpoly_model",
            {{"asset_id", job["asset_id"]}, {"target", "obj"}, {"output_dir", dir.string()}});
        REQUIRE_MESSAGE(!exported.value("isError", false), text(exported));
        const std::string path = exported["structuredContent"]["path"];
        CHECK(std::filesystem::file_size(path) > 0);
        CHECK(charged(api) == before);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("A failed look-up does not end a Low-Poly job; wait_seconds waits for it to end") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 1500}});
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        CAPTURE(caller->name());
        const Json job = generated(*caller, api);
        // More failures than a read is asked again for.
        api.fail_next({{"path_prefix", "/v2/lowpoly/tasks/"}, {"status", 503}, {"count", 5}});
        auto unreadable = caller->call_tool("get_lowpoly_job", {{"job_id", job["job_id"]}});
        CHECK_FALSE(unreadable.value("isError", false));
        CHECK(unreadable["structuredContent"]["status"] == "unknown");
        CHECK(says(unreadable, "goes on and is paid for"));

        auto done =
            caller->call_tool("get_lowpoly_job", {{"job_id", job["job_id"]}, {"wait_seconds", 30}});
        REQUIRE_MESSAGE(!done.value("isError", false), text(done));
        CHECK(done["structuredContent"]["status"] == "succeeded");
    }
}

TEST_CASE(
    "Tasks extension: a Low-Poly start answers with a task that tasks/get follows to the "
    "model") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 800}});
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        if (!caller->modern()) continue;
        CAPTURE(caller->name());
        const Json meta =
            modern_meta({{"io.modelcontextprotocol/clientCapabilities",
                          {{"extensions", {{"io.modelcontextprotocol/tasks", Json::object()}}}}}});
        const double before = charged(api);
        auto created =
            caller->request("tools/call", {{"_meta", meta},
                                           {"name", "start_lowpoly_generate"},
                                           {"arguments", {{"prompt", "a barn"}, {"size", 16}}}});
        REQUIRE(created.contains("result"));
        REQUIRE(created["result"]["resultType"] == "task");
        CHECK(created["result"]["status"] == "working");
        CHECK(created["result"]["pollIntervalMs"] == 10000);
        const std::string task_id = created["result"]["taskId"];
        CHECK(task_id.rfind("rdlp1.", 0) == 0);
        CHECK(charged(api) - before == doctest::Approx(0.25));

        Json task;
        for (int i = 0; i < 60; ++i) {
            task = caller->request("tasks/get", {{"_meta", meta}, {"taskId", task_id}})["result"];
            if (task["status"] != "working") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        REQUIRE(task["status"] == "completed");
        CHECK(task["result"]["structuredContent"]["status"] == "succeeded");
        CHECK(has_block(task["result"], "image"));
        CHECK(charged(api) - before == doctest::Approx(0.25));  // polled, never paid again
    }
}

TEST_CASE("Low-Poly limits come back as advice: one job per model, a few per account") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 60000}});  // jobs outlast the test: the limits hold
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        CAPTURE(caller->name());
        const Json job = generated(*caller, api);
        const double before = charged(api);

        auto busy = caller->call_tool(
            "start_lowpoly_animate",
            {{"asset_id", job["asset_id"]}, {"prompt", "wave"}, {"animation", "wave"}});
        CHECK(busy["isError"] == true);
        CHECK(says(busy, "lowpoly_asset_busy"));
        CHECK(says(busy, "one job per model"));

        for (int i = 0; i < 2; ++i) generated(*caller, api);  // three jobs run now
        auto crowded =
            caller->call_tool("start_lowpoly_generate", {{"prompt", "a mill"}, {"size", 16}});
        CHECK(crowded["isError"] == true);
        CHECK(says(crowded, "lowpoly_too_many_jobs"));
        CHECK(says(crowded, "(Retry-After)"));
        CHECK(charged(api) - before == doctest::Approx(2 * 0.50));  // the two that started

        api.advance_clock(120);  // every job ends before the next way in
    }
}
