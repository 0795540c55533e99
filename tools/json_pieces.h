#pragma once
// A JSON object serialized as a list of pieces, so that megabytes of string members (base64
// images) go to the socket from where they already are. Serializing them into one text would
// copy every image once, and cpp-httplib copies a request's body again before sending it.
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

class JsonPieces {
  public:
    // The members of `object`, then those of `appended` (an object, or null for none; its
    // members must not also be in `object`). Both must outlive this: strings in `appended` that
    // need no escaping are referred to, not copied.
    JsonPieces(const protocol::Json& object, const protocol::Json& appended);
    // A temporary `appended` would be gone before its strings are sent.
    JsonPieces(const protocol::Json& object, protocol::Json&& appended) = delete;
    JsonPieces(const JsonPieces&) = delete;
    JsonPieces& operator=(const JsonPieces&) = delete;

    std::size_t size() const { return size_; }

    // Hands the text from byte `offset` on to `write`, piece by piece, while it returns true.
    // False when `write` refused a piece.
    bool write_from(std::size_t offset,
                    const std::function<bool(const char*, std::size_t)>& write) const;

    // The whole text (tests, and bodies small enough that a copy costs nothing).
    std::string str() const;

  private:
    void add_text(std::string text);
    void add_view(std::string_view view);
    void add_value(const protocol::Json& value);

    std::deque<std::string> owned_;  // a deque: adding text never moves what pieces refer to
    std::vector<std::string_view> pieces_;
    std::size_t size_ = 0;
};

}  // namespace rdmcp::tools
