#include "server/http/sessions.h"

#include <doctest/doctest.h>

#include <regex>
#include <set>

using namespace rdmcp::server;
using namespace std::chrono_literals;

namespace {
struct FakeClock {
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point() + 1h;
    SessionStore::Clock function() {
        return [this] { return now; };
    }
};

rdmcp::protocol::LegacySession::State state(const std::string& version = "2025-11-25") {
    return {version, {}, {}};
}

SessionLimits limits(std::size_t max_sessions, std::chrono::seconds idle = 3600s,
                     std::size_t per_key = 0, std::size_t per_client = 0) {
    return {max_sessions, per_key, per_client, idle};
}

using Opened = std::variant<std::shared_ptr<SessionStore::Lease>, OpenRefused>;

// The lease of a session that was opened; null when it was refused.
std::shared_ptr<SessionStore::Lease> lease_of(Opened opened) {
    auto* lease = std::get_if<std::shared_ptr<SessionStore::Lease>>(&opened);
    return lease ? *lease : nullptr;
}

std::shared_ptr<SessionStore::Lease> open_session(SessionStore& store, std::string_view key,
                                                  std::string_view address = "127.0.0.1",
                                                  const std::string& version = "2025-11-25") {
    return lease_of(store.open({key, address}, state(version)));
}

// Opens and at once releases a session (an idle one), returning its id.
std::string open_idle(SessionStore& store, std::string_view key,
                      std::string_view address = "127.0.0.1") {
    auto lease = open_session(store, key, address);
    REQUIRE(lease);
    return (*lease)->id();
}

std::optional<OpenRefused::Reason> refusal(Opened opened) {
    auto* refused = std::get_if<OpenRefused>(&opened);
    return refused ? std::optional(refused->reason) : std::nullopt;
}
}  // namespace

TEST_CASE("session ids are 256 random bits in base64url, never repeating") {
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
        const auto id = new_session_id();
        CHECK(std::regex_match(id, std::regex("[A-Za-z0-9_-]{43}")));
        ids.insert(id);
    }
    CHECK(ids.size() == 1000);
}

TEST_CASE("a session is found only with the key that opened it") {
    FakeClock clock;
    SessionStore store(limits(10, 60s), clock.function());
    auto lease = open_session(store, "rdpk-a", "127.0.0.1", "2025-06-18");
    REQUIRE(lease);
    const std::string id = (*lease)->id();
    CHECK((*lease)->legacy().state()->version == "2025-06-18");

    CHECK(store.find(id, "rdpk-a"));
    CHECK_FALSE(store.find(id, "rdpk-b"));
    CHECK_FALSE(store.find(id, ""));
    CHECK_FALSE(store.find("another-id", "rdpk-a"));
    CHECK_FALSE(store.close(id, "rdpk-b"));  // another key cannot end it either
    CHECK(store.find(id, "rdpk-a"));

    auto keyless = open_session(store, "");
    CHECK(store.find((*keyless)->id(), ""));
    CHECK_FALSE(store.find((*keyless)->id(), "rdpk-a"));

    CHECK(hash_key("rdpk-a") != hash_key("rdpk-b"));
}

TEST_CASE("closing a session cancels its requests and makes it unknown") {
    SessionStore store(limits(10, 60s));
    auto lease = open_session(store, "k");
    auto token = std::make_shared<rdmcp::protocol::CancellationToken>();
    (*lease)->in_flight().add(7, token);
    const std::string id = (*lease)->id();
    CHECK(store.close(id, "k"));
    CHECK(token->is_cancelled());
    CHECK((*lease)->closed());
    CHECK_FALSE(store.find(id, "k"));
    CHECK_FALSE(store.close(id, "k"));
}

