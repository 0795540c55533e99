// The one request lifecycle, tested once for every transport: a fake outbox records what a
// transport would be handed, and executors run jobs at once, later, or never.
#include "protocol/dispatcher.h"

#include <doctest/doctest.h>

#include <deque>

#include "protocol/progress.h"

using namespace rdmcp::protocol;

namespace {

// What a transport was handed for one request.
class RecordingOutbox final : public Outbox {
  public:
    void notify(std::string message) override { notifications.push_back(Json::parse(message)); }
    void finish(const Outcome& outcome, std::string message, bool due) override {
        ++finished;
        answer = Json::parse(message);
        answer_due = due;
        error = std::holds_alternative<RpcError>(outcome);
    }
    void refuse(Refusal why, std::string message) override {
        refusal = why;
        answer = Json::parse(message);
    }
    bool send_request(std::string message) override {
        sent.push_back(Json::parse(message));
        if (respond) respond(sent.back());
        return carries_requests;
    }

    std::vector<Json> notifications;
    std::vector<Json> sent;                    // requests to the client
    std::function<void(const Json&)> respond;  // the client, answering as it is asked
    bool carries_requests = true;
    int finished = 0;
    Json answer;
    bool answer_due = false;
    bool error = false;
    std::optional<Refusal> refusal;
};

// Runs each job at once, on the caller's thread.
class InlineExecutor final : public Executor {
  public:
    bool submit(std::function<void()> job) override {
        job();
        return true;
    }
};

// Keeps jobs until the test runs them: a request stays in flight in between.
class HeldExecutor final : public Executor {
  public:
    bool submit(std::function<void()> job) override {
        jobs.push_back(std::move(job));
        return true;
    }
    void run_all() {
        while (!jobs.empty()) {
            auto job = std::move(jobs.front());
            jobs.pop_front();
            job();
        }
    }
    std::deque<std::function<void()>> jobs;
};

// A pool that is shutting down: refuses, or (a bug) throws.
class RefusingExecutor final : public Executor {
  public:
    explicit RefusingExecutor(bool throws) : throws_(throws) {}
    bool submit(std::function<void()>) override {
        if (throws_) throw std::runtime_error("queue exploded");
        return false;
    }

  private:
    bool throws_;
};

// Tools for the cases: one that answers, one that throws, one that sees its own cancellation,
// one that reports progress, one that becomes a task.
ToolRegistry lifecycle_tools(std::function<void()> during = {}) {
    ToolRegistry tools;
    auto add = [&tools](const char* name, ToolHandler handler) {
        tools.add({{.name = name,
                    .title = name,
                    .description = name,
                    .input_schema = {{"type", "object"}}},
                   std::move(handler)});
    };
    add("answer", [during](const Json&, RequestContext& context) {
        if (during) during();
        return ToolResult::text(context.is_cancelled() ? "cancelled" : "done");
    });
    add("boom", [](const Json&, RequestContext&) -> ToolResult { throw std::logic_error("bug"); });
    add("ask", [](const Json&, RequestContext& context) {
        if (!context.ask_client) return ToolResult::text("cannot ask");
        auto answer = context.ask_client("elicitation/create", {{"message", "Spend 5 credits?"}},
                                         std::chrono::seconds(5));
        if (answer.kind != ClientAnswer::Kind::Result) {
            return ToolResult::text("no answer: " + std::to_string(static_cast<int>(answer.kind)));
        }
        return ToolResult::text(answer.result.value("action", ""));
    });
    add("progress", [](const Json&, RequestContext& context) {
        send_progress(context, 1, "halfway");
        return ToolResult::text("done");
    });
    add("task", [](const Json&, RequestContext& context) {
        ToolResult result;
        if (context.tasks_supported) {
            result.task = Task{.task_id = "t-1",
                               .created_at = "2026-01-01T00:00:00.000Z",
                               .last_updated_at = "2026-01-01T00:00:00.000Z",
                               .ttl_ms = 60000,
                               .poll_interval_ms = 2000};
        } else {
            result.add_text("done at once");
        }
        return result;
    });
    return tools;
}

class NoTasks final : public TaskProvider {
  public:
    std::variant<Task, RpcError> get(const std::string&, RequestContext&) const override {
        return RpcError{error_code::kInvalidParams, "Unknown task", {}};
    }
    std::optional<RpcError> cancel(const std::string&, RequestContext&) const override {
        return std::nullopt;
    }
};

Json modern_meta(bool tasks = false) {
    Json capabilities = Json::object();
    if (tasks) capabilities["extensions"] = {{kTasksExtension, Json::object()}};
    return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
            {"io.modelcontextprotocol/clientCapabilities", capabilities}};
}

