#include "sim_faults.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include "sim_http.h"
#include "sim_v2_errors.h"

namespace rdsim {
namespace {

json default_fail_body(int status) {
    switch (status) {
        case 400:
            return detail_error("invalid_request", "Invalid request.");
        case 401:
            return detail_error("invalid_token", "Invalid or missing X-RD-Token.");
        case 403:
            return detail_error("forbidden", "Token lacks access.");
        case 404:
            return detail_error("not_found", "Not found.");
        case 410:
            return detail_error("deprecated", "This endpoint is deprecated.");
        case 422:
            return {{"detail", json::array({validation_issue({"body"}, "Simulated validation error",
                                                             "value_error")})}};
        case 429:
            return detail_error("rate_limited", "Too many requests.");
        case 500:
            return detail_error("inference_failed", "Unable to run inference.");
        case 502:
            return detail_error("bad_gateway", "Bad gateway.");
        case 503:
            return detail_error("service_unavailable", "Service temporarily unavailable.");
        case 504:
            return detail_error("gateway_timeout", "Gateway timeout.");
        default:
            return detail_error("error", "Simulated error.");
    }
}

// Transport faults: the status line and headers go out, then the body misbehaves.
void send_faulty_body(Ctx& ctx, const FailRule& rule, std::string body, const std::string& type,
                      httplib::Response& res) {
    if (rule.transport == "huge") {
        res.set_content_provider(rule.huge_bytes, "application/json",
                                 [](size_t offset, size_t length, httplib::DataSink& sink) {
                                     // A JSON string that never ends within the body.
                                     std::string chunk(std::min<size_t>(length, 1 << 16), 'x');
                                     if (offset == 0) chunk[0] = '"';
                                     return sink.write(chunk.data(), chunk.size());
                                 });
        return;
    }
    auto shared = std::make_shared<std::string>(std::move(body));
    if (rule.transport == "reset_mid_body") {
        // Promise the whole body, send half, then give up: the client sees the connection drop.
        res.set_content_provider(shared->size(), type,
                                 [shared](size_t offset, size_t, httplib::DataSink& sink) {
                                     if (offset > 0) return false;
                                     sink.write(shared->data(), shared->size() / 2);
                                     return true;
                                 });
        return;
    }
    // trickle
    const int interval = rule.trickle_interval_ms;
    State* state = &ctx.state;
    res.set_content_provider(
        shared->size(), type,
        [shared, interval, state](size_t offset, size_t, httplib::DataSink& sink) {
            if (!state->wait_ms(interval)) return false;  // shutting down
            return sink.write(shared->data() + offset, 1);
        });
}

int port_of(const sockaddr_storage& addr) {
    if (addr.ss_family == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
    if (addr.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
    return -1;
}

// The request's connection: the open TCP socket of this process whose local and peer ports
// are the request's. cpp-httplib does not hand the socket to handlers, so it is looked up.
int connection_fd(const httplib::Request& req) {
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return -1;
    int found = -1;
    while (dirent* entry = readdir(dir)) {
        char* end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0') continue;
        sockaddr_storage local{}, peer{};
        socklen_t local_len = sizeof local, peer_len = sizeof peer;
        if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) ||
            getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len))
            continue;
        if (port_of(local) == req.local_port && port_of(peer) == req.remote_port) {
            found = static_cast<int>(fd);
            break;
        }
    }
    closedir(dir);
    return found;
}

// Drops the connection under the request: no status line, no headers. cpp-httplib's own write
// of the (empty) answer then fails and it closes the socket, with a reset (linger 0).
void abort_connection(const httplib::Request& req) {
    const int fd = connection_fd(req);
    if (fd < 0) return;
    const linger abort_on_close{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    shutdown(fd, SHUT_RDWR);
}

}  // namespace

void apply_fault(Ctx& ctx, const FailRule& rule, const httplib::Request& req,
                 httplib::Response& res, const Call& call) {
    ctx.state.wait_ms(rule.delay_ms);
    if (rule.reset) {
        abort_connection(req);
        res.status = 500;  // never reaches the client
        res.set_content("", "text/plain");
        return;
    }
    res.status = rule.status;
    json default_body =
        call.v2() ? v2_status_error(rule.status, call.request_id) : default_fail_body(rule.status);
    if (rule.status == 500 && req.path.find("/pixel-fixer/") != std::string::npos) {
        // Pixel Fixer's own failure code (PIXEL_FIXER.md), in either API's shape.
        default_body = call.v2() ? json{{"error",
                                         {{"code", "pixel_fixer_failed"},
                                          {"message", "Pixel fixer failed."},
                                          {"request_id", call.request_id}}}}
                                 : detail_error("pixel_fixer_failed", "Pixel fixer failed.");
    }
    if (call.v2() && !rule.raw && !rule.body) res.set_header("X-Request-ID", call.request_id);
    std::string body = rule.raw ? *rule.raw : dump(rule.body.value_or(default_body));
    const std::string type = rule.raw ? rule.content_type : "application/json";
    if (!rule.transport.empty()) {
        send_faulty_body(ctx, rule, std::move(body), type, res);
    } else {
        res.set_content(body, type);
    }
    if (rule.retry_after) res.set_header("Retry-After", std::to_string(*rule.retry_after));
    for (const auto& [name, value] : rule.headers.items())
        res.set_header(name, value.is_string() ? value.get<std::string>() : dump(value));
}

}  // namespace rdsim
