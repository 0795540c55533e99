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
    SessionStore store(10, 60s, clock.function());
    auto lease = store.open("rdpk-a", state("2025-06-18"));
    REQUIRE(lease);
    const std::string id = (*lease)->id();
    CHECK((*lease)->legacy().state()->version == "2025-06-18");

    CHECK(store.find(id, "rdpk-a"));
    CHECK_FALSE(store.find(id, "rdpk-b"));
    CHECK_FALSE(store.find(id, ""));
    CHECK_FALSE(store.find("another-id", "rdpk-a"));
    CHECK_FALSE(store.close(id, "rdpk-b"));  // another key cannot end it either
    CHECK(store.find(id, "rdpk-a"));

    auto keyless = store.open("", state());
    CHECK(store.find((*keyless)->id(), ""));
    CHECK_FALSE(store.find((*keyless)->id(), "rdpk-a"));

    CHECK(hash_key("rdpk-a") != hash_key("rdpk-b"));
}

TEST_CASE("closing a session cancels its requests and makes it unknown") {
    SessionStore store(10, 60s);
    auto lease = store.open("k", state());
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
    SessionStore store(10, 60s, clock.function());
    std::string idle_id, busy_id;
    {
        auto idle = store.open("k", state());
        idle_id = (*idle)->id();
    }
    auto busy = store.open("k", state());
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

TEST_CASE("at the cap the least recently used idle session makes room; busy ones never do") {
    FakeClock clock;
    SessionStore store(2, 3600s, clock.function());
    std::string first, second;
    { first = (*store.open("k", state()))->id(); }
    clock.now += 1s;
    { second = (*store.open("k", state()))->id(); }
    clock.now += 1s;
    store.find(first, "k");  // now `second` is the least recently used
    clock.now += 1s;
    auto third = store.open("k", state());
    REQUIRE(third);
    CHECK(store.find(first, "k"));
    CHECK_FALSE(store.find(second, "k"));
    CHECK(store.size() == 2);

    // Everything in use: no room.
    auto hold_first = store.find(first, "k");
    CHECK_FALSE(store.open("k", state()));
}
