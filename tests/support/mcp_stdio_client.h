#pragma once
// Our binary over stdio, driven like an agent drives it: JSON-RPC lines in, lines out.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace rdmcp::testing {

using Json = nlohmann::json;

class McpStdioClient {
  public:
    // Launches the server with `args` and exactly the environment given.
    McpStdioClient(std::vector<std::string> args, std::map<std::string, std::string> env);

    // Sends a request and waits for its answer; notifications seen meanwhile are kept.
    Json request(const std::string& method, Json params = Json::object(),
                 std::chrono::milliseconds timeout = std::chrono::seconds(20));
    Json send_and_wait(const Json& message, const Json& id,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Waits for the answer to a request sent earlier with send_raw.
    Json wait_for(const Json& id, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    void notify(const std::string& method, Json params = Json::object());
    void send_raw(const std::string& line) { process_.write_line(line); }
    std::optional<Json> next_message(std::chrono::milliseconds timeout);

    // The legacy handshake (2025-11-25 unless told otherwise), declaring `capabilities`.
    Json initialize(const std::string& version = "2025-11-25", Json capabilities = Json::object());
    // Answers the requests the server sends while we wait (elicitation/create): the result
    // returned, or a JSON-RPC error when it throws. Without it they get "method not found".
    void on_server_request(std::function<Json(const Json& request)> answer) {
        answer_server_request_ = std::move(answer);
    }
    std::vector<Json>& server_requests() { return server_requests_; }
    // A tools/call in the 2026-07-28 form, with _meta.
    Json call_tool_modern(const std::string& name, Json arguments,
                          Json extra_meta = Json::object());

    int next_id() { return ++last_id_; }
    std::vector<Json>& notifications() { return notifications_; }
    ChildProcess& process() { return process_; }

  private:
    void answer_server_request(const Json& request);

    ChildProcess process_;
    int last_id_ = 0;
    std::vector<Json> notifications_;
    std::vector<Json> early_responses_;
    std::function<Json(const Json&)> answer_server_request_;
    std::vector<Json> server_requests_;
};

Json modern_meta(Json extra = Json::object());

}  // namespace rdmcp::testing
