#include "sim_lowpoly_files.h"

#include <cstdint>
#include <nlohmann/json.hpp>

#include "sim_checksums.h"

namespace rdsim {
namespace {

void put_le(std::string& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void put_be32(std::string& out, std::uint32_t value) {
    for (int i = 3; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

}  // namespace

std::string make_glb(const std::string& name, const std::vector<std::string>& animations) {
    nlohmann::json gltf = {{"asset", {{"version", "2.0"}, {"generator", "rd-sim"}}},
                           {"scene", 0},
                           {"scenes", {{{"name", name}, {"nodes", nlohmann::json::array()}}}}};
    if (!animations.empty()) {
        gltf["animations"] = nlohmann::json::array();
        for (const std::string& a : animations)
            gltf["animations"].push_back({{"name", a},
                                          {"channels", nlohmann::json::array()},
                                          {"samplers", nlohmann::json::array()}});
    }
    std::string chunk = gltf.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    while (chunk.size() % 4 != 0) chunk += ' ';  // JSON chunks are padded with spaces
    std::string out = "glTF";
    put_le(out, 2, 4);
    put_le(out, static_cast<std::uint32_t>(12 + 8 + chunk.size()), 4);
    put_le(out, static_cast<std::uint32_t>(chunk.size()), 4);
    out += "JSON";
    return out + chunk;
}

std::string make_bbmodel(const std::string& name) {
    const nlohmann::json model = {
        {"meta", {{"format_version", "4.5"}, {"model_format", "free"}, {"box_uv", false}}},
        {"name", name},
        {"elements", nlohmann::json::array()},
        {"outliner", nlohmann::json::array()},
        {"textures", nlohmann::json::array()}};
    return model.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out, directory;
    for (const auto& [name, bytes] : entries) {
        const std::uint32_t crc = crc32(bytes);
        const auto size = static_cast<std::uint32_t>(bytes.size());
        const auto offset = static_cast<std::uint32_t>(out.size());
        // Local file header: version 10, no flags, stored, no time.
        put_le(out, 0x04034b50, 4);
        put_le(out, 10, 2);
        put_le(out, 0, 2);
        put_le(out, 0, 2);
        put_le(out, 0, 4);
        put_le(out, crc, 4);
        put_le(out, size, 4);
        put_le(out, size, 4);
        put_le(out, static_cast<std::uint32_t>(name.size()), 2);
        put_le(out, 0, 2);
        out += name + bytes;
        // Its central directory record.
        put_le(directory, 0x02014b50, 4);
        put_le(directory, 20, 2);
        put_le(directory, 10, 2);
        put_le(directory, 0, 2);
        put_le(directory, 0, 2);
        put_le(directory, 0, 4);
        put_le(directory, crc, 4);
        put_le(directory, size, 4);
        put_le(directory, size, 4);
        put_le(directory, static_cast<std::uint32_t>(name.size()), 2);
        put_le(directory, 0, 2);  // extra
        put_le(directory, 0, 2);  // comment
        put_le(directory, 0, 2);  // disk
        put_le(directory, 0, 2);  // internal attributes
        put_le(directory, 0, 4);  // external attributes
        put_le(directory, offset, 4);
        directory += name;
    }
    const auto directory_at = static_cast<std::uint32_t>(out.size());
    out += directory;
    put_le(out, 0x06054b50, 4);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, static_cast<std::uint32_t>(entries.size()), 2);
    put_le(out, static_cast<std::uint32_t>(entries.size()), 2);
    put_le(out, static_cast<std::uint32_t>(directory.size()), 4);
    put_le(out, directory_at, 4);
    put_le(out, 0, 2);
    return out;
}

std::string make_mp4() {
    std::string out;
    put_be32(out, 24);
    out += "ftypisom";
    put_be32(out, 0x200);
    out += "isommp41";
    put_be32(out, 8);
    out += "mdat";
    return out;
}

}  // namespace rdsim
