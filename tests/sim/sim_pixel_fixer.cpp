// POST /v{1,2}/pixel-fixer/standard and /pixel-fixer/neural: Pixel Fixer, the free native-grid
// reconstruction of PIXEL_FIXER.md (shared/upstream/retrodiffusion-pixel-fixer.md; v2 reference
// section 6). Authenticated, never charged, 10 calls a minute per token across both engines,
// recorded in API Activity as pixel_fixer.standard / pixel_fixer.neural.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <regex>

#include "sim_base64.h"
#include "sim_http.h"
#include "sim_image_probe.h"
#include "sim_images.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

// The documented limits.
constexpr std::size_t kMaxRequestBytes = 900'000;   // "Base64 request JSON: at most 900,000 bytes"
constexpr std::size_t kMaxResponseBytes = 850'000;  // "Successful response JSON: at most 850,000"
constexpr int kMinSide = 16;
constexpr std::int64_t kMaxPixels = 16'000'000;  // "no more than 16 megapixels"
constexpr std::size_t kMaxUrlLength = 2083;
constexpr int kCallsPerMinute = 10;  // per token, standard and neural together
constexpr std::int64_t kRateWindowMs = 60'000;
// The simulator's PNGs use stored deflate blocks, so one is larger than its pixel count: an
// output with more pixels than this can never fit the response limit, and is not rendered.
constexpr std::int64_t kLargestRenderable = 1'000'000;

enum class Engine { Standard, Neural };

struct Size {
    std::int64_t width = 0, height = 0;
};

void send_pixel_error(httplib::Response& res, int status, const std::string& code,
                      const std::string& message) {
    send_json(res, status, detail_error(code, message));  // v2: public_route makes it canonical
}

void send_invalid_image(httplib::Response& res, const std::string& message) {
    send_pixel_error(res, 422, "invalid_pixel_fixer_image", message);
}

// pydantic's checks of StandardPixelFixerRequest / NeuralPixelFixerRequest: known fields only,
// their types and bounds, and exactly one image source.
json check_request(const json& body, Engine engine) {
    std::vector<FieldSpec> fields = {{"input_image", FieldType::String},
                                     {"image_url", FieldType::String}};
    if (engine == Engine::Neural) {
        fields.push_back({"width", FieldType::Int});
        fields.push_back({"height", FieldType::Int});
    }
    json issues = check_fields(body, fields);
    for (const auto& [name, value] : body.items()) {
        const bool known = std::any_of(fields.begin(), fields.end(),
                                       [&](const FieldSpec& f) { return f.name == name; });
        if (known) continue;
        json issue =
            validation_issue({"body", name}, "Extra inputs are not permitted", "extra_forbidden");
        issue["input"] = value.is_string() && value.get_ref<const std::string&>().size() > 200
                             ? json("<omitted>")
                             : value;
        issues.push_back(issue);
    }
    if (!issues.empty()) return issues;
    const auto input_image = get_string(body, "input_image");
    const auto image_url = get_string(body, "image_url");
    if (input_image && input_image->empty())
        issues.push_back(validation_issue({"body", "input_image"},
                                          "String should have at least 1 character",
                                          "string_too_short"));
    if (image_url && image_url->empty())
        issues.push_back(validation_issue(
            {"body", "image_url"}, "String should have at least 1 character", "string_too_short"));
    if (image_url && image_url->size() > kMaxUrlLength)
        issues.push_back(validation_issue({"body", "image_url"},
                                          "String should have at most 2083 characters",
                                          "string_too_long"));
    static const std::regex url_shape(R"([A-Za-z][A-Za-z0-9+.-]*://[^/?#\s]+[^\s]*)");
    if (image_url && !image_url->empty() && image_url->size() <= kMaxUrlLength &&
        !std::regex_match(*image_url, url_shape))
        issues.push_back(validation_issue(
            {"body", "image_url"}, "Input should be a valid URL, relative URL without a base",
            "url_parsing"));
    for (const char* side : {"width", "height"}) {
        const auto it = body.find(side);
        if (it == body.end() || !it->is_number_integer()) continue;
        if (it->is_number_unsigned() ? it->get<std::uint64_t>() == 0 : it->get<std::int64_t>() <= 0)
            issues.push_back(
                validation_issue({"body", side}, "Input should be greater than 0", "greater_than"));
    }
    if (!issues.empty()) return issues;
    if (input_image.has_value() == image_url.has_value())
        issues.push_back(validation_issue(
            {"body"}, "Value error, Provide exactly one of input_image or image_url.",
            "value_error"));
    return issues;
}

// "host:port" of a URL (port made explicit: 443 for https, 80 for http), and the rest.
struct UrlParts {
    std::string scheme, host, authority, rest;
};

