// tests/unit/adapters/text/codepage_test.cc
//
// EncodeCodepage / DecodeCodepage against TH-RTP.md §5.1: TIS-620 round
// trips of Thai text, errors that say where (and never what), and the
// documented width of ICU's windows-874-2000 that callers must narrow.
#include "adapters/text/codepage.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::text {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CodepageTest, ThaiNameRoundTripsThroughTis620) {
  const std::string thai = "มาลี ทดสอบ";
  absl::StatusOr<std::string> bytes = EncodeCodepage("TIS-620", thai);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  // One byte per character: a Thai code point U+0Exx is byte xx + 0xA0.
  EXPECT_EQ(*bytes, "\xC1\xD2\xC5\xD5\x20\xB7\xB4\xCA\xCD\xBA");
  absl::StatusOr<std::string> back = DecodeCodepage("TIS-620", *bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, thai);
}

TEST(CodepageTest, EveryThaiCharacterOfTheIcdRoundTrips) {
  // R's Thai ranges, U+0E01-U+0E3A and U+0E3F-U+0E5B, map to A1-DA, DF-FB.
  std::string thai;
  std::string expected;
  for (char32_t c = 0x0E01; c <= 0x0E5B; ++c) {
    if (c > 0x0E3A && c < 0x0E3F) continue;
    thai += static_cast<char>(0xE0 | (c >> 12));
    thai += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    thai += static_cast<char>(0x80 | (c & 0x3F));
    expected += static_cast<char>(c - 0x0E00 + 0xA0);
  }
  absl::StatusOr<std::string> bytes = EncodeCodepage("TIS-620", thai);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, expected);
  absl::StatusOr<std::string> back = DecodeCodepage("TIS-620", *bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, thai);
}

TEST(CodepageTest, AsciiIsUnchanged) {
  absl::StatusOr<std::string> bytes = EncodeCodepage("TIS-620", "Mali 12-B");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, "Mali 12-B");
}

TEST(CodepageTest, EmptyInputGivesEmptyOutput) {
  EXPECT_EQ(EncodeCodepage("TIS-620", "").value(), "");
  EXPECT_EQ(DecodeCodepage("TIS-620", "").value(), "");
}

TEST(CodepageTest, UnrepresentableCharacterNamesCodePointAndOffset) {
  // Offsets count code points: ม า ล ี <space> are 0-4, 测 is 5.
  absl::StatusOr<std::string> bytes = EncodeCodepage("TIS-620", "มาลี 测试");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bytes.status().message(),
            "character U+6D4B at offset 5 is not representable in TIS-620");
}

TEST(CodepageTest, UnrepresentableSupplementaryCharacterIsOneCodePoint) {
  // U+1F600 is two UTF-16 units; it and the offset are still code points.
  absl::StatusOr<std::string> bytes =
      EncodeCodepage("TIS-620", "a\xF0\x9F\x98\x80 b");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().message(),
            "character U+1F600 at offset 1 is not representable in TIS-620");
  bytes = EncodeCodepage("TIS-620", "\xF0\x9F\x98\x80\xE6\xB5\x8B");
  ASSERT_FALSE(bytes.ok());
  EXPECT_THAT(bytes.status().message(), HasSubstr("U+1F600 at offset 0"));
}

TEST(CodepageTest, NoSubstitutionForCharactersWithOnlyAFallback) {
  // Vietnamese ễ has no TIS-620 byte; nothing is silently replaced.
  absl::StatusOr<std::string> bytes = EncodeCodepage("TIS-620", "Nguyễn");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().message(),
            "character U+1EC5 at offset 4 is not representable in TIS-620");
}

TEST(CodepageTest, InvalidUtf8InputIsRejectedWithByteOffset) {
  absl::StatusOr<std::string> bytes = EncodeCodepage("TIS-620", "ab\xFFz");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bytes.status().message(),
            "input is not valid UTF-8 at byte offset 2");
  // An encoded surrogate (ED A0 80) is not UTF-8 either.
  EXPECT_FALSE(EncodeCodepage("TIS-620", "a\xED\xA0\x80").ok());
}

