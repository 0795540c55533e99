#include "tests/support/mcp_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rdmcp::testing {

namespace {
std::vector<std::string> http_server_argv(std::vector<std::string> args) {
    args.insert(args.begin(), {RDMCP_SERVER_BINARY, "--transport", "http", "--port", "0"});
    return args;
}
}  // namespace

HttpServerProcess::HttpServerProcess(std::vector<std::string> args,
                                     std::map<std::string, std::string> env)
    : process_(http_server_argv(std::move(args)), with_api_version(std::move(env))) {
    static const std::regex listening(R"(event=listening url=(http://([^/ ]+)(/\S*)))");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10 * kSlowdown);
    std::smatch match;
    std::string text;
    while (std::chrono::steady_clock::now() < deadline) {
        text = process_.stderr_text();
        if (std::regex_search(text, match, listening)) {
            url_ = match[1];
            base_ = "http://" + match[2].str();
            port_ = std::stoi(match[2].str().substr(match[2].str().rfind(':') + 1));
            return;
        }
        if (auto code = process_.wait(std::chrono::milliseconds(20))) {
            throw std::runtime_error("the HTTP server exited with " + std::to_string(*code) +
                                     ":\n" + process_.stderr_text());
        }
    }
    throw std::runtime_error("the HTTP server printed no listening line:\n" + text);
}

double HttpServerProcess::metric(const std::string& name, const std::string& labels) {
    httplib::Client client(base_);
    client.set_read_timeout(std::chrono::seconds(10));
    auto result = client.Get("/metrics");
    if (!result || result->status != 200) throw std::runtime_error("GET /metrics failed");
    double sum = 0;
    std::istringstream lines(result->body);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        const std::string series = line.substr(0, space);
        const std::string series_name = series.substr(0, series.find('{'));
        if (series_name != name) continue;
        if (!labels.empty() && series.find(labels) == std::string::npos) continue;
        sum += std::stod(line.substr(space + 1));
    }
    return sum;
}

std::string HttpReply::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

std::vector<Json> parse_sse_messages(const std::string& body) {
    std::vector<Json> messages;
    std::istringstream lines(body);
    std::string line, data;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            if (!data.empty()) messages.push_back(Json::parse(data));
            data.clear();
        } else if (line.rfind("data:", 0) == 0) {
            std::string value = line.substr(5);
            if (!value.empty() && value[0] == ' ') value.erase(0, 1);
            data += value;
        }
    }
    if (!data.empty()) messages.push_back(Json::parse(data));
    return messages;
}

Json modern_http_meta(Json extra) {
    Json meta = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                 {"io.modelcontextprotocol/clientCapabilities", Json::object()},
                 {"io.modelcontextprotocol/clientInfo", {{"name", "http-test"}, {"version", "1"}}}};
    meta.update(extra);
    return meta;
}

McpHttpClient::McpHttpClient(const HttpServerProcess& server, std::string key)
    : McpHttpClient(server.base(), server.url().substr(server.base().size()), std::move(key)) {}

McpHttpClient::McpHttpClient(std::string base, std::string path, std::string key)
    : base_(base),
      path_(std::move(path)),
      client_(std::make_unique<httplib::Client>(base)),
      key_(std::move(key)) {
    set_timeout(std::chrono::seconds(60 * kSlowdown));
}

void McpHttpClient::set_timeout(std::chrono::seconds timeout) {
    client_->set_read_timeout(timeout);
    client_->set_write_timeout(timeout);
    client_->set_connection_timeout(std::chrono::seconds(5));
}

HttpReply McpHttpClient::send(const std::string& method, const std::string& path,
                              const std::string& body, httplib::Headers headers) {
    if (!key_.empty() && !headers.count("Authorization")) {
        headers.emplace("Authorization", "Bearer " + key_);
    }
    if (!headers.count("Accept")) headers.emplace("Accept", accept_);
    httplib::Result result =
        method == "POST"
            ? client_->Post(path, headers, body,
                            headers.count("Content-Type") ? headers.find("Content-Type")->second
                                                          : std::string("application/json"))
        : method == "GET"    ? client_->Get(path, headers)
        : method == "DELETE" ? client_->Delete(path, headers)
                             : client_->Options(path, headers);
    if (!result) {
        throw std::runtime_error(method + " " + path +
                                 " failed: " + httplib::to_string(result.error()));
    }
    HttpReply reply;
    reply.status = result->status;
    reply.headers = result->headers;
    reply.body = result->body;
    const auto type = reply.content_type();
    if (type.rfind("text/event-stream", 0) == 0) {
        reply.messages = parse_sse_messages(reply.body);
    } else if (type.rfind("application/json", 0) == 0 && !reply.body.empty()) {
        reply.messages.push_back(Json::parse(reply.body));
    }
    return reply;
}

HttpReply McpHttpClient::post_text(const std::string& body, httplib::Headers headers) {
    return send("POST", path_, body, std::move(headers));
}

HttpReply McpHttpClient::post(const Json& message, httplib::Headers headers) {
    return post_text(message.dump(), std::move(headers));
}

HttpReply McpHttpClient::get(const std::string& path, httplib::Headers headers) {
    return send("GET", path, "", std::move(headers));
}

HttpReply McpHttpClient::del(httplib::Headers headers) {
    return send("DELETE", path_, "", std::move(headers));
}

