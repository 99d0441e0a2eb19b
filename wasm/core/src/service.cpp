// Envelopes around the catalog: every entry point catches everything and answers in JSON.
#include "covercheck/service.hpp"

#include "detail/request.hpp"
#include "detail/result.hpp"

namespace covercheck {
namespace {

using ojson = nlohmann::ordered_json;

std::string dump(const ojson& value) {
    // Data and requests are valid UTF-8 once parsed; replace rather than throw, to be sure.
    return value.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

std::string success(const ojson& data) {
    ojson envelope;
    envelope["success"] = true;
    envelope["data"] = data;
    return dump(envelope);
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

ojson version_json(const catalog& data) {
    ojson out;
    out["data_version"] = data.version();
    out["digest"] = "sha256:" + data.digest();
    out["schema_version"] = 1;
    out["engine"] = std::string(engine_version);
    out["code_count"] = data.code_count();
    auto policies = ojson::array();
    for (const auto& p : data.policies()) {
        ojson summary;
        for (const char* key : {"id", "number", "title", "last_review", "effective_from", "effective_to"}) {
            if (p.summary.contains(key)) summary[key] = p.summary[key];
        }
        summary["code_count"] = 0;
        policies.push_back(std::move(summary));
    }
    for (const auto* entry : data.distinct_codes()) {
        auto& count = policies[entry->policy]["code_count"];
        count = count.get<std::size_t>() + 1;
    }
    out["policies"] = std::move(policies);
    return out;
}

}  // namespace

std::string error_envelope(const error& e) {
    ojson body;
    body["code"] = e.code;
    body["message"] = e.message;
    body["path"] = e.path;
    if (!e.allowed.empty()) body["allowed"] = e.allowed;
    ojson envelope;
    envelope["success"] = false;
    envelope["error"] = std::move(body);
    return dump(envelope);
}

service::service(std::string_view bundle_text) noexcept {
    try {
        auto loaded = catalog::load(bundle_text);
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
        return success(detail::result_json(*m_catalog, parsed, m_catalog->evaluate(parsed)));
    });
}

std::string service::matrix(std::string_view request_json) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        auto request = detail::parse_request_text(request_json);
        if (auto* e = std::get_if<error>(&request)) return error_envelope(*e);
        auto m = detail::parse_matrix_query(*m_catalog, std::get<nlohmann::json>(request));
        if (auto* e = std::get_if<error>(&m)) return error_envelope(*e);
        return success(detail::matrix_json(*m_catalog, std::get<detail::matrix_query>(m)));
    });
}

std::string service::products() const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        ojson out;
        auto list = ojson::array();
        for (const auto& p : m_catalog->products()) {
            ojson item{{"id", p.id}, {"label", p.label}};
            if (!p.line_of_business.empty()) item["line_of_business"] = p.line_of_business;
            list.push_back(std::move(item));
        }
        out["products"] = std::move(list);
        out["settings"] = {"inpatient", "outpatient"};
        return success(out);
    });
}

std::string service::search(std::string_view text, std::size_t limit) const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        if (text.size() > 200) {
            return error_envelope({"request.too_large", "search text is limited to 200 characters", ""});
        }
        ojson out;
        auto results = ojson::array();
        for (const auto& hit : m_catalog->search(text, std::min<std::size_t>(limit, 100))) {
            const auto& policy = m_catalog->policies()[hit.entry->policy];
            ojson item;
            item["system"] = hit.entry->system;
            item["code"] = hit.entry->code;
            item["description"] = hit.entry->description;
            item["match"] = hit.code_match ? "code" : "description";
            item["policy"] = {{"id", policy.id}, {"number", policy.number}, {"title", policy.title}};
            results.push_back(std::move(item));
        }
        out["results"] = std::move(results);
        return success(out);
    });
}

std::string service::version() const noexcept {
    return guarded([&] {
        if (!m_catalog) return error_envelope(m_load_error);
        return success(version_json(*m_catalog));
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
        ojson out;
        out["policy"] = ojson::parse(m_catalog->policy_document(*found).dump());
        out["summary"] = found->summary;
        out["data_version"] = m_catalog->version();
        return success(out);
    });
}

}  // namespace covercheck
