// rdbench slow-upstream: a stand-in for the RetroDiffusion API that holds any number of slow
// requests at once, for the 1,000-in-flight benchmark. rd-sim serves at most 64 connections at
// a time (a fixed cpp-httplib thread pool), so 1,000 slow calls would queue inside it rather
// than in the server under test. This one answers GET /v1/inferences/credits as rd-sim does
// ({"credits":0,"balance":100.0}, any X-RD-Token) after --latency-ms, from one epoll thread.
// Anything else gets 404. Prints `listening on http://127.0.0.1:PORT` on stdout.
//
//   rdbench slow-upstream [--port 0] [--latency-ms 5000]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <queue>
#include <stdexcept>
#include <unordered_map>

#include "options.h"
#include "wire.h"

namespace rdbench {

namespace {

struct Client {
    std::string in;
    std::string out;
    std::size_t out_offset = 0;
    bool waiting = false;           // a request is being held until its answer is due
    unsigned long long serial = 0;  // tells a reused file descriptor from its predecessor
};

struct Due {
    Clock::time_point at;
    int fd;
    unsigned long long serial;
    std::string response;
    bool operator>(const Due& other) const { return at > other.at; }
};

std::string response(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: keep-alive\r\n\r\n" + body;
}

}  // namespace

int run_slow_upstream(const Options& options) {
    const int port = static_cast<int>(options.number("port", 0));
    const auto latency =
        std::chrono::milliseconds(static_cast<int>(options.number("latency-ms", 5000)));

    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 4096) != 0) {
        throw std::runtime_error("cannot listen on port " + std::to_string(port));
    }
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    std::printf("listening on http://127.0.0.1:%d\n", ntohs(address.sin_port));
    std::fflush(stdout);

    const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = listener;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &event);

    std::unordered_map<int, Client> clients;
    unsigned long long serial = 0;
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due;
    const std::string ok = response(200, R"({"credits":0,"balance":100.0})");
    const std::string missing = response(404, R"({"detail":"Not Found"})");

    auto drop = [&](int fd) {
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        clients.erase(fd);
    };
    auto flush = [&](int fd) {
        auto it = clients.find(fd);
        if (it == clients.end()) return;
        Client& c = it->second;
        while (c.out_offset < c.out.size()) {
            const ssize_t n =
                ::send(fd, c.out.data() + c.out_offset, c.out.size() - c.out_offset, MSG_NOSIGNAL);
            if (n > 0) {
                c.out_offset += static_cast<std::size_t>(n);
            } else if (n < 0 && errno == EAGAIN) {
                return;  // the answers are tiny: the socket buffer never fills in practice
            } else {
                drop(fd);
                return;
            }
        }
        c.out.clear();
        c.out_offset = 0;
    };
    // Holds the next complete request of a client until its answer is due.
    auto take_request = [&](int fd) {
        Client& c = clients[fd];
        if (c.waiting) return;
        const auto end = c.in.find("\r\n\r\n");
        if (end == std::string::npos) return;
        std::size_t body_length = 0;
        const auto header = c.in.find("Content-Length:");
        if (header != std::string::npos && header < end)
            body_length = std::stoul(c.in.substr(header + 15));
        if (c.in.size() < end + 4 + body_length) return;
        const bool credits = c.in.rfind("GET /v1/inferences/credits ", 0) == 0;
        c.in.erase(0, end + 4 + body_length);
        c.waiting = true;
        due.push({Clock::now() + (credits ? latency : Clock::duration::zero()), fd, c.serial,
                  credits ? ok : missing});
    };

    epoll_event events[512];
    for (;;) {
        int timeout_ms = -1;
        if (!due.empty()) {
            const auto wait =
                std::chrono::duration_cast<std::chrono::milliseconds>(due.top().at - Clock::now())
                    .count();
            timeout_ms = static_cast<int>(std::max<long long>(0, wait + 1));
        }
        const int ready = ::epoll_wait(epoll_fd, events, 512, timeout_ms);
        for (int i = 0; i < ready; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listener) {
                for (;;) {
                    const int client =
                        ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (client < 0) break;
                    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    epoll_event client_event{};
                    client_event.events = EPOLLIN;
                    client_event.data.fd = client;
                    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, client, &client_event);
                    clients[client].serial = ++serial;
                }
                continue;
            }
            char buffer[1 << 16];
            bool closed = false;
            for (;;) {
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n > 0) {
                    clients[fd].in.append(buffer, static_cast<std::size_t>(n));
                    continue;
                }
                if (n < 0 && errno == EINTR) continue;
                closed = !(n < 0 && errno == EAGAIN);
                break;
            }
            if (closed) {
                drop(fd);
                continue;
            }
            take_request(fd);
        }
        const auto now = Clock::now();
        while (!due.empty() && due.top().at <= now) {
            Due next = due.top();
            due.pop();
            auto it = clients.find(next.fd);
            if (it == clients.end() || it->second.serial != next.serial)
                continue;  // went away meanwhile
            it->second.out += next.response;
            it->second.waiting = false;
            flush(next.fd);
            if (clients.count(next.fd)) take_request(next.fd);
        }
    }
}

}  // namespace rdbench
