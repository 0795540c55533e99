#include "tools/lowpoly_request.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/base64.h"
#include "tests/support/image_input_policies.h"
#include "tests/support/test_images.h"
#include "tests/support/text_checks.h"
#include "tools/lowpoly_job_token.h"
#include "tools/lowpoly_tools.h"

using namespace rdmcp;
using namespace rdmcp::tools;
using rdmcp::protocol::Json;
using rdmcp::testing::contains;
using rdmcp::testing::kRemote;
using rdmcp::testing::kStdio;

namespace {

std::string start_refusal(LowPolyOperation operation, const Json& arguments,
                          const ImageInputPolicy& policy = kRemote) {
    auto built = build_lowpoly_start(operation, arguments, policy);
    REQUIRE(std::holds_alternative<std::string>(built));
    return std::get<std::string>(built);
}

LowPolyStartRequest started(LowPolyOperation operation, const Json& arguments,
                            const ImageInputPolicy& policy = kRemote) {
    auto built = build_lowpoly_start(operation, arguments, policy);
    if (auto* problem = std::get_if<std::string>(&built)) FAIL(*problem);
    return std::get<LowPolyStartRequest>(std::move(built));
}

template <typename Request, typename Builder>
std::string refusal_of(Builder build, const Json& arguments,
                       const ImageInputPolicy& policy = kRemote) {
    auto built = build(arguments, policy);
    REQUIRE(std::holds_alternative<std::string>(built));
    return std::get<std::string>(built);
}

std::string recolor_refusal(const Json& arguments) {
    return refusal_of<LowPolyRecolorRequest>(build_lowpoly_recolor, arguments);
}
std::string export_refusal(const Json& arguments, const ImageInputPolicy& policy = kRemote) {
    return refusal_of<LowPolyExportRequest>(build_lowpoly_export, arguments, policy);
}

constexpr const char* kAsset = "5b0c1d2e-aaaa-bbbb-cccc-000000000001";

}  // namespace

TEST_CASE("a Low-Poly generate: every documented field, the images sent apart") {
    const std::string image = testing::rgb_png_base64(8, 8);
    auto request = started(LowPolyOperation::Generate,
                           {{"prompt", "a red barn"},
                            {"size", 32},
                            {"style", "rd_lowpoly__blocky"},
                            {"mode", "fast"},
                            {"reference_images", {"data:image/png;base64," + image}},
                            {"reference_models", {kAsset}},
                            {"input_palette", image},
                            {"custom_id", "run-1"},
                            {"max_cost", 1.0}});
    CHECK(lowpoly_start_path(request) == "/lowpoly/generate");
    CHECK(upstream_body(request) == Json{{"prompt", "a red barn"},
                                         {"size", 32},
                                         {"style", "rd_lowpoly__blocky"},
                                         {"mode", "fast"},
                                         {"reference_models", {kAsset}},
                                         {"custom_id", "run-1"}});
    CHECK(estimate_body(request) == Json{{"operation", "generate"},
                                         {"prompt", "a red barn"},
                                         {"size", 32},
                                         {"style", "rd_lowpoly__blocky"}});
    CHECK(take_lowpoly_images(request) ==
          Json{{"reference_images", {image}}, {"input_palette", image}});
    CHECK(contains(describe_lowpoly(request), "32 px"));
}

TEST_CASE("generate: size auto by default, a reference image alone is enough") {
    auto by_prompt = started(LowPolyOperation::Generate, {{"prompt", "a cat"}, {"size", "auto"}});
    CHECK(!by_prompt.size);
    CHECK(upstream_body(by_prompt) == Json{{"prompt", "a cat"}});
    CHECK(estimate_body(by_prompt)["size"] == "auto");
    auto by_image = started(LowPolyOperation::Generate,
                            {{"reference_images", {testing::rgb_png_base64(4, 4)}}});
    CHECK(!by_image.prompt);
    CHECK(by_image.reference_images.size() == 1);
}

