#pragma once
// An MCP server started as a child process and spoken to over its stdin/stdout, without ever
// blocking: writes are queued and read lines are collected while waiting, so a server that
// writes while we write (1,000 calls in flight) cannot deadlock us. stderr goes to a file.
#include <sys/types.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "wire.h"

namespace rdbench {

class StdioChild {
  public:
    // Starts `command` (searched on PATH), with this process's environment.
    StdioChild(const std::vector<std::string>& command, const std::string& stderr_path);
    ~StdioChild();  // closes stdin; SIGTERM, then SIGKILL, if it does not exit within 5 s
    StdioChild(const StdioChild&) = delete;
    StdioChild& operator=(const StdioChild&) = delete;

    pid_t pid() const { return pid_; }
    Clock::time_point spawned_at() const { return spawned_at_; }

    void write(std::string bytes);
    // The next line the server wrote, waiting up to timeout_s (while also writing what is
    // queued); nothing on timeout or end of output.
    std::optional<std::string> read_line(double timeout_s);
    // Everything queued has been written.
    bool drained() const { return pending_.empty(); }

    void close_input();
    // Exit status, or -1 if it did not exit in time.
    int wait(double timeout_s);

  private:
    bool pump(int timeout_ms);  // false at end of output

    pid_t pid_ = -1;
    int in_fd_ = -1, out_fd_ = -1;
    Clock::time_point spawned_at_;
    std::deque<std::string> pending_;
    std::size_t pending_offset_ = 0;
    std::string read_buffer_;
    std::size_t scan_from_ = 0;
    bool eof_ = false;
    bool exited_ = false;
};

}  // namespace rdbench
