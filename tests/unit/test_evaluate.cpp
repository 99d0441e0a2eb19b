// Evaluation rules beyond the golden cases: policy versions and dates of service, products a
// policy does not name, missing rules, matrices, and hostile requests.
#include <catch2/catch.hpp>

#include "support.hpp"

using covercheck::service;
using covercheck::test::bundle_json;
using covercheck::test::shipped_service;
using nlohmann::json;

namespace {

json evaluate(const service& s, const json& request) { return json::parse(s.evaluate(request.dump())); }

json request(const std::string& code, const std::string& product, const std::string& setting,
             const std::string& date = "") {
    json r{{"code", code}, {"product", product}, {"setting", setting}};
    if (!date.empty()) r["date"] = date;
    return r;
}

}  // namespace

TEST_CASE("every policy 633 answer: investigational; inpatient required; outpatient not a covered service",
          "[evaluate]") {
    const auto [code, product, setting, authorization] = GENERATE(table<std::string, std::string, std::string, std::string>({
        {"47371", "commercial-hmo-pos", "inpatient", "required"},
        {"47381", "commercial-ppo-indemnity", "outpatient", "not-covered"},
        {"47383", "medicare-hmo-blue", "inpatient", "required"},
        {"47383", "medicare-ppo-blue", "outpatient", "not-covered"},
    }));
    const auto reply = evaluate(shipped_service(), request(code, product, setting));
    REQUIRE(reply.at("success") == true);
    const auto& data = reply.at("data");
    CHECK(data.at("coverage").at("status") == "investigational");
    CHECK(data.at("authorization").at("status") == authorization);
    CHECK(data.at("policy").at("related_policies").size() == 7);
    CHECK(data.at("notices").size() == 3);
    CHECK(data.at("data_version").get<std::string>().size() == 12);
}

TEST_CASE("dates of service choose the policy version in force", "[evaluate]") {
    auto bundle = bundle_json();
    auto older = bundle["policies"][0];
    older["effective"] = {{"from", "2020-01-01"}, {"to", "2023-10-31"}};
    older["authorization"][1]["status"] = "required";  // a synthetic earlier version, for this test only
    older["authorization"][1]["statement"] = "Synthetic earlier rule.";
    bundle["policies"].push_back(older);
    const service s(bundle.dump());
    REQUIRE(s.ready());

    SECTION("a date in the earlier version's period answers from it") {
        const auto data = evaluate(s, request("47371", "commercial-hmo-pos", "outpatient", "2022-05-01")).at("data");
        CHECK(data.at("authorization").at("status") == "required");
        CHECK(data.at("policy").at("effective_to") == "2023-10-31");
    }
    SECTION("a date in the current period answers from the current version") {
        const auto data = evaluate(s, request("47371", "commercial-hmo-pos", "outpatient", "2023-11-01")).at("data");
        CHECK(data.at("authorization").at("status") == "not-covered");
    }
    SECTION("no date means the current version") {
        const auto data = evaluate(s, request("47371", "commercial-hmo-pos", "outpatient")).at("data");
        CHECK(data.at("authorization").at("status") == "not-covered");
    }
    SECTION("a date before every version is not-in-data, naming the policy and the reason") {
        const auto data = evaluate(s, request("47371", "commercial-hmo-pos", "outpatient", "2019-12-31")).at("data");
        CHECK(data.at("coverage").at("status") == "not-in-data");
        CHECK(data.at("authorization").at("status") == "not-in-data");
        CHECK(data.at("policy").at("number") == "633");
        CHECK(data.at("coverage").at("reason").get<std::string>().find("2020-01-01") != std::string::npos);
    }
}

TEST_CASE("a date after a closed policy period is not-in-data", "[evaluate]") {
    auto bundle = bundle_json();
    bundle["policies"][0]["effective"]["to"] = "2024-12-31";
    const service s(bundle.dump());
    const auto data = evaluate(s, request("47371", "commercial-hmo-pos", "inpatient", "2025-01-01")).at("data");
    CHECK(data.at("coverage").at("status") == "not-in-data");
    CHECK(data.at("coverage").at("reason").get<std::string>().find("up to 2024-12-31") != std::string::npos);
    const auto current = evaluate(s, request("47371", "commercial-hmo-pos", "inpatient")).at("data");
    CHECK(current.at("coverage").at("status") == "not-in-data");
}

TEST_CASE("where the policy is silent the answer is not-in-data with a reason, never a guess", "[evaluate]") {
    auto bundle = bundle_json();
    auto& policy = bundle["policies"][0];
    SECTION("a product the policy does not name") {
        policy["products"] = {"commercial-hmo-pos", "commercial-ppo-indemnity"};
        for (auto* list : {&policy["coverage"][0]["products"], &policy["authorization"][0]["products"],
                           &policy["code_groups"][0]["products"]}) {
            *list = policy["products"];
        }
        auto& rules = policy["authorization"];
        rules = json::array({rules[0], rules[1], rules[2]});
        const service s(bundle.dump());
        REQUIRE(s.ready());
        const auto data = evaluate(s, request("47371", "medicare-ppo-blue", "inpatient")).at("data");
        CHECK(data.at("coverage").at("status") == "not-in-data");
        CHECK(data.at("coverage").at("reason").get<std::string>().find("does not name the product") !=
              std::string::npos);
    }
    SECTION("a product the code table does not list") {
        policy["code_groups"][0]["products"] = {"commercial-hmo-pos"};
        const service s(bundle.dump());
        REQUIRE(s.ready());
        const auto data = evaluate(s, request("47371", "medicare-ppo-blue", "inpatient")).at("data");
        CHECK(data.at("coverage").at("status") == "not-in-data");
        CHECK(data.at("authorization").at("status") == "not-in-data");
    }
    SECTION("no authorization rule for the setting") {
        auto& rules = policy["authorization"];
        rules = json::array({rules[0]});
        const service s(bundle.dump());
        REQUIRE(s.ready());
        const auto data = evaluate(s, request("47371", "medicare-ppo-blue", "outpatient")).at("data");
        CHECK(data.at("coverage").at("status") == "investigational");
        CHECK(data.at("authorization").at("status") == "not-in-data");
        CHECK(data.at("authorization").contains("reason"));
    }
}

