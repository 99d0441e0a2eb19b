// Reading a document into clean numbered lines and cells (see detail/import_text.hpp).
#include "detail/import_text.hpp"

namespace covercheck::detail {
namespace {

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when it is not valid.
std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t& code_point) noexcept {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t value = 0;
    std::uint32_t minimum = 0;
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1Fu;
        minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0Fu;
        minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07u;
        minimum = 0x10000;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        value = (value << 6) | (c & 0x3Fu);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    code_point = value;
    return length;
}

bool is_unicode_space(std::uint32_t c) noexcept {
    return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_invisible(std::uint32_t c) noexcept {
    return c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

// Step 1: one raw line to text with ordinary spaces and tabs only; counts bad bytes.
std::string normalise_characters(std::string_view raw, document_text& doc) {
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        const char c = raw[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            if (c == '\t') {
                out += '\t';
            } else if (byte < 0x20 || byte == 0x7F) {
                if (byte == 0) ++doc.nul_bytes;
                out += ' ';
            } else {
                out += c;
            }
            ++i;
            continue;
        }
        std::uint32_t code_point = 0;
        const auto length = decode_utf8(raw, i, code_point);
        if (length == 0) {
            ++doc.invalid_bytes;
            // A lone 0xA0 is a Latin-1 non-breaking space; anything else is shown as U+FFFD.
            out += byte == 0xA0 ? " " : "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (is_unicode_space(code_point)) {
            out += ' ';
        } else if (!is_invisible(code_point)) {
            out.append(raw.data() + i, length);
        }
        i += length;
    }
    return out;
}

// Step 2: web-page markup: **emphasis** is dropped and [text](target) becomes text.
std::string strip_markup(const std::string& in, bool& link_only) {
    std::string out;
    out.reserve(in.size());
    std::size_t links = 0;
    std::size_t i = 0;
    while (i < in.size()) {
        if (in[i] == '*' && i + 1 < in.size() && in[i + 1] == '*') {
            i += 2;
            continue;
        }
        if (in[i] == '[' || (in[i] == '!' && i + 1 < in.size() && in[i + 1] == '[')) {
            const std::size_t open = in[i] == '!' ? i + 1 : i;
            const auto close = in.find(']', open + 1);
            const bool nested = close != std::string::npos && in.find('[', open + 1) < close;
            if (close != std::string::npos && !nested && close + 1 < in.size() && in[close + 1] == '(') {
                const auto end = in.find(')', close + 2);
                bool target_ok = end != std::string::npos && end - close - 2 <= 2048;
                for (std::size_t k = close + 2; target_ok && k < end; ++k) {
                    if (in[k] == ' ' || in[k] == '\t' || in[k] == '(') target_ok = false;
                }
                if (target_ok) {
                    std::string inner;
                    for (std::size_t k = open + 1; k < close; ++k) {
                        if (in[k] == '*' && k + 1 < close && in[k + 1] == '*') {
                            ++k;
                            continue;
                        }
                        inner += in[k];
                    }
                    out += inner;
                    ++links;
                    i = end + 1;
                    continue;
                }
            }
        }
        out += in[i];
        ++i;
    }
    link_only = false;
    if (links == 1) {
        // The line is link-only when nothing but spaces surrounds the one link.
        const auto first = in.find_first_not_of(" \t");
        const auto last = in.find_last_not_of(" \t");
        link_only = first != std::string::npos && (in[first] == '[' || in[first] == '!') && in[last] == ')';
    }
    return out;
}

// A bullet marker at the start of `text`: its length including the spaces after it, or 0.
std::size_t bullet_length(std::string_view text) noexcept {
    static constexpr std::string_view spaced[] = {"- ", "* ", "? ", "\xE2\x80\x93 "};  // "–"
    static constexpr std::string_view glued[] = {"\xE2\x80\xA2", "\xC2\xB7", "\xE2\x96\xAA", "\xE2\x97\xA6",
                                                 "\xEF\x82\xB7"};  // • · ▪ ◦ and the Symbol-font bullet
    std::size_t length = 0;
    for (auto marker : spaced) {
        if (text.substr(0, marker.size()) == marker) length = marker.size();
    }
    for (auto marker : glued) {
        if (text.substr(0, marker.size()) == marker) length = marker.size();
    }
    if (length == 0) return 0;
    while (length < text.size() && (text[length] == ' ' || text[length] == '\t')) ++length;
    return length < text.size() ? length : 0;  // a marker alone on a line is not a bullet
}

void split_cells(std::string_view text, bool indented, std::vector<std::string>& cells) {
    if (indented) cells.emplace_back();
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (i >= text.size()) break;
        std::string cell;
        while (i < text.size()) {
            if (text[i] == '\t') break;
            if (text[i] == ' ') {
                if (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) break;
                if (i + 1 >= text.size()) break;
            }
            cell += text[i];
            ++i;
        }
        cells.push_back(std::move(cell));
    }
}

bool is_abbreviation_before(std::string_view text, std::size_t dot) noexcept {
    static constexpr std::string_view abbreviations[] = {"e.g", "i.e", "vs", "al", "etc", "dr", "no", "fig", "approx",
                                                         "u.s", "st",  "mr", "ms", "inc", "jr", "eg", "ie"};
    std::size_t start = dot;
    while (start > 0 && text[start - 1] != ' ' && text[start - 1] != '(') --start;
    const auto word = text.substr(start, dot - start);
    for (auto a : abbreviations) {
        if (iequals(word, a)) return true;
    }
    return false;
}

int parse_month_year(std::string_view text, std::size_t& i) noexcept {
    int month = 0;
    std::size_t digits = 0;
    while (i < text.size() && is_digit(text[i]) && digits < 3) {
        month = month * 10 + (text[i] - '0');
        ++i;
        ++digits;
    }
    if (digits == 0 || digits > 2 || month < 1 || month > 12 || i >= text.size() || text[i] != '/') return 0;
    ++i;
    int year = 0;
    digits = 0;
    while (i < text.size() && is_digit(text[i]) && digits < 5) {
        year = year * 10 + (text[i] - '0');
        ++i;
        ++digits;
    }
    if (digits != 4 || year < 1900) return 0;
    return year * 100 + month;
}

}  // namespace

