// Answering queries from a loaded catalog. Every answer comes from the data; where the data is
// silent the answer is not-in-data with the gap that explains it.
#include <algorithm>

#include "covercheck/catalog.hpp"
#include "detail/text.hpp"

namespace covercheck {
namespace {

bool contains(const detail::policy_record& policy, day date) noexcept {
    return date >= policy.effective_from && (policy.effective_to == 0 || date <= policy.effective_to);
}

}  // namespace

std::pair<std::size_t, std::size_t> catalog::entries_for(std::uint64_t key) const noexcept {
    const auto range = std::equal_range(m_keys.begin(), m_keys.end(), key);
    return {static_cast<std::size_t>(range.first - m_keys.begin()),
            static_cast<std::size_t>(range.second - m_keys.begin())};
}

answer catalog::evaluate(const query& q) const noexcept {
    answer a;
    const auto [first, last] = entries_for(code_key(q.code));
    if (first == last) {
        a.coverage_gap = a.authorization_gap = gap::code_not_in_data;
        return a;
    }
    const detail::product_mask product = detail::product_mask{1} << q.product;

    // Choose the policy version in force: on the date of service, or the current one.
    const detail::code_entry* in_force = nullptr;   // an entry of the right version, any product
    const detail::code_entry* for_product = nullptr;
    for (std::size_t i = first; i < last; ++i) {
        const auto& entry = m_entries[i];
        const auto& policy = m_policies[entry.policy];
        const bool applies = q.date != 0 ? contains(policy, q.date) : policy.effective_to == 0;
        if (!applies) continue;
        if (!in_force) in_force = &entry;
        if (policy.groups[entry.group].products & product) {
            for_product = &entry;
            break;
        }
    }

    if (!in_force) {
        // The code is known, but no version of its policy covers this date: say which is nearest.
        const auto& nearest = m_entries[q.date != 0 && q.date < m_policies[m_entries[first].policy].effective_from
                                            ? first
                                            : last - 1];
        a.code = &nearest;
        a.policy = &m_policies[nearest.policy];
        gap why = gap::no_current_version;
        if (q.date != 0) why = q.date < a.policy->effective_from ? gap::date_before_policy : gap::date_after_policy;
        a.coverage_gap = a.authorization_gap = why;
        return a;
    }

    a.code = for_product ? for_product : in_force;
    a.policy = &m_policies[a.code->policy];
    if (!for_product) {
        const auto why = (a.policy->products & product) ? gap::code_not_for_product : gap::product_not_in_policy;
        a.coverage_gap = a.authorization_gap = why;
        return a;
    }

    a.group = &a.policy->groups[a.code->group];
    a.coverage = a.group->status;
    for (const auto& rule : a.policy->coverage) {
        if ((rule.products & product) && rule.status == a.group->status) {
            a.coverage_rule = &rule;
            break;
        }
    }
    for (const auto& rule : a.policy->authorization) {
        if (rule.where == q.where && (rule.products & product)) {
            a.authorization_rule = &rule;
            a.authorization = rule.status;
            break;
        }
    }
    if (!a.authorization_rule) a.authorization_gap = gap::no_authorization_rule;
    return a;
}

std::optional<std::size_t> catalog::find_product(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < m_products.size(); ++i) {
        if (m_products[i].id == id) return i;
    }
    return std::nullopt;
}

const detail::policy_record* catalog::find_policy(std::string_view id) const noexcept {
    // Several versions of a policy share an id; the current (latest) one is the answer.
    const detail::policy_record* found = nullptr;
    for (const auto& policy : m_policies) {
        if (policy.id == id && (!found || policy.effective_from > found->effective_from)) found = &policy;
    }
    return found;
}

const nlohmann::json& catalog::policy_document(const detail::policy_record& policy) const {
    return m_source.at("policies").at(static_cast<std::size_t>(&policy - m_policies.data()));
}

std::vector<std::size_t> catalog::codes_per_policy() const {
    std::vector<std::size_t> counts(m_policies.size(), 0);
    std::vector<std::uint32_t> seen;  // the policies of the current code (entries of a code are contiguous)
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (i == 0 || m_entries[i - 1].key != m_entries[i].key) seen.clear();
        const auto policy = m_entries[i].policy;
        if (std::find(seen.begin(), seen.end(), policy) != seen.end()) continue;
        seen.push_back(policy);
        ++counts[policy];
    }
    return counts;
}

std::vector<const detail::code_entry*> catalog::distinct_codes() const {
    std::vector<const detail::code_entry*> codes;
    codes.reserve(m_distinct_codes);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (i == 0 || m_entries[i - 1].key != m_entries[i].key) codes.push_back(&m_entries[i]);
    }
    return codes;
}

std::vector<search_hit> catalog::search(std::string_view text, std::size_t limit) const {
    std::vector<search_hit> hits;
    const auto words = detail::words_of(text);
    if (words.empty() || limit == 0) return hits;

    // Codes whose text starts with the (single) typed token: "473" finds 47371, 47381, 47383.
    std::vector<std::uint32_t> by_code;
    if (words.size() == 1 && words[0].size() <= 5) {
        std::string prefix = words[0];
        for (auto& c : prefix) {
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        auto it = std::lower_bound(m_keys.begin(), m_keys.end(), code_key(prefix));
        for (auto i = static_cast<std::size_t>(it - m_keys.begin()); i < m_entries.size() && by_code.size() < limit;
             ++i) {
            if (m_entries[i].code.compare(0, prefix.size(), prefix) != 0) break;
            if (i > 0 && m_entries[i - 1].key == m_entries[i].key) continue;
            by_code.push_back(static_cast<std::uint32_t>(i));
        }
    }
    for (auto i : by_code) hits.push_back({&m_entries[i], true});

    // Codes whose description has a word starting with every typed word: "cryo liver".
    std::vector<std::uint32_t> matches;
    for (std::size_t w = 0; w < words.size(); ++w) {
        std::vector<std::uint32_t> for_word;
        auto it = std::lower_bound(m_words.begin(), m_words.end(), words[w]);
        std::size_t lists = 0;
        for (; it != m_words.end() && it->compare(0, words[w].size(), words[w]) == 0; ++it, ++lists) {
            const auto& entries = m_word_entries[static_cast<std::size_t>(it - m_words.begin())];
            for_word.insert(for_word.end(), entries.begin(), entries.end());
        }
        if (lists > 1) {
            std::sort(for_word.begin(), for_word.end());
            for_word.erase(std::unique(for_word.begin(), for_word.end()), for_word.end());
        }
        if (w == 0) {
            matches = std::move(for_word);
        } else {
            std::vector<std::uint32_t> both;
            std::set_intersection(matches.begin(), matches.end(), for_word.begin(), for_word.end(),
                                  std::back_inserter(both));
            matches = std::move(both);
        }
        if (matches.empty()) break;
    }
    for (auto i : matches) {
        if (hits.size() >= limit) break;
        if (std::find(by_code.begin(), by_code.end(), i) == by_code.end()) hits.push_back({&m_entries[i], false});
    }
    return hits;
}

}  // namespace covercheck
