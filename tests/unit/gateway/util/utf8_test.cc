#include "gateway/util/utf8.h"

#include <string>

#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"

namespace gw::util {
namespace {

// "Kiểm Thị Thử": three-byte characters among ASCII.
constexpr char kVietnamese[] = "Ki\xE1\xBB\x83m Th\xE1\xBB\x8B Th\xE1\xBB\xAD";

TEST(Utf8Test, ValidTextIsUnchanged) {
  EXPECT_EQ(ScrubUtf8(kVietnamese), kVietnamese);
  const std::string khmer_and_emoji = "\xE1\x9E\x9F \xF0\x9F\x98\x80";
  EXPECT_EQ(ScrubUtf8(khmer_and_emoji), khmer_and_emoji);
}

TEST(Utf8Test, EveryIllFormedSequenceBecomesOneReplacementCharacter) {
  EXPECT_EQ(ScrubUtf8("a\xE1\xBB"), "a\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
  EXPECT_EQ(ScrubUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");    // overlong
  EXPECT_EQ(ScrubUtf8("\xED\xA0\x80"),  // a surrogate
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ScrubUtf8("\xF4\x90\x80\x80"),  // above U+10FFFF
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ScrubUtf8("x\xFFy"), "x\xEF\xBF\xBDy");
}

TEST(Utf8Test, TruncationNeverSplitsACharacter) {
  const std::string text = kVietnamese;
  for (size_t max = 0; max <= text.size() + 1; ++max) {
    const std::string cut = TruncateUtf8(text, max);
    EXPECT_LE(cut.size(), max);
    EXPECT_EQ(ScrubUtf8(cut), cut) << "cut at " << max;
    EXPECT_EQ(text.compare(0, cut.size(), cut), 0);
  }
  EXPECT_EQ(TruncateUtf8(text, 4), "Ki");  // not "Ki" + half of "ể"
}

TEST(Utf8Test, ScrubbedTextSurvivesAProto3StringRoundTrip) {
  v1::Delivery delivery;
  delivery.set_reason(ScrubUtf8(std::string(kVietnamese).substr(0, 4)));
  std::string bytes;
  ASSERT_TRUE(delivery.SerializeToString(&bytes));
  v1::Delivery back;
  EXPECT_TRUE(back.ParseFromString(bytes));
}

}  // namespace
}  // namespace gw::util
