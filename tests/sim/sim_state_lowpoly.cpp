// State for Low-Poly 3D (v2 reference section 8): models, their versions and jobs. A job is a
// Task (operation "lowpoly") whose status comes from the sim clock; what it makes (a model, a
// version, split pieces) is stored at admission and shows once the task succeeded.
#include <algorithm>

#include "sim_state.h"

namespace rdsim {
namespace {

bool active(const std::string& status) { return status == "pending" || status == "running"; }

}  // namespace

std::string State::lowpoly_task_status_locked(const std::string& task_id) const {
    if (task_id.empty()) return "succeeded";
    const auto it = tasks_.find(task_id);
    return it == tasks_.end() ? "failed" : task_status_locked(it->second);
}

LowPolyAdmission State::admit_lowpoly(Task task, Activity activity, LowPolyPlan plan,
                                      const std::string& idempotency_key, const json& body,
                                      const json& answer) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    LowPolyAdmission result;
    // A retry under the same key answers first: the running job it started is not "busy".
    if (!idempotency_key.empty()) {
        const auto it = idempotency_.find({task.key, idempotency_key});
        if (it != idempotency_.end()) {
            result.outcome = it->second.body == body ? LowPolyAdmission::Outcome::Replayed
                                                     : LowPolyAdmission::Outcome::Conflict;
            result.answer = it->second.answer;
            return result;
        }
    }
    if (!plan.asset_id.empty()) {
        const auto asset = lowpoly_assets_.find(plan.asset_id);
        if (asset != lowpoly_assets_.end()) {
            for (const std::string& job : asset->second.job_ids) {
                if (!active(lowpoly_task_status_locked(job))) continue;
                result.outcome = LowPolyAdmission::Outcome::Busy;
                return result;
            }
        }
    }
    const std::int64_t now = now_ms_locked();
    std::vector<std::int64_t> running_until;
    for (const auto& [id, job] : lowpoly_jobs_) {
        const auto t = tasks_.find(id);
        if (t == tasks_.end() || t->second.key != task.key) continue;
        if (active(task_status_locked(t->second)))
            running_until.push_back(t->second.accepted_ms + t->second.duration_ms);
    }
    if (static_cast<int>(running_until.size()) >= kLowPolyJobsPerAccount) {
        result.outcome = LowPolyAdmission::Outcome::TooManyJobs;
        const std::int64_t first = *std::min_element(running_until.begin(), running_until.end());
        result.retry_after_s = std::max<std::int64_t>(1, (first - now + 999) / 1000);
        return result;
    }
    if (task.cost > 0 && !charge_locked(task.key, task.cost, task.path + " task " + task.id)) {
        result.outcome = LowPolyAdmission::Outcome::NoBalance;
        return result;
    }
    result.answer = answer;
    if (!idempotency_key.empty()) idempotency_[{task.key, idempotency_key}] = {body, answer};

    task.accepted_ms = now;
    activity.created_ms = now;
    activity.seq = ++activity_seq_;
    activity.async = true;
    activity.http_status = 202;
    activity.charged = task.cost > 0;
    activity.cost = task.cost;
    activities_.push_back(std::move(activity));
    const std::string task_id = task.id;
    tasks_[task_id] = std::move(task);

    const auto add_asset = [&](LowPolyAsset asset) {
        asset.seq = ++lowpoly_seq_;
        asset.created_ms = now;
        for (LowPolyVersion& v : asset.versions) v.created_ms = now;
        lowpoly_assets_[asset.id] = std::move(asset);
    };
    if (plan.new_asset) add_asset(std::move(*plan.new_asset));
    for (LowPolyAsset& piece : plan.pieces) add_asset(std::move(piece));
    const auto target = lowpoly_assets_.find(plan.asset_id);
    if (target != lowpoly_assets_.end()) {
        target->second.job_ids.push_back(task_id);
        if (plan.new_version) {
            plan.new_version->created_ms = now;
            plan.new_version->number = static_cast<int>(target->second.versions.size()) + 1;
            target->second.versions.push_back(std::move(*plan.new_version));
        }
    }
    lowpoly_jobs_[task_id] = std::move(plan.job);
    return result;
}

