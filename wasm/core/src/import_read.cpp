// Status words in policy sentences (see detail/import_read.hpp).
#include "detail/import_read.hpp"

#include <algorithm>
#include <iterator>

#include "detail/import_text.hpp"

namespace covercheck::detail {
namespace {

struct pattern {
    std::string_view words;
    int meaning;
};

// Finds every pattern, longest claims first, and returns the meanings in order of appearance.
// A match inside an earlier, longer one ("medically necessary" in "not medically necessary")
// does not count.
std::vector<int> meanings(std::string_view text, const pattern* patterns, std::size_t count) {
    struct hit {
        std::size_t begin, end;
        int meaning;
    };
    std::vector<hit> hits;
    for (std::size_t k = 0; k < count; ++k) {
        const auto& p = patterns[k];
        for (auto at = ifind_word(text, p.words); at != std::string_view::npos;
             at = ifind_word(text, p.words, at + 1)) {
            const auto end = at + p.words.size();
            const bool inside =
                std::any_of(hits.begin(), hits.end(), [&](const hit& h) { return at < h.end && h.begin < end; });
            if (!inside) hits.push_back({at, end, p.meaning});
        }
    }
    std::sort(hits.begin(), hits.end(), [](const hit& a, const hit& b) { return a.begin < b.begin; });
    std::vector<int> out;
    for (const auto& h : hits) {
        if (std::find(out.begin(), out.end(), h.meaning) == out.end()) out.push_back(h.meaning);
    }
    return out;
}

constexpr int mn = static_cast<int>(stated_coverage::medically_necessary);
constexpr int nmn = static_cast<int>(stated_coverage::not_medically_necessary);
constexpr int inv = static_cast<int>(stated_coverage::investigational);
constexpr int nc = static_cast<int>(stated_coverage::not_covered);
constexpr int cov = static_cast<int>(stated_coverage::covered);

// Ordered longest first within each meaning; the matcher resolves overlaps.
constexpr pattern coverage_patterns[] = {
    {"not medically necessary", nmn},
    {"not considered medically necessary", nmn},
    {"medically necessary", mn},
    {"investigational", inv},
    {"experimental", inv},
    {"not a covered service", nc},
    {"not covered", nc},
    {"non-covered", nc},
    {"is excluded from coverage", nc},
    {"are excluded from coverage", nc},
    {"is covered", cov},
    {"are covered", cov},
    {"considered covered", cov},
};

constexpr int a_pointer = static_cast<int>(stated_authorization::pointer);
constexpr int a_required = static_cast<int>(stated_authorization::required);
constexpr int a_not_required = static_cast<int>(stated_authorization::not_required);
constexpr int a_not_covered = static_cast<int>(stated_authorization::not_covered);

constexpr pattern authorization_patterns[] = {
    {"might be required", a_pointer},
    {"may be required", a_pointer},
    {"see below", a_pointer},
    {"not a covered service", a_not_covered},
    {"not covered", a_not_covered},
    {"is not required", a_not_required},
    {"are not required", a_not_required},
    {"not required", a_not_required},
    {"no prior authorization", a_not_required},
    {"does not require", a_not_required},
    {"is required", a_required},
    {"are required", a_required},
    {"required", a_required},
    {"requires", a_required},
};

}  // namespace

std::vector<stated_coverage> coverage_statuses(std::string_view text) {
    std::vector<stated_coverage> out;
    for (int m : meanings(text, coverage_patterns, std::size(coverage_patterns)))
        out.push_back(static_cast<stated_coverage>(m));
    return out;
}

bool states_conditions(std::string_view text) noexcept {
    static constexpr std::string_view words[] = {
        "when", "if", "criteria", "for patients", "for individuals", "in patients", "in individuals", "following"};
    for (auto w : words) {
        if (ifind_word(text, w) != std::string_view::npos) return true;
    }
    return false;
}

stated_authorization authorization_status_of(std::string_view text) {
    const auto found = meanings(text, authorization_patterns, std::size(authorization_patterns));
    if (found.empty()) return stated_authorization::none;
    if (std::find(found.begin(), found.end(), a_pointer) != found.end()) return stated_authorization::pointer;
    if (found.size() > 1) return stated_authorization::ambiguous;
    return static_cast<stated_authorization>(found[0]);
}

unsigned settings_named(std::string_view text) noexcept {
    unsigned set = 0;
    if (ifind_word(text, "inpatient") != std::string_view::npos) set |= 1u;
    if (ifind_word(text, "outpatient") != std::string_view::npos) set |= 2u;
    return set;
}

}  // namespace covercheck::detail
