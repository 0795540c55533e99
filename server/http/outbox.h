#pragma once
// Where the Dispatcher hands an HTTP request's answer (protocol/dispatcher.h):
//  - InlineOutbox: requests answered at once, on the connection's thread, as one JSON body (or
//    one SSE event for a client that accepts only SSE), with the status 2026-07-28 gives errors;
//  - StreamOutbox: requests run on a worker, whose notifications, requests to the client
//    (elicitation/create) and answer go through a ResponseChannel that the connection's thread
//    streams (SSE, or one JSON body at the end: then nothing can be sent before the answer);
//  - CapturingOutbox: the answer kept for the caller (initialize, which then opens a session).
// Each logs its request once, when it ends.
#include <httplib.h>

#include <memory>
#include <optional>

#include "protocol/dispatcher.h"
#include "server/http/admission.h"
#include "server/http/headers.h"
#include "server/http/replies.h"
#include "server/http/request_log.h"
#include "server/http/sse.h"

namespace rdmcp::server {

class InlineOutbox final : public protocol::Outbox {
  public:
    InlineOutbox(httplib::Response& response, Era era, Accepts accepts, ExchangeRecord record,
                 RequestLog& log)
        : response_(response),
          era_(era),
          accepts_(accepts),
          record_(std::move(record)),
          log_(log) {}

    void notify(std::string) override {}  // answered at once: nothing to stream before it
    void finish(const protocol::Outcome& outcome, std::string message, bool answer_due) override;
    void refuse(protocol::Refusal why, std::string message) override;

  private:
    httplib::Response& response_;
    const Era era_;
    const Accepts accepts_;
    const ExchangeRecord record_;
    RequestLog& log_;
};

class StreamOutbox final : public protocol::Outbox {
  public:
    // `response` is written only by refuse(), which runs before the stream is attached.
    StreamOutbox(httplib::Response& response, std::shared_ptr<ResponseChannel> channel, bool sse,
                 ExchangeRecord record, RequestLog& log, std::shared_ptr<Admission::Permit> slot,
                 std::shared_ptr<protocol::CancellationToken> cancellation)
        : response_(response),
          channel_(std::move(channel)),
          sse_(sse),
          record_(std::move(record)),
          log_(log),
          slot_(std::move(slot)),
          cancellation_(std::move(cancellation)) {}

    void notify(std::string message) override;
    bool send_request(std::string message) override;
    void finish(const protocol::Outcome& outcome, std::string message, bool answer_due) override;
    void refuse(protocol::Refusal why, std::string message) override;

    bool refused() const { return refused_; }

  private:
    httplib::Response& response_;
    std::shared_ptr<ResponseChannel> channel_;
    const bool sse_;
    const ExchangeRecord record_;
    RequestLog& log_;
    std::shared_ptr<Admission::Permit> slot_;  // a --max-concurrency slot, back with the outbox
    std::shared_ptr<protocol::CancellationToken> cancellation_;
    bool refused_ = false;
};

class CapturingOutbox final : public protocol::Outbox {
  public:
    void notify(std::string) override {}
    void finish(const protocol::Outcome& outcome, std::string, bool) override {
        outcome_ = outcome;
    }
    void refuse(protocol::Refusal, std::string message) override { refusal_ = std::move(message); }

    const std::optional<protocol::Outcome>& outcome() const { return outcome_; }

  private:
    std::optional<protocol::Outcome> outcome_;
    std::optional<std::string> refusal_;
};

}  // namespace rdmcp::server