TEST_CASE("generate is refused locally, naming the field and the fix") {
    using enum LowPolyOperation;
    CHECK(contains(start_refusal(Generate, Json::object()), "'prompt'"));
    CHECK(contains(start_refusal(Generate, Json::object()), "'reference_images'"));
    CHECK(contains(start_refusal(Generate, {{"prompt", std::string(251, 'a')}}), "at most 250"));
    CHECK(std::holds_alternative<LowPolyStartRequest>(
        build_lowpoly_start(Generate, {{"prompt", std::string(250, 'a')}}, kRemote)));
    // Characters, not bytes: 250 two-byte characters pass.
    std::string accented;
    for (int i = 0; i < 250; ++i) accented += "\xC3\xA9";
    CHECK(std::holds_alternative<LowPolyStartRequest>(
        build_lowpoly_start(Generate, {{"prompt", accented}}, kRemote)));
    CHECK(contains(start_refusal(Generate, {{"prompt", "   "}}), "'prompt' is empty"));
    for (const Json& size : {Json(48), Json("big"), Json(0), Json(32.5), Json("32")}) {
        CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"size", size}}),
                       "16, 32, 64, 128 or 256"));
    }
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"style", "rd_pro__default"}}),
                   "rd_lowpoly__detailed, rd_lowpoly__blocky"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"mode", "slow"}}),
                   "auto, quality or fast"));
    const std::string image = testing::rgb_png_base64(4, 4);
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"},
                                            {"reference_images", {image, image, image}},
                                            {"reference_models", {kAsset, kAsset}}}),
                   "at most 4"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"reference_images", "abc"}}),
                   "'reference_images' must be a list"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"reference_images", {"!!"}}}),
                   "reference_images[0]"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"},
                                            {"reference_images", {testing::gif_base64(4, 4, 1)}}}),
                   "PNG, JPEG or WEBP"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"reference_models", {"../x"}}}),
                   "'reference_models[0]'"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"custom_id", std::string(129, 'k')}}),
                   "'custom_id'"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"version", 2}}),
                   "'version' is not a field of a Low-Poly generate"));
    CHECK(contains(start_refusal(Generate, {{"prompt", "x"}, {"asset_id", kAsset}}),
                   "'asset_id' is not a field"));
    CHECK(contains(start_refusal(Generate, {{"prompt", 3}}), "'prompt'"));
}

TEST_CASE("a reference image over 8 MB is refused before it is sent") {
    std::string big = base64_encode(std::string(9u << 20, '\0'));
    // A PNG header in front, so only the size is wrong.
    const std::string png = testing::rgb_png_base64(4, 4);
    CHECK(
        contains(start_refusal(LowPolyOperation::Generate,
                               {{"prompt", "x"}, {"reference_images", {png.substr(0, 40) + big}}}),
                 "8 MB"));
}

TEST_CASE("reference images may be local files over stdio only") {
    namespace fs = std::filesystem;
    const fs::path path = fs::temp_directory_path() / "rdmcp-lowpoly-reference.png";
    {
        auto bytes = base64_decode(testing::rgb_png_base64(6, 6));
        REQUIRE(bytes);
        std::ofstream(path, std::ios::binary) << *bytes;
    }
    auto local = started(LowPolyOperation::Generate,
                         {{"prompt", "x"}, {"reference_images", {path.string()}}}, kStdio);
    CHECK(local.reference_images.at(0).info.width == 6);
    CHECK(contains(start_refusal(LowPolyOperation::Generate,
                                 {{"prompt", "x"}, {"reference_images", {path.string()}}}),
                   "local"));
    fs::remove(path);
}

