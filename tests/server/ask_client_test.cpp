// A tool asks its 2025-era client (elicitation/create) in the middle of tools/call, over the real
// transports: the stdio transport on pipes, the HTTP transport on a loopback socket. The server
// runs in this process with one test tool, so no spend guard is needed to exercise the path.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "server/http/transport.h"
#include "server/log.h"
#include "server/stdio/transport.h"

using namespace rdmcp;
using protocol::ClientAnswer;
using protocol::Json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kVersion = "2025-11-25";

// "confirm" asks the client and says what came of it: the action it chose, or the kind of
// non-answer (Error, TimedOut, Cancelled, Unavailable), or that it could not ask at all.
protocol::McpServer asking_server() {
    protocol::ToolRegistry tools;
    tools.add({{.name = "confirm",
                .title = "confirm",
                .description = "asks the user",
                .input_schema = {{"type", "object"}}},
               [](const Json&, protocol::RequestContext& context) {
                   if (!context.ask_client) return protocol::ToolResult::text("cannot ask");
                   const auto answer = context.ask_client(
                       "elicitation/create",
                       {{"mode", "form"},
                        {"message", "Spend 12 credits?"},
                        {"requestedSchema", {{"type", "object"}, {"properties", Json::object()}}}},
                       10s);
                   switch (answer.kind) {
                       case ClientAnswer::Kind::Result:
                           return protocol::ToolResult::text(answer.result.value("action", "?"));
                       case ClientAnswer::Kind::Error:
                           return protocol::ToolResult::text("error " +
                                                             std::to_string(answer.error->code));
                       case ClientAnswer::Kind::TimedOut:
                           return protocol::ToolResult::text("timed out");
                       case ClientAnswer::Kind::Cancelled:
                           return protocol::ToolResult::text("cancelled");
                       case ClientAnswer::Kind::Unavailable:
                           break;
                   }
                   return protocol::ToolResult::text("unavailable");
               }});
    return protocol::McpServer({"ask-test", "Ask test", "1", ""}, std::move(tools));
}

Json initialize_request() {
    return {{"jsonrpc", "2.0"},
            {"id", 0},
            {"method", "initialize"},
            {"params",
             {{"protocolVersion", kVersion},
              {"capabilities", {{"elicitation", Json::object()}}},
              {"clientInfo", {{"name", "test"}, {"version", "1"}}}}}};
}

Json call_confirm(int id) {
    return {{"jsonrpc", "2.0"},
            {"id", id},
            {"method", "tools/call"},
            {"params", {{"name", "confirm"}, {"arguments", Json::object()}}}};
}

Json initialized() { return {{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}; }

Json accept(const Json& id) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"action", "accept"}}}};
}

std::string text_of(const Json& answer) { return answer["result"]["content"][0]["text"]; }

// What a peer (stdout, a response stream) sent, read as it arrives; every wait is 10 s at most.
class Reader {
  public:
    explicit Reader(int fd) : fd_(fd) {}

