#pragma once
// The httplib::Stream cpp-httplib reads one request from and writes its answer to, in place of
// its own socket stream: the head comes from memory (the connection loop took it off the socket
// once it was complete and within budget), the body from the socket under a deadline for the
// whole body (not only per read), and no byte of the next request is read ahead.
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace rdmcp::server {

struct StreamTimeouts {
    std::chrono::milliseconds read{30000};   // a read that waits longer fails
    std::chrono::milliseconds write{30000};  // a write that waits longer fails
    std::chrono::milliseconds body{60000};   // the whole body, from the end of the head
};

// One end of a socket: "" and 0 when the socket has no address.
struct SocketAddress {
    std::string ip;
    int port = 0;
};

// The two ends of a connection, looked up (getpeername, getsockname) once for all of its
// requests: cpp-httplib asks for both with every request.
class SocketAddresses {
  public:
    explicit SocketAddresses(int fd) : fd_(fd) {}
    const SocketAddress& remote() const;
    const SocketAddress& local() const;

  private:
    const int fd_;
    mutable std::optional<SocketAddress> remote_;
    mutable std::optional<SocketAddress> local_;
};

class ConnectionStream final : public httplib::Stream {
  public:
    // `head`: the complete request head; `body_bytes`: how many bytes after it are this
    // request's (nothing when only the parser knows: chunked; then reads may run ahead, and the
    // connection is closed after this request). `addresses` outlives the stream.
    ConnectionStream(int fd, std::string head, std::optional<std::uint64_t> body_bytes,
                     const StreamTimeouts& timeouts, const SocketAddresses& addresses);

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, std::size_t size) override;
    ssize_t write(const char* ptr, std::size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return fd_; }

    // Bytes of the body read so far: the connection may carry on only when the whole body was.
    std::uint64_t body_read() const { return body_read_; }
    bool body_deadline_passed() const { return deadline_passed_; }

  private:
    std::chrono::milliseconds read_wait() const;
    ssize_t receive(char* ptr, std::size_t size);  // from the socket, waiting as allowed

    const int fd_;
    const SocketAddresses& addresses_;
    std::string buffer_;  // the head, then (chunked only) what was read ahead
    std::size_t offset_ = 0;
    const std::optional<std::uint64_t> body_bytes_;
    std::uint64_t body_read_ = 0;
    const StreamTimeouts timeouts_;
    const std::chrono::steady_clock::time_point body_deadline_;
    mutable bool deadline_passed_ = false;
};

// The client's address ("" when the socket has none).
std::string peer_address(int fd);

// Waits until `fd` is readable (POLLIN) or writable (POLLOUT); false on timeout or error.
bool wait_for(int fd, short events, std::chrono::milliseconds timeout);

}  // namespace rdmcp::server
