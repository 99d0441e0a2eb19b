// The importer: finds the document's header facts and sections (in any order), reads each
// section into policy facts with their source lines, reconciles them, and reports every gap,
// ambiguity and conflict instead of resolving it silently.
#include <algorithm>
#include <new>

#include "covercheck/importer.hpp"
#include "covercheck/sha256.hpp"
#include "detail/import_model.hpp"
#include "detail/import_read.hpp"
#include "detail/import_text.hpp"
#include "detail/text.hpp"

namespace covercheck {
namespace {

using namespace detail;

enum class section_kind : std::uint8_t {
    toc,
    related,
    policy,
    authorization,
    coding,
    description,
    summary,
    evidence,
    history,
    general,
    references,
    other,
};

struct heading {
    section_kind kind = section_kind::other;
    std::string name;       // as printed, without a trailing colon
    std::string qualifier;  // "Commercial" in "Policy: Commercial"
};

struct section {
    section_kind kind = section_kind::other;
    std::string name;
    std::string qualifier;
    std::size_t begin = 0;  // body lines [begin, end), indices into the document
    std::size_t end = 0;
    int heading_line = 0;
};

enum class unit_kind : std::uint8_t { paragraph, bullet, row };

// A paragraph (lines joined while no sentence ends), a bullet, or a table row.
struct unit {
    unit_kind kind = unit_kind::paragraph;
    std::string text;
    std::vector<std::string> cells;
    int first = 0;
    int last = 0;
    bool link_only = false;
    bool single_line = true;
};

std::string without_colon(std::string_view text) {
    text = trim(text);
    while (!text.empty() && (text.back() == ':' || text.back() == ' ')) text.remove_suffix(1);
    return std::string(text);
}

// "CPT Codes / HCPCS Codes / ICD Codes": the coding section's heading (two or more code lists).
bool is_coding_heading(std::string_view text) {
    std::size_t parts = 0;
    std::size_t start = 0;
    for (;;) {
        const auto slash = text.find('/', start);
        const auto part =
            trim(text.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (!(iends_with(part, " codes") || iends_with(part, " code"))) return false;
        ++parts;
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return parts >= 2;
}

// "CPT Codes", "HCPCS Codes", "ICD-10 Diagnosis Codes": one code table's heading. `system`
// receives CPT (CPT or HCPCS), ICD-10-CM or ICD-10-PCS.
bool is_code_table_heading(std::string_view text, std::string& system) {
    static constexpr std::pair<std::string_view, std::string_view> names[] = {
        {"cpt codes", "CPT"},
        {"hcpcs codes", "CPT"},
        {"cpt/hcpcs codes", "CPT"},
        {"cpt and hcpcs codes", "CPT"},
        {"hcpcs level ii codes", "CPT"},
        {"icd-10 diagnosis codes", "ICD-10-CM"},
        {"icd-10-cm diagnosis codes", "ICD-10-CM"},
        {"icd-10 codes", "ICD-10-CM"},
        {"icd-10-cm codes", "ICD-10-CM"},
        {"icd codes", "ICD-10-CM"},
        {"icd-10 procedure codes", "ICD-10-PCS"},
        {"icd-10-pcs procedure codes", "ICD-10-PCS"},
        {"icd-10-pcs codes", "ICD-10-PCS"},
    };
    const auto name = without_colon(text);
    for (const auto& [printed, meaning] : names) {
        if (iequals(name, printed)) {
            system = std::string(meaning);
            return true;
        }
    }
    return false;
}

std::optional<heading> match_heading_text(std::string_view text) {
    if (text.empty() || text.size() > 120) return std::nullopt;
    heading h;
    h.name = without_colon(text);
    const auto& n = h.name;
    static constexpr std::pair<std::string_view, section_kind> exact[] = {
        {"table of contents", section_kind::toc},
        {"contents", section_kind::toc},
        {"related policies", section_kind::related},
        {"related policy", section_kind::related},
        {"policy", section_kind::policy},
        {"policy statement", section_kind::policy},
        {"policy statements", section_kind::policy},
        {"prior authorization information", section_kind::authorization},
        {"authorization information", section_kind::authorization},
        {"prior authorization", section_kind::authorization},
        {"coding information", section_kind::coding},
        {"description", section_kind::description},
        {"background", section_kind::description},
        {"summary", section_kind::summary},
        {"summary of evidence", section_kind::evidence},
        {"policy history", section_kind::history},
        {"references", section_kind::references},
        {"endnotes", section_kind::other},
    };
    for (const auto& [name, kind] : exact) {
        if (iequals(n, name)) {
            h.kind = kind;
            return h;
        }
    }
    if (istarts_with(n, "information pertaining to all")) {
        h.kind = section_kind::general;
        return h;
    }
    for (std::string_view prefix : {"policy:", "policy -", "policy \xE2\x80\x93", "policy for"}) {
        if (istarts_with(n, prefix) && n.size() > prefix.size() + 1) {
            h.kind = section_kind::policy;
            h.qualifier = std::string(trim(std::string_view(n).substr(prefix.size())));
            return h;
        }
    }
    if (is_coding_heading(n)) {
        h.kind = section_kind::coding;
        return h;
    }
    return std::nullopt;
}

// A heading stands alone on its line: no bullet, no table cells.
std::optional<heading> match_heading(const text_line& line) {
    if (line.bullet || line.cells.size() != 1) return std::nullopt;
    return match_heading_text(line.text);
}

bool is_setting_name(std::string_view text) {
    const auto t = without_colon(text);
    return iequals(t, "inpatient") || iequals(t, "outpatient");
}

setting setting_named(std::string_view text) {
    return iequals(without_colon(text), "inpatient") ? setting::inpatient : setting::outpatient;
}

std::string_view first_token(std::string_view text) {
    text = trim(text);
    const auto space = text.find(' ');
    return space == std::string_view::npos ? text : text.substr(0, space);
}

std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

// The first token names a code (or a range of codes, which is reported as unreadable).
bool starts_with_code(std::string_view text) {
    auto token = upper_ascii(first_token(text));
    while (!token.empty() && (token.back() == ',' || token.back() == ';' || token.back() == ':')) token.pop_back();
    const auto dash = token.find('-');
    const auto head = dash == std::string::npos ? std::string_view(token) : std::string_view(token).substr(0, dash);
    return shape_of_code(head, false) != code_shape::none || shape_of_code(head, true) != code_shape::none;
}

struct code_token {
    std::size_t begin, end;
};

// Code-shaped tokens standing alone (not in parentheses), for tables flattened onto one line.
std::vector<code_token> code_tokens(std::string_view text, bool icd) {
    std::vector<code_token> tokens;
    int depth = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '(') ++depth;
        if (c == ')' && depth > 0) --depth;
        if (c == ' ') {
            ++i;
            continue;
        }
        const auto end = std::min(text.find(' ', i), text.size());
        if (depth == 0 && (i == 0 || text[i - 1] == ' ')) {
            const auto token = upper_ascii(text.substr(i, end - i));
            if (shape_of_code(token, icd) != code_shape::none) tokens.push_back({i, end});
        }
        for (std::size_t k = i; k < end; ++k) {
            if (text[k] == '(') ++depth;
            if (text[k] == ')' && depth > 0) --depth;
        }
        i = end;
    }
    return tokens;
}

bool is_code_table_header(std::string_view text) {
    return text.size() < 80 && ifind_word(text, "description") != std::string_view::npos &&
           (ifind_word(text, "code") != std::string_view::npos || ifind_word(text, "codes") != std::string_view::npos);
}

bool is_code_statement(std::string_view text) {
    const bool names_codes =
        ifind_word(text, "code") != std::string_view::npos || ifind_word(text, "codes") != std::string_view::npos;
    return names_codes && (istarts_with(text, "the following") || (ends_sentence(text) && trim(text).back() == ':')) &&
           !coverage_statuses(text).empty();
}

std::string icd_system_of(std::string_view text) {
    if (ifind(text, "icd-10-pcs") != std::string_view::npos || ifind(text, "procedure") != std::string_view::npos) {
        return "ICD-10-PCS";
    }
    return "ICD-10-CM";
}

bool is_history_header(const unit& u) { return iequals(u.text, "Date Action") || iequals(u.text, "Date Actions"); }

// Date tokens that start history rows in a flattened table: at the start or after a sentence.
std::vector<std::size_t> history_starts(std::string_view text) {
    std::vector<std::size_t> starts;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto end = std::min(text.find(' ', i), text.size());
        const bool after_sentence = i == 0 || (i >= 2 && text[i - 1] == ' ' && ends_sentence(text.substr(0, i - 1)));
        if (after_sentence && is_history_date(text.substr(i, end - i))) starts.push_back(i);
        i = end + 1;
    }
    return starts;
}

std::string lowercase_id(std::string_view text) {
    std::string id;
    for (char c : text) {
        const char l = lower_ascii(c);
        if ((l >= 'a' && l <= 'z') || is_digit(l)) {
            id += l;
        } else if (!id.empty() && id.back() != '-') {
            id += '-';
        }
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    return id;
}

std::string product_list(product_set set) {
    std::string out;
    for (std::size_t i = 0; i < importer_product_count; ++i) {
        if (!(set & (product_set{1} << i))) continue;
        if (!out.empty()) out += ", ";
        out += importer_products[i].id;
    }
    return out;
}

constexpr std::size_t max_findings = 1000;

class importer {
public:
    importer(std::string_view text, const import_options& options) : m_text(text), m_options(options) {}

    import_result run();

private:
    // Messages come as pieces joined here, so a call site only lays out pointers.
    void report(const char* code, finding_severity severity, std::initializer_list<std::string_view> message,
                int first = 0, int last = 0, std::string_view section_name = {});
    void review(const char* code, std::initializer_list<std::string_view> message, const unit& u,
                std::string_view where) {
        report(code, finding_severity::review, message, u.first, u.last, where);
    }
    static source_span span(const unit& u, const std::string& where) { return {u.first, u.last, where}; }

    bool check_input();
    void find_preamble();
    void find_header_facts();
    void find_sections();
    std::vector<unit> units_of(const section& s, bool (importer::*is_row)(const text_line&) const,
                               bool (importer::*standalone)(const text_line&) const) const;

    bool never(const text_line&) const { return false; }
    bool always(const text_line&) const { return true; }
    bool is_setting_line(const text_line& line) const { return is_setting_name(line.text); }
    bool is_products_line(const text_line& line) const;
    bool is_authorization_row(const text_line& line) const;
    bool is_code_row(const text_line& line) const;
    bool is_code_line(const text_line& line) const;
    bool is_history_row(const text_line& line) const;

    void read_policy(const section& s);
    void read_authorization(const section& s);
    void read_authorization_table(const std::vector<unit>& rows, std::optional<setting> context,
                                  const std::string& where);
    bool read_flattened_authorization(const unit& u, std::optional<setting> context, const std::string& where);
    void read_coding(const section& s);
    void read_related(const section& s);
    void read_evidence(const section& s);
    void read_history(const section& s);
    void read_general(const section& s);
    void read_references(const section& s);

    void reconcile_coverage();
    void reconcile_code_groups();
    void reconcile_authorization();
    void check_truncation();
    void finish();
    void validate(import_result& result);

    std::string_view m_text;
    const import_options& m_options;
    document_text m_doc;
    std::vector<bool> m_used;  // lines taken by header facts
    std::vector<section> m_sections;
    std::size_t m_body = 0;    // first line of the body (after the title)
    std::size_t m_anchor = 0;  // first "Table of Contents" or "Policy Number:" line
    int m_title_line = 0;
    imported_policy m_policy;
    std::vector<int> m_products_lines;
    // Facts "for all products" name the policy's products, which are known only at the end.
    std::vector<bool> m_coverage_all, m_authorization_all, m_group_all;
    std::vector<bool> m_coverage_mn, m_group_mn;  // stated "medically necessary"
    bool m_outpatient_pointer = false;
    int m_outpatient_pointer_line = 0;
    std::string m_outpatient_section;
    std::vector<import_finding> m_findings;
};

void importer::report(const char* code, finding_severity severity, std::initializer_list<std::string_view> message,
                      int first, int last, std::string_view section_name) {
    // A pathological document (the same policy pasted a thousand times) must not produce a
    // report larger than itself: past the limit, one finding says that more were left out.
    if (m_findings.size() >= max_findings) {
        if (m_findings.size() == max_findings) {
            m_findings.push_back({"import.too_many_findings",
                                  finding_severity::review,
                                  cat({"more than ", num(max_findings), " findings; the rest are not listed"}),
                                  0,
                                  0,
                                  {},
                                  {}});
        }
        if (severity == finding_severity::error) m_findings.back().severity = finding_severity::error;
        return;
    }
    import_finding f;
    f.code = code;
    f.severity = severity;
    f.message = cat(message);
    f.first_line = first;
    f.last_line = last == 0 ? first : last;
    f.section = std::string(section_name);
    m_findings.push_back(std::move(f));
}

bool importer::check_input() {
    if (m_text.size() > max_import_bytes) {
        report("import.too_large", finding_severity::error,
               {"the document is ", num(m_text.size()), " bytes; at most ", num(max_import_bytes), " bytes are read"});
        return false;
    }
    bool blank = true;
    for (char c : m_text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            blank = false;
            break;
        }
    }
    if (blank) {
        report("import.empty", finding_severity::error, {"the document is empty"});
        return false;
    }
    m_doc = read_document(m_text);
    if (m_doc.nul_bytes > 0 || m_doc.invalid_bytes * 20 > m_text.size()) {
        report("import.not_text", finding_severity::error,
               {"the document is not text: ", num(m_doc.invalid_bytes), " bytes are not UTF-8 and ",
                num(m_doc.nul_bytes), " are NUL"});
        return false;
    }
    if (m_doc.invalid_bytes > 0) {
        report("import.invalid_utf8", finding_severity::note,
               {num(m_doc.invalid_bytes), " bytes are not UTF-8; they are shown as \xEF\xBF\xBD"});
    }
    for (const auto& line : m_doc.lines) {
        if (line.too_long) {
            report("import.line_too_long", finding_severity::review,
                   {"this line is longer than ", num(max_line_bytes), " bytes and was not read"}, line.number);
        }
    }
    m_used.assign(m_doc.lines.size(), false);
    return true;
}

// The title follows the document type line ("Medical Policy"): the last such line before the
// table of contents or the policy number, so that page banners and menus before it are skipped.
void importer::find_preamble() {
    const auto& lines = m_doc.lines;
    m_anchor = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto h = match_heading(lines[i]);
        if ((h && h->kind == section_kind::toc) || istarts_with(lines[i].text, "policy number")) {
            m_anchor = i;
            break;
        }
    }
    std::optional<std::size_t> type_line;
    for (std::size_t i = 0; i < m_anchor; ++i) {
        if (!lines[i].bullet && iequals(without_colon(lines[i].text), "medical policy")) {
            type_line = i;
            if (m_anchor == lines.size()) break;  // no anchor: the first one
        }
    }
    for (std::size_t i = 0; i < std::min(m_anchor, lines.size()); ++i) {
        const auto at = ifind(lines[i].text, " is an independent licensee of ");
        if (at != std::string_view::npos && at > 0) {
            m_policy.publisher = {lines[i].text.substr(0, at), {lines[i].number, lines[i].number, {}}};
            break;
        }
    }
    if (!type_line) {
        m_body = m_anchor < lines.size() ? m_anchor : 0;
        return;
    }
    m_policy.document_type = {without_colon(lines[*type_line].text),
                              {lines[*type_line].number, lines[*type_line].number, {}}};
    m_body = *type_line + 1;
    for (std::size_t i = *type_line + 1; i < lines.size(); ++i) {
        if (lines[i].blank()) continue;
        if (!match_heading(lines[i]) && !istarts_with(lines[i].text, "policy number") && !lines[i].bullet &&
            lines[i].text.size() <= 300) {
            m_policy.title = {lines[i].text, {lines[i].number, lines[i].number, {}}};
            m_title_line = lines[i].number;
            m_body = i + 1;
        }
        break;
    }
}

