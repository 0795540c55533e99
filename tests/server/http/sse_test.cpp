#include "server/http/sse.h"

#include <doctest/doctest.h>

#include <thread>

using namespace rdmcp::server;
using namespace std::chrono_literals;

TEST_CASE("SSE framing: one event per message, comments for keep-alive") {
    CHECK(sse_message(R"({"id":1})") == "event: message\ndata: {\"id\":1}\n\n");
    CHECK(sse_comment("keep-alive") == ": keep-alive\n\n");
}

TEST_CASE("a response channel hands over notifications, then the response, then nothing") {
    ResponseChannel channel;
    channel.send("n1");
    channel.send("n2");
    auto first = channel.wait(10ms);
    CHECK(first.messages == std::vector<std::string>{"n1", "n2"});
    CHECK_FALSE(first.finished);

    CHECK(channel.wait(10ms).messages.empty());  // a quiet period times out

    std::thread worker([&] {
        std::this_thread::sleep_for(20ms);
        channel.finish("response");
    });
    auto last = channel.wait(5s);  // woken by the worker, not the timeout
    worker.join();
    CHECK(last.messages == std::vector<std::string>{"response"});
    CHECK(last.finished);

    channel.send("late");  // after the response nothing more goes out
    CHECK(channel.wait(10ms).messages.empty());
}

TEST_CASE("a channel can end without a response") {
    ResponseChannel channel;
    channel.send("n1");
    channel.end();
    auto batch = channel.wait(10ms);
    CHECK(batch.finished);
    CHECK(batch.messages == std::vector<std::string>{"n1"});
}
