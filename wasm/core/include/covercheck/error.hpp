// Errors are values: a stable dotted code, a message for people, and a JSON Pointer into the input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace covercheck {

struct error {
    std::string code;     // e.g. "request.unknown_product"; tests compare this
    std::string message;  // for people; never compared by tests
    std::string path;     // JSON Pointer into the request or the data ("" is the whole document)
    std::vector<std::string> allowed = {};  // the valid values, where listing them helps
};

// Quotes a value taken from input for use in a message: at most a few dozen characters, with
// control characters escaped, so a hostile 1 MB string never ends up in full in an error.
std::string quote_input(std::string_view text);

// Appends "/token" to a JSON Pointer, escaping "~" and "/" as RFC 6901 requires.
std::string pointer_append(std::string_view base, std::string_view token);
std::string pointer_append(std::string_view base, std::size_t index);

}  // namespace covercheck
