#include "server/http_exchange.h"

#include <exception>

#include "server/free_memory.h"

namespace rdmcp::server {

using protocol::Json;

namespace {

constexpr const char* kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";
constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
constexpr std::chrono::milliseconds kPollInterval{200};
constexpr int kBusyRetryAfterSeconds = 2;

// Once a large message (images) is answered, its arguments go and the memory goes back to the
// system, rather than waiting for the exchange's last owner.
void release_if_large(Exchange& exchange) {
    if (!exchange.large_message) return;
    exchange.request.params = nullptr;
    release_free_memory();
}

void set_sse_headers(httplib::Response& response) {
    response.set_header("Cache-Control", "no-cache");
    response.set_header("X-Accel-Buffering", "no");
}

}  // namespace

ExchangeRunner::ExchangeRunner(const protocol::McpServer& server, const HttpOptions& options,
                               RequestLog& log, const std::atomic<bool>& draining)
    : server_(server),
      options_(options),
      log_(log),
      draining_(draining),
      slots_(options.max_concurrency),
      streams_(max_open_streams(options)),
      workers_(options.max_concurrency) {}

ExchangeRunner::~ExchangeRunner() { stop_workers(); }

void ExchangeRunner::begin_request() { requests_in_flight_.fetch_add(1); }

void ExchangeRunner::end_request() {
    if (requests_in_flight_.fetch_sub(1) == 1) {
        std::lock_guard lock(idle_mutex_);
        idle_.notify_all();
    }
}

bool ExchangeRunner::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(idle_mutex_);
    return idle_.wait_for(lock, timeout, [this] { return requests_in_flight_.load() == 0; });
}

void ExchangeRunner::cancel_all(const std::string& reason) { in_flight_.cancel_all(reason); }

void ExchangeRunner::stop_workers() { workers_.shutdown(); }

protocol::Outcome ExchangeRunner::handle(Exchange& exchange) const {
    try {
        return server_.handle(exchange.request, *exchange.legacy, *exchange.context);
    } catch (const std::exception& e) {
        return protocol::RpcError{
            protocol::error_code::kInternalError, std::string("Internal error: ") + e.what(), {}};
    }
}

void ExchangeRunner::run(Exchange exchange, httplib::Response& response) {
    if (protocol::McpServer::may_block(exchange.request)) {
        answer_streamed(std::move(exchange), response);
    } else {
        answer_inline(exchange, response);
    }
}

void ExchangeRunner::answer_inline(Exchange& exchange, httplib::Response& response) {
    begin_request();
    const auto outcome = handle(exchange);
    int status = 200;
    if (const auto* error = std::get_if<protocol::RpcError>(&outcome);
        error && exchange.era == Era::Modern) {
        status = status_for_engine_error(*error);
    }
    const auto message = encode_outcome(exchange.request.id, outcome);
    if (status == 200 && !exchange.accepts.json) {  // a client that only takes SSE
        set_sse_headers(response);
        response.status = 200;
        response.set_content(sse_message(message), kSseContentType);
    } else {
        reply_json(response, status, message);
    }
    log_.record(exchange.record, status, outcome_name(outcome));
    release_if_large(exchange);
    end_request();
}

void ExchangeRunner::answer_streamed(Exchange exchange, httplib::Response& response) {
    const Json id = exchange.request.id;
    auto slot = slots_.try_acquire();
    if (!slot) {
        reply_unavailable(response, id,
                          "the server is busy: " + std::to_string(slots_.limit()) +
                              " calls that wait on the RetroDiffusion API are already running "
                              "(--max-concurrency); retry in a few seconds",
                          kBusyRetryAfterSeconds);
        log_.record(exchange.record, 503, "rejected", "no free slot");
        return;
    }
    auto token = exchange.context->cancellation;
    if (exchange.session && !(*exchange.session)->in_flight().add(id, token)) {
        reply_error(response, 200, id,
                    {protocol::error_code::kInvalidRequest,
                     "request id " + id.dump() +
                         " is already used by a request in flight in this "
                         "session; use a new id for each request",
                     {}});
        log_.record(exchange.record, 200, "error", "request id reused");
        return;
    }
    const Json serial = serial_.fetch_add(1) + 1;
    in_flight_.add(serial, token);

    auto channel = std::make_shared<ResponseChannel>();
    const bool sse = exchange.accepts.sse;
    if (sse) {
        // Notifications for this request (progress, logging) go out on its own stream, only
        // while it is live.
        exchange.context->notify = [channel, token](std::string_view method, const Json& params) {
            if (!token->is_cancelled())
                channel->send(protocol::encode_notification(method, params));
        };
    }
    begin_request();
    auto job = std::make_shared<Exchange>(std::move(exchange));
    bool queued = true;
    try {
        queued = workers_.submit(
            [this, job, channel, slot, sse, serial] { complete(*job, *channel, sse, serial); });
    } catch (const std::exception&) {
        // The job is queued; it runs when a worker is free.
    }
    if (!queued) {
        if (job->session) (*job->session)->in_flight().remove(id);
        in_flight_.remove(serial);
        end_request();
        reply_unavailable(response, id, "the server is shutting down; retry on another instance",
                          5);
        log_.record(job->record, 503, "rejected", "shutting down");
        return;
    }
    attach_stream(response, {.format = sse ? StreamFormat::Sse : StreamFormat::Json,
                             .channel = channel,
                             .cancellation = token,
                             .poll_interval = kPollInterval,
                             .keepalive = options_.sse_keepalive});
}

