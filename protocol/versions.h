#pragma once
// Which MCP revisions we speak, and how a request's revision is decided.
//  - Modern (2026-07-28 and later): every request names its version in
//    params._meta["io.modelcontextprotocol/protocolVersion"]; no handshake.
//  - Legacy (2025-11-25 and earlier): an `initialize` handshake negotiates one version for the
//    stdio process or the HTTP session.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rdmcp::protocol {

inline constexpr std::string_view kLatestModernVersion = "2026-07-28";
inline constexpr std::string_view kLatestLegacyVersion = "2025-11-25";

// Newest first; server/discover and UnsupportedProtocolVersionError list them in this order.
std::span<const std::string_view> supported_versions();
std::vector<std::string> supported_versions_list();

bool is_modern_version(std::string_view version);
bool is_legacy_version(std::string_view version);
inline bool is_supported_version(std::string_view v) {
    return is_modern_version(v) || is_legacy_version(v);
}

// Methods 2026-07-28 removed (initialize, ping, logging/setLevel): a request of that revision
// calling one is answered -32601, over HTTP with 404, as any unknown method.
bool is_removed_in_modern(std::string_view method);

// The version an `initialize` is answered with: the client's when we speak it as a legacy
// version, otherwise our latest legacy version (never a rejection: the client decides).
std::string negotiate_legacy_version(std::string_view requested);

}  // namespace rdmcp::protocol
