// Embind adapters: JSON text in, JSON text out. No policy logic lives here (see wasm/core/).
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

std::string crd(const std::string& request) { return g_service ? g_service->crd(request) : not_loaded(); }

std::string decide(const std::string& requests) { return g_service ? g_service->decide(requests) : not_loaded(); }

// The fast paths of decide(): plain exports, so the innermost loop costs tens of nanoseconds
// instead of an Embind call with JSON. JavaScript writes the code's bytes into module memory,
// then asks; each answer is packed as coverage | authorization << 4 | (policy + 1) << 8, or -1
// when the question cannot be answered as given (decide's JSON path then gives the error).
char g_code_buffer[32];
constexpr std::size_t batch_stride = 36;
std::vector<std::uint8_t> g_batch;

int decide_packed(std::string_view code, int product, int setting) {
    if (!g_service || product < 0 || (setting != 0 && setting != 1)) return -1;
    const auto d = g_service->decide_one(code, static_cast<std::size_t>(product), static_cast<covercheck::setting>(setting), 0);
    if (!d.valid || d.policy >= (1 << 22)) return -1;  // beyond what the packing holds: the JSON path answers
    return static_cast<int>(d.coverage) | static_cast<int>(d.authorization) << 4 | (d.policy + 1) << 8;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE char* covercheck_code_buffer() { return g_code_buffer; }

EMSCRIPTEN_KEEPALIVE int covercheck_decide(int code_length, int product, int setting) {
    return decide_packed(std::string_view(g_code_buffer, static_cast<std::size_t>(std::clamp(code_length, 0, 32))),
                         product, setting);
}

// Batches the same way: `count` records of batch_stride bytes (code bytes, then its length,
// product and setting at 32, 33, 34), answered into `count` packed int32s after them.
EMSCRIPTEN_KEEPALIVE std::uint8_t* covercheck_batch_buffer(int count) {
    if (count < 0 || count > 100000) return nullptr;
    g_batch.assign(static_cast<std::size_t>(count) * (batch_stride + 4), 0);
    return g_batch.data();
}

EMSCRIPTEN_KEEPALIVE void covercheck_decide_batch(int count) {
    if (count < 0 || g_batch.size() < static_cast<std::size_t>(count) * (batch_stride + 4)) return;
    auto* answers = reinterpret_cast<std::int32_t*>(g_batch.data() + static_cast<std::size_t>(count) * batch_stride);
    for (int i = 0; i < count; ++i) {
        const std::uint8_t* record = g_batch.data() + static_cast<std::size_t>(i) * batch_stride;
        const auto length = std::min<std::size_t>(record[32], 32);
        answers[i] = decide_packed(std::string_view(reinterpret_cast<const char*>(record), length), record[33], record[34]);
    }
}

}  // extern "C"

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
    emscripten::function("crd", &crd);
    emscripten::function("decide", &decide);
}
