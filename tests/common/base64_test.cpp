#include "common/base64.h"

#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <string>

using namespace rdmcp;

namespace {

std::string random_bytes(std::size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    return bytes;
}

}  // namespace

TEST_CASE("the RFC 4648 test vectors encode and decode") {
    const std::pair<std::string, std::string> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& vector : vectors) {
        const std::string& plain = vector.first;
        const std::string& encoded = vector.second;
        CAPTURE(plain);
        CHECK(base64_encode(plain) == encoded);
        CHECK(base64_decode(encoded) == plain);
        CHECK(base64_decoded_size(encoded) == plain.size());
    }
}

TEST_CASE("padding may be left out, but not half done") {
    CHECK(base64_decode("Zg") == "f");
    CHECK(base64_decode("Zm8") == "fo");
    CHECK(base64_decode("Zm9vYg") == "foob");
    CHECK(base64_validate("Zm9vYmE") == 5u);

    CHECK_FALSE(base64_decode("Zg="));      // one '=' where two are needed
    CHECK_FALSE(base64_decode("Zm9v="));    // '=' after a complete quad
    CHECK_FALSE(base64_decode("Zm9v==="));  // too many
    CHECK_FALSE(base64_decode("=="));
    CHECK_FALSE(base64_decode("Zg==Zg=="));  // data after the end
}

TEST_CASE("a length that leaves a lone character is impossible") {
    CHECK_FALSE(base64_decode("Z"));
    CHECK_FALSE(base64_decode("Zm9vY"));
    CHECK_FALSE(base64_validate("Zm9vY"));
    CHECK(base64_decoded_size("Zm9vY") == 0);
}

TEST_CASE("line breaks and spaces from wrapping clients are skipped") {
    CHECK(base64_decode("Zm9v\nYmFy") == "foobar");
    CHECK(base64_decode("Zm9v\r\nYmE=\r\n") == "fooba");
    CHECK(base64_decode(" Zm 9v\tYg = = ") == "foob");
    CHECK(base64_decoded_size("Zm9v\nYmFy\n") == 6);
}

TEST_CASE("any other character is rejected") {
    CHECK_FALSE(base64_decode("Zm9v-A=="));  // URL-safe alphabet
    CHECK_FALSE(base64_decode("Zm9v_A=="));
    CHECK_FALSE(base64_decode("Zm9v%2B"));  // percent-encoded
    CHECK_FALSE(base64_decode("data:image/png;base64,Zm9v"));
    CHECK_FALSE(base64_decode(std::string("Zm\0v", 4)));
    CHECK_FALSE(base64_decode("Zm9v\xC3\xA9"));
    CHECK_FALSE(base64_validate("Zm9v!"));
}

TEST_CASE("any bytes survive a round trip, at every length around a quad boundary") {
    for (std::size_t size = 0; size < 300; ++size) {
        const auto bytes = random_bytes(size, static_cast<unsigned>(size));
        const auto encoded = base64_encode(bytes);
        CHECK(encoded.size() % 4 == 0);
        CHECK(base64_decoded_size(encoded) == size);
        REQUIRE(base64_decode(encoded) == bytes);
    }
}

TEST_CASE("looks_like_base64 tells base64 from paths and prose") {
    CHECK(looks_like_base64("iVBORw0KGgo="));
    CHECK(looks_like_base64("/9j/4AAQSkZJRg"));  // a JPEG's base64 starts with '/'
    CHECK_FALSE(looks_like_base64(""));
    CHECK_FALSE(looks_like_base64("  \n"));
    CHECK_FALSE(looks_like_base64("/home/me/cat.png"));
    CHECK_FALSE(looks_like_base64("hello world!"));
}

TEST_CASE("multi-megabyte images encode and decode quickly") {
    const auto bytes = random_bytes(8u << 20, 7);
    const auto start = std::chrono::steady_clock::now();
    const auto encoded = base64_encode(bytes);
    CHECK(base64_decoded_size(encoded) == bytes.size());
    const auto decoded = base64_decode(encoded);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(decoded);
    CHECK(*decoded == bytes);
    // Milliseconds when optimised; the bound only catches accidental quadratic behaviour,
    // with room for sanitizer builds.
    CHECK(elapsed < std::chrono::seconds(10));
}
