#pragma once
// Request bodies held at once, over every connection (--max-inflight-body-bytes). A body is
// read only after its request passed Origin, Host and key checks, and only into room reserved
// here first: the declared Content-Length at once, a chunked body as it grows. When there is no
// room the request gets 503 + Retry-After before its body is read, so a flood of large bodies
// cannot take the process's memory, whoever sends them.
#include <atomic>
#include <cstddef>
#include <memory>

namespace rdmcp::server {

class BodyBudget {
  public:
    explicit BodyBudget(std::size_t limit) : limit_(limit) {}

    // Room held for one body; given back when the hold goes.
    class Hold {
      public:
        Hold() = default;
        Hold(Hold&& other) noexcept : owner_(other.owner_), bytes_(other.bytes_) {
            other.owner_ = nullptr;
            other.bytes_ = 0;
        }
        Hold& operator=(Hold&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = other.owner_;
                bytes_ = other.bytes_;
                other.owner_ = nullptr;
                other.bytes_ = 0;
            }
            return *this;
        }
        ~Hold() { release(); }
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;

        // More room for a body that outgrew what was reserved; false when there is none.
        bool grow(std::size_t bytes) {
            if (!owner_ || !owner_->take(bytes)) return false;
            bytes_ += bytes;
            return true;
        }
        std::size_t bytes() const { return bytes_; }
        void release() {
            if (owner_) owner_->give_back(bytes_);
            owner_ = nullptr;
            bytes_ = 0;
        }

      private:
        friend class BodyBudget;
        Hold(BodyBudget* owner, std::size_t bytes) : owner_(owner), bytes_(bytes) {}
        BodyBudget* owner_ = nullptr;
        std::size_t bytes_ = 0;
    };

    // A hold of `bytes`, or an empty one (valid() false) when they do not fit.
    Hold reserve(std::size_t bytes) {
        if (!take(bytes)) return {};
        return Hold(this, bytes);
    }
    static bool valid(const Hold& hold) { return hold.owner_ != nullptr; }

    std::size_t in_use() const { return in_use_.load(std::memory_order_acquire); }
    std::size_t limit() const { return limit_; }

  private:
    bool take(std::size_t bytes) {
        std::size_t current = in_use_.load(std::memory_order_acquire);
        do {
            if (bytes > limit_ || current > limit_ - bytes) return false;
        } while (
            !in_use_.compare_exchange_weak(current, current + bytes, std::memory_order_acq_rel));
        return true;
    }
    void give_back(std::size_t bytes) { in_use_.fetch_sub(bytes, std::memory_order_acq_rel); }

    const std::size_t limit_;
    std::atomic<std::size_t> in_use_{0};
};

}  // namespace rdmcp::server
