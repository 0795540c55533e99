#include "server/http/exchange.h"

#include <exception>

#include "server/free_memory.h"
#include "server/http/outbox.h"

namespace rdmcp::server {

using protocol::Json;

namespace {

constexpr const char* kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";
constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
constexpr std::chrono::milliseconds kPollInterval{200};
constexpr int kBusyRetryAfterSeconds = 2;

}  // namespace

ExchangeRunner::ExchangeRunner(const protocol::McpServer& server, const HttpOptions& options,
                               RequestLog& log, const std::atomic<bool>& draining)
    : server_(server),
      options_(options),
      log_(log),
      draining_(draining),
      slots_(options.max_concurrency),
      streams_(max_open_streams(options)),
      dispatcher_(server, workers_, release_free_memory),
      workers_(options.max_concurrency) {}

ExchangeRunner::~ExchangeRunner() { stop_workers(); }

void ExchangeRunner::stop_workers() { workers_.shutdown(); }

protocol::Incoming ExchangeRunner::incoming(Exchange& exchange) {
    protocol::Incoming incoming{.request = std::move(exchange.request),
                                .context = exchange.context,
                                .session = exchange.legacy,
                                .large = exchange.large_message};
    if (exchange.session) {
        // A legacy session's request ids are unique within it; the lease stays held while the
        // request runs.
        incoming.id_scope = std::shared_ptr<protocol::InFlightRequests>(
            exchange.session, &(*exchange.session)->in_flight());
        // Its client's responses come back as POSTs naming the session (McpEndpoint).
        incoming.client_requests = std::shared_ptr<protocol::ClientRequests>(
            exchange.session, &(*exchange.session)->client_requests());
    }
    return incoming;
}

void ExchangeRunner::run(Exchange exchange, httplib::Response& response) {
    if (protocol::Dispatcher::runs_on_worker(exchange.request)) {
        answer_streamed(std::move(exchange), response);
    } else {
        answer_inline(std::move(exchange), response);
    }
}

protocol::Outcome ExchangeRunner::answer_here(Exchange exchange) {
    auto outbox = std::make_shared<CapturingOutbox>();
    dispatcher_.run(incoming(exchange), outbox);
    return outbox->outcome().value_or(protocol::Outcome{protocol::RpcError{
        protocol::error_code::kInternalError, "the request was not answered", {}}});
}

void ExchangeRunner::answer_inline(Exchange exchange, httplib::Response& response) {
    auto outbox = std::make_shared<InlineOutbox>(response, exchange.era, exchange.accepts,
                                                 exchange.record, log_);
    dispatcher_.run(incoming(exchange), std::move(outbox));
}

void ExchangeRunner::answer_streamed(Exchange exchange, httplib::Response& response) {
    auto slot = slots_.try_acquire();
    if (!slot) {
        reject(response, log_, exchange.record, exchange.request.id,
               unavailable("the server is busy: " + std::to_string(slots_.limit()) +
                               " calls that wait on the RetroDiffusion API are already running "
                               "(--max-concurrency); retry in a few seconds",
                           "no free slot", kBusyRetryAfterSeconds));
        return;
    }
    auto channel = std::make_shared<ResponseChannel>();
    auto token = exchange.context->cancellation;
    const bool sse = exchange.accepts.sse;
    auto outbox = std::make_shared<StreamOutbox>(response, channel, sse, exchange.record, log_,
                                                 std::move(slot), token);
    dispatcher_.run(incoming(exchange), outbox);
    if (outbox->refused()) return;  // answered in the response already
    attach_stream(response, {.format = sse ? StreamFormat::Sse : StreamFormat::Json,
                             .channel = channel,
                             .cancellation = token,
                             .poll_interval = kPollInterval,
                             .keepalive = options_.sse_keepalive});
}

void ExchangeRunner::listen(Exchange exchange, httplib::Response& response) {
    const Json id = exchange.request.id;
    if (!exchange.accepts.sse) {
        reject(response, log_, exchange.record, id,
               invalid_request(406,
                               "subscriptions/listen answers with an SSE stream: send Accept: "
                               "text/event-stream",
                               "listen without SSE"));
        return;
    }
    Json requested = Json::object();
    if (auto filter = exchange.request.params.find("notifications");
        filter != exchange.request.params.end() && !filter->is_null()) {
        if (!filter->is_object()) {
            reject(response, log_, exchange.record, id,
                   {200,
                    {protocol::error_code::kInvalidParams,
                     "params.notifications must be an object such as "
                     "{\"toolsListChanged\": true}",
                     {}},
                    "bad filter",
                    0,
                    "error"});
            return;
        }
        requested = *filter;
    }
    auto permit = streams_.try_acquire();
    if (!permit) {
        reject(response, log_, exchange.record, id,
               unavailable("too many open streams; retry later", "no stream permit", 10));
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
        reject(
            response, log_, record, nullptr,
            invalid_request(409, "this session already has an open GET stream; only one is allowed",
                            "second GET stream"));
        return;
    }
    auto permit = streams_.try_acquire();
    if (!permit) {
        (*session)->release_stream();
        reject(response, log_, record, nullptr,
               unavailable("too many open streams; retry later", "no stream permit", 10));
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
