// Small text helpers shared by the loader, the request parser and the search index.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace covercheck::detail {

inline constexpr std::size_t max_data_depth = 64;     // the policy schema nests 5 levels deep
inline constexpr std::size_t max_request_depth = 16;  // requests nest 2 levels deep

// True when brackets in the JSON text nest deeper than `limit` (strings are skipped). Checked
// before parsing so that hostile input cannot exhaust the small WebAssembly stack.
bool nesting_exceeds(std::string_view json_text, std::size_t limit) noexcept;

// "commercial-hmo-pos": lower-case letters and digits in words joined by single hyphens.
bool is_identifier(std::string_view text) noexcept;
bool is_year_month(std::string_view text) noexcept;  // "2023-11"

// Lower-case ASCII letter/digit runs of a description ("Ablation, open" -> "ablation", "open").
std::vector<std::string> words_of(std::string_view text);

}  // namespace covercheck::detail
