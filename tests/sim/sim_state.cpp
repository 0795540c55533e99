#include "sim_state.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace rdsim {
namespace {

constexpr const char* kNoAccessKey = "rdpk-no-access";

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string OutputRef::ext() const {
    if (media_type == "image/gif") return "gif";
    if (media_type == "model/gltf-binary") return "glb";
    if (media_type == "application/zip") return "zip";
    if (media_type == "video/mp4") return "mp4";
    if (media_type == "application/json") return "bbmodel";  // Blockbench's JSON model
    return "png";
}

Micros usd_to_micros(double usd) { return std::llround(usd * 1e6); }
double micros_to_usd(Micros micros) { return static_cast<double>(micros) / 1e6; }
std::int64_t unix_now() { return wall_ms() / 1000; }

State::State(std::map<std::string, Micros> keys, SimConfig config)
    : initial_keys_(std::move(keys)), initial_config_(std::move(config)) {
    rng_state_ = std::random_device{}();
    rng_state_ = (rng_state_ << 32) ^ std::random_device{}();
    wall_at_start_ms_ = wall_ms();
    steady_at_start_ = std::chrono::steady_clock::now();
    reset();
}

void State::reset() {
    std::lock_guard lock(mutex_);
    config_ = initial_config_;
    balances_ = initial_keys_;
    access_.clear();
    for (const auto& [key, _] : balances_) access_[key] = true;
    balances_[kNoAccessKey] = 0;
    access_[kNoAccessKey] = false;
    ledger_ = json::array();
    requests_ = json::array();
    fail_rules_.clear();
    tasks_.clear();
    styles_.clear();
    outputs_.clear();
    idempotency_.clear();
    activities_.clear();
    activity_seq_ = 0;
    lowpoly_assets_.clear();
    lowpoly_jobs_.clear();
    lowpoly_seq_ = 0;
    rate_windows_.clear();
    clock_offset_ms_ = 0;
}

void State::record(json entry) {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(entry));
}

json State::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void State::clear_requests() {
    std::lock_guard lock(mutex_);
    requests_ = json::array();
}

void State::add_fail_rule(FailRule rule) {
    std::lock_guard lock(mutex_);
    fail_rules_.push_back(std::move(rule));
}

void State::clear_fail_rules() {
    std::lock_guard lock(mutex_);
    fail_rules_.clear();
}

std::optional<FailRule> State::take_fail_rule(const std::string& method, const std::string& path) {
    std::lock_guard lock(mutex_);
    for (auto it = fail_rules_.begin(); it != fail_rules_.end(); ++it) {
        if (path.rfind(it->path_prefix, 0) != 0) continue;
        if (!it->method.empty() && it->method != method) continue;
        FailRule hit = *it;
        if (--it->count <= 0) fail_rules_.erase(it);
        return hit;
    }
    return std::nullopt;
}

SimConfig State::config() const {
    std::lock_guard lock(mutex_);
    return config_;
}

void State::set_config(SimConfig config) {
    std::lock_guard lock(mutex_);
    config_ = std::move(config);
}

Access State::check_key(const std::string& key) const {
    std::lock_guard lock(mutex_);
    const auto it = access_.find(key);
    if (it == access_.end()) return Access::Unknown;
    return it->second ? Access::Ok : Access::Forbidden;
}

void State::set_key(const std::string& key, Micros balance, bool access) {
    std::lock_guard lock(mutex_);
    balances_[key] = balance;
    access_[key] = access;
}

std::optional<Micros> State::balance(const std::string& key) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    const auto it = balances_.find(key);
    if (it == balances_.end()) return std::nullopt;
    return it->second;
}

std::optional<Micros> State::charge(const std::string& key, Micros cost, const std::string& what) {
    std::lock_guard lock(mutex_);
    return charge_locked(key, cost, what);
}

std::optional<Micros> State::charge_locked(const std::string& key, Micros cost,
                                           const std::string& what) {
    settle_tasks_locked();
    auto it = balances_.find(key);
    if (it == balances_.end() || it->second < cost) return std::nullopt;
    it->second -= cost;
    ledger_.push_back({{"key", key},
                       {"type", "charge"},
                       {"amount", micros_to_usd(cost)},
                       {"what", what},
                       {"balance_after", micros_to_usd(it->second)},
                       {"at_ms", wall_ms()}});
    return it->second;
}

Micros State::refund(const std::string& key, Micros cost, const std::string& what) {
    std::lock_guard lock(mutex_);
    Micros& bal = balances_[key];
    bal += cost;
    ledger_.push_back({{"key", key},
                       {"type", "refund"},
                       {"amount", micros_to_usd(cost)},
                       {"what", what},
                       {"balance_after", micros_to_usd(bal)},
                       {"at_ms", wall_ms()}});
    return bal;
}

json State::ledger() {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    json balances = json::object();
    for (const auto& [key, micros] : balances_) balances[key] = micros_to_usd(micros);
    Micros charged = 0, refunded = 0;
    for (const auto& e : ledger_) {
        const Micros m = usd_to_micros(e["amount"].get<double>());
        (e["type"] == "charge" ? charged : refunded) += m;
    }
    return {{"balances", balances},
            {"entries", ledger_},
            {"total_charged", micros_to_usd(charged)},
            {"total_refunded", micros_to_usd(refunded)}};
}

