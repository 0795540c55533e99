// API Activity (v2): GET /v2/inferences/requests and GET /v2/inferences/requests/{request_id}.
// Every generation, edit tool run and /edit call is recorded, on either API version; outputs
// stay downloadable for 24 h, the entry itself for 30 days.
#include <ctime>
#include <regex>

#include "sim_base64.h"
#include "sim_http.h"
#include "sim_routes.h"
#include "sim_v2_errors.h"

namespace rdsim {
namespace {

constexpr std::int64_t kUrlLifetimeS = 15 * 60;  // "url = fresh 15-minute signed URL"
constexpr int kDefaultLimit = 20, kMaxLimit = 100;

std::string iso_ms(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

json outputs_json(Ctx& ctx, const ActivitySnapshot& snap, std::string& output_status) {
    const Activity& a = snap.entry;
    json outputs = json::array();
    const bool finished = a.status == "succeeded" || a.status == "failed";
    output_status = !finished ? "pending" : a.outputs.empty() ? "none" : "available";
    const std::int64_t retained_until = a.completed_ms + kOutputsKeptMs;
    const bool available = snap.now_ms < retained_until;
    if (!a.outputs.empty() && !available) output_status = "expired";
    for (std::size_t i = 0; i < a.outputs.size(); ++i) {
        const OutputRef& ref = a.outputs[i];
        json out = {{"position", i},
                    {"media_type", ref.media_type},
                    {"available", available},
                    {"retained_until", iso_ms(retained_until)}};
        if (available) {
            const std::int64_t expires = snap.now_ms / 1000 + kUrlLifetimeS;
            out["url"] = ctx.base_url + "/_sim/outputs/" + ref.id + "." + ref.ext() +
                         "?expires=" + std::to_string(expires);
            out["url_expires_at"] = iso_ms(expires * 1000);
        }
        outputs.push_back(out);
    }
    return outputs;
}

// ApiActivityRead; null fields omitted.
json activity_json(Ctx& ctx, const ActivitySnapshot& snap) {
    const Activity& a = snap.entry;
    std::string output_status;
    json outputs = outputs_json(ctx, snap, output_status);
    json view = {{"request_id", a.request_id},
                 {"operation", a.operation},
                 {"status", a.status},
                 {"mode", a.async ? "async" : "sync"},
                 {"request", a.request},
                 {"balance_cost", micros_to_usd(a.cost)},
                 {"credit_cost", 0},
                 {"charged", a.charged},
                 {"http_status", a.http_status},
                 {"outputs", outputs},
                 {"output_status", output_status},
                 {"token_prefix", a.key.substr(0, 9)},
                 {"created_at", iso_ms(a.created_ms)},
                 {"updated_at", iso_ms(snap.updated_ms)}};
    if (!a.error.is_null()) view["error"] = a.error;
    if (a.completed_ms) view["completed_at"] = iso_ms(a.completed_ms);
    return view;
}

// Cursors are opaque to clients: base64 of "activity:<seq>", the last entry of a page.
std::string make_cursor(std::uint64_t seq) {
    return base64_encode("activity:" + std::to_string(seq));
}

std::optional<std::uint64_t> read_cursor(const std::string& cursor) {
    const auto text = base64_decode(cursor);
    static const std::regex shape("activity:([0-9]{1,19})");
    std::smatch m;
    if (!text || !std::regex_match(*text, m, shape)) return std::nullopt;
    return std::stoull(m[1].str());
}

void list_activity(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                   const Call& call) {
    int limit = kDefaultLimit;
    if (auto issue = query_int(req, "limit", 1, kMaxLimit, limit))
        return send_validation(res, json::array({*issue}));
    const std::string status = req.has_param("status") ? req.get_param_value("status") : "";
    if (!status.empty() && status != "queued" && status != "running" && status != "succeeded" &&
        status != "failed")
        return send_validation(
            res, json::array({validation_issue(
                     {"query", "status"},
                     "Input should be 'queued', 'running', 'succeeded' or 'failed'", "enum")}));
    std::optional<std::uint64_t> before;
    if (req.has_param("cursor")) {
        before = read_cursor(req.get_param_value("cursor"));
        if (!before) return send_v2_error(res, call.request_id, "invalid_cursor");
    }
    json items = json::array();
    std::optional<std::uint64_t> last;
    bool more = false;
    for (const ActivitySnapshot& snap : ctx.state.activities(call.key)) {  // newest first
        if (before && snap.entry.seq >= *before) continue;
        if (!status.empty() && snap.entry.status != status) continue;
        if (static_cast<int>(items.size()) == limit) {
            more = true;
            break;
        }
        items.push_back(activity_json(ctx, snap));
        last = snap.entry.seq;
    }
    json page = {{"items", items}};
    if (more && last) page["next_cursor"] = make_cursor(*last);
    send_json(res, 200, page);
}

}  // namespace

void register_activity_routes(httplib::Server& svr, Ctx& ctx) {
    svr.Get("/v2/inferences/requests",
            public_route(ctx, Auth::Token,
                         [&ctx](const httplib::Request& req, httplib::Response& res,
                                const Call& call) { list_activity(ctx, req, res, call); }));
    svr.Get(
        R"(/v2/inferences/requests/([^/]+))",
        public_route(ctx, Auth::Token,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                         // Unknown, older than 30 days, or another key's: all concealed.
                         const auto snap = ctx.state.activity(call.key, req.matches[1].str());
                         if (!snap)
                             return send_v2_error(res, call.request_id, "api_activity_not_found");
                         send_json(res, 200, activity_json(ctx, *snap));
                     }));
}

}  // namespace rdsim