char lower_ascii(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) noexcept { return is_upper(c) || (c >= 'a' && c <= 'z'); }

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
    }
    return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view text, std::string_view suffix) noexcept {
    return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from) noexcept {
    if (needle.empty()) return from <= text.size() ? from : std::string_view::npos;
    if (needle.size() > text.size()) return std::string_view::npos;
    const char first = lower_ascii(needle[0]);
    for (std::size_t i = from; i + needle.size() <= text.size(); ++i) {
        if (lower_ascii(text[i]) != first) continue;
        if (iequals(text.substr(i, needle.size()), needle)) return i;
    }
    return std::string_view::npos;
}

std::size_t ifind_word(std::string_view text, std::string_view needle, std::size_t from) noexcept {
    auto at = ifind(text, needle, from);
    while (at != std::string_view::npos) {
        const bool left_ok = at == 0 || !(is_alpha(text[at - 1]) || is_digit(text[at - 1]));
        const auto end = at + needle.size();
        const bool right_ok = end >= text.size() || !(is_alpha(text[end]) || is_digit(text[end]));
        if (left_ok && right_ok) return at;
        at = ifind(text, needle, at + 1);
    }
    return at;
}

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string cat(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (auto part : parts) size += part.size();
    std::string out;
    out.reserve(size);
    for (auto part : parts) out.append(part.data(), part.size());
    return out;
}

std::string num(std::size_t value) { return std::to_string(value); }

