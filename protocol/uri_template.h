#pragma once
// The URI templates our resource templates use (RFC 6570 level 1, one variable): a literal
// prefix, one `{name}` and an optional literal suffix, such as `rd://styles/{prompt_style}`.
// Enough to read a URI back into its variable; more would be code nothing here needs.
#include <optional>
#include <string>
#include <string_view>

namespace rdmcp::protocol {

class UriTemplate {
  public:
    // Throws std::logic_error for a template without exactly one variable (a programming error).
    explicit UriTemplate(std::string text);

    const std::string& text() const { return text_; }
    const std::string& variable() const { return variable_; }

    // The variable's value in `uri` (percent-decoded), or nothing when the URI does not fit the
    // template: another prefix or suffix, an empty value, a '/' in it, or more than
    // kMaxValueBytes.
    std::optional<std::string> match(std::string_view uri) const;

    // The URI for one value (percent-encoding what RFC 3986 does not leave unreserved).
    std::string expand(std::string_view value) const;

    static constexpr std::size_t kMaxValueBytes = 512;

  private:
    std::string text_;
    std::string prefix_;
    std::string variable_;
    std::string suffix_;
};

}  // namespace rdmcp::protocol
