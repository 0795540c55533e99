#include "tests/support/simulated_api.h"

#include <stdexcept>

namespace rdmcp::testing {

SimulatedApi::SimulatedApi(std::vector<std::string> extra_args)
    : process_(
          [&] {
              std::vector<std::string> argv = {RDMCP_SIM_BINARY, "--port", "0"};
              argv.insert(argv.end(), extra_args.begin(), extra_args.end());
              return argv;
          }(),
          {}) {
    auto line = process_.read_line(std::chrono::seconds(10));
    const std::string prefix = "listening on ";
    if (!line || line->rfind(prefix, 0) != 0) {
        throw std::runtime_error("rd-sim did not start: " + process_.stderr_text());
    }
    url_ = line->substr(prefix.size());
}

Json SimulatedApi::control(const std::string& method, const std::string& path, const Json& body) {
    httplib::Client client(url_);
    client.enable_server_certificate_verification(false);  // a test's own self-signed sim
    client.set_read_timeout(std::chrono::seconds(10));
    httplib::Result result = method == "GET" ? client.Get(path)
                             : method == "DELETE"
                                 ? client.Delete(path)
                                 : client.Post(path, body.dump(), "application/json");
    if (!result)
        throw std::runtime_error("rd-sim control " + path +
                                 " failed: " + httplib::to_string(result.error()));
    if (result->status >= 300)
        throw std::runtime_error("rd-sim control " + path + ": " + result->body);
    return result->body.empty() ? Json() : Json::parse(result->body);
}

Json SimulatedApi::requests() { return control("GET", "/_sim/requests"); }

std::vector<Json> SimulatedApi::requests_to(const std::string& method, const std::string& path) {
    std::vector<Json> matching;
    for (const auto& r : requests()) {
        if (r["method"] == method && r["path"] == path) matching.push_back(r);
    }
    return matching;
}

void SimulatedApi::clear_requests() { control("DELETE", "/_sim/requests"); }
void SimulatedApi::configure(const Json& settings) { control("POST", "/_sim/config", settings); }
void SimulatedApi::fail_next(const Json& failure) { control("POST", "/_sim/fail_next", failure); }
void SimulatedApi::clear_faults() { control("DELETE", "/_sim/fail_next"); }
void SimulatedApi::fail_after_admission(Json failure) {
    failure["after_admission"] = true;
    control("POST", "/_sim/fail_next", failure);
}
void SimulatedApi::advance_clock(long long seconds) {
    control("POST", "/_sim/clock", {{"advance_seconds", seconds}});
}
Json SimulatedApi::ledger() { return control("GET", "/_sim/ledger"); }

}  // namespace rdmcp::testing
