// tests/unit/adapters/text/transliterate_test.cc
//
// Transliterate with the transforms the partner adapters use: TH-RTP.md
// §5.3 step 3 (filtered Latin-ASCII) and §5.5 rule 4 (Any-Latin;
// Latin-ASCII), bad ids, and concurrent use of one cached transform.
#include "adapters/text/transliterate.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::text {
namespace {

using ::testing::HasSubstr;

constexpr char kThRtpFold[] =
    "[^\\u000A\\u0020-\\u007E\\u0E01-\\u0E3A\\u0E3F-\\u0E5B] Latin-ASCII";
constexpr char kAnyLatinAscii[] = "Any-Latin; Latin-ASCII";

TEST(TransliterateTest, LatinAsciiFoldsTheIcdExamples) {
  // TH-RTP.md §5.3 step 3's list.
  EXPECT_EQ(Transliterate("Latin-ASCII", "é").value(), "e");
  EXPECT_EQ(Transliterate("Latin-ASCII", "Nguyễn").value(), "Nguyen");
  EXPECT_EQ(Transliterate("Latin-ASCII", "“x”").value(), "\"x\"");
  EXPECT_EQ(Transliterate("Latin-ASCII", "–").value(), "-");
  EXPECT_EQ(Transliterate("Latin-ASCII", "ß").value(), "ss");
}

TEST(TransliterateTest, FilteredFoldLeavesThaiAndLineFeedsAlone) {
  EXPECT_EQ(Transliterate(kThRtpFold, "มาลี ทดสอบ").value(), "มาลี ทดสอบ");
  EXPECT_EQ(Transliterate(kThRtpFold, "Nguyễn “มาลี” – Straße\n฿5").value(),
            "Nguyen \"มาลี\" - Strasse\n฿5");
}

TEST(TransliterateTest, FilteredFoldLeavesUnfoldableCharactersForTheCaller) {
  // §5.3 step 4 (replace with '?') is the caller's: Han has no Latin-ASCII
  // mapping and comes back unchanged.
  EXPECT_EQ(Transliterate(kThRtpFold, "测试 é").value(), "测试 e");
}

TEST(TransliterateTest, AnyLatinAsciiGivesTheIcdHanExample) {
  // TH-RTP.md §5.5 rule 4: 测试 / 强 gives "ce shi" / "qiang".
  EXPECT_EQ(Transliterate(kAnyLatinAscii, "测试").value(), "ce shi");
  EXPECT_EQ(Transliterate(kAnyLatinAscii, "强").value(), "qiang");
}

TEST(TransliterateTest, AnyLatinAsciiOnOtherScripts) {
  EXPECT_EQ(Transliterate(kAnyLatinAscii, "มาลี ทดสอบ").value(), "mali thdsxb");
  EXPECT_EQ(Transliterate(kAnyLatinAscii, "မောင်မောင်").value(), "maungmaung");
  // ICU 72 has no Lao transliterator: the text survives, and the caller's
  // "still non-ASCII" check (§5.5 rule 4) sees it.
  EXPECT_EQ(Transliterate(kAnyLatinAscii, "ມະລິ").value(), "ມະລິ");
}

TEST(TransliterateTest, EmptyInput) {
  EXPECT_EQ(Transliterate(kAnyLatinAscii, "").value(), "");
}

TEST(TransliterateTest, BadIdIsInvalidArgumentNamingTheId) {
  absl::StatusOr<std::string> out = Transliterate("No-Such-Transform", "x");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("'No-Such-Transform'"));
  // A broken filter, and asking again (failures are not cached as success).
  EXPECT_EQ(Transliterate("[a- Latin-ASCII", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Transliterate("No-Such-Transform", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TransliterateTest, InvalidUtf8InputIsInvalidArgument) {
  absl::StatusOr<std::string> out = Transliterate("Latin-ASCII", "ab\xE1\xBB");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().message(),
            "input is not valid UTF-8 at byte offset 2");
}

TEST(TransliterateTest, ConcurrentCallsGiveTheSameResults) {
  // Four threads share the cached transforms; each checks every result.
  struct Case {
    const char* id;
    const char* in;
    const char* out;
  };
  const std::vector<Case> cases = {
      {kAnyLatinAscii, "测试", "ce shi"},
      {kAnyLatinAscii, "强", "qiang"},
      {kThRtpFold, "Nguyễn มาลี", "Nguyen มาลี"},
      {"Latin-ASCII", "Straße", "Strasse"},
  };
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cases, &failures, t] {
      for (int i = 0; i < 300; ++i) {
        const Case& c = cases[(i + t) % cases.size()];
        absl::StatusOr<std::string> out = Transliterate(c.id, c.in);
        if (!out.ok() || *out != c.out) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace gw::text
