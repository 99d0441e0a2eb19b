// The importer behind the JSON contract: options in, {"success":true,"data":{policy, report,
// complete, sources}} out. Kept apart from the importer's other files because it uses nlohmann
// like the request parser does and is compiled with the same optimisation (see CMakeLists.txt).
#include <nlohmann/json.hpp>

#include "covercheck/importer.hpp"
#include "covercheck/service.hpp"
#include "detail/import_model.hpp"
#include "detail/json_writer.hpp"
#include "detail/request.hpp"

namespace covercheck {

import_result import_policy(std::string_view text, const import_options& options) noexcept {
    const auto failed = [](const char* code, const char* message) {
        import_result r;
        r.findings.push_back({code, finding_severity::error, message, 0, 0, {}, {}});
        r.policy_json = "{}";
        r.sources_json = "{}";
        return r;
    };
    try {
        return detail::run_import(text, options);
    } catch (const std::bad_alloc&) {
        return failed("import.out_of_memory", "not enough memory to read this document");
    } catch (...) {
        return failed("import.internal_error", "the document could not be read");
    }
}

std::optional<error> detail::check_loads(std::string_view policy_json, const std::vector<product_info>& products) {
    json_writer bundle;
    bundle.begin_object().field("schema_version", 1).key("products").begin_array();
    if (products.empty()) {
        for (const auto& p : importer_products) {
            bundle.begin_object()
                .field("id", p.id)
                .field("label", p.label)
                .field("line_of_business", p.line_of_business);
            bundle.end_object();
        }
    } else {
        for (const auto& p : products) {
            bundle.begin_object().field("id", p.id).field("label", p.label.empty() ? p.id : p.label).end_object();
        }
    }
    bundle.end_array().key("policies").begin_array().raw(policy_json).end_array().end_object();
    auto loaded = catalog::load(std::string_view(bundle.str()));
    if (auto* e = std::get_if<error>(&loaded)) return std::move(*e);
    return std::nullopt;
}
namespace {

using nlohmann::json;

error option_error(std::string code, std::string message, std::string path) {
    return {std::move(code), std::move(message), std::move(path)};
}

// Options are untrusted input like any request: unknown fields and wrong types are refused.
std::variant<import_options, error> parse_options(std::string_view text) {
    import_options options;
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return options;
    auto parsed = detail::parse_request_text(text);
    if (auto* e = std::get_if<error>(&parsed)) return std::move(*e);
    const auto& value = std::get<json>(parsed);
    static constexpr std::string_view strings[] = {"id", "publisher", "source_file", "effective_from",
                                                   "effective_basis"};
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
            out.begin_object()
                .field("code", f.code)
                .field("severity", to_string(f.severity))
                .field("message", f.message);
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