Incoming call(const std::string& tool, RequestId id = 1, Json meta = modern_meta(),
              std::shared_ptr<InFlightRequests> scope = std::make_shared<InFlightRequests>()) {
    Incoming incoming{
        .request = {std::move(id),
                    "tools/call",
                    {{"name", tool}, {"arguments", Json::object()}, {"_meta", std::move(meta)}}},
        .context = std::make_shared<RequestContext>(),
        .id_scope = std::move(scope)};
    incoming.context->api_key = "rdpk-test";
    return incoming;
}

// Prepares and runs, as a transport does.
std::shared_ptr<RecordingOutbox> dispatch(Dispatcher& dispatcher, Incoming incoming) {
    auto outbox = std::make_shared<RecordingOutbox>();
    REQUIRE_FALSE(dispatcher.prepare(incoming));
    dispatcher.run(std::move(incoming), outbox);
    return outbox;
}

std::string text_of(const Json& answer) { return answer["result"]["content"][0]["text"]; }

// A tools/call from a client that initialized a session at `version` (2025-era).
Incoming legacy_call(const std::string& tool, std::shared_ptr<ClientRequests> client_requests,
                     const std::string& version = "2025-11-25") {
    auto session = std::make_shared<LegacySession>();
    session->initialize({version, Json::object(), Json::object()});
    Incoming incoming{.request = {1, "tools/call", {{"name", tool}, {"arguments", Json::object()}}},
                      .context = std::make_shared<RequestContext>(),
                      .session = std::move(session),
                      .id_scope = std::make_shared<InFlightRequests>(),
                      .client_requests = std::move(client_requests)};
    incoming.context->api_key = "rdpk-test";
    return incoming;
}

// Prepares and runs with an outbox whose client answers each request with `result`.
std::shared_ptr<RecordingOutbox> dispatch_answering(Dispatcher& dispatcher, Incoming incoming,
                                                    Json result) {
    auto outbox = std::make_shared<RecordingOutbox>();
    outbox->respond = [requests = incoming.client_requests, result](const Json& request) {
        if (requests && request.contains("id")) {
            requests->deliver({request["id"], result, std::nullopt});
        }
    };
    REQUIRE_FALSE(dispatcher.prepare(incoming));
    dispatcher.run(std::move(incoming), outbox);
    return outbox;
}

}  // namespace

TEST_CASE(
    "a request that answers at once runs on the caller's thread, even with a refusing executor") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    RefusingExecutor executor(false);
    Dispatcher dispatcher(server, executor);
    auto outbox = std::make_shared<RecordingOutbox>();
    Incoming incoming{.request = {7, "tools/list", {{"_meta", modern_meta()}}},
                      .context = std::make_shared<RequestContext>()};
    REQUIRE_FALSE(dispatcher.prepare(incoming));
    dispatcher.run(std::move(incoming), outbox);
    CHECK(outbox->finished == 1);
    CHECK(outbox->answer["id"] == 7);
    CHECK(outbox->answer["result"]["tools"].size() == 5);
    CHECK(dispatcher.in_flight() == 0);
}

TEST_CASE("a call runs on the executor, is answered once, and leaves nothing in flight") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    HeldExecutor executor;
    Dispatcher dispatcher(server, executor);
    auto scope = std::make_shared<InFlightRequests>();
    auto outbox = dispatch(dispatcher, call("answer", 1, modern_meta(), scope));
    CHECK(outbox->finished == 0);  // queued
    CHECK(dispatcher.in_flight() == 1);
    CHECK(scope->size() == 1);
    executor.run_all();
    CHECK(outbox->finished == 1);
    CHECK(outbox->answer_due);
    CHECK(text_of(outbox->answer) == "done");
    CHECK(scope->size() == 0);
    CHECK(dispatcher.wait_idle(std::chrono::milliseconds(0)));
}

TEST_CASE("cancellation by the client before, during and after the call") {
    HeldExecutor executor;
    SUBCASE("before it runs: it runs cancelled and is owed no answer") {
        McpServer server({"s", "S", "1", ""}, lifecycle_tools());
        Dispatcher dispatcher(server, executor);
        auto scope = std::make_shared<InFlightRequests>();
        auto outbox = dispatch(dispatcher, call("answer", "a", modern_meta(), scope));
        CHECK(scope->cancel("a", "cancelled by the client"));
        executor.run_all();
        CHECK(outbox->finished == 1);
        CHECK_FALSE(outbox->answer_due);
    }
    SUBCASE("during the call") {
        std::shared_ptr<InFlightRequests> scope = std::make_shared<InFlightRequests>();
        McpServer server({"s", "S", "1", ""},
                         lifecycle_tools([&scope] { scope->cancel("b", "client"); }));
        Dispatcher dispatcher(server, executor);
        auto outbox = dispatch(dispatcher, call("answer", "b", modern_meta(), scope));
        executor.run_all();
        CHECK(text_of(outbox->answer) == "cancelled");  // the handler saw it
        CHECK_FALSE(outbox->answer_due);
    }
    SUBCASE("after it was answered: nothing is left to cancel") {
        McpServer server({"s", "S", "1", ""}, lifecycle_tools());
        Dispatcher dispatcher(server, executor);
        auto scope = std::make_shared<InFlightRequests>();
        auto outbox = dispatch(dispatcher, call("answer", "c", modern_meta(), scope));
        executor.run_all();
        CHECK_FALSE(scope->cancel("c", "too late"));
        CHECK(outbox->answer_due);
        CHECK(outbox->finished == 1);
    }
}

