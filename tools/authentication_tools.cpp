// authenticate and logout: the key as a tool argument, for clients that can neither send an
// Authorization header nor set RD_API_KEY (as the hosted RetroDiffusion MCP server offers).
// The transport lends the caller's KeyHolder through the context (the stdio process, a
// 2025-era HTTP session); these tools only check a key and hand it to that holder. The key is
// never written to a log, an error or an answer.
#include "tools/authentication_tools.h"

#include "tools/agent_errors.h"
#include "tools/api_answers.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::KeyHolder;
using protocol::KeySource;
using protocol::ToolResult;

namespace {

constexpr const char* kSaferWay =
    "The key passes through the agent's context and may be kept in the client's logs and chat "
    "history: setting RD_API_KEY where a local (stdio) server is launched, or sending the header "
    "`Authorization: Bearer <key>` from the client's configuration (HTTP), keeps it out of the "
    "conversation and is the safer way.";

constexpr const char* kSendTheHeader =
    "This request has no session that could hold a key (MCP 2026-07-28, or a server run with "
    "--stateless): every request carries its own key. Configure the client to send the header "
    "`Authorization: Bearer <your RetroDiffusion API key>`, e.g. in Cursor's or VS Code's MCP "
    "configuration: {\"url\": \"<this server's URL>\", \"headers\": {\"Authorization\": "
    "\"Bearer ${env:RD_API_KEY}\"}}, so the key stays out of the conversation.";

const char* scope_name(KeyHolder::Scope scope) {
    return scope == KeyHolder::Scope::Process ? "process" : "session";
}

std::string where(KeyHolder::Scope scope) {
    return scope == KeyHolder::Scope::Process
               ? "every later call of this server process (this stdio connection)"
               : "every later request of this MCP session (its Mcp-Session-Id, sent without an "
                 "Authorization header)";
}

// Why this request's key is not the tools' to set or clear, or nothing when it is.
std::optional<std::string> fixed_key(const protocol::RequestContext& context,
                                     std::string_view tool) {
    const std::string action = tool == "authenticate" ? "replace" : "remove";
    switch (context.key_source) {
        case KeySource::Environment:
            return "This server already uses the key from the RD_API_KEY environment variable, "
                   "which " +
                   std::string(tool) + " cannot " + action +
                   ": change it where the server is launched (the client's MCP configuration) "
                   "and restart it. Nothing changed.";
        case KeySource::Header:
            return "This request carries its key in the Authorization header, and that key is "
                   "the one used: " +
                   std::string(tool == "authenticate"
                                   ? "send another key there"
                                   : "stop sending the header to stop using it") +
                   " (the client's MCP configuration). Nothing changed.";
        case KeySource::None:
        case KeySource::Authenticated:
            break;
    }
    if (!context.key_holder) return std::string(kSendTheHeader) + " Nothing was stored.";
    return std::nullopt;
}

// What stays in force when a key is refused or could not be checked.
std::string unchanged(const KeyHolder& holder) {
    return holder.key().empty() ? "Nothing was stored; calls still have no key."
                                : "Nothing was stored; the key set earlier still applies.";
}

ToolResult verification_failed(const UpstreamError& error, const KeyHolder& holder) {
    if (error.kind == UpstreamError::Kind::Http && (error.status == 401 || error.status == 403)) {
        return ToolResult::error(
            "The RetroDiffusion API refused this key (HTTP " + std::to_string(error.status) +
            "). Check that it is complete and still active (keys start with \"rdpk-\"; create one "
            "at https://www.retrodiffusion.ai/app/devtools). " +
            unchanged(holder));
    }
    if (error.kind == UpstreamError::Kind::Cancelled) {
        return ToolResult::error("The call was cancelled before the key was verified. " +
                                 unchanged(holder));
    }
    // Anything else says nothing about the key: it stays unverified, and unused.
    return ToolResult::error(as_sentence("The key could not be verified: " + error.summary()) +
                             " " + unchanged(holder) + " Retry in a moment.");
}

protocol::ToolDefinition authenticate_definition() {
    return {
        .name = "authenticate",
        .title = "Set the RetroDiffusion API key",
        .description =
            "Sets the API key when neither RD_API_KEY nor an Authorization header can be set "
            "(those are safer: this key passes through the conversation).",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"api_key",
                            {{"type", "string"},
                             {"minLength", 1},
                             {"maxLength", kMaxApiKeyLength},
                             {"description",
                              "\"rdpk-...\", from https://www.retrodiffusion.ai/app/devtools."}}}}},
                         {"required", {"api_key"}},
                         {"additionalProperties", false}},
        .output_schema =
            Json{
                {"type", "object"},
                {"properties",
                 {{"applies_to",
                   {{"type", "string"},
                    {"enum", {"process", "session"}},
                    {"description", "Where the key now applies"}}},
                  {"balance",
                   {{"type", "number"}, {"description", "The account's remaining balance in USD"}}},
                  {"currency", {{"type", "string"}, {"const", "USD"}}}}},
                {"required", {"applies_to"}}},
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