// "Policy Number: 633", "BCBSA Reference Number: 7.01.75 (For Plan internal use only)",
// "NCD/LCD: NA": wherever they are, also run together on one line.
void importer::find_header_facts() {
    static constexpr std::string_view labels[] = {"policy number:", "bcbsa reference number:", "ncd/lcd:"};
    for (std::size_t i = 0; i < m_doc.lines.size(); ++i) {
        const auto& line = m_doc.lines[i];
        if (line.bullet || line.blank()) continue;
        const std::string_view text = line.text;
        for (std::size_t k = 0; k < 3; ++k) {
            const auto at = ifind(text, labels[k]);
            if (at == std::string_view::npos) continue;
            // Only at the start of the line, or after another label's value.
            bool placed = at == 0;
            for (std::size_t j = 0; j < 3 && !placed; ++j) {
                const auto other = ifind(text, labels[j]);
                placed = other != std::string_view::npos && other < at;
            }
            if (!placed) continue;
            auto end = text.size();
            for (std::size_t j = 0; j < 3; ++j) {
                const auto next = ifind(text, labels[j], at + 1);
                if (next != std::string_view::npos && next < end) end = next;
            }
            const auto value = std::string(trim(text.substr(at + labels[k].size(), end - at - labels[k].size())));
            m_used[i] = true;
            const source_span where{line.number, line.number, {}};
            auto set = [&](located& fact, std::string v, std::string_view name) {
                if (v.empty()) {
                    report("import.unreadable_header", finding_severity::review, {name, " has no value"}, line.number);
                    return;
                }
                if (fact.found() && fact.text != v) {
                    report("import.conflicting_fact", finding_severity::review,
                           {name, " is given twice: ", quote_input(fact.text), " on line ", num(fact.at.first), " and ",
                            quote_input(v)},
                           line.number);
                    return;
                }
                if (!fact.found()) fact = {std::move(v), where};
            };
            if (k == 0) {
                auto number = std::string(first_token(value));
                if (!number.empty() && number[0] == '#') number.erase(0, 1);
                bool ok = !number.empty() && number.size() <= 16;
                for (char c : number) ok = ok && (is_alpha(c) || is_digit(c) || c == '.' || c == '-');
                if (!ok && !value.empty()) {
                    report("import.unreadable_header", finding_severity::review,
                           {"the policy number ", quote_input(value), " is not a number"}, line.number);
                    continue;
                }
                set(m_policy.number, number, "the policy number");
            } else if (k == 1) {
                auto reference = value;
                std::string note;
                const auto open = value.find(" (");
                if (open != std::string::npos && !value.empty() && value.back() == ')') {
                    reference = value.substr(0, open);
                    note = value.substr(open + 2, value.size() - open - 3);
                }
                if (reference.size() > 32) {
                    report("import.unreadable_header", finding_severity::review,
                           {"the BCBSA reference number is longer than 32 characters"}, line.number);
                    continue;
                }
                set(m_policy.bcbsa_reference, reference, "the BCBSA reference number");
                if (!note.empty() && !m_policy.bcbsa_reference_note.found())
                    m_policy.bcbsa_reference_note = {note, where};
            } else {
                if (value.size() > 200) {
                    report("import.unreadable_header", finding_severity::review,
                           {"the NCD/LCD value is longer than 200 characters"}, line.number);
                    continue;
                }
                set(m_policy.ncd_lcd, value, "NCD/LCD");
            }
        }
    }
}

