// Requests are untrusted: every field is checked, unknown fields are refused (a misspelt
// "prodcut" must not silently mean "all products"), and errors name the field by JSON Pointer.
#include "detail/request.hpp"

#include <algorithm>
#include <unordered_set>

#include "detail/json_reader.hpp"
#include "detail/text.hpp"

namespace covercheck::detail {
namespace {

using nlohmann::json;

error wrong_type(std::string_view field, std::string_view expected) {
    return {"request.wrong_type", std::string(field) + " must be " + std::string(expected),
            pointer_append("", field)};
}

std::string_view type_name(const json& v) { return v.type_name(); }

std::optional<error> check_fields(const json& request, std::initializer_list<std::string_view> known,
                                  std::string_view hint) {
    for (const auto& item : request.items()) {
        if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
            error e{"request.unknown_field", "unknown field " + quote_input(item.key()) + std::string(hint),
                    pointer_append("", item.key())};
            for (auto name : known) e.allowed.emplace_back(name);
            return e;
        }
    }
    return std::nullopt;
}

std::variant<std::string, error> parse_code(const json& value, const std::string& path) {
    if (!value.is_string()) {
        return error{"request.wrong_type", "a code must be a string such as \"47371\", not " +
                                               std::string(type_name(value)),
                     path};
    }
    const auto& text = value.get_ref<const std::string&>();
    auto code = normalize_code(text);
    if (!code) {
        const bool blank = std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
        return error{"request.invalid_code",
                     blank ? std::string("enter a procedure code, such as 47371")
                           : quote_input(text) +
                                 " is not a CPT or HCPCS code: expected five characters such as 47371, 0001T or J1234",
                     path};
    }
    return std::move(*code);
}

std::variant<std::size_t, error> parse_product(const catalog& data, const json& value, const std::string& path) {
    if (!value.is_string()) {
        return error{"request.wrong_type", "a product must be a product id string", path};
    }
    const auto& id = value.get_ref<const std::string&>();
    if (auto index = data.find_product(id)) return *index;
    error e{"request.unknown_product", "unknown product " + quote_input(id) + "; expected one of: ", path};
    for (std::size_t i = 0; i < data.products().size(); ++i) {
        e.message += (i ? ", " : "") + data.products()[i].id;
        e.allowed.push_back(data.products()[i].id);
    }
    return e;
}

std::variant<setting, error> parse_setting_value(const json& value, const std::string& path) {
    if (!value.is_string()) return error{"request.wrong_type", "a setting must be \"inpatient\" or \"outpatient\"", path};
    const auto& text = value.get_ref<const std::string&>();
    if (auto parsed = parse_setting(text)) return *parsed;
    return error{"request.unknown_setting",
                 "unknown setting " + quote_input(text) + "; expected one of: inpatient, outpatient",
                 path,
                 {"inpatient", "outpatient"}};
}

std::variant<day, error> parse_date_field(const json& request) {
    auto it = request.find("date");
    if (it == request.end() || it->is_null()) return day{0};
    if (!it->is_string()) return wrong_type("date", "a date of service written YYYY-MM-DD");
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty()) return day{0};
    if (auto parsed = parse_iso_date(text)) return *parsed;
    return error{"request.invalid_date",
                 quote_input(text) + " is not a date of service; write it as YYYY-MM-DD, for example 2026-11-24",
                 "/date"};
}

// Reads an optional list field: absent means "all"; present must be a non-empty array.
template <typename T, typename Parse>
std::optional<error> parse_list(const json& request, std::string_view field, std::vector<T>& out, Parse parse) {
    auto it = request.find(field);
    if (it == request.end()) return std::nullopt;
    if (!it->is_array()) return wrong_type(field, "a list");
    if (it->empty()) return error{"request.empty_list", std::string(field) + " must not be empty; omit it to mean all",
                                  pointer_append("", field)};
    std::unordered_set<T> seen;  // repeats are dropped, first position kept
    for (std::size_t i = 0; i < it->size(); ++i) {
        auto parsed = parse((*it)[i], pointer_append(pointer_append("", field), i));
        if (auto* e = std::get_if<error>(&parsed)) return std::move(*e);
        auto& value = std::get<T>(parsed);
        if (seen.insert(value).second) out.push_back(std::move(value));
    }
    return std::nullopt;
}

}  // namespace

namespace {

// Request text to JSON of any shape, or the error that explains why it is not usable.
std::variant<json, error> read_request_json(std::string_view text) {
    if (text.size() > max_request_bytes) {
        return error{"request.too_large",
                     "the request is " + std::to_string(text.size()) + " bytes; the limit is " +
                         std::to_string(max_request_bytes),
                     ""};
    }
    auto read = read_json(text, max_request_depth);
    if (auto* problem = std::get_if<json_problem>(&read)) {
        switch (problem->what) {
            case json_problem::kind::too_deep:
                return error{"request.too_deep", "the request nests deeper than any valid request", ""};
            case json_problem::kind::duplicate_key:
                return error{"request.duplicate_key",
                             "the field " + quote_input(problem->path) + " is given more than once", problem->path};
            case json_problem::kind::number_too_large:
                return error{"request.malformed_json", "the request holds a number too large to read", ""};
            case json_problem::kind::malformed:
                break;
        }
        return error{"request.malformed_json",
                     text.empty() ? std::string("the request is empty")
                                  : "the request is not valid JSON (at byte " + std::to_string(problem->byte) + ")",
                     ""};
    }
    return std::move(std::get<json>(read));
}

}  // namespace

