// Fuzz target: the policy importer. Any bytes are a "document": the importer must never crash,
// always answer with an envelope, and whatever policy it produces must be data the loader accepts
// or a report that says why not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "covercheck/importer.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)covercheck::fuzz::check_envelope(covercheck::import_policy_envelope(text, "{}"), "request");
    return 0;
}