void State::add_task(Task task) {
    std::lock_guard lock(mutex_);
    tasks_[task.id] = std::move(task);
}

std::string State::task_status_locked(const Task& t) const {
    const std::int64_t elapsed = now_ms_locked() - t.accepted_ms;
    if (elapsed >= t.duration_ms) return t.will_fail ? "failed" : "succeeded";
    return elapsed < t.duration_ms / 3 ? "pending" : "running";
}

// A failed task refunds its charge the moment it fails, whoever looks first.
void State::settle_tasks_locked() {
    for (auto& [id, t] : tasks_) {
        if (t.refunded || !t.will_fail || task_status_locked(t) != "failed") continue;
        t.refunded = true;
        if (t.cost == 0) continue;  // a free task: nothing to give back
        Micros& bal = balances_[t.key];
        bal += t.cost;
        ledger_.push_back({{"key", t.key},
                           {"type", "refund"},
                           {"amount", micros_to_usd(t.cost)},
                           {"what", t.path + " task " + id + " failed"},
                           {"balance_after", micros_to_usd(bal)},
                           {"at_ms", wall_ms()}});
    }
}

std::optional<json> State::task_view(const std::string& key, const std::string& id) {
    std::lock_guard lock(mutex_);
    settle_tasks_locked();
    const auto it = tasks_.find(id);
    if (it == tasks_.end() || it->second.key != key || it->second.operation != "inference")
        return std::nullopt;
    const std::string status = task_status_locked(it->second);
    // Unset fields are null, as FastAPI sends them.
    json view = {{"status", status}, {"task_id", id}, {"result", nullptr}, {"error", nullptr}};
    if (status == "succeeded") view["result"] = it->second.result;
    if (status == "failed")
        view["error"] = {{"status_code", 500}, {"detail", "Unable to run inference."}};
    return view;
}

void State::put_style(UserStyle style) {
    std::lock_guard lock(mutex_);
    styles_[style.id] = std::move(style);
}

bool State::replace_style(const UserStyle& style) {
    std::lock_guard lock(mutex_);
    const auto it = styles_.find(style.id);
    if (it == styles_.end() || it->second.owner != style.owner) return false;
    it->second = style;
    return true;
}

std::optional<UserStyle> State::find_style(const std::string& key,
                                           const std::string& id_or_name) const {
    std::lock_guard lock(mutex_);
    for (const auto& [id, s] : styles_) {
        if (s.owner == key && (s.id == id_or_name || s.prompt_style == id_or_name)) return s;
    }
    return std::nullopt;
}

std::vector<UserStyle> State::styles_of(const std::string& key) const {
    std::lock_guard lock(mutex_);
    std::vector<UserStyle> owned;
    for (const auto& [id, s] : styles_) {
        if (s.owner == key) owned.push_back(s);
    }
    std::sort(owned.begin(), owned.end(),
              [](const UserStyle& a, const UserStyle& b) { return a.created_at < b.created_at; });
    return owned;
}

bool State::delete_style(const std::string& key, const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = styles_.find(id);
    if (it == styles_.end() || it->second.owner != key) return false;
    styles_.erase(it);
    return true;
}

std::string State::store_output(std::string bytes, std::string content_type, std::int64_t kept_ms) {
    const std::string id = random_hex(32);
    std::lock_guard lock(mutex_);
    const std::int64_t expires = kept_ms > 0 ? now_ms_locked() + kept_ms : 0;
    outputs_[id] = StoredOutput{std::move(bytes), std::move(content_type), expires};
    return id;
}

std::optional<StoredOutput> State::output(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = outputs_.find(id);
    if (it == outputs_.end()) return std::nullopt;
    if (it->second.expires_ms != 0 && now_ms_locked() >= it->second.expires_ms)
        return std::nullopt;  // past its retention: gone, as the API's 24 h outputs are
    return it->second;
}

std::uint64_t State::random_u64() {
    std::lock_guard lock(mutex_);
    // splitmix64 step
    std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::string State::random_hex(int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    while (static_cast<int>(out.size()) < digits) {
        std::uint64_t v = random_u64();
        for (int i = 0; i < 16 && static_cast<int>(out.size()) < digits; ++i, v >>= 4)
            out += kHex[v & 15];
    }
    return out;
}

std::optional<std::int64_t> State::take_rate_slot(const std::string& bucket, const std::string& key,
                                                  int limit, std::int64_t window_ms) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = now_ms_locked();
    auto& calls = rate_windows_[{bucket, key}];  // oldest first
    std::erase_if(calls, [&](std::int64_t at) { return at <= now - window_ms; });
    if (static_cast<int>(calls.size()) < limit) {
        calls.push_back(now);
        return std::nullopt;
    }
    const std::int64_t wait_ms = calls.front() + window_ms - now;
    return std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
}

std::string State::new_uuid() {
    std::string h = random_hex(32);
    h[12] = '4';
    h[16] = "89ab"[std::stoi(std::string(1, h[16]), nullptr, 16) & 3];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

bool State::wait_ms(int ms) {
    if (ms <= 0) return true;
    std::unique_lock lock(mutex_);
    return !stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void State::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
}

}  // namespace rdsim
