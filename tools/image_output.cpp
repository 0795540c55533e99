#include "tools/image_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace rdmcp::tools {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxStemLength = 80;
constexpr int kMaxSuffix = 9999;

std::string sanitize_stem(std::string_view stem) {
    std::string out;
    for (char c : stem) {
        const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (out.empty() && (c == '.' || c == '-')) continue;  // no hidden files, no "-option" names
        out.push_back(keep ? c : '_');
        if (out.size() == kMaxStemLength) break;
    }
    return out.empty() ? "image" : out;
}

std::string errno_text(int error) { return std::strerror(error); }

// Writes everything, retrying short writes and EINTR; false with errno set on failure.
bool write_all(int fd, std::string_view bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// A name no other writer (thread or process) picks: pid, a process-wide counter and the clock;
// O_EXCL still guards against the impossible collision.
fs::path temporary_name(const fs::path& dir, const std::string& stem) {
    static std::atomic<unsigned long> counter{0};
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    return dir / ("." + stem + ".partial-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter++) + "-" + std::to_string(ticks));
}

// Publishes `temporary` as `final_path` only if that name is free. link() fails with EEXIST
// instead of replacing, which rename() would do; filesystems without hard links fall back to
// a check-then-rename, racy only against another writer choosing the same name at that instant.
// Returns 0, EEXIST when the name is taken, or another errno.
int publish_without_replacing(const fs::path& temporary, const fs::path& final_path) {
    if (::link(temporary.c_str(), final_path.c_str()) == 0) {
        ::unlink(temporary.c_str());
        return 0;
    }
    const int error = errno;
    if (error == EEXIST) return EEXIST;
    if (error != EPERM && error != ENOTSUP && error != EOPNOTSUPP && error != EMLINK &&
        error != ENOSYS)
        return error;
    struct stat existing {};
    if (::lstat(final_path.c_str(), &existing) == 0) return EEXIST;
    if (errno != ENOENT) return errno;
    return ::rename(temporary.c_str(), final_path.c_str()) == 0 ? 0 : errno;
}

}  // namespace

std::string image_file_extension(std::string_view mime) {
    std::string type;
    for (char c : mime.substr(0, mime.find(';'))) {
        if (c == ' ' || c == '\t') continue;
        type.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (type == "image/png" || type == "image/apng") return "png";
    if (type == "image/gif") return "gif";
    if (type == "image/jpeg" || type == "image/jpg" || type == "image/pjpeg") return "jpg";
    if (type == "image/webp") return "webp";
    return "bin";
}

ImageWriteResult write_new_file(const fs::path& dir, std::string_view stem,
                                std::string_view extension, std::string_view contents) {
    auto failure = [](std::string message) {
        return ImageWriteResult(ImageWriteError{std::move(message)});
    };
    const std::string_view bytes = contents;

    std::error_code ec;
    fs::path directory = fs::absolute(dir, ec);
    if (ec)
        return failure("cannot resolve the output directory '" + dir.string() +
                       "': " + ec.message());
    directory = directory.lexically_normal();
    if (!directory.has_filename()) directory = directory.parent_path();  // "out/" -> "out"
    const auto status = fs::status(directory, ec);
    if (fs::exists(status) && !fs::is_directory(status)) {
        return failure("the output path '" + directory.string() +
                       "' exists but is not a directory");
    }
    fs::create_directories(directory, ec);
    if (ec)
        return failure("cannot create the output directory '" + directory.string() +
                       "': " + ec.message());

    const std::string clean_stem = sanitize_stem(stem);

    // Write and flush the whole file under a hidden temporary name first, so nobody ever sees a
    // partial image under the final name, even if this process dies mid-write.
    fs::path temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = temporary_name(directory, clean_stem);
        fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                    0666);  // umask applies
        if (fd < 0 && errno != EEXIST) {
            return failure("cannot create a file in '" + directory.string() +
                           "': " + errno_text(errno));
        }
    }
    if (fd < 0) return failure("cannot find a free temporary name in '" + directory.string() + "'");
    const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
    const int write_error = errno;
    if (::close(fd) != 0 || !written) {
        const int error = written ? errno : write_error;
        ::unlink(temporary.c_str());
        return failure("cannot write '" + temporary.string() + "': " + errno_text(error));
    }

    for (int suffix = 0; suffix <= kMaxSuffix; ++suffix) {
        const std::string name = clean_stem + (suffix == 0 ? "" : "-" + std::to_string(suffix)) +
                                 "." + std::string(extension);
        const fs::path final_path = directory / name;
        const int result = publish_without_replacing(temporary, final_path);
        if (result == 0) return WrittenImage{final_path, bytes.size()};
        if (result != EEXIST) {
            ::unlink(temporary.c_str());
            return failure("cannot save '" + final_path.string() + "': " + errno_text(result));
        }
    }
    ::unlink(temporary.c_str());
    return failure("'" + directory.string() + "' already holds " + std::to_string(kMaxSuffix + 1) +
                   " files named " + clean_stem + "[-N]." + std::string(extension) +
                   "; choose another directory or name");
}

}  // namespace rdmcp::tools
