#include "tools/generated_images.h"

#include <filesystem>

#include "common/base64.h"
#include "tools/api_fields.h"
#include "tools/image_info.h"
#include "tools/image_output.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

std::vector<std::string> strings_in(const Json& body, const char* field) {
    std::vector<std::string> values;
    if (auto it = body.find(field); it != body.end() && it->is_array()) {
        for (const auto& v : *it) {
            if (v.is_string()) values.push_back(v.get<std::string>());
        }
    }
    return values;
}

// The caller's name for image i: the name itself for a call's one image, name_N for a batch,
// name_<label> for the extra images the API appends (pre_palette, non_bg_removed).
std::string project_file_name(const SavePlan& plan, const std::string& default_stem,
                              const GeneratedImages& images, std::size_t index) {
    const std::string stem = plan.stem.empty() ? default_stem : plan.stem;
    if (images.base64_images.size() == 1) return stem;  // the one result, whatever its label
    const std::string& label = images.labels.at(index);
    if (label != "generated") return stem + "_" + label;
    std::size_t generated = 0;
    for (const auto& l : images.labels) generated += l == "generated";
    return generated == 1 ? stem : stem + "_" + std::to_string(index + 1);
}

// What a sidecar records of one image besides the call: which image, its size, what the API
// said of the call (cost, model, request id, when).
Json image_facts(const GeneratedImages& images, const Json& entry) {
    Json facts = {
        {"index", entry["index"]}, {"label", entry["label"]}, {"mime_type", entry["mime_type"]}};
    if (entry.contains("width")) facts["image_width"] = entry["width"];
    if (entry.contains("height")) facts["image_height"] = entry["height"];
    if (!images.model.empty()) facts["model"] = images.model;
    if (images.balance_cost) facts["cost"] = *images.balance_cost;
    if (images.request_id) facts["request_id"] = *images.request_id;
    if (images.created_at) facts["created_at"] = *images.created_at;
    return facts;
}

std::filesystem::path default_output_dir() {
    return std::filesystem::temp_directory_path() / "retrodiffusion-mcp";
}

}  // namespace

void from_json(const Json& answer, GeneratedImages& images) {
    // Whatever the API sent (a job's `result` may be anything): what is not there is left out.
    static const Json kNothing = Json::object();
    const Json& body = answer.is_object() ? answer : kNothing;
    images = GeneratedImages{};
    images.base64_images = strings_in(body, "base64_images");
    images.output_urls = strings_in(body, "output_urls");
    images.model = text_in(body, "model").value_or("");
    images.balance_cost = number_in(body, "balance_cost");
    images.remaining_balance = number_in(body, "remaining_balance");
    images.created_at = timestamp_in(body, "created_at");
    images.request_id = text_in(body, "request_id");
    if (auto data = body.find("downloadable_data"); data != body.end() && data->is_object()) {
        images.downloadable_data = *data;
    }
    const std::size_t count = std::max(images.base64_images.size(), images.output_urls.size());
    images.labels.assign(count, "generated");
}

void label_images(GeneratedImages& images, int expected_images, bool has_pre_palette,
                  bool has_non_bg_removed) {
    // The API appends the extra images after the requested ones, in the order documented.
    std::vector<std::string> extras;
    if (has_pre_palette) extras.push_back("pre_palette");
    if (has_non_bg_removed) extras.push_back("non_bg_removed");
    const std::size_t count = std::max(images.base64_images.size(), images.output_urls.size());
    images.labels.clear();
    for (std::size_t i = 0; i < count; ++i) {
        const auto extra = i >= static_cast<std::size_t>(expected_images)
                               ? i - static_cast<std::size_t>(expected_images)
                               : extras.size();
        images.labels.push_back(i < static_cast<std::size_t>(expected_images) ? "generated"
                                : extra < extras.size()                       ? extras[extra]
                                                                              : "extra");
    }
}

GeneratedImages read_inference_images(const Json& answer, int expected_images, bool has_pre_palette,
                                      bool has_non_bg_removed) {
    auto images = answer.get<GeneratedImages>();
    label_images(images, expected_images, has_pre_palette, has_non_bg_removed);
    return images;
}

