#include "tools/inference_request.h"

#include <doctest/doctest.h>

#include "protocol/schema_validator.h"

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

namespace {
Json generation(Json num_images) {
    return {{"prompt", "x"},
            {"prompt_style", "user__mine"},
            {"width", 64},
            {"height", 64},
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
        REQUIRE(rdmcp::protocol::validate_against_schema(arguments, inference_input_schema(false))
                    .empty());
        auto built = build_inference_request(arguments, {});
        REQUIRE(std::holds_alternative<std::string>(built));
        CHECK(std::get<std::string>(built).find("'num_images'") != std::string::npos);
    }
    auto whole_float = build_inference_request(generation(3.0), {});
    REQUIRE(std::holds_alternative<InferenceRequest>(whole_float));
    CHECK(std::get<InferenceRequest>(whole_float).num_images == 3);
    CHECK(upstream_body(std::get<InferenceRequest>(whole_float))["num_images"] == 3);
}

TEST_CASE("image arguments are resolved into `images`, apart from the body sent with them") {
    // A 1x1 PNG (signature and IHDR are all the header reader needs).
    const std::string png =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
        "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    Json arguments = {{"prompt", "x"},
                      {"prompt_style", "rd_pro__default"},
                      {"width", 128},
                      {"height", 128},
                      {"reference_images", {png, "data:image/png;base64," + png}},
                      {"input_palette", png}};
    auto built = build_inference_request(arguments, {});
    REQUIRE(std::holds_alternative<InferenceRequest>(built));
    const auto& request = std::get<InferenceRequest>(built);
    const Json body = upstream_body(request);
    CHECK_FALSE(body.contains("reference_images"));
    CHECK_FALSE(body.contains("input_palette"));
    CHECK(request.images["reference_images"] == Json{png, png});  // the data: prefix is gone
    CHECK(request.images["input_palette"] == png);
    CHECK(body["prompt_style"] == "rd_pro__default");
}

TEST_CASE("every documented field is read into its member and sent as given") {
    const Json arguments = {{"prompt", "a knight"},
                            {"prompt_style", "user__mine"},
                            {"width", 64},
                            {"height", 48},
                            {"num_images", 2},
                            {"seed", 1234},
                            {"strength", 0.8},
                            {"remove_bg", true},
                            {"return_non_bg_removed", true},
                            {"return_pre_palette", false},
                            {"tile_x", false},
                            {"tile_y", true},
                            {"bypass_prompt_expansion", true},
                            {"include_downloadable_data", false},
                            {"return_spritesheet", true},
                            {"upload_outputs", false},
                            {"upscale_output_factor", 1},
                            {"extra_prompt", "grass"},
                            {"frames_duration", 8}};
    auto built = build_inference_request(arguments, {});
    REQUIRE(std::holds_alternative<InferenceRequest>(built));
    const auto& request = std::get<InferenceRequest>(built);
    CHECK(request.prompt == "a knight");
    CHECK(request.prompt_style == "user__mine");
    CHECK_FALSE(request.style.has_value());  // a user style: the API decides
    CHECK(request.width == 64);
    CHECK(request.height == 48);
    CHECK(request.num_images == 2);
    CHECK(request.seed == 1234);
    CHECK(request.strength == 0.8);
    CHECK(request.remove_bg == true);
    CHECK(request.return_pre_palette == false);
    CHECK(request.tile_y == true);
    CHECK(request.upscale_output_factor == 1);
    CHECK(request.extra_prompt == "grass");
    CHECK(request.frames_duration == 8);
    CHECK(request.unknown_fields.empty());
    CHECK(returns_non_bg_removed(request));
    CHECK_FALSE(returns_pre_palette(request));

    // What reaches the API: exactly the arguments (none of them is ours or an image).
    CHECK(upstream_body(request) == arguments);
}

TEST_CASE("optional fields the caller left out are not sent; num_images always is") {
    auto built = build_inference_request(
        {{"prompt", "x"}, {"prompt_style", "user__mine"}, {"width", 64}, {"height", 64}}, {});
    REQUIRE(std::holds_alternative<InferenceRequest>(built));
    const auto& request = std::get<InferenceRequest>(built);
    CHECK_FALSE(request.seed);
    CHECK_FALSE(request.remove_bg);
    CHECK(upstream_body(request) == Json{{"prompt", "x"},
                                         {"prompt_style", "user__mine"},
                                         {"width", 64},
                                         {"height", 64},
                                         {"num_images", 1}});
}

