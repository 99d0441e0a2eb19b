// Damaged or inconsistent policy data is refused at load with a stable code and a JSON
// Pointer, and a service over refused data never answers a query.
#include <catch2/catch.hpp>

#include "covercheck/catalog.hpp"
#include "support.hpp"

using covercheck::catalog;
using covercheck::error;
using covercheck::test::bundle_json;
using covercheck::test::bundle_text;
using nlohmann::json;

namespace {

error load_error(const std::string& text) {
    auto loaded = catalog::load(std::string_view(text));
    REQUIRE(std::holds_alternative<error>(loaded));
    return std::get<error>(loaded);
}

error load_error(const json& bundle) { return load_error(std::string(bundle.dump())); }

}  // namespace

TEST_CASE("the shipped policy data loads", "[load]") {
    auto loaded = catalog::load(std::string_view(bundle_text()));
    REQUIRE(std::holds_alternative<catalog>(loaded));
    const auto& data = std::get<catalog>(loaded);
    CHECK(data.products().size() == 4);
    CHECK(data.policies().size() == 1);
    CHECK(data.code_count() == 3);
    CHECK(data.version().size() == 12);
    CHECK(data.digest().size() == 64);
}

TEST_CASE("the data version follows the content, not its formatting", "[load]") {
    const auto base = std::get<catalog>(catalog::load(std::string_view(bundle_text()))).version();
    const auto reformatted = std::get<catalog>(catalog::load(std::string_view(bundle_json().dump(4)))).version();
    CHECK(reformatted == base);
    auto changed = bundle_json();
    changed["policies"][0]["code_groups"][0]["codes"][0]["description"] = "changed";
    CHECK(std::get<catalog>(catalog::load(std::string_view(changed.dump()))).version() != base);
}

TEST_CASE("corrupt policy data is refused with a code and a path", "[load]") {
    SECTION("not JSON") { CHECK(load_error(std::string("{\"schema_version\": 1,")).code == "data.malformed_json"); }
    SECTION("truncated") {
        CHECK(load_error(bundle_text().substr(0, bundle_text().size() / 2)).code == "data.malformed_json");
    }
    SECTION("one flipped byte in a string changes the digest it must match") {
        auto bundle = bundle_json();
        const auto good_digest = std::get<catalog>(catalog::load(bundle)).digest();
        bundle["digest"] = good_digest;
        auto text = bundle.dump();
        REQUIRE(std::holds_alternative<catalog>(catalog::load(std::string_view(text))));
        const auto at = text.find("INVESTIGATIONAL");
        text[at] = 'i';
        const auto e = load_error(text);
        CHECK(e.code == "data.digest_mismatch");
        CHECK(e.path == "/digest");
    }
    SECTION("nested absurdly deep") {
        CHECK(load_error(std::string(100000, '[') + std::string(100000, ']')).code == "data.too_deep");
    }

    auto bundle = bundle_json();
    auto& policy = bundle["policies"][0];
    std::string code;
    std::string path;
    SECTION("unknown schema version") {
        bundle["schema_version"] = 2;
        code = "data.schema_version";
        path = "/schema_version";
    }
    SECTION("no policies") {
        bundle.erase("policies");
        code = "data.missing_field";
        path = "/policies";
    }
    SECTION("a policy without a title") {
        policy.erase("title");
        code = "data.missing_field";
        path = "/policies/0/title";
    }
    SECTION("a number where text belongs") {
        policy["coverage"][0]["statement"] = 7;
        code = "data.wrong_type";
        path = "/policies/0/coverage/0/statement";
    }
    SECTION("a product the bundle does not define") {
        policy["coverage"][0]["products"][1] = "gold-plan";
        code = "data.unknown_product";
        path = "/policies/0/coverage/0/products/1";
    }
    SECTION("a status outside the vocabulary") {
        policy["coverage"][0]["status"] = "maybe";
        code = "data.unknown_status";
        path = "/policies/0/coverage/0/status";
    }
    SECTION("not-in-data stated as if a policy could say it") {
        policy["authorization"][0]["status"] = "not-in-data";
        code = "data.unknown_status";
        path = "/policies/0/authorization/0/status";
    }
    SECTION("a malformed code") {
        policy["code_groups"][0]["codes"][2]["code"] = "4738";
        code = "data.invalid_code";
        path = "/policies/0/code_groups/0/codes/2/code";
    }
    SECTION("the same code twice for the same product") {
        policy["code_groups"][0]["codes"][2]["code"] = "47371";
        code = "data.duplicate_code";
        path = "/policies/0/code_groups/0/codes/2/code";
    }
    SECTION("two authorization rules for one product and setting") {
        policy["authorization"][1]["products"] = json::array({"medicare-ppo-blue"});
        code = "data.conflicting_rules";
        path = "/policies/0/authorization/4/products";
    }
    SECTION("a code table that contradicts the policy statement") {
        policy["code_groups"][0]["status"] = "covered";
        code = "data.inconsistent_status";
        path = "/policies/0/code_groups/0/status";
    }
    SECTION("an impossible date") {
        policy["effective"]["from"] = "2023-02-30";
        code = "data.invalid_date";
        path = "/policies/0/effective/from";
    }
    SECTION("a second policy answering for the same code, product and dates") {
        auto other = policy;
        other["id"] = "bcbsma-999";
        other["number"] = "999";
        bundle["policies"].push_back(other);
        code = "data.conflicting_policies";
        path = "/policies/1/code_groups/0/codes/0/code";
    }
    if (!code.empty()) {
        const auto e = load_error(bundle);
        CHECK(e.code == code);
        CHECK(e.path == path);
        CHECK_FALSE(e.message.empty());
    }
}

