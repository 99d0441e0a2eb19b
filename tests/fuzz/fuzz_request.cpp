// Fuzz target: the request parser and the evaluator. Any bytes go to evaluate, matrix, search and
// policy, on the shipped data and on a synthetic bundle with versions and gaps; every reply must be
// an envelope with a stable request.* code or an answer that keeps the result contract.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "detail/json_writer.hpp"
#include "fuzz_support.hpp"

namespace {

using covercheck::fuzz::check_answer;
using covercheck::fuzz::check_envelope;
using covercheck::fuzz::check_matrix;
using covercheck::fuzz::check_search;
using covercheck::fuzz::finding;
using nlohmann::json;

void ask(const covercheck::service& s, std::string_view text) {
    const auto single_reply = s.evaluate(text);
    const auto single = check_envelope(single_reply, "request");
    if (single["success"].get<bool>()) check_answer(single["data"], single_reply);

    const auto matrix_reply = s.matrix(text);
    const auto matrix = check_envelope(matrix_reply, "request");
    if (matrix["success"].get<bool>()) check_matrix(s, matrix["data"], matrix_reply);

    const std::size_t limit = text.empty() ? 20 : static_cast<unsigned char>(text[0]) % 30;
    const auto search_reply = s.search(text, limit);
    const auto search = check_envelope(search_reply, "request");
    if (search["success"].get<bool>()) check_search(search["data"], limit, search_reply);

    (void)check_envelope(s.policy(text), "request");
    (void)check_envelope(s.decide(text), "request");
    (void)check_envelope(s.crd(text), "request");
}

// Whatever the bytes, the writer emits a JSON string that reads back as the same text when the
// bytes were valid UTF-8 (and as valid UTF-8 with replacement characters when they were not).
void write_and_read_back(std::string_view text) {
    std::string out;
    covercheck::detail::append_json_string(out, text);
    json parsed;
    try {
        parsed = json::parse(out);
    } catch (const json::exception& e) {
        finding(std::string("the JSON writer wrote invalid JSON: ") + e.what(), out);
    }
    bool valid_utf8 = true;
    try {
        (void)json(std::string(text)).dump();
    } catch (const json::type_error&) {
        valid_utf8 = false;
    }
    if (!parsed.is_string() || (valid_utf8 && parsed.get_ref<const std::string&>() != text)) {
        finding("the JSON writer changed valid text", out);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ask(covercheck::fuzz::shipped_service(), text);
    ask(covercheck::fuzz::fixture_service(), text);
    write_and_read_back(text);
    return 0;
}
