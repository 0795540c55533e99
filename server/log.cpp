#include "server/log.h"

#include <unistd.h>

#include <chrono>
#include <ctime>

#include "common/text.h"

namespace rdmcp::server {

namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::Error:
            return "error";
        case LogLevel::Warn:
            return "warn";
        case LogLevel::Info:
            return "info";
        case LogLevel::Debug:
            return "debug";
    }
    return "info";
}

std::string timestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto seconds = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis));
    return text;
}

// Values with spaces, quotes or control characters are quoted so a line stays one line. A value
// keeps at most kMaxLogValueBytes of its escaped form, ending on a whole UTF-8 character, then
// says how long it was: whatever a client sends (a 5 MB method or tool name), a line stays short.
void append_value(std::string& line, std::string_view value) {
    std::string escaped;
    std::size_t taken = 0;
    bool plain = !value.empty();
    for (; taken < value.size(); ++taken) {
        const auto c = static_cast<unsigned char>(value[taken]);
        if (escaped.size() >= kMaxLogValueBytes && !continues_character(c)) break;
        if (c <= ' ' || c == '"' || c == '=' || c == 0x7f) plain = false;
        append_escaped(escaped, c);
    }
    if (taken < value.size()) {
        line += '"' + escaped + cut_marker(value.size()) + '"';
    } else if (plain) {
        line += value;
    } else {
        line += '"' + escaped + '"';
    }
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
    if (text == "error") return LogLevel::Error;
    if (text == "warn" || text == "warning") return LogLevel::Warn;
    if (text == "info") return LogLevel::Info;
    if (text == "debug") return LogLevel::Debug;
    return std::nullopt;
}

void Logger::log(LogLevel level, std::string_view event, std::initializer_list<Field> fields) {
    if (!enabled(level)) return;
    std::string line = timestamp() + " level=" + std::string(level_name(level)) + " event=";
    append_value(line, event);
    for (const auto& [name, value] : fields) {
        if (value.empty()) continue;
        line += ' ';
        line += name;
        line += '=';
        append_value(line, value);
    }
    line += '\n';
    std::lock_guard lock(mutex_);
    std::size_t written = 0;
    while (written < line.size()) {
        ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
        if (n <= 0) return;  // stderr gone: logging must never take the server down
        written += static_cast<std::size_t>(n);
    }
}

}  // namespace rdmcp::server
