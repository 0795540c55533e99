// Resources, prompts and completions: the style catalog and usage pages, the prompting guide and
// the caller's jobs as resources; the workflows as prompts; prompt_style and job ids completed.
// Every case runs over stdio and HTTP, 2026-07-28 and 2025-11-25, against the simulated API.
#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "tests/support/mcp_callers.h"
#include "tests/support/tool_results.h"

using namespace rdmcp::testing;

namespace {

Json error_of(const Json& reply) {
    REQUIRE_MESSAGE(reply.contains("error"), reply.dump());
    return reply["error"];
}

std::vector<std::string> strings_at(const Json& list, const char* field) {
    std::vector<std::string> values;
    for (const auto& item : list) values.push_back(item[field].get<std::string>());
    return values;
}

Json read(McpCaller& caller, const std::string& uri) {
    return caller.request("resources/read", {{"uri", uri}});
}

// The one text content of a read, parsed when it is JSON.
Json json_content(const Json& result) {
    REQUIRE(result["contents"].size() >= 1);
    CHECK(result["contents"][0]["mimeType"] == "application/json");
    return Json::parse(result["contents"][0]["text"].get<std::string>());
}

Json complete(McpCaller& caller, Json ref, const std::string& argument, const std::string& value) {
    return result_of(
        caller.request("completion/complete",
                       {{"ref", std::move(ref)},
                        {"argument", {{"name", argument}, {"value", value}}}}))["completion"];
}

int not_found_code(const McpCaller& caller) { return caller.modern() ? -32602 : -32002; }

std::size_t charges(SimulatedApi& api) { return api.ledger()["entries"].size(); }

}  // namespace

TEST_CASE("resources, prompts and completions are offered, listed once, with caching hints") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        if (caller->modern()) {
            auto discovered = result_of(caller->request("server/discover"));
            for (const char* capability : {"tools", "resources", "prompts", "completions"}) {
                CHECK(discovered["capabilities"].contains(capability));
            }
        }
        auto resources = result_of(caller->request("resources/list"));
        CHECK(strings_at(resources["resources"], "uri") ==
              std::vector<std::string>{"rd://styles", "rd://guides/prompting"});
        CHECK(resources["ttlMs"] == 3600000);
        CHECK(resources["cacheScope"] == "public");

        auto templates = result_of(caller->request("resources/templates/list"));
        CHECK(strings_at(templates["resourceTemplates"], "uriTemplate") ==
              std::vector<std::string>{"rd://styles/{prompt_style}", "rd://jobs/{job_id}"});
        CHECK(templates["cacheScope"] == "public");

        auto prompts = result_of(caller->request("prompts/list"));
        CHECK(strings_at(prompts["prompts"], "name") ==
              std::vector<std::string>{"pixel_art_character", "animated_sprite", "seamless_tileset",
                                       "asset_pipeline"});
        CHECK(prompts["ttlMs"] == 3600000);
        for (const auto& prompt : prompts["prompts"]) {
            CAPTURE(prompt["name"]);
            CHECK(prompt["arguments"][0]["required"] == true);
            CHECK(std::count_if(prompt["arguments"].begin(), prompt["arguments"].end(),
                                [](const Json& a) { return a["name"] == "prompt_style"; }) == 1);
        }
        // Deterministic: the same bytes every time (a client may compare or cache them).
        CHECK(result_of(caller->request("prompts/list")).dump() == prompts.dump());
        CHECK(result_of(caller->request("resources/list")).dump() == resources.dump());

        // One page each: a cursor we never gave is refused.
        CHECK(error_of(caller->request("prompts/list", {{"cursor", "abc"}}))["code"] == -32602);
    }
    CHECK(api.requests().empty());  // listing asks the API nothing
}

TEST_CASE("reading the guide, the catalog (live with a key) and one style's page") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        api.clear_requests();
        auto guide = result_of(read(*caller, "rd://guides/prompting"));
        CHECK(guide["contents"][0]["uri"] == "rd://guides/prompting");
        CHECK(guide["contents"][0]["mimeType"] == "text/markdown");
        const std::string markdown = guide["contents"][0]["text"];
        CHECK(markdown.rfind("# Prompting RetroDiffusion", 0) == 0);
        CHECK(markdown.find("Never write \"pixel art\"") != std::string::npos);
        CHECK(guide["cacheScope"] == "public");

        // With a key the catalog is the API's live one: the caller's own, cached privately.
        auto catalog_read = result_of(read(*caller, "rd://styles"));
        auto catalog = json_content(catalog_read);
        CHECK(catalog["source"] == "live");
        CHECK(catalog["count"] == catalog["styles"].size());
        CHECK(catalog["count"].get<int>() > 40);
        CHECK(catalog_read["cacheScope"] == "private");
        CHECK(catalog_read["ttlMs"].get<long long>() > 0);
        CHECK(catalog_read["ttlMs"].get<long long>() <= 300000);
        CHECK(api.requests_to("GET", "/v1/styles/selector").size() == 1);

        auto page_read = result_of(read(*caller, "rd://styles/rd_pro__default"));
        CHECK(page_read["contents"][0]["uri"] == "rd://styles/rd_pro__default");
        auto page = json_content(page_read);
        CHECK(page["prompt_style"] == "rd_pro__default");
        CHECK(page["max_images"] == 4);
        CHECK(page["inputs"].contains("reference_images"));
        CHECK(page["price_rule"] == page["price"]["formula"]);
        CHECK(page["example_call"]["prompt_style"] == "rd_pro__default");
        // A percent-encoded id is decoded.
        CHECK(json_content(result_of(read(
                  *caller, "rd://styles/rd%5Fpro__default")))["prompt_style"] == "rd_pro__default");
        CHECK(api.requests_to("GET", "/v1/styles/selector").size() == 1);  // cached since
    }
    CHECK(charges(api) == 0);
}

