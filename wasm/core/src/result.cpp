// Result JSON: the query echoed, the code, coverage and authorization with the policy's own
// words, the policy, its notices and the data version. not-in-data always carries a reason.
#include "detail/result.hpp"

namespace covercheck::detail {
namespace {

using ojson = nlohmann::ordered_json;

std::string policy_name(const policy_record& p) { return "Policy " + p.number + " (" + p.title + ")"; }

ojson query_json(const catalog& data, const query& q) {
    ojson out;
    out["code"] = q.code;
    out["product"] = data.products()[q.product].id;
    out["setting"] = to_string(q.where);
    if (q.date != 0) out["date"] = format_iso_date(q.date);
    return out;
}

void add_source(ojson& out, const std::string& section, int line) {
    if (!section.empty()) out["section"] = section;
    if (line > 0) out["line"] = line;
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

ojson result_json(const catalog& data, const query& q, const answer& a) {
    ojson out;
    out["query"] = query_json(data, q);

    ojson code;
    if (a.code) {
        code["system"] = a.code->system;
        code["code"] = a.code->code;
        code["description"] = a.code->description;
        if (a.code->line > 0) code["line"] = a.code->line;
    } else {
        code["code"] = q.code;
    }
    out["code"] = std::move(code);

    const auto& product = data.products()[q.product];
    out["product"] = {{"id", product.id}, {"label", product.label}};

    ojson coverage;
    coverage["status"] = to_string(a.coverage);
    if (a.coverage_gap != gap::none) {
        coverage["reason"] = gap_reason(data, q, a, a.coverage_gap);
    } else {
        if (a.coverage_rule) {
            coverage["statement"] = a.coverage_rule->statement;
            add_source(coverage, a.coverage_rule->section, a.coverage_rule->line);
        }
        coverage["code_statement"] = a.group->statement;
        if (a.group->line > 0) coverage["code_statement_line"] = a.group->line;
    }
    out["coverage"] = std::move(coverage);

    ojson authorization;
    authorization["setting"] = to_string(q.where);
    authorization["status"] = to_string(a.authorization);
    if (a.authorization_gap != gap::none) {
        authorization["reason"] = gap_reason(data, q, a, a.authorization_gap);
    } else {
        authorization["statement"] = a.authorization_rule->statement;
        if (!a.authorization_rule->printed_product.empty()) {
            authorization["printed_product"] = a.authorization_rule->printed_product;
        }
        add_source(authorization, a.authorization_rule->section, a.authorization_rule->line);
    }
    out["authorization"] = std::move(authorization);

    if (a.policy) out["policy"] = a.policy->summary;
    out["notices"] = a.policy ? a.policy->notices : ojson::array();
    out["data_version"] = data.version();
    return out;
}

ojson matrix_json(const catalog& data, const matrix_query& m) {
    ojson out;
    ojson echo;
    echo["codes"] = m.codes;
    auto products = ojson::array();
    for (auto p : m.products) products.push_back(data.products()[p].id);
    echo["products"] = std::move(products);
    auto settings = ojson::array();
    for (auto s : m.settings) settings.push_back(to_string(s));
    echo["settings"] = std::move(settings);
    if (m.date != 0) echo["date"] = format_iso_date(m.date);
    out["query"] = std::move(echo);

    auto codes = ojson::array();
    auto cells = ojson::array();
    auto policies = ojson::object();
    std::vector<bool> policy_listed(data.policies().size(), false);
    std::size_t coverage_counts[6] = {};
    std::size_t authorization_counts[4] = {};
    for (const auto& code : m.codes) {
        ojson code_info;
        code_info["code"] = code;
        bool described = false;
        for (auto p : m.products) {
            for (auto s : m.settings) {
                const query q{code, p, s, m.date};
                const auto a = data.evaluate(q);
                if (a.code && !described) {
                    code_info["system"] = a.code->system;
                    code_info["description"] = a.code->description;
                    described = true;
                }
                ojson cell;
                cell["code"] = code;
                cell["product"] = data.products()[p].id;
                cell["setting"] = to_string(s);
                cell["coverage"] = to_string(a.coverage);
                cell["authorization"] = to_string(a.authorization);
                if (a.policy) {
                    cell["policy"] = a.policy->id;
                    const auto index = static_cast<std::size_t>(a.policy - data.policies().data());
                    if (!policy_listed[index]) {
                        policy_listed[index] = true;
                        policies[a.policy->id] = a.policy->summary;
                    }
                }
                const auto why = a.coverage_gap != gap::none ? a.coverage_gap : a.authorization_gap;
                if (why != gap::none) cell["reason"] = gap_reason(data, q, a, why);
                ++coverage_counts[static_cast<std::size_t>(a.coverage)];
                ++authorization_counts[static_cast<std::size_t>(a.authorization)];
                cells.push_back(std::move(cell));
            }
        }
        codes.push_back(std::move(code_info));
    }
    out["codes"] = std::move(codes);
    out["cells"] = std::move(cells);
    ojson counts;
    for (std::size_t i = 0; i < 6; ++i) {
        if (coverage_counts[i]) counts["coverage"][std::string(to_string(static_cast<coverage_status>(i)))] = coverage_counts[i];
    }
    for (std::size_t i = 0; i < 4; ++i) {
        if (authorization_counts[i]) {
            counts["authorization"][std::string(to_string(static_cast<authorization_status>(i)))] =
                authorization_counts[i];
        }
    }
    out["counts"] = std::move(counts);
    out["policies"] = std::move(policies);
    out["data_version"] = data.version();
    return out;
}

}  // namespace covercheck::detail
