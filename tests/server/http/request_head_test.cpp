// scan_head: a request head judged from the bytes received so far, before any of it is stored.
#include "server/http/request_head.h"

#include <doctest/doctest.h>

#include <string>

using rdmcp::server::HeadBudget;
using rdmcp::server::HeadScan;
using rdmcp::server::scan_head;
using Status = HeadScan::Status;

TEST_CASE("A complete head: its size and how its body is framed") {
    const std::string head =
        "POST /mcp HTTP/1.1\r\nHost: localhost\r\ncontent-length:  42 \r\n\r\n";
    const auto scan = scan_head(head + "{\"jsonrpc\"", {});
    CHECK(scan.status == Status::Complete);
    CHECK(scan.size == head.size());
    CHECK(scan.framing.content_length == 42);
    CHECK_FALSE(scan.framing.chunked);
    CHECK(scan.framing.expects_body());

    const auto bare = scan_head("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", {});
    CHECK(bare.status == Status::Complete);
    CHECK_FALSE(bare.framing.expects_body());

    const auto chunked = scan_head("POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", {});
    CHECK(chunked.framing.chunked);
}

TEST_CASE("Framing the connection cannot account for is marked ambiguous") {
    CHECK(scan_head("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", {})
              .framing.ambiguous);
    CHECK(scan_head("POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n", {}).framing.ambiguous);
    CHECK(scan_head("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", {}).framing.ambiguous);
    CHECK_FALSE(scan_head("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", {}).framing.ambiguous);
}

TEST_CASE("An incomplete head within budget waits for more") {
    CHECK(scan_head("", {}).status == Status::Incomplete);
    CHECK(scan_head("GET / HTTP/1.1\r\nHost: a\r\n", {}).status == Status::Incomplete);
    CHECK(scan_head("GET / HTTP/1.1\r\nHost: a\r\n\r", {}).status == Status::Incomplete);
}

TEST_CASE("Over the byte budget as soon as it shows, complete or not") {
    const HeadBudget budget{64, 100};
    const std::string line = "GET / HTTP/1.1\r\nX: " + std::string(60, 'a');
    CHECK(scan_head(line, budget).status == Status::TooManyBytes);
    CHECK(scan_head(line + "\r\n\r\n", budget).status == Status::TooManyBytes);
    const std::string fits = "GET / HTTP/1.1\r\nX: " + std::string(41, 'a') + "\r\n\r\n";
    REQUIRE(fits.size() == 64);
    CHECK(scan_head(fits, budget).status == Status::Complete);
}

TEST_CASE("Over the line budget as soon as it shows; the request line is not counted") {
    const HeadBudget budget{1 << 16, 3};
    std::string head = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 3; ++i) head += "X: 1\r\n";
    CHECK(scan_head(head + "\r\n", budget).status == Status::Complete);
    CHECK(scan_head(head, budget).status == Status::Incomplete);
    CHECK(scan_head(head + "Y: 2\r\n", budget).status == Status::TooManyLines);
    CHECK(scan_head(head + "Y: 2\r\n\r\n", budget).status == Status::TooManyLines);
}
