#pragma once
// Sessions of legacy (2025-11-25 and earlier) HTTP clients: what `initialize` negotiated, the
// requests in flight (for notifications/cancelled) and the key that opened the session.
//  - ids are 256 random bits from OpenSSL, base64url: unguessable, never derived from the key;
//  - only a SHA-256 of the opening key is kept, compared in constant time: a session is found
//    only by the caller holding the key that opened it (anyone else gets "not found");
//  - a session nobody used for the idle timeout expires;
//  - a session opened without a key may have one bound by the authenticate tool; it is held in
//    memory with the session and goes with it (logout, DELETE, expiry);
//  - a key (the absent key is one too) and a client address each hold at most their quota, and
//    the store at most max_sessions. Making room never crosses callers: only the opener's own
//    least recently used idle session goes (one from the same address first); when it has none
//    to give up, the new session is refused, so no caller can log another out by opening many.
//    A busy (leased) session never goes.
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "protocol/client_requests.h"
#include "protocol/in_flight.h"
#include "protocol/key_holder.h"
#include "protocol/session.h"

namespace rdmcp::server {

using KeyHash = std::array<unsigned char, 32>;
KeyHash hash_key(std::string_view api_key);

class HttpSession {
  public:
    HttpSession(std::string id, KeyHash key_hash, std::string address = {})
        : id_(std::move(id)), key_hash_(key_hash), address_(std::move(address)) {}

    const std::string& id() const { return id_; }
    bool belongs_to(const KeyHash& key_hash) const;

    protocol::LegacySession& legacy() { return legacy_; }
    protocol::InFlightRequests& in_flight() { return in_flight_; }
    // Our requests to this session's client (elicitation/create), answered by its POSTed
    // responses; every waiter is cancelled when the session closes.
    protocol::ClientRequests& client_requests() { return client_requests_; }
    // The key authenticate binds to this session. Only requests without an Authorization header
    // use it, and only a session opened without a key is found by those (see find), so a key
    // bound here serves the client holding this session's id and no other caller.
    const std::shared_ptr<protocol::KeyHolder>& key_holder() const { return key_holder_; }

    // Ended by DELETE, expiry or shutdown: its streams close, its requests are cancelled, and so
    // are its questions to the client.
    bool closed() const { return closed_.load(std::memory_order_acquire); }
    void close(const std::string& reason);

    // One standalone GET stream at a time.
    bool claim_stream() { return !stream_open_.exchange(true); }
    void release_stream() { stream_open_.store(false); }

  private:
    friend class SessionStore;
    const std::string id_;
    const KeyHash key_hash_;
    const std::string address_;  // the client address that opened it, for its quota
    protocol::LegacySession legacy_;
    protocol::InFlightRequests in_flight_;
    protocol::ClientRequests client_requests_;
    const std::shared_ptr<protocol::KeyHolder> key_holder_ =
        std::make_shared<protocol::KeyHolder>(protocol::KeyHolder::Scope::Session);
    std::atomic<bool> closed_{false};
    std::atomic<bool> stream_open_{false};
    // Guarded by the store's mutex.
    int users_ = 0;
    std::chrono::steady_clock::time_point last_used_;
};

struct SessionLimits {
    std::size_t max_sessions = 10000;
    std::size_t per_key = 100;      // sessions one key may hold; 0: no quota
    std::size_t per_client = 1000;  // sessions one client address may hold; 0: no quota
    std::chrono::seconds idle_timeout{30 * 60};
};

// Who opens a session: the key it brought (empty when none) and where it came from.
struct SessionOpener {
    std::string_view api_key;
    std::string_view address;
};

// Why no session was opened: the opener's own quota is full of busy sessions (a 429), or the
// store is full and none of its sessions is the opener's to give up (a 503).
struct OpenRefused {
    enum class Reason { KeyQuota, ClientQuota, StoreFull };
    Reason reason;
    std::size_t limit;
};

class SessionStore {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit SessionStore(
        SessionLimits limits, Clock clock = [] { return std::chrono::steady_clock::now(); });

    // While a lease is held the session is in use: it neither expires nor is evicted. Its idle
    // time starts when the last lease goes.
    class Lease {
      public:
        Lease(SessionStore* store, std::shared_ptr<HttpSession> session);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        HttpSession& operator*() const { return *session_; }
        HttpSession* operator->() const { return session_.get(); }
        const std::shared_ptr<HttpSession>& session() const { return session_; }

      private:
        SessionStore* store_;
        std::shared_ptr<HttpSession> session_;
    };

    // A new session with the legacy handshake's outcome, leased to the caller, or why not.
    std::variant<std::shared_ptr<Lease>, OpenRefused> open(const SessionOpener& opener,
                                                           protocol::LegacySession::State state);

    // The session with this id, if it exists, has not expired and was opened with this key.
    std::shared_ptr<Lease> find(std::string_view id, std::string_view api_key);

    // DELETE: false when there is no such session for this key.
    bool close(std::string_view id, std::string_view api_key);

    void close_all(const std::string& reason);
    std::size_t size() const;

  private:
    void release(HttpSession& session);
    bool expired(const HttpSession& session, std::chrono::steady_clock::time_point now) const;
    void sweep(std::chrono::steady_clock::time_point now);  // mutex held
    // Expires one of the opener's idle sessions if a limit is reached; mutex held.
    std::optional<OpenRefused> make_room(const HttpSession& newcomer, bool keyless);

    const SessionLimits limits_;
    const Clock clock_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<HttpSession>> sessions_;
    std::chrono::steady_clock::time_point last_sweep_{};
};

// 256 bits from a cryptographically secure generator, base64url without padding (43 chars).
std::string new_session_id();

}  // namespace rdmcp::server
