#pragma once
// MCP resources: fixed resources (one URI each) and resource templates (a URI with one variable),
// each with a reader. The engine answers resources/list, resources/templates/list and
// resources/read from here; what a resource holds belongs to its reader (tools/ for us).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/completion.h"
#include "protocol/json_rpc.h"
#include "protocol/request_context.h"
#include "protocol/uri_template.h"

namespace rdmcp::protocol {

// Who may keep a cached answer (the caching utility of 2026-07-28): anyone (the same for every
// caller), or only the same authorization context (it depends on the caller's key).
enum class CacheScope { Public, Private };
std::string_view to_string(CacheScope scope);  // "public", "private"

struct CacheHint {
    long long ttl_ms = 0;
    CacheScope scope = CacheScope::Public;
};

struct ResourceDefinition {
    std::string uri;
    std::string name;
    std::string title;
    std::string description;
    std::string mime_type;

    Json to_json() const;
};

struct ResourceTemplateDefinition {
    std::string uri_template;
    std::string name;
    std::string title;
    std::string description;
    std::string mime_type;  // empty: it varies by resource

    Json to_json() const;
};

// What a read produced: the ReadResourceResult's contents (each {uri, mimeType, text|blob}) and
// how long and by whom it may be cached.
struct ResourceContents {
    Json contents = Json::array();
    CacheHint cache;

    // One text content for `uri`.
    static ResourceContents text(std::string uri, std::string mime_type, std::string text,
                                 CacheHint cache);
};

// Why a read failed. NotFound: there is no such resource for this caller (answered with the
// spec's resource-not-found error); Failed: it exists but could not be read now (an internal
// error whose message says what to do).
struct ResourceProblem {
    enum class Kind { NotFound, Failed };
    Kind kind = Kind::NotFound;
    std::string message;
};

using ResourceRead = std::variant<ResourceContents, ResourceProblem>;
using ResourceReader = std::function<ResourceRead(RequestContext& context)>;
// Gets the template's variable, already matched and percent-decoded.
using TemplateReader = std::function<ResourceRead(const std::string& uri, const std::string& value,
                                                  RequestContext& context)>;

class ResourceRegistry {
  public:
    void add(ResourceDefinition definition, ResourceReader reader);
    // `completer` (optional) lists the values of the template's variable for completion/complete.
    void add_template(ResourceTemplateDefinition definition, TemplateReader reader,
                      Completer completer = nullptr);

    bool empty() const { return resources_.empty() && templates_.empty(); }
    bool has_completions() const;
    // Built as resources are added: the lists never change while the server runs.
    const Json& resources_json() const { return resources_json_; }
    const Json& templates_json() const { return templates_json_; }

    // The resource at `uri`: a fixed one, else the first template it fits; nothing when none.
    std::optional<ResourceRead> read(const std::string& uri, RequestContext& context) const;

    // The completer of a template's variable; null when the template is unknown, has no such
    // variable, or has no completer.
    const Completer* completer(const std::string& uri_template, const std::string& variable) const;

  private:
    struct Fixed {
        ResourceDefinition definition;
        ResourceReader reader;
    };
    struct Templated {
        ResourceTemplateDefinition definition;
        UriTemplate pattern;
        TemplateReader reader;
        Completer completer;
    };
    std::vector<Fixed> resources_;
    std::vector<Templated> templates_;
    Json resources_json_ = Json::array();
    Json templates_json_ = Json::array();
};

}  // namespace rdmcp::protocol
