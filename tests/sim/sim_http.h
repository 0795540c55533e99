#pragma once
// Response and request-body helpers shared by every route: JSON responses, the API's two error
// shapes, and FastAPI/pydantic-style 422 body validation.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace rdsim {

using json = nlohmann::json;

std::string dump(const json& value);  // never throws on invalid UTF-8
std::string lower(std::string s);     // ASCII letters in lower case (header names, URL hosts)
void send_json(httplib::Response& res, int status, const json& body);

// {"detail": {"code": ..., "message": ...}}
json detail_error(const std::string& code, const std::string& message);
void send_invalid(httplib::Response& res, const std::string& message);  // 400 invalid_request
void send_not_enough_balance(httplib::Response& res);                   // 400, list shape
void send_validation(httplib::Response& res, const json& issues);       // 422 {"detail": [...]}

// One pydantic-style issue: {"loc": [...], "msg": ..., "type": ...}.
json validation_issue(json loc, const std::string& msg, const std::string& type);

enum class FieldType { String, Int, Number, Bool, StringList, Object };
struct FieldSpec {
    std::string name;
    FieldType type;
    bool required = false;
};

// Type-checks the listed fields; null is accepted for optional ones, unknown fields are ignored.
json check_fields(const json& body, const std::vector<FieldSpec>& fields);

// The body as a JSON object, as FastAPI reads it; otherwise sends the 422 and returns nullopt.
std::optional<json> read_json_object(const httplib::Request& req, httplib::Response& res);

// A query parameter that must be an integer >= min (and <= max when max > 0): leaves `value`
// alone when absent, else sets it; returns the pydantic issue for a 422 when invalid.
std::optional<json> query_int(const httplib::Request& req, const std::string& name, int min,
                              int max, int& value);

// Field access after check_fields: nullopt when absent or null.
std::optional<std::string> get_string(const json& body, const std::string& name);
std::optional<std::int64_t> get_int(const json& body, const std::string& name);
std::optional<double> get_number(const json& body, const std::string& name);
bool get_bool(const json& body, const std::string& name);  // absent/null: false

}  // namespace rdsim
