// Shared test helpers: the bundled data, the golden cases, JSON subset matching.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "covercheck/service.hpp"

namespace covercheck::test {

std::string source_path(const std::string& relative);
const std::string& bundle_text();       // policy-data/ assembled into a bundle
nlohmann::json bundle_json();           // a fresh, mutable copy
const service& shipped_service();       // loaded once

struct golden_case {
    std::string file;
    nlohmann::json spec;
};
std::vector<golden_case> golden_cases();

// Empty when `expected` is contained in `actual` (objects by key, arrays element-wise);
// otherwise the JSON Pointer of the first difference and what was found there.
std::string subset_mismatch(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& path = "");

nlohmann::json call(const service& s, const nlohmann::json& spec);  // runs one golden case

}  // namespace covercheck::test
