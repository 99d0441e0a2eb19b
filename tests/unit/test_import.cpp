// The importer: policy 633 re-imports exactly, every messy-text document gives its expected
// policy and report codes, and no input (random bytes, 20 MB, 10,000 rows) crashes it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

#include "covercheck/importer.hpp"
#include "data_files.hpp"
#include "detail/import_products.hpp"
#include "detail/import_read.hpp"
#include "detail/import_text.hpp"
#include "support.hpp"

using covercheck::import_policy;
using covercheck::import_policy_envelope;
using covercheck::test::source_path;
using nlohmann::json;

namespace {

std::string read(const std::string& relative) {
    std::string problem;
    auto text = covercheck::files::read_text(source_path(relative), problem);
    if (!text) throw std::runtime_error(problem);
    return *text;
}

json products_option() { return json::parse(read("policy-data/products.json")).at("products"); }

json import_json(const std::string& text, const json& options) {
    return json::parse(import_policy_envelope(text, options.dump()));
}

std::vector<std::string> codes_of(const json& data) {
    std::vector<std::string> codes;
    for (const auto& f : data.at("report")) codes.push_back(f.at("code").get<std::string>());
    std::sort(codes.begin(), codes.end());
    return codes;
}

// Whatever the input, the answer is a well-formed envelope whose policy is an object.
void check_survives(const std::string& text) {
    const auto envelope = json::parse(import_policy_envelope(text, "{}"));
    REQUIRE(envelope.at("success").get<bool>());
    const auto& data = envelope.at("data");
    CHECK(data.at("policy").is_object());
    CHECK(data.at("report").is_array());
    CHECK(data.at("complete").is_boolean());
    for (const auto& f : data.at("report")) {
        // An internal error would mean a bug was caught, not that the input was read.
        CHECK(f.at("code") != "import.internal_error");
        CHECK(f.at("code") != "import.out_of_memory");
    }
}

std::string policy_633() { return read("policy-data/sources/bcbsma-633.txt"); }

}  // namespace

TEST_CASE("importing the policy 633 document reproduces the reviewed policy data exactly", "[import]") {
    const json options = {
        {"id", "bcbsma-633"}, {"source_file", "sources/bcbsma-633.txt"}, {"products", products_option()}};
    const auto envelope = import_json(policy_633(), options);
    REQUIRE(envelope.at("success").get<bool>());
    const auto& data = envelope.at("data");
    CHECK(data.at("policy") == json::parse(read("policy-data/policies/bcbsma-633.json")));
    CHECK(data.at("complete").get<bool>());
    CHECK(codes_of(data) == std::vector<std::string>{"import.effective_from_last_review"});
    SECTION("every fact says where it came from") {
        const auto& sources = data.at("sources");
        CHECK(sources.at("/number").at("lines") == json::array({24, 24}));
        CHECK(sources.at("/coverage/0").at("section") == "Policy");
        CHECK(sources.at("/authorization/4").at("lines") == json::array({60, 60}));
        CHECK(sources.at("/history/0").at("section") == "Policy History");
        CHECK(sources.at("/evidence/2").at("lines") == json::array({113, 113}));
        CHECK(sources.at("/references_count").at("section") == "References");
    }
}

TEST_CASE("each messy-text document gives its expected policy, report codes and completeness", "[import]") {
    std::vector<std::filesystem::path> specs;
    for (const auto& item : std::filesystem::directory_iterator(source_path("tests/import"))) {
        const auto name = item.path().filename().string();
        if (name.size() > 12 && name.compare(name.size() - 12, 12, ".expect.json") == 0) specs.push_back(item.path());
    }
    std::sort(specs.begin(), specs.end());
    REQUIRE(specs.size() >= 14);
    for (const auto& path : specs) {
        const auto spec = json::parse(read("tests/import/" + path.filename().string()));
        const auto stem = path.filename().string().substr(0, path.filename().string().size() - 12);
        DYNAMIC_SECTION(stem << ": " << spec.at("name").get<std::string>()) {
            const auto text = read("tests/import/" + stem + ".txt");
            const auto envelope = import_json(text, spec.at("options"));
            REQUIRE(envelope.at("success").get<bool>());
            const auto& data = envelope.at("data");
            INFO(data.at("report").dump(2));
            CHECK(covercheck::test::subset_mismatch(spec.at("policy"), data.at("policy")) == "");
            CHECK(data.at("policy") == spec.at("policy"));
            CHECK(codes_of(data) == spec.at("report").get<std::vector<std::string>>());
            CHECK(data.at("complete") == spec.at("complete"));
            const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
            for (const auto& finding : data.at("report")) {
                const auto severity = finding.at("severity").get<std::string>();
                CHECK((severity == "note" || severity == "review" || severity == "error"));
                if (finding.contains("lines")) {
                    CHECK(finding.at("lines")[0].get<int>() >= 1);
                    CHECK(finding.at("lines")[1].get<int>() <= lines);
                }
            }
        }
    }
}

