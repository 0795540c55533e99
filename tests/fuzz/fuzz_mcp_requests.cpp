// Fuzzes MCP request validation for both protocol generations with structured input: each
// input is a short conversation of requests whose methods, _meta fields (protocol version,
// client capabilities and info, log level, progress token) and initialize parameters are
// drawn from the values that matter plus arbitrary JSON. Every request goes through the codec
// (encode, decode) and then McpServer::prepare and handle, as a transport does, and the
// version rules are checked:
//  - a request prepared without error speaks a supported version;
//  - a supported 2026-07-28 version in _meta wins, and needs the client capabilities object;
//  - an unsupported version is refused with -32022 and the list of supported versions;
//  - initialize never refuses a version: it answers the client's legacy version or our latest;
//  - 2026-07-28 results carry resultType and the server info; older ones never do;
//  - cacheable results (lists, resources/read) carry ttlMs >= 0 and a valid cacheScope.
#include <fuzzer/FuzzedDataProvider.h>

#include "protocol/versions.h"
#include "tests/fuzz/fake_engine.h"
#include "tests/fuzz/require.h"

using namespace rdmcp::protocol;

namespace {

constexpr const char* kVersionKey = "io.modelcontextprotocol/protocolVersion";
constexpr const char* kCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities";

std::string pick_version(FuzzedDataProvider& in) {
    static const char* const versions[] = {"2026-07-28",  "2025-11-25",  "2025-06-18", "2025-03-26",
                                           "2024-11-05",  "2026-07-29",  "2024-10-07", "",
                                           "2026-07-28 ", "2025-11-25\n"};
    if (in.ConsumeBool())
        return versions[in.ConsumeIntegralInRange<std::size_t>(0, std::size(versions) - 1)];
    return in.ConsumeRandomLengthString(16);
}

Json arbitrary(FuzzedDataProvider& in, int depth) {
    switch (in.ConsumeIntegralInRange(0, depth > 0 ? 8 : 6)) {
        case 0:
            return nullptr;
        case 1:
            return in.ConsumeBool();
        case 2:
            return in.ConsumeIntegral<std::int64_t>();
        case 3:
            return in.ConsumeIntegral<std::uint64_t>();
        case 4:
            return in.ConsumeFloatingPoint<double>();
        case 5:
            return pick_version(in);
        case 6:
            return in.ConsumeRandomLengthString(32);
        case 7: {
            Json array = Json::array();
            for (int n = in.ConsumeIntegralInRange(0, 4); n > 0; --n)
                array.push_back(arbitrary(in, depth - 1));
            return array;
        }
        default: {
            Json object = Json::object();
            for (int n = in.ConsumeIntegralInRange(0, 4); n > 0; --n) {
                object[in.ConsumeRandomLengthString(12)] = arbitrary(in, depth - 1);
            }
            return object;
        }
    }
}

Json capabilities(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
        case 0:
            return Json::object();
        case 1:
            return {{"extensions", {{kTasksExtension, Json::object()}}}};
        case 2:
            return {{"extensions", arbitrary(in, 2)}};
        default:
            return arbitrary(in, 2);
    }
}

Json meta(FuzzedDataProvider& in) {
    if (in.ConsumeIntegralInRange(0, 7) == 0) return arbitrary(in, 3);
    Json meta = Json::object();
    if (in.ConsumeBool())
        meta[kVersionKey] =
            in.ConsumeIntegralInRange(0, 7) ? Json(pick_version(in)) : arbitrary(in, 1);
    if (in.ConsumeBool()) meta[kCapabilitiesKey] = capabilities(in);
    if (in.ConsumeBool())
        meta["io.modelcontextprotocol/clientInfo"] =
            in.ConsumeBool() ? Json{{"name", "c"}, {"version", "1"}} : arbitrary(in, 1);
    if (in.ConsumeBool())
        meta["io.modelcontextprotocol/logLevel"] =
            in.ConsumeBool() ? Json("debug") : arbitrary(in, 1);
    if (in.ConsumeBool()) meta["progressToken"] = arbitrary(in, 1);
    return meta;
}

