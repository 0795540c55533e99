#pragma once
// One accepted HTTP connection, served request by request in place of cpp-httplib's own loop
// (HttpTransport's listener overrides its per-socket entry point and calls this). Before each
// request, on every request of a keep-alive connection and not only the first, the head is
// admitted: it must arrive complete within the head deadline and within the budget of bytes and
// lines, and it is only peeked at (MSG_PEEK) while it arrives, so nothing a client sends is
// stored until it passed. Over budget, the client gets 431 and the connection closes; too slow,
// 408. Only then does cpp-httplib parse the head (from memory) and route the request.
// After a request whose body was not read (refused before reading it), the connection closes
// with a short lingering read, so the client sees the answer and not a reset.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

#include "server/http/connection_stream.h"
#include "server/http/head_admission.h"

namespace rdmcp::server {

struct ConnectionLimits {
    HeadLimits head;
    StreamTimeouts stream;
    std::size_t max_requests = 10000;  // then the connection closes (Connection: close)
    // At most this much of an unread body is read and dropped while the connection closes
    // (twice --max-body-bytes): enough for a refused upload to see its answer, never stored.
    std::size_t max_discard = 32u << 20;
};

// cpp-httplib's request processing for one request (Server::process_request): reads it from the
// stream, routes it and writes the answer; false when the connection cannot go on.
using RequestProcessor =
    std::function<bool(httplib::Stream& stream, bool close_connection, bool& connection_closed)>;

// A head refused before cpp-httplib saw it: the status sent (431, 408), why, and from whom.
using HeadRefusalReporter =
    std::function<void(int status, std::string_view reason, std::string_view remote)>;

// Serves `fd` until the client closes it, it idles out, it breaks a limit, the request limit is
// reached or `stopping` is set (then the connection ends between requests). Does not close `fd`.
void serve_connection(int fd, const ConnectionLimits& limits, const std::atomic<bool>& stopping,
                      const RequestProcessor& process, const HeadRefusalReporter& report);

}  // namespace rdmcp::server