UrlParts split_url(const std::string& url) {
    UrlParts parts;
    const auto colon = url.find("://");
    parts.scheme = lower(url.substr(0, colon));
    std::string authority = url.substr(colon + 3);
    const auto end = authority.find_first_of("/?#");
    parts.rest = end == std::string::npos ? "/" : authority.substr(end);
    authority = authority.substr(0, end);
    if (const auto at = authority.rfind('@'); at != std::string::npos)
        authority = authority.substr(at + 1);
    std::string port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        parts.host =
            authority.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        if (close != std::string::npos && close + 1 < authority.size() &&
            authority[close + 1] == ':')
            port = authority.substr(close + 2);
    } else {
        const auto c = authority.rfind(':');
        parts.host = authority.substr(0, c);
        if (c != std::string::npos) port = authority.substr(c + 1);
    }
    parts.host = lower(parts.host);
    if (port.empty()) port = parts.scheme == "https" ? "443" : "80";
    const std::string shown_host =
        parts.host.find(':') != std::string::npos ? "[" + parts.host + "]" : parts.host;
    parts.authority = shown_host + ":" + port;
    return parts;
}

// Loopback, private, link-local and unspecified addresses, and localhost names: the API
// refuses to download from them ("Private-network destinations are rejected").
bool is_private_host(const std::string& host) {
    if (host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"))) return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        const std::uint32_t a = ntohl(v4.s_addr);
        const auto in = [a](std::uint32_t net, int bits) {
            return (a >> (32 - bits)) == (net >> (32 - bits));
        };
        return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
               in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10);
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        const std::uint8_t* b = v6.s6_addr;
        const bool unspecified_or_loopback =
            std::all_of(b, b + 15, [](std::uint8_t x) { return x == 0; }) && b[15] <= 1;
        return unspecified_or_loopback || (b[0] & 0xFE) == 0xFC ||
               (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
    }
    return false;
}

// The simulator cannot reach the internet. It stands in for a public CDN with its own hosted
// outputs: an https:// URL naming its own host and port and a /_sim/outputs/ path (as API
// Activity hands them out, whatever scheme the simulator itself serves) is read from its store,
// as if downloaded. Any other URL fails as an unreachable one would.
std::optional<std::string> download(Ctx& ctx, const std::string& url, httplib::Response& res) {
    const UrlParts parts = split_url(url);
    if (parts.scheme != "https") {
        send_invalid_image(res,
                           "image_url must be a public HTTPS URL; got a " + parts.scheme + " URL.");
        return std::nullopt;
    }
    const UrlParts own = split_url(ctx.base_url);
    if (parts.authority != own.authority) {
        if (is_private_host(parts.host)) {
            send_invalid_image(res, "image_url points to a private network address.");
        } else {
            send_invalid_image(res, "image_url could not be downloaded.");
        }
        return std::nullopt;
    }
    static const std::regex output_path(R"(/_sim/outputs/([0-9a-f]+)\.(png|gif)(\?(.*))?)");
    std::smatch m;
    const auto fail = [&](const std::string& status) {
        send_invalid_image(res, "image_url could not be downloaded (HTTP " + status + ").");
        return std::nullopt;
    };
    if (!std::regex_match(parts.rest, m, output_path)) return fail("404");
    const auto stored = ctx.state.output(m[1].str());
    if (!stored || stored->content_type != "image/" + m[2].str()) return fail("404");
    static const std::regex expires_param(R"((^|&)expires=([0-9]{1,18})(&|$))");
    std::smatch e;
    const std::string query = m[4].str();
    if (std::regex_search(query, e, expires_param) &&
        std::stoll(e[2].str()) * 1000 <= ctx.state.now_ms())
        return fail("403");
    return stored->bytes;
}

// Standard grid detection, simulated: the input is taken as drawn at a scale of 8, 4, 2 or 1
// (the largest that divides both sides and leaves at least 16 pixels a side).
Size native_grid(const ImageInfo& image) {
    for (int scale : {8, 4, 2}) {
        if (image.width % scale == 0 && image.height % scale == 0 &&
            image.width / scale >= kMinSide && image.height / scale >= kMinSide)
            return {image.width / scale, image.height / scale};
    }
    return {image.width, image.height};
}

// Neural: width and height when given; one alone keeps the input's aspect ratio; neither, the
// native grid.
Size neural_size(const ImageInfo& image, std::optional<std::int64_t> width,
                 std::optional<std::int64_t> height) {
    if (width && height) return {*width, *height};
    if (width)
        return {*width,
                std::max<std::int64_t>(1, (*width * image.height + image.width / 2) / image.width)};
    if (height)
        return {
            std::max<std::int64_t>(1, (*height * image.width + image.height / 2) / image.height),
            *height};
    return native_grid(image);
}

