// Writes JSON text directly. Results are built with this rather than with a DOM: it is several
// times faster, and parts that never change (a policy's summary) are written once at load and
// spliced in with raw().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace covercheck::detail {

class json_writer {
public:
    json_writer& begin_object();
    json_writer& end_object();
    json_writer& begin_array();
    json_writer& end_array();
    json_writer& key(std::string_view name);  // names are ASCII identifiers chosen by this code
    json_writer& value(std::string_view text);
    json_writer& value(const char* text) { return value(std::string_view(text)); }
    json_writer& value(std::uint64_t number);
    json_writer& value(int number);
    json_writer& value(bool flag);
    json_writer& raw(std::string_view json_text);  // already valid JSON

    // key(name).value(v) in one call.
    template <typename T>
    json_writer& field(std::string_view name, const T& v) {
        return key(name).value(v);
    }

    const std::string& str() const noexcept { return m_out; }
    std::string take() noexcept { return std::move(m_out); }
    void reserve(std::size_t bytes) { m_out.reserve(bytes); }

private:
    void separate();

    std::string m_out;
    std::vector<bool> m_has_items;  // per open container: whether a comma is needed
    bool m_after_key = false;
};

// Appends `text` as a JSON string literal; invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

// Writes a parsed document in canonical form: object keys sorted (nlohmann::json keeps them
// so), no whitespace. Used for the data digest and the policy view, so the WebAssembly module
// needs no second serializer. Policy data has no fractional numbers: those throw
// std::invalid_argument.
void write_json(json_writer& out, const nlohmann::json& value);

}  // namespace covercheck::detail
