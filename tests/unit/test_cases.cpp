// The golden cases in tests/cases/*.json: the same files run here, under node against the
// WebAssembly module, and in the browser.
#include <catch2/catch.hpp>

#include "support.hpp"

using covercheck::test::call;
using covercheck::test::golden_cases;
using covercheck::test::shipped_service;
using covercheck::test::subset_mismatch;

TEST_CASE("every golden case answers as its file expects", "[cases]") {
    const auto cases = golden_cases();
    REQUIRE(cases.size() >= 40);
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.file << ": " << c.spec.at("name").get<std::string>()) {
            const auto actual = call(shipped_service(), c.spec);
            INFO(actual.dump(2));
            CHECK(subset_mismatch(c.spec.at("expect"), actual) == "");
            for (const auto& pointer : c.spec.value("expect_present", nlohmann::json::array())) {
                CHECK(actual.contains(nlohmann::json::json_pointer(pointer.get<std::string>())));
            }
            for (const auto& pointer : c.spec.value("expect_absent", nlohmann::json::array())) {
                CHECK_FALSE(actual.contains(nlohmann::json::json_pointer(pointer.get<std::string>())));
            }
        }
    }
}

TEST_CASE("error cases are named error-*.json and only they fail", "[cases]") {
    for (const auto& c : golden_cases()) {
        const bool named_error = c.file.rfind("error-", 0) == 0;
        INFO(c.file);
        CHECK(c.spec.at("expect").at("success").get<bool>() == !named_error);
    }
}

TEST_CASE("the 24 policy 633 answers are all present as golden cases", "[cases]") {
    int answers = 0;
    for (const auto& c : golden_cases()) {
        const auto& request = c.spec.value("request", nlohmann::json::object());
        const auto code = request.contains("code") && request["code"].is_string() ? request["code"].get<std::string>() : "";
        if (code.rfind("473", 0) == 0 && !request.contains("date") &&
            c.spec.at("expect").at("success").get<bool>() && request.size() == 3) {
            ++answers;
        }
    }
    CHECK(answers == 24);
}
