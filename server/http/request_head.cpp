#include "server/http/request_head.h"

#include <charconv>

#include "common/text.h"

namespace rdmcp::server {

namespace {

constexpr std::string_view kEndOfHead = "\r\n\r\n";

BodyFraming read_framing(std::string_view head) {
    BodyFraming framing;
    int lengths = 0;
    // The first line is the request line; every later one up to the blank line is a header.
    std::size_t start = head.find("\r\n");
    while (start != std::string_view::npos && start + 2 < head.size()) {
        start += 2;
        const std::size_t end = head.find("\r\n", start);
        const std::string_view line =
            head.substr(start, (end == std::string_view::npos ? head.size() : end) - start);
        start = end;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string name = lower(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (name == "transfer-encoding") framing.chunked = true;
        if (name != "content-length") continue;
        ++lengths;
        std::uint64_t length = 0;
        const auto [rest, error] =
            std::from_chars(value.data(), value.data() + value.size(), length);
        if (error != std::errc() || rest != value.data() + value.size() || value.empty()) {
            framing.ambiguous = true;
        } else {
            framing.content_length = length;
        }
    }
    if (lengths > 1) framing.ambiguous = true;
    return framing;
}

std::size_t count_lines(std::string_view bytes) {
    std::size_t lines = 0;
    for (char c : bytes) lines += c == '\n';
    return lines;
}

}  // namespace

HeadScan scan_head(std::string_view bytes, const HeadBudget& budget) {
    HeadScan scan;
    const std::size_t end = bytes.find(kEndOfHead);
    const std::string_view seen =
        end == std::string_view::npos ? bytes : bytes.substr(0, end + kEndOfHead.size());
    // The request line and the blank line end in a line break as well as every header line.
    const std::size_t lines = count_lines(seen);
    const std::size_t allowed_lines = budget.max_lines + (end == std::string_view::npos ? 1 : 2);
    if (lines > allowed_lines) {
        scan.status = HeadScan::Status::TooManyLines;
    } else if (seen.size() > budget.max_bytes ||
               (end == std::string_view::npos && seen.size() >= budget.max_bytes)) {
        scan.status = HeadScan::Status::TooManyBytes;
    } else if (end != std::string_view::npos) {
        scan.status = HeadScan::Status::Complete;
        scan.size = seen.size();
        scan.framing = read_framing(seen);
    }
    return scan;
}

}  // namespace rdmcp::server
