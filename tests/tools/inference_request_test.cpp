#include "tools/inference_request.h"

#include <doctest/doctest.h>

#include "protocol/schema_validator.h"

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

namespace {
Json generation(Json num_images) {
    return {{"prompt", "x"}, {"prompt_style", "user__mine"}, {"width", 64}, {"height", 64},
            {"num_images", std::move(num_images)}};
}
}  // namespace

// Found by tests/fuzz (fuzz_tool_arguments, corpus crash-num-images-beyond-int): the schema
// lets any whole number >= 1 through, and 1e300 was converted to int (undefined behaviour;
// UBSan: "1e+300 is outside the range of representable values of type 'int'"), 4294967296
// wrapped to 0.
TEST_CASE("a num_images no int can hold is refused, not converted") {
    for (const Json& count : {Json(1e300), Json(4294967296LL), Json(18446744073709551615ULL)}) {
        CAPTURE(count.dump());
        const auto arguments = generation(count);
        REQUIRE(rdmcp::protocol::validate_against_schema(arguments, inference_input_schema(false)).empty());
        auto built = build_inference_request(arguments, {});
        REQUIRE(std::holds_alternative<std::string>(built));
        CHECK(std::get<std::string>(built).find("'num_images'") != std::string::npos);
    }
    auto whole_float = build_inference_request(generation(3.0), {});
    REQUIRE(std::holds_alternative<InferenceRequest>(whole_float));
    CHECK(std::get<InferenceRequest>(whole_float).num_images == 3);
    CHECK(std::get<InferenceRequest>(whole_float).body["num_images"] == 3);
}

TEST_CASE("image arguments are resolved into `images`, apart from the body sent with them") {
    // A 1x1 PNG (signature and IHDR are all the header reader needs).
    const std::string png =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    Json arguments = {{"prompt", "x"}, {"prompt_style", "rd_pro__default"}, {"width", 128},
                      {"height", 128}, {"reference_images", {png, "data:image/png;base64," + png}},
                      {"input_palette", png}};
    auto built = build_inference_request(arguments, {});
    REQUIRE(std::holds_alternative<InferenceRequest>(built));
    const auto& request = std::get<InferenceRequest>(built);
    CHECK_FALSE(request.body.contains("reference_images"));
    CHECK_FALSE(request.body.contains("input_palette"));
    CHECK(request.images["reference_images"] == Json{png, png});  // the data: prefix is gone
    CHECK(request.images["input_palette"] == png);
    CHECK(request.body["prompt_style"] == "rd_pro__default");
}