std::string collapse_spaces(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char c : trim(text)) {
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

bool ends_sentence(std::string_view text) noexcept {
    text = trim(text);
    while (!text.empty() && (text.back() == '"' || text.back() == ')' || text.back() == ']' || text.back() == '\'')) {
        text.remove_suffix(1);
    }
    if (text.size() >= 3 && text.substr(text.size() - 3) == "\xE2\x80\x9D")
        return ends_sentence(text.substr(0, text.size() - 3));
    if (text.empty()) return false;
    const char c = text.back();
    return c == '.' || c == '!' || c == '?' || c == ':';
}

std::vector<std::string_view> sentences_of(std::string_view paragraph) {
    std::vector<std::string_view> sentences;
    std::size_t start = 0;
    for (std::size_t i = 0; i + 2 < paragraph.size(); ++i) {
        const char c = paragraph[i];
        if ((c != '.' && c != '!' && c != '?') || paragraph[i + 1] != ' ') continue;
        const char next = paragraph[i + 2];
        if (!is_upper(next) && !is_digit(next)) continue;
        if (c == '.' && is_abbreviation_before(paragraph, i)) continue;
        sentences.push_back(trim(paragraph.substr(start, i + 1 - start)));
        start = i + 2;
    }
    const auto last = trim(paragraph.substr(start));
    if (!last.empty()) sentences.push_back(last);
    return sentences;
}

bool is_history_date(std::string_view text, int* last) noexcept {
    std::size_t i = 0;
    int value = parse_month_year(text, i);
    if (value == 0) return false;
    if (i < text.size() && text[i] == '-') {
        ++i;
        value = parse_month_year(text, i);
        if (value == 0) return false;
    }
    if (i != text.size()) return false;
    if (last) *last = value;
    return true;
}

code_shape shape_of_code(std::string_view token, bool icd) noexcept {
    const auto alnum = [](char c) { return is_digit(c) || is_upper(c); };
    if (token.size() == 5 && !icd) {
        const bool middle = is_digit(token[1]) && is_digit(token[2]) && is_digit(token[3]);
        if (middle && is_digit(token[0]) &&
            (is_digit(token[4]) || token[4] == 'F' || token[4] == 'M' || token[4] == 'T' || token[4] == 'U')) {
            return code_shape::cpt;
        }
        if (middle && token[0] >= 'A' && token[0] <= 'V' && is_digit(token[4])) return code_shape::hcpcs;
    }
    // ICD-10-CM: letter, digit, letter or digit, then optionally "." and 1 to 4 more.
    if (token.size() >= 3 && is_upper(token[0]) && token[0] != 'U' && is_digit(token[1]) && alnum(token[2])) {
        if (token.size() == 3) return code_shape::icd10_cm;
        std::size_t i = 3;
        if (token[i] == '.') ++i;
        const std::size_t rest = token.size() - i;
        bool ok = rest >= 1 && rest <= 4;
        for (; ok && i < token.size(); ++i) ok = alnum(token[i]);
        if (ok && (icd || token[3] == '.')) return code_shape::icd10_cm;
    }
    // ICD-10-PCS: seven letters or digits (no I or O).
    if (token.size() == 7 && icd) {
        bool ok = true;
        for (char c : token) ok = ok && alnum(c) && c != 'I' && c != 'O';
        if (ok) return code_shape::icd10_pcs;
    }
    return code_shape::none;
}

document_text read_document(std::string_view text) {
    document_text doc;
    // A UTF-8 byte order mark is not text.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::size_t start = 0;
    int number = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        const bool last = end == std::string_view::npos;
        if (last) end = text.size();
        auto raw = text.substr(start, end - start);
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        text_line line;
        line.number = ++number;
        if (raw.size() > max_line_bytes) {
            line.too_long = true;
        } else if (!raw.empty()) {
            const auto characters = normalise_characters(raw, doc);
            bool link_only = false;
            const auto plain = strip_markup(characters, link_only);
            std::string_view rest = plain;
            std::size_t lead = 0;
            bool tab_lead = false;
            while (lead < rest.size() && (rest[lead] == ' ' || rest[lead] == '\t')) {
                tab_lead = tab_lead || rest[lead] == '\t';
                ++lead;
            }
            rest.remove_prefix(lead);
            const auto marker = bullet_length(rest);
            if (marker > 0) {
                line.bullet = true;
                rest.remove_prefix(marker);
                line.text = collapse_spaces(rest);
                line.cells.push_back(line.text);
            } else {
                split_cells(rest, !rest.empty() && (tab_lead || lead >= 2), line.cells);
                for (const auto& cell : line.cells) {
                    if (cell.empty()) continue;
                    if (!line.text.empty()) line.text += ' ';
                    line.text += cell;
                }
            }
            line.link_only = link_only && !line.text.empty();
            if (line.text.empty()) line.cells.clear();
        }
        doc.lines.push_back(std::move(line));
        if (last) break;
        start = end + 1;
    }
    // A final newline does not start another line.
    if (doc.lines.size() > 1 && doc.lines.back().blank() && !text.empty() && text.back() == '\n') doc.lines.pop_back();
    return doc;
}

}  // namespace covercheck::detail