// Sections start at known headings, in any order. A table of contents lists heading names
// without content: the run of such names after "Table of Contents" is skipped.
void importer::find_sections() {
    const auto& lines = m_doc.lines;
    std::optional<section> current;
    std::vector<std::string> toc_names;
    bool in_toc = false;
    auto close = [&](std::size_t end) {
        if (current) {
            current->end = end;
            m_sections.push_back(std::move(*current));
            current.reset();
        }
    };
    for (std::size_t i = m_body; i < lines.size(); ++i) {
        const auto& line = lines[i];
        if (in_toc) {
            if (line.blank()) continue;
            // Entries are bulleted links or heading names, each listed once; anything else (the
            // policy number, a repeated name) ends the table of contents.
            const auto name = without_colon(line.text);
            const bool listed = !m_used[i] && line.cells.size() == 1 &&
                                (line.bullet || line.link_only || match_heading_text(name) || is_setting_name(name));
            const bool repeated =
                std::any_of(toc_names.begin(), toc_names.end(), [&](const std::string& n) { return iequals(n, name); });
            if (listed && !repeated) {
                toc_names.push_back(name);
                continue;
            }
            in_toc = false;
            close(i);
        }
        if (m_used[i]) continue;
        auto h = match_heading(line);
        std::string system;
        if (!h && (!current || current->kind != section_kind::coding) && is_code_table_heading(line.text, system) &&
            !line.bullet) {
            heading coding;
            coding.kind = section_kind::coding;
            coding.name = without_colon(line.text);
            h = coding;
            close(i);
            current = section{h->kind, h->name, {}, i, 0, line.number};  // the heading is read as a table heading too
            continue;
        }
        if (!h) continue;
        close(i);
        if (h->kind == section_kind::toc) {
            in_toc = true;
            toc_names.clear();
            current = section{h->kind, h->name, {}, i + 1, 0, line.number};
            continue;
        }
        current = section{h->kind, h->name, h->qualifier, i + 1, 0, line.number};
    }
    close(lines.size());

    // A section that was split in two can be read, but a person should see why.
    for (std::size_t a = 0; a < m_sections.size(); ++a) {
        const auto kind = m_sections[a].kind;
        if (kind == section_kind::toc || kind == section_kind::description || kind == section_kind::summary ||
            kind == section_kind::other) {
            continue;
        }
        for (std::size_t b = 0; b < a; ++b) {
            if (m_sections[b].kind == kind && iequals(m_sections[b].qualifier, m_sections[a].qualifier)) {
                report("import.duplicate_section", finding_severity::review,
                       {"the section \"", m_sections[a].name, "\" appears again (first on line ",
                        num(m_sections[b].heading_line), "); both parts were read"},
                       m_sections[a].heading_line, m_sections[a].heading_line, m_sections[a].name);
                break;
            }
        }
    }
}

std::vector<unit> importer::units_of(const section& s, bool (importer::*is_row)(const text_line&) const,
                                     bool (importer::*standalone)(const text_line&) const) const {
    std::vector<unit> units;
    bool open = false;  // the last unit may take the next line
    for (std::size_t i = s.begin; i < s.end; ++i) {
        const auto& line = m_doc.lines[i];
        if (line.blank() || m_used[i]) {
            open = false;
            continue;
        }
        if (line.bullet) {
            units.push_back({unit_kind::bullet, line.text, line.cells, line.number, line.number, line.link_only, true});
            open = !ends_sentence(line.text);
            continue;
        }
        if ((this->*is_row)(line)) {
            units.push_back({unit_kind::row, line.text, line.cells, line.number, line.number, false, true});
            open = false;
            continue;
        }
        if ((this->*standalone)(line)) {
            units.push_back(
                {unit_kind::paragraph, line.text, line.cells, line.number, line.number, line.link_only, true});
            open = false;
            continue;
        }
        if (open && !units.empty() && units.back().kind != unit_kind::row) {
            auto& u = units.back();
            u.text += ' ';
            u.text += line.text;
            u.last = line.number;
            u.single_line = false;
            u.link_only = false;
            u.cells.assign(1, u.text);
        } else {
            units.push_back(
                {unit_kind::paragraph, line.text, {line.text}, line.number, line.number, line.link_only, true});
        }
        open = !ends_sentence(units.back().text);
    }
    return units;
}

bool importer::is_products_line(const text_line& line) const {
    if (line.bullet || (ends_sentence(line.text) && line.text.back() != ':')) return false;
    if (!coverage_statuses(line.text).empty()) return false;
    if (products_named(line.text) != 0) return true;
    return iends_with(without_colon(line.text), "members") && lines_of_business_named(line.text) != 0;
}

bool importer::is_authorization_row(const text_line& line) const {
    if (!line.row() || line.bullet) return false;
    const auto& first = line.cells[0];
    if (first.empty() || products_named(first) != 0) return true;
    // A row whose product is unknown is still a row of the table (and is reported as such).
    const auto last = authorization_status_of(line.cells.back());
    if (last == stated_authorization::required || last == stated_authorization::not_required ||
        last == stated_authorization::not_covered) {
        return line.cells.size() <= 4;
    }
    return std::all_of(line.cells.begin() + 1, line.cells.end(),
                       [](const std::string& c) { return is_setting_name(c); });
}

bool importer::is_code_row(const text_line& line) const { return !line.bullet && starts_with_code(line.text); }

bool importer::is_code_line(const text_line& line) const {
    std::string system;
    return !line.bullet && (is_code_table_heading(line.text, system) || is_code_table_header(line.text));
}

bool importer::is_history_row(const text_line& line) const {
    if (line.bullet) return false;
    return is_history_date(line.row() ? std::string_view(line.cells[0]) : first_token(line.text)) ||
           iequals(line.text, "Date Action");
}