TEST_CASE("a complete import loads as policy data and answers like the bundled data", "[import]") {
    const json options = {{"id", "tab-table"}, {"products", products_option()}};
    const auto data = import_json(read("tests/import/tab-table.txt"), options).at("data");
    REQUIRE(data.at("complete").get<bool>());
    const auto products = json::parse(read("policy-data/products.json"));
    const json bundle = {
        {"schema_version", 1}, {"products", products.at("products")}, {"policies", json::array({data.at("policy")})}};
    const covercheck::service imported(bundle.dump());
    REQUIRE(imported.ready());
    const auto answer =
        json::parse(imported.evaluate(R"({"code":"0991T","product":"medicare-ppo-blue","setting":"outpatient"})"));
    CHECK(answer.at("data").at("coverage").at("status") == "investigational");
    CHECK(answer.at("data").at("authorization").at("status") == "not-covered");
    CHECK(answer.at("data").at("authorization").at("line") == 49);
}

TEST_CASE("the importer never guesses: unreadable or contradictory statements are left out and reported", "[import]") {
    const auto base = read("tests/import/tab-table.txt");
    const auto with = [&](const std::string& from, const std::string& to) {
        auto text = base;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        return import_json(text, json::object()).at("data");
    };
    SECTION("two statuses in one sentence") {
        const auto data = with("is [INVESTIGATIONAL](#).", "is INVESTIGATIONAL and MEDICALLY NECESSARY.");
        CHECK(data.at("policy").at("coverage").empty());
        const auto codes = codes_of(data);
        CHECK(std::count(codes.begin(), codes.end(), "import.ambiguous_statement") == 1);
        CHECK_FALSE(data.at("complete").get<bool>());
    }
    SECTION("an authorization cell that says nothing about authorization") {
        const auto data =
            with("Medicare PPO Blue SM\tThis is not a covered service.", "Medicare PPO Blue SM\tPlease call us.");
        CHECK(data.at("policy").at("authorization").size() == 4);
        const auto codes = codes_of(data);
        CHECK(std::count(codes.begin(), codes.end(), "import.unreadable_authorization_cell") == 1);
        CHECK(std::count(codes.begin(), codes.end(), "import.authorization_products_missing") == 1);
    }
    SECTION("a product the vocabulary does not know") {
        const auto data = with("Medicare PPO Blue SM\tThis", "Federal Employee Program\tThis");
        const auto codes = codes_of(data);
        CHECK(std::count(codes.begin(), codes.end(), "import.unknown_product") == 1);
    }
    SECTION("a code table whose statement names no product") {
        const auto data = with(
            "considered investigational for Commercial Members: Managed Care (HMO and POS), PPO, Indemnity, "
            "Medicare HMO Blue and Medicare PPO Blue:",
            "considered investigational:");
        CHECK(data.at("policy").at("code_groups").empty());
        const auto codes = codes_of(data);
        CHECK(std::count(codes.begin(), codes.end(), "import.code_table_without_products") == 1);
        CHECK(std::count(codes.begin(), codes.end(), "import.not_loadable") == 1);
    }
    SECTION("a code range is not expanded") {
        const auto data = with("0992T\tThermal", "0992T-0994T\tThermal");
        CHECK(data.at("policy").at("code_groups")[0].at("codes").size() == 1);
        const auto codes = codes_of(data);
        CHECK(std::count(codes.begin(), codes.end(), "import.unreadable_code_row") == 1);
    }
}