Json params_for(const std::string& method, FuzzedDataProvider& in) {
    Json params = Json::object();
    if (method == "initialize") {
        if (in.ConsumeIntegralInRange(0, 7))
            params["protocolVersion"] =
                in.ConsumeIntegralInRange(0, 7) ? Json(pick_version(in)) : arbitrary(in, 1);
        if (in.ConsumeBool()) params["capabilities"] = capabilities(in);
        if (in.ConsumeBool()) params["clientInfo"] = arbitrary(in, 2);
    } else if (method == "tools/call") {
        static const char* const names[] = {"echo", "slow", "always_task", "boom", "fail", "nope"};
        params["name"] =
            in.ConsumeIntegralInRange(0, 7)
                ? Json(names[in.ConsumeIntegralInRange<std::size_t>(0, std::size(names) - 1)])
                : arbitrary(in, 1);
        if (in.ConsumeBool()) {
            params["arguments"] = in.ConsumeBool()
                                      ? Json{{"text", in.ConsumeRandomLengthString(70)}}
                                      : arbitrary(in, 3);
            if (params["arguments"].is_object() && in.ConsumeBool()) {
                params["arguments"][in.ConsumeBool() ? "times" : "scale"] = arbitrary(in, 0);
            }
        }
    } else if (method.rfind("tasks/", 0) == 0) {
        static const char* const ids[] = {"t-working", "t-done", "t-failed", "x"};
        params["taskId"] =
            in.ConsumeIntegralInRange(0, 7)
                ? Json(ids[in.ConsumeIntegralInRange<std::size_t>(0, std::size(ids) - 1)])
                : arbitrary(in, 1);
    } else if (method == "resources/read") {
        static const char* const uris[] = {"fuzz://guide",          "fuzz://things/apple",
                                           "fuzz://things/missing", "fuzz://things/down",
                                           "fuzz://things/boom",    "fuzz://things/a%2Fb",
                                           "fuzz://things/",        "fuzz://nothing"};
        params["uri"] =
            in.ConsumeIntegralInRange(0, 7)
                ? Json(uris[in.ConsumeIntegralInRange<std::size_t>(0, std::size(uris) - 1)])
                : arbitrary(in, 1);
    } else if (method == "prompts/get") {
        params["name"] = in.ConsumeIntegralInRange(0, 7) ? Json("greet") : arbitrary(in, 1);
        if (in.ConsumeBool()) {
            params["arguments"] = in.ConsumeBool()
                                      ? Json{{"who", in.ConsumeRandomLengthString(16)},
                                             {"mood", in.ConsumeBool() ? "angry" : "happy"}}
                                      : arbitrary(in, 2);
        }
    } else if (method == "completion/complete") {
        params["ref"] =
            in.ConsumeIntegralInRange(0, 3)
                ? (in.ConsumeBool() ? Json{{"type", "ref/prompt"}, {"name", "greet"}}
                                    : Json{{"type", "ref/resource"}, {"uri", "fuzz://things/{id}"}})
                : arbitrary(in, 2);
        params["argument"] = in.ConsumeIntegralInRange(0, 3)
                                 ? Json{{"name", in.ConsumeBool() ? "mood" : "id"},
                                        {"value", in.ConsumeRandomLengthString(8)}}
                                 : arbitrary(in, 2);
    } else if (method.find("/list") != std::string::npos && in.ConsumeBool()) {
        params["cursor"] = arbitrary(in, 1);
    }
    if (in.ConsumeIntegralInRange(0, 3)) params["_meta"] = meta(in);
    return params;
}

// Whether the codec carries it unchanged (invalid UTF-8 is replaced on the way out).
bool valid_utf8(const Json& value) {
    try {
        value.dump();
        return true;
    } catch (const Json::type_error&) {
        return false;
    }
}

