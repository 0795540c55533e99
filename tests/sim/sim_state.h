#pragma once
// Everything the simulated API remembers, behind one mutex: accounts and their ledger, the
// recorded requests, injected faults, run-time configuration, async tasks, user styles,
// stored outputs, API Activity and idempotency keys. Nothing here sleeps while holding the
// lock (see wait_ms). Task and activity times run on the sim clock, which tests can advance.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace rdsim {

using json = nlohmann::json;
using Micros = std::int64_t;  // money in millionths of a USD, so balances never drift

Micros usd_to_micros(double usd);
double micros_to_usd(Micros micros);
std::int64_t unix_now();

enum class Access { Ok, Unknown, Forbidden };

struct SimConfig {
    int latency_ms = 0;
    int async_duration_ms = 1000;
    bool created_at_iso = false;           // the newer document shows ISO strings
    json service_status = json::object();  // overrides for GET /v1/status
    // The catalog as upstream changes it after our documents were written: prompt_style ->
    // selector fields (limits, name, ...) that replace the table's, or publish a new style
    // when the id is not in the table (then `required_model` names the family it is priced
    // and checked like). Used by the selector and by inference validation alike.
    json styles = json::object();
};

struct FailRule {
    std::string path_prefix = "/";
    std::string method;  // empty: any method
    int status = 500;
    std::optional<json> body;
    std::optional<std::string> raw;
    std::string content_type = "text/plain";  // for raw bodies
    std::optional<int> retry_after;
    json headers = json::object();
    int delay_ms = 0;
    int count = 1;
    // The request is handled in full first (admitted, charged, recorded) and only its answer
    // is replaced by the fault: the client loses an answer to work that happened.
    bool after_admission = false;
    bool reset = false;  // with after_admission: close the connection without any answer
    // How the answer travels, for transport faults: "" (normally), "reset_mid_body" (half the
    // body, then the connection drops), "trickle" (one byte every trickle_interval_ms),
    // "huge" (a JSON body of huge_bytes).
    std::string transport;
    int trickle_interval_ms = 200;
    std::size_t huge_bytes = 64u << 20;
};

// An output kept at /_sim/outputs/<id>.<ext>.
struct OutputRef {
    std::string id;
    std::string media_type;   // image/png, image/gif, or a Low-Poly export's type
    std::string ext() const;  // the file extension its URL ends with
};

struct Task {
    std::string id;
    std::string key;
    std::string path;
    // What the task runs: "inference" (GET /v{1,2}/inferences/tasks/...) or "edit_tool"
    // (GET /v{1,2}/edit/tasks/...). Each task read sees only its own kind.
    std::string operation = "inference";
    std::int64_t accepted_ms = 0;  // sim clock
    int duration_ms = 0;
    bool will_fail = false;
    Micros cost = 0;
    json result;
    std::vector<OutputRef> outputs;
    bool refunded = false;
    std::string failure_code;  // the error code a failed task reports ("" : by operation)
};

struct TaskSnapshot {
    Task task;
    std::string status;  // pending, running, succeeded, failed
    std::int64_t updated_ms = 0;
};

// One API Activity entry. An async one (an inference task with the same id) takes its
// status, times and outputs from the task.
struct Activity {
    std::uint64_t seq = 0;
    std::string request_id;
    std::string key;
    std::string operation;  // inference, edit_tool, edit
    bool async = false;
    json request = json::object();  // sanitized summary: no images
    Micros cost = 0;
    bool charged = false;
    int http_status = 200;
    json error = nullptr;  // {code, message, request_id}
    std::vector<OutputRef> outputs;
    std::string status = "succeeded";  // sync entries: succeeded or failed
    std::int64_t created_ms = 0;
    std::int64_t completed_ms = 0;
};

struct ActivitySnapshot {
    Activity entry;
    std::int64_t updated_ms = 0;
    std::int64_t now_ms = 0;
};

// POST /v2/inferences admission, atomic with its idempotency key.
struct Admission {
    enum class Outcome { Admitted, Replayed, Conflict, NoBalance } outcome = Outcome::Admitted;
    json answer;           // the accepted answer (Admitted, Replayed)
    Micros balance = 0;    // NoBalance: what the key had
    Micros remaining = 0;  // Admitted: balance after the charge
};

// A Low-Poly model (v2 reference section 8). Every job or recolor adds a version; a version
// made by a job exists once that job succeeded (see State::lowpoly_asset).
struct LowPolyVersion {
    int number = 0;
    std::string kind;     // generate, revise, animate, rerig, split, recolor
    std::string task_id;  // the job that makes it; "" for a sync recolor
    std::string prompt;
    std::vector<std::string> animations;
    bool rigged = false;
    std::string render_id, turntable_id, scene_id;  // hosted outputs (/_sim/outputs/)
    json stats = json::object();
    std::int64_t created_ms = 0;
};

