// How policy documents name plan products ("Managed Care (HMO and POS), PPO, and Indemnity",
// "Medicare HMO BlueSM"), mapped onto the product ids of DESIGN.md.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace covercheck::detail {

using product_set = std::uint32_t;  // bit i: importer_products[i]

struct vocabulary_product {
    std::string_view id;
    std::string_view label;
    std::string_view line_of_business;
};

// The products the importer can recognise, in the order of policy-data/products.json. Another
// publisher's products need their printed names added to the phrase table in import_products.cpp.
inline constexpr vocabulary_product importer_products[] = {
    {"commercial-hmo-pos", "Commercial Managed Care (HMO and POS)", "commercial"},
    {"commercial-ppo-indemnity", "Commercial PPO and Indemnity", "commercial"},
    {"medicare-hmo-blue", "Medicare HMO Blue\xE2\x84\xA0", "medicare"},
    {"medicare-ppo-blue", "Medicare PPO Blue\xE2\x84\xA0", "medicare"},
};
inline constexpr std::size_t importer_product_count = sizeof importer_products / sizeof importer_products[0];
inline constexpr product_set every_product = (product_set{1} << importer_product_count) - 1;

struct product_mention {
    std::size_t begin = 0;  // byte range in the text, service mark included ("Medicare HMO Blue SM")
    std::size_t end = 0;
    product_set products = 0;
};

// Every product name in the text, in reading order.
std::vector<product_mention> find_product_mentions(std::string_view text);
product_set products_named(std::string_view text);
// "for all products".
bool names_all_products(std::string_view text) noexcept;
// The products of a line of business named in the text ("Commercial", "Medicare Members").
product_set lines_of_business_named(std::string_view text) noexcept;
// The text names products and nothing else (a table's product column): words such as
// "Members" or "and" may surround the names, nothing unknown.
bool names_only_products(std::string_view text, product_set& products);

}  // namespace covercheck::detail