void importer::read_policy(const section& s) {
    product_set current = 0;
    // "Policy: Commercial" names the products when the section has no product line of its own.
    product_set from_heading = 0;
    if (!s.qualifier.empty()) {
        from_heading = products_named(s.qualifier);
        if (from_heading == 0) from_heading = lines_of_business_named(s.qualifier);
    }
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::size_t takes_criteria = none;  // a statement ending in ":" takes the bullets after it
    for (const auto& u : units_of(s, &importer::never, &importer::is_products_line)) {
        if (u.kind == unit_kind::paragraph && u.single_line &&
            is_products_line(m_doc.lines[static_cast<std::size_t>(u.first - 1)])) {
            auto named = products_named(u.text);
            if (named == 0) {
                named = lines_of_business_named(u.text);
                report("import.products_from_line_of_business", finding_severity::note,
                       {"\"", u.text, "\" names a line of business; its products are taken as ", product_list(named)},
                       u.first, u.last, s.name);
            }
            current = named;
            m_policy.products |= named;
            m_products_lines.push_back(u.first);
            if (!m_policy.products_heading.found()) m_policy.products_heading = {u.text, span(u, s.name)};
            takes_criteria = none;
            continue;
        }
        if (u.kind == unit_kind::bullet && takes_criteria != none) {
            m_policy.coverage[takes_criteria].criteria.push_back({u.text, span(u, s.name)});
            m_policy.coverage[takes_criteria].at.last = u.last;
            continue;
        }
        takes_criteria = none;
        const auto statuses = coverage_statuses(u.text);
        if (statuses.empty()) {
            report("import.text_not_used", finding_severity::note,
                   {"this text in the policy section states no coverage status and was not used"}, u.first, u.last,
                   s.name);
            continue;
        }
        std::vector<std::string_view> pieces;
        if (statuses.size() == 1) {
            pieces.push_back(u.text);
        } else {
            pieces = sentences_of(u.text);
        }
        for (auto piece : pieces) {
            const auto stated = coverage_statuses(piece);
            if (stated.empty()) {
                report("import.text_not_used", finding_severity::note,
                       {"a sentence states no coverage status and was not used: ", quote_input(piece)}, u.first, u.last,
                       s.name);
                continue;
            }
            if (stated.size() > 1) {
                review("import.ambiguous_statement",
                       {"one sentence states more than one coverage status, so it was left out: ", quote_input(piece)},
                       u, s.name);
                continue;
            }
            if (!ends_sentence(piece)) {
                review("import.unfinished_sentence",
                       {"the statement does not end; it was left out: ", quote_input(piece)}, u, s.name);
                continue;
            }
            imported_coverage c;
            c.statement = std::string(piece);
            c.at = span(u, s.name);
            const bool all = names_all_products(piece);
            c.products = all ? 0 : products_named(piece);
            if (!all && c.products == 0 && current == 0 && from_heading != 0) {
                current = from_heading;
                m_policy.products |= current;
                if (products_named(s.qualifier) == 0) {
                    report("import.products_from_line_of_business", finding_severity::note,
                           {"the section names no product; the products of the line of business in its heading \"",
                            s.name, "\" are taken: ", product_list(current)},
                           s.heading_line, s.heading_line, s.name);
                }
            }
            if (!all && c.products == 0) c.products = current;
            if (!all && c.products == 0) {
                review("import.no_products", {"no product is named for this statement, so it was left out"}, u, s.name);
                continue;
            }
            const auto status = stated[0];
            c.status = status == stated_coverage::investigational           ? coverage_status::investigational
                       : status == stated_coverage::not_medically_necessary ? coverage_status::not_medically_necessary
                       : status == stated_coverage::not_covered             ? coverage_status::not_covered
                                                                            : coverage_status::covered;
            m_policy.coverage.push_back(std::move(c));
            m_coverage_all.push_back(all);
            m_coverage_mn.push_back(status == stated_coverage::medically_necessary);
            if (trim(piece).back() == ':') takes_criteria = m_policy.coverage.size() - 1;
        }
    }
}

void importer::read_authorization(const section& s) {
    std::optional<setting> context;
    std::string where = s.name;
    std::vector<unit> table;
    auto flush = [&] {
        if (!table.empty()) read_authorization_table(table, context, where);
        table.clear();
    };
    for (const auto& u : units_of(s, &importer::is_authorization_row, &importer::is_setting_line)) {
        if (u.kind == unit_kind::row) {
            table.push_back(u);
            continue;
        }
        // "Outpatient" directly above rows is the table's header; otherwise a sub-heading.
        if (u.kind == unit_kind::paragraph && is_setting_name(u.text)) {
            flush();
            context = setting_named(u.text);
            where = cat({s.name, " > ", without_colon(u.text)});
            continue;
        }
        flush();
        if (u.kind == unit_kind::paragraph && read_flattened_authorization(u, context, where)) continue;
        const auto stated = authorization_status_of(u.text);
        auto settings = settings_named(u.text);
        if (settings == 0 && context) settings = *context == setting::inpatient ? 1u : 2u;
        if (stated == stated_authorization::none) {
            report("import.text_not_used", finding_severity::note,
                   {"this text states no prior-authorization rule and was not used"}, u.first, u.last, where);
            continue;
        }
        if (stated == stated_authorization::ambiguous) {
            review("import.ambiguous_statement",
                   {"the sentence states more than one prior-authorization status, so it was left out"}, u, where);
            continue;
        }
        if (settings == 0) {
            review("import.no_setting", {"the sentence does not say inpatient or outpatient, so it was left out"}, u,
                   where);
            continue;
        }
        if (stated == stated_authorization::pointer) {
            for (unsigned bit = 0; bit < 2; ++bit) {
                if (!(settings & (1u << bit))) continue;
                const auto w = bit == 0 ? setting::inpatient : setting::outpatient;
                m_policy.authorization_notes.push_back({w, u.text, span(u, where)});
                if (w == setting::outpatient) {
                    m_outpatient_pointer = true;
                    m_outpatient_pointer_line = u.first;
                    m_outpatient_section = where;
                }
            }
            continue;
        }
        if (!ends_sentence(u.text)) {
            review("import.unfinished_sentence", {"the statement does not end; it was left out: ", quote_input(u.text)},
                   u, where);
            continue;
        }
        const bool all = names_all_products(u.text);
        const auto named = all ? 0 : products_named(u.text);
        if (!all && named == 0) {
            review("import.no_products", {"the rule names no product, so it was left out"}, u, where);
            continue;
        }
        for (unsigned bit = 0; bit < 2; ++bit) {
            if (!(settings & (1u << bit))) continue;
            imported_authorization a;
            a.where = bit == 0 ? setting::inpatient : setting::outpatient;
            a.products = named;
            a.status = stated == stated_authorization::required       ? authorization_status::required
                       : stated == stated_authorization::not_required ? authorization_status::not_required
                                                                      : authorization_status::not_covered;
            a.statement = u.text;
            a.at = span(u, where);
            m_policy.authorization.push_back(std::move(a));
            m_authorization_all.push_back(all);
        }
    }
    flush();
}

void importer::read_authorization_table(const std::vector<unit>& rows, std::optional<setting> context,
                                        const std::string& where) {
    std::vector<setting> columns;
    std::size_t first = 0;
    const auto& head = rows[0];
    if (std::all_of(head.cells.begin() + 1, head.cells.end(),
                    [](const std::string& c) { return is_setting_name(c); })) {
        for (std::size_t c = 1; c < head.cells.size(); ++c) columns.push_back(setting_named(head.cells[c]));
        first = 1;
    } else if (context) {
        columns.push_back(*context);
    } else {
        report("import.table_without_setting", finding_severity::review,
               {"the prior-authorization table does not say inpatient or outpatient, so it was left out"},
               rows.front().first, rows.back().last, where);
        return;
    }
    if (first == rows.size()) {
        report("import.unreadable_table_row", finding_severity::review, {"the table has a header but no rows"},
               head.first, head.last, where);
        return;
    }
    for (std::size_t r = first; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.cells.size() != columns.size() + 1) {
            review("import.unreadable_table_row",
                   {"the row has ", num(row.cells.size()), " cells where ", num(columns.size() + 1), " were expected"},
                   row, where);
            continue;
        }
        product_set products = 0;
        if (!names_only_products(row.cells[0], products)) {
            review("import.unknown_product",
                   {"the product ", quote_input(row.cells[0]), " is not one covercheck knows"}, row, where);
            continue;
        }
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const auto& cell = row.cells[c + 1];
            const auto stated = authorization_status_of(cell);
            if (stated != stated_authorization::required && stated != stated_authorization::not_required &&
                stated != stated_authorization::not_covered) {
                review("import.unreadable_authorization_cell",
                       {"the cell ", quote_input(cell), " does not say whether prior authorization is required"}, row,
                       where);
                continue;
            }
            imported_authorization a;
            a.where = columns[c];
            a.products = products;
            a.status = stated == stated_authorization::required       ? authorization_status::required
                       : stated == stated_authorization::not_required ? authorization_status::not_required
                                                                      : authorization_status::not_covered;
            a.statement = cell;
            a.printed_product = row.cells[0];
            a.at = span(row, where);
            m_policy.authorization.push_back(std::move(a));
            m_authorization_all.push_back(false);
        }
    }
}