TEST_CASE("shutdown cancels every call in flight, and each is still answered") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    HeldExecutor executor;
    Dispatcher dispatcher(server, executor);
    auto first = dispatch(dispatcher, call("answer", 1));
    auto second = dispatch(dispatcher, call("answer", 2, modern_meta(), nullptr));  // no id scope
    CHECK_FALSE(dispatcher.wait_idle(std::chrono::milliseconds(1)));
    dispatcher.cancel_all();
    executor.run_all();
    for (const auto& outbox : {first, second}) {
        CHECK(outbox->finished == 1);
        CHECK(outbox->answer_due);
        CHECK(text_of(outbox->answer) == "cancelled");
    }
    CHECK(dispatcher.wait_idle(std::chrono::milliseconds(0)));
}

TEST_CASE("a handler that throws answers -32603; the dispatcher goes on") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    InlineExecutor executor;
    Dispatcher dispatcher(server, executor);
    auto outbox = dispatch(dispatcher, call("boom"));
    CHECK(outbox->error);
    CHECK(outbox->answer["error"]["code"] == -32603);
    CHECK(dispatch(dispatcher, call("answer", 2))->answer_due);
}

TEST_CASE(
    "a call the executor refuses, or throws on, is answered as refused and leaves nothing behind") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    for (bool throws : {false, true}) {
        CAPTURE(throws);
        RefusingExecutor executor(throws);
        Dispatcher dispatcher(server, executor);
        auto scope = std::make_shared<InFlightRequests>();
        auto outbox = dispatch(dispatcher, call("answer", 1, modern_meta(), scope));
        CHECK(outbox->refusal == Refusal::ShuttingDown);
        CHECK(outbox->answer["error"]["message"].get<std::string>().find("shutting down") !=
              std::string::npos);
        CHECK(outbox->finished == 0);
        CHECK(scope->size() == 0);
        CHECK(dispatcher.in_flight() == 0);
    }
}

TEST_CASE("an id still in flight in the same scope is refused; another scope may reuse it") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    HeldExecutor executor;
    Dispatcher dispatcher(server, executor);
    auto scope = std::make_shared<InFlightRequests>();
    auto first = dispatch(dispatcher, call("answer", 5, modern_meta(), scope));
    auto again = dispatch(dispatcher, call("answer", 5, modern_meta(), scope));
    CHECK(again->refusal == Refusal::DuplicateId);
    CHECK(again->answer["id"] == 5);
    CHECK(again->answer["error"]["code"] == -32600);
    auto elsewhere = dispatch(
        dispatcher, call("answer", 5, modern_meta(), std::make_shared<InFlightRequests>()));
    CHECK_FALSE(elsewhere->refusal);
    auto string_id =
        dispatch(dispatcher, call("answer", "5", modern_meta(), scope));  // "5" is not 5
    CHECK_FALSE(string_id->refusal);
    executor.run_all();
    CHECK(first->finished == 1);
    CHECK(dispatch(dispatcher, call("answer", 5, modern_meta(), scope))->refusal == std::nullopt);
}

TEST_CASE("progress reaches the outbox only for a request that sent a token") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    InlineExecutor executor;
    Dispatcher dispatcher(server, executor);
    auto silent = dispatch(dispatcher, call("progress"));
    CHECK(silent->notifications.empty());

    Json meta = modern_meta();
    meta["progressToken"] = "p-1";
    auto reported = dispatch(dispatcher, call("progress", 2, meta));
    REQUIRE(reported->notifications.size() == 1);
    CHECK(reported->notifications[0]["method"] == "notifications/progress");
    CHECK(reported->notifications[0]["params"]["progressToken"] == "p-1");
    CHECK(reported->answer_due);
}

