// A bounded soak: one server over stdio, many requests in flight at once mixing every tool,
// random upstream faults. Every request must be answered exactly once, nothing may be charged
// twice, and the server's memory must stay flat. Runs for SOAK_SECONDS (default 45).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>

#include "tests/support/mcp_stdio_client.h"
#include "tests/support/process_memory.h"
#include "tests/support/simulated_api.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {

int soak_seconds() {
    const char* value = std::getenv("SOAK_SECONDS");
    return value ? std::max(5, std::atoi(value)) : 45;
}

// One random tools/call: the tool and arguments, and whether it is a paid generation.
struct Call {
    std::string tool;
    Json arguments;
};

Call random_call(std::mt19937& rng, const std::string& edit_input) {
    switch (rng() % 7) {
        case 0:
            return {"get_balance", Json::object()};
        case 1:
            return {"list_available_styles", {{"kind", "animation"}}};
        case 2:
            return {"estimate_inference_cost",
                    {{"prompt", "x"},
                     {"prompt_style", "rd_plus__default"},
                     {"width", 128},
                     {"height", 128}}};
        case 3:
            return {"create_inference",
                    {{"prompt", "soak " + std::to_string(rng())},
                     {"prompt_style", "rd_fast__default"},
                     {"width", 64},
                     {"height", 64}}};
        case 4:
            return {"create_inference",
                    {{"prompt", "bad"},
                     {"prompt_style", "rd_animation__vfx"},
                     {"width", 48},
                     {"height", 64}}};  // refused locally
        case 5:
            return {"edit_image", {{"prompt", "add a hat"}, {"input_image", edit_input}}};
        default:
            return {"start_inference_job",
                    {{"prompt", "job " + std::to_string(rng())},
                     {"prompt_style", "rd_fast__default"},
                     {"width", 64},
                     {"height", 64}}};
    }
}

Json random_fault(std::mt19937& rng) {
    static const std::vector<Json> faults = {
        {{"path_prefix", "/v1/inferences"}, {"status", 503}},
        {{"path_prefix", "/v1/inferences"}, {"status", 429}, {"retry_after", 1}},
        {{"path_prefix", "/v1/inferences"}, {"status", 500}},
        {{"path_prefix", "/v1/inferences"}, {"status", 200}, {"raw", "not json"}},
        {{"path_prefix", "/v1/edit"}, {"status", 502}},
        {{"path_prefix", "/v1/inferences"},
         {"status", 200},
         {"body", {{"balance_cost", 0.0}}},
         {"transport", "reset_mid_body"}},
    };
    return faults[rng() % faults.size()];
}

}  // namespace

TEST_CASE("soak: every request answered exactly once, no double charge, flat memory") {
    SimulatedApi api({"--key", std::string(kTestKey) + "=1000000"});
    api.configure({{"latency_ms", 30}, {"async_duration_ms", 200}});
    McpStdioClient client({"--max-concurrency", "32"},
                          {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    client.initialize();

    std::mt19937 rng(20261126);
    auto seed_image =
        client.call_tool_modern("create_inference", {{"prompt", "seed"},
                                                     {"prompt_style", "rd_tile__single_tile"},
                                                     {"width", 32},
                                                     {"height", 32}});
    const std::string edit_input = seed_image["result"]["content"][1]["data"];

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(soak_seconds());
    const auto warmup_end =
        std::chrono::steady_clock::now() + std::chrono::seconds(soak_seconds() / 5);
    long rss_after_warmup = -1;
    int next_id = 1000, sent = 0, generations_answered = 0;
    std::set<int> outstanding;
    std::map<int, int> answers;  // id -> times answered
    std::map<int, std::string> tool_of;

    while (std::chrono::steady_clock::now() < deadline || !outstanding.empty()) {
        // Keep about 24 requests in flight while the soak runs.
        while (std::chrono::steady_clock::now() < deadline && outstanding.size() < 24) {
            if (rng() % 5 == 0) api.fail_next(random_fault(rng));
            auto call = random_call(rng, edit_input);
            const int id = next_id++;
            client.send_raw(Json{
                {"jsonrpc", "2.0"},
                {"id", id},
                {"method", "tools/call"},
                {"params",
                 {{"_meta", modern_meta()}, {"name", call.tool}, {"arguments", call.arguments}}}}
                                .dump());
            outstanding.insert(id);
            tool_of[id] = call.tool;
            ++sent;
        }
        if (rss_after_warmup < 0 && std::chrono::steady_clock::now() > warmup_end) {
            rss_after_warmup = rss_kb(client.process().pid());
        }
        auto message = client.next_message(30s);
        REQUIRE_MESSAGE(message.has_value(),
                        "no answer within 30 s; outstanding: " << outstanding.size());
        if (!message->contains("id")) continue;  // a notification
        const int id = (*message)["id"].get<int>();
        ++answers[id];
        outstanding.erase(id);
        REQUIRE_MESSAGE(message->contains("result"), message->dump().substr(0, 300));
        if (tool_of[id] == "create_inference" && !(*message)["result"].contains("isError"))
            ++generations_answered;
    }

    // Nothing lost, nothing duplicated.
    CHECK(static_cast<int>(answers.size()) == sent);
    for (const auto& [id, times] : answers) CHECK_MESSAGE(times == 1, "request " << id);
    CHECK_FALSE(client.next_message(500ms).has_value());

    // No paid POST was sent more than once: each generation prompt reached the API once at most.
    std::map<std::string, int> prompts;
    for (const auto& post : api.requests_to("POST", "/v1/inferences")) {
        if (post["body"].is_object() && !post["body"].value("check_cost", false)) {
            ++prompts[post["body"].value("prompt", std::string())];
        }
    }
    for (const auto& [prompt, times] : prompts) {
        if (prompt != "seed") CHECK_MESSAGE(times == 1, prompt);
    }

    const long rss_end = rss_kb(client.process().pid());
    MESSAGE(sent << " requests, " << generations_answered
                 << " successful generations; RSS after warm-up " << rss_after_warmup
                 << " kB, at the end " << rss_end << " kB");
    CHECK(sent > 100);
    REQUIRE(rss_after_warmup > 0);
#ifndef RDMCP_SANITIZE_ADDRESS
    CHECK(rss_end - rss_after_warmup < 4096);
#else
    // AddressSanitizer keeps freed memory in its quarantine, so RSS grows by design there;
    // LeakSanitizer checks that build for leaks instead.
#endif
}
