#pragma once
// The one way out to the RetroDiffusion API: HTTPS with certificate verification, the caller's
// key as X-RD-Token on each request (never stored here), connect and read timeouts, reused
// keep-alive connections, and every failure normalised into an UpstreamError.
// Paid POSTs are never retried (a retry could charge twice), unless the API promises to charge
// once (submit: v2's Idempotency-Key); idempotent GETs are retried once when the API's error
// catalog says it may help (tools/read_retry.h).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/cancellation.h"
#include "protocol/json_rpc.h"
#include "tools/api_version.h"
#include "tools/upstream_error.h"

namespace rdmcp::protocol {
struct RequestContext;
}

namespace rdmcp::tools {

// What a call needs from the request it serves, and nothing more: whose key it spends, what
// cancels it, and the id its log lines carry. Made from a tool's RequestContext in place.
struct UpstreamCaller {
    UpstreamCaller(const protocol::RequestContext& context);  // NOLINT: implicit on purpose
    UpstreamCaller(const std::string& api_key, protocol::CancellationToken* cancellation,
                   const std::string& log_id)
        : api_key(api_key), cancellation(cancellation), log_id(log_id) {}

    const std::string& api_key;
    protocol::CancellationToken* cancellation;  // null: nothing cancels it
    const std::string& log_id;

    bool is_cancelled() const { return cancellation && cancellation->is_cancelled(); }
};

struct UpstreamConfig {
    std::string base_url = "https://api.retrodiffusion.ai";
    std::chrono::seconds connect_timeout{10};
    // The whole answer must arrive within this time (generations can take minutes); a
    // stalled or trickling answer is cut off when it runs out.
    std::chrono::seconds read_timeout{300};
    std::string ca_file;  // trust this CA bundle instead of the system's (tests, private gateways)
    std::size_t max_idle_connections = 16;
    // A larger answer is refused rather than held in memory (real ones are a few MB).
    std::size_t max_response_bytes = 128u << 20;
    std::string user_agent = "retrodiffusion-mcp";  // the server's name/version, set by main
    ApiVersion api_version = ApiVersion::V2;        // put in front of every path
    // Told of every failed call (after its one retry, key redacted), with the log id of the
    // request it served: the server logs it. The tools layer has no logger of its own.
    std::function<void(const std::string& log_id, const UpstreamError& error)> on_failure;
};

// A paid submission the API charges once however often it is sent (v2: POST /inferences with
// an Idempotency-Key). Its answer can therefore be asked for again when it is lost: a broken
// connection, a timeout, 502/503/504, or 429.
struct IdempotentSubmission {
    std::string key;  // the same for every attempt of this submission (new_idempotency_key)
    // Sent as the Idempotency-Key header; false where the API takes the key in the body instead
    // (edit tasks: `custom_id`) and asks for no header.
    bool key_in_header = true;
    // Admission answers at once (the work is done later, as a task): an answer this late is lost.
    std::chrono::seconds answer_timeout{30};
    int max_attempts = 4;
    // Between attempts: 1 s, then doubling; a 429's Retry-After when it says longer (at most this).
    std::chrono::seconds first_backoff{1};
    std::chrono::seconds longest_wait{30};
};

struct UpstreamResult {
    int status = 0;
    protocol::Json body;  // the parsed JSON answer when the call succeeded
    std::optional<UpstreamError> error;

    int attempts = 1;        // how often it was sent (an idempotent submission may be sent again)
    std::string request_id;  // the API Activity entry of a successful call, when the API named it

    bool ok() const { return !error.has_value(); }
};

class ConnectionPool;

class UpstreamClient {
  public:
    explicit UpstreamClient(UpstreamConfig config);
    ~UpstreamClient();
    UpstreamClient(const UpstreamClient&) = delete;
    UpstreamClient& operator=(const UpstreamClient&) = delete;

    UpstreamResult get(const std::string& path, const UpstreamCaller& caller) const;
    // The same for an endpoint that may answer a JSON list rather than an object (v1's GET
    // /styles/selector); `body` is then the list.
    UpstreamResult get_list_or_object(const std::string& path, const UpstreamCaller& caller) const;
    // A public endpoint (GET /status, GET /edit/tools): asked without the caller's key, which it
    // does not need. Its answer may be a JSON list as well as an object.
    UpstreamResult get_public(const std::string& path, const UpstreamCaller& caller) const;
    UpstreamResult post(const std::string& path, const protocol::Json& body,
                        const UpstreamCaller& caller) const;
    // The same, with more members of the body in `appended` (an object; images): its strings
    // are sent from where they are, never copied, so it must stay alive for the call.
    UpstreamResult post(const std::string& path, const protocol::Json& body,
                        const protocol::Json& appended, const UpstreamCaller& caller) const;
    // Sends `submission`'s Idempotency-Key with the POST and sends it again, with the same key,
    // while its answer is lost (see IdempotentSubmission), up to max_attempts in all.
    UpstreamResult submit(const std::string& path, const protocol::Json& body,
                          const protocol::Json& appended, const IdempotentSubmission& submission,
                          const UpstreamCaller& caller) const;
    UpstreamResult patch(const std::string& path, const protocol::Json& body,
                         const UpstreamCaller& caller) const;
    UpstreamResult del(const std::string& path, const UpstreamCaller& caller) const;

    const UpstreamConfig& config() const { return config_; }

    // Checks a base URL ("https://host[:port][/prefix]"); an error says what is wrong with it.
    static std::optional<std::string> validate_base_url(const std::string& url);

  private:
    struct Call;
    UpstreamResult send(const Call& call, const UpstreamCaller& caller) const;
    UpstreamResult finish(UpstreamResult result, const Call& call,
                          const UpstreamCaller& caller) const;
    UpstreamResult send_once(const Call& call, const UpstreamCaller& caller) const;

    UpstreamConfig config_;
    std::string origin_;       // scheme://host:port
    std::string path_prefix_;  // "" or "/prefix"
    std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace rdmcp::tools
