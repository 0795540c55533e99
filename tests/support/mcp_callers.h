#pragma once
// One behaviour, every way in: the same calls made over stdio and Streamable HTTP, in the
// 2026-07-28 form (_meta on every request) and the 2025-11-25 form (initialize first), so a test
// states a behaviour once and checks it four times.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/mcp_http_client.h"
#include "tests/support/mcp_stdio_client.h"
#include "tests/support/simulated_api.h"

namespace rdmcp::testing {

class McpCaller {
  public:
    virtual ~McpCaller() = default;
    // "stdio 2026-07-28", "http 2025-11-25", ...
    virtual std::string name() const = 0;
    virtual bool modern() const = 0;
    // The JSON-RPC response to `method` (the 2026-07-28 _meta is added unless params has one).
    virtual Json request(const std::string& method, Json params = Json::object()) = 0;
    // The HTTP status of the last request (0 over stdio).
    virtual int last_http_status() const { return 0; }
    // The result of a tools/call (fails the test on a JSON-RPC error).
    Json call_tool(const std::string& tool, Json arguments);
};

// The four ways in to a server whose upstream is `api`, each with `key`; `env` adds to the
// server's environment (RD_CONFIRM_ABOVE = "" for the transport's own default, say).
std::vector<std::unique_ptr<McpCaller>> every_way_in(const SimulatedApi& api,
                                                     const std::string& key = kTestKey,
                                                     std::vector<std::string> args = {},
                                                     std::map<std::string, std::string> env = {});

// The server's arguments to call the API's v2 (every_way_in's `args`).
inline const std::vector<std::string> kV2 = {"--api-version", "v2"};

// Polls get_inference_job until the job is done (100 looks, 50 ms apart); its last result.
Json images_of_job(McpCaller& caller, const std::string& job_id);

}  // namespace rdmcp::testing
