// The Tasks extension's view of our async jobs: a task id is a signed job id, so any replica
// answers tasks/get for it with nothing but the caller's key, and another key is refused.
#include "tools/inference_jobs.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

namespace {

protocol::RpcError unknown_task() {
    return {protocol::error_code::kInvalidParams,
            "Unknown task: the taskId was altered, has expired, or was created with another API "
            "key",
            {}};
}

class InferenceTaskProvider final : public protocol::TaskProvider {
  public:
    explicit InferenceTaskProvider(std::shared_ptr<const JobServices> jobs)
        : jobs_(std::move(jobs)) {}

    std::variant<protocol::Task, protocol::RpcError> get(
        const std::string& task_id, protocol::RequestContext& context) const override {
        auto job = verify_job(task_id, context.api_key, jobs_->server_secret);
        if (!job) return unknown_task();
        auto poll = poll_job(task_id, *job, context, *jobs_);
        if (poll.unknown_job) return unknown_task();
        return task_for(task_id, *job, poll);
    }

    std::optional<protocol::RpcError> cancel(const std::string& task_id,
                                             protocol::RequestContext& context) const override {
        // The API has no way to stop a submitted job: the cancellation is acknowledged, and the
        // job finishes (and is charged) upstream; tasks/get still shows its outcome.
        if (!verify_job(task_id, context.api_key, jobs_->server_secret)) return unknown_task();
        return std::nullopt;
    }

  private:
    std::shared_ptr<const JobServices> jobs_;
};

}  // namespace

std::shared_ptr<const protocol::TaskProvider> make_inference_task_provider(
    std::shared_ptr<const JobServices> jobs) {
    return std::make_shared<InferenceTaskProvider>(std::move(jobs));
}

}  // namespace rdmcp::tools
