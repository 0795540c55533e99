#include "protocol/uri_template.h"

#include <stdexcept>

namespace rdmcp::protocol {

namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Nothing for a broken escape ("%4", "%zz").
std::optional<std::string> percent_decoded(std::string_view text) {
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            decoded += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int high = hex_value(text[i + 1]);
        const int low = hex_value(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        decoded += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return decoded;
}

}  // namespace

UriTemplate::UriTemplate(std::string text) : text_(std::move(text)) {
    const auto open = text_.find('{');
    const auto close = text_.find('}');
    if (open == std::string::npos || close == std::string::npos || close <= open + 1 ||
        text_.find('{', open + 1) != std::string::npos) {
        throw std::logic_error("a resource template needs exactly one {variable}: " + text_);
    }
    prefix_ = text_.substr(0, open);
    variable_ = text_.substr(open + 1, close - open - 1);
    suffix_ = text_.substr(close + 1);
}

std::optional<std::string> UriTemplate::match(std::string_view uri) const {
    if (uri.size() <= prefix_.size() + suffix_.size()) return std::nullopt;
    if (uri.substr(0, prefix_.size()) != prefix_) return std::nullopt;
    if (uri.substr(uri.size() - suffix_.size()) != suffix_) return std::nullopt;
    const auto raw = uri.substr(prefix_.size(), uri.size() - prefix_.size() - suffix_.size());
    if (raw.size() > 3 * kMaxValueBytes || raw.find('/') != std::string_view::npos) {
        return std::nullopt;
    }
    auto value = percent_decoded(raw);
    if (!value || value->empty() || value->size() > kMaxValueBytes ||
        value->find('/') != std::string::npos) {
        return std::nullopt;
    }
    return value;
}

std::string UriTemplate::expand(std::string_view value) const {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string uri = prefix_;
    for (const unsigned char c : value) {
        if (is_unreserved(c)) {
            uri += static_cast<char>(c);
        } else {
            uri += '%';
            uri += kHex[c >> 4];
            uri += kHex[c & 15];
        }
    }
    return uri + suffix_;
}

}  // namespace rdmcp::protocol