TEST_CASE("a matrix answers codes x products x settings in request order with counts", "[evaluate]") {
    const auto reply = json::parse(shipped_service().matrix(R"({"codes":["47383","47371","47383"]})"));
    REQUIRE(reply.at("success") == true);
    const auto& data = reply.at("data");
    CHECK(data.at("query").at("codes") == json::array({"47383", "47371"}));
    CHECK(data.at("cells").size() == 16);
    CHECK(data.at("cells")[0].at("code") == "47383");
    CHECK(data.at("cells")[0].at("product") == "commercial-hmo-pos");
    CHECK(data.at("cells")[0].at("setting") == "inpatient");
    CHECK(data.at("cells")[1].at("setting") == "outpatient");
    CHECK(data.at("counts").at("authorization").at("required") == 8);
    CHECK(data.at("policies").contains("bcbsma-633"));
    const auto all = json::parse(shipped_service().matrix("{}"));
    CHECK(all.at("data").at("cells").size() == 24);
}

TEST_CASE("hostile requests get an error and leave the service answering", "[evaluate][hostile]") {
    const auto& s = shipped_service();
    const std::vector<std::pair<std::string, std::string>> hostile = {
        {std::string(1 << 20, 'x'), "request.malformed_json"},
        {"{\"code\":\"" + std::string(1 << 20, '4') + "\",\"product\":\"medicare-ppo-blue\",\"setting\":\"inpatient\"}",
         "request.invalid_code"},
        {std::string(100000, '[') + std::string(100000, ']'), "request.too_deep"},
        {"{\"code\":\"\xff\xfe\",\"product\":\"x\",\"setting\":\"inpatient\"}", "request.malformed_json"},
        {"{\"code\":null,\"product\":\"medicare-ppo-blue\",\"setting\":\"inpatient\"}", "request.wrong_type"},
        {"{\"code\":[\"47371\"],\"product\":\"medicare-ppo-blue\",\"setting\":\"inpatient\"}", "request.wrong_type"},
        {"{\"code\":\"47371\",\"product\":7,\"setting\":\"inpatient\"}", "request.wrong_type"},
        {"{\"code\":\"47371\",\"product\":\"medicare-ppo-blue\",\"setting\":\"inpatient\",\"date\":20261124}",
         "request.wrong_type"},
        {"{\"code\":\"47371\",\"product\":\"medicare-ppo-blue\",\"setting\":\"INPATIENT\"}", "request.unknown_setting"},
        {"{\"code\":\"47371\\u0000\",\"product\":\"medicare-ppo-blue\",\"setting\":\"inpatient\"}",
         "request.invalid_code"},
        {"null", "request.not_an_object"},
        {"\"47371\"", "request.not_an_object"},
        {std::string(9u << 20, ' '), "request.too_large"},
    };
    for (const auto& [text, code] : hostile) {
        const auto reply = json::parse(s.evaluate(text));
        INFO(text.substr(0, 80));
        CHECK(reply.at("success") == false);
        CHECK(reply.at("error").at("code") == code);
        CHECK(reply.dump().size() < 2000);  // the input is never echoed in full
    }
    const auto after = evaluate(s, request("47371", "medicare-ppo-blue", "outpatient"));
    CHECK(after.at("data").at("authorization").at("status") == "not-covered");
}

TEST_CASE("a matrix refuses more cells than it can answer at once", "[evaluate]") {
    json codes = json::array();
    for (int i = 10000; i < 30000; ++i) codes.push_back(std::to_string(i));
    const auto reply = json::parse(shipped_service().matrix(json{{"codes", codes}}.dump()));
    CHECK(reply.at("error").at("code") == "request.too_many_cells");
    CHECK(reply.at("error").at("path") == "/codes");
}

TEST_CASE("version() counts each policy record's own codes, also when a code is in two versions", "[evaluate]") {
    auto bundle = bundle_json();
    auto older = bundle["policies"][0];
    older["effective"] = {{"from", "2020-01-01"}, {"to", "2023-10-31"}};
    bundle["policies"].push_back(older);
    const service s(bundle.dump());
    REQUIRE(s.ready());
    const auto version = json::parse(s.version()).at("data");
    CHECK(version.at("code_count") == 3);
    CHECK(version.at("policies")[0].at("code_count") == 3);
    CHECK(version.at("policies")[1].at("code_count") == 3);
}

TEST_CASE("search text is limited by characters, not bytes", "[evaluate]") {
    std::string text;
    for (int i = 0; i < 150; ++i) text += "\xc3\xa9";  // é, two bytes each
    CHECK(json::parse(shipped_service().search(text)).at("success") == true);
    std::string longer;
    for (int i = 0; i < 201; ++i) longer += "\xc3\xa9";
    CHECK(json::parse(shipped_service().search(longer)).at("error").at("code") == "request.too_large");
}
