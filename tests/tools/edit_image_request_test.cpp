#include "tools/edit_image_request.h"

#include <doctest/doctest.h>

#include "common/base64.h"
#include "tests/support/image_input_policies.h"
#include "tests/support/test_images.h"
#include "tests/support/text_checks.h"

using namespace rdmcp;
using namespace rdmcp::tools;
using rdmcp::protocol::Json;
using rdmcp::testing::contains;
using rdmcp::testing::kRemote;
using rdmcp::testing::kStdio;
using rdmcp::testing::png_header_base64;

namespace {

std::string refusal(const Json& arguments, const ImageInputPolicy& policy = kRemote) {
    auto built = build_edit_image_request(arguments, policy);
    REQUIRE(std::holds_alternative<std::string>(built));
    return std::get<std::string>(built);
}

}  // namespace

TEST_CASE("an edit request: the arguments read, the image resolved") {
    const std::string image = png_header_base64(64, 32);
    auto built = build_edit_image_request({{"prompt", "add a red hat"},
                                           {"input_image", "data:image/png;base64," + image},
                                           {"seed", 7}},
                                          kRemote);
    REQUIRE(std::holds_alternative<EditImageRequest>(built));
    const auto& request = std::get<EditImageRequest>(built);
    CHECK(request.prompt == "add a red hat");
    CHECK(request.image.base64 == image);  // the data: prefix is gone
    CHECK(request.image.info.width == 64);
    CHECK(request.image.info.height == 32);
    CHECK(request.seed == 7);
    CHECK(request.output_dir.empty());

    // The image is sent apart, under each endpoint's own name: never in the body.
    CHECK(upstream_body(request) == Json{{"prompt", "add a red hat"}, {"seed", 7}});
}

TEST_CASE("an edit request without a seed sends none") {
    auto built = build_edit_image_request(
        {{"prompt", "x"}, {"input_image", png_header_base64(16, 16)}}, kRemote);
    REQUIRE(std::holds_alternative<EditImageRequest>(built));
    const auto body = upstream_body(std::get<EditImageRequest>(built));
    CHECK(body == Json{{"prompt", "x"}});
    CHECK_FALSE(body.contains("seed"));
}

TEST_CASE("an edit request is refused with a message, never thrown") {
    const std::string image = png_header_base64(64, 64);
    CHECK(contains(refusal({{"prompt", "x"}, {"input_image", png_header_base64(300, 64)}}),
                   "must be between 16x16 and 256x256 pixels, got 300x64"));
    CHECK(
        contains(refusal({{"prompt", "x"}, {"input_image", png_header_base64(8, 8)}}), "got 8x8"));
    CHECK(contains(refusal({{"prompt", "x"}, {"input_image", "not an image"}}), "input_image"));
    CHECK(refusal({{"input_image", image}}) == "'prompt' is required");
    CHECK(refusal({{"prompt", "x"}}) == "'input_image' is required");
    CHECK(refusal({{"prompt", nullptr}, {"input_image", image}}) ==
          "'prompt' must be a string, got null");
    CHECK(refusal({{"prompt", "x"}, {"input_image", image}, {"seed", 1e300}}) ==
          "'seed' must be a whole number, got 1e+300");
    CHECK(refusal({{"prompt", "x"}, {"input_image", image}, {"seed", "7"}}) ==
          "'seed' must be a whole number, got \"7\"");
    CHECK(refusal(Json::array()) == "'input_image' is required");
}

TEST_CASE("output_dir: over stdio only") {
    const Json arguments = {
        {"prompt", "x"}, {"input_image", png_header_base64(16, 16)}, {"output_dir", "/tmp/out"}};
    CHECK(contains(refusal(arguments, kRemote), "'output_dir' only works"));
    auto built = build_edit_image_request(arguments, kStdio);
    REQUIRE(std::holds_alternative<EditImageRequest>(built));
    CHECK(std::get<EditImageRequest>(built).output_dir == "/tmp/out");
    CHECK_FALSE(upstream_body(std::get<EditImageRequest>(built)).contains("output_dir"));
}

TEST_CASE("the edit answers of both endpoints read as one image") {
    auto v1 = read_edit_answer({{"outputImageBase64", "AAAA"}, {"remaining_credits", 41}});
    CHECK(v1.base64_images == std::vector<std::string>{"AAAA"});
    CHECK(v1.labels == std::vector<std::string>{"generated"});
    CHECK(v1.remaining_balance == 41);

    auto no_credits =
        read_edit_answer({{"outputImageBase64", "AAAA"}, {"remaining_credits", nullptr}});
    CHECK_FALSE(no_credits.remaining_balance);

    // The newer endpoint answers as /v1/inferences does.
    auto tool = read_edit_answer(
        {{"base64_images", {"BBBB"}}, {"balance_cost", 0.06}, {"model", "rd_edit"}});
    CHECK(tool.base64_images == std::vector<std::string>{"BBBB"});
    CHECK(tool.labels == std::vector<std::string>{"generated"});
    CHECK(tool.balance_cost == 0.06);
    CHECK(tool.model == "rd_edit");

    for (const Json& answer : {Json{{"outputImageBase64", nullptr}}, Json{{"outputImageBase64", 5}},
                               Json(5), Json(nullptr), Json::array()}) {
        CAPTURE(answer.dump());
        const auto none = read_edit_answer(answer);
        CHECK(none.base64_images.empty());
        CHECK(none.labels.empty());
    }
}
