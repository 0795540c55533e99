#include "tools/live_style_catalog.h"

#include <ctime>

#include "tools/job_ledger.h"

namespace rdmcp::tools {

namespace {

// The caller's client, with the selector's own deadline and answer size: a catalog is a
// convenience, never worth a minute's wait or a hundred megabytes.
UpstreamConfig selector_config(const UpstreamClient& upstream,
                               const LiveStyleCatalog::Limits& limits) {
    UpstreamConfig config = upstream.config();
    config.connect_timeout = std::min(config.connect_timeout, limits.timeout);
    config.read_timeout = limits.timeout;
    config.max_response_bytes = limits.max_answer_bytes;
    config.max_idle_connections = 2;
    return config;
}

}  // namespace

std::string_view to_string(CatalogSource source) {
    switch (source) {
        case CatalogSource::Live:
            return "live";
        case CatalogSource::Cached:
            return "cached";
        case CatalogSource::BuiltIn:
            return "built_in";
    }
    return "built_in";  // unreachable: every enumerator is handled above
}

std::string iso_utc(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

const std::vector<Style>& CatalogView::styles() const {
    return merged ? merged->styles : all_styles();
}

std::optional<Style> CatalogView::find(std::string_view prompt_style) const {
    const Style* style = merged ? merged->find(prompt_style) : find_style(prompt_style);
    if (!style) return std::nullopt;
    return *style;
}

LiveStyleCatalog::LiveStyleCatalog(std::shared_ptr<const UpstreamClient> upstream, Limits limits)
    : limits_(std::move(limits)),
      selector_client_(
          std::make_unique<const UpstreamClient>(selector_config(*upstream, limits_))) {}

std::optional<CatalogView> LiveStyleCatalog::fresh_locked(const std::string& caller) const {
    const auto found = by_caller_.find(caller);
    if (found == by_caller_.end()) return std::nullopt;
    const Entry& entry = *found->second;
    if (limits_.clock() - entry.fetched >= limits_.ttl) return std::nullopt;
    entries_.splice(entries_.begin(), entries_, found->second);  // most recently used
    return CatalogView{.merged = entry.merged,
                       .source = CatalogSource::Cached,
                       .fetched_at = entry.fetched_at,
                       .note = ""};
}

CatalogView LiveStyleCatalog::cached(const std::string& api_key) const {
    if (api_key.empty()) return {};
    const std::string caller = key_fingerprint(api_key);
    std::lock_guard lock(mutex_);
    return fresh_locked(caller).value_or(CatalogView{});
}

CatalogView LiveStyleCatalog::current(const UpstreamCaller& caller) {
    if (caller.api_key.empty()) {
        return {.note =
                    "no API key was given, so the API's live catalog (current limits, your "
                    "user styles) could not be asked"};
    }
    const std::string fingerprint = key_fingerprint(caller.api_key);
    {
        std::lock_guard lock(mutex_);
        if (auto view = fresh_locked(fingerprint)) return *view;
    }
    // Asked without the lock: a slow selector holds up this caller only.
    const auto reply = selector_client_->get_list_or_object("/styles/selector", caller);
    std::string failure;
    if (!reply.ok()) {
        failure = reply.error->summary();
    } else if (auto merged = merge_selector_answer(reply.body)) {
        const auto now = std::chrono::system_clock::now();
        auto shared = std::make_shared<const MergedCatalog>(std::move(*merged));
        store(fingerprint, shared, now);
        return {.merged = std::move(shared), .source = CatalogSource::Live, .fetched_at = now};
    } else {
        failure = "its answer was neither a list of styles nor {\"styles\": [...]}";
    }
    return {.note = "the API's style selector failed (" + failure +
                    "), so this is the built-in catalog"};
}

std::shared_ptr<const MergedCatalog> cached_styles(const StylesPtr& styles,
                                                   const std::string& api_key) {
    return styles ? styles->cached(api_key).merged : nullptr;
}

void LiveStyleCatalog::store(const std::string& caller, std::shared_ptr<const MergedCatalog> merged,
                             std::chrono::system_clock::time_point fetched_at) {
    std::lock_guard lock(mutex_);
    if (auto found = by_caller_.find(caller); found != by_caller_.end()) {
        entries_.erase(found->second);
        by_caller_.erase(found);
    }
    while (!entries_.empty() && entries_.size() >= limits_.max_callers) {
        by_caller_.erase(entries_.back().caller);
        entries_.pop_back();
    }
    if (limits_.max_callers == 0) return;
    entries_.push_front(Entry{caller, std::move(merged), limits_.clock(), fetched_at});
    by_caller_[caller] = entries_.begin();
}

}  // namespace rdmcp::tools