// "Outpatient Commercial Managed Care (HMO and POS) This is not a covered service. Commercial
// PPO and Indemnity This is not a covered service. ..." as a PDF conversion leaves it.
bool importer::read_flattened_authorization(const unit& u, std::optional<setting> context, const std::string& where) {
    const auto mentions = find_product_mentions(u.text);
    if (mentions.size() < 2 || names_all_products(u.text)) return false;
    const std::string_view text = u.text;
    const auto prefix = trim(text.substr(0, mentions[0].begin));
    if (!prefix.empty() && !is_setting_name(prefix)) return false;
    std::vector<std::pair<std::string, std::string>> cells;  // product as printed, cell
    for (std::size_t k = 0; k < mentions.size(); ++k) {
        const auto end = k + 1 < mentions.size() ? mentions[k + 1].begin : text.size();
        auto cell = std::string(trim(text.substr(mentions[k].end, end - mentions[k].end)));
        const auto stated = authorization_status_of(cell);
        if (stated != stated_authorization::required && stated != stated_authorization::not_required &&
            stated != stated_authorization::not_covered) {
            return false;
        }
        cells.emplace_back(std::string(text.substr(mentions[k].begin, mentions[k].end - mentions[k].begin)),
                           std::move(cell));
    }
    if (!prefix.empty()) context = setting_named(prefix);
    if (!context) {
        report("import.table_without_setting", finding_severity::review,
               {"the prior-authorization table does not say inpatient or outpatient, so it was left out"}, u.first,
               u.last, where);
        return true;
    }
    review(
        "import.flattened_table",
        {"a table was run together on one line (as PDF conversions do); its rows were separated at the product names"},
        u, where);
    for (std::size_t k = 0; k < cells.size(); ++k) {
        imported_authorization a;
        a.where = *context;
        a.products = mentions[k].products;
        const auto stated = authorization_status_of(cells[k].second);
        a.status = stated == stated_authorization::required       ? authorization_status::required
                   : stated == stated_authorization::not_required ? authorization_status::not_required
                                                                  : authorization_status::not_covered;
        a.statement = cells[k].second;
        a.printed_product = cells[k].first;
        a.at = span(u, where);
        m_policy.authorization.push_back(std::move(a));
        m_authorization_all.push_back(false);
    }
    return true;
}

void importer::read_coding(const section& s) {
    std::optional<std::size_t> group;      // index into code_groups, or none
    std::optional<std::size_t> icd_group;  // the ICD table of the same statement
    bool group_bad = false;                // the statement could not be read: its codes are left out
    bool group_has_table = false;
    struct table_state {
        bool open = false;
        bool icd = false;
        std::string system;
        int line = 0;
        std::size_t rows = 0;
    } table;
    bool reported_orphans = false;
    auto close_table = [&] {
        if (table.open && table.rows == 0) {
            report("import.code_table_without_codes", finding_severity::review,
                   {"a code table heading is not followed by any code"}, table.line, table.line, s.name);
        }
        table = {};
    };
    auto close_group = [&] {
        close_table();
        if (group && !group_has_table && m_policy.code_groups[*group].codes.empty() &&
            !(icd_group && !m_policy.icd_code_groups[*icd_group].codes.empty())) {
            const auto& g = m_policy.code_groups[*group];
            report("import.code_table_without_codes", finding_severity::review,
                   {"the statement is not followed by any code: ", quote_input(g.statement)}, g.at.first, g.at.last,
                   s.name);
        }
        group.reset();
        icd_group.reset();
        group_bad = false;
        group_has_table = false;
        reported_orphans = false;
    };
    auto open_group = [&](const std::string& statement, int first, int last) {
        close_group();
        const auto statuses = coverage_statuses(statement);
        imported_code_group g;
        g.statement = statement;
        g.at = {first, last, s.name};
        const bool all = names_all_products(statement);
        g.products = all ? 0 : products_named(statement);
        // An ICD-10 table's statement may name no product ("... when reported with the CPT codes above").
        const bool icd_only = ifind(statement, "icd") != std::string_view::npos;
        if (statuses.size() != 1) {
            report("import.ambiguous_statement", finding_severity::review,
                   {"the code table's statement states more than one status, so its codes were left out"}, first, last,
                   s.name);
            group_bad = true;
        } else if (!all && g.products == 0 && !icd_only) {
            report("import.code_table_without_products", finding_severity::review,
                   {"the code table's statement names no product, so its codes were left out"}, first, last, s.name);
            group_bad = true;
        }
        if (statuses.size() == 1) {
            const auto st = statuses[0];
            g.status = st == stated_coverage::investigational           ? coverage_status::investigational
                       : st == stated_coverage::not_medically_necessary ? coverage_status::not_medically_necessary
                       : st == stated_coverage::not_covered             ? coverage_status::not_covered
                                                                        : coverage_status::covered;
            m_group_mn.push_back(st == stated_coverage::medically_necessary);
        } else {
            m_group_mn.push_back(false);
        }
        m_policy.code_groups.push_back(std::move(g));
        m_group_all.push_back(all);
        group = m_policy.code_groups.size() - 1;
        if (group_bad) m_policy.code_groups[*group].products = 0;
    };
    auto add_code = [&](std::string_view token_text, std::string description, int line,
                        const std::string& where_system) {
        auto token = upper_ascii(token_text);
        while (!token.empty() && (token.back() == ',' || token.back() == ';' || token.back() == ':')) token.pop_back();
        const bool icd_table = where_system.rfind("ICD", 0) == 0;
        const auto shape = shape_of_code(token, icd_table);
        description = collapse_spaces(description);
        if (shape == code_shape::none || description.empty()) {
            report(
                "import.unreadable_code_row", finding_severity::review,
                {description.empty() ? cat({"the code ", quote_input(token), " has no description, so it was left out"})
                                     : cat({quote_input(token),
                                            " is not a single CPT, HCPCS or ICD-10 code, so the row was left out"})},
                line, line, s.name);
            return;
        }
        if (!group) {
            if (!reported_orphans) {
                report("import.code_table_without_statement", finding_severity::review,
                       {"codes are listed without a sentence saying what they mean, so they were left out"}, line, line,
                       s.name);
                reported_orphans = true;
            }
            return;
        }
        if (group_bad) return;
        imported_code code;
        code.code = token;
        code.description = std::move(description);
        code.line = line;
        if (shape == code_shape::icd10_cm || shape == code_shape::icd10_pcs) {
            code.system = shape == code_shape::icd10_cm ? "ICD-10-CM" : "ICD-10-PCS";
            if (!icd_group) {
                auto icd = m_policy.code_groups[*group];
                icd.codes.clear();
                m_policy.icd_code_groups.push_back(std::move(icd));
                icd_group = m_policy.icd_code_groups.size() - 1;
            }
            m_policy.icd_code_groups[*icd_group].codes.push_back(std::move(code));
            return;
        }
        code.system = shape == code_shape::cpt ? "CPT" : "HCPCS";
        m_policy.code_groups[*group].codes.push_back(std::move(code));
    };
    // Rows run together on one line: split at each standalone code.
    auto read_flattened = [&](const unit& u, std::string_view text) -> bool {
        const bool icd = table.icd || ifind(text, "icd") != std::string_view::npos;
        const auto tokens = code_tokens(text, icd);
        if (tokens.size() < 2) return false;
        const auto prefix = trim(text.substr(0, tokens[0].begin));
        std::string system;
        const bool header = prefix.empty() || is_code_table_header(prefix) || is_code_table_heading(prefix, system);
        const bool statement = !header && is_code_statement(prefix);
        if (!header && !statement) return false;
        for (std::size_t k = 0; k < tokens.size(); ++k) {
            const auto end = k + 1 < tokens.size() ? tokens[k + 1].begin : text.size();
            if (trim(text.substr(tokens[k].end, end - tokens[k].end)).empty()) return false;
        }
        if (statement) open_group(std::string(prefix), u.first, u.last);
        review(
            "import.flattened_table",
            {"a code table was run together on one line (as PDF conversions do); its rows were separated at the codes"},
            u, s.name);
        group_has_table = true;
        if (!table.open) table = {true, icd, icd ? "ICD-10-CM" : "CPT", u.first, 0};
        for (std::size_t k = 0; k < tokens.size(); ++k) {
            const auto end = k + 1 < tokens.size() ? tokens[k + 1].begin : text.size();
            add_code(text.substr(tokens[k].begin, tokens[k].end - tokens[k].begin),
                     std::string(text.substr(tokens[k].end, end - tokens[k].end)), u.first, table.system);
            ++table.rows;
        }
        return true;
    };

    // The section may start at a code table heading ("CPT Codes") when there is no coding heading:
    // then that heading is its first body line.
    for (const auto& u : units_of(s, &importer::is_code_row, &importer::is_code_line)) {
        std::string system;
        if (u.kind != unit_kind::row && is_code_table_heading(u.text, system)) {
            close_table();
            table = {true, system.rfind("ICD", 0) == 0, system, u.first, 0};
            group_has_table = true;
            continue;
        }
        if (u.kind != unit_kind::row && is_code_table_header(u.text) && code_tokens(u.text, true).empty()) {
            if (!table.open || table.rows > 0) {
                close_table();
                const bool icd = ifind(u.text, "icd") != std::string_view::npos;
                table = {true, icd, icd ? icd_system_of(u.text) : "CPT", u.first, 0};
            }
            group_has_table = true;
            continue;
        }
        if (u.kind == unit_kind::row) {
            if (read_flattened(u, u.text)) continue;
            std::string_view token;
            std::string description;
            if (u.cells.size() >= 2) {
                token = u.cells[0];
                for (std::size_t c = 1; c < u.cells.size(); ++c) {
                    if (!description.empty()) description += ' ';
                    description += u.cells[c];
                }
            } else {
                token = first_token(u.text);
                description = std::string(trim(std::string_view(u.text).substr(token.size())));
            }
            if (!table.open) {
                const bool icd = !u.cells.empty() && shape_of_code(upper_ascii(token), false) == code_shape::none;
                table = {true, icd, icd ? "ICD-10-CM" : "CPT", u.first, 0};
                group_has_table = true;
            }
            add_code(token, std::move(description), u.first, table.system);
            ++table.rows;
            continue;
        }
        if (is_code_statement(u.text)) {
            open_group(u.text, u.first, u.last);
            continue;
        }
        if (read_flattened(u, u.text)) continue;
        close_table();
        m_policy.coding_notices.push_back({u.text, span(u, s.name)});
    }
    close_group();
}

