#pragma once
// Who a request comes from, for the per-client session quota (--max-sessions-per-client): the
// peer address, or behind a reverse proxy we run (--trust-proxy) the last X-Forwarded-For entry,
// the one that proxy appended itself. Earlier entries are whatever the client claimed.
#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::server {

// An entry longer than this, or with characters no IPv4/IPv6 address (with zone or port) has,
// is not the proxy's: the peer address is used instead, and nothing long is ever stored.
inline constexpr std::size_t kMaxClientAddressLength = 64;

// The last comma-separated entry of an X-Forwarded-For value, trimmed, if it looks like an
// address.
std::optional<std::string> last_forwarded_address(std::string_view forwarded_for);

std::string client_address(const httplib::Request& request, bool trust_proxy);

}  // namespace rdmcp::server
