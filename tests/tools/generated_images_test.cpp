#include "tools/generated_images.h"

#include <doctest/doctest.h>

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

// Found by tests/fuzz (fuzz_upstream_responses, corpus crash-images-body-not-object): tasks/get
// passes a job's `result` member through as it came, and anything but an object threw out of
// read_inference_images (the process ended).
TEST_CASE("an answer that is not an object reads as no images") {
    for (const Json& answer : {Json(5), Json("text"), Json::array({"iVBORw0KGgo="}), Json(nullptr), Json(true)}) {
        CAPTURE(answer.dump());
        const auto images = read_inference_images(answer, 1, true, true);
        CHECK(images.base64_images.empty());
        CHECK(images.output_urls.empty());
        CHECK(images.labels.empty());
        CHECK(images.model.empty());
        CHECK(images.created_at.is_null());
    }
}

TEST_CASE("members of another type than documented are left out") {
    const Json answer = {{"model", 5}, {"base64_images", {1, "AAAA", nullptr}}, {"output_urls", "https://x"},
                         {"balance_cost", "0.1"}, {"remaining_balance", 2.5}};
    const auto images = read_inference_images(answer, 1, false, false);
    CHECK(images.model.empty());
    CHECK(images.base64_images == std::vector<std::string>{"AAAA"});
    CHECK(images.output_urls.empty());
    CHECK_FALSE(images.balance_cost);
    CHECK(images.remaining_balance == 2.5);
    CHECK(images.labels == std::vector<std::string>{"generated"});
}
