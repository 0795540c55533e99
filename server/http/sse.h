#pragma once
// How a request's answer travels from the worker that computes it to the connection that
// sends it. The worker writes into a ResponseChannel (notifications, then the final response);
// the connection's thread runs the stream pump inside cpp-httplib's chunked content provider,
// writing what arrives as SSE events (or the one JSON body), a keep-alive comment when quiet,
// and watching the socket: a client that closes the stream cancels the request's token.
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/cancellation.h"

namespace rdmcp::server {

// One SSE event carrying a JSON-RPC message, and a comment line (ignored by clients).
std::string sse_message(std::string_view json);
std::string sse_comment(std::string_view text);

class ResponseChannel {
  public:
    // A message before the response (a notification, a request to the client); dropped (false)
    // once the channel is finished.
    bool send(std::string message);
    // The final message: the stream ends after it.
    void finish(std::string message);
    // Ends the stream without a final message.
    void end();

    struct Batch {
        std::vector<std::string> messages;
        bool finished = false;
    };
    // What arrived since the last call, waiting up to `timeout` for something.
    Batch wait(std::chrono::milliseconds timeout);

  private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::deque<std::string> pending_;
    bool finished_ = false;
};

enum class StreamFormat {
    Sse,   // text/event-stream: every message as an event
    Json,  // application/json: only the final message, as the body
};

struct StreamSpec {
    StreamFormat format = StreamFormat::Sse;
    std::shared_ptr<ResponseChannel> channel;
    // Cancelled when the client goes away before the stream ended.
    std::shared_ptr<protocol::CancellationToken> cancellation;
    // For long-lived streams: true when the server wants the stream over (shutdown, session
    // ended); `closing_message` (if set) is sent before it ends.
    std::function<bool()> should_end;
    std::function<std::optional<std::string>()> closing_message;
    std::chrono::milliseconds poll_interval{200};
    std::chrono::seconds keepalive{15};
    // Runs once when the response is gone, with whether it was delivered completely.
    std::function<void(bool delivered)> on_end;
};

// Makes `response` a streamed 200 that the pump fills; sets the SSE headers for SSE.
void attach_stream(httplib::Response& response, StreamSpec spec);

// JSON bodies say charset=utf-8: besides being true, the parameter keeps cpp-httplib from
// compressing them on the connection's thread (brotli at its slowest quality on megabytes of
// base64 images); a reverse proxy compresses better when it is wanted.
inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";
inline constexpr const char* kSseContentType = "text/event-stream";

}  // namespace rdmcp::server
