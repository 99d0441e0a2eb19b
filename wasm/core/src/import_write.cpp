// Writing an imported policy as policy JSON (the schema's field order, so a re-import of a
// reviewed file gives no diff), the sources map beside it, and the JSON envelope.
#include <nlohmann/json.hpp>

#include "covercheck/importer.hpp"
#include "covercheck/service.hpp"
#include "detail/import_model.hpp"
#include "detail/json_writer.hpp"
#include "detail/text.hpp"

namespace covercheck {
namespace detail {
namespace {

void write_products(json_writer& out, product_set set) {
    out.begin_array();
    for (std::size_t i = 0; i < importer_product_count; ++i) {
        if (set & (product_set{1} << i)) out.value(importer_products[i].id);
    }
    out.end_array();
}

// "line" is the first source line; "lines" is added only when the text spans several.
void write_lines(json_writer& out, const source_span& at) {
    if (at.first <= 0) return;
    out.field("line", at.first);
    if (at.last > at.first) out.key("lines").begin_array().value(at.first).value(at.last).end_array();
}

void write_code_group(json_writer& out, const imported_code_group& g, bool with_status) {
    out.begin_object();
    if (with_status) {
        out.field("status", to_string(g.status));
        out.key("products");
        write_products(out, g.products);
    }
    out.field("statement", g.statement);
    write_lines(out, g.at);
    out.key("codes").begin_array();
    for (const auto& c : g.codes) {
        out.begin_object().field("system", c.system).field("code", c.code).field("description", c.description);
        if (c.line > 0) out.field("line", c.line);
        out.end_object();
    }
    out.end_array().end_object();
}

void write_source(json_writer& out, std::string_view pointer, const source_span& at) {
    if (at.first <= 0 && at.section.empty()) return;
    out.key(pointer).begin_object();
    if (at.first > 0) out.key("lines").begin_array().value(at.first).value(at.last > 0 ? at.last : at.first).end_array();
    if (!at.section.empty()) out.field("section", at.section);
    out.end_object();
}

template <typename List, typename Span>
void write_sources_of(json_writer& out, std::string_view name, const List& list, Span span_of) {
    for (std::size_t i = 0; i < list.size(); ++i) write_source(out, pointer_append(pointer_append("", name), i), span_of(list[i]));
}

}  // namespace

std::string write_policy_json(const imported_policy& p) {
    json_writer out;
    out.begin_object().field("schema_version", 1);
    if (!p.id.empty()) out.field("id", p.id);
    const auto text = [&](std::string_view name, const located& fact) {
        if (fact.found()) out.field(name, fact.text);
    };
    text("publisher", p.publisher);
    text("document_type", p.document_type);
    text("number", p.number);
    text("title", p.title);
    text("bcbsa_reference", p.bcbsa_reference);
    text("bcbsa_reference_note", p.bcbsa_reference_note);
    text("ncd_lcd", p.ncd_lcd);
    if (!p.last_review.empty()) out.field("last_review", p.last_review);
    if (!p.effective_from.empty()) {
        out.key("effective").begin_object().field("from", p.effective_from);
        if (!p.effective_basis.empty()) out.field("basis", p.effective_basis);
        out.end_object();
    }
    if (!p.source_file.empty()) {
        out.key("source").begin_object().field("file", p.source_file).field("sha256", p.source_sha256).end_object();
    }
    out.key("products");
    write_products(out, p.products);
    text("products_heading", p.products_heading);

    out.key("coverage").begin_array();
    for (const auto& c : p.coverage) {
        out.begin_object().key("products");
        write_products(out, c.products);
        out.field("status", to_string(c.status)).field("statement", c.statement);
        if (!c.criteria.empty()) {
            out.key("criteria").begin_array();
            for (const auto& criterion : c.criteria) {
                out.begin_object().field("text", criterion.text);
                if (criterion.at.first > 0) out.field("line", criterion.at.first);
                out.end_object();
            }
            out.end_array();
        }
        if (!c.at.section.empty()) out.field("section", c.at.section);
        write_lines(out, c.at);
        out.end_object();
    }
    out.end_array();

    out.key("authorization").begin_array();
    for (const auto& a : p.authorization) {
        out.begin_object().field("setting", to_string(a.where)).key("products");
        write_products(out, a.products);
        out.field("status", to_string(a.status)).field("statement", a.statement);
        if (!a.printed_product.empty()) out.field("printed_product", a.printed_product);
        if (!a.at.section.empty()) out.field("section", a.at.section);
        write_lines(out, a.at);
        out.end_object();
    }
    out.end_array();

    if (!p.authorization_notes.empty()) {
        out.key("authorization_notes").begin_array();
        for (const auto& n : p.authorization_notes) {
            out.begin_object().field("setting", to_string(n.where)).field("text", n.text);
            write_lines(out, n.at);
            out.end_object();
        }
        out.end_array();
    }

    out.key("code_groups").begin_array();
    for (const auto& g : p.code_groups) write_code_group(out, g, true);
    out.end_array();
    if (!p.icd_code_groups.empty()) {
        out.key("icd_code_groups").begin_array();
        for (const auto& g : p.icd_code_groups) write_code_group(out, g, false);
        out.end_array();
    }

    out.key("coding_notices").begin_array();
    for (const auto& n : p.coding_notices) out.value(n.text);
    out.end_array();

    out.key("related_policies").begin_array();
    for (const auto& r : p.related_policies) out.begin_object().field("number", r.number).field("title", r.title).end_object();
    out.end_array();

    if (!p.evidence.empty()) {
        out.key("evidence").begin_array();
        for (const auto& e : p.evidence) {
            out.begin_object().field("population", e.population);
            if (!e.intervention.empty()) out.field("intervention", e.intervention);
            if (!e.evidence_base.empty()) out.field("evidence_base", e.evidence_base);
            if (!e.outcomes.empty()) out.field("outcomes", e.outcomes);
            out.field("conclusion", e.conclusion).end_object();
        }
        out.end_array();
    }

    out.key("history").begin_array();
    for (const auto& h : p.history) out.begin_object().field("date", h.date).field("action", h.action).end_object();
    out.end_array();

    if (!p.general_information.empty()) {
        out.key("general_information").begin_array();
        for (const auto& g : p.general_information) out.value(g.text);
        out.end_array();
    }
    if (p.references_count) out.field("references_count", *p.references_count);
    return out.end_object().take();
}

std::string write_sources_json(const imported_policy& p) {
    json_writer out;
    out.begin_object();
    const auto fact = [&](std::string_view pointer, const located& f) {
        if (f.found()) write_source(out, pointer, f.at);
    };
    fact("/publisher", p.publisher);
    fact("/document_type", p.document_type);
    fact("/number", p.number);
    fact("/title", p.title);
    fact("/bcbsa_reference", p.bcbsa_reference);
    fact("/ncd_lcd", p.ncd_lcd);
    if (!p.last_review.empty()) write_source(out, "/last_review", p.last_review_at);
    fact("/products_heading", p.products_heading);
    const auto at = [](const auto& item) { return item.at; };
    write_sources_of(out, "coverage", p.coverage, at);
    write_sources_of(out, "authorization", p.authorization, at);
    write_sources_of(out, "authorization_notes", p.authorization_notes, at);
    write_sources_of(out, "code_groups", p.code_groups, at);
    write_sources_of(out, "icd_code_groups", p.icd_code_groups, at);
    write_sources_of(out, "coding_notices", p.coding_notices, at);
    write_sources_of(out, "related_policies", p.related_policies, at);
    write_sources_of(out, "evidence", p.evidence, at);
    write_sources_of(out, "history", p.history, at);
    write_sources_of(out, "general_information", p.general_information, at);
    if (p.references_count) write_source(out, "/references_count", p.references_at);
    return out.end_object().take();
}

}  // namespace detail

namespace {

using nlohmann::json;

error option_error(std::string code, std::string message, std::string path) {
    return {std::move(code), std::move(message), std::move(path)};
}

// Options are untrusted input like any request: unknown fields and wrong types are refused.
std::variant<import_options, error> parse_options(std::string_view text) {
    import_options options;
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return options;
    if (detail::nesting_exceeds(text, detail::max_request_depth)) {
        return option_error("request.too_deep", "the options nest too deeply", "");
    }
    json value;
    try {
        value = json::parse(text);
    } catch (const json::parse_error&) {
        return option_error("request.malformed_json", "the import options are not valid JSON", "");
    }
    if (!value.is_object()) return option_error("request.not_an_object", "the import options must be a JSON object", "");
    static constexpr std::string_view strings[] = {"id", "publisher", "source_file", "effective_from", "effective_basis"};
    for (const auto& item : value.items()) {
        const auto& key = item.key();
        const auto path = pointer_append("", key);
        if (key == "products") {
            if (!item.value().is_array()) return option_error("request.wrong_type", "products must be an array", path);
            for (std::size_t i = 0; i < item.value().size(); ++i) {
                const auto& p = item.value()[i];
                const auto at = pointer_append(path, i);
                if (!p.is_object() || !p.contains("id") || !p["id"].is_string()) {
                    return option_error("request.wrong_type", "each product must be an object with a string id", at);
                }
                product_info info;
                info.id = p["id"].get<std::string>();
                if (p.contains("label") && p["label"].is_string()) info.label = p["label"].get<std::string>();
                if (p.contains("line_of_business") && p["line_of_business"].is_string()) {
                    info.line_of_business = p["line_of_business"].get<std::string>();
                }
                options.products.push_back(std::move(info));
            }
            continue;
        }
        std::string* target = nullptr;
        if (key == strings[0]) target = &options.id;
        if (key == strings[1]) target = &options.publisher;
        if (key == strings[2]) target = &options.source_file;
        if (key == strings[3]) target = &options.effective_from;
        if (key == strings[4]) target = &options.effective_basis;
        if (!target) {
            error e = option_error("request.unknown_field", "unknown import option " + quote_input(key), path);
            for (auto name : strings) e.allowed.emplace_back(name);
            e.allowed.emplace_back("products");
            return e;
        }
        if (!item.value().is_string()) return option_error("request.wrong_type", key + " must be a string", path);
        *target = item.value().get<std::string>();
        if (target->size() > 2000) return option_error("request.too_large", key + " is too long", path);
    }
    return options;
}

}  // namespace

std::string import_policy_envelope(std::string_view text, std::string_view options_json) noexcept {
    try {
        auto parsed = parse_options(options_json);
        if (auto* e = std::get_if<error>(&parsed)) return error_envelope(*e);
        const auto result = import_policy(text, std::get<import_options>(parsed));
        detail::json_writer out;
        out.reserve(result.policy_json.size() + result.sources_json.size() + 256 * result.findings.size() + 64);
        out.begin_object().field("success", true).key("data").begin_object();
        out.key("policy").raw(result.policy_json);
        out.key("report").begin_array();
        for (const auto& f : result.findings) {
            out.begin_object().field("code", f.code).field("severity", to_string(f.severity)).field("message", f.message);
            if (f.first_line > 0) out.key("lines").begin_array().value(f.first_line).value(f.last_line).end_array();
            if (!f.section.empty()) out.field("section", f.section);
            if (!f.path.empty()) out.field("path", f.path);
            out.end_object();
        }
        out.end_array();
        out.field("complete", result.complete);
        out.key("sources").raw(result.sources_json);
        return out.end_object().end_object().take();
    } catch (const std::bad_alloc&) {
        return error_envelope({"internal.out_of_memory", "not enough memory to import this document", ""});
    } catch (...) {
        return error_envelope({"internal.error", "the document could not be imported", ""});
    }
}

}  // namespace covercheck
