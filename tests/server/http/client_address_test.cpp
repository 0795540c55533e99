#include "server/http/client_address.h"

#include <doctest/doctest.h>

using namespace rdmcp::server;

namespace {
httplib::Request request_from(std::string peer, std::vector<std::string> forwarded = {}) {
    httplib::Request request;
    request.remote_addr = std::move(peer);
    for (auto& value : forwarded) request.headers.emplace("X-Forwarded-For", std::move(value));
    return request;
}
}  // namespace

TEST_CASE("the client address is the peer unless --trust-proxy names the proxy's entry") {
    CHECK(client_address(request_from("10.0.0.5"), false) == "10.0.0.5");
    CHECK(client_address(request_from("10.0.0.5"), true) == "10.0.0.5");  // no header: the peer
    // Without --trust-proxy the header is the client's word and counts for nothing.
    CHECK(client_address(request_from("10.0.0.5", {"203.0.113.9"}), false) == "10.0.0.5");

    // nginx's $proxy_add_x_forwarded_for appends the address it saw: the last entry.
    CHECK(client_address(request_from("10.0.0.5", {"1.2.3.4, 203.0.113.9"}), true) ==
          "203.0.113.9");
    CHECK(client_address(request_from("10.0.0.5", {"1.2.3.4", "2001:db8::7"}), true) ==
          "2001:db8::7");
    CHECK(client_address(request_from("10.0.0.5", {" 198.51.100.1 "}), true) == "198.51.100.1");
}

TEST_CASE("an X-Forwarded-For entry that is no address falls back to the peer") {
    CHECK_FALSE(last_forwarded_address(""));
    CHECK_FALSE(last_forwarded_address("1.2.3.4, "));
    CHECK_FALSE(last_forwarded_address("not an address!"));
    CHECK_FALSE(last_forwarded_address(std::string(kMaxClientAddressLength + 1, '1')));
    CHECK(last_forwarded_address(std::string(kMaxClientAddressLength, '1')));
    CHECK(last_forwarded_address("[fe80::1%eth0]:443") == "[fe80::1%eth0]:443");
    CHECK(client_address(request_from("10.0.0.5", {"1.2.3.4, <script>"}), true) == "10.0.0.5");
}