HttpReply McpHttpClient::options(httplib::Headers headers) {
    return send("OPTIONS", path_, "", std::move(headers));
}

HttpReply McpHttpClient::modern(const std::string& method, Json params,
                                httplib::Headers extra_headers) {
    if (!params.contains("_meta")) params["_meta"] = modern_http_meta();
    httplib::Headers headers = {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", method}};
    // Mcp-Name repeats params.name (tools/call, prompts/get), params.uri (resources/read) or
    // params.taskId (tasks/*).
    for (const char* field : {"name", "uri", "taskId"}) {
        if (params.contains(field) && params[field].is_string()) {
            headers.emplace("Mcp-Name", params[field].get<std::string>());
            break;
        }
    }
    for (const auto& header : extra_headers) headers.erase(header.first);
    headers.insert(extra_headers.begin(), extra_headers.end());
    return post({{"jsonrpc", "2.0"}, {"id", next_id()}, {"method", method}, {"params", params}},
                headers);
}

HttpReply McpHttpClient::modern_tool(const std::string& name, Json arguments, Json extra_meta) {
    return modern(
        "tools/call",
        {{"name", name}, {"arguments", arguments}, {"_meta", modern_http_meta(extra_meta)}});
}

HttpReply McpHttpClient::initialize(const std::string& version, Json capabilities) {
    version_ = version;
    auto reply = post({{"jsonrpc", "2.0"},
                       {"id", next_id()},
                       {"method", "initialize"},
                       {"params",
                        {{"protocolVersion", version},
                         {"capabilities", std::move(capabilities)},
                         {"clientInfo", {{"name", "http-test"}, {"version", "1"}}}}}});
    if (!reply.header("Mcp-Session-Id").empty()) session_id_ = reply.header("Mcp-Session-Id");
    return reply;
}

httplib::Headers McpHttpClient::legacy_headers() const {
    httplib::Headers headers = {{"MCP-Protocol-Version", version_}};
    if (session_id_) headers.emplace("Mcp-Session-Id", *session_id_);
    return headers;
}

HttpReply McpHttpClient::legacy(const std::string& method, Json params,
                                httplib::Headers extra_headers) {
    auto headers = legacy_headers();
    for (const auto& header : extra_headers) headers.erase(header.first);
    headers.insert(extra_headers.begin(), extra_headers.end());
    return post({{"jsonrpc", "2.0"}, {"id", next_id()}, {"method", method}, {"params", params}},
                headers);
}

HttpReply McpHttpClient::legacy_answering(const std::string& method, Json params,
                                          const std::function<Json(const Json&)>& answer) {
    httplib::Request request;
    request.method = "POST";
    request.path = path_;
    request.headers = legacy_headers();
    if (!key_.empty()) request.headers.emplace("Authorization", "Bearer " + key_);
    request.headers.emplace("Accept", accept_);
    request.headers.emplace("Content-Type", "application/json");
    request.body =
        Json{{"jsonrpc", "2.0"}, {"id", next_id()}, {"method", method}, {"params", params}}.dump();
    // The stream is read as it comes: a request from the server is answered at once, on a
    // connection of its own, or the server would wait for an answer the stream never gets.
    std::string received;
    std::size_t read_up_to = 0;
    request.content_receiver = [&](const char* data, std::size_t length, std::uint64_t,
                                   std::uint64_t) {
        received.append(data, length);
        for (auto end = received.find("\n\n", read_up_to); end != std::string::npos;
             end = received.find("\n\n", read_up_to)) {
            const auto event = received.substr(read_up_to, end + 2 - read_up_to);
            read_up_to = end + 2;
            for (const auto& message : parse_sse_messages(event)) {
                if (!message.contains("method") || !message.contains("id")) continue;
                McpHttpClient responder(base_, path_, key_);
                responder.set_session_id(session_id_);
                responder.version_ = version_;
                responder.post(
                    {{"jsonrpc", "2.0"}, {"id", message["id"]}, {"result", answer(message)}},
                    legacy_headers());
            }
        }
        return true;
    };
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    if (!client_->send(request, response, error)) {
        throw std::runtime_error("POST " + path_ + " failed: " + httplib::to_string(error));
    }
    HttpReply reply;
    reply.status = response.status;
    reply.headers = response.headers;
    reply.body = received.empty() ? response.body : received;
    if (reply.content_type().rfind("text/event-stream", 0) == 0) {
        reply.messages = parse_sse_messages(reply.body);
    } else if (!reply.body.empty()) {
        reply.messages.push_back(Json::parse(reply.body));
    }
    return reply;
}

HttpReply McpHttpClient::legacy_notify(const std::string& method, Json params) {
    return post({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}}, legacy_headers());
}

RawConnection::RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
}

RawConnection::~RawConnection() { close(); }

void RawConnection::send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send failed");
        done += static_cast<std::size_t>(n);
    }
}

bool RawConnection::try_send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd fd{fd_, POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return true;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

std::optional<std::string> RawConnection::read_until(const std::string& marker,
                                                     std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto at = buffer_.find(marker); at != std::string::npos) {
            std::string head = buffer_.substr(0, at + marker.size());
            buffer_.erase(0, at + marker.size());
            return head;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd fd{fd_, POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return std::nullopt;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

void RawConnection::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::string raw_post(const std::string& path, const std::string& body,
                     const std::map<std::string, std::string>& headers) {
    std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return request;
}

}  // namespace rdmcp::testing
