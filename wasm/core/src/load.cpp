// Loading a policy bundle: parse, validate every field the evaluator relies on, index.
// Validation mirrors policy-data/schema/*.schema.json; problems become "data.*" errors.
#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <stdexcept>

#include "covercheck/catalog.hpp"
#include "covercheck/sha256.hpp"
#include "detail/json_reader.hpp"
#include "detail/json_writer.hpp"
#include "detail/text.hpp"

namespace covercheck {
namespace {

using nlohmann::json;
using detail::product_mask;

struct data_error : std::runtime_error {
    data_error(std::string code_, std::string message, std::string path_)
        : std::runtime_error(std::move(message)), code(std::move(code_)), path(std::move(path_)) {}
    std::string code;
    std::string path;
};

[[noreturn]] void fail(std::string code, std::string message, std::string path) {
    throw data_error(std::move(code), std::move(message), std::move(path));
}

// Reads fields of one JSON object, keeping the JSON Pointer of each for error messages.
class object_reader {
public:
    object_reader(const json& value, std::string path) : m_value(value), m_path(std::move(path)) {
        if (!m_value.is_object()) fail("data.wrong_type", "expected an object", m_path);
    }

    const std::string& path() const { return m_path; }
    std::string path_of(std::string_view key) const { return pointer_append(m_path, key); }
    bool has(std::string_view key) const { return m_value.contains(key); }

    const json& required(std::string_view key) const {
        auto it = m_value.find(key);
        if (it == m_value.end()) {
            fail("data.missing_field", "required field \"" + std::string(key) + "\" is missing", path_of(key));
        }
        return *it;
    }

    std::string text(std::string_view key) const { return as_text(required(key), path_of(key)); }

    std::string optional_text(std::string_view key) const {
        return has(key) ? as_text(m_value.at(std::string(key)), path_of(key)) : std::string();
    }

    int optional_line(std::string_view key) const {
        if (!has(key)) return 0;
        const auto& v = m_value.at(std::string(key));
        if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 100'000'000) {
            fail("data.wrong_type", "expected a positive line number", path_of(key));
        }
        return v.get<int>();
    }

    const json& array(std::string_view key, bool non_empty) const {
        const auto& v = required(key);
        if (!v.is_array()) fail("data.wrong_type", "expected an array", path_of(key));
        if (non_empty && v.empty()) fail("data.empty_list", "expected at least one entry", path_of(key));
        return v;
    }

    static std::string as_text(const json& v, const std::string& path) {
        if (!v.is_string()) fail("data.wrong_type", "expected a string", path);
        const auto& s = v.get_ref<const std::string&>();
        if (s.empty()) fail("data.empty_text", "expected a non-empty string", path);
        return s;
    }

private:
    const json& m_value;
    std::string m_path;
};

std::string require_id(const object_reader& r, std::string_view key) {
    auto id = r.text(key);
    if (!detail::is_identifier(id)) {
        fail("data.invalid_id", "expected lower-case words joined by '-', got " + quote_input(id), r.path_of(key));
    }
    return id;
}

class loader {
public:
    explicit loader(const std::vector<product_info>& products) : m_products(products) {}

    product_mask product_list(const object_reader& r, std::string_view key, product_mask allowed) const {
        const auto& list = r.array(key, true);
        product_mask mask = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto path = pointer_append(r.path_of(key), i);
            const auto id = object_reader::as_text(list[i], path);
            std::size_t index = 0;
            while (index < m_products.size() && m_products[index].id != id) ++index;
            if (index == m_products.size()) {
                fail("data.unknown_product", "product " + quote_input(id) + " is not in the bundle's products", path);
            }
            const product_mask bit = product_mask{1} << index;
            if (mask & bit) fail("data.duplicate_product", "product listed twice", path);
            if (!(allowed & bit)) {
                fail("data.product_not_in_policy", "product " + quote_input(id) + " is not one of the policy's products",
                     path);
            }
            mask |= bit;
        }
        return mask;
    }

