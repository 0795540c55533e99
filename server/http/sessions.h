#pragma once
// Sessions of legacy (2025-11-25 and earlier) HTTP clients: what `initialize` negotiated, the
// requests in flight (for notifications/cancelled) and the key that opened the session.
//  - ids are 256 random bits from OpenSSL, base64url: unguessable, never derived from the key;
//  - only a SHA-256 of the opening key is kept, compared in constant time: a session is found
//    only by the caller holding the key that opened it (anyone else gets "not found");
//  - a session nobody used for the idle timeout expires; at the cap, opening a new one expires
//    the least recently used idle session (a busy one never goes).
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

#include "protocol/in_flight.h"
#include "protocol/session.h"

namespace rdmcp::server {

using KeyHash = std::array<unsigned char, 32>;
KeyHash hash_key(std::string_view api_key);

class HttpSession {
  public:
    HttpSession(std::string id, KeyHash key_hash) : id_(std::move(id)), key_hash_(key_hash) {}

    const std::string& id() const { return id_; }
    bool belongs_to(const KeyHash& key_hash) const;

    protocol::LegacySession& legacy() { return legacy_; }
    protocol::InFlightRequests& in_flight() { return in_flight_; }

    // Ended by DELETE, expiry or shutdown: its streams close, its requests are cancelled.
    bool closed() const { return closed_.load(std::memory_order_acquire); }
    void close(const std::string& reason);

    // One standalone GET stream at a time.
    bool claim_stream() { return !stream_open_.exchange(true); }
    void release_stream() { stream_open_.store(false); }

  private:
    friend class SessionStore;
    const std::string id_;
    const KeyHash key_hash_;
    protocol::LegacySession legacy_;
    protocol::InFlightRequests in_flight_;
    std::atomic<bool> closed_{false};
    std::atomic<bool> stream_open_{false};
    // Guarded by the store's mutex.
    int users_ = 0;
    std::chrono::steady_clock::time_point last_used_;
};

class SessionStore {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    SessionStore(
        std::size_t max_sessions, std::chrono::seconds idle_timeout,
        Clock clock = [] { return std::chrono::steady_clock::now(); });

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

    // A new session with the legacy handshake's outcome, leased to the caller; nothing when
    // every session is in use and the store is full.
    std::shared_ptr<Lease> open(std::string_view api_key, protocol::LegacySession::State state);

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
    bool evict_least_recently_used();                       // mutex held

    const std::size_t max_sessions_;
    const std::chrono::seconds idle_timeout_;
    const Clock clock_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<HttpSession>> sessions_;
    std::chrono::steady_clock::time_point last_sweep_{};
};

// 256 bits from a cryptographically secure generator, base64url without padding (43 chars).
std::string new_session_id();

}  // namespace rdmcp::server
