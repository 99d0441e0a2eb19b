// Parsing request JSON into queries, with stable error codes and JSON Pointer paths.
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "covercheck/catalog.hpp"

namespace covercheck::detail {

inline constexpr std::size_t max_request_bytes = 8u << 20;
inline constexpr std::size_t max_matrix_cells = 100'000;

struct matrix_query {
    std::vector<std::string> codes;
    std::vector<std::size_t> products;
    std::vector<setting> settings;
    day date = 0;
};

// Parses request text into a JSON object, or says why it cannot.
std::variant<nlohmann::json, error> parse_request_text(std::string_view text);

std::variant<query, error> parse_query(const catalog& data, const nlohmann::json& request);

// Parses a batch [{"code","product","setting","date"?}, ...]; errors point into the list ("/3/product").
std::variant<std::vector<query>, error> parse_query_batch(const catalog& data, std::string_view text);
std::variant<matrix_query, error> parse_matrix_query(const catalog& data, const nlohmann::json& request);

}  // namespace covercheck::detail