    detail::policy_record policy(const json& value, const std::string& path, std::vector<detail::code_entry>& entries,
                                 std::uint32_t policy_index) const {
        object_reader r(value, path);
        const auto& version = r.required("schema_version");
        if (!version.is_number_integer() || version.get<long long>() != 1) {
            fail("data.schema_version", "this build reads policy schema_version 1", r.path_of("schema_version"));
        }
        detail::policy_record p;
        p.id = require_id(r, "id");
        p.number = r.text("number");
        p.title = r.text("title");
        p.last_review = r.text("last_review");
        if (!detail::is_year_month(p.last_review)) {
            fail("data.invalid_date", "expected YYYY-MM, got " + quote_input(p.last_review), r.path_of("last_review"));
        }
        r.text("publisher");

        object_reader effective(r.required("effective"), r.path_of("effective"));
        p.effective_from = date_field(effective, "from", true);
        p.effective_to = date_field(effective, "to", false);
        if (p.effective_to != 0 && p.effective_to < p.effective_from) {
            fail("data.invalid_period", "the period ends before it starts", effective.path_of("to"));
        }

        const product_mask every = m_products.size() == 64 ? ~product_mask{0} : (product_mask{1} << m_products.size()) - 1;
        p.products = product_list(r, "products", every);

        const auto& coverage = r.array("coverage", false);
        for (std::size_t i = 0; i < coverage.size(); ++i) {
            object_reader c(coverage[i], pointer_append(r.path_of("coverage"), i));
            detail::coverage_rule rule;
            rule.products = product_list(c, "products", p.products);
            rule.status = coverage_status_field(c, "status");
            rule.statement = c.text("statement");
            rule.section = c.optional_text("section");
            rule.line = c.optional_line("line");
            p.coverage.push_back(std::move(rule));
        }

        const auto& authorization = r.array("authorization", false);
        for (std::size_t i = 0; i < authorization.size(); ++i) {
            object_reader a(authorization[i], pointer_append(r.path_of("authorization"), i));
            detail::authorization_rule rule;
            const auto where = a.text("setting");
            const auto parsed = parse_setting(where);
            if (!parsed) fail("data.unknown_setting", "unknown setting " + quote_input(where), a.path_of("setting"));
            rule.where = *parsed;
            rule.products = product_list(a, "products", p.products);
            const auto status = a.text("status");
            const auto parsed_status = parse_authorization_status(status);
            if (!parsed_status) {
                fail("data.unknown_status", "unknown authorization status " + quote_input(status), a.path_of("status"));
            }
            rule.status = *parsed_status;
            rule.statement = a.text("statement");
            rule.section = a.optional_text("section");
            rule.printed_product = a.optional_text("printed_product");
            rule.line = a.optional_line("line");
            for (const auto& earlier : p.authorization) {
                if (earlier.where == rule.where && (earlier.products & rule.products)) {
                    fail("data.conflicting_rules", "two authorization rules for the same setting and product",
                         a.path_of("products"));
                }
            }
            p.authorization.push_back(std::move(rule));
        }

        const auto& groups = r.array("code_groups", true);
        for (std::size_t g = 0; g < groups.size(); ++g) {
            object_reader gr(groups[g], pointer_append(r.path_of("code_groups"), g));
            detail::code_group group;
            group.status = coverage_status_field(gr, "status");
            group.products = product_list(gr, "products", p.products);
            group.statement = gr.text("statement");
            group.line = gr.optional_line("line");
            check_group_against_coverage(p, group, gr.path_of("status"));
            const auto& codes = gr.array("codes", true);
            for (std::size_t i = 0; i < codes.size(); ++i) {
                object_reader cr(codes[i], pointer_append(gr.path_of("codes"), i));
                detail::code_entry entry;
                entry.system = cr.text("system");
                if (entry.system != "CPT" && entry.system != "HCPCS") {
                    fail("data.unknown_code_system", "expected CPT or HCPCS, got " + quote_input(entry.system),
                         cr.path_of("system"));
                }
                entry.code = cr.text("code");
                const auto canonical = normalize_code(entry.code);
                if (!canonical || *canonical != entry.code) {
                    fail("data.invalid_code", "not a canonical CPT or HCPCS code: " + quote_input(entry.code),
                         cr.path_of("code"));
                }
                entry.description = cr.text("description");
                entry.line = cr.optional_line("line");
                entry.key = code_key(entry.code);
                entry.policy = policy_index;
                entry.group = static_cast<std::uint32_t>(p.groups.size());
                entry.index_in_group = static_cast<std::uint32_t>(i);
                entries.push_back(std::move(entry));
            }
            p.groups.push_back(std::move(group));
        }

        detail::json_writer notices;
        notices.begin_array();
        if (r.has("coding_notices")) {
            const auto& list = r.array("coding_notices", false);
            for (std::size_t i = 0; i < list.size(); ++i) {
                notices.value(object_reader::as_text(list[i], pointer_append(r.path_of("coding_notices"), i)));
            }
        }
        p.notices_json = notices.end_array().take();
        p.summary_json = summary(r, p);
        return p;
    }

private:
    static day date_field(const object_reader& r, std::string_view key, bool required) {
        if (!required && !r.has(key)) return 0;
        const auto text = r.text(key);
        const auto parsed = parse_iso_date(text);
        if (!parsed) fail("data.invalid_date", "expected a date YYYY-MM-DD, got " + quote_input(text), r.path_of(key));
        return *parsed;
    }

