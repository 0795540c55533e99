#include "tools/tool_arguments.h"

#include <doctest/doctest.h>

using namespace rdmcp::tools;
using rdmcp::protocol::Json;

TEST_CASE("arguments of the expected types are read; absent ones leave the member as it is") {
    const Json arguments = {
        {"name", "x"}, {"on", false}, {"strength", 1}, {"seed", 42.0}, {"big", 9007199254740993ULL},
        {"count", 3}};
    ArgumentReader read(arguments);
    std::optional<std::string> name, missing_text;
    std::optional<bool> on;
    std::optional<double> strength;
    std::optional<long long> seed, big;
    std::optional<int> count;
    read.text("name", name);
    read.text("missing", missing_text);
    read.flag("on", on);
    read.number("strength", strength);
    read.whole("seed", seed);
    read.whole("big", big);
    read.whole("count", count);
    CHECK_FALSE(read.problem());
    CHECK(name == "x");
    CHECK_FALSE(missing_text);
    CHECK(on == false);
    CHECK(strength == 1.0);
    CHECK(seed == 42);  // a whole number written as a float
    CHECK(big == 9007199254740993LL);
    CHECK(count == 3);
}

TEST_CASE("a value of another type, or beyond what the member holds, is the first problem") {
    const Json arguments = {{"on", "yes"},
                            {"seed", 2.5},
                            {"count", 4294967296LL},
                            {"huge", 18446744073709551615ULL},
                            {"nothing", nullptr}};
    auto problem_of = [&](auto read_one) {
        ArgumentReader read(arguments);
        read_one(read);
        REQUIRE(read.problem());
        return *read.problem();
    };
    CHECK(problem_of([](ArgumentReader& r) {
              std::optional<bool> v;
              r.flag("on", v);
          }) == "'on' must be true or false, got \"yes\"");
    CHECK(problem_of([](ArgumentReader& r) {
              std::optional<long long> v;
              r.whole("seed", v);
          }) == "'seed' must be a whole number, got 2.5");
    CHECK(problem_of([](ArgumentReader& r) {
              std::optional<int> v;
              r.whole("count", v, "a count");
          }) == "'count' must be a count, got 4294967296");
    CHECK(problem_of([](ArgumentReader& r) {
              std::optional<long long> v;
              r.whole("huge", v);
          }) == "'huge' must be a whole number, got 18446744073709551615");
    CHECK(problem_of([](ArgumentReader& r) {
              std::optional<std::string> v;
              r.text("nothing", v);
          }) == "'nothing' must be a string, got null");
    CHECK(problem_of([](ArgumentReader& r) {
              std::string v;
              r.required_text("absent", v);
          }) == "'absent' is required");
    CHECK(problem_of([](ArgumentReader& r) {
              int v = 0;
              r.required_whole("absent", v);
          }) == "'absent' is required");
    // The first problem is the one reported.
    CHECK(problem_of([](ArgumentReader& r) {
              std::optional<bool> a;
              std::optional<long long> b;
              r.whole("seed", b);
              r.flag("on", a);
          }).find("'seed'") == 0);
}

TEST_CASE("arguments that are not an object read as all absent") {
    for (const Json& arguments : {Json(nullptr), Json::array({1}), Json("text")}) {
        ArgumentReader read(arguments);
        std::optional<std::string> name;
        read.text("name", name);
        CHECK_FALSE(read.problem());
        std::string required;
        read.required_text("name", required);
        CHECK(read.problem() == "'name' is required");
    }
}
