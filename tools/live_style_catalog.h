#pragma once
// The style catalog each caller actually has: the API's selector (GET /styles/selector, asked
// with the caller's own key, so the caller's user styles are in it) merged with the built-in
// catalog, cached per key for a few minutes. The built-in catalog stays the answer whenever the
// selector cannot be asked or answers nonsense.
//
// Only list_available_styles asks the selector (current()), with a short timeout of its own.
// Generations and estimates never wait for it: they use what is cached (cached()), so a slow
// selector can never hold up, or start anything before, a paid request.
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "tools/style_selector.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

enum class CatalogSource { Live, Cached, BuiltIn };
std::string_view to_string(CatalogSource source);  // "live", "cached", "built_in"

// What one caller sees, and where it came from.
struct CatalogView {
    std::shared_ptr<const MergedCatalog> merged;  // null: the built-in catalog alone
    CatalogSource source = CatalogSource::BuiltIn;
    std::chrono::system_clock::time_point fetched_at{};  // Live, Cached: when it was asked
    std::string note;  // why it is built-in (or stale): "no API key", "the selector failed: ..."

    const std::vector<Style>& styles() const;
    // The style by id or alias (the live entry when there is one), or nothing.
    std::optional<Style> find(std::string_view prompt_style) const;
};

class LiveStyleCatalog {
  public:
    struct Limits {
        std::chrono::seconds ttl{300};  // a cached answer is fresh this long
        std::size_t max_callers = 128;  // keys cached at once; the least recently used goes
        // Selector calls only: the answer must be complete within this, or the built-in
        // catalog answers (generations keep the client's own, longer timeouts).
        std::chrono::seconds timeout{4};
        std::size_t max_answer_bytes = 4u << 20;
        std::function<std::chrono::steady_clock::time_point()> clock =
            std::chrono::steady_clock::now;  // tests move it
    };

    LiveStyleCatalog(std::shared_ptr<const UpstreamClient> upstream, Limits limits);
    explicit LiveStyleCatalog(std::shared_ptr<const UpstreamClient> upstream)
        : LiveStyleCatalog(std::move(upstream), Limits{}) {}

    // The caller's catalog, asking the selector when nothing fresh is cached for its key.
    CatalogView current(const UpstreamCaller& caller);
    // What is cached and fresh for this key, never asking anything; built-in otherwise.
    CatalogView cached(const std::string& api_key) const;

  private:
    struct Entry {
        std::string caller;  // key_fingerprint: the key itself is never kept
        std::shared_ptr<const MergedCatalog> merged;
        std::chrono::steady_clock::time_point fetched;
        std::chrono::system_clock::time_point fetched_at;
    };
    using Entries = std::list<Entry>;  // most recently used first

    std::optional<CatalogView> fresh_locked(const std::string& caller) const;
    void store(const std::string& caller, std::shared_ptr<const MergedCatalog> merged,
               std::chrono::system_clock::time_point fetched_at);

    const Limits limits_;
    std::unique_ptr<const UpstreamClient> selector_client_;  // the short timeouts
    mutable std::mutex mutex_;
    mutable Entries entries_;
    std::unordered_map<std::string, Entries::iterator> by_caller_;
};

using StylesPtr = std::shared_ptr<LiveStyleCatalog>;

// The caller's fresh cached catalog for validation and prices, or null (no catalog, nothing
// cached): never asks the API.
std::shared_ptr<const MergedCatalog> cached_styles(const StylesPtr& styles,
                                                   const std::string& api_key);

// "2026-07-08T15:04:05Z"
std::string iso_utc(std::chrono::system_clock::time_point time);

}  // namespace rdmcp::tools
