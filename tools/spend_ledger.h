#pragma once
// What each key has spent within the budget window on this process, and what calls about to
// pay have reserved. A call reserves its price before it pays: the check and the reservation are
// one step under one lock, so two calls racing for the last part of a budget cannot both pass.
// The reservation is then settled with what the call charged (nothing, when it failed before
// paying), and a charge the API refunds later (a failed job) is given back once.
//
// Keys are held as SHA-256 digests, never in the clear. Memory is bounded by what was spent:
// an entry exists only for a charge within the window, and a key whose charges all aged out goes.
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace rdmcp::tools {

class SpendLedger;

// A price held against a key's budget until settled. Unsettled when it goes (an exception, a path
// that forgot): the whole price counts as spent, since the call may have paid.
class SpendReservation {
  public:
    SpendReservation(SpendReservation&& other) noexcept;
    SpendReservation& operator=(SpendReservation&&) = delete;
    SpendReservation(const SpendReservation&) = delete;
    ~SpendReservation();

    // What the call charged (0 when it was refused before paying). `charge_id` names the charge
    // so a later refund finds it (a job id); empty when none will come.
    void settle(double charged_usd, const std::string& charge_id = "");

    double reserved_usd() const { return usd_; }

  private:
    friend class SpendLedger;
    SpendReservation(std::shared_ptr<SpendLedger> ledger, std::string key_digest, double usd);
    std::shared_ptr<SpendLedger> ledger_;
    std::string key_digest_;
    double usd_ = 0;
    bool settled_ = false;
};

struct SpendStanding {
    double spent = 0;     // charged within the window
    double reserved = 0;  // held by calls that have not settled yet
    // When the oldest charge in the window stops counting (nothing when none counts).
    std::optional<std::chrono::system_clock::time_point> next_release;
};

class SpendLedger : public std::enable_shared_from_this<SpendLedger> {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    static std::shared_ptr<SpendLedger> create(std::chrono::seconds window, Clock clock = {});

    // Reserves `usd` for `api_key` when spent + reserved + usd stays within `budget`.
    std::optional<SpendReservation> reserve(const std::string& api_key, double usd, double budget);
    SpendStanding standing(const std::string& api_key);
    // The API refunded the charge settled under `charge_id`: it stops counting (once).
    void refund(const std::string& api_key, const std::string& charge_id);

    std::chrono::seconds window() const { return window_; }

  private:
    SpendLedger(std::chrono::seconds window, Clock clock);
    friend class SpendReservation;
    struct Charge {
        std::chrono::system_clock::time_point at;
        double usd;
        std::string id;
    };
    struct Account {
        std::deque<Charge> charges;  // oldest first
        double reserved = 0;
    };
    void settle(const std::string& key_digest, double reserved, double charged,
                const std::string& charge_id);
    // Drops charges older than the window; an account with nothing left goes. Lock held.
    Account* current(const std::string& key_digest);
    static double spent(const Account& account);

    const std::chrono::seconds window_;
    const Clock clock_;
    std::mutex mutex_;
    std::unordered_map<std::string, Account> accounts_;
};

}  // namespace rdmcp::tools
