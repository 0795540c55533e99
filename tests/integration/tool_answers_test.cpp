// What the tools answer, checked the way a client checks it: every structuredContent against
// the tool's outputSchema, for every answer shape the simulated API produces (its FastAPI nulls,
// both time formats, hosted links, extras, jobs); and the fields the tools forward and report.
#include <doctest/doctest.h>

#include <functional>
#include <thread>

#include "protocol/schema_validator.h"
#include "tests/support/mcp_callers.h"
#include "tests/support/paid_calls.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;
using namespace std::chrono_literals;

namespace {

// Validates each answer as the official SDK clients do: a result that is not an error must carry
// structuredContent valid against the tool's outputSchema.
class OutputChecker {
  public:
    explicit OutputChecker(McpCaller& caller) : caller_(caller) {
        auto listed = caller.request("tools/list");
        REQUIRE(listed.contains("result"));
        for (const auto& tool : listed["result"]["tools"]) {
            if (tool.contains("outputSchema")) schemas_[tool["name"]] = tool["outputSchema"];
        }
    }

    Json call(const std::string& tool, Json arguments) {
        auto result = caller_.call_tool(tool, std::move(arguments));
        check(tool, result);
        return result;
    }

    void check(const std::string& tool, const Json& result) {
        CAPTURE(tool);
        if (result.value("isError", false)) return;  // clients do not validate errors
        REQUIRE_MESSAGE(schemas_.contains(tool), "every tool declares an outputSchema");
        REQUIRE_MESSAGE(result.contains("structuredContent"), result.dump().substr(0, 400));
        auto violations =
            rdmcp::protocol::validate_against_schema(result["structuredContent"], schemas_[tool]);
        const std::string what = rdmcp::protocol::describe_violations(violations) + " in " +
                                 result["structuredContent"].dump().substr(0, 400);
        CHECK_MESSAGE(violations.empty(), what);
        ++checked_;
    }

    int checked() const { return checked_; }

  private:
    McpCaller& caller_;
    std::map<std::string, Json> schemas_;
    int checked_ = 0;
};

Json with(Json arguments, const Json& extra) {
    arguments.update(extra);
    return arguments;
}

// Every schema in a listing names one type: some clients' validators (MCP Inspector) warn on
// union type arrays, and an optional field says the same as a nullable one.
void each_type(const Json& schema, const std::function<void(const Json&)>& visit) {
    if (!schema.is_object()) return;
    if (auto type = schema.find("type"); type != schema.end()) visit(*type);
    if (auto properties = schema.find("properties"); properties != schema.end()) {
        for (const auto& property : properties->items()) each_type(property.value(), visit);
    }
    for (const char* nested : {"items", "additionalProperties"}) {
        if (auto sub = schema.find(nested); sub != schema.end()) each_type(*sub, visit);
    }
}

}  // namespace

TEST_CASE(
    "every structuredContent validates against its tool's outputSchema, for every answer shape") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 150}});
    // The schemas are listed on request only (they cost every conversation context otherwise).
    for (auto& caller : every_way_in(api, kTestKey, {"--output-schemas"})) {
        CAPTURE(caller->name());
        OutputChecker tools(*caller);

        for (const char* created_at : {"unix", "iso"}) {
            CAPTURE(created_at);
            api.configure({{"created_at_format", created_at}});
            tools.call("create_inference",
                       kCorgi);  // output_urls, output_images, downloadable_data: null
            tools.call("create_inference",
                       with(kCorgi, {{"upload_outputs", true}, {"num_images", 2}}));
            tools.call("create_inference", {{"prompt", "sword, shield, potion, ring"},
                                            {"prompt_style", "rd_pro__inventory_items"},
                                            {"width", 256},
                                            {"height", 256},
                                            {"include_downloadable_data", true}});
            tools.call("create_inference", {{"prompt", "fire"},
                                            {"prompt_style", "rd_animation__vfx"},
                                            {"width", 48},
                                            {"height", 48}});
            auto job = tools.call("create_inference", with(kCorgi, {{"async", true}}));
            const std::string job_id = job["structuredContent"]["job_id"];
            tools.call("get_inference_job",
                       {{"job_id", job_id}});  // pending: result and error null
            std::this_thread::sleep_for(250ms);
            auto done = tools.call("get_inference_job", {{"job_id", job_id}});
            CHECK(done["structuredContent"]["done"] == true);
            api.fail_next({{"path_prefix", "/v1/inferences/tasks/"}, {"status", 503}});
            tools.call("get_inference_job", {{"job_id", job_id}});  // could not be checked
            tools.call("start_inference_job", kCorgi);
            tools.call("list_inference_jobs", Json::object());
            tools.call("estimate_inference_cost", kCorgi);
            tools.call("get_balance", Json::object());
            tools.call("list_available_styles", {{"kind", "tileset"}});

            const std::string png = done["content"][1]["data"];
            tools.call("edit_image", {{"prompt", "add a hat"}, {"input_image", png}});

            // No description: the API answers "description": null.
            auto style = tools.call("create_user_style", {{"name", "Plain"}});
            CHECK_FALSE(style["structuredContent"].contains("description"));
            CHECK(style["structuredContent"]["created_at"].is_string());
            const std::string id = style["structuredContent"]["prompt_style"];
            tools.call("update_user_style", {{"style_id", id}, {"description", "now with one"}});
            tools.call("delete_user_style", {{"style_id", id}});
        }
        CHECK(tools.checked() == 2 * 17);
    }

    // Without a key: the offline estimate.
    McpStdioClient offline({}, {{"RD_API_BASE_URL", api.url()}});
    auto estimate = offline.call_tool_modern("estimate_inference_cost", kCorgi);
    CHECK(estimate["result"]["structuredContent"]["source"] == "offline_estimate");
}

TEST_CASE("no schema in the listing uses a union type or a null type") {
    SimulatedApi api;
    McpStdioClient client({"--output-schemas"},
                          {{"RD_API_BASE_URL", api.url()}, {"RD_API_KEY", kTestKey}});
    auto listed = client.request("tools/list", {{"_meta", modern_meta()}});
    REQUIRE(listed["result"]["tools"].size() > 5);
    for (const auto& tool : listed["result"]["tools"]) {
        CAPTURE(tool["name"]);
        for (const char* which : {"inputSchema", "outputSchema"}) {
            each_type(tool.value(which, Json::object()), [&](const Json& type) {
                CHECK_MESSAGE(type.is_string(), which << " has type " << type.dump());
                CHECK(type != "null");
            });
        }
    }
}

TEST_CASE("edit_image forwards the seed it accepts; get_balance reports credits with the balance") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        api.clear_requests();
        auto tile = caller->call_tool("create_inference", {{"prompt", "tile"},
                                                           {"prompt_style", "rd_tile__single_tile"},
                                                           {"width", 32},
                                                           {"height", 32}});
        const std::string png = tile["content"][1]["data"];
        auto edited = caller->call_tool(
            "edit_image", {{"prompt", "add moss"}, {"input_image", png}, {"seed", 42}});
        CHECK_FALSE(edited.contains("isError"));
        auto edits = api.requests_to("POST", "/v1/edit");
        REQUIRE(edits.size() == 1);
        CHECK(edits[0]["body"]["seed"] == 42);
        CHECK(edits[0]["body"]["prompt"] == "add moss");

        auto balance = caller->call_tool("get_balance", Json::object());
        CHECK(balance["structuredContent"]["credits"] == 0);  // rd-sim's account, as documented
        CHECK(balance["structuredContent"]["balance"].is_number());
        CHECK(text(balance).find("credits: 0") != std::string::npos);
    }
}
