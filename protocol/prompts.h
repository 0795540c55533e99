#pragma once
// MCP prompts: named message templates a client offers as slash commands. A prompt is a
// definition (name, arguments) plus a handler that turns the checked arguments into messages.
// The engine answers prompts/list and prompts/get from here, and checks the arguments first.
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "protocol/completion.h"
#include "protocol/json_rpc.h"
#include "protocol/request_context.h"

namespace rdmcp::protocol {

struct PromptArgument {
    std::string name;
    std::string title;
    std::string description;
    bool required = false;
    Completer completer;  // optional: what completion/complete offers for it

    Json to_json() const;
};

struct PromptDefinition {
    std::string name;
    std::string title;
    std::string description;
    std::vector<PromptArgument> arguments;

    Json to_json() const;
};

// The arguments as the client sent them (strings), after the engine's checks: every required
// one present and non-empty, no unknown names, each at most kMaxPromptArgumentBytes. An optional
// argument sent empty is left out, as clients send "" for a field the user skipped.
using PromptArguments = std::map<std::string, std::string>;

// The GetPromptResult: its description and messages ({role, content}).
struct PromptMessages {
    std::string description;
    Json messages = Json::array();

    // Appends one user message with this text.
    PromptMessages& user(std::string text);
};

// The messages, or what is wrong with an argument's value (in words for the client; answered as
// invalid params).
using PromptOutcome = std::variant<PromptMessages, std::string>;
using PromptHandler = std::function<PromptOutcome(const PromptArguments&, RequestContext&)>;

struct Prompt {
    PromptDefinition definition;
    PromptHandler handler;
};

inline constexpr std::size_t kMaxPromptArgumentBytes = 2000;

class PromptRegistry {
  public:
    void add(Prompt prompt);
    const Prompt* find(std::string_view name) const;
    bool empty() const { return prompts_.empty(); }
    bool has_completions() const;
    const std::vector<Prompt>& prompts() const { return prompts_; }
    const Json& definitions_json() const { return definitions_; }

  private:
    std::vector<Prompt> prompts_;
    Json definitions_ = Json::array();
};

// Checks prompts/get's `arguments` (params.arguments, may be absent) against the prompt's
// definition: the arguments to hand to the handler, or what is wrong, in words for the client.
std::variant<PromptArguments, std::string> check_prompt_arguments(const PromptDefinition& prompt,
                                                                  const Json* arguments);

}  // namespace rdmcp::protocol
