// Assets into the game project (stdio): save_to/filename inside the client's roots (asked with
// roots/list in 2025-11-25, through MRTR in 2026-07-28) or --output-dir, never overwriting, with
// a provenance sidecar; frames, sheet and atlas for animations; palettes out (extract_palette)
// and back in (input_palette). Over HTTP nothing is written: frames come back as content.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "common/base64.h"
#include "tests/support/mcp_http_client.h"
#include "tests/support/mcp_stdio_client.h"
#include "tests/support/simulated_api.h"
#include "tests/support/tool_results.h"
#include "tools/image_codec.h"
#include "tools/palette_formats.h"

using namespace rdmcp::testing;
namespace fs = std::filesystem;

namespace {

// A fresh project folder per test, removed afterwards.
struct Project {
    fs::path root;
    Project() {
        root = fs::temp_directory_path() /
               ("rdmcp-project-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
        fs::remove_all(root);
        fs::create_directories(root);
    }
    ~Project() { fs::remove_all(root); }
    std::string uri() const { return "file://" + root.string(); }
    static inline int count = 0;
};

const Json kKnight = {{"prompt", "a knight"},
                      {"prompt_style", "rd_fast__default"},
                      {"width", 64},
                      {"height", 64},
                      {"seed", 7}};

bool is_error(const Json& result) { return result.value("isError", false); }

Json with(Json arguments, const Json& more) {
    arguments.update(more);
    return arguments;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t paid_generations(SimulatedApi& api) {
    std::size_t count = 0;
    for (const auto& post : api.requests_to("POST", "/v1/inferences")) {
        if (post["body"].value("check_cost", false) == false) ++count;
    }
    return count;
}

// Opens a 2025-11-25 session whose client lists the project as its one root.
void open_with_root(McpStdioClient& client, const Project& project) {
    client.initialize("2025-11-25", {{"roots", Json::object()}});
    const std::string uri = project.uri();
    client.on_server_request([uri](const Json& request) {
        CHECK(request["method"] == "roots/list");
        return Json{{"roots", {{{"uri", uri}, {"name", "My Game"}}}}};
    });
}

Json call(McpStdioClient& client, const std::string& tool, const Json& arguments) {
    auto reply = client.request("tools/call", {{"name", tool}, {"arguments", arguments}},
                                std::chrono::seconds(60));
    REQUIRE_MESSAGE(reply.contains("result"), reply.dump());
    return reply["result"];
}

}  // namespace

TEST_CASE("2025-11-25: a generation lands in <root>/<save_to>/<filename>.png with its sidecar") {
    SimulatedApi api;
    Project project;
    McpStdioClient client({}, env_for(api, kTestKey));
    open_with_root(client, project);

    auto first = call(client, "create_inference",
                      with(kKnight, {{"save_to", "assets/sprites"}, {"filename", "hero"}}));
    REQUIRE_MESSAGE(!is_error(first), first.dump().substr(0, 800));
    const fs::path png = project.root / "assets/sprites/hero.png";
    CHECK(fs::exists(png));
    CHECK(first["structuredContent"]["images"][0]["path"] == png.string());
    CHECK(client.server_requests().size() == 1);  // roots/list, asked once

    const auto sidecar = Json::parse(read_file(project.root / "assets/sprites/hero.rd.json"));
    CHECK(sidecar["tool"] == "create_inference");
    CHECK(sidecar["prompt"] == "a knight");
    CHECK(sidecar["prompt_style"] == "rd_fast__default");
    CHECK(sidecar["seed"] == 7);
    CHECK(sidecar["width"] == 64);
    CHECK(sidecar["file"] == "hero.png");
    CHECK_FALSE(sidecar["arguments"].contains("num_images"));  // only what was sent
    CHECK_FALSE(sidecar["arguments"].contains("save_to"));
    CHECK(sidecar["cost"].get<double>() > 0);
    CHECK(sidecar.contains("created_at"));
    // The saved file is linked in the content too.
    bool linked = false;
    for (const auto& item : first["content"]) {
        linked |= item.value("uri", "") == "file://" + png.string();
    }
    CHECK(linked);

    // A second one never overwrites the first.
    const std::string before = read_file(png);
    auto second =
        call(client, "create_inference",
             with(kKnight, {{"save_to", "assets/sprites"}, {"filename", "hero"}, {"seed", 8}}));
    REQUIRE(!is_error(second));
    CHECK(read_file(png) == before);
    CHECK(fs::exists(project.root / "assets/sprites/hero-1.png"));
    CHECK(Json::parse(read_file(project.root / "assets/sprites/hero-1.rd.json"))["seed"] == 8);
    CHECK(paid_generations(api) == 2);
}

TEST_CASE("paths outside the roots are refused before anything is paid") {
    SimulatedApi api;
    Project project;
    fs::create_directories(project.root / "inside");
    fs::create_symlink("/tmp", project.root / "inside/escape");
    McpStdioClient client({}, env_for(api, kTestKey));
    open_with_root(client, project);
    struct Bad {
        Json arguments;
        std::string says;
    };
    for (const auto& bad :
         std::vector<Bad>{{{{"save_to", "../elsewhere"}}, "may not contain \"..\""},
                          {{{"save_to", "assets/../../x"}}, "may not contain \"..\""},
                          {{{"save_to", "/etc"}}, "outside the project folders"},
                          {{{"save_to", "inside/escape/x"}}, "symbolic link"},
                          {{{"filename", "../hero"}}, "'filename'"},
                          {{{"filename", "a/b"}}, "'filename'"},
                          {{{"filename", ".hidden"}}, "'filename'"}}) {
        CAPTURE(bad.arguments.dump());
        auto refused = call(client, "create_inference", with(kKnight, bad.arguments));
        CHECK(is_error(refused));
        CHECK(text(refused).find(bad.says) != std::string::npos);
    }
    CHECK(paid_generations(api) == 0);
    CHECK(api.ledger()["entries"].empty());
}

TEST_CASE("2026-07-28: the roots come through MRTR, asked again beside a spend confirmation") {
    SimulatedApi api;
    Project project;
    McpStdioClient client({}, env_for(api, kTestKey));
    const Json meta =
        modern_meta({{"io.modelcontextprotocol/clientCapabilities", {{"roots", Json::object()}}}});
    const Json arguments = with(kKnight, {{"save_to", "art"}, {"filename", "knight"}});
    auto first = client.request(
        "tools/call", {{"name", "create_inference"}, {"arguments", arguments}, {"_meta", meta}});
    REQUIRE(first.contains("result"));
    CHECK(first["result"]["resultType"] == "input_required");
    CHECK(first["result"]["inputRequests"]["roots"] == Json{{"method", "roots/list"}});
    CHECK(paid_generations(api) == 0);

    const Json roots = {{"roots", {{{"uri", project.uri()}}}}};
    auto retry = client.request("tools/call", {{"name", "create_inference"},
                                               {"arguments", arguments},
                                               {"inputResponses", {{"roots", roots}}},
                                               {"_meta", meta}});
    REQUIRE_MESSAGE(retry.contains("result"), retry.dump());
    REQUIRE_MESSAGE(!is_error(retry["result"]), retry.dump().substr(0, 600));
    CHECK(fs::exists(project.root / "art/knight.png"));
    CHECK(fs::exists(project.root / "art/knight.rd.json"));
    CHECK(paid_generations(api) == 1);

    // With a confirmation threshold, the confirmation round asks for the roots again beside it,
    // so the retry that answers both still knows where to save.
    McpStdioClient confirming({"--confirm-above", "0.001"}, env_for(api, kTestKey));
    const Json meta2 =
        modern_meta({{"io.modelcontextprotocol/clientCapabilities",
                      {{"roots", Json::object()}, {"elicitation", {{"form", Json::object()}}}}}});
    auto asked = confirming.request("tools/call", {{"name", "create_inference"},
                                                   {"arguments", arguments},
                                                   {"inputResponses", {{"roots", roots}}},
                                                   {"_meta", meta2}});
    REQUIRE(asked.contains("result"));
    CHECK(asked["result"]["resultType"] == "input_required");
    CHECK(asked["result"]["inputRequests"].contains("confirm_spend"));
    CHECK(asked["result"]["inputRequests"].contains("roots"));
    auto paid = confirming.request(
        "tools/call",
        {{"name", "create_inference"},
         {"arguments", arguments},
         {"requestState", asked["result"]["requestState"]},
         {"inputResponses",
          {{"roots", roots},
           {"confirm_spend", {{"action", "accept"}, {"content", {{"approve", true}}}}}}},
         {"_meta", meta2}});
    REQUIRE_MESSAGE(!is_error(paid["result"]), paid.dump().substr(0, 600));
    CHECK(fs::exists(project.root / "art/knight-1.png"));
    CHECK(paid_generations(api) == 2);
}

TEST_CASE("without roots: save_to goes under --output-dir, or is refused when there is none") {
    SimulatedApi api;
    Project project;
    McpStdioClient without_dir({}, env_for(api, kTestKey));
    without_dir.initialize();
    auto refused = call(without_dir, "create_inference", with(kKnight, {{"save_to", "sprites"}}));
    CHECK(is_error(refused));
    CHECK(text(refused).find("--output-dir") != std::string::npos);

    McpStdioClient with_dir({"--output-dir", project.root.string(), "--no-sidecar"},
                            env_for(api, kTestKey));
    with_dir.initialize();
    auto saved = call(with_dir, "create_inference",
                      with(kKnight, {{"save_to", "sprites"}, {"filename", "slime"}}));
    REQUIRE(!is_error(saved));
    CHECK(fs::exists(project.root / "sprites/slime.png"));
    CHECK_FALSE(fs::exists(project.root / "sprites/slime.rd.json"));  // --no-sidecar
    CHECK(paid_generations(api) == 1);
}

TEST_CASE("an animation with frames: each frame, a sheet and an atlas whose rectangles match") {
    SimulatedApi api;
    Project project;
    McpStdioClient client({}, env_for(api, kTestKey));
    open_with_root(client, project);
    for (const bool spritesheet : {false, true}) {
        CAPTURE(spritesheet);
        const std::string name = spritesheet ? "fire_sheet" : "fire";
        auto made = call(client, "create_inference",
                         {{"prompt", "fire"},
                          {"prompt_style", "rd_animation__vfx"},
                          {"width", 48},
                          {"height", 48},
                          {"return_spritesheet", spritesheet},
                          {"frames", true},
                          {"save_to", "fx"},
                          {"filename", name}});
        REQUIRE_MESSAGE(!is_error(made), made.dump().substr(0, 800));
        const auto& entry = made["structuredContent"]["images"][0];
        REQUIRE(entry["frames"].size() == 4);  // the sim's animations have 4 frames
        const auto atlas = Json::parse(read_file(entry["atlas"].get<std::string>()));
        auto sheet = rdmcp::tools::decode_png(read_file(entry["sheet"].get<std::string>()));
        REQUIRE(std::holds_alternative<rdmcp::tools::RgbaImage>(sheet));
        const auto& pixels = std::get<rdmcp::tools::RgbaImage>(sheet);
        CHECK(atlas["meta"]["image"] ==
              fs::path(entry["sheet"].get<std::string>()).filename().string());
        CHECK(atlas["meta"]["size"] == Json{{"w", pixels.width}, {"h", pixels.height}});
        REQUIRE(atlas["frames"].size() == 4);
        std::size_t i = 0;
        for (const auto& [file, frame] : atlas["frames"].items()) {
            CAPTURE(file);
            const fs::path path = entry["frames"][i].get<std::string>();
            CHECK(path.filename().string() == file);
            auto decoded = rdmcp::tools::decode_png(read_file(path));
            REQUIRE(std::holds_alternative<rdmcp::tools::RgbaImage>(decoded));
            const auto& one = std::get<rdmcp::tools::RgbaImage>(decoded);
            CHECK(frame["frame"] ==
                  Json{{"x", 48 * static_cast<int>(i)}, {"y", 0}, {"w", 48}, {"h", 48}});
            CHECK(one.width == 48);
            // The sheet holds this very frame at its rectangle.
            const auto cut = rdmcp::tools::crop(pixels, 48 * static_cast<int>(i), 0, 48, 48);
            CHECK(cut.pixels == one.pixels);
            CHECK(frame["duration"].get<int>() > 0);
            ++i;
        }
    }
}

TEST_CASE("palettes: extract_palette writes .hex, .gpl and .pal; each works as input_palette") {
    SimulatedApi api;
    Project project;
    McpStdioClient client({}, env_for(api, kTestKey));
    open_with_root(client, project);
    // An image with four known colours.
    rdmcp::tools::RgbaImage image{4, 1, {}};
    const std::vector<rdmcp::tools::Rgb> colors = {
        {26, 28, 44}, {93, 39, 93}, {177, 62, 83}, {239, 125, 87}};
    for (const auto& c : colors) image.pixels.insert(image.pixels.end(), {c.r, c.g, c.b, 255});
    const fs::path source = project.root / "source.png";
    std::ofstream(source, std::ios::binary) << rdmcp::tools::encode_png(image);

    auto extracted =
        call(client, "extract_palette",
             {{"image", source.string()}, {"save_to", "palettes"}, {"filename", "dusk"}});
    REQUIRE_MESSAGE(!is_error(extracted), extracted.dump().substr(0, 600));
    CHECK(extracted["structuredContent"]["colors"] ==
          Json::array({"#1a1c2c", "#5d275d", "#b13e53", "#ef7d57"}));
    for (const char* ext : {"hex", "gpl", "pal"}) {
        CAPTURE(ext);
        const fs::path file = project.root / "palettes" / (std::string("dusk.") + ext);
        REQUIRE(fs::exists(file));
        api.clear_requests();
        auto made =
            call(client, "create_inference", with(kKnight, {{"input_palette", file.string()}}));
        REQUIRE_MESSAGE(!is_error(made), made.dump().substr(0, 600));
        auto posts = api.requests_to("POST", "/v1/inferences");
        REQUIRE(!posts.empty());
        const auto sent = rdmcp::tools::decode_png(
            rdmcp::base64_decode(posts.back()["body"]["input_palette"].get<std::string>()).value());
        REQUIRE(std::holds_alternative<rdmcp::tools::RgbaImage>(sent));
        CHECK(rdmcp::tools::distinct_colors(std::get<rdmcp::tools::RgbaImage>(sent)).colors ==
              colors);
    }
    // Hex colours work too; a bad one is named before anything is paid.
    auto listed =
        call(client, "create_inference", with(kKnight, {{"input_palette", "#1a1c2c, 5d275d"}}));
    CHECK_FALSE(is_error(listed));
    const auto paid = paid_generations(api);
    auto bad = call(client, "create_inference", with(kKnight, {{"input_palette", "#12345g"}}));
    CHECK(is_error(bad));
    CHECK(text(bad).find("input_palette") != std::string::npos);
    CHECK(paid_generations(api) == paid);
}

TEST_CASE(
    "over HTTP nothing is written: frames come back as a sheet and an atlas; save_to is refused") {
    SimulatedApi api;
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient client(server, kTestKey);
    auto made = client.modern_tool("create_inference", {{"prompt", "fire"},
                                                        {"prompt_style", "rd_animation__vfx"},
                                                        {"width", 48},
                                                        {"height", 48},
                                                        {"frames", true}});
    const Json result = made.response()["result"];
    REQUIRE_MESSAGE(!is_error(result), made.body.substr(0, 600));
    int images = 0;
    Json atlas;
    for (const auto& item : result["content"]) {
        images += item["type"] == "image";
        if (item["type"] == "resource") {
            atlas = Json::parse(item["resource"]["text"].get<std::string>());
        }
    }
    CHECK(images == 2);  // the GIF and its sheet
    CHECK(atlas["frames"].size() == 4);
    CHECK(atlas["meta"]["size"] == Json{{"w", 4 * 48}, {"h", 48}});

    auto refused = client.modern_tool("create_inference", with(kKnight, {{"save_to", "x"}}));
    CHECK(is_error(refused.response()["result"]));
    CHECK(text(refused.response()["result"]).find("only works when the server runs locally") !=
          std::string::npos);
    CHECK(paid_generations(api) == 1);
}

TEST_CASE("an item sheet is cut into one PNG per item, named after it, its box's size") {
    SimulatedApi api;
    Project project;
    McpStdioClient client({}, env_for(api, kTestKey));
    open_with_root(client, project);
    const Json sheet = {{"prompt", "sword, shield, potion, amulet"},
                        {"prompt_style", "rd_pro__inventory_items"},
                        {"width", 256},
                        {"height", 256},
                        {"include_downloadable_data", true}};
    auto made = call(client, "create_inference",
                     with(sheet, {{"save_to", "items"}, {"filename", "paladin"}}));
    REQUIRE_MESSAGE(!is_error(made), made.dump().substr(0, 600));
    const auto& sprites =
        made["structuredContent"]["downloadable_data"]["downloadable_json"]["data"]["sprites"];
    const auto& items = made["structuredContent"]["images"][0]["items"];
    REQUIRE(items.size() == sprites.size());
    REQUIRE(items.size() == 4);
    CHECK(fs::path(items[0].get<std::string>()).filename().string() == "paladin_item_0_sword.png");
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto item = rdmcp::tools::decode_png(read_file(items[i].get<std::string>()));
        REQUIRE(std::holds_alternative<rdmcp::tools::RgbaImage>(item));
        CHECK(std::get<rdmcp::tools::RgbaImage>(item).width == sprites[i]["w"]);
        CHECK(std::get<rdmcp::tools::RgbaImage>(item).height == sprites[i]["h"]);
    }

