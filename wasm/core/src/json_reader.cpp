// Reading untrusted JSON text (see detail/json_reader.hpp).
#include "detail/json_reader.hpp"

#include <optional>
#include <unordered_set>
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
    std::unordered_set<std::string> keys;
};

std::string pointer_to(const std::vector<open_container>& open) {
    std::string path;
    for (const auto& c : open) {
        path = c.is_object ? pointer_append(path, c.key) : pointer_append(path, c.elements - 1);
    }
    return path;
}

}  // namespace

std::variant<json, json_problem> read_json(std::string_view text, std::size_t max_depth) {
    if (nesting_exceeds(text, max_depth)) return json_problem{json_problem::kind::too_deep, 0, {}};

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
                if (!open.back().keys.insert(open.back().key).second && !repeated) repeated = pointer_to(open);
                break;
            case json::parse_event_t::value:
                element_starts();
                break;
        }
        return true;
    };

    json value;
    try {
        value = json::parse(text.begin(), text.end(), watch);
    } catch (const json::parse_error& e) {
        return json_problem{json_problem::kind::malformed, e.byte, {}};
    } catch (const json::out_of_range&) {
        // nlohmann reports a number beyond the range of a double (1e999) this way.
        return json_problem{json_problem::kind::number_too_large, 0, {}};
    }
    if (repeated) return json_problem{json_problem::kind::duplicate_key, 0, std::move(*repeated)};
    return value;
}

}  // namespace covercheck::detail
