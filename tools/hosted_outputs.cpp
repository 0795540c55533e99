#include "tools/hosted_outputs.h"

#include <httplib.h>

#include <chrono>
#include <optional>

#include "common/base64.h"

namespace rdmcp::tools {

namespace {

struct OutputUrl {
    std::string origin;  // scheme://host[:port]
    std::string target;  // path and query, as signed
};

// The origin of "scheme://authority..." (lower-case scheme), or nothing.
std::optional<OutputUrl> split_url(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return std::nullopt;
    const auto path_start = url.find('/', scheme_end + 3);
    OutputUrl parts;
    parts.origin = url.substr(0, path_start);
    parts.target = path_start == std::string::npos ? "/" : url.substr(path_start);
    const auto authority = parts.origin.substr(scheme_end + 3);
    if (authority.empty() || authority.find_first_of("@ ") != std::string::npos)
        return std::nullopt;
    return parts;
}

// Why this URL is not fetched, or nothing when it may be.
std::optional<std::string> refusal(const std::string& url, const OutputUrl* parts,
                                   const std::string& api_base) {
    for (unsigned char c : url) {
        if (c <= ' ' || c == 0x7f) return "the output URL holds spaces or control characters";
    }
    if (!parts) return "the output URL is not an absolute URL";
    if (parts->origin.rfind("https://", 0) == 0) return std::nullopt;
    const auto api = split_url(api_base);
    if (api && api->origin == parts->origin) return std::nullopt;  // a test API on plain http
    return "the output URL is not https";
}

// The output's bytes, or why there are none.
struct Fetched {
    std::string bytes;
    std::string problem;
};

Fetched failed(std::string problem) { return {"", std::move(problem)}; }

Fetched fetch(const std::string& url, const UpstreamClient& upstream,
              const UpstreamCaller& caller) {
    const auto parts = split_url(url);
    if (auto why = refusal(url, parts ? &*parts : nullptr, upstream.config().base_url)) {
        return failed(*why);
    }
    const auto& config = upstream.config();
    httplib::Client client(parts->origin);
    client.set_connection_timeout(config.connect_timeout);
    client.set_read_timeout(config.read_timeout);
    client.set_follow_location(false);
    client.enable_server_certificate_verification(true);
    if (!config.ca_file.empty()) client.set_ca_cert_path(config.ca_file);

    const auto deadline = std::chrono::steady_clock::now() + config.read_timeout;
    std::string bytes;
    bool too_large = false, overdue = false;
    std::optional<protocol::CancellationHook> hook;
    if (caller.cancellation) hook.emplace(*caller.cancellation, [&client] { client.stop(); });
    auto response = client.Get(parts->target, {{"User-Agent", config.user_agent}},
                               [&](const char* data, std::size_t length) {
                                   if (bytes.size() + length > config.max_response_bytes)
                                       return !(too_large = true);
                                   if (std::chrono::steady_clock::now() > deadline)
                                       return !(overdue = true);
                                   bytes.append(data, length);
                                   return true;
                               });
    if (caller.is_cancelled()) return failed("cancelled");
    if (too_large) {
        return failed("the output is larger than " + std::to_string(config.max_response_bytes) +
                      " bytes");
    }
    if (overdue) return failed("the output did not arrive in time");
    if (!response) return failed("fetching it failed: " + httplib::to_string(response.error()));
    if (response->status != 200) {
        return failed("fetching it answered HTTP " + std::to_string(response->status) +
                      " (hosted outputs expire)");
    }
    if (bytes.empty()) return failed("it was empty");
    return {std::move(bytes), ""};
}

}  // namespace

HostedFile fetch_hosted_file(const std::string& url, const UpstreamClient& upstream,
                             const UpstreamCaller& caller) {
    auto fetched = fetch(url, upstream, caller);
    return {std::move(fetched.bytes), std::move(fetched.problem)};
}

std::string inline_hosted_outputs(GeneratedImages& images, const UpstreamClient& upstream,
                                  const UpstreamCaller& caller) {
    while (images.base64_images.size() < images.output_urls.size()) {
        auto fetched = fetch(images.output_urls[images.base64_images.size()], upstream, caller);
        if (!fetched.problem.empty()) {
            return "Output " + std::to_string(images.base64_images.size() + 1) +
                   " stays a link: " + fetched.problem + ".";
        }
        images.base64_images.push_back(base64_encode(fetched.bytes));
    }
    return "";
}

}  // namespace rdmcp::tools