TEST_CASE("idle sessions expire; sessions in use never do") {
    FakeClock clock;
    SessionStore store(limits(10, 60s), clock.function());
    std::string idle_id, busy_id;
    {
        auto idle = open_session(store, "k");
        idle_id = (*idle)->id();
    }
    auto busy = open_session(store, "k");
    busy_id = (*busy)->id();

    clock.now += 59s;
    CHECK(store.find(idle_id, "k"));  // used again: its idle time starts over
    clock.now += 61s;
    CHECK_FALSE(store.find(idle_id, "k"));
    CHECK(store.find(busy_id, "k"));  // a lease was held the whole time
    busy.reset();
    clock.now += 61s;
    CHECK_FALSE(store.find(busy_id, "k"));
    CHECK(store.size() == 0);
}

TEST_CASE(
    "at the cap the opener's least recently used idle session makes room; busy ones never do") {
    FakeClock clock;
    SessionStore store(limits(2), clock.function());
    std::string first, second;
    { first = (*open_session(store, "k"))->id(); }
    clock.now += 1s;
    { second = (*open_session(store, "k"))->id(); }
    clock.now += 1s;
    store.find(first, "k");  // now `second` is the least recently used
    clock.now += 1s;
    auto third = open_session(store, "k");
    REQUIRE(third);
    CHECK(store.find(first, "k"));
    CHECK_FALSE(store.find(second, "k"));
    CHECK(store.size() == 2);

    // Everything in use: no room.
    auto hold_first = store.find(first, "k");
    CHECK_FALSE(open_session(store, "k"));
}

TEST_CASE("at its key's quota an opener gives up its own least recently used idle session") {
    FakeClock clock;
    SessionStore store(limits(100, 3600s, 3), clock.function());
    std::vector<std::string> mine;
    for (int i = 0; i < 3; ++i) {
        mine.push_back(open_idle(store, "mine"));
        clock.now += 1s;
    }
    store.find(mine[0], "mine");  // mine[1] is now the least recently used
    clock.now += 1s;
    CHECK(open_session(store, "mine"));
    CHECK(store.find(mine[0], "mine"));
    CHECK_FALSE(store.find(mine[1], "mine"));
    CHECK(store.find(mine[2], "mine"));
    CHECK(store.size() == 3);
}

TEST_CASE("one key opening sessions by the thousand never expires another key's") {
    FakeClock clock;
    SessionStore store(limits(10, 3600s, 4), clock.function());
    const std::string other = open_idle(store, "other");
    const std::string keyless = open_idle(store, "");
    clock.now += 1s;
    for (int i = 0; i < 1000; ++i) {
        clock.now += 1s;
        REQUIRE(open_session(store, "flood"));  // each replaces one of its own
    }
    CHECK(store.find(other, "other"));
    CHECK(store.find(keyless, ""));
    CHECK(store.size() == 6);  // two others, the flood's quota of four
}

TEST_CASE("at its quota with every session busy, an opener is refused, not someone else") {
    SessionStore store(limits(100, 3600s, 2));
    const std::string other = open_idle(store, "other");
    auto first = open_session(store, "busy"), second = open_session(store, "busy");
    REQUIRE((first && second));
    CHECK(refusal(store.open({"busy", "127.0.0.1"}, state())) == OpenRefused::Reason::KeyQuota);
    CHECK(store.find(other, "other"));
    second.reset();  // idle again: it makes room
    CHECK(open_session(store, "busy"));
}

TEST_CASE("a full store refuses an opener with no idle session of its own") {
    FakeClock clock;
    SessionStore store(limits(3, 3600s, 100), clock.function());
    const std::string a = open_idle(store, "a");
    const std::string b = open_idle(store, "b");
    clock.now += 1s;
    const std::string c = open_idle(store, "c");
    clock.now += 1s;

    auto refused = store.open({"d", "127.0.0.1"}, state());
    CHECK(refusal(refused) == OpenRefused::Reason::StoreFull);
    CHECK(std::get<OpenRefused>(refused).limit == 3);
    for (const auto& [id, key] : {std::pair{a, "a"}, {b, "b"}, {c, "c"}})
        CHECK(store.find(id, key));

    clock.now += 1s;
    CHECK(open_session(store, "c"));  // c has an idle session to give up
    CHECK_FALSE(store.find(c, "c"));
    CHECK(store.find(a, "a"));
    CHECK(store.find(b, "b"));
}

