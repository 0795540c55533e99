#include "protocol/resources.h"

#include <stdexcept>

namespace rdmcp::protocol {

namespace {

void put_if_set(Json& object, const char* field, const std::string& value) {
    if (!value.empty()) object[field] = value;
}

}  // namespace

std::string_view to_string(CacheScope scope) {
    return scope == CacheScope::Public ? "public" : "private";
}

Json ResourceDefinition::to_json() const {
    Json resource = {{"uri", uri}, {"name", name}};
    put_if_set(resource, "title", title);
    put_if_set(resource, "description", description);
    put_if_set(resource, "mimeType", mime_type);
    return resource;
}

Json ResourceTemplateDefinition::to_json() const {
    Json resource = {{"uriTemplate", uri_template}, {"name", name}};
    put_if_set(resource, "title", title);
    put_if_set(resource, "description", description);
    put_if_set(resource, "mimeType", mime_type);
    return resource;
}

ResourceContents ResourceContents::text(std::string uri, std::string mime_type, std::string text,
                                        CacheHint cache) {
    ResourceContents read;
    read.contents.push_back(
        {{"uri", std::move(uri)}, {"mimeType", std::move(mime_type)}, {"text", std::move(text)}});
    read.cache = cache;
    return read;
}

void ResourceRegistry::add(ResourceDefinition definition, ResourceReader reader) {
    for (const auto& fixed : resources_) {
        if (fixed.definition.uri == definition.uri) {
            throw std::logic_error("resource registered twice: " + definition.uri);
        }
    }
    resources_json_.push_back(definition.to_json());
    resources_.push_back({std::move(definition), std::move(reader)});
}

void ResourceRegistry::add_template(ResourceTemplateDefinition definition, TemplateReader reader,
                                    Completer completer) {
    UriTemplate pattern(definition.uri_template);
    templates_json_.push_back(definition.to_json());
    templates_.push_back(
        {std::move(definition), std::move(pattern), std::move(reader), std::move(completer)});
}

bool ResourceRegistry::has_completions() const {
    for (const auto& t : templates_) {
        if (t.completer) return true;
    }
    return false;
}

std::optional<ResourceRead> ResourceRegistry::read(const std::string& uri,
                                                   RequestContext& context) const {
    for (const auto& fixed : resources_) {
        if (fixed.definition.uri == uri) return fixed.reader(context);
    }
    for (const auto& t : templates_) {
        if (auto value = t.pattern.match(uri)) return t.reader(uri, *value, context);
    }
    return std::nullopt;
}

const Completer* ResourceRegistry::completer(const std::string& uri_template,
                                             const std::string& variable) const {
    for (const auto& t : templates_) {
        if (t.definition.uri_template == uri_template && t.pattern.variable() == variable &&
            t.completer) {
            return &t.completer;
        }
    }
    return nullptr;
}

}  // namespace rdmcp::protocol
