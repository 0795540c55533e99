#pragma once
// Saves generated images as files, for agents that would rather get a path than megabytes of
// base64 in their context. Files appear complete or not at all (written to a temporary name in
// the same directory, then published atomically), and an existing file is never replaced:
// two requests with the same stem get "stem.png" and "stem-1.png".
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

namespace rdmcp::tools {

// "png", "gif", "jpg", "webp" for the API's MIME types (case and parameters ignored);
// "bin" for anything else, so the file is never mistaken for an image type it is not.
std::string image_file_extension(std::string_view mime);

struct WrittenImage {
    std::filesystem::path path;  // absolute
    std::size_t bytes = 0;       // decoded size written
};

struct ImageWriteError {
    std::string message;  // one sentence naming the file or directory and the cause
};

using ImageWriteResult = std::variant<WrittenImage, ImageWriteError>;

// Writes `contents` to `dir`/<stem><-N>.<extension>, creating `dir` if needed: complete or not
// at all, never replacing a file (images, sidecars, frames, sheets, atlases, palettes). The stem
// is reduced to [A-Za-z0-9._-] (other characters become '_', leading dots and dashes are
// dropped, "image" if nothing is left) so a prompt-derived name cannot leave `dir`.
ImageWriteResult write_new_file(const std::filesystem::path& dir, std::string_view stem,
                                std::string_view extension, std::string_view contents);

}  // namespace rdmcp::tools