TEST_CASE("input that is not a policy document is refused with an error finding", "[import]") {
    const auto only = [](const std::string& text) { return codes_of(import_json(text, json::object()).at("data")); };
    CHECK(only("") == std::vector<std::string>{"import.empty"});
    CHECK(only(" \r\n\t\n") == std::vector<std::string>{"import.empty"});
    static constexpr char binary[] = "\0\x01\x02 binary \xff\xfe";
    CHECK(only(std::string(binary, sizeof binary - 1)) == std::vector<std::string>{"import.not_text"});
    CHECK(only("Dear member,\nthank you for your letter.\n") == std::vector<std::string>{"import.not_a_policy"});
    const auto data = import_json("", json::object()).at("data");
    CHECK_FALSE(data.at("complete").get<bool>());
    CHECK(data.at("report")[0].at("severity") == "error");
}

TEST_CASE("malformed import options are refused with a code and a path", "[import]") {
    const auto error_of = [](const std::string& options) {
        return json::parse(import_policy_envelope("Medical Policy\n", options)).at("error");
    };
    CHECK(error_of("{").at("code") == "request.malformed_json");
    CHECK(error_of("[]").at("code") == "request.not_an_object");
    CHECK(error_of(R"({"idd":"x"})").at("code") == "request.unknown_field");
    CHECK(error_of(R"({"idd":"x"})").at("path") == "/idd");
    CHECK(error_of(R"({"id":7})").at("code") == "request.wrong_type");
    CHECK(error_of(R"({"products":[{"label":"x"}]})").at("path") == "/products/0");
    const auto data = json::parse(import_policy_envelope(policy_633(), R"({"id":"Not An Id"})")).at("data");
    const auto codes = codes_of(data);
    CHECK(std::count(codes.begin(), codes.end(), "import.invalid_option") == 1);
}

TEST_CASE("the importer survives any input: random bytes, cut documents, 20 MB, 10,000 code rows", "[import][robust]") {
    SECTION("random bytes") {
        std::mt19937 random(633);
        for (std::size_t size : {1u, 7u, 100u, 4096u, 65536u}) {
            std::string bytes(size, '\0');
            for (auto& b : bytes) b = static_cast<char>(random() & 0xFF);
            check_survives(bytes);
        }
    }
    SECTION("random printable text with newlines and tabs") {
        std::mt19937 random(1);
        const std::string alphabet = "abc ABC:#*-[]()0123456789.\t\n\r/\xC2\xA0";
        std::string text;
        for (int i = 0; i < 50000; ++i) text += alphabet[random() % alphabet.size()];
        check_survives(text);
    }
    SECTION("policy 633 cut at every line and shuffled line by line") {
        const auto text = policy_633();
        for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
            check_survives(text.substr(0, at));
            check_survives(text.substr(at));
        }
        std::vector<std::string> lines;
        std::size_t start = 0;
        for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', start = at + 1)) {
            lines.push_back(text.substr(start, at - start));
            start = at + 1;
        }
        std::mt19937 random(7);
        for (int round = 0; round < 5; ++round) {
            std::shuffle(lines.begin(), lines.end(), random);
            std::string shuffled;
            for (const auto& l : lines) shuffled += l + '\n';
            check_survives(shuffled);
        }
    }
    SECTION("a 20 MB document") {
        const auto text = policy_633();
        std::string big;
        big.reserve(20u << 20);
        while (big.size() < (20u << 20)) big += text;
        check_survives(big);
        check_survives(std::string(20u << 20, 'x'));  // one line of 20 MB
    }
    SECTION("more than the 32 MB that are read") {
        const auto data = import_json(std::string((32u << 20) + 1, 'a'), json::object()).at("data");
        CHECK(codes_of(data) == std::vector<std::string>{"import.too_large"});
    }
    SECTION("10,000 code rows are all read") {
        auto text = policy_633();
        std::string rows;
        for (int i = 0; i < 10000; ++i) {
            char code[8];
            std::snprintf(code, sizeof code, "%04dT", i);
            rows += std::string(code) + "\tSynthetic code row " + std::to_string(i) + "\n";
        }
        const std::string after = "47383\tAblation, 1 or more liver tumor(s), percutaneous, cryoablation\n";
        text.insert(text.find(after) + after.size(), rows);
        const auto data = import_json(text, json::object()).at("data");
        CHECK(data.at("policy").at("code_groups")[0].at("codes").size() == 10003);
        CHECK(data.at("complete").get<bool>());
    }
}

