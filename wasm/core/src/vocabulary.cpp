// Text forms of the stable identifiers.
#include "covercheck/vocabulary.hpp"

#include <array>
#include <utility>

namespace covercheck {
namespace {

constexpr std::array<std::string_view, 2> setting_names = {"inpatient", "outpatient"};
constexpr std::array<std::string_view, 6> coverage_names = {
    "covered", "covered-with-criteria", "not-medically-necessary", "investigational", "not-covered", "not-in-data"};
constexpr std::array<std::string_view, 4> authorization_names = {"required", "not-required", "not-covered",
                                                                 "not-in-data"};

template <typename Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view text) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == text) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(setting value) noexcept { return setting_names[static_cast<std::size_t>(value)]; }
std::string_view to_string(coverage_status value) noexcept { return coverage_names[static_cast<std::size_t>(value)]; }
std::string_view to_string(authorization_status value) noexcept {
    return authorization_names[static_cast<std::size_t>(value)];
}

std::optional<setting> parse_setting(std::string_view text) noexcept {
    return find_name<setting>(setting_names, text);
}
std::optional<coverage_status> parse_coverage_status(std::string_view text) noexcept {
    // not-in-data is an answer, never a status a policy can state.
    auto found = find_name<coverage_status>(coverage_names, text);
    if (found == coverage_status::not_in_data) return std::nullopt;
    return found;
}
std::optional<authorization_status> parse_authorization_status(std::string_view text) noexcept {
    auto found = find_name<authorization_status>(authorization_names, text);
    if (found == authorization_status::not_in_data) return std::nullopt;
    return found;
}

}  // namespace covercheck