TEST_CASE("a service over refused data answers every call with the data error", "[load]") {
    const covercheck::service broken("{\"schema_version\":1,\"products\":[]");
    CHECK_FALSE(broken.ready());
    for (const auto& reply : {broken.evaluate(R"({"code":"47371","product":"medicare-ppo-blue","setting":"inpatient"})"),
                              broken.matrix("{}"), broken.products(), broken.search("cryo"), broken.version()}) {
        const auto envelope = json::parse(reply);
        CHECK(envelope.at("success") == false);
        CHECK(envelope.at("error").at("code") == "data.malformed_json");
    }
}

TEST_CASE("policy data that would read ambiguously is refused", "[load][hostile]") {
    SECTION("a member given twice: which value wins depends on the parser") {
        auto text = bundle_json().dump();
        const auto at = text.find("\"status\":\"investigational\"", text.find("\"code_groups\""));
        REQUIRE(at != std::string::npos);
        text.insert(at, "\"status\":\"covered\",");
        const auto e = load_error(text);
        CHECK(e.code == "data.duplicate_key");
        CHECK(e.path == "/policies/0/code_groups/0/status");
    }
    SECTION("the same member twice inside an array element names its index") {
        const auto e = load_error(std::string(R"({"schema_version":1,"products":[{"id":"a","label":"A"},{"id":"b","id":"c"}]})"));
        CHECK(e.code == "data.duplicate_key");
        CHECK(e.path == "/products/1/id");
    }
    SECTION("a number too large for a double") {
        const auto e = load_error(std::string(R"({"schema_version":1e999})"));
        CHECK(e.code == "data.malformed_json");
    }
}

TEST_CASE("a built bundle is verified before it is read", "[load]") {
    auto bundle = bundle_json();
    const auto digest = std::get<catalog>(catalog::load(bundle)).digest();
    const covercheck::load_options verified{true};

    SECTION("with its digest it loads, and the version is the digest's short form") {
        bundle["digest"] = digest;
        auto loaded = catalog::load(std::string_view(bundle.dump()), verified);
        REQUIRE(std::holds_alternative<catalog>(loaded));
        CHECK(std::get<catalog>(loaded).version() == digest.substr(0, 12));
    }
    SECTION("without its digest it is refused when a digest is required") {
        auto loaded = catalog::load(std::string_view(bundle.dump()), verified);
        REQUIRE(std::holds_alternative<error>(loaded));
        CHECK(std::get<error>(loaded).code == "data.missing_digest");
        CHECK(std::get<error>(loaded).path == "/digest");
    }
    SECTION("damage that also breaks the schema is reported as damage") {
        bundle["digest"] = digest;
        bundle["policies"][0]["coverage"][0]["status"] = "maybe";
        CHECK(load_error(bundle).code == "data.digest_mismatch");
    }
    SECTION("a digest that is not text is refused") {
        bundle["digest"] = 7;
        CHECK(load_error(bundle).code == "data.digest_mismatch");
    }
}
