#include "protocol/schema_validator.h"

#include <cmath>

#include "common/text.h"

namespace rdmcp::protocol {

namespace {

std::string json_type_name(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::boolean:
            return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return "an integer";
        case Json::value_t::number_float:
            return "a number";
        case Json::value_t::string:
            return "a string";
        case Json::value_t::array:
            return "an array";
        case Json::value_t::object:
            return "an object";
        default:
            return "an unsupported value";
    }
}

bool is_whole_number(const Json& value) {
    if (value.is_number_integer()) return true;
    if (!value.is_number_float()) return false;
    double d = value.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
}

bool matches_type(const Json& value, const std::string& type) {
    if (type == "string") return value.is_string();
    if (type == "integer") return is_whole_number(value);
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "array") return value.is_array();
    if (type == "object") return value.is_object();
    if (type == "null") return value.is_null();
    return true;
}

std::string article_for(const std::string& type) {
    if (type == "integer" || type == "array" || type == "object") return "an " + type;
    if (type == "null") return "null";
    return "a " + type;
}

// What the client sent, as JSON, never more than a short prefix of it.
std::string short_repr(const Json& value) {
    return cut(value.dump(-1, ' ', false, Json::error_handler_t::replace), kEchoBytes);
}

class Validator {
  public:
    std::vector<SchemaViolation> violations;

    void check(const Json& value, const Json& schema, const std::string& path) {
        if (!schema.is_object()) return;
        if (!check_type(value, schema, path)) return;
        check_enum(value, schema, path);
        if (value.is_number()) check_range(value, schema, path);
        if (value.is_string()) check_length(value, schema, path);
        if (value.is_array()) check_array(value, schema, path);
        if (value.is_object()) check_object(value, schema, path);
    }

  private:
    void fail(const std::string& path, std::string message) {
        violations.push_back({path, std::move(message)});
    }

    bool check_type(const Json& value, const Json& schema, const std::string& path) {
        auto it = schema.find("type");
        if (it == schema.end()) return true;
        std::vector<std::string> types;
        if (it->is_string()) types.push_back(it->get<std::string>());
        if (it->is_array()) {
            for (const auto& t : *it) {
                if (t.is_string()) types.push_back(t.get<std::string>());
            }
        }
        for (const auto& t : types) {
            if (matches_type(value, t)) return true;
        }
        std::string expected;
        for (std::size_t i = 0; i < types.size(); ++i) {
            if (i) expected += i + 1 == types.size() ? " or " : ", ";
            expected += article_for(types[i]);
        }
        fail(path, "must be " + expected + ", got " + json_type_name(value) +
                       (value.is_null() ? "" : " (" + short_repr(value) + ")"));
        return false;
    }

    void check_enum(const Json& value, const Json& schema, const std::string& path) {
        if (auto it = schema.find("const"); it != schema.end() && value != *it) {
            fail(path, "must be " + short_repr(*it) + ", got " + short_repr(value));
        }
        auto it = schema.find("enum");
        if (it == schema.end() || !it->is_array()) return;
        for (const auto& allowed : *it) {
            if (allowed == value) return;
        }
        std::string list;
        for (const auto& allowed : *it) list += (list.empty() ? "" : ", ") + allowed.dump();
        fail(path, "must be one of " + list + ", got " + short_repr(value));
    }

    void check_range(const Json& value, const Json& schema, const std::string& path) {
        const double v = value.get<double>();
        auto min = schema.find("minimum");
        auto max = schema.find("maximum");
        bool too_small = min != schema.end() && min->is_number() && v < min->get<double>();
        bool too_large = max != schema.end() && max->is_number() && v > max->get<double>();
        if (too_small || too_large) {
            std::string allowed;
            if (min != schema.end() && max != schema.end()) {
                allowed = "between " + min->dump() + " and " + max->dump();
            } else if (too_small) {
                allowed = "at least " + min->dump();
            } else {
                allowed = "at most " + max->dump();
            }
            fail(path, "must be " + allowed + ", got " + short_repr(value));
        }
        if (auto emin = schema.find("exclusiveMinimum");
            emin != schema.end() && emin->is_number() && v <= emin->get<double>()) {
            fail(path, "must be greater than " + emin->dump() + ", got " + short_repr(value));
        }
        if (auto emax = schema.find("exclusiveMaximum");
            emax != schema.end() && emax->is_number() && v >= emax->get<double>()) {
            fail(path, "must be less than " + emax->dump() + ", got " + short_repr(value));
        }
    }

