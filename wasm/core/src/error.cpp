// Helpers for building error values safely from untrusted input.
#include "covercheck/error.hpp"

namespace covercheck {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
    }
    return length;
}

void append_hex_escape(std::string& out, unsigned char c) {
    static constexpr char hex[] = "0123456789abcdef";
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 0xf];
}

}  // namespace

std::string quote_input(std::string_view text) {
    constexpr std::size_t max_shown = 40;  // characters, not bytes
    std::string out = "\"";
    std::size_t shown = 0;
    std::size_t i = 0;
    while (i < text.size() && shown < max_shown) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) {
            append_hex_escape(out, c);
            ++i;
        } else if (c < 0x80) {
            if (c == '"' || c == '\\') out += '\\';
            out += static_cast<char>(c);
            ++i;
        } else if (const auto length = utf8_sequence_length(text, i); length != 0) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            append_hex_escape(out, c);  // invalid UTF-8 is shown, never passed on
            ++i;
        }
        ++shown;
    }
    if (i < text.size()) out += "\u2026 (" + std::to_string(text.size()) + " bytes)";
    out += '"';
    return out;
}

std::string pointer_append(std::string_view base, std::string_view token) {
    std::string out(base);
    out += '/';
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string pointer_append(std::string_view base, std::size_t index) {
    return pointer_append(base, std::to_string(index));
}

}  // namespace covercheck
