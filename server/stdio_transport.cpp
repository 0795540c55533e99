#include "server/stdio_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "server/free_memory.h"
#include "server/line_buffer.h"

namespace rdmcp::server {

using protocol::Json;

namespace {
constexpr std::size_t kReadChunk = 1 << 16;

std::string outcome_name(const protocol::Outcome& outcome) {
    if (const auto* error = std::get_if<protocol::RpcError>(&outcome)) {
        return "error " + std::to_string(error->code);
    }
    const auto& result = std::get<Json>(outcome);
    if (result.value("isError", false)) return "tool_error";
    return "ok";
}
}  // namespace

StdioTransport::StdioTransport(const protocol::McpServer& server, StdioOptions options,
                               Logger& logger)
    : server_(server),
      options_(std::move(options)),
      logger_(logger),
      pool_(options_.max_concurrency) {
    if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}

void StdioTransport::stop() {
    if (stopping_.exchange(true)) return;
    in_flight_.cancel_all("the server is shutting down");
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
            auto piece = data.substr(start, newline == std::string_view::npos ? std::string_view::npos
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
    if (!stopping_ && !buffer.empty() && !discarding) handle_frame(buffer.line());  // last line, no \n

    logger_.debug("stdio_closed", {{"in_flight", std::to_string(in_flight_.size())}});
    pool_.shutdown();  // lets in-flight requests finish (stop() has cancelled them if asked)
    return 0;
}

void StdioTransport::reject_oversized_message() {
    logger_.warn("message_too_large", {{"limit_bytes", std::to_string(options_.max_message_bytes)}});
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
        server_.handle_notification(*notification, in_flight_);
    } else if (auto* request = std::get_if<protocol::Request>(&decoded)) {
        handle_request(std::move(*request), frame.size() >= kLargeMessageBytes);
    }
    // Responses from the client are dropped: this server sends no requests.
}

void StdioTransport::handle_request(protocol::Request request, bool large) {
    auto context = std::make_shared<protocol::RequestContext>();
    context->api_key = options_.api_key;
    context->log_id = "stdio-" + std::to_string(++request_counter_);

    if (auto error = server_.prepare(request, session_, *context)) {
        logger_.info("request", {{"id", context->log_id}, {"method", request.method},
                                 {"outcome", "error " + std::to_string(error->code)}});
        write_line(protocol::encode_error(request.id, *error));
        return;
    }
    if (!protocol::McpServer::may_block(request)) {
        run_request(std::move(request), std::move(context));
        return;
    }
    if (!in_flight_.add(request.id, context->cancellation)) {
        write_line(protocol::encode_error(
            request.id, {protocol::error_code::kInvalidRequest,
                         "request id " + request.id.dump() + " is already used by a request in "
                         "flight; use a new id for each request",
                         {}}));
        return;
    }
    // Notifications for this request go out only while it is live and not cancelled.
    context->notify = [this, cancellation = context->cancellation](std::string_view method,
                                                                   const Json& params) {
        if (!cancellation->is_cancelled()) write_line(protocol::encode_notification(method, params));
    };
    auto id = request.id;
    bool queued = pool_.submit([this, request = std::move(request), context, large]() mutable {
        auto id = request.id;
        run_request(std::move(request), context);  // the request's memory is freed here
        in_flight_.remove(id);
        if (large) release_free_memory();
    });
    if (!queued) in_flight_.remove(id);
}

void StdioTransport::run_request(protocol::Request request,
                                 std::shared_ptr<protocol::RequestContext> context) {
    const auto started = std::chrono::steady_clock::now();
    auto outcome = server_.handle(request, session_, *context);
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now() - started).count();

    std::string tool;
    if (request.method == "tools/call") tool = request.params.value("name", Json()).is_string()
                                                   ? request.params["name"].get<std::string>()
                                                   : "";
    const bool cancelled = context->is_cancelled();
    logger_.info("request", {{"id", context->log_id},
                             {"method", request.method},
                             {"tool", tool},
                             {"outcome", cancelled ? "cancelled" : outcome_name(outcome)},
                             {"duration_us", std::to_string(elapsed)}});
    // A cancelled request gets no answer: the client has stopped waiting for it.
    if (!cancelled) send_outcome(request.id, outcome);
}

void StdioTransport::send_outcome(const protocol::RequestId& id, const protocol::Outcome& outcome) {
    if (const auto* error = std::get_if<protocol::RpcError>(&outcome)) {
        write_line(protocol::encode_error(id, *error));
    } else {
        write_line(protocol::encode_result(id, std::get<Json>(outcome)));
    }
}

void StdioTransport::write_line(const std::string& line) {
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
    if (write_all(line.data(), line.size())) write_all("\n", 1);
}

}  // namespace rdmcp::server
