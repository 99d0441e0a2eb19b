// The checks behind every fuzz target: replies are envelopes with stable error codes, answers
// keep the result contract (not-in-data always has a reason), and a matrix agrees with evaluate.
#include "fuzz_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "data_files.hpp"

namespace covercheck::fuzz {
namespace {

using nlohmann::json;

constexpr std::string_view coverage_words[] = {"covered",     "covered-with-criteria", "not-medically-necessary",
                                               "investigational", "not-covered",      "not-in-data"};
constexpr std::string_view authorization_words[] = {"required", "not-required", "not-covered", "not-in-data"};

template <std::size_t N>
bool one_of(const json& value, const std::string_view (&words)[N]) {
    return value.is_string() && std::find(std::begin(words), std::end(words), value.get<std::string>()) != std::end(words);
}

// The member `key` of `object`, or null when `object` is not an object or lacks it.
json get(const json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? json() : *it;
}

bool is_nonempty_string(const json& object, const char* key) {
    const auto value = get(object, key);
    return value.is_string() && !value.get_ref<const std::string&>().empty();
}

// "request.unknown_product": a known prefix, a dot, then lower-case letters and underscores.
bool is_error_code(const std::string& code, std::string_view prefix) {
    if (code.size() <= prefix.size() + 1 || code.compare(0, prefix.size(), prefix) != 0 || code[prefix.size()] != '.') {
        return false;
    }
    return std::all_of(code.begin() + static_cast<std::ptrdiff_t>(prefix.size()) + 1, code.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

std::string load_or_die(const std::string& location) {
    std::string problem;
    auto text = files::read_bundle(location, problem);
    if (!text) {
        std::fprintf(stderr, "fuzz: cannot read %s: %s\n", location.c_str(), problem.c_str());
        std::abort();
    }
    return *text;
}

const service& ready_or_die(const service& s, const char* what) {
    if (!s.ready()) {
        std::fprintf(stderr, "fuzz: the %s does not load: %s\n", what, s.version().c_str());
        std::abort();
    }
    return s;
}

}  // namespace

const service& shipped_service() {
    static const service s(load_or_die(COVERCHECK_SOURCE_DIR "/policy-data"));
    return ready_or_die(s, "shipped policy data");
}

const service& fixture_service() {
    static const service s(load_or_die(COVERCHECK_SOURCE_DIR "/tests/fuzz/seeds/load/fixture-bundle.json"));
    return ready_or_die(s, "fixture bundle");
}

void finding(std::string_view what, std::string_view reply) {
    std::fprintf(stderr, "\nfuzz finding: %.*s\nreply (first 2000 bytes): %.*s\n", static_cast<int>(what.size()),
                 what.data(), static_cast<int>(std::min<std::size_t>(reply.size(), 2000)), reply.data());
    std::abort();
}

json check_envelope(std::string_view reply, std::string_view error_prefix) {
    json envelope;
    try {
        envelope = json::parse(reply);
    } catch (const json::exception& e) {
        finding(std::string("the reply is not valid JSON: ") + e.what(), reply);
    }
    if (!get(envelope, "success").is_boolean()) finding("the reply is not an envelope", reply);
    if (envelope["success"].get<bool>()) {
        if (!get(envelope, "data").is_object() || envelope.size() != 2) {
            finding("a successful envelope must hold exactly one data object", reply);
        }
        return envelope;
    }
    const auto e = get(envelope, "error");
    if (!e.is_object() || envelope.size() != 2) finding("a failed envelope must hold exactly one error object", reply);
    if (!is_nonempty_string(e, "code") || !is_error_code(get(e, "code").get<std::string>(), error_prefix)) {
        finding("the error code is not a stable " + std::string(error_prefix) + ".* code", reply);
    }
    if (!is_nonempty_string(e, "message")) finding("an error needs a message", reply);
    if (!get(e, "path").is_string()) finding("an error needs a path", reply);
    const auto path = get(e, "path").get<std::string>();
    if (!path.empty()) {
        try {
            (void)json::json_pointer(path);
        } catch (const json::exception&) {
            finding("the error path is not a JSON Pointer", reply);
        }
    }
    const auto allowed = get(e, "allowed");
    if (!allowed.is_null() &&
        (!allowed.is_array() || !std::all_of(allowed.begin(), allowed.end(), [](const json& v) { return v.is_string(); }))) {
        finding("allowed must be a list of strings", reply);
    }
    return envelope;
}

void check_answer(const json& data, std::string_view reply) {
    const auto query = get(data, "query");
    if (!is_nonempty_string(query, "code")) finding("the query is not echoed", reply);
    if (get(get(data, "code"), "code") != get(query, "code")) {
        finding("the answer is about another code than the query", reply);
    }
    const auto coverage = get(data, "coverage");
    const auto authorization = get(data, "authorization");
    if (!one_of(get(coverage, "status"), coverage_words)) finding("unknown coverage status", reply);
    if (!one_of(get(authorization, "status"), authorization_words)) finding("unknown authorization status", reply);
    if (get(authorization, "setting") != get(query, "setting")) {
        finding("the authorization is for another setting than the query", reply);
    }
    // not-in-data is never silent, and an answer from the data always quotes the data.
    if (get(coverage, "status") == "not-in-data" ? !is_nonempty_string(coverage, "reason")
                                                 : !is_nonempty_string(coverage, "code_statement")) {
        finding("a coverage answer without its reason or statement", reply);
    }
    if (get(authorization, "status") == "not-in-data" ? !is_nonempty_string(authorization, "reason")
                                                      : !is_nonempty_string(authorization, "statement")) {
        finding("an authorization answer without its reason or statement", reply);
    }
    if (!is_nonempty_string(data, "data_version") || get(data, "data_version").get<std::string>().size() != 12) {
        finding("an answer without its data version", reply);
    }
}

void check_matrix(const service& s, const json& data, std::string_view reply) {
    const auto q = get(data, "query");
    const auto count = [&](const char* key) { return get(q, key).is_array() ? get(q, key).size() : 0; };
    const auto cells = get(data, "cells");
    if (!cells.is_array() || cells.size() != count("codes") * count("products") * count("settings")) {
        finding("a matrix must have one cell per code, product and setting", reply);
    }
    // The first cells must say exactly what evaluate says for the same question.
    for (std::size_t i = 0; i < std::min<std::size_t>(cells.size(), 6); ++i) {
        const auto& cell = cells[i];
        json request{{"code", get(cell, "code")}, {"product", get(cell, "product")}, {"setting", get(cell, "setting")}};
        if (!get(q, "date").is_null()) request["date"] = get(q, "date");
        const auto single_reply = s.evaluate(request.dump());
        const auto single = check_envelope(single_reply, "request");
        if (!single["success"].get<bool>()) finding("a matrix cell that evaluate refuses: " + single_reply, reply);
        const auto answer = get(single, "data");
        check_answer(answer, single_reply);
        const auto coverage = get(get(answer, "coverage"), "status");
        const auto authorization = get(get(answer, "authorization"), "status");
        if (coverage != get(cell, "coverage") || authorization != get(cell, "authorization")) {
            finding("a matrix cell disagrees with evaluate: " + single_reply, reply);
        }
        if ((coverage == "not-in-data" || authorization == "not-in-data") && !is_nonempty_string(cell, "reason")) {
            finding("a not-in-data cell without a reason", reply);
        }
    }
}

void check_search(const json& data, std::size_t limit, std::string_view reply) {
    const auto results = get(data, "results");
    if (!results.is_array() || results.size() > limit) finding("search returned more than asked for", reply);
    for (const auto& hit : results) {
        if (!is_nonempty_string(hit, "code") || !is_nonempty_string(hit, "description") ||
            (get(hit, "match") != "code" && get(hit, "match") != "description")) {
            finding("a search hit without its code, description or kind of match", reply);
        }
    }
}

}  // namespace covercheck::fuzz