TEST_CASE("revise, animate, split and rerig work on a model, each with its own fields") {
    using enum LowPolyOperation;
    auto revise = started(Revise, {{"asset_id", kAsset},
                                   {"prompt", "make it blue"},
                                   {"version", 2},
                                   {"mode", "quality"},
                                   {"reference_images", {testing::rgb_png_base64(4, 4)}}});
    CHECK(lowpoly_start_path(revise) == std::string("/lowpoly/assets/") + kAsset + "/revise");
    CHECK(upstream_body(revise) ==
          Json{{"prompt", "make it blue"}, {"mode", "quality"}, {"version", 2}});
    CHECK(estimate_body(revise) ==
          Json{{"operation", "revise"}, {"prompt", "make it blue"}, {"asset_id", kAsset}});

    auto animate =
        started(Animate, {{"asset_id", kAsset}, {"prompt", "walk"}, {"animation", "walk"}});
    CHECK(lowpoly_start_path(animate) == std::string("/lowpoly/assets/") + kAsset + "/animate");
    CHECK(upstream_body(animate) == Json{{"prompt", "walk"}, {"animation", "walk"}});

    auto split = started(Split, {{"asset_id", kAsset}});
    CHECK(upstream_body(split) == Json::object());
    CHECK(lowpoly_start_path(split) == std::string("/lowpoly/assets/") + kAsset + "/split");
    auto rerig = started(Rerig, {{"asset_id", kAsset}, {"version", 1}, {"prompt", "a biped"}});
    CHECK(upstream_body(rerig) == Json{{"prompt", "a biped"}, {"version", 1}});
    CHECK(estimate_body(rerig)["operation"] == "rerig");

    CHECK(contains(start_refusal(Revise, {{"prompt", "x"}}), "'asset_id' is required"));
    CHECK(contains(start_refusal(Revise, {{"asset_id", kAsset}}), "'prompt' is required"));
    CHECK(contains(start_refusal(Animate, {{"asset_id", kAsset}}), "'prompt' is required"));
    CHECK(contains(start_refusal(Revise, {{"asset_id", "a/../b"}, {"prompt", "x"}}),
                   "list_lowpoly_models"));
    CHECK(contains(start_refusal(Revise, {{"asset_id", kAsset}, {"prompt", "x"}, {"version", 0}}),
                   "1 or more"));
    CHECK(
        contains(start_refusal(Animate, {{"asset_id", kAsset}, {"prompt", "x"}, {"animation", ""}}),
                 "1 to 64"));
    CHECK(contains(
        start_refusal(Animate,
                      {{"asset_id", kAsset}, {"prompt", "x"}, {"animation", std::string(65, 'a')}}),
        "1 to 64"));
    CHECK(contains(start_refusal(Animate, {{"asset_id", kAsset},
                                           {"prompt", "x"},
                                           {"reference_images", {testing::rgb_png_base64(4, 4)}}}),
                   "'reference_images' is not a field of a Low-Poly animate"));
    CHECK(contains(start_refusal(Split, {{"asset_id", kAsset}, {"mode", "fast"}}),
                   "'mode' is not a field"));
    CHECK(contains(start_refusal(Rerig, {{"asset_id", kAsset}, {"size", 32}}), "'size'"));
    CHECK(contains(start_refusal(Revise, {{"asset_id", kAsset}, {"prompt", "x"}, {"style", "a"}}),
                   "'style'"));
}

TEST_CASE("recolor: the tool and the fields it takes") {
    auto reduce = build_lowpoly_recolor({{"asset_id", kAsset},
                                         {"tool", "color_reducer"},
                                         {"color_count", 8},
                                         {"dither_mode", "bayer_4x4"},
                                         {"dither_strength", 3},
                                         {"version", 2}},
                                        kRemote);
    REQUIRE(std::holds_alternative<LowPolyRecolorRequest>(reduce));
    const auto& reducer = std::get<LowPolyRecolorRequest>(reduce);
    CHECK(!reducer.paid());
    CHECK(lowpoly_recolor_path(reducer) == std::string("/lowpoly/assets/") + kAsset + "/recolor");
    CHECK(upstream_body(reducer) == Json{{"tool", "color_reducer"},
                                         {"color_count", 8},
                                         {"dither_mode", "bayer_4x4"},
                                         {"dither_strength", 3.0},
                                         {"version", 2}});
    const std::string image = testing::rgb_png_base64(4, 4);
    auto transfer = build_lowpoly_recolor(
        {{"asset_id", kAsset}, {"tool", "color_style_transfer"}, {"reference_image", image}},
        kRemote);
    REQUIRE(std::holds_alternative<LowPolyRecolorRequest>(transfer));
    CHECK(std::get<LowPolyRecolorRequest>(transfer).paid());
    CHECK(upstream_body(std::get<LowPolyRecolorRequest>(transfer))["reference_image"] == image);

    CHECK(contains(recolor_refusal({{"tool", "color_reducer"}}), "'asset_id' is required"));
    CHECK(contains(recolor_refusal({{"asset_id", kAsset}}), "'tool'"));
    CHECK(contains(recolor_refusal({{"asset_id", kAsset}, {"tool", "blur"}}), "color_reducer"));
    CHECK(contains(
        recolor_refusal({{"asset_id", kAsset}, {"tool", "color_reducer"}, {"color_count", 1}}),
        "from 2 to 256"));
    CHECK(contains(
        recolor_refusal({{"asset_id", kAsset}, {"tool", "color_reducer"}, {"color_count", 257}}),
        "from 2 to 256"));
    CHECK(contains(
        recolor_refusal({{"asset_id", kAsset}, {"tool", "color_reducer"}, {"dither_strength", 11}}),
        "from 0 to 10"));
    CHECK(contains(recolor_refusal(
                       {{"asset_id", kAsset}, {"tool", "color_reducer"}, {"dither_mode", "floyd"}}),
                   "bayer_2x2"));
    CHECK(contains(recolor_refusal({{"asset_id", kAsset}, {"tool", "palette_converter"}}),
                   "'palette_image'"));
    CHECK(contains(recolor_refusal({{"asset_id", kAsset}, {"tool", "color_style_transfer"}}),
                   "'reference_image'"));
    CHECK(contains(recolor_refusal({{"asset_id", kAsset},
                                    {"tool", "palette_converter"},
                                    {"palette_image", image},
                                    {"color_count", 4}}),
                   "'color_count' belongs to tool color_reducer"));
    CHECK(
        contains(recolor_refusal(
                     {{"asset_id", kAsset}, {"tool", "color_reducer"}, {"reference_image", image}}),
                 "'reference_image' belongs"));
    CHECK(contains(recolor_refusal({{"asset_id", kAsset},
                                    {"tool", "color_style_transfer"},
                                    {"reference_image", image},
                                    {"dither_mode", "none"}}),
                   "'dither_mode'"));
    CHECK(contains(recolor_refusal({{"asset_id", kAsset},
                                    {"tool", "palette_converter"},
                                    {"palette_image", "not an image"}}),
                   "palette_image"));
}

