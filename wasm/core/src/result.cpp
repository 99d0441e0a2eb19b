// Result JSON: the query echoed, the code, coverage and authorization with the policy's own
// words, the policy, its notices and the data version. not-in-data always carries a reason.
#include "detail/result.hpp"

#include <algorithm>

namespace covercheck::detail {
namespace {

std::string policy_name(const policy_record& p) { return "Policy " + p.number + " (" + p.title + ")"; }

void write_source(json_writer& out, const std::string& section, int line) {
    if (!section.empty()) out.field("section", section);
    if (line > 0) out.field("line", line);
}

}  // namespace

std::string gap_reason(const catalog& data, const query& q, const answer& a, gap why) {
    const auto& product = data.products()[q.product].label;
    switch (why) {
        case gap::none:
            return {};
        case gap::code_not_in_data:
            return "No policy in this data lists code " + q.code +
                   ", so covercheck cannot say whether it is covered or needs prior authorization. "
                   "This is not a statement that it is not covered.";
        case gap::no_current_version:
            return "This data holds " + policy_name(*a.policy) + " only for dates of service up to " +
                   format_iso_date(a.policy->effective_to) + "; give a date of service in that period.";
        case gap::date_before_policy:
            return "The version of " + policy_name(*a.policy) + " in this data applies to dates of service from " +
                   format_iso_date(a.policy->effective_from) + "; the version in force on " + format_iso_date(q.date) +
                   " is not in the data.";
        case gap::date_after_policy:
            return "The version of " + policy_name(*a.policy) + " in this data applies to dates of service up to " +
                   format_iso_date(a.policy->effective_to) + "; the version in force on " + format_iso_date(q.date) +
                   " is not in the data.";
        case gap::product_not_in_policy:
            return policy_name(*a.policy) + " does not name the product " + product + ".";
        case gap::code_not_for_product:
            return policy_name(*a.policy) + " lists code " + q.code + ", but not for " + product + ".";
        case gap::no_authorization_rule:
            return policy_name(*a.policy) + " does not state a prior-authorization rule for " + product + " " +
                   std::string(to_string(q.where)) + ".";
    }
    return {};
}

void write_result(json_writer& out, const catalog& data, const query& q, const answer& a) {
    const auto& product = data.products()[q.product];
    out.begin_object();
    out.key("query").begin_object().field("code", q.code).field("product", product.id).field("setting", to_string(q.where));
    if (q.date != 0) out.field("date", format_iso_date(q.date));
    out.end_object();

    out.key("code").begin_object();
    if (a.code) {
        out.field("system", a.code->system).field("code", a.code->code).field("description", a.code->description);
        if (a.code->line > 0) out.field("line", a.code->line);
    } else {
        out.field("code", q.code);
    }
    out.end_object();

    out.key("product").raw(product.summary_json);

    out.key("coverage").begin_object().field("status", to_string(a.coverage));
    if (a.coverage_gap != gap::none) {
        out.field("reason", gap_reason(data, q, a, a.coverage_gap));
    } else {
        if (a.coverage_rule) {
            out.field("statement", a.coverage_rule->statement);
            write_source(out, a.coverage_rule->section, a.coverage_rule->line);
        }
        out.field("code_statement", a.group->statement);
        if (a.group->line > 0) out.field("code_statement_line", a.group->line);
    }
    out.end_object();

    out.key("authorization").begin_object().field("setting", to_string(q.where)).field("status", to_string(a.authorization));
    if (a.authorization_gap != gap::none) {
        out.field("reason", gap_reason(data, q, a, a.authorization_gap));
    } else {
        out.field("statement", a.authorization_rule->statement);
        if (!a.authorization_rule->printed_product.empty()) {
            out.field("printed_product", a.authorization_rule->printed_product);
        }
        write_source(out, a.authorization_rule->section, a.authorization_rule->line);
    }
    out.end_object();

    if (a.policy) out.key("policy").raw(a.policy->summary_json);
    out.key("notices").raw(a.policy ? std::string_view(a.policy->notices_json) : std::string_view("[]"));
    out.field("data_version", data.version());
    out.end_object();
}

void write_matrix(json_writer& out, const catalog& data, const matrix_query& m) {
    out.begin_object();
    out.key("query").begin_object();
    out.key("codes").begin_array();
    for (const auto& code : m.codes) out.value(code);
    out.end_array();
    out.key("products").begin_array();
    for (auto p : m.products) out.value(data.products()[p].id);
    out.end_array();
    out.key("settings").begin_array();
    for (auto s : m.settings) out.value(to_string(s));
    out.end_array();
    if (m.date != 0) out.field("date", format_iso_date(m.date));
    out.end_object();

    // Cells first (answers are computed once), with the per-code descriptions gathered on the way.
    json_writer cells;
    cells.reserve(m.codes.size() * m.products.size() * m.settings.size() * 110);
    cells.begin_array();
    std::vector<const code_entry*> described(m.codes.size(), nullptr);
    std::vector<bool> policy_listed(data.policies().size(), false);
    std::size_t coverage_counts[6] = {};
    std::size_t authorization_counts[4] = {};
    for (std::size_t c = 0; c < m.codes.size(); ++c) {
        for (auto p : m.products) {
            for (auto s : m.settings) {
                const query q{m.codes[c], p, s, m.date};
                const auto a = data.evaluate(q);
                if (a.code && !described[c]) described[c] = a.code;
                cells.begin_object()
                    .field("code", m.codes[c])
                    .field("product", data.products()[p].id)
                    .field("setting", to_string(s))
                    .field("coverage", to_string(a.coverage))
                    .field("authorization", to_string(a.authorization));
                if (a.policy) {
                    cells.field("policy", a.policy->id);
                    policy_listed[static_cast<std::size_t>(a.policy - data.policies().data())] = true;
                }
                const auto why = a.coverage_gap != gap::none ? a.coverage_gap : a.authorization_gap;
                if (why != gap::none) cells.field("reason", gap_reason(data, q, a, why));
                cells.end_object();
                ++coverage_counts[static_cast<std::size_t>(a.coverage)];
                ++authorization_counts[static_cast<std::size_t>(a.authorization)];
            }
        }
    }
    cells.end_array();

    out.key("codes").begin_array();
    for (std::size_t c = 0; c < m.codes.size(); ++c) {
        out.begin_object().field("code", m.codes[c]);
        if (described[c]) out.field("system", described[c]->system).field("description", described[c]->description);
        out.end_object();
    }
    out.end_array();
    out.key("cells").raw(cells.str());

    out.key("counts").begin_object();
    out.key("coverage").begin_object();
    for (std::size_t i = 0; i < 6; ++i) {
        if (coverage_counts[i]) out.field(to_string(static_cast<coverage_status>(i)), std::uint64_t{coverage_counts[i]});
    }
    out.end_object();
    out.key("authorization").begin_object();
    for (std::size_t i = 0; i < 4; ++i) {
        if (authorization_counts[i]) {
            out.field(to_string(static_cast<authorization_status>(i)), std::uint64_t{authorization_counts[i]});
        }
    }
    out.end_object();
    out.end_object();

    out.key("policies").begin_object();
    std::vector<std::string_view> written;  // two versions of one policy are listed once
    for (std::size_t i = 0; i < policy_listed.size(); ++i) {
        const auto& policy = data.policies()[i];
        if (!policy_listed[i] || std::find(written.begin(), written.end(), policy.id) != written.end()) continue;
        written.push_back(policy.id);
        out.key(policy.id).raw(policy.summary_json);
    }
    out.end_object();
    out.field("data_version", data.version());
    out.end_object();
}

}  // namespace covercheck::detail
