// Fuzzes the image helpers an agent's image arguments go through, with cross-checks between
// them. The first byte picks the field policy (size limit), the rest is the argument's text.
//  - tools::resolve_image_input (local files off, as over HTTP: a path is refused unread):
//    an accepted image is canonical base64 whose decoded header is the reported one;
//  - rdmcp::base64_decode agrees with base64_validate on validity and size, and re-encoding
//    what it decoded decodes to the same bytes;
//  - tools::read_image_info on the raw bytes, and tools::read_base64_image_info, which reads a
//    prefix only: when it answers, the full image agrees.
#include <string_view>

#include "common/base64.h"
#include "tests/fuzz/require.h"
#include "tools/image_info.h"
#include "tools/image_input.h"

using namespace rdmcp;
using namespace rdmcp::tools;

namespace {

void check_base64(std::string_view text) {
    const auto decoded = base64_decode(text);
    const auto size = base64_validate(text);
    FUZZ_REQUIRE(decoded.has_value() == size.has_value());
    if (!decoded) return;
    FUZZ_REQUIRE(decoded->size() == *size);
    FUZZ_REQUIRE(base64_decoded_size(text) == *size);
    const std::string encoded = base64_encode(*decoded);
    FUZZ_REQUIRE(encoded.size() % 4 == 0);
    FUZZ_REQUIRE(base64_decode(encoded) == decoded);

    const auto header = read_base64_image_info(text);
    if (header) FUZZ_REQUIRE(read_image_info(*decoded) == header);
}

void check_image_input(std::string_view value, std::size_t max_bytes) {
    const ImageInputPolicy policy{.allow_local_files = false, .max_bytes = max_bytes};
    auto resolved = resolve_image_input("input_image", value, policy);
    if (auto* error = std::get_if<std::string>(&resolved)) {
        FUZZ_REQUIRE(error->find("field 'input_image'") != std::string::npos);
        return;
    }
    const auto& image = std::get<ImageInput>(resolved);
    FUZZ_REQUIRE(image.source == "base64" || image.source == "data URL");
    FUZZ_REQUIRE(image.base64.size() % 4 == 0);
    FUZZ_REQUIRE(image.base64.find_first_of(" \t\r\n\f\v") == std::string::npos);
    const auto bytes = base64_decode(image.base64);
    FUZZ_REQUIRE(bytes.has_value() && !bytes->empty() && bytes->size() <= max_bytes);
    FUZZ_REQUIRE(read_image_info(*bytes) == image.info);
    FUZZ_REQUIRE(image.info.width > 0 && image.info.height > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t max_bytes = data[0] & 1 ? kDefaultMaxImageBytes : std::size_t{data[0]};
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

    check_base64(text);
    check_image_input(text, max_bytes);
    if (auto info = read_image_info(text)) {
        FUZZ_REQUIRE(info->width > 0 && info->height > 0);
        FUZZ_REQUIRE(sniff_image_mime(text) == info->mime_type);
        // The same bytes as base64, as an agent would send them.
        check_image_input(base64_encode(text), max_bytes);
    }
    return 0;
}
