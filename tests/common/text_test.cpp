#include "common/text.h"

#include <doctest/doctest.h>

#include <string>

using namespace rdmcp;

TEST_CASE("utf8_prefix never splits a character") {
    CHECK(utf8_prefix("abc", 64) == "abc");
    CHECK(utf8_prefix("abcdef", 3) == "abc");
    // "€" is three bytes: a cut inside it keeps only whole characters.
    CHECK(utf8_prefix("a€b", 2) == "a");
    CHECK(utf8_prefix("a€b", 3) == "a");
    CHECK(utf8_prefix("a€b", 4) == "a€");
    CHECK(utf8_prefix("😀😀", 5) == "😀");  // four bytes each
    // Not UTF-8 (continuation bytes only): cut where asked.
    CHECK(utf8_prefix("\x80\x80\x80\x80\x80\x80", 4) == "\x80\x80\x80\x80");
}

TEST_CASE("cut keeps short text and marks what it left out") {
    CHECK(cut("tools/list", 64) == "tools/list");
    const std::string long_text(5u << 20, 'a');
    const std::string shown = cut(long_text, 64);
    CHECK(shown == std::string(64, 'a') + "…[cut: 5242880 bytes]");
}

TEST_CASE("quote_prefix: quoted, escaped, at most a prefix, and says how long it was") {
    CHECK(quote_prefix("echo") == "\"echo\"");
    CHECK(quote_prefix("say \"hi\"\\\n") == "\"say \\\"hi\\\"\\\\\\x0a\"");
    const std::string name = "create_" + std::string(5u << 20, 'x');
    const std::string quoted = quote_prefix(name);
    CHECK(quoted.size() < 100);
    CHECK(quoted.rfind("\"create_xxx", 0) == 0);
    CHECK(quoted.find("\"…[cut: " + std::to_string(name.size()) + " bytes]") != std::string::npos);
    std::string euros;
    for (int i = 0; i < 100; ++i) euros += "€";
    CHECK(quote_prefix(euros, 64) == "\"" + euros.substr(0, 63) + "\"…[cut: 300 bytes]");
}