TEST_CASE("the Tasks path: a client that declares the extension gets the task, others the result") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools(), std::make_shared<NoTasks>());
    InlineExecutor executor;
    Dispatcher dispatcher(server, executor);
    auto task = dispatch(dispatcher, call("task", 1, modern_meta(true)));
    CHECK(task->answer["result"]["resultType"] == "task");
    CHECK(task->answer["result"]["taskId"] == "t-1");
    auto plain = dispatch(dispatcher, call("task", 2, modern_meta(false)));
    CHECK(text_of(plain->answer) == "done at once");
}

TEST_CASE("a large request's memory is released once it is answered") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    InlineExecutor executor;
    int released = 0;
    Dispatcher dispatcher(server, executor, [&released] { ++released; });
    auto small = call("answer");
    dispatch(dispatcher, std::move(small));
    CHECK(released == 0);
    auto large = call("answer", 2);
    large.large = true;
    dispatch(dispatcher, std::move(large));
    CHECK(released == 1);
}

TEST_CASE(
    "a 2025-era call on a worker may ask its client; the answer comes back through the scope") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    InlineExecutor executor;
    Dispatcher dispatcher(server, executor);
    for (const char* version : {"2025-11-25", "2025-06-18"}) {
        CAPTURE(version);
        auto requests = std::make_shared<ClientRequests>();
        auto outbox = dispatch_answering(dispatcher, legacy_call("ask", requests, version),
                                         {{"action", "accept"}});
        REQUIRE(outbox->sent.size() == 1);
        CHECK(outbox->sent[0]["method"] == "elicitation/create");
        CHECK(outbox->sent[0]["params"]["message"] == "Spend 5 credits?");
        CHECK(text_of(outbox->answer) == "accept");
        CHECK(requests->waiting() == 0);
    }
}

TEST_CASE("ask_client is not set where no answer can come back, nor for 2026-07-28") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    InlineExecutor executor;
    Dispatcher dispatcher(server, executor);
    SUBCASE("no scope for responses (stateless HTTP)") {
        auto outbox = dispatch(dispatcher, legacy_call("ask", nullptr));
        CHECK(text_of(outbox->answer) == "cannot ask");
    }
    SUBCASE("a 2026-07-28 request (MRTR instead)") {
        auto incoming = call("ask");
        incoming.client_requests = std::make_shared<ClientRequests>();
        auto outbox = dispatch(dispatcher, std::move(incoming));
        CHECK(text_of(outbox->answer) == "cannot ask");
        CHECK(outbox->sent.empty());
    }
}

TEST_CASE("a request that cannot be carried is Unavailable; ask_client is cleared once answered") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    HeldExecutor executor;
    Dispatcher dispatcher(server, executor);
    auto requests = std::make_shared<ClientRequests>();
    auto incoming = legacy_call("ask", requests);
    auto context = incoming.context;
    auto outbox = std::make_shared<RecordingOutbox>();
    outbox->carries_requests = false;  // a client that takes only a JSON body
    REQUIRE_FALSE(dispatcher.prepare(incoming));
    dispatcher.run(std::move(incoming), outbox);
    CHECK(static_cast<bool>(context->ask_client));  // set while it runs
    executor.run_all();
    CHECK(text_of(outbox->answer) ==
          "no answer: " + std::to_string(static_cast<int>(ClientAnswer::Kind::Unavailable)));
    CHECK_FALSE(context->ask_client);
    CHECK_FALSE(context->notify);
}

TEST_CASE("a call waiting for its client's answer ends when it is cancelled or the server stops") {
    McpServer server({"s", "S", "1", ""}, lifecycle_tools());
    InlineExecutor executor;
    Dispatcher dispatcher(server, executor);
    for (bool shutdown : {false, true}) {
        CAPTURE(shutdown);
        auto requests = std::make_shared<ClientRequests>();
        auto incoming = legacy_call("ask", requests);
        auto scope = incoming.id_scope;
        auto outbox = std::make_shared<RecordingOutbox>();
        // The client is asked and, instead of answering, cancels the call (or the server stops).
        outbox->respond = [&, scope](const Json& request) {
            if (!request.contains("id")) return;  // our notifications/cancelled
            if (shutdown) {
                dispatcher.cancel_all();
            } else {
                scope->cancel(1, "cancelled by the client");
            }
        };
        REQUIRE_FALSE(dispatcher.prepare(incoming));
        dispatcher.run(std::move(incoming), outbox);
        CHECK(outbox->finished == 1);
        CHECK(text_of(outbox->answer) ==
              "no answer: " + std::to_string(static_cast<int>(ClientAnswer::Kind::Cancelled)));
        CHECK(outbox->answer_due == shutdown);  // shutdown still answers; the client's cancel not
        REQUIRE(outbox->sent.size() == 2);
        CHECK(outbox->sent[1]["method"] == "notifications/cancelled");
        CHECK(requests->waiting() == 0);
    }
}
