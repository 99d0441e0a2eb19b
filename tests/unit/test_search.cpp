// Finding a code by its prefix or by words of its description.
#include <catch2/catch.hpp>

#include "support.hpp"

using covercheck::test::shipped_service;

namespace {
std::vector<std::string> codes_found(const std::string& text) {
    const auto envelope = nlohmann::json::parse(shipped_service().search(text));
    REQUIRE(envelope.at("success").get<bool>());
    std::vector<std::string> codes;
    for (const auto& hit : envelope.at("data").at("results")) codes.push_back(hit.at("code").get<std::string>());
    return codes;
}
}  // namespace

TEST_CASE("search finds codes by prefix", "[search]") {
    CHECK(codes_found("473") == std::vector<std::string>{"47371", "47381", "47383"});
    CHECK(codes_found("4738") == std::vector<std::string>{"47381", "47383"});
    CHECK(codes_found("47371") == std::vector<std::string>{"47371"});
    CHECK(codes_found("99") == std::vector<std::string>{});
}

TEST_CASE("search finds codes by words of their descriptions, every word must match", "[search]") {
    CHECK(codes_found("percutaneous") == std::vector<std::string>{"47383"});
    CHECK(codes_found("cryo liver") == std::vector<std::string>{"47371", "47381", "47383"});
    CHECK(codes_found("Laparoscopy") == std::vector<std::string>{"47371"});
    CHECK(codes_found("open cryo") == std::vector<std::string>{"47381"});
    CHECK(codes_found("open knee") == std::vector<std::string>{});
}

TEST_CASE("search tolerates hostile and empty text", "[search]") {
    CHECK(codes_found("").empty());
    CHECK(codes_found("<script>alert(1)</script>").empty());
    CHECK(codes_found("   ,,, ").empty());
    const auto too_long = nlohmann::json::parse(shipped_service().search(std::string(10000, 'a')));
    CHECK(too_long.at("error").at("code") == "request.too_large");
}
