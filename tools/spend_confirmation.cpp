#include "tools/spend_confirmation.h"

#include <sys/random.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "tools/signed_token.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr std::string_view kPrefix = "rdconfirm1.";

// The kernel's CSPRNG (getrandom(2)), not OpenSSL's: the server secret is made at start-up,
// and instantiating OpenSSL's DRBG there cost 5.8 M instructions (a fifth of a cold start)
// for 32 bytes.
std::string random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    std::size_t filled = 0;
    while (filled < count) {
        const ssize_t got = getrandom(bytes.data() + filled, count - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("no random bytes from the kernel: ") +
                                     std::strerror(errno));
        }
        filled += static_cast<std::size_t>(got);
    }
    return bytes;
}

// Tenths of a cent, as an integer: prices compare exactly after a round trip through JSON.
long long mills(double usd) { return std::llround(usd * 1000.0); }

// A digest of exactly these arguments (object keys come out sorted, so order does not matter).
std::string arguments_digest(const Json& arguments) {
    return to_base64url(sha256(arguments.dump(-1, ' ', false, Json::error_handler_t::replace)));
}

}  // namespace

bool can_elicit_form(const Json& client_capabilities) {
    if (!client_capabilities.is_object()) return false;
    auto elicitation = client_capabilities.find("elicitation");
    if (elicitation == client_capabilities.end() || !elicitation->is_object()) return false;
    return elicitation->empty() || elicitation->contains("form");
}

Json confirmation_request(const std::string& message, double price_usd) {
    // No `mode`: form mode is the default, and clients of 2025-06-18 know no other.
    return {{"message", message},
            {"requestedSchema",
             {{"type", "object"},
              {"properties",
               {{"approve",
                 {{"type", "boolean"},
                  {"title", "Spend " + format_usd(price_usd) + " on this call"},
                  {"description", "Leave it on and submit to pay; decline to send nothing."},
                  {"default", true}}}}},
              {"required", {"approve"}}}}};
}

HumanAnswer read_human_answer(const Json& elicit_result) {
    if (!elicit_result.is_object()) return HumanAnswer::Unreadable;
    auto action = elicit_result.find("action");
    if (action == elicit_result.end() || !action->is_string()) return HumanAnswer::Unreadable;
    if (*action == "decline") return HumanAnswer::Declined;
    if (*action == "cancel") return HumanAnswer::Cancelled;
    if (*action != "accept") return HumanAnswer::Unreadable;
    // Accepted with the box unticked is a no.
    if (auto content = elicit_result.find("content"); content != elicit_result.end()) {
        if (content->is_object()) {
            if (auto approve = content->find("approve");
                approve != content->end() && approve->is_boolean() && !approve->get<bool>()) {
                return HumanAnswer::Declined;
            }
        }
    }
    return HumanAnswer::Approved;
}

ConfirmationSigner::ConfirmationSigner(std::string server_secret, Clock clock)
    : secret_(server_secret.empty() ? random_bytes(32) : std::move(server_secret)),
      clock_(clock ? std::move(clock) : [] { return std::chrono::system_clock::now(); }) {}

std::string ConfirmationSigner::mac_key(const std::string& api_key) const {
    return sha256("rdconfirm1" + std::string(1, '\0') + secret_ + '\0' + api_key);
}

long long ConfirmationSigner::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch())
        .count();
}

std::string ConfirmationSigner::sign(const std::string& tool, const Json& arguments,
                                     double price_usd, const std::string& api_key) {
    const Json payload = {
        {"t", tool},
        {"a", arguments_digest(arguments)},
        {"p", mills(price_usd)},
        {"x", now_ms() + std::chrono::milliseconds(kConfirmationLifetime).count()},
        {"n", to_base64url(random_bytes(16))}};
    return sign_token(kPrefix, payload.dump(), mac_key(api_key));
}

std::variant<ConfirmationSigner::Confirmed, std::string> ConfirmationSigner::verify(
    const std::string& state, const std::string& tool, const Json& arguments,
    const std::string& api_key) {
    auto text = open_token(state, kPrefix, mac_key(api_key));
    if (!text) {
        return std::string(
            "it was not made by this server for this API key (altered, forged, from another "
            "key, or from a server with another --job-secret)");
    }
    const Json payload = Json::parse(*text, nullptr, false);
    const bool well_formed =
        payload.is_object() && payload.value("t", Json()).is_string() &&
        payload.value("a", Json()).is_string() && payload.value("p", Json()).is_number_integer() &&
        payload.value("x", Json()).is_number_integer() && payload.value("n", Json()).is_string();
    if (!well_formed) return std::string("it is not a confirmation this server made");
    if (payload["t"] != tool) {
        return "it confirmed a call of " + payload["t"].get<std::string>() + ", not of " + tool;
    }
    if (payload["a"] != arguments_digest(arguments)) {
        return std::string("it confirmed other arguments than this call's");
    }
    if (payload["x"].get<long long>() < now_ms()) {
        return "it has expired (a confirmation holds for " +
               std::to_string(kConfirmationLifetime.count()) + " minutes)";
    }
    std::lock_guard lock(mutex_);
    if (spent_.count(payload["n"].get<std::string>())) {
        return std::string("it was already used for a call that went ahead");
    }
    return Confirmed{static_cast<double>(payload["p"].get<long long>()) / 1000.0,
                     payload["n"].get<std::string>()};
}

bool ConfirmationSigner::spend(const Confirmed& confirmed) {
    const long long now = now_ms();
    std::lock_guard lock(mutex_);
    for (auto it = spent_.begin(); it != spent_.end();) {
        it = it->second < now ? spent_.erase(it) : std::next(it);
    }
    const long long expires = now + std::chrono::milliseconds(kConfirmationLifetime).count();
    return spent_.emplace(confirmed.nonce, expires).second;
}

}  // namespace rdmcp::tools
