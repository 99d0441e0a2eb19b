// Embind adapters: JSON text in, JSON text out. No policy logic lives here (see wasm/core/).
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <memory>
#include <string>

#include "covercheck/service.hpp"

namespace {

std::unique_ptr<covercheck::service> g_service;

std::string not_loaded() {
    return covercheck::error_envelope({"internal.not_loaded", "call load() with the policy bundle first", ""});
}

// Loads the bundle once; answers with version() or the reason the data was refused.
std::string load(const std::string& bundle_text) {
    g_service = std::make_unique<covercheck::service>(bundle_text);
    return g_service->version();
}

std::string evaluate(const std::string& request) { return g_service ? g_service->evaluate(request) : not_loaded(); }

std::string matrix(const std::string& request) { return g_service ? g_service->matrix(request) : not_loaded(); }

std::string products() { return g_service ? g_service->products() : not_loaded(); }

std::string search(const std::string& text, unsigned limit) {
    return g_service ? g_service->search(text, limit) : not_loaded();
}

std::string version() { return g_service ? g_service->version() : not_loaded(); }

std::string policy(const std::string& id) { return g_service ? g_service->policy(id) : not_loaded(); }

std::string crd(const std::string& request) { return g_service ? g_service->crd(request) : not_loaded(); }

std::string decide(const std::string& requests) { return g_service ? g_service->decide(requests) : not_loaded(); }

// The single-question fast path: plain exports, so the innermost loop costs tens of
// nanoseconds instead of an Embind call with JSON. JavaScript writes the code's bytes into
// the buffer, then asks; the answer is packed as coverage | authorization << 4 | (policy + 1) << 8,
// or -1 when the code is not a code (evaluate() then gives the error).
char g_code_buffer[32];

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE char* covercheck_code_buffer() { return g_code_buffer; }

EMSCRIPTEN_KEEPALIVE int covercheck_decide(int code_length, int product, int setting) {
    if (!g_service || code_length < 0 || code_length > static_cast<int>(sizeof g_code_buffer) || product < 0 ||
        (setting != 0 && setting != 1)) {
        return -1;
    }
    const auto d = g_service->decide_one(std::string_view(g_code_buffer, static_cast<std::size_t>(code_length)),
                                         static_cast<std::size_t>(product), static_cast<covercheck::setting>(setting), 0);
    if (!d.valid) return -1;
    return static_cast<int>(d.coverage) | static_cast<int>(d.authorization) << 4 | (d.policy + 1) << 8;
}

}  // extern "C"

namespace {

}  // namespace

EMSCRIPTEN_BINDINGS(covercheck) {
    emscripten::function("load", &load);
    emscripten::function("evaluate", &evaluate);
    emscripten::function("matrix", &matrix);
    emscripten::function("products", &products);
    emscripten::function("search", &search);
    emscripten::function("version", &version);
    emscripten::function("policy", &policy);
    emscripten::function("crd", &crd);
    emscripten::function("decide", &decide);
}
