#include "server/http/connection.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <string>

#include "protocol/json_rpc.h"

namespace rdmcp::server {

namespace {

using Outcome = AdmittedHead::Outcome;
using Clock = std::chrono::steady_clock;

// How long a closing connection keeps reading (and dropping) what the client still sends, so
// that it reads our answer instead of a reset (nginx's lingering close does the same).
constexpr std::chrono::milliseconds kLingerTotal{2000};
constexpr std::chrono::milliseconds kLingerIdle{500};
constexpr std::chrono::milliseconds kRefusalWriteTimeout{2000};

struct HeadRefusal {
    int status;
    const char* phrase;
    const char* reason;
    std::string message;
};

std::optional<HeadRefusal> refusal_for(const AdmittedHead& admitted, const HeadLimits& limits) {
    switch (admitted.outcome) {
        case Outcome::TooLarge:
            return HeadRefusal{431, "Request Header Fields Too Large", "head too large",
                               "the request head is over " +
                                   std::to_string(limits.budget.max_bytes) +
                                   " bytes (--max-header-bytes); send fewer or shorter headers"};
        case Outcome::TooManyLines:
            return HeadRefusal{431, "Request Header Fields Too Large", "too many header lines",
                               "the request has more than " +
                                   std::to_string(limits.budget.max_lines) +
                                   " header lines (--max-header-lines); send fewer headers"};
        case Outcome::TooSlow:
            return HeadRefusal{408, "Request Timeout", "head too slow",
                               "the request head did not arrive within " +
                                   std::to_string(limits.head_timeout.count() / 1000) +
                                   " s (--header-timeout)"};
        default:
            return std::nullopt;
    }
}

// The refusal goes out directly: cpp-httplib never saw this request.
void write_refusal(int fd, const HeadRefusal& refusal) {
    const std::string body =
        protocol::Json{{"jsonrpc", "2.0"},
                       {"id", nullptr},
                       {"error", {{"code", -32000}, {"message", refusal.message}}}}
            .dump();
    const std::string response =
        "HTTP/1.1 " + std::to_string(refusal.status) + " " + refusal.phrase +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    std::size_t sent = 0;
    while (sent < response.size() && wait_for(fd, POLLOUT, kRefusalWriteTimeout)) {
        const ssize_t n =
            ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN && errno != EINTR) return;
        if (n > 0) sent += static_cast<std::size_t>(n);
    }
}

// Ends our side and drops up to `bytes` of what the client still sends, for a moment, never
// storing it. Beyond that the close resets the connection: the sender is cut off.
void linger(int fd, std::uint64_t bytes) {
    ::shutdown(fd, SHUT_WR);
    const auto deadline = Clock::now() + kLingerTotal;
    char sink[16384];
    while (bytes > 0 && Clock::now() < deadline && wait_for(fd, POLLIN, kLingerIdle)) {
        const ssize_t n =
            ::recv(fd, sink, std::min<std::uint64_t>(sizeof sink, bytes), MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
        if (n > 0) bytes -= static_cast<std::uint64_t>(n);
    }
}

}  // namespace

void serve_connection(int fd, const ConnectionLimits& limits, const std::atomic<bool>& stopping,
                      const RequestProcessor& process, const HeadRefusalReporter& report) {
    const SocketAddresses addresses(fd);
    for (std::size_t served = 0; served < limits.max_requests; ++served) {
        AdmittedHead admitted = admit_head(fd, limits.head, served == 0, stopping);
        if (auto refusal = refusal_for(admitted, limits.head)) {
            write_refusal(fd, *refusal);
            report(refusal->status, refusal->reason, peer_address(fd));
            linger(fd, limits.head.budget.max_bytes);
            return;
        }
        if (admitted.outcome != Outcome::Ready) return;

        // Only the parser knows where a chunked (or ambiguously framed) body ends: the
        // connection closes after such a request rather than guess where the next one starts.
        const BodyFraming framing = admitted.framing;
        const bool framed = !framing.chunked && !framing.ambiguous;
        ConnectionStream stream(fd, std::move(admitted.head),
                                framed ? std::optional(framing.content_length) : std::nullopt,
                                limits.stream, addresses);
        const bool close = !framed || served + 1 == limits.max_requests ||
                           stopping.load(std::memory_order_acquire);
        bool closed_by_request = false;
        const bool carry_on = process(stream, close, closed_by_request);
        // A body left unread (the request was refused before it) must not be taken for the
        // next request: the connection ends here.
        const bool body_unread = !framed || stream.body_read() < framing.content_length;
        if (!carry_on || close || closed_by_request || body_unread) {
            if (framing.expects_body() && body_unread) {
                const std::uint64_t left =
                    framed ? framing.content_length - stream.body_read() : limits.max_discard;
                linger(fd, std::min<std::uint64_t>(left, limits.max_discard));
            }
            return;
        }
    }
}

}  // namespace rdmcp::server
