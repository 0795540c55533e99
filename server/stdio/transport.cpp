#include "server/stdio/transport.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "server/free_memory.h"
#include "server/stdio/line_buffer.h"

namespace rdmcp::server {

namespace {
constexpr std::size_t kReadChunk = 1 << 16;

std::string logged_outcome(const protocol::Outcome& outcome) {
    if (const auto* error = std::get_if<protocol::RpcError>(&outcome)) {
        return "error " + std::to_string(error->code);
    }
    return protocol::is_tool_error(outcome) ? "tool_error" : "ok";
}

// A request's answers go out as stdout lines; each request is logged once, when it ends.
class StdioOutbox final : public protocol::Outbox {
  public:
    StdioOutbox(StdioTransport& transport, const protocol::Request& request, std::string log_id)
        : transport_(transport),
          log_id_(std::move(log_id)),
          method_(request.method),
          tool_(tool_name(request)),
          started_(std::chrono::steady_clock::now()) {}

    void notify(std::string message) override { transport_.write_line(message); }

    bool send_request(std::string message) override { return transport_.write_line(message); }

    void finish(const protocol::Outcome& outcome, std::string message, bool answer_due) override {
        log(answer_due ? logged_outcome(outcome) : "cancelled");
        if (answer_due) transport_.write_line(message);  // a cancelled request is owed nothing
    }

    void refuse(protocol::Refusal why, std::string message) override {
        log(why == protocol::Refusal::DuplicateId ? "refused: id in flight"
                                                  : "refused: shutting down");
        transport_.write_line(message);
    }

  private:
    static std::string tool_name(const protocol::Request& request) {
        if (request.method != "tools/call") return "";
        auto name = request.params.find("name");
        return name != request.params.end() && name->is_string() ? name->get<std::string>() : "";
    }

    void log(const std::string& outcome) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - started_)
                                 .count();
        transport_.logger().info("request", {{"id", log_id_},
                                             {"method", method_},
                                             {"tool", tool_},
                                             {"outcome", outcome},
                                             {"duration_us", std::to_string(elapsed)}});
    }

    StdioTransport& transport_;
    const std::string log_id_, method_, tool_;
    const std::chrono::steady_clock::time_point started_;
};
}  // namespace

StdioTransport::StdioTransport(const protocol::McpServer& server, StdioOptions options,
                               Logger& logger)
    : server_(server),
      options_(std::move(options)),
      logger_(logger),
      dispatcher_(server_, pool_, release_free_memory),
      pool_(options_.max_concurrency) {
    if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}

void StdioTransport::stop() {
    if (stopping_.exchange(true)) return;
    dispatcher_.cancel_all(protocol::kShutdownReason);
    client_requests_->close();
    char byte = 1;
    [[maybe_unused]] auto ignored = ::write(wake_pipe_[1], &byte, 1);
}

int StdioTransport::run() {
    LineBuffer buffer;
    bool discarding = false;  // inside a line longer than the limit
    std::string chunk(kReadChunk, '\0');

    while (!stopping_) {
        pollfd fds[2] = {{options_.input_fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents) break;
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;

        ssize_t n = ::read(options_.input_fd, chunk.data(), chunk.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break;  // end of input

        std::size_t start = 0;
        const std::string_view data(chunk.data(), static_cast<std::size_t>(n));
        while (start < data.size()) {
            auto newline = data.find('\n', start);
            auto piece =
                data.substr(start, newline == std::string_view::npos ? std::string_view::npos
                                                                     : newline - start);
            if (!discarding) {
                if (buffer.size() + piece.size() > options_.max_message_bytes) {
                    discarding = true;
                    buffer.clear();
                    reject_oversized_message();
                } else {
                    buffer.append(piece);
                }
            }
            if (newline == std::string_view::npos) break;
            if (!discarding) handle_frame(buffer.line());
            buffer.clear();  // after a large message (images), its memory is given back
            discarding = false;
            start = newline + 1;
        }
    }
    if (!stopping_ && !buffer.empty() && !discarding)
        handle_frame(buffer.line());  // last line, no \n

    logger_.debug("stdio_closed", {{"in_flight", std::to_string(dispatcher_.in_flight())}});
    client_requests_->close();  // no response can come any more: nobody waits for one
    pool_.shutdown();  // lets in-flight requests finish (stop() has cancelled them if asked)
    return 0;
}

void StdioTransport::reject_oversized_message() {
    logger_.warn("message_too_large",
                 {{"limit_bytes", std::to_string(options_.max_message_bytes)}});
    write_line(protocol::encode_error(
        nullptr, {protocol::error_code::kInvalidRequest,
                  "message exceeds the " + std::to_string(options_.max_message_bytes) +
                      "-byte limit (--max-message-bytes); send smaller images or raise the limit",
                  {}}));
}

void StdioTransport::handle_frame(std::string_view frame) {
    if (!frame.empty() && frame.back() == '\r') frame.remove_suffix(1);
    if (frame.find_first_not_of(" \t") == std::string_view::npos) return;

    auto decoded = protocol::decode(frame);
    if (auto* failure = std::get_if<protocol::DecodeFailure>(&decoded)) {
        logger_.info("bad_message", {{"code", std::to_string(failure->error.code)},
                                     {"reason", failure->error.message}});
        if (failure->answerable) write_line(protocol::encode_error(failure->id, failure->error));
    } else if (auto* notification = std::get_if<protocol::Notification>(&decoded)) {
        dispatcher_.notification(*notification, *in_flight_);
    } else if (auto* request = std::get_if<protocol::Request>(&decoded)) {
        handle_request(std::move(*request), frame.size() >= kLargeMessageBytes);
    } else if (auto* response = std::get_if<protocol::ClientResponse>(&decoded)) {
        // Handed to the request waiting for it, never waited on here; one nobody waits for
        // (an unknown id, one given up on) is dropped.
        if (!client_requests_->deliver(std::move(*response))) {
            logger_.debug("response_dropped", {{"reason", "no request of ours waits for it"}});
        }
    }
}

void StdioTransport::handle_request(protocol::Request request, bool large) {
    protocol::Incoming incoming{.request = std::move(request),
                                .context = std::make_shared<protocol::RequestContext>(),
                                .session = session_,
                                .id_scope = in_flight_,
                                .client_requests = client_requests_,
                                .large = large};
    auto& context = *incoming.context;
    if (!options_.api_key.empty()) {
        context.api_key = options_.api_key;
        context.key_source = protocol::KeySource::Environment;
    } else {
        context.key_holder = key_holder_;
        context.api_key = key_holder_->key();
        if (!context.api_key.empty()) context.key_source = protocol::KeySource::Authenticated;
    }
    incoming.context->log_id = "stdio-" + std::to_string(++request_counter_);

    auto outbox = std::make_shared<StdioOutbox>(*this, incoming.request, incoming.context->log_id);
    if (auto error = dispatcher_.prepare(incoming)) {
        outbox->finish(*error, protocol::encode_error(incoming.request.id, *error), true);
        return;
    }
    dispatcher_.run(std::move(incoming), std::move(outbox));
}

bool StdioTransport::write_line(const std::string& line) {
    std::lock_guard lock(output_mutex_);
    auto write_all = [this](const char* data, std::size_t size) {
        while (size > 0) {
            ssize_t n = ::write(options_.output_fd, data, size);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;  // the client is gone; keep serving until stdin ends
            data += n;
            size -= static_cast<std::size_t>(n);
        }
        return true;
    };
    return write_all(line.data(), line.size()) && write_all("\n", 1);
}

}  // namespace rdmcp::server
