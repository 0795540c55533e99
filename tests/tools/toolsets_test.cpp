#include "tools/toolsets.h"

#include <doctest/doctest.h>

#include "tools/retrodiffusion_tools.h"

using namespace rdmcp::tools;

namespace {

std::set<std::string> tool_names(const std::set<std::string>& toolsets) {
    ToolsConfig config;
    config.toolsets = toolsets;
    auto set = make_tool_set(
        std::make_shared<const UpstreamClient>(UpstreamConfig{.base_url = "http://127.0.0.1:9"}),
        config);
    std::set<std::string> names;
    for (const auto& tool : set.registry.tools()) names.insert(tool.definition.name);
    return names;
}

}  // namespace

TEST_CASE("every tool belongs to a group, and the groups together are the whole server") {
    const auto all = tool_names({});
    std::set<std::string> united;
    for (const auto& group : toolset_names()) {
        CAPTURE(group);
        const auto some = tool_names({group});
        CHECK(some.size() < all.size());
        for (const char* always : {"get_balance", "get_service_status", "authenticate", "logout"}) {
            CHECK(some.count(always) == 1);
        }
        united.insert(some.begin(), some.end());
    }
    CHECK(united == all);
    for (const auto& name : all) CHECK(toolset_of(name).has_value());
    CHECK(tool_names({"generate"}) ==
          std::set<std::string>{"create_inference", "estimate_inference_cost", "get_balance",
                                "get_service_status", "authenticate", "logout"});
}

TEST_CASE("--toolsets reads groups, all, and names what is wrong") {
    std::string problem;
    CHECK(parse_toolsets("generate, edit", problem) == std::set<std::string>{"generate", "edit"});
    CHECK(parse_toolsets("all", problem)->size() == toolset_names().size());
    CHECK_FALSE(parse_toolsets("generate,paint", problem));
    CHECK(problem ==
          "--toolsets: unknown group \"paint\"; choose from generate, jobs, edit, styles, "
          "lowpoly (or all)");
    CHECK_FALSE(parse_toolsets(" , ", problem));
    CHECK(problem.find("at least one group") != std::string::npos);
}