// "Isolated Limb Perfusion, #124" (the number may also be printed "(#124)" or "Policy #124").
void importer::read_related(const section& s) {
    for (const auto& u : units_of(s, &importer::never, &importer::always)) {
        const std::string_view text = u.text;
        const auto hash = text.rfind('#');
        if (hash == std::string_view::npos) {
            if (!ends_sentence(text)) {
                review("import.unreadable_related_policy", {"no policy number (#…) was found in ", quote_input(text)},
                       u, s.name);
            }
            continue;
        }
        auto number = trim(text.substr(hash + 1));
        while (!number.empty() && (number.back() == ')' || number.back() == '.' || number.back() == ','))
            number.remove_suffix(1);
        auto title = trim(text.substr(0, hash));
        if (iends_with(title, "policy")) title = trim(title.substr(0, title.size() - 6));
        while (!title.empty() && (title.back() == ',' || title.back() == '(' || title.back() == ' '))
            title.remove_suffix(1);
        bool ok = !number.empty() && number.size() <= 16 && !title.empty();
        for (char c : number) ok = ok && (is_alpha(c) || is_digit(c) || c == '.' || c == '-');
        if (!ok) {
            review("import.unreadable_related_policy", {"the related policy ", quote_input(text), " could not be read"},
                   u, s.name);
            continue;
        }
        m_policy.related_policies.push_back({std::string(number), std::string(title), span(u, s.name)});
    }
}

// "For individuals who have <population> who receive <intervention>, the evidence includes
// <evidence base>. Relevant outcomes are <outcomes>. ... The evidence is (in)sufficient ...".
void importer::read_evidence(const section& s) {
    for (const auto& u : units_of(s, &importer::never, &importer::never)) {
        const std::string_view text = u.text;
        if (!istarts_with(text, "for individuals")) continue;
        imported_evidence e;
        e.at = span(u, s.name);
        std::size_t start = 0;
        for (std::string_view lead : {"for individuals who have ", "for individuals with ", "for individuals who are ",
                                      "for individuals who ", "for individuals "}) {
            if (istarts_with(text, lead)) {
                start = lead.size();
                break;
            }
        }
        const auto base_at = ifind(text, ", the evidence includes");
        std::vector<std::string_view> sentences = sentences_of(text);
        std::string_view conclusion;
        for (auto sentence : sentences) {
            if (istarts_with(sentence, "the evidence is ")) conclusion = sentence;
        }
        if (base_at == std::string_view::npos || conclusion.empty() || base_at <= start) {
            review("import.unreadable_evidence",
                   {"the evidence summary does not follow the usual form (population, \"the evidence includes\", "
                    "conclusion), so it was left out"},
                   u, s.name);
            continue;
        }
        auto who = text.substr(start, base_at - start);
        std::size_t split = std::string_view::npos;
        for (auto at = ifind(who, " who "); at != std::string_view::npos; at = ifind(who, " who ", at + 1)) split = at;
        if (split != std::string_view::npos) {
            e.population = std::string(trim(who.substr(0, split)));
            auto rest = who.substr(split + 5);
            if (istarts_with(rest, "are treated with ")) {
                rest.remove_prefix(17);
            } else {
                rest.remove_prefix(std::min(rest.size(), first_token(rest).size() + 1));
            }
            e.intervention = std::string(trim(rest));
        } else {
            e.population = std::string(trim(who));
        }
        const auto outcomes_at = ifind(text, ". relevant outcomes ");
        const auto base_end =
            outcomes_at != std::string_view::npos && outcomes_at > base_at ? outcomes_at : std::string_view::npos;
        if (base_end != std::string_view::npos) {
            e.evidence_base = std::string(trim(text.substr(base_at + 2, base_end - base_at - 2)));
            auto outcomes = text.substr(base_end + 2);
            for (std::string_view lead : {"relevant outcomes are ", "relevant outcomes include "}) {
                if (istarts_with(outcomes, lead)) outcomes.remove_prefix(lead.size());
            }
            const auto sentence = sentences_of(outcomes);
            if (!sentence.empty()) {
                auto first = sentence[0];
                if (!first.empty() && first.back() == '.') first.remove_suffix(1);
                e.outcomes = std::string(first);
            }
        }
        e.conclusion = std::string(conclusion);
        if (e.population.empty()) {
            review("import.unreadable_evidence", {"the evidence summary names no population, so it was left out"}, u,
                   s.name);
            continue;
        }
        m_policy.evidence.push_back(std::move(e));
    }
}

void importer::read_history(const section& s) {
    auto add = [&](std::string_view date, std::string_view action, const unit& u) {
        int month = 0;
        const auto d = trim(date);
        const auto a = collapse_spaces(action);
        if (!is_history_date(d, &month) || a.empty()) {
            review("import.unreadable_history_row", {"the history row ", quote_input(u.text), " could not be read"}, u,
                   s.name);
            return;
        }
        m_policy.history.push_back({std::string(d), a, month, span(u, s.name)});
    };
    for (const auto& u : units_of(s, &importer::is_history_row, &importer::never)) {
        if (is_history_header(u)) continue;
        std::string_view text = u.text;
        if (istarts_with(text, "date action ")) text.remove_prefix(12);
        const auto starts = history_starts(text);
        if (starts.size() >= 2 || (u.kind != unit_kind::row && !starts.empty() && starts[0] == 0)) {
            if (starts.size() >= 2) {
                review("import.flattened_table",
                       {"the history table was run together on one line; its rows were separated at the dates"}, u,
                       s.name);
            }
            for (std::size_t k = 0; k < starts.size(); ++k) {
                const auto end = k + 1 < starts.size() ? starts[k + 1] : text.size();
                const auto row = text.substr(starts[k], end - starts[k]);
                const auto date = first_token(row);
                add(date, row.substr(date.size()), u);
            }
            continue;
        }
        if (u.kind == unit_kind::row) {
            if (u.cells.size() >= 2) {
                std::string action;
                for (std::size_t c = 1; c < u.cells.size(); ++c) {
                    if (!action.empty()) action += ' ';
                    action += u.cells[c];
                }
                add(u.cells[0], action, u);
            } else {
                const auto date = first_token(text);
                add(date, text.substr(date.size()), u);
            }
            continue;
        }
        report("import.text_not_used", finding_severity::note, {"this text in the policy history is not a dated row"},
               u.first, u.last, s.name);
    }
}

void importer::read_general(const section& s) {
    for (const auto& u : units_of(s, &importer::never, &importer::always)) {
        if (u.link_only || (!ends_sentence(u.text) && u.text.size() <= 120)) {
            m_policy.general_information.push_back({u.text, span(u, s.name)});
        }
    }
}

void importer::read_references(const section& s) {
    int count = 0;
    bool reported = false;
    for (std::size_t i = s.begin; i < s.end; ++i) {
        const auto& line = m_doc.lines[i];
        std::size_t digits = 0;
        int number = 0;
        while (digits < line.text.size() && is_digit(line.text[digits]) && digits < 6) {
            number = number * 10 + (line.text[digits] - '0');
            ++digits;
        }
        if (digits == 0 || digits + 1 >= line.text.size() || line.text[digits] != '.' || line.text[digits + 1] != ' ')
            continue;
        ++count;
        if (number != count && !reported) {
            report("import.reference_numbering", finding_severity::note,
                   {"reference ", num(number), " is the ", num(count),
                    "th numbered reference; the count is of the references printed"},
                   line.number, line.number, s.name);
            reported = true;
        }
    }
    if (count > 0 || !m_policy.references_count) {
        m_policy.references_count = m_policy.references_count.value_or(0) + count;
        m_policy.references_at = {s.heading_line, static_cast<int>(s.end), s.name};
    }
}

// "Medically necessary" is covered-with-criteria when criteria or conditions come with it.
void importer::reconcile_coverage() {
    for (std::size_t i = 0; i < m_policy.coverage.size(); ++i) {
        auto& c = m_policy.coverage[i];
        if (m_coverage_all[i]) c.products = m_policy.products;
        if (m_coverage_mn[i]) {
            c.status = !c.criteria.empty() || states_conditions(c.statement) ? coverage_status::covered_with_criteria
                                                                             : coverage_status::covered;
        }
    }
}

