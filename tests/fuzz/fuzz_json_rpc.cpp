// Fuzzes the JSON-RPC codec and the MCP engine the way the stdio transport drives them: the
// input is a stream of newline-separated frames for one client (one LegacySession), so a
// frame can initialize the session and later ones speak the negotiated version, or carry
// 2026-07-28 _meta, call tools, poll tasks or cancel requests in flight.
// Checks that nothing throws or crashes and that every answer is one well-formed JSON-RPC
// message echoing the request's id.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/in_flight.h"
#include "protocol/json_rpc.h"
#include "tests/fuzz/fake_engine.h"
#include "tests/fuzz/require.h"

using namespace rdmcp::protocol;

namespace {

// Our answer must be one JSON-RPC message that a client can read.
Json checked(const std::string& line) {
    FUZZ_REQUIRE(line.find('\n') == std::string::npos);
    Json message = Json::parse(line, nullptr, false);
    FUZZ_REQUIRE(message.is_object() && message["jsonrpc"] == "2.0");
    return message;
}

void answer(const RequestId& id, const Outcome& outcome) {
    const std::string line = encode_outcome(id, outcome);
    FUZZ_REQUIRE(checked(line)["id"] == id);
}

void handle_request(Request request, LegacySession& session, InFlightRequests& in_flight) {
    RequestContext context;
    context.api_key = "owner";
    context.notify = [](std::string_view method, const Json& params) {
        checked(encode_notification(method, params));
    };
    if (auto error = rdmcp::fuzz::fake_server().prepare(request, session, context)) {
        answer(request.id, *error);
        return;
    }
    const bool tracked =
        McpServer::may_block(request) && in_flight.add(request.id, context.cancellation);
    answer(request.id, rdmcp::fuzz::fake_server().handle(request, session, context));
    if (tracked) in_flight.remove(request.id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    LegacySession session;
    InFlightRequests in_flight;
    // Requests "still running" that a notifications/cancelled in the input may name.
    in_flight.add(Json(1), std::make_shared<CancellationToken>());
    in_flight.add(Json("a"), std::make_shared<CancellationToken>());

    while (!input.empty()) {
        const auto end = input.find('\n');
        const std::string_view frame = input.substr(0, end);
        input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);

        auto decoded = decode(frame, DecodeLimits{.max_depth = 16});
        if (auto* failure = std::get_if<DecodeFailure>(&decoded)) {
            FUZZ_REQUIRE(failure->id.is_null() || failure->id.is_string() ||
                         failure->id.is_number_integer());
            if (failure->answerable) checked(encode_error(failure->id, failure->error));
        } else if (auto* notification = std::get_if<Notification>(&decoded)) {
            FUZZ_REQUIRE(notification->params.is_object());
            rdmcp::fuzz::fake_server().handle_notification(*notification, in_flight);
        } else if (auto* request = std::get_if<Request>(&decoded)) {
            FUZZ_REQUIRE(request->params.is_object());
            FUZZ_REQUIRE(request->id.is_string() || request->id.is_number_integer());
            handle_request(std::move(*request), session, in_flight);
        }
    }
    return 0;
}
