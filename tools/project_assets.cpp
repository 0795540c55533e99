#include "tools/project_assets.h"

#include "common/base64.h"
#include "tools/animation_frames.h"
#include "tools/image_codec.h"
#include "tools/image_output.h"
#include "tools/item_sheet.h"

namespace rdmcp::tools {

namespace fs = std::filesystem;
using protocol::Json;

namespace {

std::string file_stem_of(const fs::path& path) {
    std::string name = path.filename().string();
    return name.substr(0, name.rfind('.'));
}

// A stem none of whose frame, sheet or atlas files exist yet, so the atlas can name them as
// they are written (the writer still never replaces a file that appears meanwhile).
std::string free_frames_stem(const fs::path& folder, const std::string& stem, const Json& atlas) {
    for (int suffix = 0; suffix < 1000; ++suffix) {
        const std::string candidate = suffix ? stem + "-" + std::to_string(suffix) : stem;
        bool taken = fs::exists(folder / (candidate + "_sheet.png")) ||
                     fs::exists(folder / (candidate + "_sheet.json"));
        for (auto it = atlas["frames"].begin(); !taken && it != atlas["frames"].end(); ++it) {
            taken = fs::exists(folder / (candidate + it.key().substr(stem.size())));
        }
        if (!taken) return candidate;
    }
    return stem + "-frames";
}

// Writes the frames, the sheet and the atlas; adds where to `fields`.
void save_frames(const fs::path& folder, const std::string& image_stem, std::string_view bytes,
                 std::string_view mime, const FrameRequest& request, SavedAsset& saved) {
    auto made =
        animation_frames(bytes, mime, request.frame_width, request.frame_height, image_stem);
    if (auto* problem = std::get_if<std::string>(&made)) {
        saved.problems += " No frames: " + *problem + ".";
        return;
    }
    auto& frames = std::get<AnimationFrames>(made);
    const std::string stem = free_frames_stem(folder, image_stem, frames.atlas);
    Json renamed = Json::object();
    Json paths = Json::array();
    std::size_t index = 0;
    for (auto& [name, frame] : frames.atlas["frames"].items()) {
        const std::string file = stem + name.substr(image_stem.size());
        auto written = write_new_file(folder, file.substr(0, file.size() - 4), "png",
                                      frames.frame_pngs.at(index++));
        if (auto* error = std::get_if<ImageWriteError>(&written)) {
            saved.problems += " " + error->message + ".";
            return;
        }
        paths.push_back(std::get<WrittenImage>(written).path.string());
        renamed[std::get<WrittenImage>(written).path.filename().string()] = frame;
    }
    auto sheet = write_new_file(folder, stem + "_sheet", "png", frames.sheet_png);
    if (auto* error = std::get_if<ImageWriteError>(&sheet)) {
        saved.problems += " " + error->message + ".";
        return;
    }
    frames.atlas["frames"] = std::move(renamed);
    frames.atlas["meta"]["image"] = std::get<WrittenImage>(sheet).path.filename().string();
    auto atlas = write_new_file(folder, stem + "_sheet", "json", frames.atlas.dump(2));
    if (auto* error = std::get_if<ImageWriteError>(&atlas)) {
        saved.problems += " " + error->message + ".";
        return;
    }
    saved.fields["frames"] = std::move(paths);
    saved.fields["sheet"] = std::get<WrittenImage>(sheet).path.string();
    saved.fields["atlas"] = std::get<WrittenImage>(atlas).path.string();
}

}  // namespace

SavedAsset save_project_image(const fs::path& folder, const std::string& stem,
                              std::string_view bytes, std::string_view mime, const Json* provenance,
                              const Json& facts, const FrameRequest& frames) {
    SavedAsset saved;
    auto written = write_new_file(folder, stem, image_file_extension(mime), bytes);
    if (auto* error = std::get_if<ImageWriteError>(&written)) {
        saved.problems = " " + error->message + ".";
        return saved;
    }
    const fs::path path = std::get<WrittenImage>(written).path;
    saved.fields["path"] = path.string();
    const std::string saved_stem = file_stem_of(path);
    if (provenance) {
        Json sidecar = *provenance;
        sidecar.update(facts);
        sidecar["file"] = path.filename().string();
        auto record = write_new_file(folder, saved_stem, "rd.json", sidecar.dump(2) + "\n");
        if (auto* error = std::get_if<ImageWriteError>(&record)) {
            saved.problems += " " + error->message + ".";
        } else {
            saved.fields["sidecar"] = std::get<WrittenImage>(record).path.string();
        }
    }
    if (frames.wanted) save_frames(folder, saved_stem, bytes, mime, frames, saved);
    return saved;
}

void save_sheet_items(const fs::path& folder, const std::string& stem, std::string_view png,
                      const Json& downloadable_data, SavedAsset& saved) {
    auto sheet = decode_png(png);
    if (!std::holds_alternative<RgbaImage>(sheet)) return;  // not a PNG: nothing to cut
    Json paths = Json::array();
    for (const auto& item : slice_items(std::get<RgbaImage>(sheet), downloadable_data)) {
        auto written =
            write_new_file(folder, stem + "_item_" + std::to_string(item.id) + "_" + item.slug,
                           "png", encode_png(item.image));
        if (auto* error = std::get_if<ImageWriteError>(&written)) {
            saved.problems += " " + error->message + ".";
            return;
        }
        paths.push_back(std::get<WrittenImage>(written).path.string());
    }
    if (!paths.empty()) saved.fields["items"] = std::move(paths);
}

void sheet_items_as_content(std::string_view png, const Json& downloadable_data, Json& content) {
    auto sheet = decode_png(png);
    if (!std::holds_alternative<RgbaImage>(sheet)) return;
    const auto items = slice_items(std::get<RgbaImage>(sheet), downloadable_data);
    for (std::size_t i = 0; i < items.size() && i < kMaxItemsInline; ++i) {
        content.push_back({{"type", "image"},
                           {"data", base64_encode(encode_png(items[i].image))},
                           {"mimeType", "image/png"}});
    }
}

std::string frames_as_content(std::string_view bytes, std::string_view mime,
                              const FrameRequest& frames, const std::string& stem, Json& content) {
    auto made = animation_frames(bytes, mime, frames.frame_width, frames.frame_height, stem);
    if (auto* problem = std::get_if<std::string>(&made)) return *problem;
    auto& animation = std::get<AnimationFrames>(made);
    content.push_back({{"type", "image"},
                       {"data", base64_encode(animation.sheet_png)},
                       {"mimeType", "image/png"}});
    content.push_back({{"type", "resource"},
                       {"resource",
                        {{"uri", "rd://atlas/" + stem + "_sheet.json"},
                         {"mimeType", "application/json"},
                         {"text", animation.atlas.dump(2)}}}});
    return "";
}

}  // namespace rdmcp::tools
