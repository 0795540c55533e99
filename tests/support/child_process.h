#pragma once
// A real child process with real pipes, for tests that drive our binary the way an agent does.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rdmcp::testing {

// The server's environment in tests: API v1 unless the test says otherwise (RD_API_VERSION in
// `env`, or --api-version, which wins over it). The suites were written against v1's paths;
// API v2, the default, has its own tests (tests/integration/api_v2_test.cpp, and the whole tool
// suite with both SDK clients in tests/e2e/http_api_v2.test.mjs).
//
// And no spend confirmation unless the test says otherwise (RD_CONFIRM_ABOVE in `env`; "" gives
// the transport's default, $1.00 over stdio; or --confirm-above): the suites of other behaviours
// count the requests a call makes and inject faults into them, and the spend guard's free price
// check before every paid call would be one more. The guard has its own tests
// (tests/integration/spend_guard_test.cpp, tests/e2e/spend_guard.test.mjs).
inline std::map<std::string, std::string> with_api_version(std::map<std::string, std::string> env) {
    env.emplace("RD_API_VERSION", "v1");
    env.emplace("RD_CONFIRM_ABOVE", "none");
    return env;
}

class ChildProcess {
  public:
    // Starts `argv[0]` with `argv`; `env` is the whole environment (nothing is inherited but PATH).
    ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env);
    ~ChildProcess();  // kills the child if it still runs
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    void write(const std::string& text);
    void write_line(const std::string& line) { write(line + "\n"); }
    void close_stdin();

    // The next line on stdout (without '\n'), or nothing if none came within `timeout`.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);

    // Waits for the exit; the exit code, 128+signal, or nothing on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    void signal(int signo);

    // Everything the child wrote to stderr so far (read in the background).
    std::string stderr_text();

    pid_t pid() const { return pid_; }

  private:
    void drain_stderr();
    void keep_log();

    std::string program_;
    pid_t pid_ = -1;
    int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
    std::string stdout_buffer_, stderr_buffer_;
    std::optional<int> exit_code_;
};

}  // namespace rdmcp::testing
