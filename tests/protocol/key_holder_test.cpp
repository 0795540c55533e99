#include "protocol/key_holder.h"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using rdmcp::protocol::KeyHolder;

TEST_CASE("a key holder starts empty, holds the key it is given and forgets it on clear") {
    KeyHolder holder(KeyHolder::Scope::Process);
    CHECK(holder.scope() == KeyHolder::Scope::Process);
    CHECK(holder.key().empty());
    CHECK_FALSE(holder.clear());  // nothing to forget: logout is idempotent

    holder.set("rdpk-one");
    CHECK(holder.key() == "rdpk-one");
    holder.set("rdpk-two");  // authenticate again: the newer key replaces the older
    CHECK(holder.key() == "rdpk-two");

    CHECK(holder.clear());
    CHECK(holder.key().empty());
    CHECK_FALSE(holder.clear());
}

TEST_CASE("a key copied by a request stays whole when the holder is cleared meanwhile") {
    KeyHolder holder(KeyHolder::Scope::Session);
    holder.set("rdpk-in-flight");
    const std::string taken = holder.key();  // what a request copies when it arrives
    holder.clear();
    CHECK(taken == "rdpk-in-flight");
    CHECK(holder.key().empty());
}

TEST_CASE("a key holder is read and written from many threads at once") {
    KeyHolder holder(KeyHolder::Scope::Session);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&holder, i] {
            for (int n = 0; n < 1000; ++n) {
                if (n % 3 == 0) holder.clear();
                holder.set("rdpk-thread-" + std::to_string(i));
                const auto key = holder.key();
                CHECK((key.empty() || key.rfind("rdpk-thread-", 0) == 0));
            }
        });
    }
    for (auto& thread : threads) thread.join();
}
