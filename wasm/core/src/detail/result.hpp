// Writing answers as result JSON (the contract in DESIGN.md).
#pragma once

#include "covercheck/catalog.hpp"
#include "detail/json_writer.hpp"
#include "detail/request.hpp"

namespace covercheck::detail {

void write_result(json_writer& out, const catalog& data, const query& q, const answer& a);
void write_matrix(json_writer& out, const catalog& data, const matrix_query& m);
std::string gap_reason(const catalog& data, const query& q, const answer& a, gap why);

}  // namespace covercheck::detail