    // Over HTTP the items come back as images after the sheet.
    HttpServerProcess server({}, {{"RD_API_BASE_URL", api.url()}});
    McpHttpClient http(server, kTestKey);
    const Json result = http.modern_tool("create_inference", sheet).response()["result"];
    REQUIRE(!is_error(result));
    int images = 0;
    for (const auto& block : result["content"]) images += block["type"] == "image";
    CHECK(images == 5);
}

TEST_CASE("the edit tools and Pixel Fixer save into the project the same way") {
    SimulatedApi api;
    Project project;
    McpStdioClient client({}, env_for(api, kTestKey));
    open_with_root(client, project);
    rdmcp::tools::RgbaImage image{64, 64, std::vector<std::uint8_t>(64 * 64 * 4, 200)};
    const fs::path source = project.root / "source.png";
    std::ofstream(source, std::ios::binary) << rdmcp::tools::encode_png(image);

    auto fixed =
        call(client, "fix_pixel_art",
             {{"input_image", source.string()}, {"save_to", "clean"}, {"filename", "rock"}});
    REQUIRE_MESSAGE(!is_error(fixed), fixed.dump().substr(0, 600));
    CHECK(fs::exists(project.root / "clean/rock.png"));
    const auto fixed_record = Json::parse(read_file(project.root / "clean/rock.rd.json"));
    CHECK(fixed_record["tool"] == "fix_pixel_art");
    CHECK_FALSE(fixed_record["arguments"].contains("input_image"));  // images are not recorded

    auto cut = call(client, "run_edit_tool",
                    {{"tool_id", "background_remover"},
                     {"input_image", source.string()},
                     {"save_to", "clean"},
                     {"filename", "rock_cut"}});
    REQUIRE_MESSAGE(!is_error(cut), cut.dump().substr(0, 600));
    CHECK(fs::exists(project.root / "clean/rock_cut.png"));
    CHECK(Json::parse(read_file(project.root / "clean/rock_cut.rd.json"))["tool_id"] ==
          "background_remover");
    // Nothing of ours reached the API.
    for (const auto& request : api.requests()) {
        CHECK_FALSE(request["body"].contains("save_to"));
        CHECK_FALSE(request["body"].contains("filename"));
    }
    auto refused = call(client, "run_edit_tool",
                        {{"tool_id", "background_remover"},
                         {"input_image", source.string()},
                         {"save_to", "../out"}});
    CHECK(is_error(refused));
    CHECK(api.ledger()["entries"].size() == 1);  // the background removal alone was paid
}

TEST_CASE("2026-07-28: an edit tool asks for the roots through MRTR and saves where they say") {
    SimulatedApi api;
    Project project;
    McpStdioClient client({}, env_for(api, kTestKey));
    rdmcp::tools::RgbaImage image{64, 64, std::vector<std::uint8_t>(64 * 64 * 4, 200)};
    const fs::path source = project.root / "source.png";
    std::ofstream(source, std::ios::binary) << rdmcp::tools::encode_png(image);
    const Json meta =
        modern_meta({{"io.modelcontextprotocol/clientCapabilities", {{"roots", Json::object()}}}});
    const Json arguments = {{"tool_id", "background_remover"},
                            {"input_image", source.string()},
                            {"save_to", "clean"},
                            {"filename", "rock_cut"}};
    auto first = client.request(
        "tools/call", {{"name", "run_edit_tool"}, {"arguments", arguments}, {"_meta", meta}});
    REQUIRE(first.contains("result"));
    CHECK(first["result"]["resultType"] == "input_required");
    CHECK(first["result"]["inputRequests"]["roots"] == Json{{"method", "roots/list"}});
    CHECK(api.ledger()["entries"].empty());  // nothing is paid before the place is known

    const Json roots = {{"roots", {{{"uri", project.uri()}}}}};
    auto saved = client.request("tools/call", {{"name", "run_edit_tool"},
                                               {"arguments", arguments},
                                               {"inputResponses", {{"roots", roots}}},
                                               {"_meta", meta}});
    REQUIRE_MESSAGE(saved.contains("result"), saved.dump());
    REQUIRE_MESSAGE(!is_error(saved["result"]), saved.dump().substr(0, 600));
    CHECK(fs::exists(project.root / "clean/rock_cut.png"));
    CHECK(Json::parse(read_file(project.root / "clean/rock_cut.rd.json"))["tool_id"] ==
          "background_remover");
    CHECK(api.ledger()["entries"].size() == 1);  // charged once
}
