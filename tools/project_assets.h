#pragma once
// Writes one generated image into the project as a game wants it: the image under the name the
// caller chose, a .rd.json sidecar saying how it was made (so it can be regenerated or traced),
// and for animations (frames: true) each frame, a sheet and its atlas. Nothing is overwritten.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

// Where and how a call's images are saved (made before paying, see tools/project_save.h).
struct SavePlan {
    std::filesystem::path folder;
    std::string stem;           // the caller's filename; empty: the tool's own stem
    bool sidecar = true;        // --no-sidecar turns it off
    protocol::Json provenance;  // the call: tool, arguments without images, ...
};

// What to cut an animation into (frames: true).
struct FrameRequest {
    bool wanted = false;
    int frame_width = 0, frame_height = 0;  // a PNG spritesheet's frame size (the request's size)
};

// What was written, for the image's structured entry (path, sidecar, frames, sheet, atlas) and
// the problems met (each a sentence; the image itself may still have been saved).
struct SavedAsset {
    protocol::Json fields = protocol::Json::object();
    std::string problems;
};

// `bytes`: the decoded image; `facts`: what the sidecar adds for this image (index, label,
// cost, model, request id, created_at).
SavedAsset save_project_image(const std::filesystem::path& folder, const std::string& stem,
                              std::string_view bytes, std::string_view mime,
                              const protocol::Json* provenance, const protocol::Json& facts,
                              const FrameRequest& frames);

// An item sheet's items (tools/item_sheet.h), each as <stem>_item_<id>_<name>.png beside the
// sheet; adds their paths to `saved.fields["items"]`.
void save_sheet_items(const std::filesystem::path& folder, const std::string& stem,
                      std::string_view png, const protocol::Json& downloadable_data,
                      SavedAsset& saved);

// The same items as image content (at most kMaxItemsInline), for callers we save nothing for.
inline constexpr std::size_t kMaxItemsInline = 32;
void sheet_items_as_content(std::string_view png, const protocol::Json& downloadable_data,
                            protocol::Json& content);

// For a caller whose files are not ours to write (HTTP, or no save): the sheet as image
// content and the atlas as an embedded resource; appended to `content`. Or why not.
std::string frames_as_content(std::string_view bytes, std::string_view mime,
                              const FrameRequest& frames, const std::string& stem,
                              protocol::Json& content);

}  // namespace rdmcp::tools
