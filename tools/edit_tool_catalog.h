#pragma once
// RetroDiffusion's canvas edit tools as typed values: the public catalog (GET /edit/tools) read
// by type (older and newer field names, nulls, missing members), the tools the documents
// describe as the fallback when the catalog cannot be reached, and a short-lived cache of the
// catalog, which is public and so shared by every caller.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

// One of a tool's `api_fields` (EditToolField): what the API takes besides the input image.
struct EditToolField {
    std::string id;
    std::string label;
    std::string type;  // as the catalog names it ("integer", "boolean", "image", ...)
    bool required = false;
    std::optional<protocol::Json> default_value;  // a string, number or boolean
    std::optional<double> min, max;               // numeric limits, when the catalog gives them
};

struct EditToolDefinition {
    std::string id;  // "background_remover"
    std::string name;
    std::string description;
    std::optional<double> balance_cost;  // USD per run
    std::optional<long long> credit_cost;
    std::optional<bool> is_free;
    std::optional<bool> requires_minimum_balance;
    std::optional<int> max_input_size;  // the input's longest side, in pixels
    std::vector<EditToolField> api_fields;
    // The documents name these as 20-40 s tools that should run as upstream tasks.
    bool slow = false;

    const EditToolField* field(const std::string& id) const;
    bool takes_animated_gif() const;  // the documents name the tools that do
};

// Reads one catalog entry; an entry without a string `id` reads as nothing.
std::optional<EditToolDefinition> read_edit_tool(const protocol::Json& entry);

// Reads the catalog's answer: a list of entries (documented), or an object holding them under
// "tools" (tolerated). Entries that cannot be read are left out.
std::vector<EditToolDefinition> read_edit_tool_catalog(const protocol::Json& answer);

// The eleven tools the documents describe (EDIT_TOOLS.md, llms.txt), with their prices.
const std::vector<EditToolDefinition>& documented_edit_tools();

struct EditToolCatalogView {
    std::shared_ptr<const std::vector<EditToolDefinition>> tools;
    bool live = false;       // from the API (now or within the TTL); else the documented set
    std::string problem;     // why the documented set is shown, when it is
    std::string fetched_at;  // ISO 8601, when live

    const EditToolDefinition* find(const std::string& id) const;
};

// A field's limit as an agent writes it: 2 rather than 2.0, 0.5 as it is.
std::string limit_text(double value);

// "There is no edit tool 'x'": the tools there are, and where the list came from.
std::string unknown_edit_tool_message(const std::string& id, const EditToolCatalogView& view);

// The catalog as the API last said, asked again after `ttl`. When the API cannot be reached the
// documented tools stand in (and are not cached, so the next call asks again). It is asked with
// a short timeout of its own: a slow catalog must not hold a run up for the minutes a run may
// take; the documented rules check it instead.
class EditToolCatalog {
  public:
    struct Limits {
        std::chrono::seconds ttl{60};
        std::chrono::seconds timeout{10};  // connect and read, capped by the upstream's own
    };
    EditToolCatalog(const UpstreamClient& upstream, Limits limits);
    explicit EditToolCatalog(const UpstreamClient& upstream)
        : EditToolCatalog(upstream, Limits{}) {}
    ~EditToolCatalog();

    EditToolCatalogView get(const UpstreamCaller& caller);

  private:
    const Limits limits_;
    std::unique_ptr<const UpstreamClient> client_;  // the short timeouts
    std::mutex mutex_;
    std::shared_ptr<const std::vector<EditToolDefinition>> cached_;
    std::chrono::steady_clock::time_point fetched_;
    std::string fetched_at_;
};

}  // namespace rdmcp::tools
