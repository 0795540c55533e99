// fix_pixel_art: Pixel Fixer's two engines, its limits checked before anything is sent, each of
// its errors turned into advice, and its results recovered by request id; over stdio and HTTP,
// 2025-11-25 and 2026-07-28 clients, API v2 and v1.
#include <doctest/doctest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/base64.h"
#include "tests/support/mcp_callers.h"
#include "tests/support/tool_results.h"

using namespace rdmcp;
using namespace rdmcp::testing;

namespace {

const std::vector<std::string> kV1 = {"--api-version", "v1"};

std::uint32_t crc32(const std::string& bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string chunk(const std::string& type, const std::string& data, bool bad_crc = false) {
    return be32(static_cast<std::uint32_t>(data.size())) + type + data +
           be32(crc32(type + data) ^ (bad_crc ? 1u : 0u));
}

// A PNG the simulator accepts as width x height (it reads the chunks, not the pixels), `padding`
// bytes longer in an ancillary chunk, or with a damaged CRC (which only the API notices).
std::string png_bytes(int width, int height, std::size_t padding = 0, bool bad_crc = false) {
    const std::string ihdr = be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
    std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr);
    if (padding > 0) png += chunk("zPad", std::string(padding - 12, 'p'));
    return png + chunk("IDAT", std::string("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9), bad_crc) +
           chunk("IEND", "");
}

std::string png(int width, int height) { return base64_encode(png_bytes(width, height)); }

std::vector<Json> fixer_posts(SimulatedApi& api) {
    std::vector<Json> posts;
    for (const auto& request : api.requests()) {
        if (request["path"].get<std::string>().find("/pixel-fixer/") != std::string::npos)
            posts.push_back(request);
    }
    return posts;
}

// The newest API Activity entry of the test key, read from the simulator as a client would.
Json newest_activity(const SimulatedApi& api) {
    httplib::Client client(api.url());
    auto reply =
        client.Get("/v2/inferences/requests?limit=1", httplib::Headers{{"X-RD-Token", kTestKey}});
    REQUIRE(reply);
    REQUIRE(reply->status == 200);
    return Json::parse(reply->body)["items"][0];
}

const Json& first_image(const Json& result) { return result["structuredContent"]["images"][0]; }

}  // namespace

TEST_CASE("fix_pixel_art: both engines and image_url, free, every way in, on v2 and v1") {
    SimulatedApi api;
    for (const auto& version : {std::string("v2"), std::string("v1")}) {
        for (auto& caller : every_way_in(api, kTestKey, {"--api-version", version})) {
            CAPTURE(caller->name());
            CAPTURE(version);
            api.advance_clock(61);  // a fresh minute of Pixel Fixer's 10 calls
            api.clear_requests();
            const std::string input = png(256, 256);
            auto standard = caller->call_tool("fix_pixel_art", {{"input_image", input}});
            REQUIRE_MESSAGE(!standard.contains("isError"), standard.dump());
            CHECK(says(standard, "Fixed the pixel grid: 256x256 -> 32x32 (standard engine, free)"));
            CHECK(standard["content"][1]["type"] == "image");
            CHECK(first_image(standard)["width"] == 32);
            CHECK(first_image(standard).value("height", 0) == 32);
            // v2 names the API Activity entry (X-RD-Request-ID); v1 has none.
            CHECK(standard["structuredContent"].contains("request_id") == (version == "v2"));
            auto posts = fixer_posts(api);
            REQUIRE(posts.size() == 1);
            CHECK(posts[0]["path"] == "/" + version + "/pixel-fixer/standard");
            CHECK(posts[0]["body"] == Json{{"input_image", input}});

            auto neural = caller->call_tool(
                "fix_pixel_art", {{"input_image", "data:image/png;base64," + png(64, 64)},
                                  {"engine", "neural"},
                                  {"width", 40},
                                  {"height", 24}});
            REQUIRE_MESSAGE(!neural.contains("isError"), neural.dump());
            CHECK(says(neural, "64x64 -> 40x24 (neural engine, free)"));
            posts = fixer_posts(api);
            REQUIRE(posts.size() == 2);
            CHECK(posts[1]["path"] == "/" + version + "/pixel-fixer/neural");
            CHECK(posts[1]["body"]["width"] == 40);
            CHECK(posts[1]["body"]["height"] == 24);

            // A public https link, downloaded by the API: the simulator's own hosted output.
            std::string url = newest_activity(api)["outputs"][0]["url"];
            url = "https" + url.substr(url.find("://"));
            auto linked = caller->call_tool("fix_pixel_art", {{"image_url", url}});
            REQUIRE_MESSAGE(!linked.contains("isError"), linked.dump());
            CHECK(says(linked, "the image at image_url -> 40x24"));  // no grid left to find
            CHECK(fixer_posts(api).back()["body"] == Json{{"image_url", url}});
        }
    }
    CHECK(api.ledger()["total_charged"] == 0);
}

TEST_CASE("fix_pixel_art: what the API would refuse is refused before anything is sent") {
    SimulatedApi api;
    const std::string gif = base64_encode(std::string("GIF89a\x20\x00\x20\x00\x00\x00\x00;", 14));
    const std::string big = base64_encode(png_bytes(64, 64, 700'000));
    const std::vector<std::pair<Json, std::string>> refusals = {
        {Json::object(), "pass the image to fix"},
        {{{"input_image", png(32, 32)}, {"image_url", "https://cdn.example.com/a.png"}},
         "exactly one of 'input_image' or 'image_url'"},
        {{{"image_url", "http://cdn.example.com/a.png"}}, "public https:// link"},
        {{{"image_url", "https://"}}, "public https:// link"},
        {{{"image_url", "https://cdn.example.com/" + std::string(2070, 'a')}}, "image_url"},
        {{{"input_image", "https://cdn.example.com/a.png"}}, "pass it as 'image_url'"},
        {{{"input_image", png(32, 32)}, {"width", 16}}, "engine \"neural\" only"},
        {{{"input_image", png(32, 32)}, {"engine", "fast"}}, "engine"},
        {{{"input_image", png(32, 32)}, {"engine", "neural"}, {"width", 0}}, "width"},
        {{{"input_image", png(32, 32)}, {"scale", 2}}, "scale"},
        {{{"input_image", gif}}, "PNG or JPEG only"},
        {{{"input_image", png(15, 16)}}, "at least 16x16"},
        {{{"input_image", png(4001, 4001)}}, "16 megapixels"},
        {{{"input_image", "bm90IGFuIGltYWdl"}}, "input_image"},
        {{{"input_image", big}}, "Pass the image as 'image_url'"},
    };
    for (auto& caller : every_way_in(api, kTestKey, kV1)) {
        CAPTURE(caller->name());
        for (const auto& [arguments, words] : refusals) {
            CAPTURE(arguments.dump().substr(0, 200));
            auto refused = caller->call_tool("fix_pixel_art", arguments);
            CHECK(refused["isError"] == true);
            CHECK_MESSAGE(says(refused, words), text(refused));
        }
        if (caller->name().rfind("http", 0) == 0) {
            auto local = caller->call_tool(
                "fix_pixel_art", {{"input_image", "/etc/hostname"}, {"output_dir", "/tmp"}});
            CHECK(local["isError"] == true);
        }
        CHECK(fixer_posts(api).empty());
    }
}

TEST_CASE("fix_pixel_art: the 900,000-byte request limit is measured exactly") {
    SimulatedApi api;
    // {"width":10000,"input_image":"<base64>"} is the base64 plus 32 bytes; 674,976 bytes of
    // image are 899,968 of base64: exactly 900,000 bytes of JSON.
    const std::string exact = base64_encode(png_bytes(64, 64, 674'976 - 66));
    REQUIRE(exact.size() == 899'968);
    const std::string over = base64_encode(png_bytes(64, 64, 674'979 - 66));
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        CAPTURE(caller->name());
        api.advance_clock(61);
        api.clear_requests();
        auto refused = caller->call_tool(
            "fix_pixel_art", {{"input_image", over}, {"engine", "neural"}, {"width", 10000}});
        CHECK(refused["isError"] == true);
        CHECK(says(refused, "900004 bytes of JSON"));
        CHECK(fixer_posts(api).empty());
        // At the limit it is sent, and the API takes it (its answer, 10000x10000, is too big).
        auto sent = caller->call_tool(
            "fix_pixel_art", {{"input_image", exact}, {"engine", "neural"}, {"width", 10000}});
        CHECK(sent["isError"] == true);
        CHECK_MESSAGE(says(sent, "pixel_fixer_output_too_large"), text(sent));
        REQUIRE(fixer_posts(api).size() == 1);
    }
}

TEST_CASE("fix_pixel_art over stdio: local files in, files out, and a file too large to inline") {
    SimulatedApi api;
    const auto dir =
        std::filesystem::temp_directory_path() / ("rdmcp-pixel-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto write = [&](const std::string& name, const std::string& bytes) {
        std::ofstream(dir / name, std::ios::binary) << bytes;
        return (dir / name).string();
    };
    const std::string small = write("soft.png", png_bytes(128, 64));
    const std::string large = write("large.png", png_bytes(64, 64, 800'000));
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        if (caller->name().rfind("stdio", 0) != 0) continue;
        CAPTURE(caller->name());
        api.clear_requests();
        auto fixed = caller->call_tool(
            "fix_pixel_art", {{"input_image", small}, {"output_dir", (dir / "out").string()}});
        REQUIRE_MESSAGE(!fixed.contains("isError"), fixed.dump());
        CHECK(says(fixed, "128x64 -> 32x16"));
        const std::string saved = first_image(fixed)["path"];
        CHECK(std::filesystem::exists(saved));
        CHECK(saved.find("pixel-fixed-standard") != std::string::npos);
        REQUIRE(fixer_posts(api).size() == 1);
        CHECK(!fixer_posts(api)[0]["body"].contains("output_dir"));  // ours, never sent

        auto refused = caller->call_tool("fix_pixel_art", {{"input_image", large}});
        CHECK(refused["isError"] == true);
        CHECK_MESSAGE(says(refused, "the local file " + large + " is too large"), text(refused));
        CHECK(says(refused, "image_url"));
        CHECK(fixer_posts(api).size() == 1);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("fix_pixel_art: each of the API's errors comes with what to do, on v2 and v1") {
    SimulatedApi api;
    for (const auto& version : {std::string("v2"), std::string("v1")}) {
        for (auto& caller : every_way_in(api, kTestKey, {"--api-version", version})) {
            CAPTURE(caller->name());
            CAPTURE(version);
            const std::string prefix = "/" + version + "/pixel-fixer/";
            api.advance_clock(61);
            api.clear_requests();

            // 422: a PNG whose header is fine but whose data the API cannot read.
            auto damaged = caller->call_tool(
                "fix_pixel_art", {{"input_image", base64_encode(png_bytes(32, 32, 0, true))}});
            CHECK(damaged["isError"] == true);
            CHECK(says(damaged, "invalid_pixel_fixer_image"));
            CHECK(says(damaged, "PNG or JPEG of at least 16x16"));

            // 413, the answer: a neural size too large to send back.
            auto huge = caller->call_tool("fix_pixel_art", {{"input_image", png(32, 32)},
                                                            {"engine", "neural"},
                                                            {"width", 900},
                                                            {"height", 900}});
            CHECK(huge["isError"] == true);
            CHECK(says(huge, "pixel_fixer_output_too_large"));
            CHECK(says(huge, "smaller width and height"));

            // 413, the request (what the local check prevents, were the API to say it anyway).
            const Json too_large_v1 = {{"detail",
                                        {{"code", "pixel_fixer_request_too_large"},
                                         {"message", "Pixel fixer request too large."}}}};
            const Json too_large_v2 = {{"error",
                                        {{"code", "pixel_fixer_request_too_large"},
                                         {"message", "Pixel fixer request too large."},
                                         {"request_id", "req-413"}}}};
            api.fail_next({{"path_prefix", prefix},
                           {"status", 413},
                           {"body", version == "v2" ? too_large_v2 : too_large_v1}});
            auto request_413 = caller->call_tool("fix_pixel_art", {{"input_image", png(32, 32)}});
            CHECK(says(request_413, "pixel_fixer_request_too_large"));
            CHECK(says(request_413, "pass the image as image_url"));

            // 500 pixel_fixer_failed (the simulator's fault on these routes): not retried, as
            // the catalog says it will not help at once.
            api.clear_requests();
            api.fail_next({{"path_prefix", prefix}, {"status", 500}});
            auto failed = caller->call_tool("fix_pixel_art", {{"input_image", png(32, 32)}});
            CHECK(failed["isError"] == true);
            CHECK(says(failed, "pixel_fixer_failed"));
            CHECK(says(failed, "try again in a minute"));
            CHECK(fixer_posts(api).size() == 1);

            // A lost answer (503) is asked for once more: free, so no harm.
            api.advance_clock(61);
            api.clear_requests();
            api.fail_next({{"path_prefix", prefix}, {"status", 503}});
            auto retried = caller->call_tool("fix_pixel_art", {{"input_image", png(32, 32)}});
            CHECK_MESSAGE(!retried.contains("isError"), retried.dump());
            CHECK(fixer_posts(api).size() == 2);

            // 429 from the API's own limit: 10 a minute per key, engines together; the 11th
            // call is refused with its wait, and not sent again.
            for (int i = 0; i < 9; ++i) {  // the retried call above was the minute's first
                auto fine = caller->call_tool(
                    "fix_pixel_art",
                    {{"input_image", png(32, 32)}, {"engine", i % 2 ? "neural" : "standard"}});
                REQUIRE_MESSAGE(!fine.contains("isError"), fine.dump());
            }
            api.clear_requests();
            auto limited = caller->call_tool("fix_pixel_art", {{"input_image", png(32, 32)}});
            CHECK(limited["isError"] == true);
            CHECK(says(limited, "pixel_fixer_rate_limit_exceeded"));
            CHECK(says(limited, "10 requests per minute"));
            CHECK_MESSAGE(says(limited, " seconds before calling again"), text(limited));
            CHECK(fixer_posts(api).size() == 1);
            // Even a short Retry-After is the agent's to wait, not ours.
            api.advance_clock(61);
            api.clear_requests();
            api.fail_next({{"path_prefix", prefix}, {"status", 429}, {"retry_after", 1}});
            auto short_wait = caller->call_tool("fix_pixel_art", {{"input_image", png(32, 32)}});
            CHECK(says(short_wait, "Wait 1 seconds"));
            CHECK(fixer_posts(api).size() == 1);
        }
    }
    CHECK(api.ledger()["total_charged"] == 0);
}

TEST_CASE("v2: get_inference_result recovers a Pixel Fixer result by its request id") {
    SimulatedApi api;
    for (auto& caller : every_way_in(api, kTestKey, kV2)) {
        CAPTURE(caller->name());
        api.advance_clock(61);
        auto fixed = caller->call_tool(
            "fix_pixel_art",
            {{"input_image", png(64, 64)}, {"engine", "neural"}, {"width", 24}, {"height", 24}});
        REQUIRE_MESSAGE(!fixed.contains("isError"), fixed.dump());
        const std::string id = fixed["structuredContent"]["request_id"];
        CHECK(says(fixed, "Request id " + id));
        api.clear_requests();
        auto recovered = caller->call_tool("get_inference_result", {{"request_id", id}});
        REQUIRE_MESSAGE(!recovered.contains("isError"), recovered.dump());
        CHECK(recovered["structuredContent"]["operation"] == "pixel_fixer.neural");
        CHECK(recovered["structuredContent"]["done"] == true);
        CHECK(first_image(recovered)["width"] == 24);
        CHECK(recovered["content"][1]["type"] == "image");
        CHECK(fixer_posts(api).empty());  // recovered, not fixed again
    }
}