TEST_CASE("the catalog without a key is the built-in one, the same for everyone") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, "")) {
        CAPTURE(caller->name());
        auto catalog_read = result_of(read(*caller, "rd://styles"));
        auto catalog = json_content(catalog_read);
        CHECK(catalog["source"] == "built_in");
        CHECK(catalog["note"].get<std::string>().find("no API key") != std::string::npos);
        CHECK(catalog_read["cacheScope"] == "public");
    }
    CHECK(api.requests().empty());
}

TEST_CASE("unknown resources: the spec's not-found error of each version, naming the URI") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        for (const std::string uri : {"rd://nothing", "rd://styles/rd_pro__nonexistent",
                                      "rd://styles/", "file:///etc/passwd", "rd://styles/a/b",
                                      "rd://styles/%zz", "rd://jobs/rdjob1.forged.mac"}) {
            CAPTURE(uri);
            auto error = error_of(read(*caller, uri));
            CHECK(error["code"] == not_found_code(*caller));
            CHECK(error["data"]["uri"] == uri);
            CHECK(error["message"].get<std::string>().find("Resource not found") == 0);
        }
        auto missing = error_of(caller->request("resources/read", Json::object()));
        CHECK(missing["code"] == -32602);
        CHECK(missing["message"].get<std::string>().find("params.uri") != std::string::npos);
    }
}

TEST_CASE("prompts/get: each workflow, with its arguments in the messages; bad arguments named") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        auto character =
            result_of(caller->request("prompts/get", {{"name", "pixel_art_character"},
                                                      {"arguments",
                                                       {{"character", "a goblin merchant"},
                                                        {"poses", "sitting, running"},
                                                        {"prompt_style", ""}}}}));  // "" = left out
        REQUIRE(character["messages"].size() == 1);
        CHECK(character["messages"][0]["role"] == "user");
        const std::string walk = character["messages"][0]["content"]["text"];
        CHECK(walk.find("a goblin merchant") != std::string::npos);
        CHECK(walk.find("sitting, running") != std::string::npos);
        CHECK(walk.find("rd_pro__default") != std::string::npos);  // the default style
        // In the right order: price, then generate, then the reference images.
        CHECK(walk.find("estimate_inference_cost") < walk.find("create_inference with"));
        CHECK(walk.find("create_inference") < walk.find("reference_images"));

        auto tiles = result_of(caller->request("prompts/get", {{"name", "seamless_tileset"},
                                                               {"arguments",
                                                                {{"texture", "grey stones"},
                                                                 {"outside_texture", "lush grass"},
                                                                 {"tile_size", "16"}}}}));
        const std::string tiles_text = tiles["messages"][0]["content"]["text"];
        CHECK(tiles_text.find("rd_tile__tileset_advanced") != std::string::npos);
        CHECK(tiles_text.find("extra_prompt \"lush grass\"") != std::string::npos);

        auto sprite = result_of(caller->request(
            "prompts/get", {{"name", "animated_sprite"},
                            {"arguments", {{"subject", "a fire mage"}, {"spritesheet", "yes"}}}}));
        CHECK(sprite["messages"][0]["content"]["text"].get<std::string>().find(
                  "return_spritesheet true") != std::string::npos);

        auto pipeline = result_of(caller->request(
            "prompts/get",
            {{"name", "asset_pipeline"}, {"arguments", {{"asset", "a chest"}, {"colors", "8"}}}}));
        const std::string steps = pipeline["messages"][0]["content"]["text"];
        CHECK(steps.find("background_remover") < steps.find("color_reducer"));
        CHECK(steps.find("color_count 8") < steps.find("fix_pixel_art"));

        struct Bad {
            Json params;
            std::string says;
        };
        for (const auto& bad : std::vector<Bad>{
                 {{{"name", "no_such_prompt"}}, "pixel_art_character"},
                 {{{"name", "pixel_art_character"}}, "needs the argument character"},
                 {{{"name", "pixel_art_character"}, {"arguments", {{"character", ""}}}},
                  "needs the argument character"},
                 {{{"name", "pixel_art_character"},
                   {"arguments", {{"character", "x"}, {"colour", "red"}}}},
                  "unknown argument \"colour\""},
                 {{{"name", "pixel_art_character"}, {"arguments", {{"character", 7}}}},
                  "must be a string"},
                 {{{"name", "seamless_tileset"},
                   {"arguments", {{"texture", "sand"}, {"tile_size", "512"}}}},
                  "tile_size must be"},
                 {{{"name", "pixel_art_character"},
                   {"arguments", {{"character", std::string(3000, 'x')}}}},
                  "at most 2000"}}) {
            CAPTURE(bad.params.dump());
            auto error = error_of(caller->request("prompts/get", bad.params));
            CHECK(error["code"] == -32602);
            CHECK(error["message"].get<std::string>().find(bad.says) != std::string::npos);
        }
    }
    CHECK(api.requests().empty());
}

