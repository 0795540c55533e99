#include "protocol/schema_validator.h"

#include <doctest/doctest.h>

using namespace rdmcp::protocol;

namespace {
const Json kSchema = Json::parse(R"({
  "type": "object",
  "properties": {
    "prompt": {"type": "string", "minLength": 1},
    "width": {"type": "integer", "minimum": 16, "maximum": 512},
    "strength": {"type": "number", "minimum": 0, "maximum": 1},
    "kind": {"type": "string", "enum": ["image", "animation"]},
    "refs": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
    "seed": {"type": ["integer", "null"]}
  },
  "required": ["prompt"],
  "additionalProperties": false
})");

std::string check(const char* arguments) {
    return describe_violations(validate_against_schema(Json::parse(arguments), kSchema));
}
}  // namespace

TEST_CASE("valid arguments pass") {
    CHECK(check(R"({"prompt":"a corgi","width":64,"strength":0.5,"kind":"image",
                    "refs":["a"],"seed":null})") == "");
    CHECK(check(R"({"prompt":"x","width":64.0})") == "");  // 64.0 is a whole number
}

TEST_CASE("each violation names the argument and what is allowed") {
    CHECK(check(R"({})") == "argument 'prompt' is required");
    CHECK(check(R"({"prompt":""})") == "argument 'prompt' must not be empty");
    CHECK(check(R"({"prompt":"x","width":1000})") ==
          "argument 'width' must be between 16 and 512, got 1000");
    CHECK(check(R"({"prompt":"x","width":"big"})") ==
          "argument 'width' must be an integer, got a string (\"big\")");
    CHECK(check(R"({"prompt":"x","width":20.5})") ==
          "argument 'width' must be an integer, got a number (20.5)");
    CHECK(check(R"({"prompt":"x","kind":"gif"})") ==
          "argument 'kind' must be one of \"image\", \"animation\", got \"gif\"");
    CHECK(check(R"({"prompt":"x","refs":["a",2,"c"]})") ==
          "argument 'refs' must have at most 2 items, got 3; "
          "argument 'refs[1]' must be a string, got an integer (2)");
    CHECK(check(R"({"prompt":"x","seed":"1"})") ==
          "argument 'seed' must be an integer or null, got a string (\"1\")");
    CHECK(check(R"({"prompt":"x","colour":"red"})")
              .find("argument 'colour' is not a known argument") == 0);
}

TEST_CASE("open schemas let unknown arguments through") {
    Json open = {{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}};
    CHECK(validate_against_schema(Json{{"a", "x"}, {"future_field", 1}}, open).empty());
}

TEST_CASE("a client's argument names and values come back as a short prefix") {
    const std::string huge(5u << 20, 'q');
    const auto unknown =
        describe_violations(validate_against_schema(Json{{"prompt", "x"}, {huge, 1}}, kSchema));
    CHECK(unknown.size() < 300);
    CHECK(unknown.rfind("argument 'qqq", 0) == 0);
    CHECK(unknown.find("…[cut: 5242880 bytes]' is not a known argument") != std::string::npos);

    const auto value = describe_violations(
        validate_against_schema(Json{{"prompt", "x"}, {"width", huge}}, kSchema));
    CHECK(value.size() < 200);
    CHECK(value.find("must be an integer, got a string (\"qqq") != std::string::npos);

    // Thousands of unknown arguments: the first ten are described, the rest counted.
    Json many = {{"prompt", "x"}};
    for (int i = 0; i < 5000; ++i) many["extra" + std::to_string(i)] = i;
    const auto described = describe_violations(validate_against_schema(many, kSchema));
    CHECK(described.size() < 4000);
    CHECK(described.find("; and 4990 more problems") != std::string::npos);
}
