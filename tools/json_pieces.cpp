#include "tools/json_pieces.h"

#include <algorithm>

namespace rdmcp::tools {

using protocol::Json;

namespace {

// Text that is valid inside a JSON string exactly as it is (base64 always is).
bool needs_no_escaping(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
    });
}

std::string serialized(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

JsonPieces::JsonPieces(const Json& object, const Json& appended) {
    std::string head = serialized(object.is_object() ? object : Json::object());
    head.pop_back();  // the closing brace: `appended`'s members come first
    bool first = head.size() == 1;
    add_text(std::move(head));
    if (appended.is_object()) {
        for (auto it = appended.begin(); it != appended.end(); ++it) {
            // Appended, not `"," + serialized(...)`: GCC 12 at -O3 warns falsely (-Wrestrict) about
            // a literal + std::string&& (GCC bugs 105329, 105651).
            std::string key = first ? "" : ",";
            key += serialized(it.key());
            key += ':';
            add_text(std::move(key));
            add_value(it.value());
            first = false;
        }
    }
    add_text("}");
}

void JsonPieces::add_value(const Json& value) {
    if (value.is_string() && needs_no_escaping(value.get_ref<const std::string&>())) {
        add_text("\"");
        add_view(value.get_ref<const std::string&>());
        add_text("\"");
    } else if (value.is_array()) {
        add_text("[");
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (i > 0) add_text(",");
            add_value(value[i]);
        }
        add_text("]");
    } else {
        add_text(serialized(value));
    }
}

void JsonPieces::add_text(std::string text) {
    // Adjacent small texts are joined, so a body is a handful of writes, not one per comma.
    if (!pieces_.empty() && !owned_.empty() && pieces_.back().data() == owned_.back().data()) {
        owned_.back() += text;
        size_ += text.size();
        pieces_.back() = owned_.back();
        return;
    }
    owned_.push_back(std::move(text));
    add_view(owned_.back());
}

void JsonPieces::add_view(std::string_view view) {
    pieces_.push_back(view);
    size_ += view.size();
}

bool JsonPieces::write_from(std::size_t offset,
                            const std::function<bool(const char*, std::size_t)>& write) const {
    for (const auto piece : pieces_) {
        if (offset >= piece.size()) {
            offset -= piece.size();
            continue;
        }
        if (!write(piece.data() + offset, piece.size() - offset)) return false;
        offset = 0;
    }
    return true;
}

std::string JsonPieces::str() const {
    std::string text;
    text.reserve(size_);
    for (const auto piece : pieces_) text.append(piece);
    return text;
}

}  // namespace rdmcp::tools
