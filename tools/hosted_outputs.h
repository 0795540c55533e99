#pragma once
// Outputs the API hosts instead of inlining them: `output_urls` (multi-frame animations come so
// even without upload_outputs, on v2 especially). They are fetched and returned like base64
// images, so an agent gets the animation it paid for rather than a link that expires.
// Only https URLs are fetched (or, for a test API on plain http, that API's own origin), never
// with the caller's key (a signed URL needs none, and a storage host must never see it), within
// the upstream timeout and answer size limit.
#include <string>

#include "tools/generated_images.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

// Fetches every output URL that has no base64 image yet, in order, into images.base64_images.
// Stops at the first that cannot be fetched: it and the rest stay links. Returns what went
// wrong (for the result's text), or "" when every output is inline now.
std::string inline_hosted_outputs(GeneratedImages& images, const UpstreamClient& upstream,
                                  const UpstreamCaller& caller);

// One hosted file (a Low-Poly export), under the same rules: its bytes, or why there are none.
struct HostedFile {
    std::string bytes;
    std::string problem;  // "" when fetched
};
HostedFile fetch_hosted_file(const std::string& url, const UpstreamClient& upstream,
                             const UpstreamCaller& caller);

}  // namespace rdmcp::tools
