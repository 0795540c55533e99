#include "server/config.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "server/config_options.h"
#include "tools/spend_limits.h"

namespace rdmcp::server {

namespace {

// A stdio-only option set for HTTP: the first one found, as the one-line error, or nothing.
// `given` maps each option set to where it came from ("" for the command line, else its variable).
std::optional<std::string> stdio_only_over_http(const std::map<const Option*, std::string>& given) {
    for (const auto& option : options()) {
        auto found = given.find(&option);
        if (found == given.end()) continue;
        if (option.scope.transports != OptionTransports::StdioOnly) continue;
        std::string error =
            std::string(option.flag) + " is for stdio: " + option.scope.why_not_http;
        if (!found->second.empty()) error += " (from " + found->second + ")";
        return error;
    }
    return std::nullopt;
}

std::string usage_section(const char* title, OptionTransports transports) {
    std::string text = std::string("\n") + title + ":\n";
    for (const auto& option : options()) {
        if (option.scope.transports != transports) continue;
        std::string left = std::string("  ") + option.flag + (option.is_switch ? "" : " VALUE");
        left.resize(std::max<std::size_t>(left.size() + 1, 28), ' ');
        text += left + option.help + "  [" + option.env + "]\n";
    }
    return text;
}

}  // namespace

std::optional<std::string> process_environment(const char* name) {
    const char* value = std::getenv(name);
    if (!value) return std::nullopt;
    return std::string(value);
}

ParsedCommandLine parse_command_line(const std::vector<std::string>& args,
                                     EnvironmentLookup environment) {
    ParsedCommandLine parsed;
    Config config;
    std::map<const Option*, std::string> given;  // where each option set came from

    // Environment first, so flags given on the command line override it.
    for (const auto& option : options()) {
        auto value = environment(option.env);
        if (!value || value->empty()) continue;
        if (auto error = option.apply(config, *value)) {
            parsed.error = *error + " (from " + option.env + ")";
            return parsed;
        }
        given[&option] = option.env;
    }

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            parsed.show_help = true;
            return parsed;
        }
        if (arg == "--version" || arg == "-V") {
            parsed.show_version = true;
            return parsed;
        }
        std::string flag = arg, value;
        bool has_value = false;
        if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            flag = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            has_value = true;
        }
        const Option* option = find_option(flag);
        if (!option) {
            parsed.error = "unknown option \"" + arg + "\" (see --help)";
            return parsed;
        }
        if (!has_value && option->is_switch) {
            value = "true";
            has_value = true;
        }
        if (!has_value) {
            if (i + 1 >= args.size()) {
                parsed.error = flag + " needs a value (see --help)";
                return parsed;
            }
            value = args[++i];
        }
        if (auto error = option->apply(config, value)) {
            parsed.error = *error;
            return parsed;
        }
        given[option] = "";
    }

    if (config.transport == Transport::Http) {
        if (auto error = stdio_only_over_http(given)) {
            parsed.error = *error;
            return parsed;
        }
        if (config.max_inflight_body_bytes &&
            config.max_inflight_body_bytes < config.max_body_bytes) {
            parsed.error =
                "--max-inflight-body-bytes (" + std::to_string(config.max_inflight_body_bytes) +
                ") must be at least --max-body-bytes (" + std::to_string(config.max_body_bytes) +
                "), or no request of the largest size could ever be read";
            return parsed;
        }
        if (config.max_connections < 2 * config.effective_max_concurrency()) {
            parsed.error = "--max-connections (" + std::to_string(config.max_connections) +
                           ") must be at least twice --max-concurrency (" +
                           std::to_string(config.effective_max_concurrency()) +
                           "), so slow calls can never hold every connection";
            return parsed;
        }
    }
    auto key = environment("RD_API_KEY");
    if (config.transport == Transport::Stdio) {
        if (key) config.api_key = *key;
    } else if (key && !key->empty()) {
        // Not refused: a developer's shell often exports it for stdio clients, and `make run`
        // must still start. It is never read over HTTP, and the log says so once.
        parsed.warnings.push_back(
            "RD_API_KEY is set but not used: over HTTP each request brings its own key "
            "(Authorization: Bearer); RD_API_KEY is the key of the stdio transport");
    }
    parsed.config = std::move(config);
    return parsed;
}

std::string usage_text() {
    std::string text =
        "Usage: retrodiffusion-mcp [options]\n"
        "An MCP server for the RetroDiffusion pixel-art API (MCP 2026-07-28 and 2025-11-25).\n"
        "Over stdio the API key comes from RD_API_KEY; over HTTP from each request's\n"
        "Authorization: Bearer header.\n"
        "HTTP serves one MCP endpoint (--path) plus GET /healthz, /readyz and /metrics.\n"
        "Each option is also set by the environment variable shown; a flag wins over it.\n";
    text += usage_section("Options for both transports", OptionTransports::Both);
    text +=
        usage_section("stdio only (refused with --transport http)", OptionTransports::StdioOnly);
    text += usage_section("HTTP only (unused over stdio)", OptionTransports::HttpOnly);
    text +=
        "\n"
        "  -h, --help                  show this text\n"
        "  -V, --version               show the version\n";
    return text;
}

std::optional<double> Config::effective_confirm_above() const {
    if (confirm_above) return *confirm_above;
    if (transport == Transport::Stdio) return tools::kStdioDefaultConfirmAbove;
    return std::nullopt;
}

}  // namespace rdmcp::server
