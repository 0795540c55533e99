#include "protocol/client_requests.h"

#include <algorithm>

namespace rdmcp::protocol {

namespace {

ClientAnswer answer_of(ClientAnswer::Kind kind) {
    ClientAnswer answer;
    answer.kind = kind;
    return answer;
}

ClientAnswer answer_of(ClientResponse response) {
    ClientAnswer answer;
    if (response.error) {
        answer.kind = ClientAnswer::Kind::Error;
        answer.error = std::move(response.error);
    } else {
        answer.kind = ClientAnswer::Kind::Result;
        answer.result = response.result ? std::move(*response.result) : Json::object();
    }
    return answer;
}

}  // namespace

ClientAnswer ClientRequests::ask(const std::string& method, const Json& params,
                                 std::chrono::milliseconds timeout, CancellationToken& cancellation,
                                 const SendToClient& send) {
    using Kind = ClientAnswer::Kind;
    if (cancellation.is_cancelled()) return answer_of(Kind::Cancelled);
    std::string id;
    auto waiter = std::make_shared<Waiter>();
    {
        std::lock_guard lock(mutex_);
        if (closed_) return answer_of(Kind::Cancelled);
        if (waiting_.size() >= max_waiting_) return answer_of(Kind::Unavailable);
        id = "rdmcp-" + std::to_string(++next_id_);
        waiting_.emplace(id, waiter);
    }
    // The mutex is never held while the token's lock is taken (the hook takes them the other
    // way round), nor while sending (a slow client must not hold up deliver()).
    auto forget = [this, &id] {
        std::lock_guard lock(mutex_);
        waiting_.erase(id);
    };
    if (!send || !send(encode_request(id, method, params))) {
        forget();
        return answer_of(Kind::Unavailable);
    }

    const auto deadline = std::chrono::steady_clock::now() +
                          std::clamp(timeout, std::chrono::milliseconds(0), kMaxTimeout);
    std::optional<ClientAnswer> outcome;
    {
        CancellationHook wake(cancellation, [this] {
            std::lock_guard lock(mutex_);
            changed_.notify_all();
        });
        std::unique_lock lock(mutex_);
        changed_.wait_until(lock, deadline, [&] {
            return waiter->answer || closed_ || cancellation.is_cancelled();
        });
        if (waiter->answer) {
            outcome = std::move(waiter->answer);
        } else if (closed_) {
            outcome = answer_of(Kind::Cancelled);
        }
        waiting_.erase(id);
    }
    if (outcome) return std::move(*outcome);

    // Given up on: the client may still show the question, so it is told to drop it.
    const bool cancelled = cancellation.is_cancelled();
    const std::string reason = cancelled ? cancellation.reason() : "no answer in time";
    send(encode_notification("notifications/cancelled", {{"requestId", id}, {"reason", reason}}));
    return answer_of(cancelled ? Kind::Cancelled : Kind::TimedOut);
}

bool ClientRequests::deliver(ClientResponse response) {
    if (!response.id.is_string()) return false;  // ours are all strings
    {
        std::lock_guard lock(mutex_);
        auto it = waiting_.find(response.id.get<std::string>());
        if (it == waiting_.end() || it->second->answer) return false;
        it->second->answer = answer_of(std::move(response));
    }
    changed_.notify_all();
    return true;
}

void ClientRequests::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

std::size_t ClientRequests::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

}  // namespace rdmcp::protocol
