// The requests this server sends its client (elicitation/create) and their answers: each ask is
// answered by the client, or ends by timeout, cancellation or the scope's close, and always
// leaves nothing waiting behind.
#include "protocol/client_requests.h"

#include <doctest/doctest.h>

#include <future>
#include <thread>
#include <vector>

using namespace rdmcp::protocol;
using namespace std::chrono_literals;

namespace {

// The other end of the stream: what the server sent it, as it arrives.
class FakeClient {
  public:
    SendToClient sender(bool accepts = true) {
        return [this, accepts](std::string message) {
            if (!accepts) return false;
            {
                std::lock_guard lock(mutex_);
                sent_.push_back(Json::parse(message));
            }
            changed_.notify_all();
            return true;
        };
    }
    // The n-th message sent (from 0), once it has been.
    Json sent(std::size_t n) {
        std::unique_lock lock(mutex_);
        REQUIRE(changed_.wait_for(lock, 5s, [&] { return sent_.size() > n; }));
        return sent_[n];
    }
    std::size_t count() {
        std::lock_guard lock(mutex_);
        return sent_.size();
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Json> sent_;
};

const Json kParams = {{"message", "Spend 12 credits?"},
                      {"requestedSchema", {{"type", "object"}, {"properties", Json::object()}}}};

std::future<ClientAnswer> ask_async(ClientRequests& requests, CancellationToken& token,
                                    FakeClient& client, std::chrono::milliseconds timeout = 5s) {
    return std::async(std::launch::async, [&requests, &token, &client, timeout] {
        return requests.ask("elicitation/create", kParams, timeout, token, client.sender());
    });
}

ClientResponse result_for(const Json& id, Json result) {
    return {id, std::move(result), std::nullopt};
}

}  // namespace

TEST_CASE("the client's result reaches the request that asked, by our id") {
    ClientRequests requests;
    CancellationToken token;
    FakeClient client;
    auto answer = ask_async(requests, token, client);
    const Json request = client.sent(0);
    CHECK(request["jsonrpc"] == "2.0");
    CHECK(request["method"] == "elicitation/create");
    CHECK(request["params"] == kParams);
    CHECK(request["id"] == "rdmcp-1");
    CHECK(requests.waiting() == 1);

    CHECK(requests.deliver(result_for(request["id"], {{"action", "accept"}})));
    const auto got = answer.get();
    CHECK(got.kind == ClientAnswer::Kind::Result);
    CHECK(got.result == Json{{"action", "accept"}});
    CHECK(requests.waiting() == 0);
    CHECK(client.count() == 1);  // nothing more was sent

    // The next request gets a new id, and the old one is unknown now.
    auto second = ask_async(requests, token, client);
    CHECK(client.sent(1)["id"] == "rdmcp-2");
    CHECK_FALSE(requests.deliver(result_for("rdmcp-1", Json::object())));
    CHECK(requests.deliver(result_for("rdmcp-2", Json::object())));
    CHECK(second.get().kind == ClientAnswer::Kind::Result);
}

TEST_CASE("the client's error is handed back as the error it sent") {
    ClientRequests requests;
    CancellationToken token;
    FakeClient client;
    auto answer = ask_async(requests, token, client);
    const Json id = client.sent(0)["id"];
    CHECK(requests.deliver({id, std::nullopt, RpcError{-32601, "Method not found", Json(1)}}));
    const auto got = answer.get();
    CHECK(got.kind == ClientAnswer::Kind::Error);
    REQUIRE(got.error);
    CHECK(got.error->code == -32601);
    CHECK(got.error->message == "Method not found");
    CHECK(got.error->data == Json(1));
}

TEST_CASE("no answer in time: TimedOut, and the client is told the request is cancelled") {
    ClientRequests requests;
    CancellationToken token;
    FakeClient client;
    const auto started = std::chrono::steady_clock::now();
    const auto got = requests.ask("elicitation/create", kParams, 50ms, token, client.sender());
    CHECK(got.kind == ClientAnswer::Kind::TimedOut);
    CHECK(std::chrono::steady_clock::now() - started >= 50ms);
    CHECK(requests.waiting() == 0);
    const Json cancelled = client.sent(1);
    CHECK(cancelled["method"] == "notifications/cancelled");
    CHECK(cancelled["params"]["requestId"] == "rdmcp-1");
    CHECK_FALSE(cancelled.contains("id"));
    // A late answer finds nobody.
    CHECK_FALSE(requests.deliver(result_for("rdmcp-1", Json::object())));
}

TEST_CASE("the request that asked is cancelled: the wait ends at once, before or while waiting") {
    ClientRequests requests;
    FakeClient client;
    SUBCASE("while waiting") {
        CancellationToken token;
        auto answer = ask_async(requests, token, client, 1h);
        client.sent(0);
        token.cancel("cancelled by the client");
        CHECK(answer.wait_for(5s) == std::future_status::ready);
        CHECK(answer.get().kind == ClientAnswer::Kind::Cancelled);
        const Json cancelled = client.sent(1);
        CHECK(cancelled["method"] == "notifications/cancelled");
        CHECK(cancelled["params"]["reason"] == "cancelled by the client");
    }
    SUBCASE("before asking: nothing is sent") {
        CancellationToken token;
        token.cancel();
        CHECK(requests.ask("elicitation/create", kParams, 1h, token, client.sender()).kind ==
              ClientAnswer::Kind::Cancelled);
        CHECK(client.count() == 0);
    }
    CHECK(requests.waiting() == 0);
}

TEST_CASE("closing the scope cancels every waiter and every later ask") {
    ClientRequests requests;
    CancellationToken token;
    FakeClient client;
    auto first = ask_async(requests, token, client, 1h);
    auto second = ask_async(requests, token, client, 1h);
    client.sent(1);
    requests.close();
    CHECK(first.get().kind == ClientAnswer::Kind::Cancelled);
    CHECK(second.get().kind == ClientAnswer::Kind::Cancelled);
    CHECK(requests.waiting() == 0);
    CHECK(client.count() == 2);  // the client's stream is gone: nothing more is sent to it
    CHECK(requests.ask("elicitation/create", kParams, 1h, token, client.sender()).kind ==
          ClientAnswer::Kind::Cancelled);
}

TEST_CASE("a response nobody waits for is dropped") {
    ClientRequests requests;
    CHECK_FALSE(requests.deliver(result_for("rdmcp-1", Json::object())));
    CHECK_FALSE(requests.deliver(result_for(1, Json::object())));  // not one of ours
    CHECK_FALSE(requests.deliver({nullptr, std::nullopt, RpcError{-32700, "parse", {}}}));

    CancellationToken token;
    FakeClient client;
    auto answer = ask_async(requests, token, client);
    client.sent(0);
    CHECK_FALSE(requests.deliver(result_for("rdmcp-9", Json::object())));
    CHECK(requests.deliver(result_for("rdmcp-1", {{"action", "decline"}})));
    CHECK_FALSE(requests.deliver(result_for("rdmcp-1", {{"action", "accept"}})));  // answered
    CHECK(answer.get().result == Json{{"action", "decline"}});
}

TEST_CASE("a stream that cannot carry a request: Unavailable, nothing left waiting") {
    ClientRequests requests;
    CancellationToken token;
    FakeClient client;
    CHECK(requests.ask("elicitation/create", kParams, 1h, token, client.sender(false)).kind ==
          ClientAnswer::Kind::Unavailable);
    CHECK(requests.ask("elicitation/create", kParams, 1h, token, SendToClient{}).kind ==
          ClientAnswer::Kind::Unavailable);
    CHECK(requests.waiting() == 0);
}

TEST_CASE("at most max_waiting requests wait at once; one more is Unavailable at once") {
    ClientRequests requests(2);
    CancellationToken token;
    FakeClient client;
    auto first = ask_async(requests, token, client, 1h);
    client.sent(0);
    auto second = ask_async(requests, token, client, 1h);
    client.sent(1);
    CHECK(requests.ask("elicitation/create", kParams, 1h, token, client.sender()).kind ==
          ClientAnswer::Kind::Unavailable);
    CHECK(client.count() == 2);
    CHECK(requests.deliver(result_for(client.sent(0)["id"], Json::object())));
    CHECK(first.get().kind == ClientAnswer::Kind::Result);
    // Room again.
    auto third = ask_async(requests, token, client, 1h);
    client.sent(2);
    requests.close();
    CHECK(second.get().kind == ClientAnswer::Kind::Cancelled);
    CHECK(third.get().kind == ClientAnswer::Kind::Cancelled);
}
