#include "server/http/client_address.h"

namespace rdmcp::server {

namespace {

bool address_character(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == ':' || c == '[' || c == ']' || c == '%' || c == '-' || c == '_';
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

std::optional<std::string> last_forwarded_address(std::string_view forwarded_for) {
    const auto comma = forwarded_for.rfind(',');
    const auto last =
        trimmed(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    if (last.empty() || last.size() > kMaxClientAddressLength) return std::nullopt;
    for (const char c : last) {
        if (!address_character(c)) return std::nullopt;
    }
    return std::string(last);
}

std::string client_address(const httplib::Request& request, bool trust_proxy) {
    if (trust_proxy && request.has_header("X-Forwarded-For")) {
        // Several X-Forwarded-For headers read as one list; the proxy's entry is the last.
        const auto count = request.get_header_value_count("X-Forwarded-For");
        const auto value = request.get_header_value("X-Forwarded-For", count - 1);
        if (auto address = last_forwarded_address(value)) return *address;
    }
    return request.remote_addr;
}

}  // namespace rdmcp::server
