// Reading statuses out of policy sentences: coverage words ("INVESTIGATIONAL", "MEDICALLY
// NECESSARY") and prior-authorization words ("IS REQUIRED", "This is not a covered service.").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace covercheck::detail {

// A coverage status as a sentence states it. "medically necessary" becomes covered or
// covered-with-criteria only once it is known whether criteria follow.
enum class stated_coverage : std::uint8_t {
    medically_necessary,
    not_medically_necessary,
    investigational,
    not_covered,
    covered,
};

// The distinct coverage statuses a text states, in order of first appearance.
std::vector<stated_coverage> coverage_statuses(std::string_view text);
// A medically-necessary statement with conditions ("when", "if", "criteria", "for patients").
bool states_conditions(std::string_view text) noexcept;

enum class stated_authorization : std::uint8_t { none, ambiguous, pointer, required, not_required, not_covered };
// What a prior-authorization sentence or table cell says. `pointer`: it only points elsewhere
// ("see below for products where prior authorization might be required").
stated_authorization authorization_status_of(std::string_view text);

// Settings a text names: bit 0 inpatient, bit 1 outpatient.
unsigned settings_named(std::string_view text) noexcept;

}  // namespace covercheck::detail
