#pragma once
// The command line and environment, read once into a validated Config. Every flag has an
// environment variable; a flag wins over its variable, which wins over the default.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/log.h"

namespace rdmcp::server {

enum class Transport { Stdio, Http };

struct Config {
    Transport transport = Transport::Stdio;
    std::string host = "127.0.0.1";
    int port = 8000;
    std::string upstream_url = "https://api.retrodiffusion.ai";
    std::chrono::seconds upstream_timeout{300};
    std::string upstream_ca_file;
    std::size_t upstream_max_response_bytes = 128u << 20;
    std::size_t max_message_bytes = 64u << 20;  // a line on stdio
    std::size_t max_concurrency = 64;           // tool calls running at once
    LogLevel log_level = LogLevel::Info;
    std::string output_dir;                       // stdio: save every generated image here
    std::size_t inline_image_budget = 512u << 10; // decoded bytes of images inline per result
    std::chrono::milliseconds progress_interval{5000};
    std::string job_secret;                        // MAC secret for job/task ids (replicas share it)
    std::chrono::milliseconds task_inline_wait{4000};
    // stdio only: the caller's key, from RD_API_KEY. Over HTTP each request brings its own.
    std::string api_key;
};

struct ParsedCommandLine {
    std::optional<Config> config;  // set when the server should start
    std::string error;             // one line, when the arguments are wrong
    bool show_help = false;
    bool show_version = false;
};

// `environment` is consulted through this function so tests need not touch the process's.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> process_environment(const char* name);

ParsedCommandLine parse_command_line(const std::vector<std::string>& args,
                                     EnvironmentLookup environment = process_environment);

std::string usage_text();

}  // namespace rdmcp::server
