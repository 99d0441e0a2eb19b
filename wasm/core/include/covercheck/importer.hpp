// The policy importer: a medical-policy document as plain text becomes policy data (schema_version 1)
// plus a report of what could not be read. It extracts what the text says and never guesses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "covercheck/catalog.hpp"

namespace covercheck {

// How much a finding matters. `error`: the input is not a policy document at all (nothing usable);
// `review`: a fact is missing, unreadable, ambiguous or conflicting, so a person must check the
// result before it is used; `note`: information about how a fact was read.
enum class finding_severity : std::uint8_t { note, review, error };
std::string_view to_string(finding_severity value) noexcept;

struct import_finding {
    std::string code;  // stable, e.g. "import.no_outpatient_table"; tests compare this
    finding_severity severity = finding_severity::review;
    std::string message;  // for people
    int first_line = 0;   // 1-based source lines; 0 when the finding is about the whole document
    int last_line = 0;
    std::string section;  // the section heading as printed, when there is one
    std::string path;     // JSON Pointer into the policy, when the finding is about one field
};

// Facts the text cannot give. Empty strings mean "not given".
struct import_options {
    std::string id;               // policy id; default "policy-<number>"
    std::string publisher;        // used only when the document does not name its publisher
    std::string source_file;      // source.file, relative to policy-data/ (e.g. "sources/bcbsma-633.txt")
    std::string effective_from;   // YYYY-MM-DD; default the first day of the last review month
    std::string effective_basis;  // why that date; default a sentence naming the last review
    // The products the result is checked against (products.json). Empty: the importer's own
    // vocabulary, the four products of DESIGN.md.
    std::vector<product_info> products;
};

struct import_result {
    std::string policy_json;               // the policy, compact JSON in the schema's field order
    std::string sources_json;              // {"<JSON Pointer>": {"lines": [first, last], "section": "..."}} per fact
    std::vector<import_finding> findings;  // ordered by source line
    bool complete = false;                 // no finding of severity review or error, and the policy loads
};

// Never throws: running out of memory or any internal failure becomes an error finding.
import_result import_policy(std::string_view text, const import_options& options = {}) noexcept;

// The same behind the JSON contract of DESIGN.md: options as JSON text ({"id", "publisher",
// "source_file", "effective_from", "effective_basis", "products"}; "" means none), answered with
// {"success":true,"data":{"policy":{...},"report":[...],"complete":bool,"sources":{...}}} or an
// error envelope for malformed options.
std::string import_policy_envelope(std::string_view text, std::string_view options_json) noexcept;

}  // namespace covercheck