TEST_CASE("completion: prompt_style from the catalog, best first; job ids from the caller's jobs") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 200}});
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        const Json prompt_ref = {{"type", "ref/prompt"}, {"name", "pixel_art_character"}};
        auto pro = complete(*caller, prompt_ref, "prompt_style", "rd_pro__d");
        REQUIRE(!pro["values"].empty());
        CHECK(pro["values"][0] == "rd_pro__default");
        CHECK(pro["total"] == pro["values"].size());
        CHECK(pro["hasMore"] == false);

        // A word inside an id matches too, after the ids that start with it.
        auto walking = complete(*caller, prompt_ref, "prompt_style", "walking");
        REQUIRE(!walking["values"].empty());
        for (const auto& value : walking["values"]) {
            CHECK(value.get<std::string>().find("walking") != std::string::npos);
        }

        // Everything (an empty value): the whole catalog, capped at 100 with the true total.
        auto all = complete(*caller, prompt_ref, "prompt_style", "");
        CHECK(all["values"].size() == std::min<std::size_t>(100, all["total"].get<std::size_t>()));
        CHECK(all["hasMore"] == (all["total"].get<std::size_t>() > 100));

        const Json style_ref = {{"type", "ref/resource"}, {"uri", "rd://styles/{prompt_style}"}};
        CHECK(complete(*caller, style_ref, "prompt_style", "rd_tile__tiles")["values"][0] ==
              "rd_tile__tileset");
        // An argument without suggestions completes to nothing.
        CHECK(complete(*caller, prompt_ref, "character", "gob")["values"].empty());

        // Job ids: the caller's recent jobs.
        const Json job_ref = {{"type", "ref/resource"}, {"uri", "rd://jobs/{job_id}"}};
        CHECK(complete(*caller, job_ref, "job_id", "")["values"].empty());
        auto started =
            caller->call_tool("start_inference_job", {{"prompt", "corgi"},
                                                      {"prompt_style", "rd_fast__default"},
                                                      {"width", 64},
                                                      {"height", 64}});
        const std::string job_id = started["structuredContent"]["job_id"];
        auto jobs = complete(*caller, job_ref, "job_id", job_id.substr(0, 9));
        CHECK(jobs["values"] == Json::array({job_id}));

        auto bad = error_of(caller->request(
            "completion/complete",
            {{"ref", {{"type", "ref/tool"}}}, {"argument", {{"name", "x"}, {"value", "y"}}}}));
        CHECK(bad["code"] == -32602);
    }
}

TEST_CASE("rd://jobs/{job_id}: a job's state, then its images; another key cannot read it") {
    SimulatedApi api;
    api.configure({{"async_duration_ms", 300}});
    std::string uri;
    for (auto& caller : every_way_in(api)) {
        CAPTURE(caller->name());
        const auto charged_before = charges(api);
        auto started =
            caller->call_tool("start_inference_job", {{"prompt", "corgi"},
                                                      {"prompt_style", "rd_fast__default"},
                                                      {"width", 64},
                                                      {"height", 64}});
        const std::string job_id = started["structuredContent"]["job_id"];
        uri = "rd://jobs/" + job_id;
        // The start result links the job.
        bool linked = false;
        for (const auto& item : started["content"]) {
            linked |= item["type"] == "resource_link" && item["uri"] == uri;
        }
        CHECK(linked);

        Json page;
        Json done;
        for (int attempt = 0; attempt < 100; ++attempt) {
            done = result_of(read(*caller, uri));
            page = json_content(done);
            if (page["status"] != "working") break;
            CHECK(done["ttlMs"] == 0);  // a running job is stale at once
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        CHECK(page["status"] == "completed");
        CHECK(page["job_id"] == job_id);
        CHECK(page["images_attached"] == 1);
        CHECK(done["cacheScope"] == "private");
        REQUIRE(done["contents"].size() == 2);
        CHECK(done["contents"][1]["mimeType"] == "image/png");
        CHECK(done["contents"][1]["uri"] == uri);
        CHECK(!done["contents"][1]["blob"].get<std::string>().empty());
        CHECK(charges(api) == charged_before + 1);  // reading never pays again

        auto polled = caller->call_tool("get_inference_job", {{"job_id", job_id}});
        linked = false;
        for (const auto& item : polled["content"]) linked |= item.value("uri", "") == uri;
        CHECK(linked);
    }
    // Another key: not found, and never the images.
    for (auto& caller : every_way_in(api, kSecondTestKey)) {
        CAPTURE(caller->name());
        CHECK(error_of(read(*caller, uri))["code"] == not_found_code(*caller));
    }
}
