#include "protocol/dispatcher.h"

#include <exception>

#include "common/text.h"
#include "protocol/versions.h"

namespace rdmcp::protocol {

namespace {

constexpr int kServerError = -32000;  // JSON-RPC's range for implementation-defined errors

}  // namespace

// A request between run() and its outbox's finish().
struct Dispatcher::Running {
    Incoming incoming;
    std::shared_ptr<Outbox> outbox;
    Json serial;              // its key in everything_
    bool registered = false;  // in incoming.id_scope
};

Dispatcher::Dispatcher(const McpServer& server, Executor& executor,
                       std::function<void()> release_memory)
    : server_(server), executor_(executor), release_memory_(std::move(release_memory)) {}

std::optional<RpcError> Dispatcher::prepare(Incoming& incoming) const {
    return server_.prepare(incoming.request, incoming.session.get(), *incoming.context);
}

void Dispatcher::begin() { running_.fetch_add(1); }

void Dispatcher::end() {
    if (running_.fetch_sub(1) == 1) {
        std::lock_guard lock(idle_mutex_);
        idle_.notify_all();
    }
}

bool Dispatcher::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(idle_mutex_);
    return idle_.wait_for(lock, timeout, [this] { return running_.load() == 0; });
}

void Dispatcher::cancel_all(const std::string& reason) { everything_.cancel_all(reason); }

Outcome Dispatcher::handle(Incoming& incoming) const {
    // Handlers run on workers, where an escaping exception would end the process.
    try {
        return server_.handle(incoming.request, incoming.session.get(), *incoming.context);
    } catch (const std::exception& e) {
        return RpcError{
            error_code::kInternalError,
            "Internal error in " + quote_prefix(incoming.request.method) + ": " + e.what(),
            {}};
    }
}

void Dispatcher::run(Incoming incoming, std::shared_ptr<Outbox> outbox) {
    auto running = std::make_shared<Running>();
    running->incoming = std::move(incoming);
    running->outbox = std::move(outbox);
    auto& request = running->incoming.request;
    auto& context = *running->incoming.context;
    begin();

    if (!runs_on_worker(request)) {
        complete(*running);
        return;
    }
    const auto& scope = running->incoming.id_scope;
    if (scope && !scope->add(request.id, context.cancellation)) {
        running->outbox->refuse(
            Refusal::DuplicateId,
            encode_error(request.id, {error_code::kInvalidRequest,
                                      "request id " + request.id.dump() +
                                          " is already used by a request in flight; use a new "
                                          "id for each request",
                                      {}}));
        end();
        return;
    }
    running->registered = scope != nullptr;
    running->serial = serial_.fetch_add(1) + 1;
    everything_.add(running->serial, context.cancellation);

    // Notifications for this request go out only while it is live and not cancelled.
    context.notify = [outbox = running->outbox, token = context.cancellation](
                         std::string_view method, const Json& params) {
        if (!token->is_cancelled()) outbox->notify(encode_notification(method, params));
    };

    // A 2025-era client can be asked while its request runs, where its answer can come back.
    if (running->incoming.client_requests && !is_modern_version(context.protocol_version)) {
        context.ask_client = [outbox = running->outbox,
                              requests = running->incoming.client_requests,
                              token = context.cancellation](const std::string& method,
                                                            const Json& params,
                                                            std::chrono::milliseconds timeout) {
            return requests->ask(method, params, timeout, *token, [&outbox](std::string message) {
                return outbox->send_request(std::move(message));
            });
        };
    }

    bool queued = false;
    try {
        queued = executor_.submit([this, running] { complete(*running); });
    } catch (const std::exception&) {
        queued = false;  // not queued: it will not run, so it is answered here
    }
    if (!queued) {
        if (running->registered) running->incoming.id_scope->remove(request.id);
        everything_.remove(running->serial);
        context.notify = nullptr;
        context.ask_client = nullptr;
        running->outbox->refuse(
            Refusal::ShuttingDown,
            encode_error(
                request.id,
                {kServerError, "the server is shutting down; retry on another instance", {}}));
        end();
    }
}

void Dispatcher::complete(Running& running) {
    auto& incoming = running.incoming;
    const auto outcome = handle(incoming);
    const auto& token = *incoming.context->cancellation;
    const bool client_cancelled = token.is_cancelled() && token.reason() != kShutdownReason;

    if (running.registered) incoming.id_scope->remove(incoming.request.id);
    if (!running.serial.is_null()) everything_.remove(running.serial);
    incoming.context->notify = nullptr;  // nothing more goes out for it
    incoming.context->ask_client = nullptr;
    running.outbox->finish(outcome, encode_outcome(incoming.request.id, outcome),
                           !client_cancelled);

    if (incoming.large) {
        incoming.request.params = nullptr;  // the images go now, not with the last owner
        if (release_memory_) release_memory_();
    }
    end();
}

}  // namespace rdmcp::protocol
