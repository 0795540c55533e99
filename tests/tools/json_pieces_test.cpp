#include "tools/json_pieces.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

namespace {

// What a socket would receive from byte `offset` on, and where each piece came from.
struct Written {
    std::string text;
    std::vector<const char*> sources;
};

Written written_from(const JsonPieces& pieces, std::size_t offset = 0) {
    Written out;
    pieces.write_from(offset, [&](const char* data, std::size_t size) {
        out.text.append(data, size);
        out.sources.push_back(data);
        return true;
    });
    return out;
}

}  // namespace

TEST_CASE("the pieces make the object with the appended members, as one JSON text") {
    const Json body = {{"prompt", "a knight"}, {"width", 64}, {"check_cost", true}};
    const Json images = {{"input_image", "iVBORw0KGgo="},
                         {"reference_images", {"AAAA", "BBBB"}},
                         {"input_palette", nullptr}};
    const JsonPieces pieces(body, images);

    const std::string text = pieces.str();
    CHECK(text.size() == pieces.size());
    Json expected = body;
    expected.update(images);
    CHECK(Json::parse(text) == expected);
    CHECK(written_from(pieces).text == text);
}

TEST_CASE("image strings are sent from where they are, not copied") {
    const std::string image(1 << 20, 'A');  // 1 MiB of base64
    const Json body = {{"prompt", "x"}};
    const Json images = {{"input_image", image}, {"reference_images", {image, image}}};
    const JsonPieces pieces(body, images);

    const auto out = written_from(pieces);
    auto sent_in_place = [&](const Json& value) {
        const char* data = value.get_ref<const std::string&>().data();
        return std::find(out.sources.begin(), out.sources.end(), data) != out.sources.end();
    };
    CHECK(sent_in_place(images["input_image"]));
    CHECK(sent_in_place(images["reference_images"][0]));
    CHECK(sent_in_place(images["reference_images"][1]));
    CHECK(out.sources.size() < 10);  // small texts between them are joined
    CHECK(Json::parse(out.text)["reference_images"][1].get<std::string>().size() == image.size());
}

TEST_CASE("a write can resume at any offset, as cpp-httplib's content provider asks") {
    const Json images = {{"b", "xyz"}, {"c", {"p", "q"}}};
    const JsonPieces pieces({{"a", 1}}, images);
    const std::string whole = pieces.str();
    for (std::size_t offset = 0; offset <= whole.size(); ++offset) {
        CAPTURE(offset);
        CHECK(written_from(pieces, offset).text == whole.substr(offset));
    }
}

TEST_CASE("strings that need escaping, empty objects and no appended members still make JSON") {
    const Json note = {{"note", "say \"hi\"\n\\ \xC3\xA9"}};
    const JsonPieces escaped({}, note);
    CHECK(Json::parse(escaped.str()) == note);

    const Json none, empty = Json::object();
    const JsonPieces only_body({{"x", 1}}, none);
    CHECK(only_body.str() == R"({"x":1})");
    const JsonPieces nothing(Json::object(), empty);
    CHECK(nothing.str() == "{}");
}

TEST_CASE("a refused write stops the rest") {
    const Json images = {{"b", std::string(100, 'B')}};
    const JsonPieces pieces({{"a", 1}}, images);
    int calls = 0;
    CHECK_FALSE(
        pieces.write_from(0, [&](const char*, std::size_t) { return ++calls > 1 && false; }));
    CHECK(calls == 1);
}
