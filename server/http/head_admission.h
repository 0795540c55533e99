#pragma once
// Waiting for the next request head on a connection without storing it: the head is peeked at
// (MSG_PEEK) as it arrives, judged by scan_head, and taken off the socket only once complete and
// within budget. The kernel holds the bytes meanwhile, in the socket's receive buffer, which it
// bounds itself; a peek re-reads at most the budget (64 KiB) per arrival of more bytes, and
// SO_RCVLOWAT makes poll wake only when more than what was seen has come.
#include <atomic>
#include <chrono>
#include <string>

#include "server/http/request_head.h"

namespace rdmcp::server {

struct HeadLimits {
    HeadBudget budget;
    // The complete head must arrive this long after its first byte (after the accept for a
    // connection's first request): a client trickling its head (slowloris) is dropped.
    std::chrono::milliseconds head_timeout{10000};
    // An idle keep-alive connection is closed after this long without a new request.
    std::chrono::milliseconds idle_timeout{5000};
};

struct AdmittedHead {
    enum class Outcome {
        Ready,         // `head` holds the complete head, taken off the socket
        Idle,          // no request came (idle timeout, server stopping, the client closed, or a
                       // new connection sent nothing by the head deadline): closed quietly
        Closed,        // the client closed or failed in the middle of a head
        TooLarge,      // over the byte budget: 431
        TooManyLines,  // over the line budget: 431
        TooSlow,       // incomplete at the head deadline: 408
    };
    Outcome outcome = Outcome::Idle;
    std::string head;
    BodyFraming framing;
    std::size_t bytes_seen = 0;  // how much of the head had arrived (for the log)
};

// `first`: the connection's first request, whose head deadline runs from now; later ones wait
// for a first byte up to the idle timeout (ending early when `stopping` is set), then have the
// head deadline from that byte.
AdmittedHead admit_head(int fd, const HeadLimits& limits, bool first,
                        const std::atomic<bool>& stopping);

}  // namespace rdmcp::server
