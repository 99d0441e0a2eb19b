// SHA-256 against the FIPS 180-4 example vectors.
#include <catch2/catch.hpp>

#include "covercheck/sha256.hpp"

TEST_CASE("sha256 matches the NIST example vectors", "[sha256]") {
    using covercheck::sha256_hex;
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 gives the same digest however the input is split", "[sha256]") {
    const std::string text(200, 'x');
    const auto split = GENERATE(1, 55, 56, 63, 64, 65, 128, 199);
    covercheck::sha256 hasher;
    hasher.update(std::string_view(text).substr(0, static_cast<std::size_t>(split)));
    hasher.update(std::string_view(text).substr(static_cast<std::size_t>(split)));
    const auto digest = hasher.finish();
    covercheck::sha256 whole;
    whole.update(text);
    CHECK(digest == whole.finish());
}
