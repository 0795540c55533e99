#pragma once
// The head of an HTTP request (request line, header lines, blank line) as it waits in the
// socket, judged before anything of it is stored: is it complete, within the budget, and how is
// its body framed. cpp-httplib 0.11 caps each header line (8 KiB) but neither their number nor
// their total, and stores every line as it reads; the connection loop (connection.h) peeks at
// the head with this scanner and hands the request to cpp-httplib only once it is complete and
// within budget.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rdmcp::server {

// In the spirit of nginx's large_client_header_buffers (4 x 8k): a real client's head is under
// 2 KiB; 64 KiB and 100 header lines leave room for long cookies and tokens.
struct HeadBudget {
    std::size_t max_bytes = 64u << 10;  // request line, headers and the blank line
    std::size_t max_lines = 100;        // header lines, the request line not counted
};

// How the body after a complete head is framed, as far as the connection needs to know: whether
// the bytes that follow belong to this request, and how many.
struct BodyFraming {
    std::uint64_t content_length = 0;  // 0 when there is none
    bool chunked = false;              // Transfer-Encoding: its end is known only to the parser
    bool ambiguous = false;            // several or malformed Content-Length headers
    bool expects_body() const { return content_length > 0 || chunked || ambiguous; }
};

struct HeadScan {
    enum class Status { Complete, Incomplete, TooManyBytes, TooManyLines };
    Status status = Status::Incomplete;
    std::size_t size = 0;  // Complete: bytes up to and including the blank line
    BodyFraming framing;   // Complete only
};

// Judges the bytes received so far (`bytes` starts at the request line). Over budget as soon as
// it shows: a head too large is refused before its end arrives.
HeadScan scan_head(std::string_view bytes, const HeadBudget& budget);

}  // namespace rdmcp::server
