#include "driver.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace rdbench {

Driver::Driver(Url url) : url_(std::move(url)), read_buffer_(1 << 16) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw std::runtime_error("epoll_create1 failed");
}

Driver::~Driver() {
    for (std::size_t i = 0; i < connections_.size(); ++i) close(i);
    ::close(epoll_fd_);
}

std::size_t Driver::add_connection() {
    connections_.emplace_back();
    open(connections_.size() - 1);
    return connections_.size() - 1;
}

void Driver::open(std::size_t index) {
    auto& c = connections_[index];
    c.fd = connect_to(url_);
    if (c.fd < 0) {
        throw std::runtime_error("cannot connect to " + url_.host + ":" +
                                 std::to_string(url_.port) + ": " +
                                 std::string(std::strerror(errno)));
    }
    c.want_write = false;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = index;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c.fd, &event);
}

void Driver::close(std::size_t index) {
    auto& c = connections_[index];
    if (c.fd < 0) return;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.fd = -1;
}

void Driver::watch(std::size_t index, bool want_write) {
    auto& c = connections_[index];
    if (c.want_write == want_write) return;
    c.want_write = want_write;
    epoll_event event{};
    event.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
    event.data.u64 = index;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &event);
}

void Driver::send(std::size_t index, const std::string& request) {
    auto& c = connections_[index];
    if (c.fd < 0) {
        open(index);
        ++reconnects_;
    }
    c.request = &request;
    c.written = 0;
    c.busy = true;
    c.parser.reset();
    c.started = Clock::now();
    if (!write_some(index)) {
        // The server closed this idle connection (keep-alive timeout): reopen and send again.
        close(index);
        open(index);
        ++reconnects_;
        c.started = Clock::now();
        if (!write_some(index)) {
            close(index);
            failed_.push_back(index);  // reported by the next poll
        }
    }
}

bool Driver::write_some(std::size_t index) {
    auto& c = connections_[index];
    while (c.written < c.request->size()) {
        const ssize_t n = ::send(c.fd, c.request->data() + c.written, c.request->size() - c.written,
                                 MSG_NOSIGNAL);
        if (n > 0) {
            c.written += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            watch(index, true);
            return true;
        }
        return false;
    }
    watch(index, false);
    return true;
}

void Driver::poll(int timeout_ms, const std::function<void(const Completion&)>& on_complete) {
    for (std::vector<std::size_t> failed = std::exchange(failed_, {}); std::size_t index : failed) {
        auto& c = connections_[index];
        c.busy = false;
        on_complete({index, false, 0, seconds_between(c.started, Clock::now()), nullptr});
    }
    epoll_event events[256];
    const int ready = ::epoll_wait(epoll_fd_, events, 256, timeout_ms);
    for (int e = 0; e < ready; ++e) {
        const auto index = static_cast<std::size_t>(events[e].data.u64);
        auto& c = connections_[index];
        if (c.fd < 0) continue;
        auto fail = [&] {
            close(index);
            if (c.busy) {
                c.busy = false;
                on_complete({index, false, 0, seconds_between(c.started, Clock::now()), nullptr});
            }
        };
        if ((events[e].events & EPOLLOUT) && c.busy && !write_some(index)) {
            fail();
            continue;
        }
        if (!(events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
        for (;;) {
            const ssize_t n = ::recv(c.fd, read_buffer_.data(), read_buffer_.size(), 0);
            if (n > 0) {
                if (!c.busy) continue;  // unsolicited bytes: ignore
                if (!c.parser.feed(read_buffer_.data(), static_cast<std::size_t>(n))) {
                    fail();
                    break;
                }
                if (c.parser.complete()) {
                    const auto done = Clock::now();
                    c.busy = false;
                    // Closed first, so a request sent from on_complete goes on a new connection.
                    if (c.parser.connection_close()) close(index);
                    on_complete({index, true, c.parser.status(), seconds_between(c.started, done),
                                 &c.parser.body()});
                    break;
                }
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            // Closed by the server (or reset).
            if (c.busy) {
                fail();
            } else {
                close(index);  // an idle keep-alive connection timed out: reopened when needed
            }
            break;
        }
    }
}

}  // namespace rdbench
