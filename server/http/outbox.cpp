#include "server/http/outbox.h"

namespace rdmcp::server {

namespace {

constexpr int kShutdownRetryAfterSeconds = 5;

void set_sse_headers(httplib::Response& response) {
    response.set_header("Cache-Control", "no-cache");
    response.set_header("X-Accel-Buffering", "no");
}

// A refusal written straight into the response, before any stream is attached.
int write_refusal(httplib::Response& response, protocol::Refusal why, const std::string& message) {
    if (why == protocol::Refusal::ShuttingDown) {
        response.set_header("Retry-After", std::to_string(kShutdownRetryAfterSeconds));
        reply_json(response, 503, message);
        return 503;
    }
    reply_json(response, 200, message);  // a JSON-RPC error, as for any request
    return 200;
}

const char* refusal_name(protocol::Refusal why) {
    return why == protocol::Refusal::ShuttingDown ? "shutting down" : "request id reused";
}

}  // namespace

void InlineOutbox::finish(const protocol::Outcome& outcome, std::string message, bool) {
    int status = 200;
    if (const auto* error = std::get_if<protocol::RpcError>(&outcome);
        error && era_ == Era::Modern) {
        status = status_for_engine_error(*error);
    }
    if (status == 200 && !accepts_.json) {  // a client that only takes SSE
        set_sse_headers(response_);
        response_.status = 200;
        response_.set_content(sse_message(message), kSseContentType);
    } else {
        reply_json(response_, status, std::move(message));
    }
    log_.record(record_, status, outcome_name(outcome));
}

void InlineOutbox::refuse(protocol::Refusal why, std::string message) {
    log_.record(record_, write_refusal(response_, why, message), "rejected", refusal_name(why));
}

void StreamOutbox::notify(std::string message) {
    if (sse_) channel_->send(std::move(message));  // a JSON body carries only the answer
}

bool StreamOutbox::send_request(std::string message) {
    // Only an SSE stream can carry a request before the answer (a JSON body is the answer).
    return sse_ && !cancellation_->is_cancelled() && channel_->send(std::move(message));
}

void StreamOutbox::finish(const protocol::Outcome& outcome, std::string message, bool answer_due) {
    // A stream the client cancelled ends without an answer; a JSON body must still be a
    // JSON-RPC message.
    if (!answer_due && sse_) {
        channel_->end();
    } else {
        channel_->finish(std::move(message));
    }
    const std::string reason = cancellation_->is_cancelled() ? cancellation_->reason() : "";
    log_.record(record_, 200, answer_due ? outcome_name(outcome) : "cancelled", reason);
}

void StreamOutbox::refuse(protocol::Refusal why, std::string message) {
    refused_ = true;
    log_.record(record_, write_refusal(response_, why, message), "rejected", refusal_name(why));
}

}  // namespace rdmcp::server
