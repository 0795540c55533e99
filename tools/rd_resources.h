#pragma once
// The resources this server offers (MCP resources): the style catalog and each style's usage
// page, the prompting guide, and the caller's jobs. Each reader asks the API only with the
// caller's own key.
#include <memory>
#include <string>

#include "protocol/json_rpc.h"
#include "protocol/resources.h"
#include "protocol/tasks.h"
#include "tools/live_style_catalog.h"

namespace rdmcp::tools {

struct JobServices;

inline constexpr const char* kStylesUri = "rd://styles";
inline constexpr const char* kStyleTemplate = "rd://styles/{prompt_style}";
inline constexpr const char* kPromptingGuideUri = "rd://guides/prompting";
inline constexpr const char* kJobTemplate = "rd://jobs/{job_id}";

// rd://jobs/<job_id> for a job or task id (percent-encoded where needed).
std::string job_uri(const std::string& job_id);

// A resource_link content item to rd://jobs/<job_id>: tool results that start or report a job
// point at it, so a client can read (and its user attach) the job.
protocol::Json job_resource_link(const std::string& job_id);

// `styles` may be null (the built-in catalog only); `jobs` gives the caller's recent job ids for
// completion; `tasks` reads a job's state (generation and Low-Poly jobs alike).
protocol::ResourceRegistry make_resources(StylesPtr styles, std::shared_ptr<const JobServices> jobs,
                                          std::shared_ptr<const protocol::TaskProvider> tasks);

// The style ids this caller may name, for completion: the caller's cached live catalog (user
// styles too), or the built-in one. Never asks the API.
std::vector<std::string> style_ids_for(const StylesPtr& styles, const std::string& api_key);

}  // namespace rdmcp::tools