// Raw base64 or a base64 data URI ("data:image/png;base64,...").
std::optional<std::string> decode_input_image(std::string_view text) {
    if (text.substr(0, 5) == "data:") {
        const auto comma = text.find(',');
        if (comma == std::string_view::npos ||
            text.substr(0, comma).find(";base64") == std::string_view::npos)
            return std::nullopt;
        text.remove_prefix(comma + 1);
    }
    return base64_decode(text);
}

std::optional<std::int64_t> side(const json& body, const char* name) {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_number_integer()) return std::nullopt;
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(INT64_MAX))
        return INT64_MAX;
    return it->get<std::int64_t>();
}

void fix(Ctx& ctx, Engine engine, const httplib::Request& req, httplib::Response& res,
         const Call& call) {
    // Refused before the body is read, as the load balancer in front of the API does.
    if (req.body.size() > kMaxRequestBytes)
        return send_pixel_error(res, 413, "pixel_fixer_request_too_large",
                                "The request body is " + std::to_string(req.body.size()) +
                                    " bytes; the limit is 900000. Send image_url instead.");
    if (const auto wait =
            ctx.state.take_rate_slot("pixel_fixer", call.key, kCallsPerMinute, kRateWindowMs)) {
        res.set_header("Retry-After", std::to_string(*wait));
        return send_pixel_error(res, 429, "pixel_fixer_rate_limit_exceeded",
                                "Pixel Fixer allows 10 requests per minute per API token.");
    }
    const auto body = read_json_object(req, res);
    if (!body) return;
    if (json issues = check_request(*body, engine); !issues.empty())
        return send_validation(res, issues);

    std::string bytes;
    if (const auto input_image = get_string(*body, "input_image")) {
        auto decoded = decode_input_image(*input_image);
        if (!decoded)
            return send_invalid_image(res, "input_image is not valid base64 or a base64 data URI.");
        bytes = std::move(*decoded);
    } else {
        auto downloaded = download(ctx, *get_string(*body, "image_url"), res);
        if (!downloaded) return;
        bytes = std::move(*downloaded);
    }
    const ProbeResult probe = probe_image(bytes);
    if (!probe.info)
        return send_invalid_image(res, "The image could not be decoded: " + probe.error + ".");
    const ImageInfo& image = *probe.info;
    const std::string dims = std::to_string(image.width) + "x" + std::to_string(image.height);
    if (image.format != "png" && image.format != "jpeg")
        return send_invalid_image(
            res, "Pixel Fixer accepts PNG or JPEG images, not " + image.format + ".");
    if (image.width < kMinSide || image.height < kMinSide)
        return send_invalid_image(res, "The image is " + dims + "; it must be at least 16x16.");
    if (std::int64_t(image.width) * image.height > kMaxPixels)
        return send_invalid_image(res,
                                  "The image is " + dims + "; it must be at most 16 megapixels.");

    const Size out = engine == Engine::Standard
                         ? native_grid(image)
                         : neural_size(image, side(*body, "width"), side(*body, "height"));
    const auto output_too_large = [&] {
        send_pixel_error(res, 413, "pixel_fixer_output_too_large",
                         "The reconstructed image (" + std::to_string(out.width) + "x" +
                             std::to_string(out.height) +
                             ") is larger than the 850000-byte response limit.");
    };
    if (out.width > kLargestRenderable || out.height > kLargestRenderable ||
        out.width * out.height > kLargestRenderable)
        return output_too_large();
    simulate_latency(ctx);
    const std::string png = render_png(static_cast<int>(out.width), static_cast<int>(out.height),
                                       ctx.state.random_u64(), false);
    const json answer = {{"base64_images", json::array({base64_encode(png)})}};
    if (dump(answer).size() > kMaxResponseBytes) return output_too_large();
    keep_output(ctx, call, png, "image/png");
    send_json(res, 200, answer);
}

}  // namespace

void register_pixel_fixer_routes(httplib::Server& svr, Ctx& ctx) {
    const auto route = [&ctx](Engine engine, const char* name) {
        return public_route(
            ctx, Auth::Token,
            [&ctx, engine](const httplib::Request& req, httplib::Response& res, const Call& call) {
                fix(ctx, engine, req, res, call);
            },
            std::string("pixel_fixer.") + name);
    };
    for (const std::string prefix : kApiPrefixes) {
        svr.Post(prefix + "/pixel-fixer/standard", route(Engine::Standard, "standard"));
        svr.Post(prefix + "/pixel-fixer/neural", route(Engine::Neural, "neural"));
    }
}

}  // namespace rdsim
