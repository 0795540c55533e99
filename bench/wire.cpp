#include "wire.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rdbench {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
    constexpr std::string_view scheme = "http://";
    if (text.substr(0, scheme.size()) != scheme) return std::nullopt;
    text.remove_prefix(scheme.size());
    const auto slash = text.find('/');
    const std::string_view authority = text.substr(0, slash);
    Url url;
    url.path = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos)
        url.port = std::atoi(std::string(authority.substr(colon + 1)).c_str());
    if (url.host == "localhost") url.host = "127.0.0.1";
    return url;
}

std::string build_request(const std::string& method, const Url& url,
                          const std::vector<std::string>& headers, const std::string& body) {
    std::string request = method + " " + url.path + " HTTP/1.1\r\nHost: " + url.host + ":" +
                          std::to_string(url.port) + "\r\n";
    for (const auto& header : headers) request += header + "\r\n";
    if (!body.empty() || method == "POST")
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n";
    request += body;
    return request;
}

void ResponseParser::reset() {
    // Keep what arrived past this response (never happens without pipelining, but be exact).
    buffer_.erase(0, consumed_);
    consumed_ = 0;
    state_ = State::Head;
    status_ = 0;
    content_length_ = -1;
    close_ = false;
    body_.clear();
}

bool ResponseParser::feed(const char* data, std::size_t size) {
    buffer_.append(data, size);
    for (;;) {
        switch (state_) {
            case State::Head:
                if (!parse_head()) return state_ != State::Error;
                break;
            case State::Length: {
                const auto available = buffer_.size() - consumed_;
                if (static_cast<long long>(available) < content_length_) return true;
                body_.assign(buffer_, consumed_, static_cast<std::size_t>(content_length_));
                consumed_ += static_cast<std::size_t>(content_length_);
                state_ = State::Done;
                return true;
            }
            case State::Chunked:
                if (!parse_chunks()) return state_ != State::Error;
                return true;
            case State::Done:
                return true;
            case State::Error:
                return false;
        }
    }
}

bool ResponseParser::parse_head() {
    const auto end = buffer_.find("\r\n\r\n", consumed_);
    if (end == std::string::npos) return false;
    std::string_view head(buffer_.data() + consumed_, end - consumed_);
    const auto line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") {
        state_ = State::Error;
        return false;
    }
    status_ = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    bool chunked = false;
    std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
        auto next = head.find("\r\n", pos);
        if (next == std::string_view::npos) next = head.size();
        const std::string_view line = head.substr(pos, next - pos);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            const auto name = line.substr(0, colon);
            const auto value = trim(line.substr(colon + 1));
            if (iequals(name, "content-length"))
                content_length_ = std::atoll(std::string(value).c_str());
            if (iequals(name, "transfer-encoding") && iequals(value, "chunked")) chunked = true;
            if (iequals(name, "connection") && iequals(value, "close")) close_ = true;
        }
        pos = next + 2;
    }
    consumed_ = end + 4;
    if (chunked) {
        state_ = State::Chunked;
    } else if (content_length_ >= 0) {
        state_ = State::Length;
    } else if (status_ == 204 || status_ == 304) {
        state_ = State::Done;
    } else {
        state_ = State::Error;  // a body delimited by closing: not used by the servers measured
        return false;
    }
    return true;
}

bool ResponseParser::parse_chunks() {
    for (;;) {
        const auto line_end = buffer_.find("\r\n", consumed_);
        if (line_end == std::string::npos) return false;
        const std::string size_text = buffer_.substr(consumed_, line_end - consumed_);
        char* parse_end = nullptr;
        const unsigned long long size = std::strtoull(size_text.c_str(), &parse_end, 16);
        if (parse_end == size_text.c_str()) {
            state_ = State::Error;
            return false;
        }
        if (size == 0) {
            // No trailers from the servers measured: the last chunk is "0\r\n\r\n".
            if (buffer_.size() < line_end + 4) return false;
            consumed_ = line_end + 4;
            state_ = State::Done;
            return true;
        }
        if (buffer_.size() < line_end + 2 + size + 2) return false;
        body_.append(buffer_, line_end + 2, size);
        consumed_ = line_end + 2 + size + 2;
    }
}

int connect_to(const Url& url) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(url.port));
    if (::inet_pton(AF_INET, url.host.c_str(), &address.sin_addr) != 1 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

double process_cpu_seconds(int pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const auto paren = text.rfind(')');
    if (paren == std::string::npos) return -1;
    std::istringstream fields(text.substr(paren + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14) utime = std::stoull(field);
        if (index == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

long process_status_field(int pid, const char* field) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(file, line)) {
        if (line.rfind(prefix, 0) == 0) return std::atol(line.c_str() + prefix.size());
    }
    return -1;
}

long process_smaps_field(int pid, const char* field) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(file, line)) {
        if (line.rfind(prefix, 0) == 0) return std::atol(line.c_str() + prefix.size());
    }
    return -1;
}

double process_cpu_seconds_precise(int pid) {
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = ::opendir(tasks.c_str());
    if (dir == nullptr) return -1;
    unsigned long long total = 0;
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        std::ifstream file(tasks + "/" + entry->d_name + "/schedstat");
        unsigned long long on_cpu = 0;
        if (file >> on_cpu) total += on_cpu;
    }
    ::closedir(dir);
    return static_cast<double>(total) / 1e9;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

}  // namespace rdbench
