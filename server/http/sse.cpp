#include "server/http/sse.h"

namespace rdmcp::server {

std::string sse_message(std::string_view json) {
    // Our JSON never contains a raw newline (nlohmann escapes them), so one data line suffices.
    std::string event = "event: message\ndata: ";
    event += json;
    event += "\n\n";
    return event;
}

std::string sse_comment(std::string_view text) {
    std::string comment = ": ";
    comment += text;
    comment += "\n\n";
    return comment;
}

bool ResponseChannel::send(std::string message) {
    {
        std::lock_guard lock(mutex_);
        if (finished_) return false;
        pending_.push_back(std::move(message));
    }
    arrived_.notify_all();
    return true;
}

void ResponseChannel::finish(std::string message) {
    {
        std::lock_guard lock(mutex_);
        if (finished_) return;
        pending_.push_back(std::move(message));
        finished_ = true;
    }
    arrived_.notify_all();
}

void ResponseChannel::end() {
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
    }
    arrived_.notify_all();
}

ResponseChannel::Batch ResponseChannel::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, timeout, [this] { return finished_ || !pending_.empty(); });
    Batch batch;
    batch.messages.assign(std::make_move_iterator(pending_.begin()),
                          std::make_move_iterator(pending_.end()));
    pending_.clear();
    batch.finished = finished_;
    return batch;
}

namespace {

// The pump: one call of the content provider streams the whole response, so cpp-httplib's
// check for a stopping server between calls never cuts an answer short during shutdown.
bool pump(const StreamSpec& spec, httplib::DataSink& sink) {
    using Clock = std::chrono::steady_clock;
    auto last_write = Clock::now();
    auto write = [&](const std::string& text) {
        if (text.empty()) return true;  // an empty write would end the chunked stream
        last_write = Clock::now();
        return sink.write(text.data(), text.size());
    };
    auto client_gone = [&] {
        spec.cancellation->cancel("the client closed the stream");
        return false;
    };
    const bool sse = spec.format == StreamFormat::Sse;

    for (;;) {
        auto batch = spec.channel->wait(spec.poll_interval);
        for (std::size_t i = 0; i < batch.messages.size(); ++i) {
            const bool last = batch.finished && i + 1 == batch.messages.size();
            if (!sse && !last) continue;  // a JSON body carries the response alone
            if (!write(sse ? sse_message(batch.messages[i]) : batch.messages[i]))
                return client_gone();
        }
        if (batch.finished) {
            sink.done();
            return true;
        }
        if (spec.should_end && spec.should_end()) {
            if (spec.closing_message) {
                if (auto message = spec.closing_message();
                    message && !write(sse_message(*message))) {
                    return client_gone();
                }
            }
            sink.done();
            return true;
        }
        if (!sink.is_writable()) return client_gone();
        if (sse && Clock::now() - last_write >= spec.keepalive) {
            if (!write(sse_comment("keep-alive"))) return client_gone();
        }
    }
}

}  // namespace

void attach_stream(httplib::Response& response, StreamSpec spec) {
    response.status = 200;
    if (spec.format == StreamFormat::Sse) {
        response.set_header("Cache-Control", "no-cache");
        response.set_header("X-Accel-Buffering", "no");
    }
    auto shared = std::make_shared<StreamSpec>(std::move(spec));
    const char* content_type =
        shared->format == StreamFormat::Sse ? kSseContentType : kJsonContentType;
    response.set_chunked_content_provider(
        content_type,
        [shared](std::size_t /*offset*/, httplib::DataSink& sink) { return pump(*shared, sink); },
        [shared](bool delivered) {
            // Also reached when the headers could not even be written.
            if (!delivered) shared->cancellation->cancel("the client closed the stream");
            if (shared->on_end) shared->on_end(delivered);
        });
}

}  // namespace rdmcp::server
