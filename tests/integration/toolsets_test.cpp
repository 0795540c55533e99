// --toolsets: the groups a user turns off cost the agent no context; the listing shrinks to the
// chosen groups plus the account tools, over stdio and HTTP alike.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"

using namespace rdmcp::testing;

namespace {

std::set<std::string> names_in(const Json& listing) {
    std::set<std::string> names;
    for (const auto& tool : listing["result"]["tools"])
        names.insert(tool["name"].get<std::string>());
    return names;
}

}  // namespace

TEST_CASE("--toolsets lists the chosen groups and the account tools; prompts need generate") {
    SimulatedApi api;
    std::size_t all_bytes = 0;
    for (auto& caller : every_way_in(api, kTestKey, {})) {
        all_bytes = caller->request("tools/list").dump().size();
        break;
    }
    for (auto& caller : every_way_in(api, kTestKey, {"--toolsets", "generate"})) {
        CAPTURE(caller->name());
        const auto listing = caller->request("tools/list");
        CHECK(names_in(listing) ==
              std::set<std::string>{"create_inference", "estimate_inference_cost", "get_balance",
                                    "get_service_status", "authenticate", "logout"});
        CHECK(listing.dump().size() * 4 < all_bytes);  // under a quarter of the whole listing
        CHECK(caller->request("prompts/list")["result"]["prompts"].size() == 4);
        // A tool of a group turned off is unknown, and the error lists what there is.
        auto missing = caller->request("tools/call",
                                       {{"name", "run_edit_tool"}, {"arguments", Json::object()}});
        CHECK(missing["error"]["message"].get<std::string>().find("create_inference") !=
              std::string::npos);
    }
    for (auto& caller : every_way_in(api, kTestKey, {"--toolsets", "lowpoly"})) {
        CAPTURE(caller->name());
        CHECK(names_in(caller->request("tools/list")).count("start_lowpoly_generate") == 1);
        // The workflows generate images: without that group there are no prompts.
        CHECK(caller->request("prompts/list")["error"]["code"] == -32601);
    }
}
