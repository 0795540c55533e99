#include "protocol/prompts.h"

#include <doctest/doctest.h>

using namespace rdmcp::protocol;

namespace {

PromptDefinition tileset() {
    return {.name = "tileset",
            .title = "Tileset",
            .description = "A tileset.",
            .arguments = {{.name = "texture", .description = "the texture", .required = true},
                          {.name = "tile_size", .description = "16-32"}}};
}

std::string problem_of(const std::variant<PromptArguments, std::string>& checked) {
    REQUIRE(std::holds_alternative<std::string>(checked));
    return std::get<std::string>(checked);
}

}  // namespace

TEST_CASE("prompt arguments: the required ones present, optional empty ones left out") {
    const Json sent = {{"texture", "stone"}, {"tile_size", ""}};
    auto checked = check_prompt_arguments(tileset(), &sent);
    REQUIRE(std::holds_alternative<PromptArguments>(checked));
    CHECK(std::get<PromptArguments>(checked) == PromptArguments{{"texture", "stone"}});
}

TEST_CASE("prompt arguments: what is wrong is named, with what the prompt takes") {
    CHECK(problem_of(check_prompt_arguments(tileset(), nullptr)) ==
          "prompt tileset needs the argument texture (the texture)");
    const Json empty = {{"texture", ""}};
    CHECK(
        problem_of(check_prompt_arguments(tileset(), &empty)).find("needs the argument texture") !=
        std::string::npos);
    const Json unknown = {{"texture", "stone"}, {"size", "16"}};
    CHECK(problem_of(check_prompt_arguments(tileset(), &unknown)) ==
          "unknown argument \"size\" for prompt tileset; it takes: texture (required), tile_size");
    const Json number = {{"texture", 5}};
    CHECK(problem_of(check_prompt_arguments(tileset(), &number)).find("must be a string") !=
          std::string::npos);
    const Json list = Json::array({"stone"});
    CHECK(problem_of(check_prompt_arguments(tileset(), &list)).find("must be an object") !=
          std::string::npos);
    const Json huge = {{"texture", std::string(kMaxPromptArgumentBytes + 1, 'x')}};
    CHECK(problem_of(check_prompt_arguments(tileset(), &huge)).find("at most 2000") !=
          std::string::npos);
}

TEST_CASE("prompts/list shows each prompt once, arguments with required flags") {
    PromptRegistry prompts;
    prompts.add({tileset(), [](const PromptArguments&, RequestContext&) -> PromptOutcome {
                     return PromptMessages{}.user("hi");
                 }});
    CHECK(prompts.definitions_json()[0]["arguments"][1] ==
          Json{{"name", "tile_size"}, {"required", false}, {"description", "16-32"}});
    CHECK_FALSE(prompts.has_completions());
    CHECK_THROWS(prompts.add({tileset(), nullptr}));
}
