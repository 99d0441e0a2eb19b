// Reading policy data from disk for the command line and the tests (the core reads no files).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace covercheck::files {

// The bundle text for a policy-data directory (products.json + policies/*.json, sorted by
// name) or for a bundle file. Returns nothing and sets `problem` when it cannot be read.
std::optional<std::string> read_bundle(const std::filesystem::path& location, std::string& problem);

std::optional<std::string> read_text(const std::filesystem::path& file, std::string& problem);

}  // namespace covercheck::files