    static coverage_status coverage_status_field(const object_reader& r, std::string_view key) {
        const auto text = r.text(key);
        const auto parsed = parse_coverage_status(text);
        if (!parsed) fail("data.unknown_status", "unknown coverage status " + quote_input(text), r.path_of(key));
        return *parsed;
    }

    // A code table may not contradict the policy's statements: where the policy states coverage
    // for a product, one of those statements must have the status the table gives its codes.
    static void check_group_against_coverage(const detail::policy_record& p, const detail::code_group& group,
                                             const std::string& path) {
        for (std::size_t bit = 0; bit < detail::max_products; ++bit) {
            const product_mask product = product_mask{1} << bit;
            if (!(group.products & product)) continue;
            bool stated = false;
            bool agrees = false;
            for (const auto& rule : p.coverage) {
                if (!(rule.products & product)) continue;
                stated = true;
                agrees = agrees || rule.status == group.status;
            }
            if (stated && !agrees) {
                fail("data.inconsistent_status",
                     "the code table's status \"" + std::string(to_string(group.status)) +
                         "\" matches none of the policy's coverage statements for that product",
                     path);
            }
        }
    }

    static std::string summary(const object_reader& r, const detail::policy_record& p) {
        detail::json_writer s;
        s.begin_object();
        s.field("id", p.id);
        s.field("publisher", r.text("publisher"));
        s.field("number", p.number);
        s.field("title", p.title);
        if (r.has("bcbsa_reference")) s.field("bcbsa_reference", r.text("bcbsa_reference"));
        if (r.has("ncd_lcd")) s.field("ncd_lcd", r.text("ncd_lcd"));
        s.field("last_review", p.last_review);
        s.field("effective_from", format_iso_date(p.effective_from));
        if (p.effective_to != 0) s.field("effective_to", format_iso_date(p.effective_to));
        s.key("related_policies").begin_array();
        if (r.has("related_policies")) {
            const auto& list = r.array("related_policies", false);
            for (std::size_t i = 0; i < list.size(); ++i) {
                object_reader rp(list[i], pointer_append(r.path_of("related_policies"), i));
                s.begin_object().field("number", rp.text("number")).field("title", rp.text("title")).end_object();
            }
        }
        s.end_array();
        return s.end_object().take();
    }

    const std::vector<product_info>& m_products;
};

