#include "tools/image_input.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "common/base64.h"
#include "common/text.h"

namespace rdmcp::tools {

namespace {

namespace fs = std::filesystem;
using Result = std::variant<ImageInput, std::string>;

// Longer than any real path: a longer value starting with '/' is base64, never a path.
constexpr std::size_t kMaxPathLength = 4096;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return to_lower(x) == to_lower(y);
           });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

std::string field_name(std::string_view field) { return "field '" + std::string(field) + "'"; }

// Values are echoed in errors so the agent sees what we understood, but never megabytes of it.
// Longer than kEchoBytes: these are mostly the caller's own file paths, and a path cut short is
// hard to recognise.
std::string excerpt(std::string_view value) { return cut(value, 120); }

std::string format_size(std::size_t bytes) {
    char text[64];
    if (bytes >= (1u << 20)) {
        std::snprintf(text, sizeof text, "%.1f MiB (%zu bytes)",
                      static_cast<double>(bytes) / (1u << 20), bytes);
    } else if (bytes >= 1024) {
        std::snprintf(text, sizeof text, "%.1f KiB (%zu bytes)", static_cast<double>(bytes) / 1024,
                      bytes);
    } else {
        std::snprintf(text, sizeof text, "%zu bytes", bytes);
    }
    return text;
}

// What the agent may send instead, which depends on the transport; ends most messages.
std::string alternatives(const ImageInputPolicy& policy) {
    return policy.allow_local_files
               ? "raw base64 of a PNG/JPEG/GIF/WEBP image, a data:image/png;base64,... URL, or the "
                 "absolute path of a local image file"
               : "raw base64 of a PNG/JPEG/GIF/WEBP image or a data:image/png;base64,... URL";
}

std::string what_to_send(const ImageInputPolicy& policy) { return "send " + alternatives(policy); }

std::string too_large(std::string_view field, std::size_t size, const ImageInputPolicy& policy,
                      std::string_view what) {
    return field_name(field) + " is " + format_size(size) + std::string(what) +
           ", over the limit of " + format_size(policy.max_bytes) +
           "; send a smaller or more compressed image";
}

// "3c 68 74 6d 6c 3e" plus the text itself when it is printable: "<html>" or "GIF" (a typo'd
// signature) tells the agent more than hex does.
std::string describe_first_bytes(std::string_view bytes) {
    bytes = bytes.substr(0, std::min<std::size_t>(bytes.size(), 8));
    if (bytes.empty()) return "no bytes";
    std::string hex;
    bool printable = true;
    for (unsigned char c : bytes) {
        char pair[4];
        std::snprintf(pair, sizeof pair, "%02x", c);
        if (!hex.empty()) hex += ' ';
        hex += pair;
        printable = printable && c >= 0x20 && c < 0x7f;
    }
    std::string out = "first bytes " + hex;
    if (printable) out += ", \"" + std::string(bytes) + "\"";
    return out;
}

std::string not_an_image(std::string_view field, std::string_view head,
                         const ImageInputPolicy& policy) {
    if (auto claimed = sniff_image_mime(head)) {
        return field_name(field) + " starts like " + *claimed +
               " but its header is truncated or damaged; " + what_to_send(policy);
    }
    return field_name(field) + " is not a PNG/JPEG/GIF/WEBP image (" + describe_first_bytes(head) +
           "); " + what_to_send(policy);
}

// The first dozen decoded bytes, enough for describe_first_bytes and sniff_image_mime.
std::string head_of_base64(std::string_view text) {
    std::string chars;
    for (char c : text) {
        if (is_space(c)) continue;
        chars.push_back(c);
        if (chars.size() == 16) break;
    }
    if (auto bytes = base64_decode(chars)) return *bytes;
    chars.resize(chars.size() / 4 * 4);
    return base64_decode(chars).value_or(std::string());
}

std::string invalid_base64(std::string_view field, std::string_view text,
                           const ImageInputPolicy& policy) {
    auto is_base64_char = [](unsigned char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/' || c == '=' || is_space(static_cast<char>(c));
    };
    auto bad =
        std::find_if_not(text.begin(), text.end(), [&](char c) { return is_base64_char(c); });
    std::string why;
    if (bad != text.end()) {
        const auto c = static_cast<unsigned char>(*bad);
        char shown[32];
        if (c >= 0x20 && c < 0x7f) {
            std::snprintf(shown, sizeof shown, "'%c'", c);
        } else {
            std::snprintf(shown, sizeof shown, "byte 0x%02x", c);
        }
        why = "unexpected character " + std::string(shown) + " at offset " +
              std::to_string(bad - text.begin());
        if (c == '-' || c == '_') why += " (URL-safe base64 is not accepted: use '+' and '/')";
        if (c == '%') why += " (percent-encoding is not accepted)";
    } else {
        why = "its length or '=' padding is wrong (was it cut short?)";
    }
    return field_name(field) + " is not valid base64: " + why + "; " + what_to_send(policy);
}

