#pragma once
// Bounded admission without a queue: work that would hold a scarce resource (a tool call
// waiting on the upstream, a long-lived stream) takes a permit first, and is refused at once
// (503 + Retry-After) when none is left, instead of waiting behind others without bound.
// Requests that answer at once (ping, tools/list, discovery, health) never take a permit.
#include <atomic>
#include <cstddef>
#include <memory>

namespace rdmcp::server {

class Admission {
  public:
    explicit Admission(std::size_t limit) : limit_(limit ? limit : 1) {}

    // Released when the last copy of the shared pointer goes (it travels into std::function).
    class Permit {
      public:
        explicit Permit(Admission& owner) : owner_(owner) {}
        ~Permit() { owner_.in_use_.fetch_sub(1, std::memory_order_acq_rel); }
        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;

      private:
        Admission& owner_;
    };

    // Nothing when all permits are taken.
    std::shared_ptr<Permit> try_acquire() {
        std::size_t current = in_use_.load(std::memory_order_acquire);
        do {
            if (current >= limit_) return nullptr;
        } while (!in_use_.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel));
        return std::make_shared<Permit>(*this);
    }

    std::size_t in_use() const { return in_use_.load(std::memory_order_acquire); }
    std::size_t limit() const { return limit_; }

  private:
    const std::size_t limit_;
    std::atomic<std::size_t> in_use_{0};
};

}  // namespace rdmcp::server
