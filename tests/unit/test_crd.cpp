// The CRD view keeps the guide's invariants for every answer the data can give.
#include <catch2/catch.hpp>

#include "support.hpp"

using covercheck::test::bundle_json;
using covercheck::test::shipped_service;
using nlohmann::json;

namespace {

json crd(const covercheck::service& s, const json& request) {
    const auto reply = json::parse(s.crd(request.dump()));
    REQUIRE(reply.at("success") == true);
    return reply.at("data").at("extension");
}

json find(const json& extension, const std::string& url) {
    for (const auto& item : extension.at("extension")) {
        if (item.at("url") == url) return item;
    }
    return nullptr;
}

void check_invariants(const json& extension) {
    CHECK(extension.at("url") == "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information");
    const auto covered = find(extension, "covered").at("valueCode").get<std::string>();
    CHECK((covered == "covered" || covered == "not-covered" || covered == "conditional" || covered == "indeterminate"));
    if (covered == "not-covered") {
        CHECK(find(extension, "pa-needed").is_null());
        CHECK_FALSE(find(extension, "reason").at("valueCodeableConcept").at("text").get<std::string>().empty());
    }
    CHECK(find(extension, "info-needed").is_null() == (covered != "conditional"));
    CHECK_FALSE(find(extension, "coverage").is_null());
    CHECK_FALSE(find(extension, "date").is_null());
    CHECK_FALSE(find(extension, "coverage-assertion-id").is_null());
}

}  // namespace

TEST_CASE("policy 633 in CRD terms: not-covered, no pa-needed, the policy's reason and link", "[crd]") {
    const auto code = GENERATE(as<std::string>{}, "47371", "47381", "47383");
    const auto setting = GENERATE(as<std::string>{}, "inpatient", "outpatient");
    const auto ext = crd(shipped_service(), {{"code", code}, {"product", "medicare-hmo-blue"}, {"setting", setting},
                                             {"as_of", "2026-11-24"}});
    check_invariants(ext);
    CHECK(find(ext, "covered").at("valueCode") == "not-covered");
    CHECK(find(ext, "reason").at("valueCodeableConcept").at("text").get<std::string>().find("INVESTIGATIONAL") !=
          std::string::npos);
    CHECK(find(ext, "detail").dump().find("policy-link") != std::string::npos);
    CHECK(find(ext, "date").at("valueDate") == "2026-11-24");
}

TEST_CASE("the coverage-assertion-id is stable for the same data and question, whatever the assertion date",
          "[crd]") {
    const json base{{"code", "47371"}, {"product", "medicare-ppo-blue"}, {"setting", "inpatient"}};
    auto id = [&](json request) {
        return find(crd(shipped_service(), std::move(request)), "coverage-assertion-id").at("valueString");
    };
    auto later = base;
    later["as_of"] = "2027-01-01";
    auto first = base;
    first["as_of"] = "2026-11-24";
    CHECK(id(first) == id(later));
    auto other = first;
    other["setting"] = "outpatient";
    CHECK(id(first) != id(other));
    auto dated = first;
    dated["date"] = "2026-12-01";
    CHECK(id(first) != id(dated));
    auto bundle = bundle_json();
    bundle["policies"][0]["title"] = "Changed title";
    const covercheck::service changed(bundle.dump());
    CHECK(find(crd(changed, first), "coverage-assertion-id").at("valueString") != id(first));
}

TEST_CASE("CRD mapping of every status keeps the invariants", "[crd]") {
    auto bundle = bundle_json();
    auto& policy = bundle["policies"][0];
    const auto [coverage, authorization, covered, pa] =
        GENERATE(table<std::string, std::string, std::string, std::string>({
            {"covered", "required", "covered", "auth-needed"},
            {"covered", "not-required", "covered", "no-auth"},
            {"covered", "not-covered", "not-covered", ""},
            {"covered-with-criteria", "required", "conditional", "auth-needed"},
            {"not-medically-necessary", "required", "not-covered", ""},
            {"not-covered", "not-required", "not-covered", ""},
        }));
    policy["coverage"][0]["status"] = coverage;
    policy["code_groups"][0]["status"] = coverage;
    policy["authorization"][0]["status"] = authorization;
    const covercheck::service s(bundle.dump());
    REQUIRE(s.ready());
    const auto ext = crd(s, {{"code", "47371"}, {"product", "commercial-hmo-pos"}, {"setting", "inpatient"},
                             {"as_of", "2026-11-24"}});
    check_invariants(ext);
    CHECK(find(ext, "covered").at("valueCode") == covered);
    if (pa.empty()) {
        CHECK(find(ext, "pa-needed").is_null());
    } else {
        CHECK(find(ext, "pa-needed").at("valueCode") == pa);
    }
}

TEST_CASE("a code not in the data is indeterminate, with the reason", "[crd]") {
    const auto ext = crd(shipped_service(), {{"code", "99213"}, {"product", "medicare-hmo-blue"},
                                             {"setting", "outpatient"}, {"as_of", "2026-11-24"}});
    check_invariants(ext);
    CHECK(find(ext, "covered").at("valueCode") == "indeterminate");
    CHECK(find(ext, "pa-needed").is_null());
    CHECK_FALSE(find(ext, "reason").is_null());
}

TEST_CASE("a CRD request needs a valid assertion date", "[crd]") {
    const json base{{"code", "47371"}, {"product", "medicare-ppo-blue"}, {"setting", "inpatient"}};
    auto error_of = [](const json& request) {
        return json::parse(shipped_service().crd(request.dump())).at("error");
    };
    CHECK(error_of(base).at("path") == "/as_of");
    auto bad = base;
    bad["as_of"] = "soon";
    CHECK(error_of(bad).at("code") == "request.invalid_date");
}
