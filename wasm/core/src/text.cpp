// Text helpers: codes, dates, identifiers, words.
#include "detail/text.hpp"


#include "covercheck/catalog.hpp"

namespace covercheck {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

int days_in_month(int year, int month) noexcept {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

}  // namespace

std::optional<day> parse_iso_date(std::string_view text) noexcept {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p) {
        for (std::size_t i = 0; i < lengths[p]; ++i) {
            const char c = text[starts[p] + i];
            if (!is_digit(c)) return std::nullopt;
            parts[p] = parts[p] * 10 + (c - '0');
        }
    }
    const auto [year, month, dom] = parts;
    if (year < 1900 || month < 1 || month > 12 || dom < 1 || dom > days_in_month(year, month)) return std::nullopt;
    return year * 10000 + month * 100 + dom;
}

std::string format_iso_date(day value) {
    // Written by hand: snprintf alone would add about 10 KB to the WebAssembly module.
    std::string out = "0000-00-00";
    const int parts[3] = {value / 10000, value / 100 % 100, value % 100};
    const std::size_t ends[3] = {4, 7, 10};
    for (int p = 0; p < 3; ++p) {
        int rest = parts[p];
        for (std::size_t i = ends[p]; i-- > ends[p] - (p == 0 ? 4 : 2);) {
            out[i] = static_cast<char>('0' + rest % 10);
            rest /= 10;
        }
    }
    return out;
}

std::optional<std::string> normalize_code(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    if (text.size() != 5) return std::nullopt;
    std::string code(text);
    for (auto& c : code) {
        if (is_lower(c)) c = static_cast<char>(c - 'a' + 'A');
    }
    // Every CPT and HCPCS Level II code has digits in its three middle places.
    const bool middle_digits = is_digit(code[1]) && is_digit(code[2]) && is_digit(code[3]);
    if (!middle_digits) return std::nullopt;
    // CPT Category I (47371), Category II/III and PLA (1234F, 0001T, 0001U, 0001M);
    // HCPCS Level II (A0021 to V5364).
    const bool cpt = is_digit(code[0]) && (is_digit(code[4]) || code[4] == 'F' || code[4] == 'M' || code[4] == 'T' ||
                                           code[4] == 'U');
    const bool hcpcs = code[0] >= 'A' && code[0] <= 'V' && is_digit(code[4]);
    if (!cpt && !hcpcs) return std::nullopt;
    return code;
}

std::uint64_t code_key(std::string_view code) noexcept {
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        key = (key << 8) | (i < code.size() ? static_cast<unsigned char>(code[i]) : 0u);
    }
    return key;
}

namespace detail {

bool nesting_exceeds(std::string_view json_text, std::size_t limit) noexcept {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < json_text.size(); ++i) {
        const char c = json_text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

bool is_identifier(std::string_view text) noexcept {
    if (text.empty() || text.size() > 64 || text.front() == '-' || text.back() == '-') return false;
    char previous = 0;
    for (char c : text) {
        if (c == '-' && previous == '-') return false;
        if (!is_lower(c) && !is_digit(c) && c != '-') return false;
        previous = c;
    }
    return true;
}

bool is_year_month(std::string_view text) noexcept {
    if (text.size() != 7 || text[4] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6}) {
        if (!is_digit(text[i])) return false;
    }
    const int month = (text[5] - '0') * 10 + (text[6] - '0');
    return month >= 1 && month <= 12;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    for (char c : text) {
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
        if (is_lower(c) || is_digit(c)) {
            current += c;
        } else if (!current.empty()) {
            words.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

}  // namespace detail
}  // namespace covercheck