struct LowPolyAsset {
    std::string id;
    std::string key;
    std::uint64_t seq = 0;  // creation order, for listing
    std::string style;
    int size = 32;
    std::string size_source;
    std::string mode;
    std::string prompt;
    std::string inference_id;  // the task that created it
    std::string origin_task;   // generate or split job that creates it; the asset exists with it
    bool hidden_until_done = false;  // split pieces appear when their job succeeds
    std::vector<LowPolyVersion> versions;
    std::vector<std::string> job_ids;  // every job admitted on it, oldest first
    std::int64_t created_ms = 0;
};

// A Low-Poly job: what its task read shows besides the task's status.
struct LowPolyJob {
    std::string task_id;
    std::string asset_id;
    std::string operation;            // generate, revise, animate, split, rerig
    std::string animation;            // animate: the new animation's name
    std::vector<std::string> pieces;  // split: the new assets
};

// A Low-Poly asset as read now: versions whose job has not succeeded are left out.
struct LowPolyAssetSnapshot {
    LowPolyAsset asset;
    std::string status;  // pending, running, ready, failed
    std::string active_task_id;
    std::string failure_task_id;  // status failed: the job that failed
    std::int64_t updated_ms = 0;
};

struct LowPolyJobSnapshot {
    LowPolyJob job;
    TaskSnapshot task;
};

// POST /lowpoly/... job admission, atomic with the concurrency rules and the idempotency key.
struct LowPolyAdmission {
    enum class Outcome {
        Admitted,
        Replayed,
        Conflict,
        NoBalance,
        Busy,
        TooManyJobs
    } outcome = Outcome::Admitted;
    json answer;
    std::int64_t retry_after_s = 0;  // TooManyJobs
};

// What an admitted job adds: a new asset (generate), a new version of one (revise, animate,
// rerig) or new assets (split pieces).
struct LowPolyPlan {
    std::optional<LowPolyAsset> new_asset;
    std::string asset_id;  // the asset a job works on (busy while it runs)
    std::optional<LowPolyVersion> new_version;
    std::vector<LowPolyAsset> pieces;
    LowPolyJob job;
};

inline constexpr int kLowPolyJobsPerAccount = 3;  // "a few concurrent jobs per account"

struct UserStyle {
    std::string id;
    std::string prompt_style;
    std::string owner;
    json fields = json::object();
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct StoredOutput {
    std::string bytes;
    std::string content_type;
    std::int64_t expires_ms = 0;  // sim clock; 0: kept
};

class State {
  public:
    State(std::map<std::string, Micros> keys, SimConfig config);

    // Recording of public requests.
    void record(json entry);
    json requests() const;
    void clear_requests();

    // Fault injection: the first rule matching (method, path) is consumed.
    void add_fail_rule(FailRule rule);
    void clear_fail_rules();
    std::optional<FailRule> take_fail_rule(const std::string& method, const std::string& path);

    SimConfig config() const;
    void set_config(SimConfig config);

    // Accounts and ledger.
    Access check_key(const std::string& key) const;
    void set_key(const std::string& key, Micros balance, bool access);
    std::optional<Micros> balance(const std::string& key);
    // Deducts cost and returns the remaining balance, or nullopt (nothing charged) if too low.
    std::optional<Micros> charge(const std::string& key, Micros cost, const std::string& what);
    Micros refund(const std::string& key, Micros cost, const std::string& what);
    json ledger();

    // Async inference tasks; states derive from the time since acceptance.
    void add_task(Task task);
    std::optional<json> task_view(const std::string& key, const std::string& id);  // v1 shape
    std::optional<TaskSnapshot> task(const std::string& key, const std::string& id,
                                     const std::string& operation = "inference");
    std::vector<TaskSnapshot> tasks(const std::string& key);  // inference tasks, newest first

    // Charges (a free task: nothing) and creates the task (and its activity entry) in one
    // step. With an idempotency
    // key, an earlier admission under it answers instead: Replayed for an equal body,
    // Conflict for another; nothing is charged then.
    Admission admit_task(Task task, Activity activity, const std::string& idempotency_key,
                         const json& body, const json& answer);
    // The earlier answer under (key, idempotency key), or Conflict, or nullopt if unused.
    std::optional<Admission> idempotent_answer(const std::string& key,
                                               const std::string& idempotency_key,
                                               const json& body);