protocol::ToolResult render_images(GeneratedImages images, const RenderRequest& request,
                                   const ToolsConfig& config) {
    std::size_t total_bytes = 0;
    for (const auto& b64 : images.base64_images) total_bytes += base64_decoded_size(b64);

    const bool over_budget = total_bytes > config.inline_image_budget_bytes;
    std::string save_dir = !request.output_dir.empty() ? request.output_dir : config.output_dir;
    if (save_dir.empty() && over_budget && config.local_files_allowed) {
        save_dir = default_output_dir().string();
    }
    const bool inline_images = !over_budget;

    protocol::ToolResult result;
    Json described = Json::array();
    Json frame_content = Json::array();  // sheets and atlases for callers we save nothing for
    std::string details, problems;
    for (std::size_t i = 0; i < images.base64_images.size(); ++i) {
        const std::string& b64 = images.base64_images[i];
        auto info = read_base64_image_info(b64);
        const std::string mime = info ? info->mime_type : "image/png";
        Json entry = {{"index", i},
                      {"label", images.labels.at(i)},
                      {"mime_type", mime},
                      {"bytes", base64_decoded_size(b64)}};
        if (info) {
            entry["width"] = info->width;
            entry["height"] = info->height;
        }
        if (request.save || !save_dir.empty()) {
            const auto bytes = base64_decode(b64);
            if (!bytes) {
                problems += " image " + std::to_string(i + 1) + " is not valid base64.";
            } else {
                const std::string stem =
                    request.save ? project_file_name(*request.save, request.file_stem, images, i)
                                 : request.file_stem + "-" + std::to_string(i + 1);
                const Json facts = image_facts(images, entry);
                auto saved = save_project_image(
                    request.save ? request.save->folder : std::filesystem::path(save_dir), stem,
                    *bytes, mime,
                    request.save && request.save->sidecar ? &request.save->provenance : nullptr,
                    facts, request.frames);
                if (images.downloadable_data && i == 0 && mime == "image/png") {
                    save_sheet_items(
                        request.save ? request.save->folder : std::filesystem::path(save_dir),
                        saved.fields.contains("path")
                            ? std::filesystem::path(saved.fields["path"].get<std::string>())
                                  .stem()
                                  .string()
                            : stem,
                        *bytes, *images.downloadable_data, saved);
                }
                entry.update(saved.fields);
                problems += saved.problems;
            }
        } else if (images.downloadable_data && i == 0 && mime == "image/png") {
            // An item sheet: each item as its own picture (nothing of ours to save it to).
            if (const auto bytes = base64_decode(b64)) {
                sheet_items_as_content(*bytes, *images.downloadable_data, frame_content);
            }
        }
        if (!request.save && save_dir.empty() && request.frames.wanted &&
            images.labels.at(i) == "generated") {
            const auto bytes = base64_decode(b64);
            const std::string problem =
                bytes ? frames_as_content(*bytes, mime, request.frames,
                                          request.file_stem + "-" + std::to_string(i + 1),
                                          frame_content)
                      : std::string("not valid base64");
            if (!problem.empty())
                problems += " No frames for image " + std::to_string(i + 1) + ": " + problem + ".";
        }
        if (i < images.output_urls.size()) entry["url"] = images.output_urls[i];

        details +=
            "\n- #" + std::to_string(i + 1) + " " + entry["label"].get<std::string>() + " " + mime;
        // Appended, not `" " + std::to_string(...)`: GCC 12 at -O3 warns falsely (-Wrestrict) about
        // a literal + std::string&& (GCC bugs 105329, 105651).
        if (info) {
            details += ' ';
            details += std::to_string(info->width);
            details += 'x';
            details += std::to_string(info->height);
        }
        details += ", " + std::to_string(entry["bytes"].get<std::size_t>()) + " bytes" +
                   (entry.contains("path") ? ", saved to " + entry["path"].get<std::string>() : "");
        described.push_back(std::move(entry));
    }
    // Hosted outputs only (upload_outputs): links instead of data.
    for (std::size_t i = images.base64_images.size(); i < images.output_urls.size(); ++i) {
        described.push_back(
            {{"index", i}, {"label", images.labels.at(i)}, {"url", images.output_urls[i]}});
        details += "\n- #" + std::to_string(i + 1) + " " + images.labels.at(i) + " at " +
                   images.output_urls[i];
    }

    std::string text = request.headline + ".";
    if (images.balance_cost) text += " Cost " + format_usd(*images.balance_cost) + ".";
    if (images.remaining_balance)
        text += " Remaining balance " + format_usd(*images.remaining_balance) + ".";
    if (images.request_id) {
        text += " Request id " + *images.request_id +
                " (get_inference_result recovers these outputs for 24 hours).";
    }
    text += details;
    if (over_budget) {
        text +=
            "\nThe images total " + std::to_string(total_bytes) +
            " bytes, over the inline budget of " +
            std::to_string(config.inline_image_budget_bytes) +
            " bytes, so they are not included inline" +
            (config.local_files_allowed ? ": use the saved files."
                                        : ": pass upload_outputs: true to receive hosted links.");
    }
    if (!problems.empty()) text += "\nNot everything was saved:" + problems;
    result.add_text(std::move(text));

    if (inline_images) {
        for (std::size_t i = 0; i < images.base64_images.size(); ++i) {
            result.content.push_back({{"type", "image"},
                                      {"data", std::move(images.base64_images[i])},
                                      {"mimeType", described[i]["mime_type"]}});
        }
    }
    for (const auto& entry : described) {
        if (entry.contains("url")) {
            result.content.push_back(
                {{"type", "resource_link"},
                 {"uri", entry["url"]},
                 {"name", "image-" + std::to_string(entry["index"].get<int>() + 1)},
                 {"mimeType", entry.value("mime_type", "image/png")}});
        } else if (entry.contains("path")) {
            // Saved to disk: linked even when the image is inline too, so the client can
            // open, attach or show the file itself.
            result.content.push_back(
                {{"type", "resource_link"},
                 {"uri", "file://" + entry["path"].get<std::string>()},
                 {"name",
                  std::filesystem::path(entry["path"].get<std::string>()).filename().string()},
                 {"mimeType", entry["mime_type"]}});
        }
    }

    for (auto& block : frame_content) result.content.push_back(std::move(block));

    Json structured = {{"images", std::move(described)}, {"inline", inline_images}};
    if (!images.model.empty()) structured["model"] = images.model;
    if (images.balance_cost) structured["balance_cost"] = *images.balance_cost;
    if (images.remaining_balance) structured["remaining_balance"] = *images.remaining_balance;
    if (images.created_at) structured["created_at"] = *images.created_at;
    if (images.request_id) structured["request_id"] = *images.request_id;
    if (images.downloadable_data)
        structured["downloadable_data"] = std::move(*images.downloadable_data);
    result.structured_content = std::move(structured);
    return result;
}

