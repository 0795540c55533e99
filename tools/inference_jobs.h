#pragma once
// RetroDiffusion's async inference jobs (v1: "async": true; v2: every generation; then
// GET /inferences/tasks/{id}),
// shared by the job tools, the Tasks extension and create_inference's long-call path. A job is
// submitted upstream exactly once; polling only ever reads.
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "protocol/request_context.h"
#include "protocol/tasks.h"
#include "protocol/tool.h"
#include "tools/generated_images.h"
#include "tools/inference_request.h"
#include "tools/job_ledger.h"
#include "tools/job_token.h"
#include "tools/live_style_catalog.h"
#include "tools/spend_guard.h"
#include "tools/tools_config.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

// What the job machinery needs, built once and shared by the tools that use it.
struct JobServices {
    std::shared_ptr<const UpstreamClient> upstream;
    ToolsConfig config;
    std::shared_ptr<JobLedger> ledger;
    std::string server_secret;  // mixed into job id MACs; shared by replicas when set
    StylesPtr styles;           // the callers' live catalogs (cached only, here); may be null
    SpendGuardPtr spend;        // the spend limits; may be null (tests): no limits
};

struct SubmittedJob {
    std::string job_id;  // signed, for the agent
    JobDescription job;
    // Set when the API answered at once with the images (it may ignore "async").
    std::optional<protocol::ToolResult> immediate_result;
};

// Submits the generation as a job: v1 with "async": true; v2 (always a job there) with a new
// Idempotency-Key, asking again with it while the answer is lost. Either the job, or a tool
// error to return as is. `spend` (when given) is settled with what the submission charged.
std::variant<SubmittedJob, protocol::ToolResult> submit_job(const InferenceRequest& request,
                                                            protocol::RequestContext& context,
                                                            const JobServices& services,
                                                            SpendPermit* spend = nullptr);

// Asks the spend guard whether this generation may be paid for (a job's price is the whole
// generation's): leave to pay, or the result to answer instead. No guard: leave, unlimited.
std::variant<SpendPermit, protocol::ToolResult> authorize_generation(
    const std::string& tool, const InferenceRequest& request, const protocol::Json& arguments,
    protocol::RequestContext& context, const JobServices& services);

// Whether a paid POST /v1/inferences was answered with a job (a task_id) rather than images.
bool is_job_answer(const protocol::Json& answer);

// Takes the API's answer to a paid submission as a job: signs its id and records it for the
// caller, so what was paid for stays recoverable. `answer` is the body of a successful POST.
std::variant<SubmittedJob, protocol::ToolResult> accept_job_answer(
    const protocol::Json& answer, const InferenceRequest& request,
    protocol::RequestContext& context, const JobServices& services,
    const std::string& idempotency_key = "", SpendPermit* spend = nullptr);

// What the agent sees of a submission: the job's id, what it costs and how to poll; the images
// when the API answered at once; or the error.
protocol::ToolResult submission_result(std::variant<SubmittedJob, protocol::ToolResult> submitted);

// Pending and Running go on upstream; Succeeded and Failed are what the API said of the job.
// Unreadable: this look-up failed for a reason that can pass (connection, timeout, 429, 5xx,
// a refused key): the job is not ended, the next look-up carries on.
enum class JobState { Pending, Running, Succeeded, Failed, Unreadable };

struct JobPoll {
    JobState state = JobState::Pending;
    std::string upstream_status;  // as the API said it
    // Succeeded: the images, exactly as create_inference returns them. Failed, or unknown to
    // the API: a tool error. Nothing while the job goes on (Pending, Running, Unreadable).
    std::optional<protocol::ToolResult> result;
    bool unknown_job = false;    // the API does not know it (expired, another key)
    std::string lookup_problem;  // Unreadable: what went wrong, for the agent
};

// Reads the job's state once.
JobPoll poll_job(const std::string& job_id, const JobDescription& job,
                 protocol::RequestContext& context, const JobServices& services,
                 const ImageDestination& destination = {});

// The job behind an id the agent presents: a signed id, checked against the caller's key, or a
// bare upstream task id (then the images are labelled without knowing the request).
std::optional<JobDescription> job_for_id(const std::string& job_id, const std::string& api_key,
                                         const JobServices& services);

// The Task the Tasks extension shows for a job at this moment.
protocol::Task task_for(const std::string& job_id, const JobDescription& job, const JobPoll& poll);

inline constexpr int kJobPollIntervalMs = 2000;  // the API suggests polling every ~2 s

long long unix_now_ms();

}  // namespace rdmcp::tools
