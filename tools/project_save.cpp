#include "tools/project_save.h"

#include <cctype>
#include <chrono>

#include "protocol/tasks.h"
#include "tools/client_roots.h"

namespace rdmcp::tools {

namespace fs = std::filesystem;

namespace {
long long unix_now_ms_for_sidecar() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

using protocol::Json;

namespace {

constexpr std::size_t kMaxFilenameLength = 100;
constexpr std::size_t kMaxSaveToLength = 1024;

// A stem an engine imports without surprises: letters, digits, '_', '-', '.', not hidden.
std::optional<std::string> filename_problem(const std::string& name) {
    if (name.empty() || name.size() > kMaxFilenameLength) {
        return "'filename' must be 1-" + std::to_string(kMaxFilenameLength) + " characters";
    }
    if (name.front() == '.' || name.front() == '-') {
        return "'filename' may not start with '.' or '-'; send a name such as hero_idle";
    }
    for (const unsigned char c : name) {
        if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.')) {
            return "'filename' is a file name without folders or extension: letters, digits, "
                   "'_', '-' and '.' only (got \"" +
                   name.substr(0, 40) + "\"); put folders in save_to";
        }
    }
    return std::nullopt;
}

bool is_inside(const fs::path& path, const fs::path& base) {
    auto p = path.begin();
    for (auto b = base.begin(); b != base.end(); ++b, ++p) {
        if (b->empty()) continue;  // a trailing separator
        if (p == path.end() || *p != *b) return false;
    }
    return true;
}

// The path with every symlink of its existing part resolved.
fs::path resolved(const fs::path& path) {
    std::error_code ec;
    auto real = fs::weakly_canonical(path, ec);
    return ec ? path.lexically_normal() : real;
}

std::string bases_text(const std::vector<fs::path>& bases) {
    std::string text;
    for (const auto& base : bases) text += (text.empty() ? "" : ", ") + base.string();
    return text;
}

}  // namespace

bool is_save_argument(std::string_view name) {
    return name == kSaveToArgument || name == kFilenameArgument || name == kFramesArgument;
}

std::variant<SaveArguments, std::string> read_save_arguments(const Json& arguments,
                                                             bool local_files_allowed) {
    SaveArguments read;
    for (const char* name : {kSaveToArgument, kFilenameArgument}) {
        auto it = arguments.find(name);
        if (it == arguments.end() || it->is_null()) continue;
        if (!local_files_allowed) {
            return "'" + std::string(name) +
                   "' only works when the server runs locally over stdio (it saves into your "
                   "project); remove it: a hosted server returns the images in the answer";
        }
        if (!it->is_string()) return "'" + std::string(name) + "' must be a string";
        (name == std::string_view(kSaveToArgument) ? read.save_to : read.filename) =
            it->get<std::string>();
    }
    if (read.filename) {
        if (auto problem = filename_problem(*read.filename)) return *problem;
    }
    if (read.save_to && read.save_to->size() > kMaxSaveToLength) {
        return "'save_to' is at most " + std::to_string(kMaxSaveToLength) + " characters";
    }
    if (auto frames = arguments.find(kFramesArgument);
        frames != arguments.end() && !frames->is_null()) {
        if (!frames->is_boolean()) return "'frames' must be true or false";
        read.frames = frames->get<bool>();
    }
    return read;
}

void add_save_properties(Json& properties, bool local_files_allowed, bool with_frames) {
    if (with_frames)
        properties[kFramesArgument] = {
            {"type", "boolean"},
            {"description", "Animations: also each frame, and a sheet with a JSON atlas."}};
    if (!local_files_allowed) return;
    // What they do is said once, in the server instructions.
    properties[kSaveToArgument] = {{"type", "string"}, {"maxLength", kMaxSaveToLength}};
    properties[kFilenameArgument] = {{"type", "string"},
                                     {"maxLength", kMaxFilenameLength},
                                     {"pattern", "^[A-Za-z0-9_][A-Za-z0-9_.-]*$"}};
}

std::variant<fs::path, std::string> resolve_save_folder(std::string_view save_to,
                                                        const std::vector<fs::path>& bases) {
    if (bases.empty()) {
        return std::string(
            "there is no project folder to save into: the client shares no roots and the "
            "server has no --output-dir; start it with --output-dir <your project folder>");
    }
    if (save_to.find('\0') != std::string_view::npos) return std::string("'save_to' holds a NUL");
    const fs::path asked(save_to);
    for (const auto& part : asked) {
        if (part == "..") {
            return "'save_to' may not contain \"..\": name a folder inside " + bases_text(bases);
        }
    }
    const fs::path candidate =
        (asked.is_absolute() ? asked : bases.front() / asked).lexically_normal();
    for (const auto& base : bases) {
        const auto base_normal = base.lexically_normal();
        if (!is_inside(candidate, base_normal)) continue;
        // Lexically inside; now with symlinks resolved, so none leads out.
        if (!is_inside(resolved(candidate), resolved(base_normal))) {
            return "'save_to' leads out of " + base_normal.string() +
                   " through a symbolic link; name a folder inside it";
        }
        return candidate;
    }
    return "'save_to' " + std::string(save_to.substr(0, 200)) +
           " is outside the project folders this server may write to (" + bases_text(bases) +
           "); send a folder relative to them";
}

SavePreparation prepare_project_save(const SaveArguments& arguments,
                                     protocol::RequestContext& context, const ToolsConfig& config) {
    SavePreparation preparation;
    if (!arguments.into_project()) return preparation;
    const ClientRoots roots = client_roots(context);
    if (roots.must_ask) {
        protocol::ToolResult ask;
        ask.input_required = protocol::ToolResult::InputRequired{
            .input_requests = {{kRootsInputKey, roots_input_request()}}, .request_state = ""};
        preparation.ask = std::move(ask);
        return preparation;
    }
    preparation.roots_by_retry = roots.declared && !roots.folders.empty() &&
                                 context.input_responses.contains(kRootsInputKey);
    std::vector<fs::path> bases = roots.folders;
    if (!config.output_dir.empty()) {
        std::error_code ec;
        bases.push_back(fs::absolute(config.output_dir, ec).lexically_normal());
    }
    if (bases.empty() && !roots.problem.empty()) {
        preparation.refusal = "cannot save into the project: " + roots.problem +
                              ", and the server has no --output-dir";
        return preparation;
    }
    auto folder = resolve_save_folder(arguments.save_to.value_or(""), bases);
    if (auto* problem = std::get_if<std::string>(&folder)) {
        preparation.refusal = *problem;
        return preparation;
    }
    preparation.save = ProjectSave{std::get<fs::path>(folder), arguments.filename.value_or("")};
    return preparation;
}

namespace {

// Image arguments are not recorded (they are megabytes, and the file holds the result): the
// known image fields, and any long string, which can only be data.
bool is_recorded(const std::string& name, const Json& value) {
    static constexpr const char* kImages[] = {"input_image",   "extra_input_image", "mask_image",
                                              "input_palette", "reference_images",  "image"};
    for (const char* image : kImages) {
        if (name == image) return false;
    }
    if (name == kSaveToArgument || name == kFilenameArgument || name == "output_dir") return false;
    return !(value.is_string() && value.get_ref<const std::string&>().size() > 1024);
}

}  // namespace

SaveStep prepare_save(const std::string& tool, const Json& arguments,
                      protocol::RequestContext& context, const ToolsConfig& config) {
    SaveStep step;
    auto read = read_save_arguments(arguments, config.local_files_allowed);
    if (auto* problem = std::get_if<std::string>(&read)) {
        step.refusal = *problem;
        return step;
    }
    step.place = prepare_project_save(std::get<SaveArguments>(read), context, config);
    if (step.place.ask) {
        step.answer_now = std::move(step.place.ask);
        step.place.ask.reset();
        return step;
    }
    if (!step.place.refusal.empty()) {
        step.refusal = step.place.refusal;
        return step;
    }
    if (!step.place.save) return step;
    Json recorded = Json::object();
    for (const auto& [name, value] : arguments.items()) {
        if (is_recorded(name, value)) recorded[name] = value;
    }
    Json provenance = {{"tool", tool},
                       {"generator", "retrodiffusion-mcp"},
                       {"saved_at", protocol::iso8601_utc(unix_now_ms_for_sidecar())},
                       {"arguments", std::move(recorded)}};
    for (const char* field : {"prompt", "prompt_style", "width", "height", "seed", "tool_id"}) {
        if (arguments.contains(field)) provenance[field] = arguments[field];
    }
    step.plan = SavePlan{.folder = step.place.save->folder,
                         .stem = step.place.save->stem,
                         .sidecar = config.sidecars,
                         .provenance = std::move(provenance)};
    return step;
}

void ask_roots_again(protocol::ToolResult& result, const SavePreparation& preparation) {
    if (!preparation.roots_by_retry || !result.input_required) return;
    result.input_required->input_requests[kRootsInputKey] = roots_input_request();
}

}  // namespace rdmcp::tools
