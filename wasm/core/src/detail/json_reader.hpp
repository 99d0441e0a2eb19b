// Reading untrusted JSON text: depth is limited before parsing (the WebAssembly stack is small),
// and what a plain parse would accept silently is refused: a member name given twice (parsers
// disagree about which value wins) and numbers too large for a double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace covercheck::detail {

struct json_problem {
    enum class kind : std::uint8_t { too_deep, malformed, number_too_large, duplicate_key };
    kind what = kind::malformed;
    std::size_t byte = 0;  // malformed: where the text stops being JSON
    std::string path;      // duplicate_key: JSON Pointer of the second occurrence
};

std::variant<nlohmann::json, json_problem> read_json(std::string_view text, std::size_t max_depth);

}  // namespace covercheck::detail
