#include "server/http/sessions.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

namespace rdmcp::server {

namespace {
// Opening a session sweeps everything; a lookup sweeps at most this often.
constexpr std::chrono::seconds kSweepInterval{5};
}  // namespace

KeyHash hash_key(std::string_view api_key) {
    KeyHash hash{};
    SHA256(reinterpret_cast<const unsigned char*>(api_key.data()), api_key.size(), hash.data());
    return hash;
}

std::string new_session_id() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        throw std::runtime_error("the system's random generator failed; no session was opened");
    }
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string id;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            id += kAlphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) id += kAlphabet[(buffer << (6 - bits)) & 0x3f];
    return id;
}

bool HttpSession::belongs_to(const KeyHash& key_hash) const {
    return CRYPTO_memcmp(key_hash_.data(), key_hash.data(), key_hash_.size()) == 0;
}

void HttpSession::close(const std::string& reason) {
    if (closed_.exchange(true, std::memory_order_acq_rel)) return;
    in_flight_.cancel_all(reason);
}

SessionStore::Lease::Lease(SessionStore* store, std::shared_ptr<HttpSession> session)
    : store_(store), session_(std::move(session)) {}

SessionStore::Lease::~Lease() { store_->release(*session_); }

SessionStore::SessionStore(std::size_t max_sessions, std::chrono::seconds idle_timeout, Clock clock)
    : max_sessions_(max_sessions ? max_sessions : 1),
      idle_timeout_(idle_timeout),
      clock_(std::move(clock)) {}

bool SessionStore::expired(const HttpSession& session,
                           std::chrono::steady_clock::time_point now) const {
    return session.users_ == 0 && now - session.last_used_ >= idle_timeout_;
}

void SessionStore::sweep(std::chrono::steady_clock::time_point now) {
    last_sweep_ = now;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (expired(*it->second, now)) {
            it->second->close("the session expired");
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
}

bool SessionStore::evict_least_recently_used() {
    auto oldest = sessions_.end();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        if (it->second->users_ > 0) continue;
        if (oldest == sessions_.end() || it->second->last_used_ < oldest->second->last_used_) {
            oldest = it;
        }
    }
    if (oldest == sessions_.end()) return false;
    oldest->second->close("the session was expired to make room for a new one");
    sessions_.erase(oldest);
    return true;
}

std::shared_ptr<SessionStore::Lease> SessionStore::open(std::string_view api_key,
                                                        protocol::LegacySession::State state) {
    auto session = std::make_shared<HttpSession>(new_session_id(), hash_key(api_key));
    session->legacy().initialize(std::move(state));
    {
        std::lock_guard lock(mutex_);
        const auto now = clock_();
        sweep(now);
        if (sessions_.size() >= max_sessions_ && !evict_least_recently_used()) return nullptr;
        session->users_ = 1;
        session->last_used_ = now;
        sessions_.emplace(session->id(), session);
    }
    return std::make_shared<Lease>(this, std::move(session));
}

std::shared_ptr<SessionStore::Lease> SessionStore::find(std::string_view id,
                                                        std::string_view api_key) {
    const KeyHash key_hash = hash_key(api_key);
    std::shared_ptr<HttpSession> session;
    {
        std::lock_guard lock(mutex_);
        const auto now = clock_();
        if (now - last_sweep_ >= kSweepInterval) sweep(now);
        auto it = sessions_.find(std::string(id));
        if (it == sessions_.end()) return nullptr;
        if (expired(*it->second, now)) {
            it->second->close("the session expired");
            sessions_.erase(it);
            return nullptr;
        }
        // Another key's session is indistinguishable from no session at all.
        if (!it->second->belongs_to(key_hash)) return nullptr;
        session = it->second;
        ++session->users_;
        session->last_used_ = now;
    }
    return std::make_shared<Lease>(this, std::move(session));
}

bool SessionStore::close(std::string_view id, std::string_view api_key) {
    const KeyHash key_hash = hash_key(api_key);
    std::shared_ptr<HttpSession> session;
    {
        std::lock_guard lock(mutex_);
        auto it = sessions_.find(std::string(id));
        if (it == sessions_.end() || !it->second->belongs_to(key_hash)) return false;
        session = it->second;
        sessions_.erase(it);
    }
    session->close("the client ended the session");
    return true;
}

void SessionStore::close_all(const std::string& reason) {
    std::vector<std::shared_ptr<HttpSession>> sessions;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, session] : sessions_) sessions.push_back(session);
        sessions_.clear();
    }
    for (auto& session : sessions) session->close(reason);
}

std::size_t SessionStore::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void SessionStore::release(HttpSession& session) {
    std::lock_guard lock(mutex_);
    --session.users_;
    session.last_used_ = clock_();
}

}  // namespace rdmcp::server
