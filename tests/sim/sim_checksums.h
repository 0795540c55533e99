#pragma once
// The two checksums PNG needs: CRC-32 per chunk and Adler-32 over the zlib stream.
#include <cstdint>
#include <string_view>

namespace rdsim {

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);
std::uint32_t adler32(std::string_view bytes);

}  // namespace rdsim
