#include "tests/support/mcp_callers.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

namespace rdmcp::testing {

namespace {

class StdioCaller final : public McpCaller {
  public:
    StdioCaller(const SimulatedApi& api, const std::string& key, std::vector<std::string> args,
                std::map<std::string, std::string> env, bool modern)
        : client_(std::move(args),
                  [&] {
                      env["RD_API_BASE_URL"] = api.url();
                      env["RD_API_KEY"] = key;
                      return env;
                  }()),
          modern_(modern) {
        if (!modern_) client_.initialize();
    }
    std::string name() const override { return modern_ ? "stdio 2026-07-28" : "stdio 2025-11-25"; }
    bool modern() const override { return modern_; }
    Json request(const std::string& method, Json params) override {
        if (modern_ && !params.contains("_meta")) params["_meta"] = modern_meta();
        return client_.request(method, std::move(params));
    }

  private:
    McpStdioClient client_;
    bool modern_;
};

class HttpCaller final : public McpCaller {
  public:
    HttpCaller(const SimulatedApi& api, const std::string& key, std::vector<std::string> args,
               std::map<std::string, std::string> env, bool modern)
        : server_(std::move(args),
                  [&] {
                      env["RD_API_BASE_URL"] = api.url();
                      return env;
                  }()),
          client_(server_, key),
          modern_(modern) {
        if (!modern_) REQUIRE(client_.initialize().status == 200);
    }
    std::string name() const override { return modern_ ? "http 2026-07-28" : "http 2025-11-25"; }
    bool modern() const override { return modern_; }
    Json request(const std::string& method, Json params) override {
        last_ = modern_ ? client_.modern(method, std::move(params))
                        : client_.legacy(method, std::move(params));
        return last_.response();
    }
    int last_http_status() const override { return last_.status; }

  private:
    HttpServerProcess server_;
    McpHttpClient client_;
    bool modern_;
    HttpReply last_;
};

}  // namespace

Json McpCaller::call_tool(const std::string& tool, Json arguments) {
    auto reply = request("tools/call", {{"name", tool}, {"arguments", std::move(arguments)}});
    const std::string where = name() + ": " + reply.dump();
    REQUIRE_MESSAGE(reply.contains("result"), where);
    return reply["result"];
}

std::vector<std::unique_ptr<McpCaller>> every_way_in(const SimulatedApi& api,
                                                     const std::string& key,
                                                     std::vector<std::string> args,
                                                     std::map<std::string, std::string> env) {
    std::vector<std::unique_ptr<McpCaller>> callers;
    for (bool modern : {true, false}) {
        callers.push_back(std::make_unique<StdioCaller>(api, key, args, env, modern));
        callers.push_back(std::make_unique<HttpCaller>(api, key, args, env, modern));
    }
    return callers;
}

Json images_of_job(McpCaller& caller, const std::string& job_id) {
    Json result;
    for (int i = 0; i < 100; ++i) {
        result = caller.call_tool("get_inference_job", {{"job_id", job_id}});
        if (result["structuredContent"]["done"] == true) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return result;
}

}  // namespace rdmcp::testing
