// The loaded policy catalog: validated once, indexed by code, then queried with const calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "covercheck/error.hpp"
#include "covercheck/vocabulary.hpp"

namespace covercheck {

// A calendar date as yyyymmdd (20261124); 0 means "no date given".
using day = std::int32_t;
std::optional<day> parse_iso_date(std::string_view text) noexcept;
std::string format_iso_date(day value);

// A procedure code as users type it ("47371 ", "j1234") made canonical ("47371", "J1234"), or
// nothing when it is not a CPT or HCPCS Level II code.
std::optional<std::string> normalize_code(std::string_view text);

struct product_info {
    std::string id;
    std::string label;
    std::string line_of_business;
    std::string summary_json;  // {"id","label"} as written into results
};

namespace detail {

using product_mask = std::uint64_t;
inline constexpr std::size_t max_products = 64;

struct coverage_rule {
    product_mask products = 0;
    coverage_status status = coverage_status::not_in_data;
    std::string statement;
    std::string section;
    int line = 0;
};

struct authorization_rule {
    setting where = setting::inpatient;
    product_mask products = 0;
    authorization_status status = authorization_status::not_in_data;
    std::string statement;
    std::string section;
    std::string printed_product;
    int line = 0;
};

struct code_group {
    coverage_status status = coverage_status::not_in_data;
    product_mask products = 0;
    std::string statement;
    int line = 0;
};

struct code_entry {
    std::uint64_t key = 0;  // the code packed into an integer, for the index
    std::string system;
    std::string code;
    std::string description;
    std::uint32_t policy = 0;
    std::uint32_t group = 0;
    std::uint32_t index_in_group = 0;
    int line = 0;
};

struct policy_record {
    std::string id;
    std::string number;
    std::string title;
    std::string last_review;
    day effective_from = 0;
    day effective_to = 0;  // 0: open-ended (the current version)
    product_mask products = 0;
    std::vector<coverage_rule> coverage;
    std::vector<authorization_rule> authorization;
    std::vector<code_group> groups;
    std::string summary_json;  // the "policy" block of every result, written once at load
    std::string notices_json;  // the policy's disclaimers, as a JSON array
};

}  // namespace detail

// Why an answer is not-in-data. The reason text is made from this at serialisation.
enum class gap : std::uint8_t {
    none,
    code_not_in_data,
    no_current_version,
    date_before_policy,
    date_after_policy,
    product_not_in_policy,
    code_not_for_product,
    no_authorization_rule,
};

struct query {
    std::string code;
    std::size_t product = 0;
    setting where = setting::inpatient;
    day date = 0;
};

struct answer {
    const detail::code_entry* code = nullptr;         // null when no policy lists the code
    const detail::policy_record* policy = nullptr;    // the policy that speaks, or the nearest one
    const detail::code_group* group = nullptr;
    const detail::coverage_rule* coverage_rule = nullptr;
    const detail::authorization_rule* authorization_rule = nullptr;
    coverage_status coverage = coverage_status::not_in_data;
    authorization_status authorization = authorization_status::not_in_data;
    gap coverage_gap = gap::none;
    gap authorization_gap = gap::none;
};

struct search_hit {
    const detail::code_entry* entry;
    bool code_match;  // matched by code prefix rather than by description words
};

struct load_options {
    // Refuse a bundle without its "digest". Built bundles always carry one, so a bundle that lacks
    // it has lost it; only source data (policy-data/ assembled on the fly) has none.
    bool require_digest = false;
};

class catalog {
public:
    // Parses, verifies, validates and indexes a bundle:
    // {"schema_version":1,"products":[...],"policies":[...],"digest":"<sha256 hex>"}.
    // Every problem is an error with a "data.*" code and a JSON Pointer into the bundle.
    static std::variant<catalog, error> load(std::string_view bundle_text, const load_options& options = {});
    static std::variant<catalog, error> load(nlohmann::json bundle, const load_options& options = {});

    answer evaluate(const query& q) const noexcept;
    std::vector<search_hit> search(std::string_view text, std::size_t limit) const;

    const std::vector<product_info>& products() const noexcept { return m_products; }
    std::optional<std::size_t> find_product(std::string_view id) const noexcept;
    const std::vector<detail::policy_record>& policies() const noexcept { return m_policies; }
    const detail::policy_record* find_policy(std::string_view id) const noexcept;
    // The policy exactly as the data states it, for the policy view.
    const nlohmann::json& policy_document(const detail::policy_record& policy) const;
    // Every distinct code, sorted; the first entry of each code.
    std::vector<const detail::code_entry*> distinct_codes() const;
    std::size_t code_count() const noexcept { return m_distinct_codes; }
    // How many distinct codes each policy record lists (a code in two versions counts in both).
    std::vector<std::size_t> codes_per_policy() const;

    const std::string& digest() const noexcept { return m_digest; }    // SHA-256 hex of the data
    const std::string& version() const noexcept { return m_version; }  // short form shown to users

private:
    catalog() = default;
    void build_indexes();
    std::pair<std::size_t, std::size_t> entries_for(std::uint64_t key) const noexcept;

    std::vector<product_info> m_products;
    std::vector<detail::policy_record> m_policies;
    std::vector<detail::code_entry> m_entries;  // sorted by (key, policy effective_from)
    std::vector<std::uint64_t> m_keys;          // m_entries[i].key, contiguous for fast search
    // Description words for search: each distinct word once, sorted, with the entries whose
    // description has it (in entry order).
    std::vector<std::string> m_words;
    std::vector<std::vector<std::uint32_t>> m_word_entries;
    std::size_t m_distinct_codes = 0;
    nlohmann::json m_source;  // the bundle as loaded
    std::string m_digest;
    std::string m_version;
};

// Packs a canonical code (at most 8 ASCII characters) into an integer that sorts like the text.
std::uint64_t code_key(std::string_view code) noexcept;

}  // namespace covercheck