void importer::reconcile_code_groups() {
    auto& groups = m_policy.code_groups;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        auto& group = groups[g];
        if (m_group_all[g]) group.products = m_policy.products;
        if (group.products == 0) continue;  // already reported
        // The code table's "medically necessary" is the policy statement's for those products.
        if (m_group_mn[g]) {
            std::vector<coverage_status> seen;
            for (const auto& c : m_policy.coverage) {
                if ((c.products & group.products) &&
                    (c.status == coverage_status::covered || c.status == coverage_status::covered_with_criteria) &&
                    std::find(seen.begin(), seen.end(), c.status) == seen.end()) {
                    seen.push_back(c.status);
                }
            }
            if (seen.size() == 1) {
                group.status = seen[0];
            } else if (seen.empty()) {
                group.status = states_conditions(group.statement) ? coverage_status::covered_with_criteria
                                                                  : coverage_status::covered;
            } else {
                report("import.ambiguous_statement", finding_severity::review,
                       {"the code table says \"medically necessary\", and the policy has statements both with and "
                        "without criteria for these products; its codes were left out"},
                       group.at.first, group.at.last, group.at.section);
                group.products = 0;
                continue;
            }
        }
        const auto outside = group.products & ~m_policy.products;
        if (outside) {
            report("import.product_not_in_policy", finding_severity::review,
                   {"the code table names products the policy section does not (", product_list(outside),
                    "); they were left out of the table"},
                   group.at.first, group.at.last, group.at.section);
            group.products &= m_policy.products;
        }
        // The table may not contradict the policy statements (the loader refuses that too).
        product_set contradicted = 0;
        for (std::size_t bit = 0; bit < importer_product_count; ++bit) {
            const product_set p = product_set{1} << bit;
            if (!(group.products & p)) continue;
            bool stated = false;
            bool agrees = false;
            for (const auto& c : m_policy.coverage) {
                if (!(c.products & p)) continue;
                stated = true;
                agrees = agrees || c.status == group.status;
            }
            if (stated && !agrees) contradicted |= p;
        }
        if (contradicted) {
            report("import.conflicting_status", finding_severity::review,
                   {"the code table says \"", to_string(group.status), "\" for ", product_list(contradicted),
                    ", but no policy statement for those products says so; they were left out of the table"},
                   group.at.first, group.at.last, group.at.section);
            group.products &= ~contradicted;
        }
    }
    // One code for one product must have one status.
    for (std::size_t b = 0; b < groups.size(); ++b) {
        for (std::size_t a = 0; a < b; ++a) {
            if (!(groups[a].products & groups[b].products)) continue;
            for (auto& code : groups[b].codes) {
                if (code.code.empty()) continue;  // already left out
                auto earlier = std::find_if(groups[a].codes.begin(), groups[a].codes.end(),
                                            [&](const imported_code& c) { return c.code == code.code; });
                if (earlier == groups[a].codes.end()) continue;
                if (groups[a].status == groups[b].status && (groups[b].products & ~groups[a].products) == 0) {
                    report("import.duplicate_code", finding_severity::note,
                           {"code ", code.code, " is listed again with the same status (first on line ",
                            num(earlier->line), "); the repetition was left out"},
                           code.line, code.line, groups[b].at.section);
                    code.code.clear();
                    continue;
                }
                report("import.conflicting_status", finding_severity::review,
                       {"code ", code.code, " is listed as \"", to_string(groups[a].status), "\" on line ",
                        num(earlier->line), " and as \"", to_string(groups[b].status),
                        "\" here for the same products; it was left out of both tables"},
                       code.line, code.line, groups[b].at.section);
                earlier->code.clear();
                code.code.clear();
            }
        }
        // The same code twice in one table.
        auto& codes = groups[b].codes;
        for (std::size_t i = 0; i < codes.size(); ++i) {
            for (std::size_t k = 0; k < i && !codes[i].code.empty(); ++k) {
                if (codes[k].code == codes[i].code) {
                    report("import.duplicate_code", finding_severity::note,
                           {"code ", codes[i].code, " is listed twice in one table (first on line ", num(codes[k].line),
                            "); the repetition was left out"},
                           codes[i].line, codes[i].line, groups[b].at.section);
                    codes[i].code.clear();
                }
            }
        }
    }
    for (auto& group : groups) {
        group.codes.erase(std::remove_if(group.codes.begin(), group.codes.end(),
                                         [](const imported_code& c) { return c.code.empty(); }),
                          group.codes.end());
    }
    groups.erase(std::remove_if(groups.begin(), groups.end(),
                                [](const imported_code_group& g) { return g.products == 0 || g.codes.empty(); }),
                 groups.end());
    for (auto& group : m_policy.icd_code_groups) {
        if (group.products == 0 && names_all_products(group.statement)) group.products = m_policy.products;
        group.products &= m_policy.products;
    }
}

void importer::reconcile_authorization() {
    auto& rules = m_policy.authorization;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (m_authorization_all[i]) rules[i].products = m_policy.products;
        const auto outside = rules[i].products & ~m_policy.products;
        if (outside && m_policy.products != 0) {
            report("import.product_not_in_policy", finding_severity::review,
                   {"the prior-authorization rule names products the policy section does not (", product_list(outside),
                    "); they were left out"},
                   rules[i].at.first, rules[i].at.last, rules[i].at.section);
            rules[i].products &= m_policy.products;
        }
    }
    // Two rules for one setting and product: the same status is a repetition, a different
    // status a conflict that leaves that product without a rule.
    for (std::size_t b = 0; b < rules.size(); ++b) {
        for (std::size_t a = 0; a < b; ++a) {
            if (rules[a].where != rules[b].where) continue;
            const auto both = rules[a].products & rules[b].products;
            if (!both) continue;
            if (rules[a].status == rules[b].status) {
                report("import.duplicate_authorization", finding_severity::note,
                       {"the same prior-authorization status is stated again for ", product_list(both),
                        " (first on line ", num(rules[a].at.first), ")"},
                       rules[b].at.first, rules[b].at.last, rules[b].at.section);
                rules[b].products &= ~both;
            } else {
                report("import.conflicting_status", finding_severity::review,
                       {"prior authorization ", to_string(rules[b].where), " for ", product_list(both), " is \"",
                        to_string(rules[a].status), "\" on line ", num(rules[a].at.first), " and \"",
                        to_string(rules[b].status), "\" here; neither was kept for those products"},
                       rules[b].at.first, rules[b].at.last, rules[b].at.section);
                rules[a].products &= ~both;
                rules[b].products &= ~both;
            }
        }
    }
    rules.erase(
        std::remove_if(rules.begin(), rules.end(), [](const imported_authorization& r) { return r.products == 0; }),
        rules.end());
}

// A document that ends in the middle of a sentence was cut off.
void importer::check_truncation() {
    const auto& lines = m_doc.lines;
    std::size_t last = lines.size();
    while (last > 0 && lines[last - 1].blank()) --last;
    if (last == 0) return;
    const auto& line = lines[last - 1];
    if (line.too_long || line.link_only || m_used[last - 1] || match_heading(line)) return;
    for (const auto& s : m_sections) {
        if (last - 1 >= s.begin && last - 1 < s.end &&
            (s.kind == section_kind::general || s.kind == section_kind::toc)) {
            return;
        }
    }
    const auto& text = line.text;
    const char end = text.back();
    if (ends_sentence(text) || is_digit(end) || starts_with_code(text) || is_history_date(first_token(text))) return;
    if (line.row() && (products_named(line.cells[0]) != 0)) return;
    report("import.truncated", finding_severity::review,
           {"the document ends in the middle of a sentence; it may have been cut off"}, line.number, line.number);
}