TEST(CodepageTest, InvalidByteNamesByteAndOffset) {
  // ISO-8859-11 leaves DB-DE and FC-FF unassigned.
  absl::StatusOr<std::string> text =
      DecodeCodepage("ISO-8859-11", "\xC1\xD2\xC5\xD5 \xB7\xDB");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(),
            "byte 0xDB at offset 6 is not valid ISO-8859-11");
  text = DecodeCodepage("ISO-8859-11", "\xFC");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "byte 0xFC at offset 0 is not valid ISO-8859-11");
}

TEST(CodepageTest, InvalidMultiByteSequenceNamesItsBytes) {
  absl::StatusOr<std::string> text = DecodeCodepage("UTF-8", "ab\xC3\x28");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "byte 0xC3 at offset 2 is not valid UTF-8");
}

TEST(CodepageTest, TruncatedMultiByteSequenceAtEnd) {
  absl::StatusOr<std::string> text = DecodeCodepage("Shift_JIS", "ab\x82");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(),
            "incomplete Shift_JIS character at end of input (byte offset 2)");
}

// Documents (codepage.h) that windows-874-2000 maps every byte, so callers
// bound by TH-RTP.md §5.1's permitted set must check bytes themselves.
TEST(CodepageTest, Tis620DecodesBytesOutsideTheIcdSet) {
  EXPECT_EQ(DecodeCodepage("TIS-620", "\x80").value(), "\u20AC");
  EXPECT_EQ(DecodeCodepage("TIS-620", "\x85").value(), "\u2026");
  EXPECT_EQ(DecodeCodepage("TIS-620", "\x93").value(), "\u201C");
  EXPECT_EQ(DecodeCodepage("TIS-620", "\xA0").value(), "\u00A0");
  EXPECT_EQ(DecodeCodepage("TIS-620", "\xDB").value(), "\uF8C1");
  EXPECT_EQ(DecodeCodepage("TIS-620", "\xFC").value(), "\uF8C5");
  EXPECT_EQ(DecodeCodepage("TIS-620", "\xFF").value(), "\uF8C8");
  for (int b = 0; b < 256; ++b) {
    EXPECT_TRUE(
        DecodeCodepage("TIS-620", std::string(1, static_cast<char>(b))).ok())
        << b;
  }
  // And the reverse: these encode, so "it encoded" does not mean "it is in R".
  EXPECT_EQ(EncodeCodepage("TIS-620", "\u2026").value(), "\x85");
  EXPECT_EQ(EncodeCodepage("TIS-620", "\uF8C1").value(), "\xDB");
}

TEST(CodepageTest, UnknownCodepageIsNotFound) {
  absl::StatusOr<std::string> bytes = EncodeCodepage("no-such-codepage", "a");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(bytes.status().message(), HasSubstr("no-such-codepage"));
  EXPECT_EQ(DecodeCodepage("no-such-codepage", "a").status().code(),
            absl::StatusCode::kNotFound);
  // ICU would open the default converter for "".
  EXPECT_EQ(EncodeCodepage("", "a").status().code(),
            absl::StatusCode::kNotFound);
  // An embedded NUL must not silently open a prefix's converter.
  EXPECT_EQ(EncodeCodepage(std::string("TIS-620\0x", 9), "a").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CodepageTest, ErrorsNeverQuoteTheText) {
  const std::string secret = "มาลี ทดสอบ";
  absl::StatusOr<std::string> bytes = EncodeCodepage("TIS-620", secret + "测");
  ASSERT_FALSE(bytes.ok());
  EXPECT_THAT(std::string(bytes.status().message()), Not(HasSubstr("มาลี")));
  absl::StatusOr<std::string> text = DecodeCodepage("ISO-8859-11", "Mali\xFF");
  ASSERT_FALSE(text.ok());
  EXPECT_THAT(std::string(text.status().message()), Not(HasSubstr("Mali")));
}

}  // namespace
}  // namespace gw::text
