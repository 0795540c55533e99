#pragma once
// Asking the human to confirm a spend, and trusting the answer only for the call it was given for.
//
// MCP 2026-07-28 asks through MRTR: the call is answered `input_required` with an
// elicitation/create request and a requestState; the client asks its user and calls again with
// the answer and that state. The state is attacker-controlled input (the spec's words), so it is
// a signed token binding the confirmation to this tool, a digest of exactly these arguments, this
// price and this caller's key, for ten minutes; a state another key presents, altered, expired,
// or already used does not verify. The MAC key mixes the server secret (--job-secret, shared by
// replicas, so any replica can verify it) with the caller's key; without a configured secret a
// random one made at start stands in, so a client holding the API key still cannot forge one.
// A state is spent when its call goes ahead: presented again to this process it is refused.
//
// MCP 2025-11-25 asks with an elicitation/create request in the middle of the call (the
// transport carries it, see protocol/client_requests.h), so nothing needs to be signed.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

// The key of our confirmation in inputRequests / inputResponses.
inline constexpr const char* kConfirmSpendKey = "confirm_spend";
inline constexpr std::chrono::minutes kConfirmationLifetime{10};

// Whether the client declared form-mode elicitation in these capabilities (an empty
// `elicitation` object means form mode).
bool can_elicit_form(const protocol::Json& client_capabilities);

// The elicitation/create params asking the human to approve `message`'s spend of `price_usd`.
protocol::Json confirmation_request(const std::string& message, double price_usd);

// How the human answered an elicitation/create (an ElicitResult).
enum class HumanAnswer { Approved, Declined, Cancelled, Unreadable };
HumanAnswer read_human_answer(const protocol::Json& elicit_result);

class ConfirmationSigner {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    // An empty secret: a random one for this process.
    explicit ConfirmationSigner(std::string server_secret, Clock clock = {});

    // The requestState for confirming `tool` with `arguments` at `price_usd`, for this key.
    std::string sign(const std::string& tool, const protocol::Json& arguments, double price_usd,
                     const std::string& api_key);

    struct Confirmed {
        double price_usd = 0;
        std::string nonce;  // unique to this confirmation
    };
    // The confirmation in `state` when it was made for exactly this call; else why it does not
    // hold, in words for the agent.
    std::variant<Confirmed, std::string> verify(const std::string& state, const std::string& tool,
                                                const protocol::Json& arguments,
                                                const std::string& api_key);
    // Marks it used; false when it already was (a replay).
    bool spend(const Confirmed& confirmed);

  private:
    std::string mac_key(const std::string& api_key) const;
    long long now_ms() const;

    std::string secret_;
    Clock clock_;
    std::mutex mutex_;
    // Spent nonces until they would have expired anyway; bounded by what was confirmed.
    std::unordered_map<std::string, long long> spent_;
};

}  // namespace rdmcp::tools
