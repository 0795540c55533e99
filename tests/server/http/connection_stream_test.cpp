#include "server/http/connection_stream.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

using namespace rdmcp::server;

namespace {

// A TCP connection over loopback: the server's end, the client's end, and the listening port.
struct LoopbackConnection {
    int server = -1;
    int client = -1;
    int port = 0;

    LoopbackConnection() {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), length) == 0);
        REQUIRE(::listen(listener, 1) == 0);
        REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port = ntohs(address.sin_port);
        client = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&address), length) == 0);
        server = ::accept(listener, nullptr, nullptr);
        ::close(listener);
        REQUIRE(server >= 0);
    }
    ~LoopbackConnection() {
        if (server >= 0) ::close(server);
        if (client >= 0) ::close(client);
    }
};

int local_port(int fd) {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("a connection's two ends are looked up once, for all of its requests") {
    LoopbackConnection connection;
    const SocketAddresses addresses(connection.server);
    CHECK(addresses.remote().ip == "127.0.0.1");
    CHECK(addresses.remote().port == local_port(connection.client));
    CHECK(addresses.local().ip == "127.0.0.1");
    CHECK(addresses.local().port == connection.port);

    // Kept, not asked again: with the socket gone, a new look-up would find nothing.
    ::close(connection.server);
    connection.server = -1;
    CHECK(addresses.remote().ip == "127.0.0.1");
    CHECK(addresses.local().port == connection.port);
    CHECK(peer_address(-1).empty());
}

TEST_CASE("a stream reads a body that is already there, and never past it") {
    LoopbackConnection connection;
    const SocketAddresses addresses(connection.server);
    const std::string head = "POST /mcp HTTP/1.1\r\nContent-Length: 5\r\n\r\n";
    REQUIRE(::send(connection.client, "hello, next request", 19, 0) == 19);
    ConnectionStream stream(connection.server, head, 5, StreamTimeouts{}, addresses);

    std::string read(head.size(), '\0');
    CHECK(stream.read(read.data(), read.size()) == static_cast<ssize_t>(head.size()));
    CHECK(read == head);
    char body[64];
    CHECK(stream.read(body, sizeof body) == 5);
    CHECK(std::string(body, 5) == "hello");
    CHECK(stream.read(body, sizeof body) == 0);  // the rest is the next request's
    CHECK(stream.body_read() == 5);
}

TEST_CASE("a body that does not come fails the read at the read timeout, without hanging") {
    LoopbackConnection connection;
    const SocketAddresses addresses(connection.server);
    StreamTimeouts timeouts;
    timeouts.read = std::chrono::milliseconds(50);
    ConnectionStream stream(connection.server, "", 5, timeouts, addresses);
    char body[8];
    CHECK(stream.read(body, sizeof body) == -1);
    CHECK(stream.body_read() == 0);
}

TEST_CASE("a write goes out at once, and fails once the client has gone") {
    LoopbackConnection connection;
    const SocketAddresses addresses(connection.server);
    ConnectionStream stream(connection.server, "", 0, StreamTimeouts{}, addresses);
    CHECK(stream.write("answer", 6) == 6);
    char received[16];
    CHECK(::recv(connection.client, received, sizeof received, 0) == 6);

    ::close(connection.client);
    connection.client = -1;
    // The first send after the close may still be accepted by the kernel; the reset it draws
    // fails the next ones (EPIPE or ECONNRESET), never a wait and never a SIGPIPE.
    ssize_t result = 0;
    for (int attempt = 0; attempt < 50 && result >= 0; ++attempt) {
        result = stream.write("more", 4);
        if (result >= 0) ::usleep(1000);
    }
    CHECK(result == -1);
}