TEST_CASE("an address at its quota makes room only from its own sessions of the same key") {
    FakeClock clock;
    SessionStore store(limits(100, 3600s, 100, 2), clock.function());
    const std::string first = open_idle(store, "k1", "203.0.113.9");
    clock.now += 1s;
    const std::string second = open_idle(store, "k1", "203.0.113.9");
    clock.now += 1s;

    // Another key behind the same address cannot push k1's sessions out.
    auto refused = store.open({"k2", "203.0.113.9"}, state());
    CHECK(refusal(refused) == OpenRefused::Reason::ClientQuota);
    CHECK(std::get<OpenRefused>(refused).limit == 2);
    CHECK(open_session(store, "k2", "198.51.100.7"));  // from elsewhere it is served

    CHECK(open_session(store, "k1", "203.0.113.9"));  // k1 gives up its oldest
    CHECK_FALSE(store.find(first, "k1"));
    CHECK(store.find(second, "k1"));
}

TEST_CASE("a key's quota gives up a session from the opener's own address first") {
    FakeClock clock;
    SessionStore store(limits(100, 3600s, 2), clock.function());
    const std::string elsewhere = open_idle(store, "k", "198.51.100.7");  // the oldest
    clock.now += 1s;
    const std::string here = open_idle(store, "k", "203.0.113.9");
    clock.now += 1s;
    CHECK(open_session(store, "k", "203.0.113.9"));
    CHECK(store.find(elsewhere, "k"));
    CHECK_FALSE(store.find(here, "k"));
}

TEST_CASE("callers without a key never give up each other's sessions") {
    FakeClock clock;
    SessionStore store(limits(100, 3600s, 2), clock.function());
    const std::string theirs = open_idle(store, "", "198.51.100.7");
    clock.now += 1s;
    const std::string mine = open_idle(store, "", "203.0.113.9");
    clock.now += 1s;
    CHECK(open_session(store, "", "203.0.113.9"));  // replaces mine, though theirs is older
    CHECK(store.find(theirs, ""));
    CHECK_FALSE(store.find(mine, ""));
    // An address with no keyless session of its own is refused once the absent key is full.
    CHECK(refusal(store.open({"", "192.0.2.1"}, state())) == OpenRefused::Reason::KeyQuota);
    CHECK(store.find(theirs, ""));
}

TEST_CASE("with an idle session only elsewhere, a full address is what refuses the opener") {
    SessionStore store(limits(100, 3600s, 2, 1));
    const std::string elsewhere = open_idle(store, "k", "198.51.100.7");
    auto busy_here = open_session(store, "k", "203.0.113.9");
    REQUIRE(busy_here);
    // Both the key (2) and this address (1) are full; the idle session would not free the address.
    CHECK(refusal(store.open({"k", "203.0.113.9"}, state())) == OpenRefused::Reason::ClientQuota);
    CHECK(store.find(elsewhere, "k"));
    CHECK(open_session(store, "k", "198.51.100.7"));  // from there it replaces that idle one
    CHECK_FALSE(store.find(elsewhere, "k"));
}

TEST_CASE("a key bound to a session is found only without a key, and goes when the session ends") {
    SessionStore store(limits(10));
    const auto id = open_idle(store, "");  // opened without a key, authenticated later
    {
        auto lease = store.find(id, "");
        REQUIRE(lease);
        (*lease)->key_holder()->set("rdpk-bound");
    }
    // The same client (no header) finds it with its key; a caller with any key does not.
    auto again = store.find(id, "");
    REQUIRE(again);
    CHECK((*again)->key_holder()->key() == "rdpk-bound");
    CHECK_FALSE(store.find(id, "rdpk-bound"));
    CHECK_FALSE(store.find(id, "rdpk-other"));
    // Another session of the same keyless client holds nothing.
    auto other = open_session(store, "");
    REQUIRE(other);
    CHECK((*other)->key_holder()->key().empty());

    const auto holder = (*again)->key_holder();
    again.reset();
    CHECK(store.close(id, ""));
    CHECK(holder->key().empty());
}
