#pragma once
// What the Low-Poly 3D tools share (shared/upstream/retrodiffusion-v2-reference.md, section 8):
// the services they call, and the pieces of their answers. Each tool lives in a
// tools/lowpoly_*.cpp file of its own kind (pricing, starts, jobs, models, export, recolor).
#include <memory>
#include <optional>
#include <string>

#include "protocol/json_rpc.h"
#include "protocol/tasks.h"
#include "protocol/tool.h"
#include "tools/lowpoly_job_token.h"
#include "tools/lowpoly_request.h"
#include "tools/spend_guard.h"
#include "tools/tools_config.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

struct LowPolyServices {
    std::shared_ptr<const UpstreamClient> upstream;
    ToolsConfig config;
    SpendGuardPtr spend;
};
using LowPolyPtr = std::shared_ptr<const LowPolyServices>;

// The image arguments' policy: local paths over stdio only.
ImageInputPolicy lowpoly_image_policy(const ToolsConfig& config);

// A field the API may answer null: its schema names the one type, and the null is dropped from
// structuredContent (without_nulls), since some clients break on union types in a listing.
protocol::Json nullable(const char* type, const char* description = nullptr);
// `value` with every null object member left out, at every depth.
protocol::Json without_nulls(protocol::Json value);
// The schema of a model as the API answers it (LowPolyAssetRead), nulls accepted.
protocol::Json lowpoly_model_schema();
// {"model": LowPolyAssetRead} (get_lowpoly_model, delete_lowpoly_animation, recolor).
protocol::Json lowpoly_model_output_schema();

// One look at a job (GET /lowpoly/tasks/{id}): its end, or that it goes on.
struct LowPolyJobLook {
    // Succeeded (the model's images and fields), failed (refunded), or unknown to the API (404):
    // the result to answer with.
    std::optional<protocol::ToolResult> ended;
    bool unknown_job = false;
    std::string status;                                // as the API said it, while it goes on
    std::string problem;                               // the look-up failed (the job goes on): why
    protocol::Json fields = protocol::Json::object();  // while it goes on
};
LowPolyJobLook look_at_lowpoly_job(const std::string& job_id, const LowPolyJob& job,
                                   protocol::RequestContext& context,
                                   const LowPolyServices& services);

// The Tasks extension's view of a Low-Poly job (its task id is the signed job id).
inline constexpr long long kLowPolyTaskTtlMs = 24LL * 3600 * 1000;
inline constexpr long long kLowPolyPollIntervalMs = 10000;  // the API: every 10-20 s
protocol::Task lowpoly_task(const std::string& job_id, const LowPolyJob& job,
                            const LowPolyJobLook& look);
// Answers tasks/get and tasks/cancel for "rdlp1." ids, and hands every other id to `others`.
std::shared_ptr<const protocol::TaskProvider> make_lowpoly_task_provider(
    std::shared_ptr<const LowPolyServices> lowpoly,
    std::shared_ptr<const protocol::TaskProvider> others);

// "Model 5b0c... (ready, rd_lowpoly__detailed, 32 px): 2 versions; latest v2 [walk] rigged."
std::string describe_model(const protocol::Json& model);

// The result of a call answered with a model: its summary after `headline`, the model as
// structuredContent.model.
protocol::ToolResult model_result(const std::string& headline, const protocol::Json& model);

// The documented price of a paid start, for when the free estimate cannot be had: by size when
// it is known, else the operation's largest (an upper bound); lite styles are flat.
double documented_lowpoly_price(const LowPolyStartRequest& request);

}  // namespace rdmcp::tools