std::variant<json, error> parse_request_text(std::string_view text) {
    auto read = read_request_json(text);
    if (auto* e = std::get_if<error>(&read)) return std::move(*e);
    auto& request = std::get<json>(read);
    if (!request.is_object()) {
        return error{"request.not_an_object", "the request must be a JSON object such as {\"code\":\"47371\"}", ""};
    }
    return std::move(request);
}

std::variant<query, error> parse_query(const catalog& data, const json& request) {
    if (auto e = check_fields(request, {"code", "product", "setting", "date"},
                              "; for several codes, products or settings use a matrix request")) {
        return std::move(*e);
    }
    query q;
    auto code = request.find("code");
    if (code == request.end()) return error{"request.missing_field", "code is required", "/code"};
    auto parsed_code = parse_code(*code, "/code");
    if (auto* e = std::get_if<error>(&parsed_code)) return std::move(*e);
    q.code = std::move(std::get<std::string>(parsed_code));

    auto product = request.find("product");
    if (product == request.end()) {
        error e{"request.missing_field", "product is required; expected one of: ", "/product"};
        for (std::size_t i = 0; i < data.products().size(); ++i) {
            e.message += (i ? ", " : "") + data.products()[i].id;
            e.allowed.push_back(data.products()[i].id);
        }
        return e;
    }
    auto parsed_product = parse_product(data, *product, "/product");
    if (auto* e = std::get_if<error>(&parsed_product)) return std::move(*e);
    q.product = std::get<std::size_t>(parsed_product);

    auto where = request.find("setting");
    if (where == request.end()) {
        return error{"request.missing_field", "setting is required: inpatient or outpatient", "/setting",
                     {"inpatient", "outpatient"}};
    }
    auto parsed_setting = parse_setting_value(*where, "/setting");
    if (auto* e = std::get_if<error>(&parsed_setting)) return std::move(*e);
    q.where = std::get<setting>(parsed_setting);

    auto date = parse_date_field(request);
    if (auto* e = std::get_if<error>(&date)) return std::move(*e);
    q.date = std::get<day>(date);
    return q;
}

std::variant<matrix_query, error> parse_matrix_query(const catalog& data, const json& request) {
    if (auto e = check_fields(request, {"codes", "products", "settings", "date"}, "")) return std::move(*e);
    matrix_query m;
    if (auto e = parse_list<std::string>(request, "codes", m.codes, parse_code)) return std::move(*e);
    if (auto e = parse_list<std::size_t>(request, "products", m.products,
                                         [&](const json& v, const std::string& p) { return parse_product(data, v, p); })) {
        return std::move(*e);
    }
    if (auto e = parse_list<setting>(request, "settings", m.settings, parse_setting_value)) return std::move(*e);
    auto date = parse_date_field(request);
    if (auto* e = std::get_if<error>(&date)) return std::move(*e);
    m.date = std::get<day>(date);

    if (!request.contains("codes")) {
        for (const auto* entry : data.distinct_codes()) m.codes.push_back(entry->code);
    }
    if (!request.contains("products")) {
        for (std::size_t i = 0; i < data.products().size(); ++i) m.products.push_back(i);
    }
    if (!request.contains("settings")) m.settings.assign(std::begin(all_settings), std::end(all_settings));

    const auto cells = m.codes.size() * m.products.size() * m.settings.size();
    if (cells > max_matrix_cells) {
        return error{"request.too_many_cells",
                     "the matrix would have " + std::to_string(cells) + " cells; the limit is " +
                         std::to_string(max_matrix_cells) + ": ask for fewer codes, products or settings",
                     request.contains("codes") ? "/codes" : ""};
    }
    return m;
}

std::variant<std::vector<query>, error> parse_query_batch(const catalog& data, std::string_view text) {
    auto read = read_request_json(text);
    if (auto* e = std::get_if<error>(&read)) return std::move(*e);
    const auto& batch = std::get<json>(read);
    if (!batch.is_array()) return error{"request.wrong_type", "a decide request is a list of questions", ""};
    if (batch.size() > max_matrix_cells) {
        return error{"request.too_many_cells", "at most " + std::to_string(max_matrix_cells) + " questions at once", ""};
    }
    std::vector<query> queries;
    queries.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const auto prefix = pointer_append("", i);
        if (!batch[i].is_object()) return error{"request.wrong_type", "each question must be an object", prefix};
        auto q = parse_query(data, batch[i]);
        if (auto* e = std::get_if<error>(&q)) {
            e->path = prefix + e->path;
            return std::move(*e);
        }
        queries.push_back(std::move(std::get<query>(q)));
    }
    return queries;
}

}  // namespace covercheck::detail
