#include "server/stdio/line_buffer.h"

#include "server/free_memory.h"

namespace rdmcp::server {

void LineBuffer::append(std::string_view piece) {
    size_ += piece.size();
    if (parts_.empty() && joined_.size() + piece.size() <= kSmall) {
        joined_.append(piece);
        return;
    }
    if (parts_.empty()) {  // outgrown: what came so far becomes the first part
        parts_.push_back(std::move(joined_));
        joined_ = std::string();
    }
    parts_.emplace_back(piece);
}

std::string_view LineBuffer::line() {
    if (!parts_.empty()) {
        std::string whole;
        whole.reserve(size_);
        for (auto& part : parts_) {
            whole.append(part);
            std::string().swap(part);  // each part is freed once copied
        }
        parts_.clear();
        joined_ = std::move(whole);
        release_free_memory();  // the parts, lest the process hold the message twice
    }
    return joined_;
}

void LineBuffer::clear() {
    parts_ = {};
    size_ = 0;
    if (joined_.capacity() > kSmall) {
        std::string().swap(joined_);
    } else {
        joined_.clear();
    }
}

}  // namespace rdmcp::server