Json images_output_schema() {
    Json image = {
        {"type", "object"},
        {"properties",
         {{"index", {{"type", "integer"}}},
          {"label",
           {{"type", "string"},
            {"description", "generated, pre_palette, non_bg_removed or extra"}}},
          {"mime_type", {{"type", "string"}}},
          {"width", {{"type", "integer"}}},
          {"height", {{"type", "integer"}}},
          {"bytes", {{"type", "integer"}}},
          {"path", {{"type", "string"}, {"description", "Where the image was saved."}}},
          {"sidecar",
           {{"type", "string"}, {"description", "Its .rd.json: how it was made (save_to)."}}},
          {"frames",
           {{"type", "array"},
            {"items", {{"type", "string"}}},
            {"description", "Each frame's PNG (frames: true)."}}},
          {"sheet", {{"type", "string"}, {"description", "The frames in one PNG."}}},
          {"atlas", {{"type", "string"}, {"description", "The sheet's JSON-hash atlas."}}},
          {"items",
           {{"type", "array"},
            {"items", {{"type", "string"}}},
            {"description", "An item sheet's items, each cut into its own PNG."}}},
          {"url", {{"type", "string"}, {"description", "Hosted copy (upload_outputs)."}}}}},
        {"required", {"index", "label"}}};
    return {{"type", "object"},
            {"properties",
             {{"images", {{"type", "array"}, {"items", image}}},
              {"inline",
               {{"type", "boolean"},
                {"description", "Whether the images are in the content as image data."}}},
              {"model", {{"type", "string"}}},
              {"balance_cost", {{"type", "number"}, {"description", "USD charged"}}},
              {"remaining_balance", {{"type", "number"}, {"description", "USD left"}}},
              {"created_at", {{"type", "string"}, {"description", "ISO 8601 (UTC)"}}},
              {"request_id",
               {{"type", "string"},
                {"description", "API Activity id: get_inference_result recovers the outputs."}}},
              {"downloadable_data", {{"type", "object"}}}}},
            {"required", {"images", "inline"}}};
}

}  // namespace rdmcp::tools
