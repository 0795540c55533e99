#include "server/free_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace rdmcp::server {

void configure_allocator() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

void release_free_memory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace rdmcp::server