TEST_CASE("unknown fields pass through as they came, nulls included; ours never do") {
    const Json arguments = {{"prompt", "x"},
                            {"prompt_style", "user__mine"},
                            {"width", 64},
                            {"height", 64},
                            {"future_upstream_field", {{"nested", true}}},
                            {"newer_flag", nullptr},
                            {"check_cost", false},
                            {"async", true}};
    auto built = build_inference_request(arguments, {});
    REQUIRE(std::holds_alternative<InferenceRequest>(built));
    const auto& request = std::get<InferenceRequest>(built);
    CHECK(request.unknown_fields ==
          Json{{"future_upstream_field", {{"nested", true}}}, {"newer_flag", nullptr}});
    CHECK(request.controls.async);
    CHECK_FALSE(request.controls.check_cost);
    const Json body = upstream_body(request);
    CHECK(body["future_upstream_field"] == Json{{"nested", true}});
    CHECK(body.contains("newer_flag"));
    CHECK(body["newer_flag"].is_null());
    CHECK_FALSE(body.contains("check_cost"));
    CHECK_FALSE(body.contains("async"));
}

TEST_CASE("an old style name goes out as the current one") {
    auto built = build_inference_request({{"prompt", "x"},
                                          {"prompt_style", "animation__four_angle_walking"},
                                          {"width", 48},
                                          {"height", 48}},
                                         {});
    REQUIRE(std::holds_alternative<InferenceRequest>(built));
    const auto& request = std::get<InferenceRequest>(built);
    REQUIRE(request.style.has_value());
    CHECK(request.prompt_style == "rd_animation__four_angle_walking");
    CHECK(upstream_body(request)["prompt_style"] == "rd_animation__four_angle_walking");
}

TEST_CASE("mistyped and missing fields are refused with a message, never thrown") {
    auto refusal = [](Json arguments) {
        auto built = build_inference_request(arguments, {});
        REQUIRE(std::holds_alternative<std::string>(built));
        return std::get<std::string>(built);
    };
    const Json valid = {
        {"prompt", "x"}, {"prompt_style", "user__mine"}, {"width", 64}, {"height", 64}};
    auto with = [&](const char* name, Json value) {
        Json arguments = valid;
        arguments[name] = std::move(value);
        return arguments;
    };
    CHECK(refusal(with("seed", nullptr)) == "'seed' must be a whole number, got null");
    CHECK(refusal(with("seed", 1e300)) == "'seed' must be a whole number, got 1e+300");
    CHECK(refusal(with("remove_bg", "yes")) == "'remove_bg' must be true or false, got \"yes\"");
    CHECK(refusal(with("strength", "0.5")) == "'strength' must be a number, got \"0.5\"");
    CHECK(refusal(with("extra_prompt", 5)) == "'extra_prompt' must be a string, got 5");
    CHECK(refusal(with("async", "true")) == "'async' must be true or false, got \"true\"");
    CHECK(refusal(with("upscale_output_factor", 1e12)).find("'upscale_output_factor'") == 0);
    Json no_width = valid;
    no_width.erase("width");
    CHECK(refusal(no_width) == "'width' is required");
    CHECK(refusal(Json::array()).find("is required") != std::string::npos);
}

TEST_CASE("output_dir: over stdio only, and never sent") {
    const Json arguments = {{"prompt", "x"},
                            {"prompt_style", "user__mine"},
                            {"width", 64},
                            {"height", 64},
                            {"output_dir", "/tmp/out"}};
    auto remote = build_inference_request(arguments, {.allow_local_files = false});
    REQUIRE(std::holds_alternative<std::string>(remote));
    CHECK(std::get<std::string>(remote).find("'output_dir' only works") == 0);

    auto local = build_inference_request(arguments, {.allow_local_files = true});
    REQUIRE(std::holds_alternative<InferenceRequest>(local));
    CHECK(std::get<InferenceRequest>(local).output_dir == "/tmp/out");
    CHECK_FALSE(upstream_body(std::get<InferenceRequest>(local)).contains("output_dir"));

    Json mistyped = arguments;
    mistyped["output_dir"] = 5;  // the job tools' schemas leave it out: any type gets through
    auto refused = build_inference_request(mistyped, {.allow_local_files = true});
    REQUIRE(std::holds_alternative<std::string>(refused));
    CHECK(std::get<std::string>(refused) == "'output_dir' must be a string, got 5");
}
