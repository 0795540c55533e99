#include "sim_http.h"

#include <cctype>
#include <stdexcept>

namespace rdsim {
namespace {

bool has_type(const json& v, FieldType type) {
    switch (type) {
        case FieldType::String:
            return v.is_string();
        case FieldType::Int:
            return v.is_number_integer();
        case FieldType::Number:
            return v.is_number();
        case FieldType::Bool:
            return v.is_boolean();
        case FieldType::StringList:
            return v.is_array();
        case FieldType::Object:
            return v.is_object();
    }
    return false;
}

std::pair<std::string, std::string> type_message(FieldType type) {
    switch (type) {
        case FieldType::String:
            return {"Input should be a valid string", "string_type"};
        case FieldType::Int:
            return {"Input should be a valid integer", "int_type"};
        case FieldType::Number:
            return {"Input should be a valid number", "float_type"};
        case FieldType::Bool:
            return {"Input should be a valid boolean", "bool_type"};
        case FieldType::StringList:
            return {"Input should be a valid list", "list_type"};
        case FieldType::Object:
            return {"Input should be a valid dictionary", "dict_type"};
    }
    return {"Invalid input", "value_error"};
}

// Short inputs are echoed back as pydantic does; long ones (base64) are not.
json echo_input(const json& v) {
    if (v.is_string() && v.get_ref<const std::string&>().size() > 200) return "<omitted>";
    return v;
}

bool is_json_media_type(std::string type) {
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    const auto slash = type.find('/');
    if (slash == std::string::npos) return false;
    const std::string sub = type.substr(slash + 1);
    return sub == "json" || (sub.size() > 5 && sub.compare(sub.size() - 5, 5, "+json") == 0);
}

}  // namespace

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(dump(body), "application/json");
}

json detail_error(const std::string& code, const std::string& message) {
    return {{"detail", {{"code", code}, {"message", message}}}};
}

void send_invalid(httplib::Response& res, const std::string& message) {
    send_json(res, 400, detail_error("invalid_request", message));
}

void send_not_enough_balance(httplib::Response& res) {
    send_json(res, 400, {{"detail", json::array({{{"msg", "Not enough balance."}}})}});
}

void send_validation(httplib::Response& res, const json& issues) {
    send_json(res, 422, {{"detail", issues}});
}

json validation_issue(json loc, const std::string& msg, const std::string& type) {
    return {{"loc", std::move(loc)}, {"msg", msg}, {"type", type}};
}

json check_fields(const json& body, const std::vector<FieldSpec>& fields) {
    json issues = json::array();
    for (const FieldSpec& f : fields) {
        const auto it = body.find(f.name);
        if (it == body.end()) {
            if (f.required)
                issues.push_back(validation_issue({"body", f.name}, "Field required", "missing"));
            continue;
        }
        if (it->is_null() && !f.required) continue;
        if (!has_type(*it, f.type)) {
            auto [msg, type] = type_message(f.type);
            json issue = validation_issue({"body", f.name}, msg, type);
            issue["input"] = echo_input(*it);
            issues.push_back(issue);
            continue;
        }
        if (f.type == FieldType::StringList) {
            for (std::size_t i = 0; i < it->size(); ++i) {
                if ((*it)[i].is_string()) continue;
                json issue = validation_issue({"body", f.name, i}, "Input should be a valid string",
                                              "string_type");
                issue["input"] = echo_input((*it)[i]);
                issues.push_back(issue);
            }
        }
    }
    return issues;
}

std::optional<json> read_json_object(const httplib::Request& req, httplib::Response& res) {
    const std::string content_type = req.get_header_value("Content-Type");
    if (req.body.empty()) {
        send_validation(res,
                        json::array({validation_issue({"body"}, "Field required", "missing")}));
        return std::nullopt;
    }
    if (!content_type.empty() && !is_json_media_type(content_type)) {
        send_validation(
            res,
            json::array({validation_issue(
                {"body"}, "Input should be a valid dictionary or object to extract fields from",
                "model_attributes_type")}));
        return std::nullopt;
    }
    json body;
    try {
        body = json::parse(req.body);
    } catch (const json::parse_error& e) {
        json issue = validation_issue({"body", e.byte > 0 ? e.byte - 1 : 0}, "JSON decode error",
                                      "json_invalid");
        issue["ctx"] = {{"error", e.what()}};
        send_validation(res, json::array({issue}));
        return std::nullopt;
    }
    if (!body.is_object()) {
        send_validation(
            res,
            json::array({validation_issue(
                {"body"}, "Input should be a valid dictionary or object to extract fields from",
                "model_attributes_type")}));
        return std::nullopt;
    }
    return body;
}

std::optional<json> query_int(const httplib::Request& req, const std::string& name, int min,
                              int max, int& value) {
    if (!req.has_param(name.c_str())) return std::nullopt;
    const std::string text = req.get_param_value(name.c_str());
    const json loc = {"query", name};
    try {
        std::size_t used = 0;
        const int parsed = std::stoi(text, &used);
        if (used != text.size()) throw std::invalid_argument(text);
        value = parsed;
    } catch (const std::exception&) {
        return validation_issue(loc, "Input should be a valid integer", "int_parsing");
    }
    if (value < min)
        return validation_issue(loc,
                                "Input should be greater than or equal to " + std::to_string(min),
                                "greater_than_equal");
    if (max > 0 && value > max)
        return validation_issue(loc, "Input should be less than or equal to " + std::to_string(max),
                                "less_than_equal");
    return std::nullopt;
}

std::optional<std::string> get_string(const json& body, const std::string& name) {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::int64_t> get_int(const json& body, const std::string& name) {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

std::optional<double> get_number(const json& body, const std::string& name) {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

bool get_bool(const json& body, const std::string& name) {
    const auto it = body.find(name);
    return it != body.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace rdsim
