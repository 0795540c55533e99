#include "tools/api_fields.h"

#include <cmath>

#include "protocol/tasks.h"

namespace rdmcp::tools {

using protocol::Json;

const Json* member_in(const Json& body, const char* name) {
    if (!body.is_object()) return nullptr;
    auto it = body.find(name);
    return it == body.end() ? nullptr : &*it;
}

std::optional<std::string> text_in(const Json& body, const char* name) {
    const Json* value = member_in(body, name);
    if (!value || !value->is_string()) return std::nullopt;
    return value->get<std::string>();
}

std::optional<double> number_in(const Json& body, const char* name) {
    const Json* value = member_in(body, name);
    if (!value || !value->is_number()) return std::nullopt;
    return value->get<double>();
}

std::optional<bool> flag_in(const Json& body, const char* name) {
    const Json* value = member_in(body, name);
    if (!value || !value->is_boolean()) return std::nullopt;
    return value->get<bool>();
}

std::optional<std::string> timestamp_in(const Json& body, const char* name) {
    if (auto text = text_in(body, name)) return text;
    // Seconds within what a 64-bit count of milliseconds holds (years 1970 to 9999).
    constexpr double kLatestSeconds = 253402300799.0;
    auto seconds = number_in(body, name);
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0 || *seconds > kLatestSeconds) {
        return std::nullopt;
    }
    return protocol::iso8601_utc(static_cast<long long>(*seconds * 1000));
}

}  // namespace rdmcp::tools
