#include "server/http/head_admission.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <vector>

namespace rdmcp::server {

namespace {

using Clock = std::chrono::steady_clock;
using Outcome = AdmittedHead::Outcome;

// How often an idle connection looks at `stopping`: a draining server closes idle keep-alive
// connections within this instead of at their idle timeout.
constexpr std::chrono::milliseconds kIdleSlice{250};

// Most heads fit here (real clients send under 2 KiB): the larger buffer is made only for the
// rare head that does not.
constexpr std::size_t kFirstPeek = 8u << 10;

int milliseconds_until(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<long long>(left.count(), 0));
}

// POLLIN when bytes (beyond the low-water mark) arrived; 0 on timeout; POLLRDHUP/POLLHUP/POLLERR
// when the client is gone or half-closed.
short wait_readable(int fd, int timeout_ms) {
    pollfd entry{fd, POLLIN | POLLRDHUP, 0};
    while (true) {
        const int result = ::poll(&entry, 1, timeout_ms);
        if (result > 0) return entry.revents;
        if (result == 0 || errno != EINTR) return result == 0 ? 0 : POLLERR;
    }
}

// The first byte of the next request, or why none will come.
std::optional<Outcome> wait_first_byte(int fd, const HeadLimits& limits,
                                       const std::atomic<bool>& stopping) {
    const auto deadline = Clock::now() + limits.idle_timeout;
    while (true) {
        if (stopping.load(std::memory_order_acquire)) return Outcome::Idle;
        const int left = milliseconds_until(deadline);
        if (left == 0) return Outcome::Idle;
        const short events = wait_readable(fd, std::min<int>(left, kIdleSlice.count()));
        if (events & POLLIN)
            return std::nullopt;  // maybe only the end of the stream: the peek tells
        if (events) return Outcome::Idle;
    }
}

bool take(int fd, std::string& head, std::size_t size) {
    head.resize(size);
    std::size_t taken = 0;
    while (taken < size) {
        const ssize_t n = ::recv(fd, head.data() + taken, size - taken, MSG_DONTWAIT);
        if (n > 0) {
            taken += static_cast<std::size_t>(n);
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            return false;  // it was peeked: only a failing socket can take it away
        }
    }
    return true;
}

void set_low_water_mark(int fd, int bytes) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &bytes, sizeof bytes);
}

}  // namespace

AdmittedHead admit_head(int fd, const HeadLimits& limits, bool first,
                        const std::atomic<bool>& stopping) {
    AdmittedHead admitted;
    if (!first) {
        if (auto idle = wait_first_byte(fd, limits, stopping)) {
            admitted.outcome = *idle;
            return admitted;
        }
    }
    const auto deadline = Clock::now() + limits.head_timeout;
    std::array<char, kFirstPeek> first_buffer;
    std::vector<char> large_buffer;  // the budget's size, once a head outgrows the first
    char* buffer = first_buffer.data();
    std::size_t capacity = std::min(first_buffer.size(), limits.budget.max_bytes);
    int low_water_mark = 1;

    // A connection that never sent a byte is closed quietly; one that stopped mid-head gets 408.
    const auto too_slow = [&] { return admitted.bytes_seen ? Outcome::TooSlow : Outcome::Idle; };
    const auto finish = [&](Outcome outcome) {
        if (low_water_mark != 1) set_low_water_mark(fd, 1);
        admitted.outcome = outcome;
        return admitted;
    };
    while (true) {
        const ssize_t n = ::recv(fd, buffer, capacity, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0) return finish(admitted.bytes_seen ? Outcome::Closed : Outcome::Idle);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            return finish(Outcome::Closed);
        }
        const std::size_t seen = n > 0 ? static_cast<std::size_t>(n) : 0;
        admitted.bytes_seen = seen;
        const HeadScan scan = scan_head({buffer, seen}, limits.budget);
        switch (scan.status) {
            case HeadScan::Status::Complete:
                admitted.framing = scan.framing;
                return finish(take(fd, admitted.head, scan.size) ? Outcome::Ready
                                                                 : Outcome::Closed);
            case HeadScan::Status::TooManyBytes:
                return finish(Outcome::TooLarge);
            case HeadScan::Status::TooManyLines:
                return finish(Outcome::TooManyLines);
            case HeadScan::Status::Incomplete:
                break;
        }
        if (seen == capacity && capacity < limits.budget.max_bytes) {
            large_buffer.resize(limits.budget.max_bytes);
            buffer = large_buffer.data();
            capacity = large_buffer.size();
            continue;  // peek again, further
        }
        // Wake when more than what was seen has come, not again for the same bytes.
        if (static_cast<int>(seen) + 1 != low_water_mark) {
            low_water_mark = static_cast<int>(seen) + 1;
            set_low_water_mark(fd, low_water_mark);
        }
        const int left = milliseconds_until(deadline);
        if (left == 0) return finish(too_slow());
        const short events = wait_readable(fd, left);
        if (events == 0) return finish(too_slow());
        if (events & (POLLRDHUP | POLLHUP | POLLERR)) {
            // The client stopped sending: a half-close may still follow a whole head, so what
            // arrived decides; nothing new means the head will never be complete.
            const ssize_t now = ::recv(fd, buffer, capacity, MSG_PEEK | MSG_DONTWAIT);
            if (now <= static_cast<ssize_t>(seen)) {
                return finish(seen ? Outcome::Closed : Outcome::Idle);
            }
        }
    }
}

}  // namespace rdmcp::server
