// tests/unit/adapters/text/normalize_test.cc
//
// IsValidUtf8 / ToNfc / IsNfc (partners/README.md §2.7: every Unicode link
// carries NFC).
#include "adapters/text/normalize.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace gw::text {
namespace {

// "Nguyễn" decomposed: e + U+0302 (circumflex) + U+0303 (tilde).
const char kNguyenNfd[] = "Nguye\xCC\x82\xCC\x83n";
// "Nguyễn" composed: U+1EC5.
const char kNguyenNfc[] = "Nguy\xE1\xBB\x85n";

TEST(NormalizeTest, DecomposedVietnameseIsComposed) {
  absl::StatusOr<std::string> nfc = ToNfc(kNguyenNfd);
  ASSERT_TRUE(nfc.ok()) << nfc.status();
  EXPECT_EQ(*nfc, kNguyenNfc);
  EXPECT_EQ(nfc->size(), 8u);
}

TEST(NormalizeTest, NfcInputIsUnchanged) {
  EXPECT_EQ(ToNfc(kNguyenNfc).value(), kNguyenNfc);
  EXPECT_EQ(ToNfc("มาลี ทดสอบ").value(), "มาลี ทดสอบ");
  EXPECT_EQ(ToNfc("").value(), "");
}

TEST(NormalizeTest, MarksInNonCanonicalOrderAreReordered) {
  // e + U+0323 (dot below, ccc 220) + U+0302 (circumflex, ccc 230) and the
  // reverse order both compose to U+1EC7 ệ.
  EXPECT_EQ(ToNfc("e\xCC\xA3\xCC\x82").value(), "\xE1\xBB\x87");
  EXPECT_EQ(ToNfc("e\xCC\x82\xCC\xA3").value(), "\xE1\xBB\x87");
}

TEST(NormalizeTest, IsNfcBothWays) {
  EXPECT_FALSE(IsNfc(kNguyenNfd).value());
  EXPECT_TRUE(IsNfc(kNguyenNfc).value());
  EXPECT_TRUE(IsNfc("").value());
  EXPECT_TRUE(IsNfc("ASCII only").value());
  // A singleton decomposition: U+212B ANGSTROM SIGN is never NFC.
  EXPECT_FALSE(IsNfc("\xE2\x84\xAB").value());
  EXPECT_EQ(ToNfc("\xE2\x84\xAB").value(), "\xC3\x85");
}

TEST(NormalizeTest, InvalidUtf8IsAnErrorWithByteOffset) {
  absl::StatusOr<std::string> nfc = ToNfc("Ngu\xC3");
  ASSERT_FALSE(nfc.ok());
  EXPECT_EQ(nfc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(nfc.status().message(),
            "input is not valid UTF-8 at byte offset 3");
  absl::StatusOr<bool> is_nfc = IsNfc("a\x80");
  ASSERT_FALSE(is_nfc.ok());
  EXPECT_EQ(is_nfc.status().message(),
            "input is not valid UTF-8 at byte offset 1");
}

TEST(NormalizeTest, IsValidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Nguy\xE1\xBB\x85n"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));      // U+1F600
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));  // NUL is UTF-8
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));             // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));         // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));         // surrogate D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));     // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE1\xBB"));             // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));                 // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

}  // namespace
}  // namespace gw::text
