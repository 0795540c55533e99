#pragma once
// The HTTP/1.1 client side the load generator needs, and nothing more: a parsed URL, a
// request serialised once and sent many times, and an incremental response parser that knows
// Content-Length and chunked bodies (Streamable HTTP answers a tools/call as a chunked SSE
// stream). Plus the /proc readings every benchmark takes.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdbench {

using Clock = std::chrono::steady_clock;

struct Url {
    std::string host;  // numeric IPv4 (the benchmarks run on loopback)
    int port = 80;
    std::string path;  // "/mcp"
};

// http://127.0.0.1:PORT/path; nothing for anything else.
std::optional<Url> parse_url(std::string_view text);

// The bytes of one request: method, path, Host, the given headers, Content-Length and body.
std::string build_request(const std::string& method, const Url& url,
                          const std::vector<std::string>& headers, const std::string& body);

// Feeds on the bytes of one response at a time; complete() once the body has fully arrived.
class ResponseParser {
  public:
    // Appends bytes; returns false on a malformed response.
    bool feed(const char* data, std::size_t size);
    bool complete() const { return state_ == State::Done; }
    bool started() const { return !buffer_.empty() || state_ != State::Head; }
    int status() const { return status_; }
    bool connection_close() const { return close_; }
    const std::string& body() const { return body_; }
    // Bytes received past the end of this response (none without pipelining).
    std::size_t leftover() const { return buffer_.size() - consumed_; }
    void reset();

  private:
    enum class State { Head, Length, Chunked, Done, Error };
    bool parse_head();
    bool parse_chunks();

    State state_ = State::Head;
    std::string buffer_;
    std::size_t consumed_ = 0;  // bytes of buffer_ parsed so far
    int status_ = 0;
    long long content_length_ = -1;
    bool close_ = false;
    std::string body_;
};

// Opens a TCP connection to url (blocking connect, then non-blocking, TCP_NODELAY); -1 on failure.
int connect_to(const Url& url);

// CPU time (user + system) of a process so far, in seconds; from /proc/PID/stat.
double process_cpu_seconds(int pid);
// A "VmRSS"/"VmHWM"/"Threads" line of /proc/PID/status, in KiB (or a count); -1 if unreadable.
long process_status_field(int pid, const char* field);

// A field of /proc/PID/smaps_rollup ("Pss", "Pss_Anon", "Pss_File", "Anonymous"), in KiB.
long process_smaps_field(int pid, const char* field);
// CPU time of all the process's threads so far, in seconds, from /proc/PID/task/*/schedstat
// (nanoseconds, unlike /proc/PID/stat's clock ticks): for short-lived measurements.
double process_cpu_seconds_precise(int pid);

// Percentile p (0..100) of sorted values (nearest rank).
double percentile(const std::vector<double>& sorted, double p);

double seconds_between(Clock::time_point from, Clock::time_point to);

}  // namespace rdbench
