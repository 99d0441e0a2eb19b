// Reading untrusted JSON text (see detail/json_reader.hpp).
#include "detail/json_reader.hpp"

#include <optional>
#include <algorithm>
#include <vector>

#include "covercheck/error.hpp"
#include "detail/text.hpp"

namespace covercheck::detail {
namespace {

using nlohmann::json;

// One open object or array while parsing, to know where a repeated member name is.
struct open_container {
    bool is_object = false;
    std::size_t elements = 0;  // arrays: elements started so far
    std::string key;           // objects: the member being read
    std::vector<std::string> keys;  // only on the slow path that names the repeated member
};

std::string pointer_to(const std::vector<open_container>& open) {
    std::string path;
    for (const auto& c : open) {
        path = c.is_object ? pointer_append(path, c.key) : pointer_append(path, c.elements - 1);
    }
    return path;
}

}  // namespace

namespace {

// The path of the first member given twice, found by parsing again with every name tracked.
// Only run when read_json's cheap count says there is one.
std::string first_repeated_member(std::string_view text) {
    std::vector<open_container> open;
    std::optional<std::string> repeated;
    const auto element_starts = [&] {
        if (!open.empty() && !open.back().is_object) ++open.back().elements;
    };
    const json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                element_starts();
                open.push_back({event == json::parse_event_t::object_start, 0, {}, {}});
                break;
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                open.pop_back();
                break;
            case json::parse_event_t::key:
                open.back().key = parsed.get_ref<const std::string&>();
                if (std::find(open.back().keys.begin(), open.back().keys.end(), open.back().key) != open.back().keys.end()) {
                    if (!repeated) repeated = pointer_to(open);
                } else {
                    open.back().keys.push_back(open.back().key);
                }
                break;
            case json::parse_event_t::value:
                element_starts();
                break;
        }
        return true;
    };

    const auto reparsed = json::parse(text.begin(), text.end(), watch);  // kept only for its callbacks
    static_cast<void>(reparsed);
    return repeated.value_or(std::string());
}

}  // namespace

std::variant<json, json_problem> read_json(std::string_view text, std::size_t max_depth) {
    if (nesting_exceeds(text, max_depth)) return json_problem{json_problem::kind::too_deep, 0, {}};

    // A member given twice leaves its object with fewer members than names were read: counting
    // is enough to notice, and costs nothing like keeping every name of a large bundle.
    std::vector<std::size_t> names_read;
    bool repeated = false;
    const json::parser_callback_t count = [&](int, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
                names_read.push_back(0);
                break;
            case json::parse_event_t::key:
                ++names_read.back();
                break;
            case json::parse_event_t::object_end:
                repeated = repeated || parsed.size() != names_read.back();
                names_read.pop_back();
                break;
            default:
                break;
        }
        return true;
    };

    json value;
    try {
        value = json::parse(text.begin(), text.end(), count);
    } catch (const json::parse_error& e) {
        return json_problem{json_problem::kind::malformed, e.byte, {}};
    } catch (const json::out_of_range&) {
        // nlohmann reports a number beyond the range of a double (1e999) this way.
        return json_problem{json_problem::kind::number_too_large, 0, {}};
    }
    if (repeated) return json_problem{json_problem::kind::duplicate_key, 0, first_repeated_member(text)};
    return value;
}

}  // namespace covercheck::detail