    // The next JSON message whose text contains `needle` (a stdout line or an SSE data line).
    std::optional<Json> next(const std::string& prefix, const std::string& needle) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        for (;;) {
            for (auto start = buffer_.find(prefix); start != std::string::npos;
                 start = buffer_.find(prefix, start + 1)) {
                const auto end = buffer_.find('\n', start);
                if (end == std::string::npos) break;
                std::string line =
                    buffer_.substr(start + prefix.size(), end - start - prefix.size());
                if (line.find(needle) != std::string::npos) {
                    buffer_.erase(0, end + 1);
                    return Json::parse(line);
                }
            }
            if (!fill(deadline)) return std::nullopt;
        }
    }
    // True once `text` has arrived (within 10 s).
    bool arrives(const std::string& text) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (all_.find(text) == std::string::npos) {
            if (!fill(deadline)) return false;
        }
        return true;
    }
    // Everything that arrived so far.
    const std::string& seen() const { return all_; }

  private:
    bool fill(std::chrono::steady_clock::time_point deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms || closed_) return false;
        pollfd pfd{fd_, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
        char chunk[4096];
        const auto n = ::read(fd_, chunk, sizeof chunk);
        if (n <= 0) {
            closed_ = true;
            return false;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
        all_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int fd_;
    std::string buffer_;  // not yet consumed by next()
    std::string all_;
    bool closed_ = false;
};

// The stdio transport on two pipes, served on its own thread.
class StdioServer {
  public:
    StdioServer() : server_(asking_server()) {
        REQUIRE(::pipe2(in_, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(out_, O_CLOEXEC) == 0);
        transport_.emplace(server_, server::StdioOptions{.input_fd = in_[0], .output_fd = out_[1]},
                           logger_);
        reader_.emplace(out_[0]);
        thread_ = std::thread([this] { transport_->run(); });
    }
    ~StdioServer() {
        close_input();
        thread_.join();
        for (int fd : {in_[0], out_[0], out_[1]}) ::close(fd);
    }
    void send(const Json& message) {
        const std::string line = message.dump() + "\n";
        REQUIRE(::write(in_[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()));
    }
    void close_input() {
        if (in_[1] >= 0) ::close(in_[1]);
        in_[1] = -1;
    }
    Reader& output() { return *reader_; }
    // Sends tools/call `id` of the asking tool; the question it puts to us.
    Json call_and_hear_question(int id) {
        send(call_confirm(id));
        auto question = output().next("", "elicitation/create");
        REQUIRE(question);
        return *question;
    }

  private:
    server::Logger logger_{server::LogLevel::Error};
    protocol::McpServer server_;
    int in_[2] = {-1, -1};
    int out_[2] = {-1, -1};
    std::optional<server::StdioTransport> transport_;
    std::thread thread_;
    std::optional<Reader> reader_;
};

}  // namespace

TEST_CASE("stdio: a tool asks its client mid-call and gets the answer the client wrote back") {
    StdioServer stdio;
    stdio.send(initialize_request());
    REQUIRE(stdio.output().next("", "\"id\":0"));
    stdio.send(initialized());

    const auto question = stdio.call_and_hear_question(1);
    CHECK(question["id"] == "rdmcp-1");
    CHECK(question["params"]["message"] == "Spend 12 credits?");

    // The reading thread is not held by the waiting call: ping is answered meanwhile.
    stdio.send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "ping"}});
    REQUIRE(stdio.output().next("", "\"id\":2"));

    stdio.send(accept(question["id"]));
    const auto answer = stdio.output().next("", "\"id\":1");
    REQUIRE(answer);
    CHECK(text_of(*answer) == "accept");

    SUBCASE("a second call is asked with a new id; a client error comes back as such") {
        const auto again = stdio.call_and_hear_question(3);
        CHECK(again["id"] == "rdmcp-2");
        stdio.send({{"jsonrpc", "2.0"},
                    {"id", again["id"]},
                    {"error", {{"code", -32601}, {"message", "no elicitation"}}}});
        const auto refused = stdio.output().next("", "\"id\":3");
        REQUIRE(refused);
        CHECK(text_of(*refused) == "error -32601");
    }
    SUBCASE("the client cancels the call while it is asked: no answer, the question withdrawn") {
        const auto asked = stdio.call_and_hear_question(4);
        stdio.send({{"jsonrpc", "2.0"},
                    {"method", "notifications/cancelled"},
                    {"params", {{"requestId", 4}}}});
        const auto withdrawn = stdio.output().next("", "notifications/cancelled");
        REQUIRE(withdrawn);
        CHECK((*withdrawn)["params"]["requestId"] == asked["id"]);
        stdio.send({{"jsonrpc", "2.0"}, {"id", 5}, {"method", "ping"}});
        REQUIRE(stdio.output().next("", "\"id\":5"));
        CHECK(stdio.output().seen().find("\"id\":4") == std::string::npos);
    }
    SUBCASE("stdin ends while the client is asked: the call ends, answered Cancelled") {
        stdio.call_and_hear_question(6);
        stdio.close_input();
        const auto ended = stdio.output().next("", "\"id\":6");
        REQUIRE(ended);
        CHECK(text_of(*ended) == "cancelled");
    }
}

namespace {

// The HTTP transport on a loopback port, served on its own thread.
class HttpServer {
  public:
    explicit HttpServer(bool stateless = false) : server_(asking_server()) {
        server::HttpOptions options;
        options.port = 0;
        options.stateless = stateless;
        options.shutdown_grace = 1s;
        options.keep_alive_timeout = 1s;  // an idle connection does not hold the shutdown up
        transport_.emplace(server_, options, logger_);
        port_ = transport_->bind();
        thread_ = std::thread([this] { transport_->run(); });
    }
    ~HttpServer() {
        transport_->shutdown();
        thread_.join();
    }
    int port() const { return port_; }