// Base64 without whitespace and padded to a multiple of 4, as the API's decoder requires.
// One copy of the text; the character-by-character path only when whitespace is present.
std::string normalized_base64(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 3);
    if (std::none_of(text.begin(), text.end(), is_space)) {
        out.append(text);
    } else {
        out.resize(text.size());
        auto end = std::copy_if(text.begin(), text.end(), out.begin(),
                                [](char c) { return !is_space(c); });
        out.resize(static_cast<std::size_t>(end - out.begin()));
    }
    while (out.size() % 4 != 0) out.push_back('=');
    return out;
}

// `known_size` is base64_validate(text) when the caller already computed it.
Result from_base64(std::string_view field, std::string_view text, std::string_view source,
                   const ImageInputPolicy& policy, std::optional<std::size_t> known_size) {
    const auto size = known_size ? known_size : base64_validate(text);
    if (!size) return invalid_base64(field, text, policy);
    if (*size == 0) return field_name(field) + " is empty; " + what_to_send(policy);
    if (*size > policy.max_bytes) return too_large(field, *size, policy, " once decoded");
    auto info = read_base64_image_info(text);
    if (!info) return not_an_image(field, head_of_base64(text), policy);
    return ImageInput{normalized_base64(text), std::move(*info), std::string(source)};
}

Result from_data_url(std::string_view field, std::string_view value,
                     const ImageInputPolicy& policy) {
    const std::string_view rest = value.substr(5);  // after "data:"
    const auto comma = rest.find(',');
    if (comma == std::string_view::npos) {
        return field_name(field) +
               " is a data: URL with no ',' before its data; expected "
               "data:image/png;base64,<base64 of the file>";
    }
    const std::string_view header = rest.substr(0, comma);
    const auto first_semicolon = header.find(';');
    const std::string mime = lowercase(trim(header.substr(0, first_semicolon)));
    const auto last_semicolon = header.rfind(';');
    const bool is_base64 = last_semicolon != std::string_view::npos &&
                           iequals(trim(header.substr(last_semicolon + 1)), "base64");
    if (mime.rfind("image/", 0) != 0) {
        // An empty type means text/plain (RFC 2397).
        const std::string shown = mime.empty() ? "text/plain (no type given)" : mime;
        return field_name(field) + " is a data: URL of type '" + excerpt(shown) +
               "', not an image; " + what_to_send(policy);
    }
    if (!is_base64) {
        return field_name(field) + " is a data: URL that is not base64-encoded; use data:" + mime +
               ";base64,<base64 of the file>";
    }
    return from_base64(field, rest.substr(comma + 1), "data URL", policy, std::nullopt);
}

bool looks_like_path(std::string_view value, bool valid_base64) {
    if (value.empty() || value.size() > kMaxPathLength) return false;
    if (value.front() == '/' || value.front() == '~' || value.front() == '\\') return true;
    if (istarts_with(value, "file:") || value.substr(0, 2) == "./" || value.substr(0, 3) == "../" ||
        value.substr(0, 2) == ".\\" || value.substr(0, 3) == "..\\") {
        return true;
    }
    const bool drive =
        value.size() >= 3 &&
        ((value[0] >= 'A' && value[0] <= 'Z') || (value[0] >= 'a' && value[0] <= 'z')) &&
        value[1] == ':' && (value[2] == '\\' || value[2] == '/');
    if (drive) return true;
    if (valid_base64) return false;
    for (std::string_view extension : {".png", ".jpg", ".jpeg", ".gif", ".webp"}) {
        if (iends_with(value, extension)) return true;
    }
    const bool has_separator = value.find_first_of("/\\") != std::string_view::npos;
    return has_separator && value.find('.') != std::string_view::npos;
}

std::optional<std::string> percent_decode(std::string_view text) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        c = to_lower(c);
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int high = hex(text[i + 1]), low = hex(text[i + 2]);
        if (high < 0 || low < 0 || (high == 0 && low == 0))
            return std::nullopt;  // %00 would cut the path
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
    }
    return out;
}

