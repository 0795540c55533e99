#include "tools/upstream_client.h"

#include <httplib.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "protocol/request_context.h"
#include "tools/connection_pool.h"
#include "tools/json_pieces.h"
#include "tools/read_retry.h"

namespace rdmcp::tools {

using protocol::Json;

struct UpstreamClient::Call {
    std::string method;    // GET, POST, PATCH, DELETE
    std::string path;      // "/inferences"
    const Json* body;      // the caller's, alive for the call; never copied (it may hold megabytes)
    const Json* appended;  // more members of the body, or null
    bool idempotent;       // a read: sent again once when its answer is lost
    std::string idempotency_key = {};                  // sent as Idempotency-Key when set
    std::optional<std::chrono::seconds> timeout = {};  // instead of the configured read timeout
    bool needs_key = true;  // false: a public endpoint, asked without any key (GET /status)
    bool list_answer_allowed = false;  // a JSON list is a valid answer too
};

namespace {

struct ParsedUrl {
    std::string origin, prefix, error;
};

ParsedUrl parse_base_url(const std::string& url) {
    ParsedUrl parsed;
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) {
        parsed.error = "must start with https:// (or http:// for a local test server)";
        return parsed;
    }
    const std::string scheme = url.substr(0, scheme_end);
    if (scheme != "https" && scheme != "http") {
        parsed.error = "scheme must be https or http, got \"" + scheme + "\"";
        return parsed;
    }
    auto host_start = scheme_end + 3;
    auto path_start = url.find('/', host_start);
    std::string authority = url.substr(
        host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
    if (authority.empty() || authority.find_first_of("@?# ") != std::string::npos) {
        parsed.error = "must name a host, as in https://api.retrodiffusion.ai";
        return parsed;
    }
    parsed.origin = scheme + "://" + authority;
    if (path_start != std::string::npos) {
        parsed.prefix = url.substr(path_start);
        while (!parsed.prefix.empty() && parsed.prefix.back() == '/') parsed.prefix.pop_back();
    }
    return parsed;
}

UpstreamError transport_error(httplib::Error error, bool cancelled, bool timed_out) {
    if (cancelled)
        return UpstreamError::of(UpstreamError::Kind::Cancelled, "cancelled by the client");
    switch (error) {
        case httplib::Error::SSLServerVerification:
            return UpstreamError::of(UpstreamError::Kind::Connect,
                                     "the server's TLS certificate could not be verified");
        case httplib::Error::SSLConnection:
            return UpstreamError::of(UpstreamError::Kind::Connect, "the TLS handshake failed");
        case httplib::Error::ConnectionTimeout:
            return UpstreamError::of(UpstreamError::Kind::Connect, "connecting timed out");
        case httplib::Error::Connection:
            return UpstreamError::of(
                UpstreamError::Kind::Connect,
                "the connection failed (refused, unreachable or unknown host)");
        case httplib::Error::Canceled:  // our receiver stopped it: only the deadline does that here
        case httplib::Error::Read:
            if (timed_out)
                return UpstreamError::of(UpstreamError::Kind::Timeout, "no answer in time");
            return UpstreamError::of(UpstreamError::Kind::Connect,
                                     "the connection broke while reading the answer");
        case httplib::Error::Write:
            return UpstreamError::of(UpstreamError::Kind::Connect,
                                     "the connection broke while sending the request");
        default:
            return UpstreamError::of(UpstreamError::Kind::Connect,
                                     "transport error: " + httplib::to_string(error));
    }
}

std::optional<int> read_retry_after(const httplib::Response& response) {
    if (!response.has_header("Retry-After")) return std::nullopt;
    const std::string value = response.get_header_value("Retry-After");
    try {
        std::size_t used = 0;
        int seconds = std::stoi(value, &used);
        if (used == value.size() && seconds >= 0) return seconds;
    } catch (const std::exception&) {
    }
    return std::nullopt;  // an HTTP date: not worth guessing
}

}  // namespace

std::optional<std::string> UpstreamClient::validate_base_url(const std::string& url) {
    auto parsed = parse_base_url(url);
    if (!parsed.error.empty()) return parsed.error;
    return std::nullopt;
}

UpstreamCaller::UpstreamCaller(const protocol::RequestContext& context)
    : api_key(context.api_key), cancellation(context.cancellation.get()), log_id(context.log_id) {}

UpstreamClient::UpstreamClient(UpstreamConfig config) : config_(std::move(config)) {
    auto parsed = parse_base_url(config_.base_url);
    if (!parsed.error.empty()) {
        throw std::invalid_argument("upstream URL " + config_.base_url + " " + parsed.error);
    }
    origin_ = parsed.origin;
    path_prefix_ = parsed.prefix;
    pool_ = std::make_unique<ConnectionPool>(origin_, config_);
}

UpstreamClient::~UpstreamClient() = default;

UpstreamResult UpstreamClient::get(const std::string& path, const UpstreamCaller& caller) const {
    return send({"GET", path, nullptr, nullptr, true}, caller);
}

UpstreamResult UpstreamClient::get_list_or_object(const std::string& path,
                                                  const UpstreamCaller& caller) const {
    Call call{"GET", path, nullptr, nullptr, true};
    call.list_answer_allowed = true;
    return send(call, caller);
}

UpstreamResult UpstreamClient::get_public(const std::string& path,
                                          const UpstreamCaller& caller) const {
    Call call{"GET", path, nullptr, nullptr, true};
    call.needs_key = false;
    call.list_answer_allowed = true;  // GET /edit/tools answers with a list
    return send(call, caller);
}

UpstreamResult UpstreamClient::post(const std::string& path, const Json& body,
                                    const UpstreamCaller& caller) const {
    return send({"POST", path, &body, nullptr, false}, caller);
}

UpstreamResult UpstreamClient::post(const std::string& path, const Json& body, const Json& appended,
                                    const UpstreamCaller& caller) const {
    return send({"POST", path, &body, &appended, false}, caller);
}

UpstreamResult UpstreamClient::patch(const std::string& path, const Json& body,
                                     const UpstreamCaller& caller) const {
    return send({"PATCH", path, &body, nullptr, false}, caller);
}

UpstreamResult UpstreamClient::del(const std::string& path, const UpstreamCaller& caller) const {
    return send({"DELETE", path, nullptr, nullptr, false}, caller);
}

UpstreamResult UpstreamClient::send(const Call& call, const UpstreamCaller& caller) const {
    UpstreamResult result = send_once(call, caller);
    if (!result.ok() && call.idempotent && !caller.is_cancelled()) {
        if (auto wait = read_retry_wait(*result.error);
            wait && wait_unless_cancelled(*wait, caller.cancellation)) {
            result = send_once(call, caller);
            result.attempts = 2;
        }
    }
    return finish(std::move(result), call, caller);
}

UpstreamResult UpstreamClient::submit(const std::string& path, const Json& body,
                                      const Json& appended, const IdempotentSubmission& submission,
                                      const UpstreamCaller& caller) const {
    const Call call{"POST",
                    path,
                    &body,
                    &appended,
                    false,
                    submission.key_in_header ? submission.key : std::string(),
                    submission.answer_timeout};
    UpstreamResult result;
    auto backoff = submission.first_backoff;
    for (int attempt = 1;; ++attempt) {
        result = send_once(call, caller);
        result.attempts = attempt;
        if (result.ok() || attempt >= submission.max_attempts || !answer_lost(*result.error)) break;
        auto wait = backoff;
        if (result.error->retry_after) {
            wait = std::max(wait, std::chrono::seconds(*result.error->retry_after));
        }
        if (wait > submission.longest_wait) break;  // the API asks for longer than a call waits
        if (!wait_unless_cancelled(wait, caller.cancellation)) break;
        backoff *= 2;
    }
    return finish(std::move(result), call, caller);
}

UpstreamResult UpstreamClient::finish(UpstreamResult result, const Call& call,
                                      const UpstreamCaller& caller) const {
    if (!result.ok()) {
        auto& error = *result.error;
        error.method = call.method;
        error.path = versioned_path(config_.api_version, call.path);
        // Everything here came from the API and goes to logs and agents: no key in any of it.
        error.message = redact(error.message, caller.api_key);
        error.code = redact(error.code, caller.api_key);
        error.request_id = redact(error.request_id, caller.api_key);
        if (error.details) error.details = redact_json(*error.details, caller.api_key);
        if (config_.on_failure) config_.on_failure(caller.log_id, error);
    }
    return result;
}

UpstreamResult UpstreamClient::send_once(const Call& call, const UpstreamCaller& caller) const {
    UpstreamResult result;
    if (call.needs_key && caller.api_key.empty()) {
        result.error = UpstreamError::of(UpstreamError::Kind::MissingKey, "no API key");
        return result;
    }
    if (caller.is_cancelled()) {
        result.error = transport_error(httplib::Error::Canceled, true, false);
        return result;
    }

    httplib::Headers headers = {
        {"Accept", "application/json"},
        {"User-Agent", config_.user_agent},
    };
    if (call.needs_key) headers.emplace("X-RD-Token", caller.api_key);
    httplib::Request request;
    request.method = call.method;
    request.path = path_prefix_ + versioned_path(config_.api_version, call.path);
    request.headers = std::move(headers);
    if (!call.idempotency_key.empty()) {
        request.headers.emplace("Idempotency-Key", call.idempotency_key);
    }
    // The body goes out through a content provider, piece by piece from where it is: cpp-httplib
    // copies a Request (body included) before sending it, and a serialized text would be one more
    // copy of every image. Its Post(..., ContentProvider) overloads set these same members, but
    // none of them takes the content receiver we need for the answer.
    std::optional<JsonPieces> body;
    if (call.body) {
        static const Json kNothing;
        body.emplace(*call.body, call.appended ? *call.appended : kNothing);  // (no copy)
        request.headers.emplace("Content-Type", "application/json");
        request.content_length_ = body->size();
        request.content_provider_ = [&body](std::size_t offset, std::size_t,
                                            httplib::DataSink& sink) {
            body->write_from(offset, [&sink](const char* data, std::size_t size) {
                return sink.write(data, size);
            });
            // A failed write is the sink's to report (cpp-httplib then says Error::Write: "broke
            // while sending"); false from here would read as a cancellation.
            return true;
        };
    }

    // The body is collected here rather than by httplib so that its size and the overall
    // deadline are enforced while it arrives (a huge or trickling answer cannot hold us).
    const auto started = std::chrono::steady_clock::now();
    const auto timeout = call.timeout.value_or(config_.read_timeout);
    const auto deadline = started + timeout;
    std::string received;
    bool too_large = false, overdue = false;
    request.response_handler = [&](const httplib::Response& head) {
        if (head.has_header("Content-Length")) {
            const auto declared =
                std::strtoull(head.get_header_value("Content-Length").c_str(), nullptr, 10);
            if (declared > config_.max_response_bytes) {
                too_large = true;
                return false;
            }
            received.reserve(declared);
        }
        return true;
    };
    request.content_receiver = [&](const char* data, size_t length, uint64_t, uint64_t) {
        if (received.size() + length > config_.max_response_bytes) {
            too_large = true;
            return false;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            overdue = true;
            return false;
        }
        received.append(data, length);
        return true;
    };

    auto client = pool_->acquire();
    client->set_read_timeout(timeout);  // it is ours alone for this call
    std::atomic<bool> interrupted{false};
    httplib::Response response;
    auto failure = httplib::Error::Success;
    const bool answered = [&] {
        // Cancellation shuts the socket down, which wakes the blocked read at once.
        std::optional<protocol::CancellationHook> hook;
        if (caller.cancellation) {
            hook.emplace(*caller.cancellation, [&] {
                interrupted = true;
                client->stop();
            });
        }
        // This overload sends `request` as it is; send(const Request&) would copy it, body and all.
        return client->send(request, response, failure);
    }();
    request.content_provider_ = nullptr;
    body.reset();  // sent: its pieces of text are freed before the answer is parsed

    if (interrupted) {
        result.error = transport_error(httplib::Error::Canceled, true, false);
        return result;
    }
    if (too_large) {
        result.error = UpstreamError::of(
            UpstreamError::Kind::InvalidResponse,
            "the answer is larger than " + std::to_string(config_.max_response_bytes) + " bytes");
        return result;
    }
    if (!answered) {
        const bool timed_out = overdue || std::chrono::steady_clock::now() - started >=
                                              timeout - std::chrono::seconds(1);
        result.error = transport_error(failure, false, timed_out);
        return result;  // the connection is in an unknown state: drop it
    }

    result.status = response.status;
    const bool reusable = response.get_header_value("Connection") != "close";
    if (result.status < 200 || result.status >= 300) {
        auto error = UpstreamError::of(UpstreamError::Kind::Http, "", result.status);
        error.retry_after = read_retry_after(response);
        error.request_id = request_id_from_headers(response.get_header_value("X-Request-ID"),
                                                   response.get_header_value("X-RD-Request-ID"));
        read_error_body(received, error);
        result.error = std::move(error);
    } else {
        // Which API Activity entry the call made (v2 sync calls name it here), for recovery.
        result.request_id = request_id_from_headers(response.get_header_value("X-RD-Request-ID"),
                                                    response.get_header_value("X-Request-ID"));
        result.body = Json::parse(received, nullptr, false);
        const bool list_ok = call.list_answer_allowed && result.body.is_array();
        if (result.body.is_discarded() || !(result.body.is_object() || list_ok)) {
            result.error = UpstreamError::of(
                UpstreamError::Kind::InvalidResponse,
                received.empty() ? "the API answered with an empty body"
                                 : "the API answered with something other than a JSON object",
                result.status);
            result.body = nullptr;
        }
    }
    if (reusable) pool_->release(std::move(client));
    return result;
}

}  // namespace rdmcp::tools
