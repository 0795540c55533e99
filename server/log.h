#pragma once
// Structured log lines on stderr (stdout belongs to the protocol on stdio). One line per
// event: "2026-11-26T05:00:00.123Z level=info event=request method=tools/call ...".
// Callers pass fields, never keys: nothing here can know a secret to hide it. Every value, the
// event's name included, is cut to kMaxLogValueBytes here, so no caller can write a client's
// megabytes into the log by forgetting to.
#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rdmcp::server {

inline constexpr std::size_t kMaxLogValueBytes = 256;

enum class LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 };

std::optional<LogLevel> parse_log_level(std::string_view text);

class Logger {
  public:
    using Field = std::pair<std::string_view, std::string>;

    explicit Logger(LogLevel level = LogLevel::Info, int fd = 2) : level_(level), fd_(fd) {}

    void log(LogLevel level, std::string_view event, std::initializer_list<Field> fields = {});
    void error(std::string_view event, std::initializer_list<Field> fields = {}) {
        log(LogLevel::Error, event, fields);
    }
    void warn(std::string_view event, std::initializer_list<Field> fields = {}) {
        log(LogLevel::Warn, event, fields);
    }
    void info(std::string_view event, std::initializer_list<Field> fields = {}) {
        log(LogLevel::Info, event, fields);
    }
    void debug(std::string_view event, std::initializer_list<Field> fields = {}) {
        log(LogLevel::Debug, event, fields);
    }
    bool enabled(LogLevel level) const { return level <= level_; }

  private:
    LogLevel level_;
    int fd_;
    std::mutex mutex_;
};

}  // namespace rdmcp::server
