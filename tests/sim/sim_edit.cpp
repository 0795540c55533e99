// POST /v1/edit and /v2/edit: the progressive image edit endpoint (0.06 USD per edit).
#include "sim_base64.h"
#include "sim_http.h"
#include "sim_image_probe.h"
#include "sim_images.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

constexpr int kMinSize = 16, kMaxSize = 256;
constexpr double kEditUsd = 0.06;

void handle_edit(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto body = read_json_object(req, res);
    if (!body) return;
    if (json issues = check_fields(*body, {{"prompt", FieldType::String, true},
                                           {"inputImageBase64", FieldType::String, true}});
        !issues.empty())
        return send_validation(res, issues);
    const ProbeResult probe = probe_base64_image(*get_string(*body, "inputImageBase64"), false);
    if (!probe.info) return send_invalid(res, "inputImageBase64 " + probe.error);
    const ImageInfo& image = *probe.info;
    if (image.width < kMinSize || image.width > kMaxSize || image.height < kMinSize ||
        image.height > kMaxSize)
        return send_invalid(res, "Image size " + std::to_string(image.width) + "x" +
                                     std::to_string(image.height) +
                                     " is outside the supported range 16x16 to 256x256");
    const Micros cost = usd_to_micros(kEditUsd);
    const auto remaining = ctx.state.charge(call.key, cost, req.path);
    if (!remaining) return send_no_balance(ctx, res, call, cost);
    call.activity->entry.cost = cost;
    call.activity->entry.charged = true;
    simulate_latency(ctx);
    const std::string png = render_png(image.width, image.height, ctx.state.random_u64(), false);
    keep_output(ctx, call, png, "image/png");
    send_json(res, 200,
              {{"outputImageBase64", base64_encode(png)},
               {"remaining_credits", micros_to_usd(*remaining)}});
}

}  // namespace

void register_edit_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        svr.Post(prefix + "/edit",
                 public_route(
                     ctx, Auth::Token,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                         handle_edit(ctx, req, res, call);
                     },
                     "edit"));
    }
}

}  // namespace rdsim
