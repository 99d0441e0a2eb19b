// Test helpers: data and golden cases are read from the source tree (natively, and under node
// through NODERAWFS), so both suites check the same files.
#include "support.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "data_files.hpp"

namespace covercheck::test {

std::string source_path(const std::string& relative) { return std::string(COVERCHECK_SOURCE_DIR) + "/" + relative; }

const std::string& bundle_text() {
    static const std::string text = [] {
        std::string problem;
        auto bundle = files::read_bundle(source_path("policy-data"), problem);
        if (!bundle) throw std::runtime_error(problem);
        return *bundle;
    }();
    return text;
}

nlohmann::json bundle_json() { return nlohmann::json::parse(bundle_text()); }

const service& shipped_service() {
    static const service s(bundle_text());
    return s;
}

std::vector<golden_case> golden_cases() {
    std::vector<std::filesystem::path> paths;
    for (const auto& item : std::filesystem::directory_iterator(source_path("tests/cases"))) {
        if (item.path().extension() == ".json") paths.push_back(item.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<golden_case> cases;
    for (const auto& path : paths) {
        std::string problem;
        auto text = files::read_text(path, problem);
        if (!text) throw std::runtime_error(problem);
        cases.push_back({path.filename().string(), nlohmann::json::parse(*text)});
    }
    return cases;
}

std::string subset_mismatch(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& path) {
    if (expected.is_object()) {
        if (!actual.is_object()) return (path.empty() ? "/" : path) + ": expected an object, found " + actual.dump();
        for (const auto& item : expected.items()) {
            const auto child = path + "/" + item.key();
            if (!actual.contains(item.key())) return child + ": missing";
            auto inner = subset_mismatch(item.value(), actual.at(item.key()), child);
            if (!inner.empty()) return inner;
        }
        return {};
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size()) {
            return path + ": expected " + std::to_string(expected.size()) + " items, found " + actual.dump();
        }
        for (std::size_t i = 0; i < expected.size(); ++i) {
            auto inner = subset_mismatch(expected[i], actual[i], path + "/" + std::to_string(i));
            if (!inner.empty()) return inner;
        }
        return {};
    }
    if (expected != actual) return path + ": expected " + expected.dump() + ", found " + actual.dump();
    return {};
}

nlohmann::json call(const service& s, const nlohmann::json& spec) {
    const std::string text = spec.contains("request_text") ? spec.at("request_text").get<std::string>()
                                                             : spec.at("request").dump();
    const auto kind = spec.value("call", "evaluate");
    if (kind == "matrix") return nlohmann::json::parse(s.matrix(text));
    return nlohmann::json::parse(s.evaluate(text));
}

}  // namespace covercheck::test
