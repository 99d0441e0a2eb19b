// The covercheck service: JSON text in, JSON text out, always an envelope
// {"success":true,"data":...} or {"success":false,"error":{"code","message","path"}}.
// Shared by the WebAssembly binding and the command line; no exception escapes it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "covercheck/catalog.hpp"

namespace covercheck {

inline constexpr std::string_view engine_version = "0.1.0";

// A decision without its texts: what the batch and single fast paths return.
struct decision {
    bool valid = false;  // false: the code is not a CPT or HCPCS code (ask evaluate() for the error)
    coverage_status coverage = coverage_status::not_in_data;
    authorization_status authorization = authorization_status::not_in_data;
    int policy = -1;  // index into catalog::policies(), or -1
};

class service {
public:
    // Loads the bundle once. When it cannot be loaded, every call answers with that error:
    // damaged data never gives partial answers.
    explicit service(std::string_view bundle_text, const load_options& options = {}) noexcept;

    bool ready() const noexcept { return m_catalog != nullptr; }
    const catalog* data() const noexcept { return m_catalog.get(); }

    std::string evaluate(std::string_view request_json) const noexcept;  // one code, product, setting
    std::string matrix(std::string_view request_json) const noexcept;    // codes x products x settings
    std::string products() const noexcept;
    std::string search(std::string_view text, std::size_t limit = 20) const noexcept;
    std::string version() const noexcept;
    std::string policy(std::string_view id) const noexcept;  // the whole policy, for the policy view
    // The answer as an HL7 Da Vinci CRD coverage-information extension. The request is an
    // evaluate request plus "as_of" (YYYY-MM-DD), the assertion date: the core has no clock.
    std::string crd(std::string_view request_json) const noexcept;

    // Many questions at once, statuses only: [{"code","product","setting","date"?}, ...] ->
    // {"results":[[coverage, authorization, policy], ...], "coverage":[names], ...} where the
    // numbers index the name lists (policy -1: none). One crossing for the whole batch.
    std::string decide(std::string_view requests_json) const noexcept;
    // One question with the product and setting already resolved to indexes (the caller maps
    // ids with products()); for callers that cannot afford JSON per query.
    decision decide_one(std::string_view code, std::size_t product, setting where, day date) const noexcept;

private:
    std::unique_ptr<const catalog> m_catalog;
    error m_load_error;
};

// Envelope helpers, also used by the binding for its own failures.
std::string error_envelope(const error& e);

}  // namespace covercheck
