// State for API v2: the sim clock, task snapshots, idempotent admission and API Activity.
#include <algorithm>

#include "sim_state.h"

namespace rdsim {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kActivityKeptMs = 30 * kDayMs;  // "metadata 30 days"

}  // namespace

std::int64_t State::now_ms() const {
    std::lock_guard lock(mutex_);
    return now_ms_locked();
}

std::int64_t State::now_ms_locked() const {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - steady_at_start_)
                             .count();
    return wall_at_start_ms_ + elapsed + clock_offset_ms_;
}

std::int64_t State::advance_clock(std::int64_t seconds) {
    std::lock_guard lock(mutex_);
    clock_offset_ms_ += seconds * 1000;
    settle_tasks_locked();  // a task the jump finished refunds now, as if time had passed
    return clock_offset_ms_ / 1000;
}

std::optional<TaskSnapshot> State::task(const std::string& key, const std::string& id,
                                        const std::string& operation) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    const auto it = tasks_.find(id);
    if (it == tasks_.end() || it->second.key != key || it->second.operation != operation)
        return std::nullopt;
    const Task& t = it->second;
    const std::string status = task_status_locked(t);
    std::int64_t updated = t.accepted_ms;
    if (status == "running") updated += t.duration_ms / 3;
    if (status == "succeeded" || status == "failed") updated += t.duration_ms;
    return TaskSnapshot{t, status, updated};
}

std::vector<TaskSnapshot> State::tasks(const std::string& key) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, t] : tasks_)
            if (t.key == key && t.operation == "inference") ids.push_back(id);
    }
    std::vector<TaskSnapshot> out;
    for (const std::string& id : ids)
        if (auto snap = task(key, id)) out.push_back(std::move(*snap));
    // Newest first; equal times keep a stable order by id.
    std::stable_sort(out.begin(), out.end(), [](const TaskSnapshot& a, const TaskSnapshot& b) {
        return a.task.accepted_ms > b.task.accepted_ms;
    });
    return out;
}

std::optional<Admission> State::idempotent_answer(const std::string& key,
                                                  const std::string& idempotency_key,
                                                  const json& body) {
    std::lock_guard lock(mutex_);
    const auto it = idempotency_.find({key, idempotency_key});
    if (it == idempotency_.end()) return std::nullopt;
    Admission a;
    // Equal as JSON values: key order and spacing of the resent body do not matter.
    a.outcome =
        it->second.body == body ? Admission::Outcome::Replayed : Admission::Outcome::Conflict;
    a.answer = it->second.answer;
    return a;
}

Admission State::admit_task(Task task, Activity activity, const std::string& idempotency_key,
                            const json& body, const json& answer) {
    std::lock_guard lock(mutex_);
    Admission result;
    if (!idempotency_key.empty()) {
        // Checked again under the lock: two concurrent first tries must not both be charged.
        const auto it = idempotency_.find({task.key, idempotency_key});
        if (it != idempotency_.end()) {
            result.outcome = it->second.body == body ? Admission::Outcome::Replayed
                                                     : Admission::Outcome::Conflict;
            result.answer = it->second.answer;
            return result;
        }
    }
    // A free task (an edit tool such as color_reducer) leaves no charge in the ledger.
    const auto remaining = task.cost > 0
                               ? charge_locked(task.key, task.cost, task.path + " task " + task.id)
                               : std::optional<Micros>(balances_[task.key]);
    if (!remaining) {
        result.outcome = Admission::Outcome::NoBalance;
        const auto bal = balances_.find(task.key);
        result.balance = bal == balances_.end() ? 0 : bal->second;
        return result;
    }
    result.remaining = *remaining;
    result.answer = answer;
    if (!idempotency_key.empty()) idempotency_[{task.key, idempotency_key}] = {body, answer};
    task.accepted_ms = now_ms_locked();
    activity.created_ms = task.accepted_ms;
    activity.seq = ++activity_seq_;
    activity.async = true;
    activity.charged = task.cost > 0;
    activity.cost = task.cost;
    activities_.push_back(std::move(activity));
    tasks_[task.id] = std::move(task);
    return result;
}

void State::add_activity(Activity activity) {
    std::lock_guard lock(mutex_);
    activity.seq = ++activity_seq_;
    activity.created_ms = now_ms_locked();
    if (!activity.async) activity.completed_ms = activity.created_ms;
    activities_.push_back(std::move(activity));
}

ActivitySnapshot State::activity_snapshot_locked(const Activity& a) const {
    ActivitySnapshot snap{a, a.completed_ms ? a.completed_ms : a.created_ms, now_ms_locked()};
    if (!a.async) return snap;
    const auto it = tasks_.find(a.request_id);
    if (it == tasks_.end()) return snap;
    const Task& t = it->second;
    const std::string status = task_status_locked(t);
    Activity& e = snap.entry;
    e.status = status == "pending" ? "queued" : status;
    snap.updated_ms = t.accepted_ms;
    if (status == "running") snap.updated_ms += t.duration_ms / 3;
    if (status == "succeeded" || status == "failed") {
        e.completed_ms = snap.updated_ms = t.accepted_ms + t.duration_ms;
    }
    e.outputs = status == "succeeded" ? t.outputs : std::vector<OutputRef>{};
    if (status == "failed") {
        e.charged = t.cost > 0 && !t.refunded;  // refunded on failure: nothing charged
        const bool edit = t.operation == "edit_tool";
        if (!t.failure_code.empty())
            e.error = {{"code", t.failure_code},
                       {"message", "The job failed; the charge was refunded."},
                       {"request_id", a.request_id}};
        else
            e.error = {{"code", edit ? "edit_tool_failed" : "inference_failed"},
                       {"message", edit ? "Edit tool failed." : "Inference failed."},
                       {"request_id", a.request_id}};
    }
    return snap;
}

std::optional<ActivitySnapshot> State::activity(const std::string& key, const std::string& id) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    const std::int64_t now = now_ms_locked();
    for (const Activity& a : activities_) {
        if (a.request_id != id || a.key != key) continue;
        if (now >= a.created_ms + kActivityKeptMs) return std::nullopt;
        return activity_snapshot_locked(a);
    }
    return std::nullopt;
}

std::vector<ActivitySnapshot> State::activities(const std::string& key) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    const std::int64_t now = now_ms_locked();
    std::vector<ActivitySnapshot> out;
    for (auto it = activities_.rbegin(); it != activities_.rend(); ++it) {
        if (it->key != key || now >= it->created_ms + kActivityKeptMs) continue;
        out.push_back(activity_snapshot_locked(*it));
    }
    return out;
}

}  // namespace rdsim
