#pragma once
// Our binary serving MCP over Streamable HTTP, and a client that speaks to it the way SDK
// clients do: the 2026-07-28 form (every request stands alone, _meta + mirrored headers) and
// the 2025 form (initialize, then the session id on every request).
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/child_process.h"

namespace rdmcp::testing {

using Json = nlohmann::json;

// Sanitizer builds run every process several times slower: timing-based tests scale by this.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define RDMCP_TESTS_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define RDMCP_TESTS_SANITIZED 1
#endif
#ifdef RDMCP_TESTS_SANITIZED
inline constexpr int kSlowdown = 5;
#else
inline constexpr int kSlowdown = 1;
#endif

// Joins every thread it holds when it goes, so a failed REQUIRE never destroys a running one.
// An exception in a thread (a request that failed outright) ends that thread only: the test's
// own counts then show it.
class ThreadGroup {
  public:
    ThreadGroup() = default;
    ~ThreadGroup() { join(); }
    ThreadGroup(const ThreadGroup&) = delete;
    ThreadGroup& operator=(const ThreadGroup&) = delete;
    template <typename F>
    void spawn(F&& f) {
        threads_.emplace_back([f = std::forward<F>(f)]() mutable {
            try {
                f();
            } catch (const std::exception& e) {
                // Some tests end calls on purpose; for the others, this line says why a count
                // came up short.
                std::fprintf(stderr, "a test thread ended with: %s\n", e.what());
            }
        });
    }
    void join() {
        for (auto& thread : threads_) {
            if (thread.joinable()) thread.join();
        }
        threads_.clear();
    }

  private:
    std::vector<std::thread> threads_;
};

// retrodiffusion-mcp --transport http --port 0, up and listening.
class HttpServerProcess {
  public:
    // `env` is the server's whole environment (RD_API_BASE_URL at least).
    HttpServerProcess(std::vector<std::string> args, std::map<std::string, std::string> env);

    const std::string& url() const { return url_; }    // http://127.0.0.1:PORT/mcp
    const std::string& base() const { return base_; }  // http://127.0.0.1:PORT
    int port() const { return port_; }
    ChildProcess& process() { return process_; }
    std::string stderr_text() { return process_.stderr_text(); }

    // A gauge or counter from GET /metrics (the sum of every series of that name whose labels
    // contain `labels`, e.g. `outcome="cancelled"`).
    double metric(const std::string& name, const std::string& labels = "");

  private:
    ChildProcess process_;
    std::string url_, base_;
    int port_ = 0;
};

// An HTTP answer with its JSON-RPC messages: the JSON body, or every SSE event's data.
struct HttpReply {
    int status = 0;
    httplib::Headers headers;
    std::string body;
    std::vector<Json> messages;

    std::string header(const std::string& name) const;
    std::string content_type() const { return header("Content-Type"); }
    // The last message, which is the response to the request (an empty object if none).
    Json response() const { return messages.empty() ? Json::object() : messages.back(); }
};

std::vector<Json> parse_sse_messages(const std::string& body);

// The 2026-07-28 _meta of a request.
Json modern_http_meta(Json extra = Json::object());

class McpHttpClient {
  public:
    explicit McpHttpClient(const HttpServerProcess& server, std::string key = "");
    McpHttpClient(std::string base, std::string path, std::string key = "");

    void set_key(std::string key) { key_ = std::move(key); }
    void set_accept(std::string accept) { accept_ = std::move(accept); }
    void set_timeout(std::chrono::seconds timeout);

    // One POST of `body`; the key, Accept and Content-Type are added unless `headers` has them.
    HttpReply post_text(const std::string& body, httplib::Headers headers = {});
    HttpReply post(const Json& message, httplib::Headers headers = {});
    HttpReply get(const std::string& path, httplib::Headers headers = {});
    HttpReply del(httplib::Headers headers = {});
    HttpReply options(httplib::Headers headers = {});

    // 2026-07-28: `method` with _meta in params and the mirrored headers.
    HttpReply modern(const std::string& method, Json params = Json::object(),
                     httplib::Headers extra_headers = {});
    HttpReply modern_tool(const std::string& name, Json arguments = Json::object(),
                          Json extra_meta = Json::object());

    // 2025: initialize opens a session (remembered); later requests carry it.
    HttpReply initialize(const std::string& version = "2025-11-25",
                         Json capabilities = Json::object());
    // A 2025 request whose streamed answer may carry requests from the server (elicitation/
    // create): each is answered with `answer`'s result, POSTed in the session as an SDK client
    // does, while the stream goes on. The reply holds every message of the stream.
    HttpReply legacy_answering(const std::string& method, Json params,
                               const std::function<Json(const Json& request)>& answer);
    HttpReply legacy(const std::string& method, Json params = Json::object(),
                     httplib::Headers extra_headers = {});
    HttpReply legacy_notify(const std::string& method, Json params = Json::object());
    httplib::Headers legacy_headers() const;

    const std::optional<std::string>& session_id() const { return session_id_; }
    void set_session_id(std::optional<std::string> id) { session_id_ = std::move(id); }
    const std::string& version() const { return version_; }
    int next_id() { return ++last_id_; }
    // Clients sharing one session must not reuse each other's request ids.
    void start_ids_after(int id) { last_id_ = id; }

  private:
    HttpReply send(const std::string& method, const std::string& path, const std::string& body,
                   httplib::Headers headers);

    std::string base_, path_;
    std::unique_ptr<httplib::Client> client_;
    std::string key_;
    std::string accept_ = "application/json, text/event-stream";
    std::optional<std::string> session_id_;
    std::string version_ = "2025-11-25";
    int last_id_ = 0;
};

// A bare TCP connection for what an HTTP client library hides: a stream closed half-way.
class RawConnection {
  public:
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    void send(const std::string& bytes);
    // As send, but false instead of throwing once the server has closed or reset the connection.
    bool try_send(const std::string& bytes);
    // True when the server ends the connection (close or reset) within `timeout`; what it sent
    // before is kept for read_until.
    bool wait_closed(std::chrono::milliseconds timeout);
    // Everything read until `marker` appeared (or nothing on timeout / close).
    std::optional<std::string> read_until(const std::string& marker,
                                          std::chrono::milliseconds timeout);
    void close();

  private:
    int fd_ = -1;
    std::string buffer_;
};

// The request line, headers and body of a POST, as bytes.
std::string raw_post(const std::string& path, const std::string& body,
                     const std::map<std::string, std::string>& headers);

}  // namespace rdmcp::testing
