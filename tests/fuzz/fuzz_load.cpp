// Fuzz target: the policy-data loader (catalog::load, then the service over what it accepts). Refused
// data must give one data.* error whose path leads into the input; accepted data must answer
// questions about its own codes within the result contract, and must verify its own digest.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"

namespace {

using covercheck::fuzz::check_answer;
using covercheck::fuzz::check_envelope;
using covercheck::fuzz::check_matrix;
using covercheck::fuzz::check_search;
using covercheck::fuzz::finding;
using nlohmann::json;

// A refusal is one data.* error, as an envelope like every other reply, whose JSON Pointer names a
// place in the input: the member itself, or a missing member of an object that is there.
void check_refusal(const covercheck::error& e, std::string_view text) {
    const auto reply = covercheck::error_envelope(e);
    (void)check_envelope(reply, "data");
    if (e.code == "data.duplicate_key") {
        // A plain parse keeps the last of the two members, so the path need not exist in it.
        if (e.path.empty()) finding("a duplicate member without its path", reply);
    } else if (!e.path.empty()) {
        json document;
        try {
            document = json::parse(text);
        } catch (const json::exception&) {
            finding("a path into data that is not JSON", reply);
        }
        if (!document.contains(json::json_pointer(e.path).parent_pointer())) {
            finding("the error path does not lead into the data", reply);
        }
    }
}

json request(const std::string& code, const std::string& product, std::string_view where, const char* date) {
    json r{{"code", code}, {"product", product}, {"setting", where}};
    if (date) r["date"] = date;
    return r;
}

void ask(const covercheck::service& s) {
    const auto& data = *s.data();
    (void)check_envelope(s.products(), "request");
    std::vector<std::string> codes;
    for (const auto* entry : data.distinct_codes()) {
        if (codes.size() == 3) break;
        codes.push_back(entry->code);
    }
    const auto product_count = std::min<std::size_t>(data.products().size(), 3);
    for (const auto& code : codes) {
        for (std::size_t p = 0; p < product_count; ++p) {
            for (const char* where : {"inpatient", "outpatient"}) {
                for (const char* date : {static_cast<const char*>(nullptr), "1900-01-01", "2024-02-29", "9999-12-31"}) {
                    const auto reply = s.evaluate(request(code, data.products()[p].id, where, date).dump());
                    const auto envelope = check_envelope(reply, "request");
                    if (!envelope["success"].get<bool>()) finding("loaded data refused a question about its own code", reply);
                    check_answer(envelope["data"], reply);
                }
            }
        }
    }
    const auto matrix_reply = s.matrix(json{{"codes", codes.empty() ? json{"47371"} : json(codes)}}.dump());
    const auto matrix = check_envelope(matrix_reply, "request");
    if (matrix["success"].get<bool>()) check_matrix(s, matrix["data"], matrix_reply);
    for (const auto& text : {codes.empty() ? std::string("4") : codes[0].substr(0, 3), std::string("a")}) {
        const auto reply = s.search(text, 5);
        const auto envelope = check_envelope(reply, "request");
        if (!envelope["success"].get<bool>()) finding("search refused plain text", reply);
        check_search(envelope["data"], 5, reply);
    }
    for (const auto& policy : data.policies()) {
        const auto reply = s.policy(policy.id);
        if (!check_envelope(reply, "request")["success"].get<bool>()) finding("a loaded policy cannot be shown", reply);
    }
}

// The same data with its digest attached loads again with the same version; with one digit of the
// digest changed it is refused; without a digest it is refused where one is required.
void check_digest(const covercheck::service& s, std::string_view text) {
    auto document = json::parse(text);
    if (!document.contains("digest")) {
        const auto unverified = covercheck::catalog::load(text, covercheck::load_options{true});
        const auto* e = std::get_if<covercheck::error>(&unverified);
        if (!e || e->code != "data.missing_digest") finding("data without a digest passed as verified", text);
    }
    document["digest"] = s.data()->digest();
    const covercheck::service again(document.dump());
    if (!again.ready() || again.data()->digest() != s.data()->digest()) {
        finding("data does not load with its own digest attached", again.version());
    }
    auto damaged = s.data()->digest();
    damaged[0] = damaged[0] == '0' ? '1' : '0';
    document["digest"] = damaged;
    const covercheck::service refused(document.dump());
    const auto reply = refused.version();
    const auto envelope = check_envelope(reply, "data");
    if (envelope["success"].get<bool>() || envelope["error"]["code"] != "data.digest_mismatch") {
        finding("data with a wrong digest was not refused as damaged", reply);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(bytes), size);
    // Called directly: an exception escaping the loader is a finding (libFuzzer reports it).
    const auto loaded = covercheck::catalog::load(text);
    if (const auto* e = std::get_if<covercheck::error>(&loaded)) {
        check_refusal(*e, text);
        return 0;
    }
    const covercheck::service s(text);
    if (!s.ready() || s.data()->digest() != std::get<covercheck::catalog>(loaded).digest()) {
        finding("the service does not load what the catalog loads", s.version());
    }
    const auto version = check_envelope(s.version(), "data");
    if (!version["success"].get<bool>()) finding("loaded data cannot say its version", version.dump());
    ask(s);
    check_digest(s, text);
    return 0;
}
