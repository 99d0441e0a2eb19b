// The HL7 Da Vinci CRD view of an answer: a coverage-information extension (FHIR R4 JSON).
// Rules kept (CRD STU 2.1): `covered` is covered | not-covered | conditional | indeterminate;
// `pa-needed` never appears when `covered` is not-covered (crd-ci-q2); `info-needed` appears
// exactly when something is conditional (crd-ci-q3); a reason text explains not-covered.
#include "detail/crd.hpp"

#include "covercheck/sha256.hpp"
#include "detail/result.hpp"

namespace covercheck::detail {
namespace {

constexpr std::string_view extension_url =
    "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";
constexpr std::string_view temp_codes = "http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp";

std::string_view crd_covered(const answer& a) {
    if (a.authorization == authorization_status::not_covered) return "not-covered";
    switch (a.coverage) {
        case coverage_status::covered:
            return "covered";
        case coverage_status::covered_with_criteria:
            return "conditional";
        case coverage_status::not_medically_necessary:
        case coverage_status::investigational:
        case coverage_status::not_covered:
            return "not-covered";
        case coverage_status::not_in_data:
            return "indeterminate";
    }
    return "indeterminate";
}

std::string_view crd_pa_needed(const answer& a) {
    switch (a.authorization) {
        case authorization_status::required:
            return "auth-needed";
        case authorization_status::not_required:
            return "no-auth";
        default:
            return {};  // not a covered service, or the data is silent: no assertion
    }
}

void sub_extension(json_writer& out, std::string_view url) { out.begin_object().field("url", url); }

}  // namespace

std::string coverage_assertion_id(const catalog& data, const query& q) {
    // Stable for the same data and question; the assertion date is deliberately not part of it.
    std::string key = data.digest();
    for (std::string_view part : {std::string_view(q.code), std::string_view(data.products()[q.product].id),
                                  to_string(q.where)}) {
        key += '|';
        key += part;
    }
    key += '|';
    if (q.date != 0) key += format_iso_date(q.date);
    return "covercheck-" + sha256_hex(key).substr(0, 32);
}

void write_crd(json_writer& out, const catalog& data, const query& q, const answer& a, day as_of) {
    const auto covered = crd_covered(a);
    const auto pa_needed = covered == "not-covered" ? std::string_view() : crd_pa_needed(a);
    const auto& product = data.products()[q.product];

    out.begin_object().field("url", extension_url).key("extension").begin_array();

    sub_extension(out, "coverage");
    out.key("valueReference").begin_object().field("display", product.label).end_object().end_object();

    sub_extension(out, "covered");
    out.field("valueCode", covered).end_object();

    if (!pa_needed.empty()) {
        sub_extension(out, "pa-needed");
        out.field("valueCode", pa_needed).end_object();
    }
    if (covered == "conditional") {
        sub_extension(out, "info-needed");
        out.field("valueCode", "clinical").end_object();
    }

    // Why: the policy's own sentence, or why the data cannot say.
    std::string reason;
    if (a.coverage_gap != gap::none) {
        reason = gap_reason(data, q, a, a.coverage_gap);
    } else if (covered == "not-covered" || covered == "conditional") {
        reason = a.coverage_rule ? a.coverage_rule->statement : a.group->statement;
        if (a.authorization == authorization_status::not_covered && a.authorization_rule) {
            reason += " " + std::string(to_string(q.where)) + ": " + a.authorization_rule->statement;
        }
    }
    if (!reason.empty()) {
        sub_extension(out, "reason");
        out.key("valueCodeableConcept").begin_object().field("text", reason).end_object().end_object();
    }

    if (a.policy) {
        sub_extension(out, "detail");
        out.key("extension").begin_array();
        sub_extension(out, "category");
        out.key("valueCodeableConcept").begin_object().key("coding").begin_array();
        out.begin_object().field("system", temp_codes).field("code", "policy-link").end_object();
        out.end_array().end_object().end_object();
        sub_extension(out, "value");
        const auto& p = *a.policy;
        out.field("valueString", "Medical Policy #" + p.number + " " + p.title + " (last review " + p.last_review +
                                     ")")
            .end_object();
        out.end_array().end_object();
    }

    sub_extension(out, "date");
    out.field("valueDate", format_iso_date(as_of)).end_object();

    sub_extension(out, "coverage-assertion-id");
    out.field("valueString", coverage_assertion_id(data, q)).end_object();

    out.end_array().end_object();
}

}  // namespace covercheck::detail
