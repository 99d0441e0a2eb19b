// Envelopes around the catalog: every entry point catches everything and answers in JSON.
#include "covercheck/service.hpp"

#include "detail/crd.hpp"
#include "detail/json_writer.hpp"
#include "detail/request.hpp"
#include "detail/result.hpp"

namespace covercheck {
namespace {

using detail::json_writer;

// Writes {"success":true,"data":<what body writes>}.
template <typename Body>
std::string success(Body&& body) {
    json_writer out;
    out.begin_object().field("success", true).key("data");
    body(out);
    return out.end_object().take();
}

// Runs `body`, turning anything thrown into an error envelope: nothing escapes to JavaScript.
template <typename Body>
std::string guarded(Body&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return error_envelope({"internal.out_of_memory", "not enough memory to answer this request", ""});
    } catch (const std::exception& e) {
        return error_envelope({"internal.error", std::string("internal error: ") + e.what(), ""});
    } catch (...) {
        return error_envelope({"internal.error", "internal error", ""});
    }
}

void write_version(json_writer& out, const catalog& data) {
    const auto codes_per_policy = data.codes_per_policy();
    out.begin_object()
        .field("data_version", data.version())
        .field("digest", "sha256:" + data.digest())
        .field("schema_version", 1)
        .field("engine", engine_version)
        .field("code_count", std::uint64_t{data.code_count()});
    out.key("policies").begin_array();
    for (std::size_t i = 0; i < data.policies().size(); ++i) {
        const auto& p = data.policies()[i];
        out.begin_object().field("id", p.id).field("number", p.number).field("title", p.title);
        out.field("last_review", p.last_review).field("effective_from", format_iso_date(p.effective_from));
        if (p.effective_to != 0) out.field("effective_to", format_iso_date(p.effective_to));
        out.field("code_count", std::uint64_t{codes_per_policy[i]}).end_object();
    }
    out.end_array().end_object();
}

}  // namespace

std::string error_envelope(const error& e) {
    json_writer out;
    out.begin_object().field("success", false).key("error").begin_object();
    out.field("code", e.code).field("message", e.message).field("path", e.path);
    if (!e.allowed.empty()) {
        out.key("allowed").begin_array();
        for (const auto& value : e.allowed) out.value(value);
        out.end_array();
    }
    return out.end_object().end_object().take();
}

service::service(std::string_view bundle_text, const load_options& options) noexcept {
    try {
        auto loaded = catalog::load(bundle_text, options);
        if (auto* e = std::get_if<error>(&loaded)) {
            m_load_error = std::move(*e);
        } else {
            m_catalog = std::make_unique<const catalog>(std::move(std::get<catalog>(loaded)));
        }
    } catch (const std::exception& e) {
        m_load_error = {"data.invalid", std::string("the policy data could not be loaded: ") + e.what(), ""};
    }
}

std::string service::evaluate(std::string_view request_json) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        auto request = detail::parse_request_text(request_json);
        if (auto* e = std::get_if<error>(&request)) return error_envelope(*e);
        auto q = detail::parse_query(*m_catalog, std::get<nlohmann::json>(request));
        if (auto* e = std::get_if<error>(&q)) return error_envelope(*e);
        const auto& parsed = std::get<query>(q);
        const auto a = m_catalog->evaluate(parsed);
        return success([&](json_writer& out) { detail::write_result(out, *m_catalog, parsed, a); });
    });
}

std::string service::matrix(std::string_view request_json) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        auto request = detail::parse_request_text(request_json);
        if (auto* e = std::get_if<error>(&request)) return error_envelope(*e);
        auto m = detail::parse_matrix_query(*m_catalog, std::get<nlohmann::json>(request));
        if (auto* e = std::get_if<error>(&m)) return error_envelope(*e);
        return success([&](json_writer& out) {
            detail::write_matrix(out, *m_catalog, std::get<detail::matrix_query>(m));
        });
    });
}

std::string service::products() const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        return success([&](json_writer& out) {
            out.begin_object().key("products").begin_array();
            for (const auto& p : m_catalog->products()) {
                out.begin_object().field("id", p.id).field("label", p.label);
                if (!p.line_of_business.empty()) out.field("line_of_business", p.line_of_business);
                out.end_object();
            }
            out.end_array();
            out.key("settings").begin_array();
            for (auto s : all_settings) out.value(to_string(s));
            out.end_array().end_object();
        });
    });
}