std::vector<product_info> read_products(const object_reader& bundle) {
    const auto& list = bundle.array("products", true);
    if (list.size() > detail::max_products) {
        fail("data.too_many_products", "at most 64 products are supported", bundle.path_of("products"));
    }
    std::vector<product_info> products;
    for (std::size_t i = 0; i < list.size(); ++i) {
        object_reader r(list[i], pointer_append(bundle.path_of("products"), i));
        product_info info{require_id(r, "id"), r.text("label"), r.optional_text("line_of_business"), {}};
        info.summary_json =
            detail::json_writer().begin_object().field("id", info.id).field("label", info.label).end_object().take();
        for (const auto& earlier : products) {
            if (earlier.id == info.id) fail("data.duplicate_product", "product id listed twice", r.path_of("id"));
        }
        products.push_back(std::move(info));
    }
    return products;
}

// A guess at the canonical text's size, so the writer grows its buffer once or twice.
std::size_t bundle_size_hint(const json& bundle) {
    const auto policies = bundle.find("policies");
    return policies != bundle.end() && policies->is_array() ? policies->size() * 4096 : 65536;
}

bool periods_overlap(const detail::policy_record& a, const detail::policy_record& b) {
    const auto a_end = a.effective_to == 0 ? 99991231 : a.effective_to;
    const auto b_end = b.effective_to == 0 ? 99991231 : b.effective_to;
    return a.effective_from <= b_end && b.effective_from <= a_end;
}

}  // namespace

std::variant<catalog, error> catalog::load(std::string_view bundle_text, const load_options& options) {
    std::variant<json, detail::json_problem> read;
    try {
        read = detail::read_json(bundle_text, detail::max_data_depth);
    } catch (const std::bad_alloc&) {
        return error{"data.too_large", "the policy data is too large to load", ""};
    }
    if (auto* problem = std::get_if<detail::json_problem>(&read)) {
        switch (problem->what) {
            case detail::json_problem::kind::too_deep:
                return error{"data.too_deep",
                             "the policy data nests deeper than " + std::to_string(detail::max_data_depth) + " levels",
                             ""};
            case detail::json_problem::kind::duplicate_key:
                return error{"data.duplicate_key", "a member of the policy data is given twice", problem->path};
            case detail::json_problem::kind::number_too_large:
                return error{"data.malformed_json", "the policy data holds a number too large to read", ""};
            case detail::json_problem::kind::malformed:
                break;
        }
        return error{"data.malformed_json",
                     "the policy data is not valid JSON (at byte " + std::to_string(problem->byte) + ")", ""};
    }
    return load(std::move(std::get<json>(read)), options);
}

std::variant<catalog, error> catalog::load(json bundle, const load_options& options) {
    try {
        object_reader r(bundle, "");
        const auto& version = r.required("schema_version");
        if (!version.is_number_integer() || version.get<long long>() != 1) {
            fail("data.schema_version", "this build reads bundle schema_version 1", "/schema_version");
        }
        catalog result;
        // Integrity before meaning: damaged data is reported as damaged, not as whatever the
        // damage happens to break. The digest covers the data itself, not how it was formatted,
        // so the page and the command line show the same version for the same content.
        detail::json_writer canonical;
        canonical.reserve(bundle_size_hint(bundle));
        try {
            // The whole bundle but its own "digest" member, keys in order.
            canonical.begin_object();
            for (const auto& item : bundle.items()) {
                if (item.key() == "digest") continue;
                canonical.key(item.key());
                detail::write_json(canonical, item.value());
            }
            canonical.end_object();
        } catch (const std::invalid_argument& e) {
            fail("data.wrong_type", e.what(), "");
        }
        result.m_digest = sha256_hex(canonical.str());
        result.m_version = result.m_digest.substr(0, 12);
        if (bundle.contains("digest")) {
            const auto& stated = bundle.at("digest");
            if (!stated.is_string() || stated.get_ref<const std::string&>() != result.m_digest) {
                fail("data.digest_mismatch",
                     "the policy data does not match the digest it was shipped with; it may be damaged", "/digest");
            }
        } else if (options.require_digest) {
            fail("data.missing_digest", "the policy bundle lacks its digest, so it cannot be verified", "/digest");
        }

        result.m_products = read_products(r);

        const auto& policies = r.array("policies", true);
        loader load_policy(result.m_products);
        for (std::size_t i = 0; i < policies.size(); ++i) {
            const auto path = pointer_append("/policies", i);
            result.m_policies.push_back(
                load_policy.policy(policies[i], path, result.m_entries, static_cast<std::uint32_t>(i)));
            for (std::size_t k = 0; k < i; ++k) {
                if (result.m_policies[k].id == result.m_policies[i].id &&
                    periods_overlap(result.m_policies[k], result.m_policies[i])) {
                    fail("data.duplicate_policy", "two versions of policy " + result.m_policies[i].id +
                                                      " cover the same dates", pointer_append(path, "id"));
                }
            }
        }

        result.build_indexes();
        result.m_source = std::move(bundle);
        return result;
    } catch (const data_error& e) {
        return error{e.code, e.what(), e.path};
    } catch (const json::exception& e) {
        return error{"data.invalid", std::string("the policy data could not be read: ") + e.what(), ""};
    } catch (const std::bad_alloc&) {
        return error{"data.too_large", "the policy data is too large to load", ""};
    }
}

