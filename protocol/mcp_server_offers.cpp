// McpServer's resources, prompts and completions: the lists, resources/read, prompts/get and
// completion/complete. The content itself comes from the registries' readers and handlers.
#include <exception>

#include "common/text.h"
#include "protocol/mcp_server.h"
#include "protocol/versions.h"

namespace rdmcp::protocol {

namespace {

// 2025-11-25 and earlier name a missing resource -32002; 2026-07-28 (SEP-2164) -32602.
constexpr int kLegacyResourceNotFound = -32002;

// We never hand out cursors: each list fits in one page.
std::optional<RpcError> single_page(const Request& request) {
    if (auto cursor = request.params.find("cursor");
        cursor != request.params.end() && !cursor->is_null()) {
        return invalid_params("invalid cursor: " + request.method +
                              " has a single page; omit params.cursor");
    }
    return std::nullopt;
}

Json with_cache_hint(Json result, long long ttl_ms, CacheScope scope) {
    result["ttlMs"] = ttl_ms;
    result["cacheScope"] = to_string(scope);
    return result;
}

const std::string* string_param(const Json& params, const char* name) {
    auto it = params.find(name);
    return it != params.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

std::string prompt_names(const PromptRegistry& prompts) {
    std::string names;
    for (const auto& prompt : prompts.prompts()) {
        names += (names.empty() ? "" : ", ") + prompt.definition.name;
    }
    return names;
}

RpcError resource_not_found(const std::string& uri, const std::string& why,
                            const RequestContext& context) {
    const int code = is_modern_version(context.protocol_version) ? error_code::kInvalidParams
                                                                 : kLegacyResourceNotFound;
    return {code, "Resource not found: " + quote_prefix(uri) + (why.empty() ? "" : ". " + why),
            Json{{"uri", cut(uri, kEchoBytes)}}};
}

}  // namespace

bool McpServer::offers_completions() const {
    return resources_.has_completions() || prompts_.has_completions();
}

Outcome McpServer::list_resources(const Request& request) const {
    if (auto error = single_page(request)) return *error;
    return with_cache_hint(Json{{"resources", resources_.resources_json()}}, kListTtlMs,
                           CacheScope::Public);
}

Outcome McpServer::list_resource_templates(const Request& request) const {
    if (auto error = single_page(request)) return *error;
    return with_cache_hint(Json{{"resourceTemplates", resources_.templates_json()}}, kListTtlMs,
                           CacheScope::Public);
}

Outcome McpServer::read_resource(const Request& request, RequestContext& context) const {
    const std::string* uri = string_param(request.params, "uri");
    if (!uri) {
        return invalid_params(
            "resources/read needs params.uri (a string); resources/list and "
            "resources/templates/list give the URIs");
    }
    std::optional<ResourceRead> read;
    // A reader bug (they read the upstream's answers) must not end the process.
    try {
        read = resources_.read(*uri, context);
    } catch (const std::exception& e) {
        return RpcError{error_code::kInternalError,
                        "Internal error reading " + quote_prefix(*uri) + ": " + e.what(),
                        {}};
    }
    if (!read) {
        return resource_not_found(
            *uri, "resources/list and resources/templates/list give the URIs this server has",
            context);
    }
    if (auto* problem = std::get_if<ResourceProblem>(&*read)) {
        if (problem->kind == ResourceProblem::Kind::NotFound) {
            return resource_not_found(*uri, problem->message, context);
        }
        return RpcError{error_code::kInternalError, problem->message, Json{{"uri", *uri}}};
    }
    auto& contents = std::get<ResourceContents>(*read);
    return with_cache_hint(Json{{"contents", std::move(contents.contents)}}, contents.cache.ttl_ms,
                           contents.cache.scope);
}

Outcome McpServer::list_prompts(const Request& request) const {
    if (auto error = single_page(request)) return *error;
    return with_cache_hint(Json{{"prompts", prompts_.definitions_json()}}, kListTtlMs,
                           CacheScope::Public);
}

Outcome McpServer::get_prompt(const Request& request, RequestContext& context) const {
    const std::string* name = string_param(request.params, "name");
    if (!name) {
        return invalid_params("prompts/get needs params.name (a string); prompts: " +
                              prompt_names(prompts_));
    }
    const Prompt* prompt = prompts_.find(*name);
    if (!prompt) {
        return invalid_params("Unknown prompt: " + quote_prefix(*name) +
                              "; prompts: " + prompt_names(prompts_));
    }
    const Json* arguments = nullptr;
    if (auto it = request.params.find("arguments"); it != request.params.end()) arguments = &*it;
    auto checked = check_prompt_arguments(prompt->definition, arguments);
    if (auto* problem = std::get_if<std::string>(&checked)) return invalid_params(*problem);
    auto outcome = prompt->handler(std::get<PromptArguments>(checked), context);
    if (auto* problem = std::get_if<std::string>(&outcome)) return invalid_params(*problem);
    auto& messages = std::get<PromptMessages>(outcome);
    Json result = {{"messages", std::move(messages.messages)}};
    if (!messages.description.empty()) result["description"] = std::move(messages.description);
    return result;
}

Outcome McpServer::complete(const Request& request, RequestContext& context) const {
    auto ref = request.params.find("ref");
    auto argument = request.params.find("argument");
    if (ref == request.params.end() || !ref->is_object() || argument == request.params.end() ||
        !argument->is_object()) {
        return invalid_params(
            "completion/complete needs params.ref ({type: \"ref/prompt\", name} or {type: "
            "\"ref/resource\", uri}) and params.argument ({name, value})");
    }
    const std::string* type = string_param(*ref, "type");
    const std::string* argument_name = string_param(*argument, "name");
    const std::string* value = string_param(*argument, "value");
    if (!type || !argument_name || !value) {
        return invalid_params(
            "completion/complete needs params.ref.type and params.argument.name and .value "
            "(strings)");
    }
    const Completer* completer = nullptr;
    if (*type == "ref/prompt") {
        const std::string* name = string_param(*ref, "name");
        const Prompt* prompt = name ? prompts_.find(*name) : nullptr;
        if (!prompt) {
            return invalid_params("Unknown prompt: " + quote_prefix(name ? *name : "") +
                                  "; prompts: " + prompt_names(prompts_));
        }
        for (const auto& a : prompt->definition.arguments) {
            if (a.name == *argument_name && a.completer) completer = &a.completer;
        }
    } else if (*type == "ref/resource") {
        const std::string* uri = string_param(*ref, "uri");
        if (!uri) return invalid_params("params.ref.uri must be a resource template (a string)");
        completer = resources_.completer(*uri, *argument_name);
    } else {
        return invalid_params("params.ref.type must be \"ref/prompt\" or \"ref/resource\", not " +
                              quote_prefix(*type));
    }
    // An argument without suggestions completes to nothing, as the spec's clients expect.
    if (!completer) return Json{{"completion", rank_completions({}, "")}};
    return Json{{"completion", rank_completions((*completer)(context), *value)}};
}

}  // namespace rdmcp::protocol
