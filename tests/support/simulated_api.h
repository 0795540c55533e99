#pragma once
// The simulated RetroDiffusion API (tests/sim) as a running process, with its control
// endpoints: what it received, its balances, injected failures, latency.
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace rdmcp::testing {

using Json = nlohmann::json;

inline constexpr const char* kTestKey = "rdpk-test-key-1";        // balance 100
inline constexpr const char* kSecondTestKey = "rdpk-test-key-2";  // balance 5

class SimulatedApi {
  public:
    explicit SimulatedApi(std::vector<std::string> extra_args = {});

    const std::string& url() const { return url_; }

    Json requests();  // every public request so far: {method, path, token, body, headers}
    std::vector<Json> requests_to(const std::string& method, const std::string& path);
    void clear_requests();
    void configure(const Json& settings);  // {"latency_ms": N, "async_duration_ms": N}
    void fail_next(
        const Json& failure);  // {"path_prefix","status","body"|"raw","retry_after","count"}
    void clear_faults();       // the faults fail_next set that are still pending
    // A fault that strikes after the request was handled (admitted, charged, recorded): the
    // client loses the answer. {"path_prefix", "status", "raw"|"body", "delay_ms"} as
    // fail_next, or {"reset": true} to close the connection without any answer.
    void fail_after_admission(Json failure);
    void advance_clock(long long seconds);  // tasks finish, 24 h outputs and 30 day activity expire
    Json ledger();

  private:
    Json control(const std::string& method, const std::string& path, const Json& body = nullptr);

    ChildProcess process_;
    std::string url_;
};

// The environment of a server under test whose upstream is `api`, with `key` as its API key (none
// when empty, as for an HTTP server, whose clients send theirs).
inline std::map<std::string, std::string> env_for(const SimulatedApi& api,
                                                  const std::string& key = "") {
    std::map<std::string, std::string> env = {{"RD_API_BASE_URL", api.url()}};
    if (!key.empty()) env["RD_API_KEY"] = key;
    return env;
}

// The same without a key, logging at debug level: the most a log ever says.
inline std::map<std::string, std::string> debug_env_for(const SimulatedApi& api) {
    auto env = env_for(api);
    env["RD_MCP_LOG_LEVEL"] = "debug";
    return env;
}

}  // namespace rdmcp::testing
