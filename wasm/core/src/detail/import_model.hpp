// What the importer extracts, before it is written as policy JSON: every fact with the lines
// and the section it came from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "covercheck/importer.hpp"
#include "covercheck/vocabulary.hpp"
#include "detail/import_products.hpp"

namespace covercheck::detail {

struct source_span {
    int first = 0;  // 1-based lines; 0 when unknown
    int last = 0;
    std::string section;
};

struct located {
    std::string text;
    source_span at;
    bool found() const noexcept { return !text.empty(); }
};

struct imported_coverage {
    product_set products = 0;
    coverage_status status = coverage_status::not_in_data;
    std::string statement;
    std::vector<located> criteria;  // the bullets after a statement that ends with ":"
    source_span at;
};

struct imported_authorization {
    setting where = setting::inpatient;
    product_set products = 0;
    authorization_status status = authorization_status::not_in_data;
    std::string statement;
    std::string printed_product;  // the table's product cell, as printed
    source_span at;
};

struct imported_note {
    setting where = setting::inpatient;
    std::string text;
    source_span at;
};

struct imported_code {
    std::string system;  // CPT, HCPCS, ICD-10-CM, ICD-10-PCS
    std::string code;
    std::string description;
    int line = 0;
};

struct imported_code_group {
    coverage_status status = coverage_status::not_in_data;
    product_set products = 0;
    std::string statement;
    std::vector<imported_code> codes;
    source_span at;
};

struct imported_related {
    std::string number;
    std::string title;
    source_span at;
};

struct imported_evidence {
    std::string population, intervention, evidence_base, outcomes, conclusion;
    source_span at;
};

struct imported_history {
    std::string date;
    std::string action;
    int month = 0;  // the (end) month as year*100+month
    source_span at;
};

struct imported_policy {
    located publisher, document_type, number, title, bcbsa_reference, bcbsa_reference_note, ncd_lcd;
    std::string id;
    std::string last_review;  // YYYY-MM
    std::string last_review_printed;
    source_span last_review_at;
    std::string effective_from, effective_basis;
    std::string source_file, source_sha256;
    product_set products = 0;
    located products_heading;
    std::vector<imported_coverage> coverage;
    std::vector<imported_authorization> authorization;
    std::vector<imported_note> authorization_notes;
    std::vector<imported_code_group> code_groups;      // CPT and HCPCS: what the evaluator answers from
    std::vector<imported_code_group> icd_code_groups;  // ICD-10 tables, kept for people
    std::vector<located> coding_notices;
    std::vector<imported_related> related_policies;
    std::vector<imported_evidence> evidence;
    std::vector<imported_history> history;
    std::vector<located> general_information;
    std::optional<int> references_count;
    source_span references_at;
};

// The importer itself; it may throw std::bad_alloc (import_policy catches everything).
import_result run_import(std::string_view text, const import_options& options);

// Loads the policy as a one-policy bundle with these products (the importer's own when empty);
// the loader's error when it is refused. Lives in import_envelope.cpp, beside the other code
// that uses nlohmann.
std::optional<error> check_loads(std::string_view policy_json, const std::vector<product_info>& products);

// Writes the policy in the schema's field order, and the sources map beside it.
std::string write_policy_json(const imported_policy& policy);
std::string write_sources_json(const imported_policy& policy);

}  // namespace covercheck::detail
