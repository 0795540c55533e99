#pragma once
// Reads a tool's arguments into typed members, once, where a request is built. The protocol
// layer has already checked them against the tool's inputSchema, but a schema "integer" lets
// whole numbers of any size through (1e300, 2^64), and tests and fuzzers call the builders
// directly: so every read checks the type and what the member can hold, and a value that does
// not fit is refused with a message naming the field. Nothing here throws.
#include <climits>
#include <optional>
#include <string>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

class ArgumentReader {
  public:
    explicit ArgumentReader(const protocol::Json& arguments) : arguments_(arguments) {}

    // Each reads the argument `name` into `out` when it is there (absent: `out` is left as it
    // is). A value of another type records a problem; the first problem is kept.
    void text(const char* name, std::optional<std::string>& out);
    void flag(const char* name, std::optional<bool>& out);
    void number(const char* name, std::optional<double>& out);
    // A whole number within [min, max]; `what` says what is expected ("a whole number").
    void whole(const char* name, std::optional<long long>& out, const char* what = kWhole,
               long long min = LLONG_MIN, long long max = LLONG_MAX);
    void whole(const char* name, std::optional<int>& out, const char* what = kWhole);

    // The same for arguments the schema requires: absent is a problem too.
    void required_text(const char* name, std::string& out);
    void required_whole(const char* name, int& out, const char* what = kWhole);

    // "'seed' must be a whole number, got 1e+300", or nothing when every read succeeded.
    const std::optional<std::string>& problem() const { return problem_; }

  private:
    static constexpr const char* kWhole = "a whole number";

    const protocol::Json* find(const char* name) const;
    void refuse(const char* name, const std::string& expected, const protocol::Json& got);

    const protocol::Json& arguments_;
    std::optional<std::string> problem_;
};

}  // namespace rdmcp::tools
