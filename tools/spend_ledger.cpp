#include "tools/spend_ledger.h"

#include <algorithm>

#include "tools/job_ledger.h"

namespace rdmcp::tools {

namespace {
// Prices come to a tenth of a cent; sums of doubles must not refuse a budget spent exactly.
constexpr double kBudgetSlack = 1e-9;
}  // namespace

SpendReservation::SpendReservation(std::shared_ptr<SpendLedger> ledger, std::string key_digest,
                                   double usd)
    : ledger_(std::move(ledger)), key_digest_(std::move(key_digest)), usd_(usd) {}

SpendReservation::SpendReservation(SpendReservation&& other) noexcept
    : ledger_(std::move(other.ledger_)),
      key_digest_(std::move(other.key_digest_)),
      usd_(other.usd_),
      settled_(other.settled_) {
    other.settled_ = true;
}

SpendReservation::~SpendReservation() {
    if (!settled_ && ledger_) ledger_->settle(key_digest_, usd_, usd_, "");
}

void SpendReservation::settle(double charged_usd, const std::string& charge_id) {
    if (settled_ || !ledger_) return;
    settled_ = true;
    ledger_->settle(key_digest_, usd_, std::max(0.0, charged_usd), charge_id);
}

std::shared_ptr<SpendLedger> SpendLedger::create(std::chrono::seconds window, Clock clock) {
    return std::shared_ptr<SpendLedger>(new SpendLedger(window, std::move(clock)));
}

SpendLedger::SpendLedger(std::chrono::seconds window, Clock clock)
    : window_(window),
      clock_(clock ? std::move(clock) : [] { return std::chrono::system_clock::now(); }) {}

double SpendLedger::spent(const Account& account) {
    double total = 0;
    for (const auto& charge : account.charges) total += charge.usd;
    return total;
}

SpendLedger::Account* SpendLedger::current(const std::string& key_digest) {
    auto it = accounts_.find(key_digest);
    if (it == accounts_.end()) return nullptr;
    auto& charges = it->second.charges;
    const auto oldest_counted = clock_() - window_;
    while (!charges.empty() && charges.front().at <= oldest_counted) charges.pop_front();
    if (charges.empty() && it->second.reserved <= kBudgetSlack) {
        accounts_.erase(it);
        return nullptr;
    }
    return &it->second;
}

std::optional<SpendReservation> SpendLedger::reserve(const std::string& api_key, double usd,
                                                     double budget) {
    const auto digest = key_fingerprint(api_key);
    std::lock_guard lock(mutex_);
    const Account* account = current(digest);
    const double committed = account ? spent(*account) + account->reserved : 0;
    if (committed + usd > budget + kBudgetSlack) return std::nullopt;
    accounts_[digest].reserved += usd;
    return SpendReservation(shared_from_this(), digest, usd);
}

void SpendLedger::settle(const std::string& key_digest, double reserved, double charged,
                         const std::string& charge_id) {
    std::lock_guard lock(mutex_);
    auto& account = accounts_[key_digest];
    account.reserved = std::max(0.0, account.reserved - reserved);
    if (charged > 0) account.charges.push_back({clock_(), charged, charge_id});
    current(key_digest);  // an account left empty goes
}

void SpendLedger::refund(const std::string& api_key, const std::string& charge_id) {
    if (charge_id.empty()) return;
    std::lock_guard lock(mutex_);
    Account* account = current(key_fingerprint(api_key));
    if (!account) return;
    auto& charges = account->charges;
    auto it = std::find_if(charges.begin(), charges.end(),
                           [&](const Charge& charge) { return charge.id == charge_id; });
    if (it != charges.end()) charges.erase(it);
}

SpendStanding SpendLedger::standing(const std::string& api_key) {
    std::lock_guard lock(mutex_);
    SpendStanding standing;
    if (const Account* account = current(key_fingerprint(api_key))) {
        standing.spent = spent(*account);
        standing.reserved = account->reserved;
        if (!account->charges.empty()) {
            standing.next_release = account->charges.front().at + window_;
        }
    }
    return standing;
}

}  // namespace rdmcp::tools
