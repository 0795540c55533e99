#pragma once
// Saving a tool's images into the user's game project (stdio): `save_to`, a folder relative to a
// client root (or under --output-dir), and `filename`, the files' stem. The folder must stay
// inside a root or --output-dir: no "..", no absolute path elsewhere, no symlink leading out.
// Decided before anything is paid, so a refused place costs nothing.
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/json_rpc.h"
#include "protocol/request_context.h"
#include "protocol/tool.h"
#include "tools/project_assets.h"
#include "tools/tools_config.h"

namespace rdmcp::tools {

inline constexpr const char* kSaveToArgument = "save_to";
inline constexpr const char* kFilenameArgument = "filename";
inline constexpr const char* kFramesArgument = "frames";

struct SaveArguments {
    std::optional<std::string> save_to;
    std::optional<std::string> filename;
    bool frames = false;  // animations: also each frame, a sheet and its atlas

    bool into_project() const { return save_to.has_value() || filename.has_value(); }
};

// Reads save_to, filename and frames; save_to and filename only where local files are allowed
// (stdio). Either the arguments or what is wrong with them.
std::variant<SaveArguments, std::string> read_save_arguments(const protocol::Json& arguments,
                                                             bool local_files_allowed);

// Adds the properties to a tool's inputSchema: save_to and filename on stdio only, frames where
// the tool makes animations.
void add_save_properties(protocol::Json& properties, bool local_files_allowed,
                         bool with_frames = true);

// Whether `name` is one of ours (never sent to the API).
bool is_save_argument(std::string_view name);

// The folder `save_to` names inside the first of `bases` ("" or "." is the base itself), or an
// absolute folder inside any of them; symlinks resolved, so none leads out. Or why not.
std::variant<std::filesystem::path, std::string> resolve_save_folder(
    std::string_view save_to, const std::vector<std::filesystem::path>& bases);

struct ProjectSave {
    std::filesystem::path folder;  // absolute, inside a root or --output-dir
    std::string stem;              // `filename`, or empty: the tool's own stem
};

// Where a call's images go, decided before paying.
struct SavePreparation {
    std::optional<ProjectSave> save;          // nothing: save as before (output_dir, --output-dir)
    std::optional<protocol::ToolResult> ask;  // 2026-07-28: answer this input_required first
    std::string refusal;                      // non-empty: refuse the call with it
    bool roots_by_retry = false;  // the roots came in inputResponses: ask again beside any
                                  // later input request, or the retry after it lacks them
};

SavePreparation prepare_project_save(const SaveArguments& arguments,
                                     protocol::RequestContext& context, const ToolsConfig& config);

// A tool's whole save step, before it pays: save_to/filename read from `arguments`, the place
// settled (the client's roots asked when needed), and the plan whose sidecars record `tool` and
// the arguments but images.
struct SaveStep {
    std::optional<SavePlan> plan;
    SavePreparation place;                           // for ask_roots_again
    std::optional<protocol::ToolResult> answer_now;  // the roots question (2026-07-28)
    std::string refusal;                             // refuse the call with it
};
SaveStep prepare_save(const std::string& tool, const protocol::Json& arguments,
                      protocol::RequestContext& context, const ToolsConfig& config);

// Puts the roots question beside a later input request (the spend guard's confirmation), so
// the retry that answers it still carries the roots.
void ask_roots_again(protocol::ToolResult& result, const SavePreparation& preparation);

}  // namespace rdmcp::tools
