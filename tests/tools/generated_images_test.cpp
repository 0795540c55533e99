#include "tools/generated_images.h"

#include <doctest/doctest.h>

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

// Found by tests/fuzz (fuzz_upstream_responses, corpus crash-images-body-not-object): tasks/get
// passes a job's `result` member through as it came, and anything but an object threw out of
// read_inference_images (the process ended).
TEST_CASE("an answer that is not an object reads as no images") {
    for (const Json& answer :
         {Json(5), Json("text"), Json::array({"iVBORw0KGgo="}), Json(nullptr), Json(true)}) {
        CAPTURE(answer.dump());
        const auto images = read_inference_images(answer, 1, true, true);
        CHECK(images.base64_images.empty());
        CHECK(images.output_urls.empty());
        CHECK(images.labels.empty());
        CHECK(images.model.empty());
        CHECK_FALSE(images.created_at);
    }
}

TEST_CASE("members of another type than documented are left out") {
    const Json answer = {{"model", 5},
                         {"base64_images", {1, "AAAA", nullptr}},
                         {"output_urls", "https://x"},
                         {"balance_cost", "0.1"},
                         {"remaining_balance", 2.5}};
    const auto images = read_inference_images(answer, 1, false, false);
    CHECK(images.model.empty());
    CHECK(images.base64_images == std::vector<std::string>{"AAAA"});
    CHECK(images.output_urls.empty());
    CHECK_FALSE(images.balance_cost);
    CHECK(images.remaining_balance == 2.5);
    CHECK(images.labels == std::vector<std::string>{"generated"});
}

TEST_CASE("the API's nulls and both time forms read as one shape") {
    // What a FastAPI answer looks like when optional fields are unset.
    const Json answer = {{"created_at", 1770893613},     {"balance_cost", 0.25},
                         {"base64_images", {"AAAA"}},    {"output_urls", nullptr},
                         {"output_images", nullptr},     {"model", "rd_fast"},
                         {"remaining_balance", nullptr}, {"downloadable_data", nullptr}};
    auto images = read_inference_images(answer, 1, false, false);
    CHECK(images.created_at == "2026-02-12T10:53:33.000Z");
    CHECK(images.output_urls.empty());
    CHECK_FALSE(images.remaining_balance);
    CHECK_FALSE(images.downloadable_data);

    const Json iso = {{"created_at", "2026-07-08T15:04:05"},
                      {"downloadable_data", {"not", "an", "object"}}};
    images = read_inference_images(iso, 1, false, false);
    CHECK(images.created_at == "2026-07-08T15:04:05");
    CHECK_FALSE(images.downloadable_data);
}

TEST_CASE("from_json reads every image as generated; label_images names the extras") {
    const Json answer = {{"base64_images", {"AAAA", "BBBB", "CCCC", "DDDD"}},
                         {"model", "rd_pro"},
                         {"downloadable_data", {{"atlas", {1, 2}}}},
                         {"newer_field", true}};
    auto images = answer.get<GeneratedImages>();
    CHECK(images.labels == std::vector<std::string>(4, "generated"));
    CHECK(images.model == "rd_pro");
    CHECK(images.downloadable_data == Json{{"atlas", {1, 2}}});

    label_images(images, 1, true, true);
    CHECK(images.labels ==
          std::vector<std::string>{"generated", "pre_palette", "non_bg_removed", "extra"});
    label_images(images, 2, false, true);  // labelled again from scratch
    CHECK(images.labels ==
          std::vector<std::string>{"generated", "generated", "non_bg_removed", "extra"});

    // Hosted copies only (upload_outputs): labelled the same way.
    auto hosted = Json{{"output_urls", {"https://a", "https://b"}}}.get<GeneratedImages>();
    label_images(hosted, 1, true, false);
    CHECK(hosted.labels == std::vector<std::string>{"generated", "pre_palette"});
}
