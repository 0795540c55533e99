#include "tools/toolsets.h"

#include <array>
#include <utility>

namespace rdmcp::tools {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kGroups = {{
    {"create_inference", "generate"},
    {"estimate_inference_cost", "generate"},
    {"start_inference_job", "jobs"},
    {"get_inference_job", "jobs"},
    {"list_inference_jobs", "jobs"},
    {"get_inference_result", "jobs"},
    {"edit_image", "edit"},
    {"list_edit_tools", "edit"},
    {"estimate_edit_tool_cost", "edit"},
    {"run_edit_tool", "edit"},
    {"fix_pixel_art", "edit"},
    {"extract_palette", "edit"},
    {"list_available_styles", "styles"},
    {"list_available_models", "styles"},
    {"get_style_usage", "styles"},
    {"create_user_style", "styles"},
    {"update_user_style", "styles"},
    {"delete_user_style", "styles"},
    {"get_balance", kAlwaysOnToolset},
    {"get_service_status", kAlwaysOnToolset},
    {"authenticate", kAlwaysOnToolset},
    {"logout", kAlwaysOnToolset},
}};

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

}  // namespace

const std::vector<std::string>& toolset_names() {
    static const std::vector<std::string> names = {"generate", "jobs", "edit", "styles", "lowpoly"};
    return names;
}

std::optional<std::string_view> toolset_of(std::string_view tool) {
    for (const auto& [name, group] : kGroups) {
        if (name == tool) return group;
    }
    // The Low-Poly tools are one family, named so.
    if (tool.find("lowpoly") != std::string_view::npos) return "lowpoly";
    return std::nullopt;
}

std::optional<std::set<std::string>> parse_toolsets(std::string_view list, std::string& problem) {
    std::set<std::string> chosen;
    std::string all;
    for (const auto& name : toolset_names()) all += (all.empty() ? "" : ", ") + name;
    while (true) {
        const auto comma = list.find(',');
        const std::string_view word = trimmed(list.substr(0, comma));
        if (word == "all") {
            chosen.insert(toolset_names().begin(), toolset_names().end());
        } else if (!word.empty()) {
            bool known = false;
            for (const auto& name : toolset_names()) known |= name == word;
            if (!known) {
                problem = "--toolsets: unknown group \"" + std::string(word.substr(0, 40)) +
                          "\"; choose from " + all + " (or all)";
                return std::nullopt;
            }
            chosen.insert(std::string(word));
        }
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    if (chosen.empty()) {
        problem = "--toolsets needs at least one group: " + all + " (or all)";
        return std::nullopt;
    }
    return chosen;
}

}  // namespace rdmcp::tools