TEST_CASE("export: one of the 14 targets, mp4 with an animation, output_dir over stdio") {
    for (const char* target : kLowPolyExportTargets) {
        Json arguments = {{"asset_id", kAsset}, {"target", target}};
        if (std::string(target) == "mp4") arguments["animation"] = "walk";
        CHECK(
            std::holds_alternative<LowPolyExportRequest>(build_lowpoly_export(arguments, kRemote)));
    }
    CHECK(std::size(kLowPolyExportTargets) == 14);
    auto built = build_lowpoly_export({{"asset_id", kAsset},
                                       {"target", "mp4"},
                                       {"animation", "walk"},
                                       {"version", 3},
                                       {"output_dir", "/tmp"}},
                                      kStdio);
    REQUIRE(std::holds_alternative<LowPolyExportRequest>(built));
    const auto& request = std::get<LowPolyExportRequest>(built);
    CHECK(lowpoly_export_path(request) == std::string("/lowpoly/assets/") + kAsset + "/export");
    CHECK(upstream_body(request) == Json{{"target", "mp4"}, {"version", 3}, {"animation", "walk"}});
    CHECK(request.output_dir == "/tmp");

    CHECK(contains(export_refusal({{"asset_id", kAsset}}), "'target'"));
    CHECK(contains(export_refusal({{"asset_id", kAsset}, {"target", "fbx"}}), "godot"));
    CHECK(contains(export_refusal({{"asset_id", kAsset}, {"target", "mp4"}}), "'animation'"));
    CHECK(contains(export_refusal({{"target", "obj"}}), "'asset_id' is required"));
    CHECK(
        contains(export_refusal({{"asset_id", kAsset}, {"target", "obj"}, {"output_dir", "/tmp"}}),
                 "stdio"));
    CHECK(contains(export_refusal({{"asset_id", kAsset}, {"target", "obj"}, {"version", -1}}),
                   "1 or more"));
}

TEST_CASE("an animation is named by model, version and name; its name is escaped in the path") {
    auto built = build_lowpoly_animation_ref(
        {{"asset_id", kAsset}, {"version", 2}, {"animation", "walk cycle/2"}});
    REQUIRE(std::holds_alternative<LowPolyAnimationRef>(built));
    CHECK(lowpoly_animation_path(std::get<LowPolyAnimationRef>(built)) ==
          std::string("/lowpoly/assets/") + kAsset + "/versions/2/animations/walk%20cycle%2F2");
    auto refused = [](const Json& arguments) {
        auto result = build_lowpoly_animation_ref(arguments);
        REQUIRE(std::holds_alternative<std::string>(result));
        return std::get<std::string>(result);
    };
    CHECK(
        contains(refused({{"asset_id", kAsset}, {"animation", "walk"}}), "'version' is required"));
    CHECK(contains(refused({{"asset_id", kAsset}, {"version", 1}}), "'animation' is required"));
    CHECK(contains(refused({{"version", 1}, {"animation", "walk"}}), "'asset_id'"));
}

