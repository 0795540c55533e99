#include "tools/rd_resources.h"

#include "tools/inference_jobs.h"
#include "tools/prompting_guide.h"
#include "tools/style_descriptions.h"

namespace rdmcp::tools {

using protocol::CacheHint;
using protocol::CacheScope;
using protocol::Json;
using protocol::ResourceContents;
using protocol::ResourceProblem;

namespace {

constexpr long long kStaticTtlMs = 3'600'000;        // the guide and built-in catalog: per release
constexpr long long kLiveCatalogTtlMs = 300'000;     // as LiveStyleCatalog caches the selector
constexpr long long kBuiltInFallbackTtlMs = 60'000;  // the selector failed: ask again soon
constexpr long long kFinishedJobTtlMs = 600'000;     // a finished job's answer does not change

// How long a caller may keep what this view says, and whether it is theirs alone (their user
// styles, from their key) or the same for everyone (the built-in catalog).
CacheHint catalog_cache(const CatalogView& view, bool has_key) {
    if (view.source == CatalogSource::BuiltIn) {
        return {has_key ? kBuiltInFallbackTtlMs : kStaticTtlMs, CacheScope::Public};
    }
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now() - view.fetched_at)
                         .count();
    return {std::max<long long>(0, kLiveCatalogTtlMs - age), CacheScope::Private};
}

CatalogView view_for(const StylesPtr& styles, protocol::RequestContext& context) {
    if (!styles) return CatalogView{.note = "this server was built without the live catalog"};
    return styles->current(context);
}

protocol::ResourceRead read_catalog(const StylesPtr& styles, protocol::RequestContext& context) {
    const CatalogView view = view_for(styles, context);
    Json entries = Json::array();
    for (const auto& style : view.styles()) entries.push_back(style_entry_json(style));
    Json catalog = {{"count", entries.size()},
                    {"source", to_string(view.source)},
                    {"styles", std::move(entries)},
                    {"usage_template", kStyleTemplate}};
    if (view.source != CatalogSource::BuiltIn) catalog["fetched_at"] = iso_utc(view.fetched_at);
    if (!view.note.empty()) catalog["note"] = view.note;
    return ResourceContents::text(kStylesUri, "application/json", catalog.dump(2),
                                  catalog_cache(view, !context.api_key.empty()));
}

protocol::ResourceRead read_style(const StylesPtr& styles, const std::string& uri,
                                  const std::string& prompt_style,
                                  protocol::RequestContext& context) {
    const CatalogView view = view_for(styles, context);
    const auto style = view.find(prompt_style);
    if (!style) {
        return ResourceProblem{ResourceProblem::Kind::NotFound,
                               "No style " + prompt_style +
                                   " in this caller's catalog; read rd://styles for the ids "
                                   "(with an API key it has your user styles too)"};
    }
    const auto [width, height] = default_usage_size(*style);
    Json page = style_usage_json(*style, width, height, 1, to_string(view.source));
    page["price_rule"] = page["price"]["formula"];
    return ResourceContents::text(uri, "application/json", page.dump(2),
                                  catalog_cache(view, !context.api_key.empty()));
}

std::string task_status_name(protocol::TaskStatus status) {
    switch (status) {
        case protocol::TaskStatus::Working:
            return "working";
        case protocol::TaskStatus::InputRequired:
            return "input_required";
        case protocol::TaskStatus::Completed:
            return "completed";
        case protocol::TaskStatus::Cancelled:
            return "cancelled";
        case protocol::TaskStatus::Failed:
            return "failed";
    }
    return "working";
}

// A job as a resource: a JSON page (status, and when done, what the tool call would have
// answered: its text, structured result and links) followed by each image as a blob.
ResourceContents job_contents(const std::string& uri, const protocol::Task& task) {
    Json page = {{"job_id", task.task_id},
                 {"status", task_status_name(task.status)},
                 {"created_at", task.created_at},
                 {"last_updated_at", task.last_updated_at}};
    ResourceContents read;
    read.cache = {0, CacheScope::Private};
    if (task.status == protocol::TaskStatus::Working) {
        page["message"] = "The job goes on; read " + uri + " again in a few seconds.";
        if (task.poll_interval_ms) page["poll_interval_ms"] = *task.poll_interval_ms;
    } else if (!task.status_message.empty()) {
        page["message"] = task.status_message;
    }
    std::vector<Json> images;
    if (task.result) {
        const Json& result = *task.result;
        std::string summary;
        Json links = Json::array();
        for (const auto& item : result.value("content", Json::array())) {
            const std::string type = item.value("type", "");
            if (type == "text") {
                summary += (summary.empty() ? "" : "\n") + item.value("text", "");
            } else if (type == "image") {
                images.push_back({{"uri", uri},
                                  {"mimeType", item.value("mimeType", "image/png")},
                                  {"blob", item.value("data", "")}});
            } else if (type == "resource_link") {
                links.push_back(item);
            }
        }
        if (result.value("isError", false)) page["status"] = "failed";
        if (!summary.empty()) page["summary"] = summary;
        if (!links.empty()) page["links"] = std::move(links);
        if (auto structured = result.find("structuredContent"); structured != result.end()) {
            page["result"] = *structured;
        }
        page["images_attached"] = images.size();
    }
    if (task.error) page["error"] = task.error->message;
    if (task.status != protocol::TaskStatus::Working) read.cache.ttl_ms = kFinishedJobTtlMs;
    read.contents.push_back(
        {{"uri", uri}, {"mimeType", "application/json"}, {"text", page.dump(2)}});
    for (auto& image : images) read.contents.push_back(std::move(image));
    return read;
}

protocol::ResourceRead read_job(const std::shared_ptr<const protocol::TaskProvider>& tasks,
                                const std::string& uri, const std::string& job_id,
                                protocol::RequestContext& context) {
    if (context.api_key.empty()) {
        return ResourceProblem{ResourceProblem::Kind::NotFound,
                               "A job is read with the API key that started it, and this "
                               "request has none (set RD_API_KEY or the Authorization header)"};
    }
    auto task = tasks->get(job_id, context);
    if (auto* error = std::get_if<protocol::RpcError>(&task)) {
        return ResourceProblem{ResourceProblem::Kind::NotFound,
                               error->message + "; list_inference_jobs lists your jobs"};
    }
    return job_contents(uri, std::get<protocol::Task>(task));
}

}  // namespace