void ExchangeRunner::complete(Exchange& exchange, ResponseChannel& channel, bool sse,
                              const Json& serial) {
    const auto outcome = handle(exchange);
    const auto& token = *exchange.context->cancellation;
    const bool cancelled = token.is_cancelled();
    const std::string reason = cancelled ? token.reason() : "";
    // A request the client cancelled (closed stream, notifications/cancelled, DELETE) gets no
    // answer on a stream; a JSON body must still be a JSON-RPC message. Requests cancelled by
    // shutdown are answered: the client still waits.
    const bool client_cancelled = cancelled && reason != kShutdownReason;
    if (client_cancelled && sse) {
        channel.end();
    } else {
        channel.finish(encode_outcome(exchange.request.id, outcome));
    }
    if (exchange.session) (*exchange.session)->in_flight().remove(exchange.request.id);
    in_flight_.remove(serial);
    log_.record(exchange.record, 200, client_cancelled ? "cancelled" : outcome_name(outcome),
                reason);
    release_if_large(exchange);
    end_request();
}

void ExchangeRunner::listen(Exchange exchange, httplib::Response& response) {
    const Json id = exchange.request.id;
    if (!exchange.accepts.sse) {
        reply_error(response, 406, id,
                    {protocol::error_code::kInvalidRequest,
                     "subscriptions/listen answers with an SSE stream: send Accept: "
                     "text/event-stream",
                     {}});
        log_.record(exchange.record, 406, "rejected", "listen without SSE");
        return;
    }
    Json requested = Json::object();
    if (auto filter = exchange.request.params.find("notifications");
        filter != exchange.request.params.end() && !filter->is_null()) {
        if (!filter->is_object()) {
            reply_error(response, 200, id,
                        {protocol::error_code::kInvalidParams,
                         "params.notifications must be an object such as "
                         "{\"toolsListChanged\": true}",
                         {}});
            log_.record(exchange.record, 200, "error", "bad filter");
            return;
        }
        requested = *filter;
    }
    auto permit = streams_.try_acquire();
    if (!permit) {
        reply_unavailable(response, id, "too many open streams; retry later", 10);
        log_.record(exchange.record, 503, "rejected", "no stream permit");
        return;
    }
    // Our tool list is fixed for the life of the process, so a tools-list subscription is
    // honoured trivially; we offer no prompts or resources, so those are left out.
    Json honoured = Json::object();
    if (auto tools = requested.find("toolsListChanged");
        tools != requested.end() && *tools == true) {
        honoured["toolsListChanged"] = true;
    }

    auto channel = std::make_shared<ResponseChannel>();
    channel->send(protocol::encode_notification(
        "notifications/subscriptions/acknowledged",
        {{"_meta", {{kMetaSubscriptionId, id}}}, {"notifications", honoured}}));
    const Json server_info = {{"name", server_.identity().name},
                              {"version", server_.identity().version}};
    attach_stream(
        response,
        {.format = StreamFormat::Sse,
         .channel = channel,
         .cancellation = exchange.context->cancellation,
         .should_end = [this] { return draining_.load(); },
         // A graceful end is the response to the listen request (subscriptions: "Graceful
         // Closure"); an abrupt transport drop carries none.
         .closing_message = [id, server_info]() -> std::optional<std::string> {
             return protocol::encode_result(
                 id, {{"resultType", "complete"},
                      {"_meta", {{kMetaSubscriptionId, id}, {kMetaServerInfo, server_info}}}});
         },
         .poll_interval = kPollInterval,
         .keepalive = options_.sse_keepalive,
         .on_end =
             [this, record = exchange.record, permit](bool delivered) {
                 log_.record(record, 200, delivered ? "ok" : "cancelled", "stream ended");
             }});
}

void ExchangeRunner::session_stream(std::shared_ptr<SessionStore::Lease> session,
                                    ExchangeRecord record, httplib::Response& response) {
    if (!(*session)->claim_stream()) {
        reply_error(response, 409, nullptr,
                    {protocol::error_code::kInvalidRequest,
                     "this session already has an open GET stream; only one is allowed",
                     {}});
        log_.record(record, 409, "rejected", "second GET stream");
        return;
    }
    auto permit = streams_.try_acquire();
    if (!permit) {
        (*session)->release_stream();
        reply_unavailable(response, nullptr, "too many open streams; retry later", 10);
        log_.record(record, 503, "rejected", "no stream permit");
        return;
    }
    attach_stream(
        response,
        {.format = StreamFormat::Sse,
         .channel = std::make_shared<ResponseChannel>(),
         .cancellation = std::make_shared<protocol::CancellationToken>(),
         .should_end = [this, session] { return draining_.load() || (*session)->closed(); },
         .poll_interval = kPollInterval,
         .keepalive = options_.sse_keepalive,
         .on_end =
             [this, session, record, permit](bool delivered) {
                 (*session)->release_stream();
                 log_.record(record, 200, delivered ? "ok" : "cancelled", "stream ended");
             }});
}

}  // namespace rdmcp::server
