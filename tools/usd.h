#pragma once
// Money as agents read it: "$0.036" (the API prices to three decimals).
#include <cstdio>
#include <string>

namespace rdmcp::tools {

inline std::string format_usd(double usd) {
    char text[32];
    std::snprintf(text, sizeof text, "$%.3f", usd);
    return text;
}

}  // namespace rdmcp::tools
