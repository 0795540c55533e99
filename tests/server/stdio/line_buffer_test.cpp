#include "server/stdio/line_buffer.h"

#include <doctest/doctest.h>

#include <string>

using rdmcp::server::LineBuffer;

TEST_CASE("a message arriving in reads comes out whole, small or large") {
    for (std::size_t total : {std::size_t{0}, std::size_t{10}, std::size_t{3} << 20}) {
        CAPTURE(total);
        std::string sent;
        for (std::size_t i = 0; i < total; ++i) sent.push_back(static_cast<char>('a' + i % 26));
        LineBuffer buffer;
        for (std::size_t at = 0; at < sent.size(); at += 65536) {
            buffer.append(std::string_view(sent).substr(at, 65536));
        }
        CHECK(buffer.size() == sent.size());
        CHECK(buffer.line() == sent);
        CHECK(buffer.line() == sent);  // asking twice changes nothing
    }
}

TEST_CASE("after a large message the buffer starts afresh") {
    LineBuffer buffer;
    const std::string read(65536, 'x');
    const std::size_t reads = 200;  // 12.5 MiB
    for (std::size_t i = 0; i < reads; ++i) buffer.append(read);
    const auto line = buffer.line();
    CHECK(line.size() == reads * read.size());
    buffer.clear();
    CHECK(buffer.empty());
    buffer.append("next");
    CHECK(buffer.line() == "next");
}