protocol::ToolDefinition logout_definition() {
    return {
        .name = "logout",
        .title = "Forget the RetroDiffusion API key",
        .description = "Forgets the key authenticate set.",
        .input_schema = {{"type", "object"},
                         {"properties", Json::object()},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"applies_to", {{"type", "string"}, {"enum", {"process", "session"}}}},
                   {"cleared",
                    {{"type", "boolean"},
                     {"description", "Whether a key was held and is now gone"}}}}},
                 {"required", {"applies_to", "cleared"}}},
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = false},
    };
}

}  // namespace

std::string trimmed_api_key(std::string_view key) {
    constexpr std::string_view kBlank = " \t\r\n";
    const auto first = key.find_first_not_of(kBlank);
    if (first == std::string_view::npos) return {};
    const auto last = key.find_last_not_of(kBlank);
    return std::string(key.substr(first, last - first + 1));
}

std::optional<std::string> api_key_shape_problem(std::string_view key) {
    const std::string trimmed = trimmed_api_key(key);
    if (trimmed.empty()) return "api_key is empty: pass the key itself";
    if (trimmed.size() > kMaxApiKeyLength) {
        return "api_key is " + std::to_string(trimmed.size()) +
               " characters long, longer than any API key (at most " +
               std::to_string(kMaxApiKeyLength) + "): pass the key alone";
    }
    if (trimmed.rfind("Bearer ", 0) == 0) {
        return "api_key starts with \"Bearer \": pass the key alone, without the word Bearer";
    }
    for (const char c : trimmed) {
        // Printable ASCII without spaces: what a key is made of, and safe in an HTTP header.
        if (c < 0x21 || c > 0x7e) {
            return "api_key holds a space, a control character or a non-ASCII character, which "
                   "no API key has: copy the key again";
        }
    }
    return std::nullopt;
}

protocol::Tool make_authenticate_tool(UpstreamPtr upstream) {
    auto handler = [upstream](const Json& arguments, protocol::RequestContext& context) {
        if (auto refused = fixed_key(context, "authenticate")) return ToolResult::error(*refused);
        KeyHolder& holder = *context.key_holder;
        const Json& argument = arguments.at("api_key");
        if (auto problem = api_key_shape_problem(argument.get_ref<const std::string&>())) {
            return ToolResult::error(as_sentence(*problem) + " " + unchanged(holder));
        }
        std::string key = trimmed_api_key(argument.get_ref<const std::string&>());

        // The free balance call, with the new key: the request's own key is not asked.
        UpstreamResult reply;
        {
            const auto waiting = context.report_progress_while("Verifying the API key");
            reply = upstream->get("/inferences/credits",
                                  UpstreamCaller(key, context.cancellation.get(), context.log_id));
        }
        if (!reply.ok()) return verification_failed(*reply.error, holder);

        holder.set(std::move(key));
        Json structured = {{"applies_to", scope_name(holder.scope())}};
        std::string text = "The key was accepted by the RetroDiffusion API and now applies to " +
                           where(holder.scope()) + ", until logout";
        if (const auto balance = reply.body.get<BalanceAnswer>().balance) {
            structured["balance"] = *balance;
            structured["currency"] = "USD";
            text += ". Remaining balance: " + format_usd(*balance) + " USD";
        }
        text += ". It is held in memory only and never shown again. " + std::string(kSaferWay);
        auto result = ToolResult::text(std::move(text));
        result.structured_content = std::move(structured);
        return result;
    };
    return {authenticate_definition(), handler};
}

protocol::Tool make_logout_tool() {
    auto handler = [](const Json&, protocol::RequestContext& context) {
        if (auto refused = fixed_key(context, "logout")) return ToolResult::error(*refused);
        KeyHolder& holder = *context.key_holder;
        const bool cleared = holder.clear();
        const std::string here =
            holder.scope() == KeyHolder::Scope::Process ? "this server process" : "this session";
        auto result = ToolResult::text(
            cleared ? "The key set by authenticate is forgotten for " + here +
                          ": later calls need a key again (authenticate, or better RD_API_KEY "
                          "or the Authorization header)."
                    : "No key was set by authenticate for " + here + "; nothing changed.");
        result.structured_content =
            Json{{"applies_to", scope_name(holder.scope())}, {"cleared", cleared}};
        return result;
    };
    return {logout_definition(), handler};
}

}  // namespace rdmcp::tools
