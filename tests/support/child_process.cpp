#include "tests/support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace rdmcp::testing {

namespace {
void make_pipe(int fds[2]) {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}
}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env) {
    int in[2], out[2], err[2];
    make_pipe(in);
    make_pipe(out);
    make_pipe(err);
    if (const char* path = std::getenv("PATH"); path && !env.count("PATH")) env["PATH"] = path;

    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> c_argv, c_env;
    for (auto& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    for (auto& e : env_strings) c_env.push_back(e.data());
    c_env.push_back(nullptr);

    program_ = argv.front();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        // The test runner may block signals; the child must start with a clean mask.
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execve(c_argv[0], c_argv.data(), c_env.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    stdin_fd_ = in[1];
    stdout_fd_ = out[0];
    stderr_fd_ = err[0];
    ::fcntl(stderr_fd_, F_SETFL, O_NONBLOCK);
    ::signal(SIGPIPE, SIG_IGN);
}

ChildProcess::~ChildProcess() {
    if (!exit_code_) {
        ::kill(pid_, SIGKILL);
        wait(std::chrono::seconds(5));
    }
    keep_log();
    for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_}) {
        if (fd >= 0) ::close(fd);
    }
}

void ChildProcess::write(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(stdin_fd_, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("the child closed its stdin");
        done += static_cast<std::size_t>(n);
    }
}

void ChildProcess::close_stdin() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    stdin_fd_ = -1;
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto newline = stdout_buffer_.find('\n'); newline != std::string::npos) {
            std::string line = stdout_buffer_.substr(0, newline);
            stdout_buffer_.erase(0, newline + 1);
            return line;
        }
        drain_stderr();
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd fd{stdout_fd_, POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(std::min<long long>(left.count(), 100))) <= 0) continue;
        char chunk[65536];
        ssize_t n = ::read(stdout_fd_, chunk, sizeof chunk);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return std::nullopt;  // stdout closed
        }
        stdout_buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            drain_stderr();
            return exit_code_;
        }
        drain_stderr();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

void ChildProcess::signal(int signo) { ::kill(pid_, signo); }

void ChildProcess::drain_stderr() {
    char chunk[65536];
    for (;;) {
        ssize_t n = ::read(stderr_fd_, chunk, sizeof chunk);
        if (n <= 0) return;
        stderr_buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

// Everything a child logged is kept for the suite-wide scan for API keys (log_key_scan).
void ChildProcess::keep_log() {
    const char* dir = std::getenv("RDMCP_TEST_LOG_DIR");
    if (!dir || !*dir) return;
    drain_stderr();
    std::filesystem::create_directories(dir);
    const auto name = std::filesystem::path(program_).filename().string();
    std::ofstream(std::filesystem::path(dir) / (name + "-" + std::to_string(pid_) + ".log"))
        << stderr_buffer_;
}

std::string ChildProcess::stderr_text() {
    drain_stderr();
    return stderr_buffer_;
}

}  // namespace rdmcp::testing