TEST_CASE("the model list's query: limit 1 to 100 (20), cursor ids checked") {
    auto plain = build_lowpoly_list_query(Json::object());
    REQUIRE(std::holds_alternative<LowPolyListQuery>(plain));
    CHECK(std::get<LowPolyListQuery>(plain).path == "/lowpoly/assets?limit=20");
    auto paged = build_lowpoly_list_query({{"limit", 5}, {"before_id", kAsset}});
    REQUIRE(std::holds_alternative<LowPolyListQuery>(paged));
    CHECK(std::get<LowPolyListQuery>(paged).path ==
          std::string("/lowpoly/assets?limit=5&before_id=") + kAsset);
    CHECK(std::holds_alternative<std::string>(build_lowpoly_list_query({{"limit", 101}})));
    CHECK(std::holds_alternative<std::string>(build_lowpoly_list_query({{"before_id", "a&b"}})));
}

TEST_CASE("a Low-Poly job id is signed for its key and holds what get_lowpoly_job needs") {
    const LowPolyJob job{.task_id = "3f1c-task",
                         .asset_id = "5b0c-asset",
                         .operation = "animate",
                         .cost = 0.25,
                         .created_at_ms = 1700000000000,
                         .idempotency_key = "key-1"};
    const std::string id = sign_lowpoly_job(job, "rdpk-a", "");
    CHECK(id.rfind("rdlp1.", 0) == 0);
    auto back = verify_lowpoly_job(id, "rdpk-a", "");
    REQUIRE(back);
    CHECK(back->task_id == "3f1c-task");
    CHECK(back->asset_id == "5b0c-asset");
    CHECK(back->operation == "animate");
    CHECK(back->cost == 0.25);
    CHECK(back->idempotency_key == "key-1");
    CHECK(!verify_lowpoly_job(id, "rdpk-b", ""));
    CHECK(!verify_lowpoly_job(id, "rdpk-a", "secret"));
    CHECK(!verify_lowpoly_job(id.substr(0, id.size() - 1) + (id.back() == 'A' ? "B" : "A"),
                              "rdpk-a", ""));
    LowPolyJob unsafe = job;
    unsafe.task_id = "../x";
    CHECK(!verify_lowpoly_job(sign_lowpoly_job(unsafe, "rdpk-a", ""), "rdpk-a", ""));
}

TEST_CASE("the documented Low-Poly prices, for when the estimate cannot be had") {
    auto price = [](LowPolyOperation operation, const Json& arguments) {
        auto built = build_lowpoly_estimate(arguments, kRemote);
        REQUIRE(std::holds_alternative<LowPolyStartRequest>(built));
        auto request = std::get<LowPolyStartRequest>(built);
        CHECK(request.operation == operation);
        return documented_lowpoly_price(request);
    };
    CHECK(price(LowPolyOperation::Generate, {{"size", 32}}) == 0.50);
    CHECK(price(LowPolyOperation::Generate, Json::object()) == 3.00);  // auto: the upper bound
    CHECK(price(LowPolyOperation::Generate, {{"style", "rd_lowpoly__blocky_lite"}}) == 0.10);
    CHECK(price(LowPolyOperation::Revise, {{"operation", "revise"}, {"asset_id", kAsset}}) == 1.50);
    CHECK(price(LowPolyOperation::Rerig, {{"operation", "rerig"}, {"asset_id", kAsset}}) == 0.25);
    CHECK(std::holds_alternative<std::string>(
        build_lowpoly_estimate({{"operation", "paint"}}, kRemote)));
}

TEST_CASE("a size parsed from JSON text (an unsigned number) is read as such") {
    auto request = started(LowPolyOperation::Generate, Json::parse(R"({"prompt":"x","size":32})"));
    CHECK(request.size == 32);
    CHECK(contains(start_refusal(LowPolyOperation::Generate,
                                 Json::parse(R"({"prompt":"x","size":18446744073709551615})")),
                   "16, 32"));
}