    httplib::Result post(const Json& message, const std::string& session = {},
                         const std::string& accept = "application/json, text/event-stream") {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(10s);
        httplib::Headers headers{{"Accept", accept}, {"MCP-Protocol-Version", kVersion}};
        if (!session.empty()) headers.emplace("Mcp-Session-Id", session);
        return client.Post("/mcp", headers, message.dump(), "application/json");
    }

    std::string open_session() {
        auto opened = post(initialize_request());
        REQUIRE(opened);
        REQUIRE(opened->status == 200);
        const auto session = opened->get_header_value("Mcp-Session-Id");
        REQUIRE_FALSE(session.empty());
        auto acknowledged = post(initialized(), session);
        REQUIRE(acknowledged);
        CHECK(acknowledged->status == 202);
        return session;
    }

  private:
    server::Logger logger_{server::LogLevel::Error};
    protocol::McpServer server_;
    std::optional<server::HttpTransport> transport_;
    int port_ = 0;
    std::thread thread_;
};

// A POST whose streamed answer is read as it arrives, on a raw socket.
class StreamingPost {
  public:
    StreamingPost(int port, const Json& message, const std::string& session) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        const std::string body = message.dump();
        const std::string request =
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
            "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
            "MCP-Protocol-Version: " +
            kVersion + "\r\nMcp-Session-Id: " + session +
            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        REQUIRE(::write(fd_, request.data(), request.size()) ==
                static_cast<ssize_t>(request.size()));
        reader_.emplace(fd_);
    }
    ~StreamingPost() { ::close(fd_); }
    Reader& stream() { return *reader_; }

  private:
    int fd_ = -1;
    std::optional<Reader> reader_;
};

}  // namespace

TEST_CASE(
    "HTTP: the question goes out as an SSE event on the call's POST stream, the answer "
    "is POSTed to the session") {
    HttpServer http;
    const auto session = http.open_session();

    StreamingPost call(http.port(), call_confirm(1), session);
    const auto question = call.stream().next("data: ", "elicitation/create");
    REQUIRE(question);  // the stream started with the request, before any answer
    CHECK(call.stream().seen().find("text/event-stream") != std::string::npos);
    CHECK((*question)["id"] == "rdmcp-1");
    CHECK((*question)["params"]["mode"] == "form");

    SUBCASE("answered") {
        // Only the session's own key and id reach it.
        auto elsewhere = http.post(accept((*question)["id"]), "no-such-session");
        REQUIRE(elsewhere);
        CHECK(elsewhere->status == 404);

        auto delivered = http.post(accept((*question)["id"]), session);
        REQUIRE(delivered);
        CHECK(delivered->status == 202);
        const auto answer = call.stream().next("data: ", "\"id\":1");
        REQUIRE(answer);
        CHECK(text_of(*answer) == "accept");

        // A response nobody waits for is accepted and dropped.
        auto late = http.post(accept((*question)["id"]), session);
        REQUIRE(late);
        CHECK(late->status == 202);
    }
    SUBCASE("the session ends while the client is asked: the call ends, owed no answer") {
        httplib::Client client("127.0.0.1", http.port());
        auto ended = client.Delete("/mcp", {{"Mcp-Session-Id", session}});
        REQUIRE(ended);
        CHECK(ended->status == 200);
        CHECK(call.stream().arrives("\r\n0\r\n\r\n"));  // the chunked stream's end
        CHECK(call.stream().seen().find("\"id\":1,") == std::string::npos);
    }
}

TEST_CASE("HTTP: a client that takes only JSON, or a stateless server, cannot be asked") {
    SUBCASE("Accept: application/json") {
        HttpServer http;
        const auto session = http.open_session();
        auto answer = http.post(call_confirm(1), session, "application/json");
        REQUIRE(answer);
        CHECK(text_of(Json::parse(answer->body)) == "unavailable");
    }
    SUBCASE("--stateless") {
        HttpServer http(/*stateless=*/true);
        auto answer = http.post(call_confirm(1));
        REQUIRE(answer);
        const auto body = answer->body;
        const auto data = body.find("data: ");
        CHECK(text_of(Json::parse(data == std::string::npos ? body : body.substr(data + 6))) ==
              "cannot ask");
    }
}
