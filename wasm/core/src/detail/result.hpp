// Turning answers into result JSON (the contract in DESIGN.md).
#pragma once

#include "covercheck/catalog.hpp"
#include "detail/request.hpp"

namespace covercheck::detail {

nlohmann::ordered_json result_json(const catalog& data, const query& q, const answer& a);
nlohmann::ordered_json matrix_json(const catalog& data, const matrix_query& m);
std::string gap_reason(const catalog& data, const query& q, const answer& a, gap why);

}  // namespace covercheck::detail
