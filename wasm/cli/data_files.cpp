// Assembles a bundle from policy-data/ exactly as scripts/build-web.mjs does, so the command
// line and the page answer from the same data (the data version is a digest of the content).
#include "data_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

namespace covercheck::files {

std::optional<std::string> read_text(const std::filesystem::path& file, std::string& problem) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        problem = "cannot open " + file.string();
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<std::string> read_bundle(const std::filesystem::path& location, std::string& problem) {
    std::error_code ec;
    if (!std::filesystem::is_directory(location, ec)) return read_text(location, problem);

    const auto products_text = read_text(location / "products.json", problem);
    if (!products_text) return std::nullopt;
    std::vector<std::filesystem::path> policy_files;
    for (const auto& item : std::filesystem::directory_iterator(location / "policies", ec)) {
        if (item.path().extension() == ".json") policy_files.push_back(item.path());
    }
    if (ec) {
        problem = "cannot list " + (location / "policies").string() + ": " + ec.message();
        return std::nullopt;
    }
    std::sort(policy_files.begin(), policy_files.end());
    try {
        const auto products = nlohmann::json::parse(*products_text);
        nlohmann::json head;
        head["schema_version"] = 1;
        head["publisher"] = products.value("publisher", "");
        head["products"] = products.at("products");
        // The policies go in as written, not parsed and written again: the core then reads the
        // files themselves and refuses what a rewrite would hide (a member given twice).
        std::string bundle = head.dump();
        bundle.pop_back();  // the closing brace
        bundle += ",\"policies\":[";
        for (std::size_t i = 0; i < policy_files.size(); ++i) {
            const auto& file = policy_files[i];
            const auto text = read_text(file, problem);
            if (!text) return std::nullopt;
            try {
                [[maybe_unused]] const auto checked = nlohmann::json::parse(*text);
            } catch (const nlohmann::json::exception& e) {
                problem = file.string() + ": " + e.what();
                return std::nullopt;
            }
            if (i > 0) bundle += ',';
            bundle += *text;
        }
        return bundle + "]}";
    } catch (const nlohmann::json::exception& e) {
        problem = (location / "products.json").string() + ": " + e.what();
        return std::nullopt;
    }
}

}  // namespace covercheck::files
