#pragma once
// Base64 as the RetroDiffusion API reads it: the standard alphabet with padding. Whitespace is
// skipped (as Python's decoder does); anything else that is not base64 is an error.
#include <optional>
#include <string>
#include <string_view>

namespace rdsim {

std::string base64_encode(std::string_view bytes);

// nullopt when the text is not valid padded standard base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace rdsim
