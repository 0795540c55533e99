#include "server/http/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace rdmcp::server {

namespace {

using Clock = std::chrono::steady_clock;

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        port = ntohs(v4.sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        port = ntohs(v6.sin6_port);
    }
    ip = text;
}

// getpeername or getsockname.
using AddressCall = int (*)(int, sockaddr*, socklen_t*);

SocketAddress look_up(int fd, AddressCall call) {
    SocketAddress address;
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (call(fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0) {
        address_of(storage, address.ip, address.port);
    }
    return address;
}

// A read the size of cpp-httplib's own buffer: it reads chunk-size lines a byte at a time.
constexpr std::size_t kReadAhead = 4096;

}  // namespace

bool wait_for(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd entry{fd, events, 0};
    const auto deadline = Clock::now() + timeout;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const int result =
            ::poll(&entry, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
        if (result > 0) return (entry.revents & (events | POLLHUP | POLLERR)) != 0;
        if (result == 0) return false;
        if (errno != EINTR) return false;
    }
}

ConnectionStream::ConnectionStream(int fd, std::string head,
                                   std::optional<std::uint64_t> body_bytes,
                                   const StreamTimeouts& timeouts, const SocketAddresses& addresses)
    : fd_(fd),
      addresses_(addresses),
      buffer_(std::move(head)),
      body_bytes_(body_bytes),
      timeouts_(timeouts),
      body_deadline_(Clock::now() + timeouts.body) {}

std::chrono::milliseconds ConnectionStream::read_wait() const {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(body_deadline_ - Clock::now());
    if (left.count() <= 0) deadline_passed_ = true;
    return std::clamp(left, std::chrono::milliseconds(0), timeouts_.read);
}

bool ConnectionStream::is_readable() const {
    if (offset_ < buffer_.size()) return true;
    const auto wait = read_wait();
    return !deadline_passed_ && wait_for(fd_, POLLIN, wait);
}

bool ConnectionStream::is_writable() const {
    if (!wait_for(fd_, POLLOUT, timeouts_.write)) return false;
    // As cpp-httplib's own stream does: a peer that closed its side is gone (an SSE stream
    // learns so here). Bytes waiting to be read (a pipelined request) mean it is alive.
    char byte;
    const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
}

ssize_t ConnectionStream::read(char* ptr, std::size_t size) {
    if (offset_ < buffer_.size()) {
        const std::size_t n = std::min(size, buffer_.size() - offset_);
        std::copy_n(buffer_.data() + offset_, n, ptr);
        offset_ += n;
        if (offset_ == buffer_.size()) {
            std::string().swap(buffer_);  // the head is parsed: give it back
            offset_ = 0;
        }
        return static_cast<ssize_t>(n);
    }
    if (body_bytes_) {
        // Never past this request's body: what follows is the next request's head.
        const std::uint64_t left = *body_bytes_ - body_read_;
        if (left == 0) return 0;
        size = static_cast<std::size_t>(std::min<std::uint64_t>(size, left));
    } else if (size < kReadAhead) {
        buffer_.resize(kReadAhead);
        const ssize_t n = receive(buffer_.data(), buffer_.size());
        buffer_.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        return n > 0 ? read(ptr, size) : n;
    }
    return receive(ptr, size);
}

// What is already there is read at once (a body usually comes with its head); only an empty
// socket is waited on, and never past the body's deadline.
ssize_t ConnectionStream::receive(char* ptr, std::size_t size) {
    while (true) {
        if (read_wait().count() <= 0) return -1;
        const ssize_t n = ::recv(fd_, ptr, size, MSG_DONTWAIT);
        if (n > 0) body_read_ += static_cast<std::uint64_t>(n);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return n;
        if (!is_readable()) return -1;
    }
}

// Never a blocking send: a client that stops reading would hold this thread for good. The send
// is tried first and only a full socket buffer is waited on, up to the write timeout. A client
// gone away fails the send (EPIPE, ECONNRESET); a stream that writes over time (SSE) asks
// is_writable() between its events, which also notices a client that only closed its side.
ssize_t ConnectionStream::write(const char* ptr, std::size_t size) {
    while (true) {
        const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return n;
        if (!wait_for(fd_, POLLOUT, timeouts_.write)) return -1;
    }
}

const SocketAddress& SocketAddresses::remote() const {
    if (!remote_) remote_ = look_up(fd_, ::getpeername);
    return *remote_;
}

const SocketAddress& SocketAddresses::local() const {
    if (!local_) local_ = look_up(fd_, ::getsockname);
    return *local_;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    ip = addresses_.remote().ip;
    port = addresses_.remote().port;
}

std::string peer_address(int fd) { return look_up(fd, ::getpeername).ip; }

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
    ip = addresses_.local().ip;
    port = addresses_.local().port;
}

}  // namespace rdmcp::server
