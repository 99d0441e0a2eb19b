// Shared by the fuzz targets: the data they run against, and the checks every reply of the
// service must pass whatever the input. A failed check aborts, which libFuzzer reports as a crash.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "covercheck/service.hpp"

namespace covercheck::fuzz {

const service& shipped_service();  // policy-data/, assembled as the command line does
const service& fixture_service();  // tests/fuzz/seeds/load/fixture-bundle.json: versions, gaps

// Prints what went wrong and the reply, then aborts.
[[noreturn]] void finding(std::string_view what, std::string_view reply);

// The reply must be valid JSON (hence valid UTF-8) and an envelope: {"success":true,"data":{}}
// or {"success":false,"error":{"code":"<prefix>.word","message","path":"" or "/..."}}.
// `error_prefix` is "request" or "data": anything else (internal.*) is a finding.
nlohmann::json check_envelope(std::string_view reply, std::string_view error_prefix);

// The data of a successful evaluate, matrix or search reply must keep the result contract.
void check_answer(const nlohmann::json& data, std::string_view reply);
void check_matrix(const service& s, const nlohmann::json& data, std::string_view reply);
void check_search(const nlohmann::json& data, std::size_t limit, std::string_view reply);

}  // namespace covercheck::fuzz
