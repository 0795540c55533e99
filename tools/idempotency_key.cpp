#include "tools/idempotency_key.h"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace rdmcp::tools {

std::string new_idempotency_key() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("the system's random generator failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string key = "rdmcp-";
    for (unsigned char byte : bytes) {
        key += kHex[byte >> 4];
        key += kHex[byte & 0x0f];
    }
    return key;
}

}  // namespace rdmcp::tools
