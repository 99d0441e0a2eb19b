// SHA-256 (FIPS 180-4), used to derive the data version from the bundled policy data.
// Written here because the core must build for WebAssembly with nothing but the standard
// library and nlohmann_json; tested against the NIST example vectors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace covercheck {

class sha256 {
public:
    sha256() noexcept;
    void update(std::string_view bytes) noexcept;
    std::array<std::uint8_t, 32> finish() noexcept;

private:
    void compress(const std::uint8_t* block) noexcept;

    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
};

// Lower-case hex digest of the whole input.
std::string sha256_hex(std::string_view bytes);

}  // namespace covercheck
