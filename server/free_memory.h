#pragma once
// Giving memory back after a large message (images: megabytes). glibc keeps freed blocks for
// reuse, and its mmap threshold rises to the largest block freed, so after one large call the
// process would hold its peak for good; a hosted replica sees such calls now and then.
#include <cstddef>

namespace rdmcp::server {

// Called once at start-up: blocks of 1 MiB and more (message buffers, images) get mappings of
// their own, handed back to the system when freed. By default glibc raises that threshold to the
// largest block freed so far, so after the first large call images land in the heap, where they
// fragment it and stay: 8 calls with 12.6 MB of images left a server at 4.1-5.1x the message
// size at its peak and 21-25 MiB afterwards; with this, 3.0-3.1x and back to idle.
void configure_allocator();

// Messages from this size on are worth a release once they are done with.
inline constexpr std::size_t kLargeMessageBytes = 1 << 20;

// Returns the allocator's free memory to the system (malloc_trim). Costs a walk of the heap, so
// it is called after large messages only.
void release_free_memory();

// The memory this process may use: the machine's, or less when a container's cgroup limits it
// (cgroup v2 memory.max, v1 memory.limit_in_bytes). Budgets of the HTTP transport derive from it.
std::size_t usable_memory_bytes();

}  // namespace rdmcp::server
