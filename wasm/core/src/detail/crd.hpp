// The CRD (HL7 Da Vinci Coverage Requirements Discovery) view of an answer.
#pragma once

#include <string>

#include "covercheck/catalog.hpp"
#include "detail/json_writer.hpp"

namespace covercheck::detail {

// Writes an ext-coverage-information extension for the answer, asserted on `as_of`.
void write_crd(json_writer& out, const catalog& data, const query& q, const answer& a, day as_of);

// Stable for the same data version and question (code, product, setting, date of service).
std::string coverage_assertion_id(const catalog& data, const query& q);

}  // namespace covercheck::detail
