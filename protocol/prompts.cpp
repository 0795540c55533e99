#include "protocol/prompts.h"

#include <stdexcept>

#include "common/text.h"

namespace rdmcp::protocol {

namespace {

std::string argument_names(const PromptDefinition& prompt) {
    std::string names;
    for (const auto& argument : prompt.arguments) {
        names += (names.empty() ? "" : ", ") + argument.name;
        if (argument.required) names += " (required)";
    }
    return names.empty() ? "none" : names;
}

}  // namespace

Json PromptArgument::to_json() const {
    Json argument = {{"name", name}, {"required", required}};
    if (!title.empty()) argument["title"] = title;
    if (!description.empty()) argument["description"] = description;
    return argument;
}

Json PromptDefinition::to_json() const {
    Json prompt = {{"name", name}};
    if (!title.empty()) prompt["title"] = title;
    if (!description.empty()) prompt["description"] = description;
    Json listed = Json::array();
    for (const auto& argument : arguments) listed.push_back(argument.to_json());
    prompt["arguments"] = std::move(listed);
    return prompt;
}

PromptMessages& PromptMessages::user(std::string text) {
    messages.push_back(
        {{"role", "user"}, {"content", {{"type", "text"}, {"text", std::move(text)}}}});
    return *this;
}

void PromptRegistry::add(Prompt prompt) {
    if (find(prompt.definition.name)) {
        throw std::logic_error("prompt registered twice: " + prompt.definition.name);
    }
    definitions_.push_back(prompt.definition.to_json());
    prompts_.push_back(std::move(prompt));
}

const Prompt* PromptRegistry::find(std::string_view name) const {
    for (const auto& prompt : prompts_) {
        if (prompt.definition.name == name) return &prompt;
    }
    return nullptr;
}

bool PromptRegistry::has_completions() const {
    for (const auto& prompt : prompts_) {
        for (const auto& argument : prompt.definition.arguments) {
            if (argument.completer) return true;
        }
    }
    return false;
}

std::variant<PromptArguments, std::string> check_prompt_arguments(const PromptDefinition& prompt,
                                                                  const Json* arguments) {
    PromptArguments checked;
    if (arguments && !arguments->is_null()) {
        if (!arguments->is_object()) {
            return "params.arguments must be an object of strings; " + prompt.name +
                   " takes: " + argument_names(prompt);
        }
        for (const auto& [name, value] : arguments->items()) {
            const PromptArgument* known = nullptr;
            for (const auto& argument : prompt.arguments) {
                if (argument.name == name) known = &argument;
            }
            if (!known) {
                return "unknown argument " + quote_prefix(name) + " for prompt " + prompt.name +
                       "; it takes: " + argument_names(prompt);
            }
            if (!value.is_string()) {
                return "argument " + name + " of prompt " + prompt.name +
                       " must be a string (prompt arguments are text)";
            }
            const auto& text = value.get_ref<const std::string&>();
            if (text.size() > kMaxPromptArgumentBytes) {
                return "argument " + name + " of prompt " + prompt.name + " is " +
                       std::to_string(text.size()) + " bytes; at most " +
                       std::to_string(kMaxPromptArgumentBytes) + " are taken";
            }
            if (!text.empty()) checked[name] = text;
        }
    }
    for (const auto& argument : prompt.arguments) {
        if (argument.required && !checked.count(argument.name)) {
            return "prompt " + prompt.name + " needs the argument " + argument.name + " (" +
                   argument.description + ")";
        }
    }
    return checked;
}

}  // namespace rdmcp::protocol