TEST_CASE("lines are cleaned of markup, odd spaces and bullets, and split into cells", "[import]") {
    using covercheck::detail::read_document;
    const auto doc = read_document(
        "- **IS REQUIRED** for [all](#) products\r\n\tOutpatient\nMedicare\xC2\xA0HMO Blue SM    This is not a covered "
        "service.\n\xE2\x80\xA2Item");
    REQUIRE(doc.lines.size() == 4);
    CHECK(doc.lines[0].bullet);
    CHECK(doc.lines[0].text == "IS REQUIRED for all products");
    CHECK(doc.lines[1].cells == std::vector<std::string>{"", "Outpatient"});
    CHECK(doc.lines[2].cells == std::vector<std::string>{"Medicare HMO Blue SM", "This is not a covered service."});
    CHECK(doc.lines[3].bullet);
    CHECK(doc.lines[3].text == "Item");
}

TEST_CASE("product names are recognised with their service marks", "[import]") {
    using namespace covercheck::detail;
    const std::string text =
        "Medicare HMO BlueSM and Medicare PPO Blue (SM) Members; Managed Care (HMO and POS), PPO, and Indemnity";
    const auto mentions = find_product_mentions(text);
    REQUIRE(mentions.size() == 4);
    CHECK(text.substr(mentions[0].begin, mentions[0].end - mentions[0].begin) == "Medicare HMO BlueSM");
    CHECK(text.substr(mentions[1].begin, mentions[1].end - mentions[1].begin) == "Medicare PPO Blue (SM)");
    CHECK(products_named(text) == every_product);
    CHECK(products_named("Indemnity/PPO") == product_set{2});
    CHECK(products_named("Medicare PPO Blue") == product_set{8});  // its PPO is not the commercial PPO
    product_set only = 0;
    CHECK(names_only_products("Commercial PPO and Indemnity", only));
    CHECK_FALSE(names_only_products("Federal Employee Program", only));
}

TEST_CASE("status words are read from sentences and table cells", "[import]") {
    using namespace covercheck::detail;
    CHECK(coverage_statuses("X is NOT MEDICALLY NECESSARY.") ==
          std::vector<stated_coverage>{stated_coverage::not_medically_necessary});
    CHECK(coverage_statuses("X is INVESTIGATIONAL.") == std::vector<stated_coverage>{stated_coverage::investigational});
    CHECK(coverage_statuses("X is MEDICALLY NECESSARY; Y is INVESTIGATIONAL.").size() == 2);
    CHECK(authorization_status_of("This is not a covered service.") == stated_authorization::not_covered);
    CHECK(authorization_status_of("Prior authorization is not required.") == stated_authorization::not_required);
    CHECK(authorization_status_of("precertification IS REQUIRED for all products") == stated_authorization::required);
    CHECK(authorization_status_of("see below for products where prior authorization might be required") ==
          stated_authorization::pointer);
    CHECK(authorization_status_of("required inpatient and not required outpatient") == stated_authorization::ambiguous);
}

// Not an assertion: `covercheck_tests "[bench]"` prints how long a typical import takes.
TEST_CASE("import timing for policy 633", "[.][bench]") {
    const auto text = policy_633();
    const covercheck::import_options options;
    for (int i = 0; i < 20; ++i) (void)import_policy(text, options);  // warm up
    const int runs = 500;
    const auto start = std::chrono::steady_clock::now();
    std::size_t bytes = 0;
    for (int i = 0; i < runs; ++i) bytes += import_policy(text, options).policy_json.size();
    const auto elapsed = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    std::cout << "import of policy-data/sources/bcbsma-633.txt (" << text.size() << " bytes): " << elapsed / runs
              << " us per import, mean of " << runs << " (" << bytes / runs << " bytes of policy JSON)\n";
    CHECK(bytes > 0);
}
