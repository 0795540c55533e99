#include "server/free_memory.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <string>

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

namespace {

// A cgroup's limit in bytes; nothing when the file is absent or says "max" (no limit).
std::optional<std::size_t> cgroup_limit(const char* path) {
    std::ifstream file(path);
    std::string text;
    if (!(file >> text) || text == "max") return std::nullopt;
    try {
        return static_cast<std::size_t>(std::stoull(text));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::size_t usable_memory_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page_size = ::sysconf(_SC_PAGE_SIZE);
    std::size_t usable = pages > 0 && page_size > 0
                             ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_size)
                             : std::size_t{1} << 30;
    for (const char* path :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        if (auto limit = cgroup_limit(path)) usable = std::min(usable, *limit);
    }
    return usable;
}

}  // namespace rdmcp::server
