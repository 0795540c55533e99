#include "server/log.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

using namespace rdmcp::server;

namespace {

// What a Logger writes, read back through a pipe.
class CapturedLog {
  public:
    CapturedLog() {
        REQUIRE(::pipe(fds_) == 0);
        // Neither end blocks: a line longer than the pipe holds shows up cut short (a failed
        // check), not as a test that hangs.
        ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
        ::fcntl(fds_[1], F_SETFL, O_NONBLOCK);
    }
    ~CapturedLog() {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    int fd() const { return fds_[1]; }
    std::string text() {
        std::string out;
        char buffer[65536];
        ssize_t n;
        while ((n = ::read(fds_[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
        return out;
    }

  private:
    int fds_[2] = {-1, -1};
};

}  // namespace

TEST_CASE("log lines: plain values as they are, others quoted and escaped") {
    CapturedLog log;
    Logger logger(LogLevel::Info, log.fd());
    logger.info("request", {{"method", "tools/list"}, {"detail", "a \"b\"\n"}, {"empty", ""}});
    const auto line = log.text();
    CHECK(line.find(" level=info event=request method=tools/list detail=\"a \\\"b\\\"\\x0a\"\n") !=
          std::string::npos);
    CHECK(line.find("empty=") == std::string::npos);
    logger.debug("hidden");
    CHECK(log.text().empty());
}

TEST_CASE("every value and the event name are cut: a 5 MB method makes a short line") {
    CapturedLog log;
    Logger logger(LogLevel::Info, log.fd());
    const std::string method = "tools/" + std::string(5u << 20, 'a');
    logger.info(method, {{"method", method}, {"tool", std::string(1u << 20, '\n')}});
    const auto line = log.text();
    CAPTURE(line.substr(0, 400));
    CHECK(line.size() < 2048);
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(line.find("event=\"tools/aaa") != std::string::npos);
    CHECK(line.find("method=\"tools/aaa") != std::string::npos);
    CHECK(line.find("…[cut: " + std::to_string(method.size()) + " bytes]\"") != std::string::npos);
    CHECK(line.find("tool=\"\\x0a\\x0a") != std::string::npos);  // escaped, and still cut
    CHECK(line.find("…[cut: 1048576 bytes]\"") != std::string::npos);
}

TEST_CASE("a cut value ends on a whole UTF-8 character") {
    CapturedLog log;
    Logger logger(LogLevel::Info, log.fd());
    std::string euros;
    for (int i = 0; i < 1000; ++i) euros += "€";
    logger.info("request", {{"tool", euros}});
    const auto line = log.text();
    const auto marker = line.find("…[cut: 3000 bytes]");
    REQUIRE(marker != std::string::npos);
    const auto start = line.find("tool=\"") + 6;
    CHECK((marker - start) % 3 == 0);  // only whole "€" before the marker
    CHECK(marker - start >= kMaxLogValueBytes);
    CHECK(marker - start < kMaxLogValueBytes + 3);
}