void check_result(const Json& result, const RequestContext& context) {
    if (is_modern_version(context.protocol_version)) {
        FUZZ_REQUIRE(result.contains("resultType"));
        FUZZ_REQUIRE(result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "fuzz");
    } else {
        FUZZ_REQUIRE(!result.contains("resultType"));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const auto& server = rdmcp::fuzz::fake_server();
    LegacySession session;
    static const char* const methods[] = {"initialize",
                                          "ping",
                                          "server/discover",
                                          "tools/list",
                                          "tools/call",
                                          "tasks/get",
                                          "tasks/cancel",
                                          "tasks/update",
                                          "tasks/list",
                                          "resources/list",
                                          "resources/templates/list",
                                          "resources/read",
                                          "prompts/list",
                                          "prompts/get",
                                          "completion/complete"};
    for (int turn = 0; turn < 6 && in.remaining_bytes() > 0; ++turn) {
        const std::string method =
            in.ConsumeIntegralInRange(0, 15)
                ? methods[in.ConsumeIntegralInRange<std::size_t>(0, std::size(methods) - 1)]
                : in.ConsumeRandomLengthString(20);
        const Json id = in.ConsumeBool() ? Json(in.ConsumeIntegral<std::int64_t>())
                                         : Json(in.ConsumeRandomLengthString(8));
        const Json params = params_for(method, in);

        // Through the codec first, as a transport receives it.
        const std::string frame =
            Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump(
                -1, ' ', false, Json::error_handler_t::replace);
        auto decoded = decode(frame);
        if (!std::holds_alternative<Request>(decoded))
            continue;  // only invalid UTF-8 or deep nesting
        Request request = std::move(std::get<Request>(decoded));
        if (valid_utf8(method) && valid_utf8(id))
            FUZZ_REQUIRE(request.id == id && request.method == method);

        RequestContext context;
        context.api_key = in.ConsumeBool() ? "owner" : "";
        const auto state_before = session.state();
        const Json& sent_meta =
            request.params.contains("_meta") ? request.params["_meta"] : Json::object();
        const auto sent_version =
            sent_meta.is_object() ? sent_meta.find(kVersionKey) : sent_meta.end();
        const bool names_modern = sent_meta.is_object() && sent_version != sent_meta.end() &&
                                  sent_version->is_string() &&
                                  is_modern_version(sent_version->get<std::string>());
        if (auto error = server.prepare(request, session, context)) {
            // -32601 only for a method 2026-07-28 removed, in a 2026-07-28 request; -32021 only
            // for a Tasks method from a 2026-07-28 request that did not declare the extension.
            const bool removed = error->code == error_code::kMethodNotFound && names_modern &&
                                 is_removed_in_modern(method);
            const bool undeclared = error->code == error_code::kMissingRequiredClientCapability &&
                                    names_modern && method.rfind("tasks/", 0) == 0;
            FUZZ_REQUIRE(error->code == error_code::kInvalidParams ||
                         error->code == error_code::kUnsupportedProtocolVersion || removed ||
                         undeclared);
            if (undeclared)
                FUZZ_REQUIRE(error->data && error->data->contains("requiredCapabilities"));
            if (error->code == error_code::kUnsupportedProtocolVersion) {
                FUZZ_REQUIRE(error->data &&
                             (*error->data)["supported"] == supported_versions_list());
            }
            encode_error(request.id, *error);
            continue;
        }
        const Json& request_meta =
            request.params.contains("_meta") ? request.params["_meta"] : Json::object();
        const auto version = request_meta.find(kVersionKey);
        const bool modern_meta = version != request_meta.end() && version->is_string() &&
                                 is_modern_version(version->get<std::string>());
        if (method != "initialize") {
            FUZZ_REQUIRE(is_supported_version(context.protocol_version));
            if (modern_meta) {
                FUZZ_REQUIRE(context.protocol_version == version->get<std::string>());
                FUZZ_REQUIRE(request_meta[kCapabilitiesKey].is_object());
            } else if (!is_supported_version(version != request_meta.end() && version->is_string()
                                                 ? version->get<std::string>()
                                                 : "")) {
                // No version of its own: the session's, or ping's default before any handshake.
                FUZZ_REQUIRE(state_before ? context.protocol_version == state_before->version
                                          : method == "ping");
            }
        }

        auto outcome = server.handle(request, session, context);
        if (auto result = result_json(outcome)) {  // tools/list's is encoded ahead
            check_result(*result, context);
            // The caching utility: every cacheable result says how long and for whom.
            if (method == "resources/read" || method == "resources/list" ||
                method == "resources/templates/list" || method == "prompts/list" ||
                method == "tools/list") {
                FUZZ_REQUIRE((*result)["ttlMs"].is_number_integer() && (*result)["ttlMs"] >= 0);
                FUZZ_REQUIRE((*result)["cacheScope"] == "public" ||
                             (*result)["cacheScope"] == "private");
            }
            if (method == "initialize") {
                const auto& requested = request.params["protocolVersion"];
                const std::string answered = (*result)["protocolVersion"];
                FUZZ_REQUIRE(is_legacy_version(answered));
                FUZZ_REQUIRE(answered == (is_legacy_version(requested.get<std::string>())
                                              ? requested.get<std::string>()
                                              : std::string(kLatestLegacyVersion)));
                FUZZ_REQUIRE(session.state() && session.state()->version == answered);
            }
            encode_outcome(request.id, outcome);
        } else {
            encode_error(request.id, std::get<RpcError>(outcome));
        }
    }
    return 0;
}
