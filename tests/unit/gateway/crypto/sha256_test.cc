// tests/unit/gateway/crypto/sha256_test.cc
#include "gateway/crypto/sha256.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace gw::crypto {
namespace {

struct Sha256Case {
  std::string name;
  std::string input;
  std::string want_hex;
};

// FIPS 180-2 / NIST CSRC example vectors.
TEST(Sha256Test, KnownVectors) {
  const Sha256Case cases[] = {
      {"empty", "",
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "abc",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"two_blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"million_a", std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
      {"nul_byte", std::string(1, '\0'),
       "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"},
  };
  for (const Sha256Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Sha256Hex(c.input), c.want_hex);
    const std::string raw = Sha256(c.input);
    EXPECT_EQ(raw.size(), 32u);
    EXPECT_EQ(raw, absl::HexStringToBytes(c.want_hex));
  }
}

TEST(Sha256Test, HexIsLowercase) {
  const std::string hex = Sha256Hex("abc");
  ASSERT_EQ(hex.size(), 64u);
  for (char ch : hex) {
    EXPECT_TRUE((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')) << ch;
  }
}

TEST(Sha256Test, DefaultStringViewIsTheEmptyDigest) {
  EXPECT_EQ(Sha256Hex(absl::string_view()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace gw::crypto
