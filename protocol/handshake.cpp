#include "protocol/handshake.h"

#include <optional>
#include <string>

#include "protocol/versions.h"

namespace rdmcp::protocol {

namespace {

// As nlohmann's serializer writes it: quotes, two-character escapes, \u00XX for other controls.
std::size_t quoted_size(const std::string& text) {
    std::size_t size = 2;
    for (const unsigned char c : text) {
        if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' ||
            c == '\t') {
            size += 2;
        } else if (c < 0x20) {
            size += 6;
        } else {
            size += 1;
        }
    }
    return size;
}

// Only what identifies the client in logs and answers; icons, URLs and descriptions may be
// large and nothing here reads them.
Json kept_client_info(const Json& info) {
    Json kept = Json::object();
    for (const char* field : {"name", "title", "version"}) {
        if (auto it = info.find(field); it != info.end() && it->is_string()) kept[field] = *it;
    }
    return kept;
}

}  // namespace

std::size_t serialized_size(const Json& value) {
    switch (value.type()) {
        case Json::value_t::string:
            return quoted_size(value.get_ref<const std::string&>());
        case Json::value_t::object: {
            std::size_t size = 2 + (value.empty() ? 0 : value.size() - 1);  // braces, commas
            for (const auto& [key, member] : value.items()) {
                size += quoted_size(key) + 1 + serialized_size(member);  // "key":value
            }
            return size;
        }
        case Json::value_t::array: {
            std::size_t size = 2 + (value.empty() ? 0 : value.size() - 1);
            for (const auto& element : value) size += serialized_size(element);
            return size;
        }
        default:
            return value.dump().size();  // numbers, booleans, null: a few bytes
    }
}

std::variant<LegacySession::State, RpcError> read_handshake(const Json& params) {
    if (const auto size = serialized_size(params); size > kMaxInitializeParamsBytes) {
        return invalid_params(
            "initialize params are " + std::to_string(size) + " bytes of JSON; this server " +
                "accepts at most " + std::to_string(kMaxInitializeParamsBytes) + " (" +
                std::to_string(kMaxInitializeParamsBytes / 1024) +
                " KiB): send clientInfo with a short name, title and version (icons as "
                "https URLs, not data: URIs) and only the capabilities the client has",
            Json{{"size", size}, {"limit", kMaxInitializeParamsBytes}});
    }
    auto requested = params.find("protocolVersion");
    if (requested == params.end() || !requested->is_string()) {
        return invalid_params(
            "initialize needs params.protocolVersion (a string such as \"2025-11-25\")");
    }
    LegacySession::State state;
    state.version = negotiate_legacy_version(requested->get<std::string>());
    if (auto caps = params.find("capabilities"); caps != params.end()) {
        if (!caps->is_object()) return invalid_params("params.capabilities must be an object");
        state.client_capabilities = *caps;
    }
    if (auto info = params.find("clientInfo"); info != params.end() && info->is_object()) {
        state.client_info = kept_client_info(*info);
    }
    return state;
}

}  // namespace rdmcp::protocol
