#include "protocol/cancellation.h"

#include <doctest/doctest.h>

using namespace rdmcp::protocol;

TEST_CASE("cancelling runs the registered hooks once, with the reason kept") {
    CancellationToken token;
    int interrupted = 0;
    {
        CancellationHook hook(token, [&] { ++interrupted; });
        token.cancel("client went away");
        token.cancel("again");
    }
    CHECK(interrupted == 1);
    CHECK(token.is_cancelled());
    CHECK(token.reason() == "client went away");
}

TEST_CASE("a hook registered after cancellation runs at once") {
    CancellationToken token;
    token.cancel();
    bool ran = false;
    CancellationHook hook(token, [&] { ran = true; });
    CHECK(ran);
}

TEST_CASE("a hook whose scope has ended never runs") {
    CancellationToken token;
    bool ran = false;
    {
        CancellationHook hook(token, [&] { ran = true; });
    }
    token.cancel();
    CHECK_FALSE(ran);
}
