// The live style catalog: list_available_styles asks the API's selector with the caller's key
// (v1's list, v2's object), merges it with the built-in catalog, caches it per key, and falls
// back to the built-in catalog when the selector fails; the generation and estimate tools then
// check against the live limits without asking the selector themselves. list_available_models
// and get_style_usage answer locally. Every case runs over stdio and HTTP, 2026-07-28 and
// 2025-11-25, and asserts what the simulated API received.
#include <doctest/doctest.h>

#include "tests/support/mcp_callers.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;

namespace {

// Upstream after this build: a built-in style with new limits, and a style it has never heard
// of (the sim's control API changes its catalog, selector and validation alike).
const Json kChangedCatalog = {
    {"rd_fast__simple", {{"max_width", 448}, {"max_height", 448}, {"max_number_of_images", 2}}},
    {"rd_fast__brand_new",
     {{"required_model", "rd_fast"},
      {"name", "Brand New"},
      {"example_prompt", "a lighthouse on a cliff"},
      {"min_width", 32},
      {"max_width", 96},
      {"min_height", 32},
      {"max_height", 96}}}};

// Makes a user style for `key` straight at the API (as the My Styles page would).
std::string make_user_style(const SimulatedApi& api, const std::string& key,
                            const std::string& name) {
    httplib::Client client(api.url());
    auto reply = client.Post("/v1/styles", {{"X-RD-Token", key}}, Json{{"name", name}}.dump(),
                             "application/json");
    REQUIRE(reply);
    REQUIRE(reply->status == 201);
    return Json::parse(reply->body)["prompt_style"].get<std::string>();
}

const Json* style_in(const Json& listing, const std::string& id) {
    for (const auto& style : listing["structuredContent"]["styles"]) {
        if (style["prompt_style"] == id) return &style;
    }
    return nullptr;
}

std::size_t selector_calls(SimulatedApi& api, const std::string& version) {
    return api.requests_to("GET", "/" + version + "/styles/selector").size();
}

std::size_t inference_posts(SimulatedApi& api, const std::string& version) {
    return api.requests_to("POST", "/" + version + "/inferences").size();
}

}  // namespace

TEST_CASE("list_available_styles: the live catalog, merged, per key, cached; its limits decide") {
    SimulatedApi api;
    api.configure({{"styles", kChangedCatalog}});
    const std::string mine = make_user_style(api, kTestKey, "Castle Walls");
    const std::string theirs = make_user_style(api, kSecondTestKey, "Not Yours");

    for (const std::string version : {"v2", "v1"}) {  // v2 answers an object, v1 a list
        for (auto& caller : every_way_in(api, kTestKey, {"--api-version", version})) {
            CAPTURE(version);
            CAPTURE(caller->name());
            api.clear_requests();

            // Before any listing nothing is cached: the built-in limits refuse 448 px...
            const Json wide = {{"prompt", "a lighthouse"},
                               {"prompt_style", "rd_fast__simple"},
                               {"width", 448},
                               {"height", 448}};
            auto refused = caller->call_tool("estimate_inference_cost", wide);
            CHECK(refused["isError"] == true);
            CHECK(text(refused).find("'width' and 'height' must be") != std::string::npos);
            CHECK(inference_posts(api, version) == 0);
            CHECK(selector_calls(api, version) == 0);  // and the estimate asked no selector

            auto listed = caller->call_tool("list_available_styles", Json::object());
            REQUIRE_MESSAGE(!listed.contains("isError"), listed.dump());
            const auto& structured = listed["structuredContent"];
            CHECK(structured["source"] == "live");
            CHECK(structured["fetched_at"].is_string());
            CHECK(text(listed).find("live from the API's style selector") != std::string::npos);
            const auto asked = api.requests_to("GET", "/" + version + "/styles/selector");
            REQUIRE(asked.size() == 1);
            CHECK(asked[0]["token"] == kTestKey);

            // Unfiltered, each style's sizes and price: the live ones where they changed.
            const Json* changed = style_in(listed, "rd_fast__simple");
            REQUIRE(changed);
            CHECK((*changed)["sizes"] == "64-448px");
            CHECK((*changed)["price"] == "$0.017-0.05/image");
            const Json* added = style_in(listed, "rd_fast__brand_new");
            REQUIRE(added);
            CHECK((*added)["sizes"] == "32-96px");
            const Json* user = style_in(listed, mine);
            REQUIRE(user);
            CHECK((*user)["model"] == "user");
            CHECK(text(listed).find("rd_fast__simple (64-448px, $0.017-0.05/image)") !=
                  std::string::npos);
            // A filter gives the full entries: the live limits, where each entry came from.
            auto detailed = caller->call_tool("list_available_styles", {{"model", "rd_fast"}});
            changed = style_in(detailed, "rd_fast__simple");
            REQUIRE(changed);
            CHECK((*changed)["max_width"] == 448);
            CHECK((*changed)["max_images"] == 2);
            CHECK((*changed)["origin"] == "live");
            added = style_in(detailed, "rd_fast__brand_new");
            REQUIRE(added);
            CHECK((*added)["origin"] == "live_only");
            CHECK((*added)["example_prompt"] == "a lighthouse on a cliff");
            CHECK(detailed["structuredContent"]["source"] == "cached");
            CHECK(selector_calls(api, version) == 1);
            CHECK(style_in(listed, theirs) == nullptr);  // another key's style never shows
            // The selector's internal id is listed under the public one.
            CHECK(style_in(listed, "rd_fast__default"));
            CHECK(style_in(listed, "default:rd_flux") == nullptr);
            CHECK(style_in(listed, "rd_pro__default"));  // built-in styles stay

            // Within the TTL: from the cache, no second selector call.
            api.clear_requests();
            auto again = caller->call_tool("list_available_styles", {{"model", "user"}});
            CHECK(again["structuredContent"]["source"] == "cached");
            CHECK(again["structuredContent"]["count"] == 1);
            CHECK(text(again).find("cached at") != std::string::npos);
            CHECK(selector_calls(api, version) == 0);

            // Now the live limits decide: 448 px reaches the API...
            auto allowed = caller->call_tool("estimate_inference_cost", wide);
            REQUIRE_MESSAGE(!allowed.contains("isError"), allowed.dump());
            CHECK(allowed["structuredContent"]["source"] == "api_check_cost");
            CHECK(inference_posts(api, version) == 1);
            // ...and 3 images, which the built-in catalog allows, are refused before sending.
            auto three = caller->call_tool("create_inference", {{"prompt", "a lighthouse"},
                                                                {"prompt_style", "rd_fast__simple"},
                                                                {"width", 64},
                                                                {"height", 64},
                                                                {"num_images", 3}});
            CHECK(three["isError"] == true);
            CHECK(text(three).find("'num_images' must be at most 2") != std::string::npos);
            CHECK(inference_posts(api, version) == 1);
            CHECK(selector_calls(api, version) == 0);  // never asked on a generation's way
        }
    }

    // The other key sees its own style, not the first key's.
    auto other = std::move(every_way_in(api, kSecondTestKey).front());
    auto listed = other->call_tool("list_available_styles", {{"model", "user"}});
    CHECK(listed["structuredContent"]["count"] == 1);
    CHECK(style_in(listed, theirs));
    CHECK(style_in(listed, mine) == nullptr);
}