std::string service::search(std::string_view text, std::size_t limit) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        // Characters, not bytes: "é" counts once.
        std::size_t characters = 0;
        for (const char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (characters > 200) {
            return error_envelope({"request.too_large", "search text is limited to 200 characters", ""});
        }
        const auto hits = m_catalog->search(text, std::min<std::size_t>(limit, 100));
        return success([&](json_writer& out) {
            out.begin_object().key("results").begin_array();
            for (const auto& hit : hits) {
                const auto& policy = m_catalog->policies()[hit.entry->policy];
                out.begin_object()
                    .field("system", hit.entry->system)
                    .field("code", hit.entry->code)
                    .field("description", hit.entry->description)
                    .field("match", hit.code_match ? "code" : "description");
                out.key("policy").begin_object().field("id", policy.id).field("number", policy.number);
                out.field("title", policy.title).end_object().end_object();
            }
            out.end_array().end_object();
        });
    });
}

std::string service::version() const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        return success([&](json_writer& out) { write_version(out, *m_catalog); });
    });
}

std::string service::crd(std::string_view request_json) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        auto request = detail::parse_request_text(request_json);
        if (auto* e = std::get_if<error>(&request)) return error_envelope(*e);
        auto& fields = std::get<nlohmann::json>(request);
        const auto as_of_field = fields.find("as_of");
        if (as_of_field == fields.end()) {
            return error_envelope({"request.missing_field", "as_of (the assertion date, YYYY-MM-DD) is required", "/as_of"});
        }
        const auto as_of = as_of_field->is_string() ? parse_iso_date(as_of_field->get_ref<const std::string&>())
                                                    : std::nullopt;
        if (!as_of) return error_envelope({"request.invalid_date", "as_of must be a date written YYYY-MM-DD", "/as_of"});
        fields.erase(as_of_field);
        auto q = detail::parse_query(*m_catalog, fields);
        if (auto* e = std::get_if<error>(&q)) return error_envelope(*e);
        const auto& parsed = std::get<query>(q);
        const auto a = m_catalog->evaluate(parsed);
        return success([&](json_writer& out) {
            out.begin_object().key("extension");
            detail::write_crd(out, *m_catalog, parsed, a, *as_of);
            out.field("data_version", m_catalog->version()).end_object();
        });
    });
}

decision service::decide_one(std::string_view code, std::size_t product, setting where, day date) const noexcept {
    decision d;
    if (!m_catalog || product >= m_catalog->products().size()) return d;
    try {
        auto canonical = normalize_code(code);
        if (!canonical) return d;
        const auto a = m_catalog->evaluate(query{std::move(*canonical), product, where, date});
        d.valid = true;
        d.coverage = a.coverage;
        d.authorization = a.authorization;
        d.policy = a.policy ? static_cast<int>(a.policy - m_catalog->policies().data()) : -1;
    } catch (...) {
        d.valid = false;
    }
    return d;
}

std::string service::decide(std::string_view requests_json) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        auto batch = detail::parse_query_batch(*m_catalog, requests_json);
        if (auto* e = std::get_if<error>(&batch)) return error_envelope(*e);
        const auto& queries = std::get<std::vector<query>>(batch);
        return success([&](json_writer& out) {
            out.reserve(queries.size() * 10 + 512);
            out.begin_object().key("results").begin_array();
            for (const auto& q : queries) {
                const auto a = m_catalog->evaluate(q);
                out.begin_array().value(static_cast<int>(a.coverage)).value(static_cast<int>(a.authorization));
                out.value(a.policy ? static_cast<int>(a.policy - m_catalog->policies().data()) : -1).end_array();
            }
            out.end_array().key("coverage").begin_array();
            for (int i = 0; i <= static_cast<int>(coverage_status::not_in_data); ++i) {
                out.value(to_string(static_cast<coverage_status>(i)));
            }
            out.end_array().key("authorization").begin_array();
            for (int i = 0; i <= static_cast<int>(authorization_status::not_in_data); ++i) {
                out.value(to_string(static_cast<authorization_status>(i)));
            }
            out.end_array().key("policies").begin_array();
            for (const auto& p : m_catalog->policies()) out.value(p.id);
            out.end_array().field("data_version", m_catalog->version()).end_object();
        });
    });
}

std::string service::policy(std::string_view id) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        const auto* found = m_catalog->find_policy(id);
        if (!found) {
            error e{"request.unknown_policy", "no policy " + quote_input(id) + " in this data", ""};
            for (const auto& p : m_catalog->policies()) e.allowed.push_back(p.id);
            return error_envelope(e);
        }
        return success([&](json_writer& out) {
            out.begin_object().key("policy");
            detail::write_json(out, m_catalog->policy_document(*found));
            out.key("summary").raw(found->summary_json);
            out.field("data_version", m_catalog->version()).end_object();
        });
    });
}

}  // namespace covercheck
