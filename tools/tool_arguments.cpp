#include "tools/tool_arguments.h"

#include <cmath>

#include "common/text.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

// The whole number `value` holds, when it is one within [min, max].
std::optional<long long> whole_in(const Json& value, long long min, long long max) {
    long long whole = 0;
    if (value.is_number_integer() && !value.is_number_unsigned()) {
        whole = value.get<long long>();
    } else if (value.is_number_unsigned()) {
        const auto count = value.get<unsigned long long>();
        if (count > static_cast<unsigned long long>(LLONG_MAX)) return std::nullopt;
        whole = static_cast<long long>(count);
    } else if (value.is_number_float()) {
        const double d = value.get<double>();
        // [-2^63, 2^63): converted to long long only where it is defined.
        if (!std::isfinite(d) || std::floor(d) != d || d < -9223372036854775808.0 ||
            d >= 9223372036854775808.0) {
            return std::nullopt;
        }
        whole = static_cast<long long>(d);
    } else {
        return std::nullopt;
    }
    if (whole < min || whole > max) return std::nullopt;
    return whole;
}

// "'seed'". Appended, not "'" + std::string(name): GCC 12 at -O3 warns falsely (-Wrestrict)
// about a literal + std::string&& (GCC bugs 105329, 105651).
std::string quoted(const char* name) {
    std::string text = "'";
    text += name;
    text += '\'';
    return text;
}

}  // namespace

const Json* ArgumentReader::find(const char* name) const {
    if (!arguments_.is_object()) return nullptr;
    auto it = arguments_.find(name);
    return it == arguments_.end() ? nullptr : &*it;
}

void ArgumentReader::refuse(const char* name, const std::string& expected, const Json& got) {
    if (problem_) return;
    problem_ = quoted(name) + " must be " + expected + ", got " +
               cut(got.dump(-1, ' ', false, Json::error_handler_t::replace), kEchoBytes);
}

void ArgumentReader::text(const char* name, std::optional<std::string>& out) {
    const Json* value = find(name);
    if (!value) return;
    if (value->is_string()) {
        out = value->get<std::string>();
    } else {
        refuse(name, "a string", *value);
    }
}

void ArgumentReader::flag(const char* name, std::optional<bool>& out) {
    const Json* value = find(name);
    if (!value) return;
    if (value->is_boolean()) {
        out = value->get<bool>();
    } else {
        refuse(name, "true or false", *value);
    }
}

void ArgumentReader::number(const char* name, std::optional<double>& out) {
    const Json* value = find(name);
    if (!value) return;
    if (value->is_number()) {
        out = value->get<double>();
    } else {
        refuse(name, "a number", *value);
    }
}

void ArgumentReader::whole(const char* name, std::optional<long long>& out, const char* what,
                           long long min, long long max) {
    const Json* value = find(name);
    if (!value) return;
    if (auto whole = whole_in(*value, min, max)) {
        out = *whole;
    } else {
        refuse(name, what, *value);
    }
}

void ArgumentReader::whole(const char* name, std::optional<int>& out, const char* what) {
    std::optional<long long> whole;
    this->whole(name, whole, what, INT_MIN, INT_MAX);
    if (whole) out = static_cast<int>(*whole);
}

void ArgumentReader::required_text(const char* name, std::string& out) {
    std::optional<std::string> value;
    text(name, value);
    if (value) {
        out = std::move(*value);
    } else if (!find(name) && !problem_) {
        problem_ = quoted(name) + " is required";
    }
}

void ArgumentReader::required_whole(const char* name, int& out, const char* what) {
    std::optional<int> value;
    whole(name, value, what);
    if (value) {
        out = *value;
    } else if (!find(name) && !problem_) {
        problem_ = quoted(name) + " is required";
    }
}

}  // namespace rdmcp::tools
