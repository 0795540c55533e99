#pragma once
// One newline-delimited message as it arrives, a read at a time. Small messages collect in one
// string that is reused. Large ones (images: megabytes) collect as a list of the reads and are
// joined once, into a string of exactly their size, when the newline comes: a string grown by
// appending would double its capacity as it goes, holding the old and the new copy at each step
// and up to twice the message's size while it is parsed.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rdmcp::server {

class LineBuffer {
  public:
    void append(std::string_view piece);
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    // The whole message (valid until the next call to anything else).
    std::string_view line();
    // Forgets the message; memory beyond a small working size is given back.
    void clear();

  private:
    static constexpr std::size_t kSmall = 1 << 20;  // below this, one reused string

    std::string joined_;
    std::vector<std::string> parts_;  // once the message outgrew kSmall
    std::size_t size_ = 0;
};

}  // namespace rdmcp::server
