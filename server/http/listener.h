#pragma once
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "server/http/connection.h"
#include "server/http/options.h"

namespace rdmcp::server {

// cpp-httplib's server, with two things of ours: the listen backlog, raised after binding (its
// socket is ours to tune once bound; the compiled-in backlog of 5 cannot be configured
// otherwise), and the loop that serves an accepted connection (connection.h), which admits
// each request head under a byte, line and time budget before cpp-httplib reads and stores it.
// cpp-httplib 0.11 offers no limit on the head and reads it only in private code; its
// per-connection entry point is virtual and its request processing (process_request) is ours
// to call, so the loop around it is the one place where a head can be judged before it is
// stored, without forking or patching the library.
class HttpListener : public httplib::Server {
  public:
    HttpListener(ConnectionLimits limits, const std::atomic<bool>& stopping,
                 HeadRefusalReporter report)
        : limits_(limits), stopping_(stopping), report_(std::move(report)) {}

    void raise_backlog(int backlog) { ::listen(svr_sock_, backlog); }
    // Wakes the accept loop and ends it (accept fails on a shut-down listening socket), unlike
    // stop(), which also marks the server as stopping: cpp-httplib then skips the content
    // provider of a response whose headers are already out, and that answer would be lost.
    // Connections already open are served until they close; once the last one has, the
    // listener returns.
    void stop_accepting() { ::shutdown(svr_sock_, SHUT_RDWR); }

  private:
    bool process_and_close_socket(socket_t sock) override {
        serve_connection(
            sock, limits_, stopping_,
            [this](httplib::Stream& stream, bool close_connection, bool& connection_closed) {
                return process_request(stream, close_connection, connection_closed, nullptr);
            },
            report_);
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        return true;
    }

    const ConnectionLimits limits_;
    const std::atomic<bool>& stopping_;
    const HeadRefusalReporter report_;
};

// The limits of connection.h, as the command line set them.
ConnectionLimits connection_limits(const HttpOptions& options);

}  // namespace rdmcp::server