void importer::finish() {
    reconcile_coverage();
    reconcile_code_groups();
    reconcile_authorization();

    // History: the latest review is the latest date in it.
    const imported_history* latest = nullptr;
    for (const auto& h : m_policy.history) {
        if (!latest || h.month > latest->month) latest = &h;
    }
    if (latest) {
        char buffer[8] = {};
        const int year = latest->month / 100;
        const int month = latest->month % 100;
        buffer[0] = static_cast<char>('0' + year / 1000);
        buffer[1] = static_cast<char>('0' + year / 100 % 10);
        buffer[2] = static_cast<char>('0' + year / 10 % 10);
        buffer[3] = static_cast<char>('0' + year % 10);
        buffer[4] = '-';
        buffer[5] = static_cast<char>('0' + month / 10);
        buffer[6] = static_cast<char>('0' + month % 10);
        m_policy.last_review = std::string(buffer, 7);
        const auto dash = latest->date.find('-');
        m_policy.last_review_printed = dash == std::string::npos ? latest->date : latest->date.substr(dash + 1);
        m_policy.last_review_at = latest->at;
        if (latest != &m_policy.history.front()) {
            report("import.history_not_sorted", finding_severity::note,
                   {"the latest history entry is not the first one; the last review is taken from line ",
                    num(latest->at.first)},
                   latest->at.first, latest->at.last, latest->at.section);
        }
    }

    // Facts the text cannot give come from the options.
    m_policy.id = m_options.id;
    if (m_policy.id.empty() && m_policy.number.found())
        m_policy.id = cat({"policy-", lowercase_id(m_policy.number.text)});
    if (!m_policy.id.empty() && !is_identifier(m_policy.id)) {
        report("import.invalid_option", finding_severity::review,
               {"the id ", quote_input(m_policy.id), " is not lower-case words joined by '-'"});
        m_policy.id.clear();
    }
    if (!m_policy.publisher.found() && !m_options.publisher.empty()) m_policy.publisher = {m_options.publisher, {}};
    if (!m_options.effective_from.empty()) {
        if (parse_iso_date(m_options.effective_from)) {
            m_policy.effective_from = m_options.effective_from;
        } else {
            report("import.invalid_option", finding_severity::review,
                   {"effective_from ", quote_input(m_options.effective_from), " is not a date YYYY-MM-DD"});
        }
    } else if (!m_policy.last_review.empty()) {
        m_policy.effective_from = cat({m_policy.last_review, "-01"});
        report("import.effective_from_last_review", finding_severity::note,
               {"the document states no effective date; dates of service from ", m_policy.effective_from,
                " (its last review) are answered from it"},
               m_policy.last_review_at.first, m_policy.last_review_at.last, m_policy.last_review_at.section);
    }
    m_policy.effective_basis = m_options.effective_basis;
    if (m_policy.effective_basis.empty() && !m_policy.last_review_printed.empty() && m_options.effective_from.empty()) {
        m_policy.effective_basis = cat({"The bundled text is the version of the policy last reviewed ",
                                        m_policy.last_review_printed, "; earlier versions are not in the data."});
    }
    m_policy.source_file = m_options.source_file;
    m_policy.source_sha256 = sha256_hex(m_text);

    // What a policy needs and the document did not give.
    const auto has = [&](section_kind kind) {
        return std::any_of(m_sections.begin(), m_sections.end(), [&](const section& s) { return s.kind == kind; });
    };
    if (!m_policy.title.found()) {
        report("import.no_title", finding_severity::review,
               {"no title was found (it is the line after \"Medical Policy\")"});
    }
    if (!m_policy.number.found())
        report("import.no_policy_number", finding_severity::review, {"no \"Policy Number:\" line was found"});
    if (!m_policy.publisher.found()) {
        report(
            "import.no_publisher", finding_severity::review,
            {"the document does not name its publisher (\"… is an Independent Licensee of …\"); give it as an option"});
    }
    if (!m_policy.bcbsa_reference.found()) {
        report("import.no_bcbsa_reference", finding_severity::note, {"no \"BCBSA Reference Number:\" line was found"});
    }
    if (!has(section_kind::policy)) {
        report("import.no_policy_section", finding_severity::review, {"no \"Policy\" section was found"});
    } else if (m_policy.coverage.empty()) {
        report("import.no_coverage_statement", finding_severity::review,
               {"the policy section states no coverage status that could be read"});
    }
    if (has(section_kind::policy) && m_policy.products == 0) {
        report("import.no_products", finding_severity::review,
               {"the policy section names no product covercheck knows"});
    }
    if (m_products_lines.size() > 1) m_policy.products_heading = {};
    if (!has(section_kind::authorization)) {
        report("import.no_authorization_section", finding_severity::review,
               {"no \"Prior Authorization Information\" section was found"});
    } else {
        product_set in = 0;
        product_set out = 0;
        for (const auto& r : m_policy.authorization) (r.where == setting::inpatient ? in : out) |= r.products;
        if (in == 0) {
            report("import.no_inpatient_rule", finding_severity::review,
                   {"no inpatient prior-authorization rule was read"});
        } else if ((in & m_policy.products) != m_policy.products) {
            report("import.authorization_products_missing", finding_severity::review,
                   {"no inpatient prior-authorization rule for ", product_list(m_policy.products & ~in)});
        }
        if (out == 0) {
            report("import.no_outpatient_table", finding_severity::review,
                   {m_outpatient_pointer ? "the policy points to an outpatient table below, but no table row was read"
                                         : "no outpatient prior-authorization rule or table was read"},
                   m_outpatient_pointer_line, m_outpatient_pointer_line, m_outpatient_section);
        } else if ((out & m_policy.products) != m_policy.products) {
            report("import.authorization_products_missing", finding_severity::review,
                   {"no outpatient prior-authorization rule for ", product_list(m_policy.products & ~out)});
        }
    }
    if (!has(section_kind::coding)) {
        report("import.no_code_table", finding_severity::review,
               {"no coding section (\"CPT Codes / HCPCS Codes / ICD Codes\") was found"});
    } else if (m_policy.code_groups.empty()) {
        report("import.no_code_table", finding_severity::review, {"no CPT or HCPCS code table could be read"});
    }
    if (!m_policy.icd_code_groups.empty()) {
        report("import.icd_codes_not_evaluated", finding_severity::note,
               {"ICD-10 codes are kept for reading; covercheck answers for CPT and HCPCS codes only"});
    }
    if (!has(section_kind::history)) {
        report("import.no_history", finding_severity::review,
               {"no \"Policy History\" section was found, so the last review is unknown"});
    } else if (m_policy.last_review.empty()) {
        report("import.no_last_review", finding_severity::review, {"the policy history has no dated entry"});
    }
    if (!has(section_kind::related))
        report("import.no_related_policies", finding_severity::note, {"no \"Related Policies\" section was found"});
    if (!has(section_kind::evidence))
        report("import.no_evidence", finding_severity::note, {"no \"Summary of Evidence\" section was found"});
    if (!has(section_kind::references))
        report("import.no_references", finding_severity::note, {"no \"References\" section was found"});
}

// The result must load like bundled data; when it cannot, the report says exactly why.
void importer::validate(import_result& result) {
    auto refused = check_loads(result.policy_json, m_options.products);
    if (!refused) return;
    import_finding f;
    f.code = "import.not_loadable";
    f.severity = finding_severity::review;
    f.message = cat({"the result does not validate as policy data (", refused->code, "): ", refused->message});
    f.path = refused->path.rfind("/policies/0", 0) == 0 ? refused->path.substr(11) : refused->path;
    m_findings.push_back(std::move(f));
}

import_result importer::run() {
    import_result result;
    if (check_input()) {
        find_preamble();
        find_header_facts();
        find_sections();
        const bool policy_like = m_policy.number.found() || m_policy.title.found() ||
                                 std::any_of(m_sections.begin(), m_sections.end(), [](const section& s) {
                                     return s.kind == section_kind::policy || s.kind == section_kind::authorization ||
                                            s.kind == section_kind::coding;
                                 });
        if (!policy_like) {
            report("import.not_a_policy", finding_severity::error,
                   {"nothing in the document reads as a medical policy (no title, policy number or policy section)"});
        } else {
            for (const auto& s : m_sections) {
                switch (s.kind) {
                    case section_kind::policy:
                        read_policy(s);
                        break;
                    case section_kind::authorization:
                        read_authorization(s);
                        break;
                    case section_kind::coding:
                        read_coding(s);
                        break;
                    case section_kind::related:
                        read_related(s);
                        break;
                    case section_kind::evidence:
                        read_evidence(s);
                        break;
                    case section_kind::history:
                        read_history(s);
                        break;
                    case section_kind::general:
                        read_general(s);
                        break;
                    case section_kind::references:
                        read_references(s);
                        break;
                    default:
                        break;
                }
            }
            finish();
            check_truncation();
        }
    }
    result.policy_json = write_policy_json(m_policy);
    result.sources_json = write_sources_json(m_policy);
    const bool refused = std::any_of(m_findings.begin(), m_findings.end(),
                                     [](const import_finding& f) { return f.severity == finding_severity::error; });
    if (!refused) validate(result);
    // By source line, keeping the order of findings on one line; whole-document findings last.
    // (An insertion sort: at most 1,001 findings, and far less code than std::stable_sort.)
    const auto key = [](const import_finding& f) { return f.first_line == 0 ? 1 << 30 : f.first_line; };
    for (std::size_t i = 1; i < m_findings.size(); ++i) {
        for (std::size_t k = i; k > 0 && key(m_findings[k]) < key(m_findings[k - 1]); --k) {
            std::swap(m_findings[k], m_findings[k - 1]);
        }
    }
    result.complete = std::none_of(m_findings.begin(), m_findings.end(),
                                   [](const import_finding& f) { return f.severity != finding_severity::note; });
    result.findings = std::move(m_findings);
    return result;
}

}  // namespace

std::string_view to_string(finding_severity value) noexcept {
    switch (value) {
        case finding_severity::note:
            return "note";
        case finding_severity::review:
            return "review";
        case finding_severity::error:
            return "error";
    }
    return "review";
}

namespace detail {

import_result run_import(std::string_view text, const import_options& options) { return importer(text, options).run(); }

}  // namespace detail

}  // namespace covercheck
