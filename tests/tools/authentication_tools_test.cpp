#include "tools/authentication_tools.h"

#include <doctest/doctest.h>

#include "protocol/request_context.h"
#include "tools/retrodiffusion_tools.h"

using namespace rdmcp;
using protocol::Json;

namespace {

// Nothing listens on port 9: a call that reached the upstream would fail to connect.
tools::UpstreamPtr closed_upstream() {
    return std::make_shared<const tools::UpstreamClient>(
        tools::UpstreamConfig{.base_url = "http://127.0.0.1:9"});
}

std::string text_of(const protocol::ToolResult& result) {
    return result.content.at(0).at("text").get<std::string>();
}

}  // namespace

TEST_CASE("an api_key of the wrong shape is refused without repeating it") {
    using tools::api_key_shape_problem;
    CHECK_FALSE(api_key_shape_problem("rdpk-0123456789abcdef"));
    CHECK_FALSE(api_key_shape_problem("  rdpk-pasted-with-newline\n"));  // trimmed first
    CHECK(tools::trimmed_api_key(" \trdpk-x\r\n") == "rdpk-x");

    for (const std::string& bad :
         {std::string(""), std::string(" \n"), std::string("rdpk-with space-secret"),
          std::string("rdpk-\x01secret"), std::string("rdpk-caf\xc3\xa9secret"),
          std::string("Bearer rdpk-secret"), std::string(300, 'k')}) {
        CAPTURE(bad.size());
        const auto problem = api_key_shape_problem(bad);
        REQUIRE(problem);
        CHECK(problem->find("secret") == std::string::npos);
        CHECK(problem->find("kkkk") == std::string::npos);
    }
}

TEST_CASE("authenticate and logout say where a key cannot be set, and call nothing") {
    const auto authenticate = tools::make_authenticate_tool(closed_upstream());
    const auto logout = tools::make_logout_tool();
    const Json arguments = {{"api_key", "rdpk-never-echoed"}};

    SUBCASE("RD_API_KEY was given") {
        protocol::RequestContext context;
        context.api_key = "rdpk-from-env";
        context.key_source = protocol::KeySource::Environment;
        auto result = authenticate.handler(arguments, context);
        CHECK(result.is_error);
        CHECK(text_of(result).find("RD_API_KEY") != std::string::npos);
        CHECK(logout.handler(Json::object(), context).is_error);
    }
    SUBCASE("the request carries an Authorization header") {
        protocol::RequestContext context;
        context.api_key = "rdpk-from-header";
        context.key_source = protocol::KeySource::Header;
        context.key_holder =
            std::make_shared<protocol::KeyHolder>(protocol::KeyHolder::Scope::Session);
        auto result = authenticate.handler(arguments, context);
        CHECK(result.is_error);
        CHECK(text_of(result).find("Authorization header") != std::string::npos);
        CHECK(context.key_holder->key().empty());
    }
    SUBCASE("no session holds a key (2026-07-28, stateless)") {
        protocol::RequestContext context;
        for (const auto* tool : {&authenticate, &logout}) {
            auto result = tool->handler(arguments, context);
            CHECK(result.is_error);
            CHECK(text_of(result).find("Authorization: Bearer") != std::string::npos);
            CHECK(text_of(result).find("rdpk-never-echoed") == std::string::npos);
        }
    }
    SUBCASE("a key that could not be verified is not stored") {
        protocol::RequestContext context;
        context.key_holder =
            std::make_shared<protocol::KeyHolder>(protocol::KeyHolder::Scope::Process);
        auto result = authenticate.handler(arguments, context);
        CHECK(result.is_error);
        CHECK(text_of(result).find("could not be verified") != std::string::npos);
        CHECK(text_of(result).find("rdpk-never-echoed") == std::string::npos);
        CHECK(context.key_holder->key().empty());

        context.key_holder->set("rdpk-earlier");
        CHECK(text_of(authenticate.handler(arguments, context)).find("set earlier still applies") !=
              std::string::npos);
        CHECK(context.key_holder->key() == "rdpk-earlier");

        auto out = logout.handler(Json::object(), context);
        CHECK_FALSE(out.is_error);
        CHECK(out.structured_content->at("cleared") == true);
        CHECK(context.key_holder->key().empty());
        CHECK(logout.handler(Json::object(), context).structured_content->at("cleared") == false);
    }
}

TEST_CASE("authenticate's description says the key passes through the agent's context") {
    const auto definition = tools::make_authenticate_tool(closed_upstream()).definition;
    CHECK(definition.description.find("passes through the conversation") != std::string::npos);
    CHECK(definition.description.find("safer") != std::string::npos);
    CHECK(definition.annotations.idempotent);
    CHECK_FALSE(definition.annotations.read_only);
    CHECK_FALSE(definition.annotations.destructive);
    CHECK(tools::make_logout_tool().definition.annotations.idempotent);
}
