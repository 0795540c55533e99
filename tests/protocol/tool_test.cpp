#include "protocol/tool.h"

#include <doctest/doctest.h>

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