// file:///abs/path, file://localhost/abs/path, file:/abs/path, ~/path, ~, or the value itself.
std::variant<std::string, std::string> expand_path(std::string_view field, std::string_view value) {
    using Expanded = std::variant<std::string, std::string>;
    auto error = [](std::string message) {
        return Expanded(std::in_place_index<1>, std::move(message));
    };
    auto path = [](std::string text) { return Expanded(std::in_place_index<0>, std::move(text)); };
    if (istarts_with(value, "file:")) {
        std::string_view rest = value.substr(5);
        if (rest.substr(0, 2) == "//") {
            rest.remove_prefix(2);
            const std::string_view host = rest.substr(0, rest.find('/'));
            if (!host.empty() && !iequals(host, "localhost")) {
                return error(field_name(field) + " is a file: URL on another host ('" +
                             excerpt(host) + "'); only files on this machine can be read");
            }
            rest.remove_prefix(host.size());
        }
        if (rest.empty() || rest.front() != '/') {
            return error(
                field_name(field) +
                " is a file: URL without an absolute path; expected file:///path/to/image.png");
        }
        auto decoded = percent_decode(rest);
        if (!decoded) return error(field_name(field) + " is a file: URL with a bad %-escape");
        return path(std::move(*decoded));
    }
    if (value.front() == '~') {
        if (value.size() > 1 && value[1] != '/') {
            return error(field_name(field) +
                         " uses '~user', which is not supported; pass an absolute path");
        }
        const char* home = std::getenv("HOME");
        if (home == nullptr || *home == '\0') {
            return error(
                field_name(field) +
                " starts with '~' but HOME is not set for the server; pass an absolute path");
        }
        return path(std::string(home) + std::string(value.substr(1)));
    }
    return path(std::string(value));
}

Result from_file(std::string_view field, const fs::path& path, const ImageInputPolicy& policy) {
    const std::string shown = path.string();
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) {
        return field_name(field) + ": no file at '" + excerpt(shown) + "'; check the path or " +
               what_to_send(policy);
    }
    if (ec) return field_name(field) + ": cannot read '" + excerpt(shown) + "': " + ec.message();
    if (fs::is_directory(status))
        return field_name(field) + ": '" + excerpt(shown) + "' is a directory, not an image file";
    if (!fs::is_regular_file(status))
        return field_name(field) + ": '" + excerpt(shown) + "' is not a regular file";
    const auto file_size = fs::file_size(path, ec);
    if (ec) return field_name(field) + ": cannot read '" + excerpt(shown) + "': " + ec.message();
    if (file_size > policy.max_bytes) {
        return too_large(field, static_cast<std::size_t>(file_size), policy,
                         " ('" + excerpt(shown) + "')");
    }

    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return field_name(field) + ": cannot open '" + excerpt(shown) +
               "': " + std::strerror(errno);
    }
    std::string bytes(static_cast<std::size_t>(file_size), '\0');
    const std::size_t read = std::fread(bytes.data(), 1, bytes.size(), file);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) return field_name(field) + ": error reading '" + excerpt(shown) + "'";
    bytes.resize(read);  // the file may have shrunk since it was measured

    auto info = read_image_info(bytes);
    if (!info) return not_an_image(field, bytes.substr(0, 12), policy);
    return ImageInput{base64_encode(bytes), std::move(*info), "file " + shown};
}

Result from_path(std::string_view field, std::string_view value, const ImageInputPolicy& policy) {
    if (!policy.allow_local_files) {
        return field_name(field) + " looks like a local file path ('" + excerpt(value) +
               "'); local paths only work when the server runs locally over stdio. Send the image "
               "as "
               "base64 or a data:image/png;base64,... URL instead";
    }
    auto expanded = expand_path(field, value);
    if (expanded.index() == 1) return std::get<1>(std::move(expanded));
    const fs::path path(std::get<0>(std::move(expanded)));
    if (!path.is_absolute()) {
        return field_name(field) + " is a relative path ('" + excerpt(value) +
               "'), but the server's working directory is not yours; pass an absolute path, or " +
               alternatives(policy);
    }
    return from_file(field, path.lexically_normal(), policy);
}

}  // namespace

std::variant<ImageInput, std::string> resolve_image_input(std::string_view field,
                                                          std::string_view value,
                                                          const ImageInputPolicy& policy) {
    value = trim(value);
    if (value.empty()) return field_name(field) + " is empty; " + what_to_send(policy);
    if (istarts_with(value, "data:")) return from_data_url(field, value, policy);
    if (istarts_with(value, "http://") || istarts_with(value, "https://")) {
        return field_name(field) +
               " is a web URL; this server does not download images: fetch it yourself and " +
               what_to_send(policy);
    }
    const auto size = base64_validate(value);
    const bool valid_base64 = size.has_value() && *size > 0;
    // A leading '/' is ambiguous: base64 of a JPEG starts with "/9j/". Valid base64 that decodes
    // to an image wins; otherwise it is taken as the path it looks like.
    if (valid_base64 &&
        (value.front() != '/' || value.size() > kMaxPathLength || read_base64_image_info(value))) {
        return from_base64(field, value, "base64", policy, size);
    }
    if (looks_like_path(value, valid_base64)) return from_path(field, value, policy);
    return from_base64(field, value, "base64", policy, size);
}

}  // namespace rdmcp::tools
