#include "tools/client_roots.h"

#include <chrono>

#include "protocol/versions.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

// A client shows nothing to its user for roots/list: it answers at once or not at all.
constexpr std::chrono::seconds kRootsTimeout{10};
constexpr std::size_t kMaxRoots = 64;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The folders of a ListRootsResult ({"roots": [{uri, name?}, ...]}).
void read_roots(const Json& answer, ClientRoots& roots) {
    auto list = answer.is_object() ? answer.find("roots") : answer.end();
    if (!answer.is_object() || list == answer.end() || !list->is_array()) {
        roots.problem = "the client's roots/list answer has no roots array";
        return;
    }
    for (const auto& root : *list) {
        if (roots.folders.size() == kMaxRoots) break;
        auto uri = root.is_object() ? root.find("uri") : root.end();
        if (!root.is_object() || uri == root.end() || !uri->is_string()) continue;
        if (auto path = file_uri_path(uri->get_ref<const std::string&>())) {
            roots.folders.push_back(path->lexically_normal());
        }
    }
    if (roots.folders.empty() && !list->empty()) {
        roots.problem = "none of the client's roots is a local file:// folder";
    }
}

}  // namespace

std::optional<std::filesystem::path> file_uri_path(std::string_view uri) {
    constexpr std::string_view kScheme = "file://";
    if (uri.substr(0, kScheme.size()) != kScheme) return std::nullopt;
    std::string_view rest = uri.substr(kScheme.size());
    if (rest.substr(0, 9) == "localhost") rest.remove_prefix(9);
    if (rest.empty() || rest.front() != '/') return std::nullopt;  // another host, or relative
    std::string path;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '?' || rest[i] == '#') break;
        if (rest[i] == '%' && i + 2 < rest.size() && hex_value(rest[i + 1]) >= 0 &&
            hex_value(rest[i + 2]) >= 0) {
            path += static_cast<char>(hex_value(rest[i + 1]) * 16 + hex_value(rest[i + 2]));
            i += 2;
        } else {
            path += rest[i];
        }
    }
    if (path.find('\0') != std::string::npos) return std::nullopt;
    return std::filesystem::path(path);
}

Json roots_input_request() { return {{"method", "roots/list"}}; }

ClientRoots client_roots(protocol::RequestContext& context) {
    ClientRoots roots;
    const auto& capabilities = context.client_capabilities;
    roots.declared = capabilities.is_object() && capabilities.contains("roots");
    if (!roots.declared) return roots;
    if (protocol::is_modern_version(context.protocol_version)) {
        auto answer = context.input_responses.find(kRootsInputKey);
        if (answer == context.input_responses.end()) {
            roots.must_ask = true;
            return roots;
        }
        read_roots(*answer, roots);
        return roots;
    }
    if (!context.ask_client) {
        roots.problem = "the client's roots cannot be asked on this connection";
        return roots;
    }
    const auto answer = context.ask_client("roots/list", Json::object(), kRootsTimeout);
    switch (answer.kind) {
        case protocol::ClientAnswer::Kind::Result:
            read_roots(answer.result, roots);
            break;
        case protocol::ClientAnswer::Kind::Error:
            roots.problem = "the client refused roots/list (" +
                            (answer.error ? answer.error->message : std::string("no reason")) + ")";
            break;
        case protocol::ClientAnswer::Kind::TimedOut:
            roots.problem = "the client did not answer roots/list within 10 s";
            break;
        case protocol::ClientAnswer::Kind::Cancelled:
        case protocol::ClientAnswer::Kind::Unavailable:
            roots.problem = "the client's roots could not be asked";
            break;
    }
    return roots;
}

}  // namespace rdmcp::tools
