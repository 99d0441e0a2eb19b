// Embind adapter for the policy importer. Linked only into covercheck-import, the module of
// the "Check a policy document" page, so the checker's own module stays small.
#include <emscripten/bind.h>

#include <string>

#include "covercheck/importer.hpp"

namespace {

// A policy document's text to policy data, a report and a completeness flag. Needs no loaded
// bundle: the products to check against come in the options.
std::string import_policy(const std::string& text, const std::string& options) {
    return covercheck::import_policy_envelope(text, options);
}

}  // namespace

EMSCRIPTEN_BINDINGS(covercheck_import) { emscripten::function("importPolicy", &import_policy); }
