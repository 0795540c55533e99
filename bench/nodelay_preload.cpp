// libnodelay.so: LD_PRELOAD'ed into rd-sim by bench/run.py so that every connection it accepts
// has TCP_NODELAY, and its listen backlog is 1024 rather than cpp-httplib's compiled-in 5 (a
// burst of connections beyond 5 waits a whole second for SYN retries; retrodiffusion-mcp's
// HTTP transport raises its own backlog the same way). rd-sim's cpp-httplib server (0.11.4) leaves
// Nagle's algorithm on and writes a response's headers and body separately, so on a reused
// keep-alive connection the body waits for the client's delayed ACK: about 40 ms added to every
// answer, which would bury the microseconds measured here (the real API has no such stall). The fix
// belongs in rd-sim (server_->set_tcp_nodelay(true) and a raised backlog); once there, this library
// changes nothing.
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace {

int with_nodelay(int fd) {
    if (fd >= 0) {
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
                     sizeof one);  // fails harmlessly on non-TCP
    }
    return fd;
}

}  // namespace

extern "C" int listen(int fd, int backlog) {
    using Listen = int (*)(int, int);
    static const auto real = reinterpret_cast<Listen>(::dlsym(RTLD_NEXT, "listen"));
    return real(fd, backlog < 1024 ? 1024 : backlog);
}

extern "C" int accept(int fd, sockaddr* address, socklen_t* length) {
    using Accept = int (*)(int, sockaddr*, socklen_t*);
    static const auto real = reinterpret_cast<Accept>(::dlsym(RTLD_NEXT, "accept"));
    return with_nodelay(real(fd, address, length));
}

extern "C" int accept4(int fd, sockaddr* address, socklen_t* length, int flags) {
    using Accept4 = int (*)(int, sockaddr*, socklen_t*, int);
    static const auto real = reinterpret_cast<Accept4>(::dlsym(RTLD_NEXT, "accept4"));
    return with_nodelay(real(fd, address, length, flags));
}