    // API Activity: entries vanish 30 days after creation.
    void add_activity(Activity activity);
    std::optional<ActivitySnapshot> activity(const std::string& key, const std::string& id);
    std::vector<ActivitySnapshot> activities(const std::string& key);  // newest first

    // The sim clock: wall time plus what tests advanced it by.
    std::int64_t now_ms() const;
    std::int64_t advance_clock(std::int64_t seconds);  // returns the total offset in seconds

    // User styles, owned by the key that made them; found by id or prompt_style.
    void put_style(UserStyle style);
    bool replace_style(const UserStyle& style);  // false if it was deleted meanwhile
    std::optional<UserStyle> find_style(const std::string& key,
                                        const std::string& id_or_name) const;
    bool delete_style(const std::string& key, const std::string& id);
    std::vector<UserStyle> styles_of(const std::string& key) const;  // oldest first

    // Outputs served at /_sim/outputs/<id>.<ext>; kept_ms > 0 makes them expire.
    std::string store_output(std::string bytes, std::string content_type, std::int64_t kept_ms = 0);
    std::optional<StoredOutput> output(const std::string& id) const;

    // A sliding-window rate limit on the sim clock, per (bucket, key): nullopt when fewer than
    // `limit` calls were let through within `window_ms` (this one is then counted), else the
    // seconds until the oldest of them leaves the window (for Retry-After).
    std::optional<std::int64_t> take_rate_slot(const std::string& bucket, const std::string& key,
                                               int limit, std::int64_t window_ms);

    // Low-Poly models and jobs (sim_state_lowpoly.cpp).
    LowPolyAdmission admit_lowpoly(Task task, Activity activity, LowPolyPlan plan,
                                   const std::string& idempotency_key, const json& body,
                                   const json& answer);
    std::optional<LowPolyAssetSnapshot> lowpoly_asset(const std::string& key,
                                                      const std::string& id);
    std::vector<LowPolyAssetSnapshot> lowpoly_assets(const std::string& key);  // newest first
    std::optional<LowPolyJobSnapshot> lowpoly_job(const std::string& key,
                                                  const std::string& task_id);
    // A sync version (recolor): false if the asset is gone or has a job running.
    enum class LowPolyEdit { Done, NotFound, Busy, VersionNotFound, AnimationNotFound };
    LowPolyEdit add_lowpoly_version(const std::string& key, const std::string& asset_id,
                                    LowPolyVersion version);
    LowPolyEdit delete_lowpoly_animation(const std::string& key, const std::string& asset_id,
                                         int version, const std::string& animation);

    std::string new_uuid();
    std::string random_hex(int digits);
    std::uint64_t random_u64();

    // Sleeps without the lock; returns early (false) once stop() was called.
    bool wait_ms(int ms);
    void stop();

    // Back to the state at start-up (keys, config), forgetting everything else.
    void reset();

  private:
    void settle_tasks_locked();
    std::string lowpoly_task_status_locked(const std::string& task_id) const;
    std::optional<LowPolyAssetSnapshot> lowpoly_snapshot_locked(const LowPolyAsset& a) const;
    std::string task_status_locked(const Task& task) const;
    std::int64_t now_ms_locked() const;
    std::optional<Micros> charge_locked(const std::string& key, Micros cost,
                                        const std::string& what);
    ActivitySnapshot activity_snapshot_locked(const Activity& a) const;

    mutable std::mutex mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;

    const std::map<std::string, Micros> initial_keys_;
    const SimConfig initial_config_;

    SimConfig config_;
    std::map<std::string, Micros> balances_;
    std::map<std::string, bool> access_;
    json ledger_ = json::array();
    json requests_ = json::array();
    std::vector<FailRule> fail_rules_;
    std::map<std::string, Task> tasks_;
    std::map<std::string, UserStyle> styles_;  // by id
    std::map<std::string, StoredOutput> outputs_;
    struct IdempotencyRecord {
        json body;
        json answer;
    };
    std::map<std::pair<std::string, std::string>, IdempotencyRecord> idempotency_;
    std::vector<Activity> activities_;                    // in creation order
    std::map<std::string, LowPolyAsset> lowpoly_assets_;  // by id
    std::map<std::string, LowPolyJob> lowpoly_jobs_;      // by task id
    std::uint64_t lowpoly_seq_ = 0;
    std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> rate_windows_;
    std::uint64_t activity_seq_ = 0;
    std::int64_t clock_offset_ms_ = 0;
    std::int64_t wall_at_start_ms_ = 0;  // the clock is steady: wall time at start + elapsed
    std::chrono::steady_clock::time_point steady_at_start_;
    std::uint64_t rng_state_;
};

}  // namespace rdsim
