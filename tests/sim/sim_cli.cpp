#include "sim_cli.h"

#include <algorithm>
#include <cstdlib>

namespace rdsim {
namespace {

std::optional<long long> to_int(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (*end != '\0') return std::nullopt;
    return v;
}

std::optional<double> to_double(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (*end != '\0') return std::nullopt;
    return v;
}

}  // namespace

std::string usage() {
    return "usage: rd-sim [--host 127.0.0.1] [--port 0] [--latency-ms N] [--async-duration-ms N]\n"
           "              [--key KEY=BALANCE]... [--tls-cert FILE --tls-key FILE] [--verbose]\n"
           "Prints 'listening on http(s)://HOST:PORT' on stdout once it serves.\n"
           "Default keys: rdpk-test-key-1=100.0 rdpk-test-key-2=5.0; rdpk-no-access always gets "
           "403.\n";
}

std::optional<ServerOptions> parse_cli(const std::vector<std::string>& args, std::string& error,
                                       bool& help) {
    ServerOptions o;
    help = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i], value;
        bool inline_value = false;
        if (const auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
            inline_value = true;
        }
        if (flag == "--help" || flag == "-h") {
            help = true;
            return std::nullopt;
        }
        if (flag == "--verbose") {
            o.verbose = true;
            continue;
        }
        static const std::vector<std::string> kValued = {
            "--host", "--port",     "--latency-ms", "--async-duration-ms",
            "--key",  "--tls-cert", "--tls-key"};
        if (std::find(kValued.begin(), kValued.end(), flag) == kValued.end()) {
            error = "unknown option " + flag;
            return std::nullopt;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) {
                error = flag + " needs a value";
                return std::nullopt;
            }
            value = args[++i];
        }
        if (flag == "--host") {
            o.host = value;
        } else if (flag == "--port" || flag == "--latency-ms" || flag == "--async-duration-ms") {
            const auto v = to_int(value);
            if (!v || *v < 0 || (flag == "--port" && *v > 65535) || *v > 86400000) {
                error = flag + " needs a non-negative integer";
                return std::nullopt;
            }
            (flag == "--port"         ? o.port
             : flag == "--latency-ms" ? o.latency_ms
                                      : o.async_duration_ms) = static_cast<int>(*v);
        } else if (flag == "--key") {
            const auto eq = value.find('=');
            const auto balance =
                eq == std::string::npos ? std::nullopt : to_double(value.substr(eq + 1));
            if (!balance || eq == 0) {
                error = "--key needs KEY=BALANCE, got '" + value + "'";
                return std::nullopt;
            }
            o.keys[value.substr(0, eq)] = usd_to_micros(*balance);
        } else if (flag == "--tls-cert") {
            o.tls_cert = value;
        } else if (flag == "--tls-key") {
            o.tls_key = value;
        }
    }
    if (o.tls_cert.empty() != o.tls_key.empty()) {
        error = "--tls-cert and --tls-key go together";
        return std::nullopt;
    }
    if (o.keys.empty()) {
        o.keys["rdpk-test-key-1"] = usd_to_micros(100.0);
        o.keys["rdpk-test-key-2"] = usd_to_micros(5.0);
    }
    return o;
}

}  // namespace rdsim
