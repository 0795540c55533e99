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
    key_holder_->clear();  // an ended session's key is of no use to anyone
    in_flight_.cancel_all(reason);
    client_requests_.close();
}

SessionStore::Lease::Lease(SessionStore* store, std::shared_ptr<HttpSession> session)
    : store_(store), session_(std::move(session)) {}

SessionStore::Lease::~Lease() { store_->release(*session_); }

namespace {
SessionLimits normalised(SessionLimits limits) {
    if (limits.max_sessions == 0) limits.max_sessions = 1;
    return limits;
}
}  // namespace

SessionStore::SessionStore(SessionLimits limits, Clock clock)
    : limits_(normalised(limits)), clock_(std::move(clock)) {}

bool SessionStore::expired(const HttpSession& session,
                           std::chrono::steady_clock::time_point now) const {
    return session.users_ == 0 && now - session.last_used_ >= limits_.idle_timeout;
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

std::optional<OpenRefused> SessionStore::make_room(const HttpSession& newcomer, bool keyless) {
    std::size_t same_key = 0, same_client = 0;
    // The opener's least recently used idle session from its own address, and from anywhere.
    // Without a key, callers are told apart by address alone: they never give up each other's.
    auto here = sessions_.end(), anywhere = sessions_.end();
    auto older = [&](auto candidate, auto best) {
        return best == sessions_.end() || candidate->second->last_used_ < best->second->last_used_;
    };
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        const HttpSession& session = *it->second;
        const bool same_key_here = session.belongs_to(newcomer.key_hash_);
        const bool same_address = session.address_ == newcomer.address_;
        same_key += same_key_here;
        same_client += same_address;
        if (!same_key_here || session.users_ > 0) continue;
        if (same_address && older(it, here)) here = it;
        if (!keyless && older(it, anywhere)) anywhere = it;
    }
    const bool key_full = limits_.per_key && same_key >= limits_.per_key;
    const bool client_full = limits_.per_client && same_client >= limits_.per_client;
    if (!key_full && !client_full && sessions_.size() < limits_.max_sessions) return std::nullopt;

    // One session of the opener's makes room under every limit at once; at the address's quota
    // it must come from that address.
    const auto victim = (client_full || here != sessions_.end()) ? here : anywhere;
    if (victim == sessions_.end()) {
        // The key has an idle session elsewhere: what stands in the way is this address's quota.
        const bool address_blocks = client_full && anywhere != sessions_.end();
        if (key_full && !address_blocks) {
            return OpenRefused{OpenRefused::Reason::KeyQuota, limits_.per_key};
        }
        if (client_full) return OpenRefused{OpenRefused::Reason::ClientQuota, limits_.per_client};
        return OpenRefused{OpenRefused::Reason::StoreFull, limits_.max_sessions};
    }
    victim->second->close(
        "the session was expired to make room for a newer one of the same client");
    sessions_.erase(victim);
    return std::nullopt;
}

std::variant<std::shared_ptr<SessionStore::Lease>, OpenRefused> SessionStore::open(
    const SessionOpener& opener, protocol::LegacySession::State state) {
    auto session = std::make_shared<HttpSession>(new_session_id(), hash_key(opener.api_key),
                                                 std::string(opener.address));
    session->legacy().initialize(std::move(state));
    {
        std::lock_guard lock(mutex_);
        const auto now = clock_();
        sweep(now);
        if (auto refused = make_room(*session, opener.api_key.empty())) return *refused;
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
