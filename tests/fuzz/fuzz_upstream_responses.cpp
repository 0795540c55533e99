// Fuzzes what the server reads from the RetroDiffusion API and from job ids agents hand back.
// The first byte picks the reader, the rest is its input:
//  0: tools::read_error_body on an error body (v2 envelope, v1 shapes, any JSON, or not JSON)
//     under a status picked by its length, then the summary, redaction and tool error an agent
//     would see (the request id always in it);
//  1: tools::read_inference_images on a success body (any JSON: tasks/get passes the job's
//     `result` member through), then render_images as the tools do (inline, nothing saved);
//  2: tools::verify_job on an id as an agent might send it;
//  3: tools::verify_job on a payload signed with the caller's own key and no server secret:
//     the default for stdio and single replicas, where whoever holds the key can sign any
//     payload, so its contents are as untrusted as the rest.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <iterator>
#include <string_view>

#include "common/base64.h"
#include "tests/fuzz/require.h"
#include "tools/agent_errors.h"
#include "tools/generated_images.h"
#include "tools/job_token.h"
#include "tools/upstream_error.h"

using namespace rdmcp;
using namespace rdmcp::tools;
using rdmcp::protocol::Json;

namespace {

constexpr const char* kKey = "rdpk-fuzz-key";

std::string base64url(std::string_view bytes) {
    std::string text = base64_encode(bytes);
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    while (!text.empty() && text.back() == '=') text.pop_back();
    return text;
}

// The job id format of tools/job_token.cpp, signed as a caller holding kKey can.
std::string self_signed_id(std::string_view payload) {
    const std::string material = std::string(1, '\0') + kKey;  // server secret "" + '\0' + key
    unsigned char key[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), key);
    const std::string signed_part = "rdjob1." + base64url(payload);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(signed_part.data()),
         signed_part.size(), mac, &length);
    return signed_part + "." +
           base64url(std::string_view(reinterpret_cast<const char*>(mac), length));
}

// The statuses the API's mapping gives a default code, and one it does not.
constexpr int kStatuses[] = {400, 401, 402, 404, 410, 422, 429, 500, 502, 503, 418};

void read_error(std::string_view body) {
    const int status = kStatuses[body.size() % std::size(kStatuses)];
    UpstreamError error = UpstreamError::of(UpstreamError::Kind::Http, "", status);
    // As the client does: the header's id first (here the body itself), the body's replaces it.
    error.request_id = request_id_from_headers(std::string(body), "");
    read_error_body(std::string(body), error);
    FUZZ_REQUIRE(error.message.size() <= 400);
    FUZZ_REQUIRE(error.code.size() <= 200);
    FUZZ_REQUIRE(error.request_id.size() <= 200);
    FUZZ_REQUIRE(!error.details ||
                 error.details->dump(-1, ' ', false, Json::error_handler_t::replace).size() <=
                     4096);
    FUZZ_REQUIRE(!error.code.empty() || status == 418);  // every mapped status has a code
    error.method = "POST";
    error.path = "/v1/inferences";
    const std::string summary = error.summary();
    const std::string redacted = redact(summary, kKey);
    FUZZ_REQUIRE(redacted.find(kKey) == std::string::npos);
    FUZZ_REQUIRE(redacted.find("rdpk-") == std::string::npos);  // any key the API echoes is masked
    // What an agent reads, after the redaction UpstreamClient::send applies to every field.
    error.message = redact(error.message, kKey);
    error.code = redact(error.code, kKey);
    error.request_id = redact(error.request_id, kKey);
    if (error.details) error.details = redact_json(*error.details, kKey);
    for (const auto& field :
         {error.message, error.code, error.request_id,
          error.details ? error.details->dump(-1, ' ', false, Json::error_handler_t::replace)
                        : std::string()}) {
        FUZZ_REQUIRE(field.find("rdpk-") == std::string::npos);
    }
    // (The advice itself may say that keys start with "rdpk-".)
    const auto text = tool_error_for(error, "Generating").content[0]["text"].get<std::string>();
    FUZZ_REQUIRE(text.find(kKey) == std::string::npos);
    FUZZ_REQUIRE(error.request_id.empty() || text.find("request id: ") != std::string::npos);
}

void read_images(std::string_view text, unsigned flags) {
    const Json body = Json::parse(text, nullptr, false);
    if (body.is_discarded()) return;
    const int expected = static_cast<int>(flags % 5);
    auto images = read_inference_images(body, expected, flags & 8, flags & 16);
    FUZZ_REQUIRE(images.labels.size() ==
                 std::max(images.base64_images.size(), images.output_urls.size()));
    auto result = render_images(std::move(images), {.headline = "Generated", .file_stem = "fuzz"},
                                ToolsConfig{.inline_image_budget_bytes = 4096});
    result.to_json().dump(-1, ' ', false, Json::error_handler_t::replace);
}

void verify(const std::string& id) {
    verify_job(id, kKey, "");
    verify_job(id, kKey, "a server secret");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned selector = data[0];
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (selector % 4) {
        case 0:
            read_error(input);
            break;
        case 1:
            read_images(input, selector >> 2);
            break;
        case 2:
            verify(std::string(input));
            break;
        default:
            verify(self_signed_id(input));
            break;
    }
    return 0;
}
