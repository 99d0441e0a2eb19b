// A minimal JSON text writer (see detail/json_writer.hpp).
#include "detail/json_writer.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace covercheck::detail {
namespace {

std::size_t valid_utf8_length(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;  // no UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
    }
    return length;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            // Copy the run of plain ASCII in one go.
            std::size_t end = i + 1;
            while (end < text.size()) {
                const auto d = static_cast<unsigned char>(text[end]);
                if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
                ++end;
            }
            out.append(text.data() + i, end - i);
            i = end;
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                } else if (const auto length = valid_utf8_length(text, i); length != 0) {
                    out.append(text.data() + i, length);
                    i += length;
                    continue;
                } else {
                    out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
                }
        }
        ++i;
    }
    out += '"';
}

void json_writer::separate() {
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (!m_has_items.empty()) {
        if (m_has_items.back()) m_out += ',';
        m_has_items.back() = true;
    }
}

json_writer& json_writer::begin_object() {
    separate();
    m_out += '{';
    m_has_items.push_back(false);
    return *this;
}

json_writer& json_writer::end_object() {
    m_out += '}';
    m_has_items.pop_back();
    return *this;
}

json_writer& json_writer::begin_array() {
    separate();
    m_out += '[';
    m_has_items.push_back(false);
    return *this;
}

json_writer& json_writer::end_array() {
    m_out += ']';
    m_has_items.pop_back();
    return *this;
}

json_writer& json_writer::key(std::string_view name) {
    separate();
    append_json_string(m_out, name);
    m_out += ':';
    m_after_key = true;
    return *this;
}

json_writer& json_writer::value(std::string_view text) {
    separate();
    append_json_string(m_out, text);
    return *this;
}

json_writer& json_writer::value(std::uint64_t number) {
    separate();
    m_out += std::to_string(number);
    return *this;
}

json_writer& json_writer::value(int number) {
    separate();
    m_out += std::to_string(number);
    return *this;
}

json_writer& json_writer::value(bool flag) {
    separate();
    m_out += flag ? "true" : "false";
    return *this;
}

json_writer& json_writer::raw(std::string_view json_text) {
    separate();
    m_out.append(json_text);
    return *this;
}

void write_json(json_writer& out, const nlohmann::json& value) {
    using value_t = nlohmann::json::value_t;
    switch (value.type()) {
        case value_t::null:
            out.raw("null");
            return;
        case value_t::boolean:
            out.value(value.get<bool>());
            return;
        case value_t::number_unsigned:
            out.value(value.get<std::uint64_t>());
            return;
        case value_t::number_integer: {
            const auto number = value.get<std::int64_t>();
            if (number >= 0) {
                out.value(static_cast<std::uint64_t>(number));
            } else {
                out.raw("-" + std::to_string(0 - static_cast<std::uint64_t>(number)));
            }
            return;
        }
        case value_t::string:
            out.value(value.get_ref<const std::string&>());
            return;
        case value_t::array:
            out.begin_array();
            for (const auto& item : value) write_json(out, item);
            out.end_array();
            return;
        case value_t::object:
            out.begin_object();
            for (const auto& item : value.items()) {
                out.key(item.key());
                write_json(out, item.value());
            }
            out.end_object();
            return;
        default:
            throw std::invalid_argument("numbers with a fraction are not used in policy data");
    }
}

}  // namespace covercheck::detail
