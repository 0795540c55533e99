#include "stdio_child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace rdbench {

StdioChild::StdioChild(const std::vector<std::string>& command, const std::string& stderr_path) {
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);

    std::vector<char*> argv;
    for (const auto& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    spawned_at_ = Clock::now();
    const int error = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to_child[0]);
    ::close(from_child[1]);
    if (error != 0) {
        ::close(to_child[1]);
        ::close(from_child[0]);
        throw std::runtime_error("cannot start " + command.front() + ": " + std::strerror(error));
    }
    in_fd_ = to_child[1];
    out_fd_ = from_child[0];
    ::fcntl(in_fd_, F_SETFL, ::fcntl(in_fd_, F_GETFL) | O_NONBLOCK);
    ::fcntl(out_fd_, F_SETFL, ::fcntl(out_fd_, F_GETFL) | O_NONBLOCK);
}

StdioChild::~StdioChild() {
    close_input();
    if (wait(5) < 0 && !exited_) {
        ::kill(pid_, SIGTERM);
        if (wait(2) < 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            wait(5);
        }
    }
    if (out_fd_ >= 0) ::close(out_fd_);
}

void StdioChild::write(std::string bytes) {
    pending_.push_back(std::move(bytes));
    pump(0);
}

void StdioChild::close_input() {
    if (in_fd_ < 0) return;
    // Whatever is still queued goes first.
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!pending_.empty() && Clock::now() < deadline && pump(10)) {
    }
    ::close(in_fd_);
    in_fd_ = -1;
}

bool StdioChild::pump(int timeout_ms) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0},
                     {in_fd_, static_cast<short>(pending_.empty() ? 0 : POLLOUT), 0}};
    const int nfds = in_fd_ >= 0 && !pending_.empty() ? 2 : 1;
    if (eof_) return false;
    const int ready = ::poll(fds, static_cast<nfds_t>(nfds), timeout_ms);
    if (ready < 0) return errno == EINTR;
    if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
        while (!pending_.empty()) {
            const std::string& front = pending_.front();
            const ssize_t n =
                ::write(in_fd_, front.data() + pending_offset_, front.size() - pending_offset_);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN) break;
                pending_.clear();  // the child closed its stdin
                pending_offset_ = 0;
                break;
            }
            pending_offset_ += static_cast<std::size_t>(n);
            if (pending_offset_ == front.size()) {
                pending_.pop_front();
                pending_offset_ = 0;
            }
        }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        char chunk[1 << 16];
        for (;;) {
            const ssize_t n = ::read(out_fd_, chunk, sizeof chunk);
            if (n > 0) {
                read_buffer_.append(chunk, static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n == 0) eof_ = true;
            break;
        }
    }
    return !eof_;
}

std::optional<std::string> StdioChild::read_line(double timeout_s) {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timeout_s));
    for (;;) {
        const auto newline = read_buffer_.find('\n', scan_from_);
        if (newline != std::string::npos) {
            std::string line = read_buffer_.substr(0, newline);
            read_buffer_.erase(0, newline + 1);
            scan_from_ = 0;
            return line;
        }
        scan_from_ = read_buffer_.size();
        const auto now = Clock::now();
        if (now >= deadline) return std::nullopt;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
        if (!pump(static_cast<int>(std::min<long long>(left + 1, 50))) && eof_) {
            if (read_buffer_.find('\n', scan_from_) == std::string::npos) return std::nullopt;
        }
    }
}

int StdioChild::wait(double timeout_s) {
    if (exited_) return 0;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timeout_s));
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exited_ = true;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (Clock::now() >= deadline) return -1;
        // Keep reading, so a child blocked writing its last answers can finish.
        if (!eof_)
            pump(5);
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

}  // namespace rdbench
