#pragma once
// Which version of the RetroDiffusion API the server speaks (--api-version). v2 makes every
// generation asynchronous, takes an Idempotency-Key on paid submissions, keeps results
// recoverable for 24 hours and answers errors in one envelope; it is the default, as it is the
// official hosted server's. v1 is the frozen fallback (never used to replay a failed v2 call).
// Tools name paths without the version ("/inferences"); the upstream client puts it in front.
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::tools {

enum class ApiVersion { V1, V2 };

inline std::optional<ApiVersion> parse_api_version(std::string_view text) {
    if (text == "v1" || text == "1") return ApiVersion::V1;
    if (text == "v2" || text == "2") return ApiVersion::V2;
    return std::nullopt;
}

inline const char* api_version_name(ApiVersion version) {
    return version == ApiVersion::V2 ? "v2" : "v1";
}

// "/v2/inferences" for "/inferences".
inline std::string versioned_path(ApiVersion version, std::string_view path) {
    return std::string("/") + api_version_name(version) + std::string(path);
}

}  // namespace rdmcp::tools