void catalog::build_indexes() {
    std::stable_sort(m_entries.begin(), m_entries.end(), [this](const auto& a, const auto& b) {
        if (a.key != b.key) return a.key < b.key;
        return m_policies[a.policy].effective_from < m_policies[b.policy].effective_from;
    });
    // One code may sit in several groups or policies, but only one may answer for a given
    // product on a given date: anything else would make the answer a guess.
    for (std::size_t i = 1; i < m_entries.size(); ++i) {
        const auto& b = m_entries[i];
        for (std::size_t k = i; k-- > 0 && m_entries[k].key == b.key;) {
            const auto& a = m_entries[k];
            const auto& pa = m_policies[a.policy];
            const auto& pb = m_policies[b.policy];
            if (!(pa.groups[a.group].products & pb.groups[b.group].products) || !periods_overlap(pa, pb)) continue;
            // Point at whichever of the two comes later in the bundle.
            const auto position = [](const detail::code_entry& e) {
                return std::make_tuple(e.policy, e.group, e.index_in_group);
            };
            const auto& entry = position(a) > position(b) ? a : b;
            const auto path = pointer_append(
                pointer_append(pointer_append(pointer_append(pointer_append("/policies", entry.policy), "code_groups"),
                                              entry.group),
                               "codes"),
                entry.index_in_group);
            if (a.policy == b.policy) {
                fail("data.duplicate_code", "code " + b.code + " is listed twice for the same product",
                     pointer_append(path, "code"));
            }
            fail("data.conflicting_policies", "policies " + pa.number + " and " + pb.number +
                                                  " both answer for code " + b.code + " for the same product and dates",
                 pointer_append(path, "code"));
        }
    }
    m_keys.clear();
    m_keys.reserve(m_entries.size());
    // Words are interned as they are met, then ordered once: sorting every (word, entry) pair
    // took most of the load time of a 100,000-code catalog.
    std::unordered_map<std::string, std::uint32_t> word_ids;
    std::vector<std::string> words;
    std::vector<std::vector<std::uint32_t>> postings;
    m_distinct_codes = 0;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        m_keys.push_back(m_entries[i].key);
        if (i > 0 && m_entries[i - 1].key == m_entries[i].key) continue;
        ++m_distinct_codes;
        for (auto& word : detail::words_of(m_entries[i].description)) {
            auto [it, added] = word_ids.try_emplace(std::move(word), static_cast<std::uint32_t>(words.size()));
            if (added) {
                words.push_back(it->first);
                postings.emplace_back();
            }
            auto& list = postings[it->second];
            if (list.empty() || list.back() != i) list.push_back(static_cast<std::uint32_t>(i));
        }
    }
    std::vector<std::uint32_t> order(words.size());
    for (std::uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return words[a] < words[b]; });
    m_words.clear();
    m_word_entries.clear();
    m_words.reserve(order.size());
    m_word_entries.reserve(order.size());
    for (auto k : order) {
        m_words.push_back(std::move(words[k]));
        m_word_entries.push_back(std::move(postings[k]));
    }
}

}  // namespace covercheck
