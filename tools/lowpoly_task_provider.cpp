// The Tasks extension's view of Low-Poly jobs: a task id is the signed job id ("rdlp1."), so any
// replica answers tasks/get for it with nothing but the caller's key, and another key is refused.
// Every other id goes to the provider of generation jobs.
#include "tools/lowpoly_tools.h"

namespace rdmcp::tools {

namespace {

constexpr std::string_view kLowPolyPrefix = "rdlp1.";

protocol::RpcError unknown_task() {
    return {protocol::error_code::kInvalidParams,
            "Unknown task: the taskId was altered, has expired, or was created with another API "
            "key",
            {}};
}

class LowPolyTaskProvider final : public protocol::TaskProvider {
  public:
    LowPolyTaskProvider(std::shared_ptr<const LowPolyServices> lowpoly,
                        std::shared_ptr<const protocol::TaskProvider> others)
        : lowpoly_(std::move(lowpoly)), others_(std::move(others)) {}

    std::variant<protocol::Task, protocol::RpcError> get(
        const std::string& task_id, protocol::RequestContext& context) const override {
        if (!is_lowpoly(task_id)) return others_->get(task_id, context);
        auto job = verify_lowpoly_job(task_id, context.api_key, lowpoly_->config.job_secret);
        if (!job) return unknown_task();
        const auto look = look_at_lowpoly_job(task_id, *job, context, *lowpoly_);
        if (look.unknown_job) return unknown_task();
        return lowpoly_task(task_id, *job, look);
    }

    std::optional<protocol::RpcError> cancel(const std::string& task_id,
                                             protocol::RequestContext& context) const override {
        if (!is_lowpoly(task_id)) return others_->cancel(task_id, context);
        // The API cannot stop a job: acknowledged; it ends (and is charged) upstream.
        if (!verify_lowpoly_job(task_id, context.api_key, lowpoly_->config.job_secret)) {
            return unknown_task();
        }
        return std::nullopt;
    }

  private:
    static bool is_lowpoly(const std::string& task_id) {
        return task_id.rfind(kLowPolyPrefix, 0) == 0;
    }

    std::shared_ptr<const LowPolyServices> lowpoly_;
    std::shared_ptr<const protocol::TaskProvider> others_;
};

}  // namespace

std::shared_ptr<const protocol::TaskProvider> make_lowpoly_task_provider(
    std::shared_ptr<const LowPolyServices> lowpoly,
    std::shared_ptr<const protocol::TaskProvider> others) {
    return std::make_shared<LowPolyTaskProvider>(std::move(lowpoly), std::move(others));
}

}  // namespace rdmcp::tools