std::string job_uri(const std::string& job_id) {
    static const protocol::UriTemplate jobs(kJobTemplate);
    return jobs.expand(job_id);
}

Json job_resource_link(const std::string& job_id) {
    return {{"type", "resource_link"},
            {"uri", job_uri(job_id)},
            {"name", "job"},
            {"title", "The job's status and, when done, its result"},
            {"mimeType", "application/json"}};
}

std::vector<std::string> style_ids_for(const StylesPtr& styles, const std::string& api_key) {
    const CatalogView view = styles ? styles->cached(api_key) : CatalogView{};
    std::vector<std::string> ids;
    ids.reserve(view.styles().size());
    for (const auto& style : view.styles()) ids.push_back(style.id);
    return ids;
}

protocol::ResourceRegistry make_resources(StylesPtr styles, std::shared_ptr<const JobServices> jobs,
                                          std::shared_ptr<const protocol::TaskProvider> tasks) {
    protocol::ResourceRegistry resources;
    resources.add(
        {.uri = kStylesUri,
         .name = "styles",
         .title = "RetroDiffusion style catalog",
         .description = "Every prompt_style with its model, kind, sizes, batch limit, inputs, "
                        "output and price rule. With an API key: the API's live catalog, your "
                        "user styles included.",
         .mime_type = "application/json"},
        [styles](protocol::RequestContext& context) { return read_catalog(styles, context); });
    resources.add({.uri = kPromptingGuideUri,
                   .name = "prompting-guide",
                   .title = "How to prompt RetroDiffusion",
                   .description = "Writing prompts, picking styles, consistent characters, "
                                  "animations, tilesets and finishing assets; what costs what.",
                   .mime_type = "text/markdown"},
                  [](protocol::RequestContext&) {
                      return ResourceContents::text(kPromptingGuideUri, "text/markdown",
                                                    prompting_guide_markdown(),
                                                    {kStaticTtlMs, CacheScope::Public});
                  });
    resources.add_template(
        {.uri_template = kStyleTemplate,
         .name = "style",
         .title = "One RetroDiffusion style",
         .description = "A style's limits, inputs, price rule, example prompt and call, and tips.",
         .mime_type = "application/json"},
        [styles](const std::string& uri, const std::string& prompt_style,
                 protocol::RequestContext& context) {
            return read_style(styles, uri, prompt_style, context);
        },
        [styles](protocol::RequestContext& context) {
            return style_ids_for(styles, context.api_key);
        });
    if (tasks) {
        resources.add_template(
            {.uri_template = kJobTemplate,
             .name = "job",
             .title = "A RetroDiffusion job",
             .description = "A generation or Low-Poly job of your key: its status and, when "
                            "done, its result and images.",
             .mime_type = "application/json"},
            [tasks](const std::string& uri, const std::string& job_id,
                    protocol::RequestContext& context) {
                return read_job(tasks, uri, job_id, context);
            },
            [jobs](protocol::RequestContext& context) {
                std::vector<std::string> ids;
                if (!jobs || context.api_key.empty()) return ids;
                for (const auto& entry : jobs->ledger->jobs_of(context.api_key)) {
                    ids.push_back(entry.job_id);
                }
                return ids;
            });
    }
    return resources;
}

}  // namespace rdmcp::tools
