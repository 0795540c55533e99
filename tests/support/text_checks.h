#pragma once
// Reading the messages a unit test gets back (refusals, errors), the same way in every test.
#include <string>
#include <string_view>

namespace rdmcp::testing {

// Whether `text` contains `part`.
inline bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

}  // namespace rdmcp::testing
