#include "tools/image_output.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

using namespace rdmcp;
using namespace rdmcp::tools;
using rdmcp::testing::TempDir;
namespace fs = std::filesystem;

namespace {

WrittenImage written(const ImageWriteResult& result) {
    if (auto* error = std::get_if<ImageWriteError>(&result))
        FAIL("unexpected error: ", error->message);
    return std::get<WrittenImage>(result);
}

std::string failed(const ImageWriteResult& result) {
    if (std::holds_alternative<WrittenImage>(result))
        FAIL("written to ", std::get<WrittenImage>(result).path);
    return std::get<ImageWriteError>(result).message;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        names.insert(entry.path().filename().string());
    return names;
}

const std::string kPixels = std::string("\x89PNG\r\n\x1a\n", 8) + "pretend pixels";

}  // namespace

TEST_CASE("extensions for the API's MIME types") {
    CHECK(image_file_extension("image/png") == "png");
    CHECK(image_file_extension("image/gif") == "gif");
    CHECK(image_file_extension("image/jpeg") == "jpg");
    CHECK(image_file_extension("image/webp") == "webp");
    CHECK(image_file_extension("IMAGE/PNG; charset=binary") == "png");
    CHECK(image_file_extension("application/octet-stream") == "bin");
    CHECK(image_file_extension("") == "bin");
}

TEST_CASE("a file is written into the directory under its stem") {
    TempDir dir;
    const auto image = written(write_new_file(dir.path, "knight", "png", kPixels));
    CHECK(image.path == dir.path / "knight.png");
    CHECK(image.path.is_absolute());
    CHECK(image.bytes == kPixels.size());
    CHECK(read_file(image.path) == kPixels);
    CHECK(names_in(dir.path) == std::set<std::string>{"knight.png"});  // no temporary left behind
}

TEST_CASE("existing files are never replaced: -1, -2 ... are added") {
    TempDir dir;
    const auto first = written(write_new_file(dir.path, "walk", "gif", kPixels));
    const auto second = written(write_new_file(dir.path, "walk", "gif", "second"));
    const auto third = written(write_new_file(dir.path, "walk", "gif", kPixels));
    CHECK(first.path.filename() == "walk.gif");
    CHECK(second.path.filename() == "walk-1.gif");
    CHECK(third.path.filename() == "walk-2.gif");
    CHECK(read_file(first.path) == kPixels);
    CHECK(read_file(second.path) == "second");
}

TEST_CASE("concurrent writers with the same stem all get their own file") {
    TempDir dir;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&dir, t] {
            for (int i = 0; i < 5; ++i) {
                write_new_file(dir.path, "same", "png", std::to_string(t * 10 + i));
            }
        });
    }
    for (auto& thread : threads) thread.join();
    const auto names = names_in(dir.path);
    CHECK(names.size() == 40);
    std::set<std::string> contents;
    for (const auto& name : names) contents.insert(read_file(dir.path / name));
    CHECK(contents.size() == 40);  // nothing overwritten
}

TEST_CASE("missing directories are created; relative ones become absolute") {
    TempDir dir;
    const auto nested = dir.path / "a" / "b" / "c/";
    const auto image = written(write_new_file(nested, "x", "webp", kPixels));
    CHECK(image.path == dir.path / "a" / "b" / "c" / "x.webp");

    const auto cwd = fs::current_path();
    fs::current_path(dir.path);
    const auto relative = write_new_file("out", "y", "png", kPixels);
    fs::current_path(cwd);
    CHECK(written(relative).path == dir.path / "out" / "y.png");
}

TEST_CASE("stems cannot leave the directory or hide the file") {
    TempDir dir;
    const auto escaped = written(write_new_file(dir.path, "../../etc/passwd", "png", kPixels));
    CHECK(escaped.path.parent_path() == dir.path);
    CHECK(escaped.path.filename() == "_.._etc_passwd.png");
    CHECK(written(write_new_file(dir.path, ".hidden", "png", kPixels)).path.filename() ==
          "hidden.png");
    CHECK(written(write_new_file(dir.path, "", "png", kPixels)).path.filename() == "image.png");
    CHECK(written(write_new_file(dir.path, "a knight, walking", "png", kPixels)).path.filename() ==
          "a_knight__walking.png");
    const auto long_stem = written(write_new_file(dir.path, std::string(500, 's'), "png", kPixels));
    CHECK(long_stem.path.filename().string().size() == 80 + 4);
}

TEST_CASE("errors name the cause") {
    TempDir dir;
    const auto file = dir.path / "plain-file";
    std::ofstream(file) << "x";
    CHECK(failed(write_new_file(file, "x", "png", kPixels)).find("not a directory") !=
          std::string::npos);
    CHECK(failed(write_new_file(file / "sub", "x", "png", kPixels))
              .find("cannot create the output directory") != std::string::npos);

    if (::geteuid() != 0) {  // root ignores permissions
        const auto locked = dir.path / "locked";
        fs::create_directory(locked);
        fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
        const auto message = failed(write_new_file(locked, "x", "png", kPixels));
        CHECK(message.find("Permission denied") != std::string::npos);
        fs::permissions(locked, fs::perms::owner_all);
    }
}
