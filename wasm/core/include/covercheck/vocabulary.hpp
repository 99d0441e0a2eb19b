// Stable identifiers shared by the data, the requests and the results (see DESIGN.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace covercheck {

enum class setting : std::uint8_t { inpatient, outpatient };
inline constexpr std::size_t setting_count = 2;

enum class coverage_status : std::uint8_t {
    covered,
    covered_with_criteria,
    not_medically_necessary,
    investigational,
    not_covered,
    not_in_data,
};

enum class authorization_status : std::uint8_t {
    required,
    not_required,
    not_covered,
    not_in_data,
};

std::string_view to_string(setting value) noexcept;
std::string_view to_string(coverage_status value) noexcept;
std::string_view to_string(authorization_status value) noexcept;

std::optional<setting> parse_setting(std::string_view text) noexcept;
std::optional<coverage_status> parse_coverage_status(std::string_view text) noexcept;
std::optional<authorization_status> parse_authorization_status(std::string_view text) noexcept;

// "all" settings, in display order.
inline constexpr setting all_settings[setting_count] = {setting::inpatient, setting::outpatient};

}  // namespace covercheck
