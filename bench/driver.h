#pragma once
// Many keep-alive HTTP/1.1 connections driven by one thread with epoll: the client side of
// every HTTP benchmark. One request at a time per connection (no pipelining), as real MCP
// clients do. A connection the server closed (Connection: close, keep-alive timeout) is
// reopened before its next request and counted; a request it was in the middle of fails.
#include <sys/epoll.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "wire.h"

namespace rdbench {

struct Completion {
    std::size_t connection;
    bool ok;           // a whole response arrived
    int status;        // its HTTP status
    double latency_s;  // from the first byte written to the last byte read
    const std::string* body;
};

class Driver {
  public:
    explicit Driver(Url url);
    ~Driver();
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;

    // Opens one more connection; its index. Throws when the server cannot be reached.
    std::size_t add_connection();
    std::size_t size() const { return connections_.size(); }

    // Starts `request` (kept alive by the caller until it completes) on an idle connection.
    void send(std::size_t connection, const std::string& request);
    bool busy(std::size_t connection) const { return connections_[connection].busy; }

    // Waits up to timeout_ms for progress; calls on_complete for every finished request.
    void poll(int timeout_ms, const std::function<void(const Completion&)>& on_complete);

    std::size_t reconnects() const { return reconnects_; }

  private:
    struct Connection {
        int fd = -1;
        const std::string* request = nullptr;
        std::size_t written = 0;
        bool busy = false;
        bool want_write = false;
        Clock::time_point started;
        ResponseParser parser;
    };
    void open(std::size_t index);
    void close(std::size_t index);
    bool write_some(std::size_t index);  // false: the connection broke
    void watch(std::size_t index, bool want_write);

    Url url_;
    int epoll_fd_ = -1;
    std::vector<Connection> connections_;
    std::vector<char> read_buffer_;
    std::size_t reconnects_ = 0;
    std::vector<std::size_t> failed_;  // requests that could not be sent at all
};

}  // namespace rdbench
