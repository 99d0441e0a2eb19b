// Recognising product names in policy text (see detail/import_products.hpp).
#include "detail/import_products.hpp"

#include <algorithm>
#include <string>

#include "detail/import_text.hpp"

namespace covercheck::detail {
namespace {

struct phrase {
    std::string_view text;  // lower case, single spaces, service marks removed
    product_set products;
};

constexpr product_set hmo_pos = 1u << 0;
constexpr product_set ppo_indemnity = 1u << 1;
constexpr product_set medicare_hmo = 1u << 2;
constexpr product_set medicare_ppo = 1u << 3;

// Longest first: a shorter phrase never claims words a longer one explains.
constexpr phrase phrases[] = {
    {"commercial managed care (hmo and pos)", hmo_pos},
    {"commercial ppo and indemnity", ppo_indemnity},
    {"managed care (hmo and pos)", hmo_pos},
    {"managed care (hmo/pos)", hmo_pos},
    {"ppo, and indemnity", ppo_indemnity},
    {"medicare hmo blue", medicare_hmo},
    {"medicare ppo blue", medicare_ppo},
    {"ppo and indemnity", ppo_indemnity},
    {"ppo, indemnity", ppo_indemnity},
    {"ppo/indemnity", ppo_indemnity},
    {"hmo and pos", hmo_pos},
    {"indemnity", ppo_indemnity},
    {"hmo/pos", hmo_pos},
    {"ppo", ppo_indemnity},
};

// Service marks printed after a product name: "SM" glued or spaced, "(SM)", ℠, ™, ®.
std::size_t mark_length(std::string_view text, std::size_t at) noexcept {
    static constexpr std::string_view marks[] = {"(SM)", "\xE2\x84\xA0", "\xE2\x84\xA2", "\xC2\xAE", "(TM)", "SM"};
    for (auto mark : marks) {
        if (!istarts_with(text.substr(at), mark)) continue;
        const auto end = at + mark.size();
        if (mark == "SM" && end < text.size() && (is_alpha(text[end]) || is_digit(text[end]))) continue;
        return mark.size();
    }
    return 0;
}

// The text in lower case with single spaces and no service marks, and where each byte came from.
struct normalised {
    std::string text;
    std::vector<std::size_t> origin;
};

normalised normalise(std::string_view text) {
    normalised n;
    n.text.reserve(text.size());
    n.origin.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t') {
            if (!n.text.empty() && n.text.back() != ' ') {
                n.text += ' ';
                n.origin.push_back(i);
            }
            ++i;
            continue;
        }
        // A mark directly after "blue" (with or without a space) is dropped; the symbol marks
        // are dropped wherever they are.
        const bool after_blue =
            n.text.size() >= 4 && (n.text.compare(n.text.size() - 4, 4, "blue") == 0 ||
                                   (n.text.size() >= 5 && n.text.compare(n.text.size() - 5, 5, "blue ") == 0));
        const auto mark = mark_length(text, i);
        if (mark > 0 && (after_blue || c == '(' || static_cast<unsigned char>(c) >= 0x80)) {
            i += mark;
            continue;
        }
        n.text += lower_ascii(c);
        n.origin.push_back(i);
        ++i;
    }
    return n;
}

bool word_edge(const std::string& text, std::size_t at) noexcept {
    if (at >= text.size()) return true;
    const char c = text[at];
    return !(is_alpha(c) || is_digit(c));
}

}  // namespace

std::vector<product_mention> find_product_mentions(std::string_view text) {
    std::vector<product_mention> mentions;
    const auto n = normalise(text);
    std::vector<bool> used(n.text.size(), false);
    struct found {
        std::size_t begin, end;
        product_set products;
    };
    std::vector<found> hits;
    for (const auto& p : phrases) {
        std::size_t at = n.text.find(p.text);
        while (at != std::string::npos) {
            const auto end = at + p.text.size();
            const bool bounded = (at == 0 || word_edge(n.text, at - 1)) && word_edge(n.text, end);
            bool free = bounded;
            for (std::size_t k = at; free && k < end; ++k) free = !used[k];
            if (free) {
                for (std::size_t k = at; k < end; ++k) used[k] = true;
                hits.push_back({at, end, p.products});
            }
            at = n.text.find(p.text, at + 1);
        }
    }
    std::sort(hits.begin(), hits.end(), [](const found& a, const found& b) { return a.begin < b.begin; });
    for (const auto& hit : hits) {
        product_mention m;
        m.begin = n.origin[hit.begin];
        m.end = n.origin[hit.end - 1] + 1;
        // Take in the service mark printed after the name.
        for (;;) {
            std::size_t k = m.end;
            while (k < text.size() && text[k] == ' ') ++k;
            const auto mark = mark_length(text, k);
            if (mark == 0) break;
            m.end = k + mark;
        }
        m.products = hit.products;
        mentions.push_back(m);
    }
    return mentions;
}

product_set products_named(std::string_view text) {
    product_set set = 0;
    for (const auto& m : find_product_mentions(text)) set |= m.products;
    return set;
}

bool names_all_products(std::string_view text) noexcept {
    return ifind_word(text, "all products") != std::string_view::npos ||
           ifind_word(text, "all plan products") != std::string_view::npos;
}

product_set lines_of_business_named(std::string_view text) noexcept {
    product_set set = 0;
    for (std::size_t i = 0; i < importer_product_count; ++i) {
        if (ifind_word(text, importer_products[i].line_of_business) != std::string_view::npos) {
            set |= product_set{1} << i;
        }
    }
    return set;
}

bool names_only_products(std::string_view text, product_set& products) {
    static constexpr std::string_view allowed[] = {"commercial", "medicare", "members", "member",   "and",    "or",
                                                   "the",        "plans",    "plan",    "products", "product"};
    const auto mentions = find_product_mentions(text);
    products = 0;
    std::string rest;
    std::size_t at = 0;
    for (const auto& m : mentions) {
        rest.append(text.substr(at, m.begin - at));
        rest += ' ';
        at = m.end;
        products |= m.products;
    }
    rest.append(text.substr(at));
    if (products == 0) return false;
    std::string word;
    const auto known = [&] {
        if (word.empty()) return true;
        for (auto a : allowed) {
            if (iequals(word, a)) return true;
        }
        return false;
    };
    for (char c : rest) {
        if (is_alpha(c) || is_digit(c)) {
            word += c;
            continue;
        }
        if (!known()) return false;
        word.clear();
    }
    return known();
}

}  // namespace covercheck::detail