    void check_length(const Json& value, const Json& schema, const std::string& path) {
        const auto length = value.get_ref<const std::string&>().size();
        if (auto min = schema.find("minLength"); min != schema.end() && min->is_number()) {
            if (length < min->get<std::size_t>()) {
                fail(path, min->get<std::size_t>() == 1
                               ? "must not be empty"
                               : "must have at least " + min->dump() + " characters");
            }
        }
        if (auto max = schema.find("maxLength"); max != schema.end() && max->is_number()) {
            if (length > max->get<std::size_t>()) {
                fail(path, "must have at most " + max->dump() + " characters, got " +
                               std::to_string(length));
            }
        }
    }

    void check_array(const Json& value, const Json& schema, const std::string& path) {
        if (auto min = schema.find("minItems"); min != schema.end() && min->is_number()) {
            if (value.size() < min->get<std::size_t>()) {
                fail(path, "must have at least " + min->dump() + " items, got " +
                               std::to_string(value.size()));
            }
        }
        if (auto max = schema.find("maxItems"); max != schema.end() && max->is_number()) {
            if (value.size() > max->get<std::size_t>()) {
                fail(path, "must have at most " + max->dump() + " items, got " +
                               std::to_string(value.size()));
            }
        }
        if (auto items = schema.find("items"); items != schema.end()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                check(value[i], *items, path + "[" + std::to_string(i) + "]");
            }
        }
    }

    void check_object(const Json& value, const Json& schema, const std::string& path) {
        const std::string prefix = path.empty() ? "" : path + ".";
        if (auto required = schema.find("required"); required != schema.end()) {
            for (const auto& name : *required) {
                if (name.is_string() && !value.contains(name.get<std::string>())) {
                    fail(prefix + name.get<std::string>(), "is required");
                }
            }
        }
        auto properties = schema.find("properties");
        auto additional = schema.find("additionalProperties");
        const bool closed =
            additional != schema.end() && additional->is_boolean() && !additional->get<bool>();
        for (const auto& [name, member] : value.items()) {
            if (properties != schema.end() && properties->contains(name)) {
                check(member, (*properties)[name], prefix + name);
            } else if (closed) {
                std::string known;
                if (properties != schema.end()) {
                    for (const auto& [k, v] : properties->items())
                        known += (known.empty() ? "" : ", ") + k;
                }
                // The name is the client's: a prefix is enough to find it.
                fail(prefix + cut(name, kEchoBytes),
                     "is not a known argument" +
                         (known.empty() ? std::string() : " (known: " + known + ")"));
            }
        }
    }
};

}  // namespace

std::vector<SchemaViolation> validate_against_schema(const Json& value, const Json& schema) {
    Validator validator;
    validator.check(value, schema, "");
    return validator.violations;
}

std::string describe_violations(const std::vector<SchemaViolation>& violations) {
    // Fixing the first few shows the way; thousands of unknown arguments need not come back.
    constexpr std::size_t kMaxDescribed = 10;
    std::string text;
    for (std::size_t i = 0; i < violations.size() && i < kMaxDescribed; ++i) {
        const auto& v = violations[i];
        if (!text.empty()) text += "; ";
        text += v.path.empty() ? "the arguments " + v.message
                               : "argument '" + v.path + "' " + v.message;
    }
    if (violations.size() > kMaxDescribed) {
        text += "; and " + std::to_string(violations.size() - kMaxDescribed) + " more problems";
    }
    return text;
}

}  // namespace rdmcp::protocol
