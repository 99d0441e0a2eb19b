// The importer's view of a document: numbered lines cleaned of web markup, odd spaces and
// bullets, split into table cells; plus the small text tests the extractors share.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace covercheck::detail {

inline constexpr std::size_t max_import_bytes = 32u << 20;  // larger input is refused
inline constexpr std::size_t max_line_bytes = 1u << 20;     // longer lines are not read

struct text_line {
    int number = 0;                  // 1-based, as an editor counts lines (only \n ends a line)
    std::string text;                // cleaned, whitespace collapsed, trimmed
    std::vector<std::string> cells;  // split on tabs or runs of 2+ spaces; "" first when indented
    bool bullet = false;             // began with -, •, ?, *, ·, ▪, ◦ or –
    bool link_only = false;          // the whole line was one [text](target) link
    bool too_long = false;
    bool blank() const noexcept { return text.empty(); }
    bool row() const noexcept { return cells.size() >= 2; }
};

struct document_text {
    std::vector<text_line> lines;
    std::size_t invalid_bytes = 0;  // bytes that were not UTF-8 (shown as U+FFFD)
    std::size_t nul_bytes = 0;
};

// Splits and cleans: CR LF and CR-less lines, non-breaking and other Unicode spaces, zero-width
// characters, **emphasis** and [links](#), bullets. Line numbers follow the raw text.
document_text read_document(std::string_view text);

char lower_ascii(char c) noexcept;
bool is_digit(char c) noexcept;
bool is_alpha(char c) noexcept;
bool is_upper(char c) noexcept;
bool iequals(std::string_view a, std::string_view b) noexcept;
bool istarts_with(std::string_view text, std::string_view prefix) noexcept;
bool iends_with(std::string_view text, std::string_view suffix) noexcept;
std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from = 0) noexcept;
// Like ifind, but the match must not touch a letter or digit on either side.
std::size_t ifind_word(std::string_view text, std::string_view needle, std::size_t from = 0) noexcept;
std::string_view trim(std::string_view text) noexcept;
// Joins pieces into one string: messages are built with this rather than chains of "+", which
// inline into a lot of WebAssembly.
std::string cat(std::initializer_list<std::string_view> parts);
std::string num(std::size_t value);
std::string collapse_spaces(std::string_view text);

// True when the text ends a sentence: ".", "!", "?" or ":" (before closing quotes or brackets).
bool ends_sentence(std::string_view text) noexcept;
// Sentences of a paragraph, split after ". ", "! ", "? " before a capital or digit (not after
// abbreviations such as "e.g." or "et al.").
std::vector<std::string_view> sentences_of(std::string_view paragraph);

// "11/2023" or "11/2011-4/2012". `last` receives the (end) month as year*100+month.
bool is_history_date(std::string_view text, int* last = nullptr) noexcept;

enum class code_shape : std::uint8_t { none, cpt, hcpcs, icd10_cm, icd10_pcs };
// The shape of a code token as printed ("47371", "J1234", "C22.0", "0FT00ZZ"). `icd` says the
// table is an ICD-10 table, which decides letter-first codes such as "K7689".
code_shape shape_of_code(std::string_view token, bool icd) noexcept;

}  // namespace covercheck::detail