std::optional<LowPolyAssetSnapshot> State::lowpoly_snapshot_locked(const LowPolyAsset& a) const {
    LowPolyAssetSnapshot snap{a, "ready", "", "", a.created_ms};
    const std::string origin = lowpoly_task_status_locked(a.origin_task);
    if (a.hidden_until_done && origin != "succeeded") return std::nullopt;
    if (origin != "succeeded") snap.status = origin == "failed" ? "failed" : origin;
    if (origin == "failed") snap.failure_task_id = a.origin_task;
    // Versions whose job did not (yet) succeed do not exist for the reader.
    std::erase_if(snap.asset.versions, [&](const LowPolyVersion& v) {
        return lowpoly_task_status_locked(v.task_id) != "succeeded";
    });
    for (const LowPolyVersion& v : snap.asset.versions)
        snap.updated_ms = std::max(snap.updated_ms, v.created_ms);
    for (const std::string& job : a.job_ids) {
        const auto t = tasks_.find(job);
        if (t == tasks_.end()) continue;
        const std::string status = task_status_locked(t->second);
        if (active(status)) snap.active_task_id = job;
        const std::int64_t moved =
            t->second.accepted_ms + (active(status) ? 0 : t->second.duration_ms);
        snap.updated_ms = std::max(snap.updated_ms, moved);
    }
    return snap;
}

std::optional<LowPolyAssetSnapshot> State::lowpoly_asset(const std::string& key,
                                                         const std::string& id) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    const auto it = lowpoly_assets_.find(id);
    if (it == lowpoly_assets_.end() || it->second.key != key) return std::nullopt;
    return lowpoly_snapshot_locked(it->second);
}

std::vector<LowPolyAssetSnapshot> State::lowpoly_assets(const std::string& key) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    std::vector<LowPolyAssetSnapshot> out;
    for (const auto& [id, a] : lowpoly_assets_) {
        if (a.key != key) continue;
        if (auto snap = lowpoly_snapshot_locked(a)) out.push_back(std::move(*snap));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.asset.seq > y.asset.seq; });
    return out;
}

std::optional<LowPolyJobSnapshot> State::lowpoly_job(const std::string& key,
                                                     const std::string& task_id) {
    const auto snap = task(key, task_id, "lowpoly");
    if (!snap) return std::nullopt;
    std::lock_guard lock(mutex_);
    const auto it = lowpoly_jobs_.find(task_id);
    if (it == lowpoly_jobs_.end()) return std::nullopt;
    return LowPolyJobSnapshot{it->second, *snap};
}

State::LowPolyEdit State::add_lowpoly_version(const std::string& key, const std::string& asset_id,
                                              LowPolyVersion version) {
    std::lock_guard lock(mutex_);
    const auto it = lowpoly_assets_.find(asset_id);
    if (it == lowpoly_assets_.end() || it->second.key != key) return LowPolyEdit::NotFound;
    for (const std::string& job : it->second.job_ids)
        if (active(lowpoly_task_status_locked(job))) return LowPolyEdit::Busy;
    version.created_ms = now_ms_locked();
    // Numbers count every version made so far, failed jobs' included, so none is reused.
    version.number = static_cast<int>(it->second.versions.size()) + 1;
    it->second.versions.push_back(std::move(version));
    return LowPolyEdit::Done;
}

State::LowPolyEdit State::delete_lowpoly_animation(const std::string& key,
                                                   const std::string& asset_id, int version,
                                                   const std::string& animation) {
    std::lock_guard lock(mutex_);
    const auto it = lowpoly_assets_.find(asset_id);
    if (it == lowpoly_assets_.end() || it->second.key != key) return LowPolyEdit::NotFound;
    for (const std::string& job : it->second.job_ids)
        if (active(lowpoly_task_status_locked(job))) return LowPolyEdit::Busy;
    for (LowPolyVersion& v : it->second.versions) {
        if (v.number != version || lowpoly_task_status_locked(v.task_id) != "succeeded") continue;
        const auto name = std::find(v.animations.begin(), v.animations.end(), animation);
        if (name == v.animations.end()) return LowPolyEdit::AnimationNotFound;
        v.animations.erase(name);
        return LowPolyEdit::Done;
    }
    return LowPolyEdit::VersionNotFound;
}

}  // namespace rdsim
