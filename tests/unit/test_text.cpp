// Codes, dates and the other small parsers that stand between users and the evaluator.
#include <nlohmann/json.hpp>
#include <catch2/catch.hpp>

#include "covercheck/catalog.hpp"
#include "covercheck/error.hpp"

using namespace covercheck;

TEST_CASE("codes are trimmed and upper-cased; anything else is refused", "[text]") {
    CHECK(normalize_code("47371") == "47371");
    CHECK(normalize_code(" 47371\t") == "47371");
    CHECK(normalize_code("j1234") == "J1234");
    CHECK(normalize_code("0001T") == "0001T");
    CHECK(normalize_code("1234f") == "1234F");
    const auto bad = GENERATE(as<std::string>{}, "", "4737", "473711", "47371<script>", "W1234", "ABCDE", "4737X",
                              "47 71", std::string("4737\0" "1", 6), "４７３７１");
    INFO(bad);
    CHECK_FALSE(normalize_code(bad).has_value());
}

TEST_CASE("dates of service are real calendar dates", "[text]") {
    CHECK(parse_iso_date("2026-11-24") == 20261124);
    CHECK(parse_iso_date("2024-02-29") == 20240229);
    const auto bad = GENERATE(as<std::string>{}, "2023-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "26-11-24",
                              "2026/11/24", "tomorrow", "", "1899-12-31");
    INFO(bad);
    CHECK_FALSE(parse_iso_date(bad).has_value());
    CHECK(format_iso_date(20231101) == "2023-11-01");
}

TEST_CASE("input quoted in messages is short, escaped and valid UTF-8", "[text]") {
    CHECK(quote_input("47371") == "\"47371\"");
    CHECK(quote_input("a\"b\\c\n") == "\"a\\\"b\\\\c\\x0a\"");
    const auto long_text = quote_input(std::string(1 << 20, 'x'));
    CHECK(long_text.size() < 80);
    CHECK(long_text.find("1048576 bytes") != std::string::npos);
    CHECK(quote_input("\xff\xfe") == "\"\\xff\\xfe\"");
    CHECK(quote_input("Blue\u2120") == "\"Blue\u2120\"");
}

TEST_CASE("JSON Pointers escape ~ and /", "[text]") {
    CHECK(pointer_append("", "code") == "/code");
    CHECK(pointer_append("/a", "b/c~d") == "/a/b~1c~0d");
    CHECK(pointer_append("/codes", std::size_t{3}) == "/codes/3");
}

#include "detail/json_writer.hpp"

TEST_CASE("the JSON writer escapes strings and never emits invalid UTF-8", "[text][json]") {
    using covercheck::detail::append_json_string;
    auto quoted = [](std::string_view text) {
        std::string out;
        append_json_string(out, text);
        return out;
    };
    CHECK(quoted("plain") == "\"plain\"");
    CHECK(quoted("a\"b\\c\n\t\x01") == "\"a\\\"b\\\\c\\n\\t\\u0001\"");
    CHECK(quoted("Blue\u2120 \u00e9") == "\"Blue\u2120 \u00e9\"");
    CHECK(quoted("\xff") == "\"\xEF\xBF\xBD\"");
    CHECK(quoted("\xed\xa0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a UTF-16 surrogate
    CHECK(quoted("\xe2\x84") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // cut short
    for (const auto& text : {std::string("\xc3\x28"), std::string(1, '\0'), std::string("<\x7f>")}) {
        CHECK_NOTHROW(nlohmann::json::parse(quoted(text)));
    }
}

TEST_CASE("the JSON writer places commas and nests", "[text][json]") {
    covercheck::detail::json_writer out;
    out.begin_object().field("a", 1).key("b").begin_array().value("x").value(true).raw("{}").end_array();
    out.key("c").begin_object().end_object().end_object();
    CHECK(out.str() == R"({"a":1,"b":["x",true,{}],"c":{}})");
}