TEST_CASE("list_available_styles without filters: every style in under 16,000 bytes") {
    SimulatedApi api;
    for (const std::string& key : {std::string(kTestKey), std::string()}) {  // live, built-in
        for (auto& caller : every_way_in(api, key)) {
            CAPTURE(caller->name());
            auto listed = caller->call_tool("list_available_styles", Json::object());
            REQUIRE_MESSAGE(!listed.contains("isError"), listed.dump());
            CHECK(listed["structuredContent"]["source"] == (key.empty() ? "built_in" : "live"));
            // The whole result as sent, text and structuredContent: about 4,000 tokens at most.
            CHECK(listed.dump().size() < 16'000);

            // Every style the filters know is in it, by id, without its description.
            std::size_t styles = 0;
            for (const char* kind : {"image", "animation", "advanced_animation", "tileset"}) {
                auto full = caller->call_tool("list_available_styles", {{"kind", kind}});
                for (const auto& style : full["structuredContent"]["styles"]) {
                    const std::string id = style["prompt_style"];
                    CAPTURE(id);
                    ++styles;
                    CHECK(style_in(listed, id));
                    CHECK(text(listed).find(id) != std::string::npos);
                    CHECK(text(listed).find(style["description"].get<std::string>()) ==
                          std::string::npos);
                }
            }
            CHECK(styles >= 84);
            CHECK(listed["structuredContent"]["count"] == styles);
        }
    }
}

TEST_CASE("list_available_styles: the built-in catalog when the selector fails, and why") {
    SimulatedApi api;
    const Json faults[] = {
        {{"status", 500}},
        {{"status", 200}, {"raw", "<html>maintenance</html>"}, {"content_type", "text/html"}},
        {{"status", 200}, {"raw", R"({"items": []})"}, {"content_type", "application/json"}},
    };
    for (const Json& fault : faults) {
        for (auto& caller : every_way_in(api)) {
            CAPTURE(fault.dump());
            CAPTURE(caller->name());
            Json failure = fault;
            failure["path_prefix"] = "/v1/styles/selector";
            failure["count"] = 2;  // a failed read may be asked once more
            api.fail_next(failure);
            auto listed = caller->call_tool("list_available_styles", Json::object());
            api.clear_faults();
            REQUIRE_MESSAGE(!listed.contains("isError"), listed.dump());
            const auto& structured = listed["structuredContent"];
            CHECK(structured["source"] == "built_in");
            CHECK(structured["note"].get<std::string>().find("selector failed") !=
                  std::string::npos);
            CHECK(structured["count"].get<int>() > 60);
            CHECK(text(listed).find("built-in catalog") != std::string::npos);
            // Nothing bad was cached: the next call asks again and gets the live catalog.
            api.clear_requests();
            auto retried = caller->call_tool("list_available_styles", Json::object());
            CHECK(retried["structuredContent"]["source"] == "live");
            CHECK(selector_calls(api, "v1") == 1);
        }
    }

    // A selector slower than the catalog's own deadline (4 s) is given up on.
    auto caller = std::move(every_way_in(api, kTestKey, {"--api-version", "v2"}).front());
    api.fail_next({{"path_prefix", "/v2/styles/selector"}, {"delay_ms", 6000}, {"count", 2}});
    auto slow = caller->call_tool("list_available_styles", Json::object());
    api.clear_faults();
    CHECK(slow["structuredContent"]["source"] == "built_in");
    CHECK(slow["structuredContent"]["note"].get<std::string>().find("selector failed") !=
          std::string::npos);

    // No key: the built-in catalog, and nothing asked.
    for (auto& keyless : every_way_in(api, "")) {
        CAPTURE(keyless->name());
        api.clear_requests();
        auto listed = keyless->call_tool("list_available_styles", {{"kind", "tileset"}});
        CHECK(listed["structuredContent"]["source"] == "built_in");
        CHECK(listed["structuredContent"]["note"].get<std::string>().find("no API key") !=
              std::string::npos);
        CHECK(api.requests().empty());
    }
}

TEST_CASE("list_available_models and get_style_usage: local answers, the estimate's price") {
    SimulatedApi api;
    for (const std::string version : {"v2", "v1"}) {
        for (auto& caller : every_way_in(api, kTestKey, {"--api-version", version})) {
            CAPTURE(version);
            CAPTURE(caller->name());
            api.clear_requests();

            auto models = caller->call_tool("list_available_models", Json::object());
            REQUIRE_MESSAGE(!models.contains("isError"), models.dump());
            std::map<std::string, Json> by_model;
            for (const auto& m : models["structuredContent"]["models"]) by_model[m["model"]] = m;
            REQUIRE(by_model.count("rd_fast"));
            CHECK(by_model["rd_fast"]["style_count"] == 16);
            CHECK(by_model["rd_pro"]["title"] == "RD Pro");
            CHECK(by_model["rd_plus"]["price"].get<std::string>().find("(w*h+50000)/2000000") !=
                  std::string::npos);
            CHECK(by_model.count("rd_advanced_animation"));
            CHECK(by_model.count("rd_tile"));
            CHECK(text(models).find("RD Mini") != std::string::npos);

            for (const Json& arguments :
                 {Json{{"prompt_style", "rd_pro__default"},
                       {"width", 256},
                       {"height", 256},
                       {"num_images", 2}},
                  Json{{"prompt_style", "rd_plus__low_res"}, {"width", 96}, {"height", 64}},
                  Json{{"prompt_style", "rd_fast__detailed"},
                       {"width", 200},
                       {"height", 120},
                       {"num_images", 3}}}) {
                CAPTURE(arguments.dump());
                auto usage = caller->call_tool("get_style_usage", arguments);
                REQUIRE_MESSAGE(!usage.contains("isError"), usage.dump());
                Json estimate_arguments = arguments;
                estimate_arguments["prompt"] = "a goblin merchant";
                auto estimate = caller->call_tool("estimate_inference_cost", estimate_arguments);
                REQUIRE(estimate["structuredContent"]["source"] == "api_check_cost");
                CHECK(usage["structuredContent"]["price"]["balance_cost"].get<double>() ==
                      doctest::Approx(estimate["structuredContent"]["balance_cost"].get<double>()));
            }
            api.clear_requests();

            auto advanced = caller->call_tool("get_style_usage",
                                              {{"prompt_style", "rd_advanced_animation__walking"}});
            const auto& how = advanced["structuredContent"];
            CHECK(how["inputs"]["input_image"].get<std::string>().find("required") == 0);
            CHECK(how["inputs"].contains("frames_duration"));
            CHECK(how["example_call"]["input_image"] == "<base64 PNG>");
            CHECK(how["price"]["balance_cost"] == doctest::Approx(0.14));
            CHECK(text(advanced).find("start_inference_job") != std::string::npos);

            auto pro = caller->call_tool("get_style_usage", {{"prompt_style", "rd_pro__default"}});
            CHECK(text(pro).find("reference_images") != std::string::npos);
            auto tiles = caller->call_tool("get_style_usage",
                                           {{"prompt_style", "rd_tile__tileset_advanced"}});
            CHECK(tiles["structuredContent"]["inputs"].contains("extra_prompt"));
            CHECK(tiles["structuredContent"]["example_call"].contains("extra_prompt"));

            auto unknown =
                caller->call_tool("get_style_usage", {{"prompt_style", "rd_pro__defualt"}});
            CHECK(unknown["isError"] == true);
            CHECK(text(unknown).find("list_available_styles") != std::string::npos);
            CHECK(text(unknown).find("rd_pro__default") != std::string::npos);
            auto too_wide = caller->call_tool(
                "get_style_usage", {{"prompt_style", "rd_pro__default"}, {"width", 384}});
            CHECK(too_wide["isError"] == true);
            CHECK(text(too_wide).find("'width' and 'height' must be 64-256") != std::string::npos);

            CHECK(api.requests().empty());  // all of it answered locally
        }
    }
}
