// Writing an imported policy as policy JSON (the schema's field order, so a re-import of a
// reviewed file gives no diff) and the sources map beside it.
#include "covercheck/importer.hpp"
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
    if (at.first > 0)
        out.key("lines").begin_array().value(at.first).value(at.last > 0 ? at.last : at.first).end_array();
    if (!at.section.empty()) out.field("section", at.section);
    out.end_object();
}

template <typename List, typename Span>
void write_sources_of(json_writer& out, std::string_view name, const List& list, Span span_of) {
    for (std::size_t i = 0; i < list.size(); ++i)
        write_source(out, pointer_append(pointer_append("", name), i), span_of(list[i]));
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
    for (const auto& r : p.related_policies)
        out.begin_object().field("number", r.number).field("title", r.title).end_object();
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

}  // namespace covercheck
