#include "protocol/tool.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

using rdmcp::protocol::Json;
using rdmcp::protocol::ToolDefinition;

namespace {

ToolDefinition tool_with(rdmcp::protocol::ToolAnnotations hints) {
    return {.name = "t",
            .title = "T",
            .description = "d",
            .input_schema = {{"type", "object"}},
            .annotations = hints};
}

}  // namespace

TEST_CASE("a tool lists only the hints that differ from the spec's defaults") {
    // The spec's defaults: readOnly false, destructive true, idempotent false, openWorld true.
    CHECK_FALSE(tool_with({.read_only = false, .destructive = true, .idempotent = false})
                    .to_json()
                    .contains("annotations"));
    CHECK(tool_with({.read_only = true, .destructive = false, .idempotent = true})
              .to_json()["annotations"] == Json{{"readOnlyHint", true}});
    CHECK(tool_with({.read_only = false, .destructive = false, .idempotent = true})
              .to_json()["annotations"] ==
          Json{{"destructiveHint", false}, {"idempotentHint", true}});
    CHECK(tool_with({.read_only = false, .destructive = true, .open_world = false})
              .to_json()["annotations"] == Json{{"openWorldHint", false}});
}

TEST_CASE("a tool's title is listed once, and its outputSchema only when it has one") {
    auto tool = tool_with({});
    Json listed = tool.to_json();
    CHECK(listed["title"] == "T");
    CHECK_FALSE(listed.value("annotations", Json::object()).contains("title"));
    CHECK_FALSE(listed.contains("outputSchema"));
    tool.output_schema = Json{{"type", "object"}};
    CHECK(tool.to_json()["outputSchema"] == Json{{"type", "object"}});
}

TEST_CASE("a registry makes its tools when first read, once, in the order they were added") {
    using rdmcp::protocol::Tool;
    using rdmcp::protocol::ToolRegistry;
    int made = 0;
    ToolRegistry registry;
    for (const char* name : {"first", "second"}) {
        registry.add(name, [&made, name] {
            ++made;
            return Tool{{.name = name, .input_schema = {{"type", "object"}}}, {}};
        });
    }
    CHECK(made == 0);  // not at start-up
    CHECK(registry.names() == std::vector<std::string>{"first", "second"});
    CHECK(made == 0);  // the names need no tool
    REQUIRE(registry.find("second") != nullptr);
    CHECK(made == 2);
    CHECK(registry.definitions_json().size() == 2);
    CHECK(registry.definitions_json()[0]["name"] == "first");
    CHECK(made == 2);  // once
    CHECK_THROWS_AS(registry.add("third", [] { return Tool{}; }), std::logic_error);
}

TEST_CASE("a registry refuses a name twice, and a tool made under another name") {
    using rdmcp::protocol::Tool;
    using rdmcp::protocol::ToolRegistry;
    ToolRegistry twice;
    twice.add("same", [] { return Tool{}; });
    CHECK_THROWS_AS(twice.add("same", [] { return Tool{}; }), std::logic_error);

    ToolRegistry misnamed;
    misnamed.add("announced", [] { return Tool{{.name = "other"}, {}}; });
    CHECK_THROWS_AS(misnamed.tools(), std::logic_error);
}
