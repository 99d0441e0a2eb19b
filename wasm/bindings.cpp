// Embind adapters: JSON text in, JSON text out. No policy logic lives here (see wasm/core/).
#include <emscripten/bind.h>
#include <malloc.h>

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

// The same for a built bundle, which must carry its digest.
std::string load_verified(const std::string& bundle_text) {
    g_service = std::make_unique<covercheck::service>(bundle_text, covercheck::load_options{true});
    return g_service->version();
}

// Diagnostics: bytes of the module's heap in use (allocated and not freed), for leak tests.
double memory_in_use() { return static_cast<double>(mallinfo().uordblks); }

std::string evaluate(const std::string& request) { return g_service ? g_service->evaluate(request) : not_loaded(); }

std::string matrix(const std::string& request) { return g_service ? g_service->matrix(request) : not_loaded(); }

std::string products() { return g_service ? g_service->products() : not_loaded(); }

std::string search(const std::string& text, unsigned limit) {
    return g_service ? g_service->search(text, limit) : not_loaded();
}

std::string version() { return g_service ? g_service->version() : not_loaded(); }

std::string policy(const std::string& id) { return g_service ? g_service->policy(id) : not_loaded(); }

}  // namespace

EMSCRIPTEN_BINDINGS(covercheck) {
    emscripten::function("load", &load);
    emscripten::function("loadVerified", &load_verified);
    emscripten::function("memoryInUse", &memory_in_use);
    emscripten::function("evaluate", &evaluate);
    emscripten::function("matrix", &matrix);
    emscripten::function("products", &products);
    emscripten::function("search", &search);
    emscripten::function("version", &version);
    emscripten::function("policy", &policy);
}
