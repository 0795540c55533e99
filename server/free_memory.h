#pragma once
// Giving memory back after a large message (images: megabytes). glibc keeps freed blocks for
// reuse, and its mmap threshold rises to the largest block freed, so after one large call the
// process would hold its peak for good; a hosted replica sees such calls now and then.
#include <cstddef>

namespace rdmcp::server {

// Messages from this size on are worth a release once they are done with.
inline constexpr std::size_t kLargeMessageBytes = 1 << 20;

// Returns the allocator's free memory to the system (malloc_trim). Costs a walk of the heap, so
// it is called after large messages only.
void release_free_memory();

}  // namespace rdmcp::server
