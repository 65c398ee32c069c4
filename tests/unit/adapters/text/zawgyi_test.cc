// tests/unit/adapters/text/zawgyi_test.cc
//
// The Zawgyi detector and converter against MM-MPF.md §5: the §5.8 pairs
// (read from the partner examples' zawgyi-unicode-pairs.tsv), a held-out
// set of Burmese words and phrases written for this test (none of them is a
// string of the training corpus; their Zawgyi is made here with ICU
// `my-Zawgyi`, as the trainer does), and the edge cases of the contract.
#include "adapters/text/zawgyi.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"

namespace gw::text {
namespace {

struct Pair {
  std::string zawgyi;
  std::string unicode;
  double reference_p_zawgyi;   // P(Zawgyi) of the Zawgyi string
  double reference_p_unicode;  // P(Zawgyi) of the Unicode string
};

std::string FromCodePoints(absl::string_view list) {
  icu::UnicodeString s;
  for (absl::string_view cp : absl::StrSplit(list, ' ', absl::SkipEmpty())) {
    uint32_t value = 0;
    EXPECT_TRUE(absl::StartsWith(cp, "U+")) << cp;
    EXPECT_TRUE(absl::SimpleHexAtoi(cp.substr(2), &value)) << cp;
    s.append(static_cast<UChar32>(value));
  }
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::vector<Pair> ReadPairs() {
  const std::string path =
      std::string(GW_PARTNER_EXAMPLES_DIR) + "/MM-MPF/zawgyi-unicode-pairs.tsv";
  const absl::StatusOr<std::string> tsv = util::ReadFile(path);
  EXPECT_TRUE(tsv.ok()) << tsv.status();
  std::vector<Pair> pairs;
  if (!tsv.ok()) return pairs;
  bool header = true;
  for (absl::string_view line : absl::StrSplit(*tsv, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {  // the column names
      header = false;
      continue;
    }
    const std::vector<std::string> cols = absl::StrSplit(line, '\t');
    EXPECT_EQ(cols.size(), 8u) << line;
    if (cols.size() != 8) continue;
    Pair pair{cols[1], cols[2], 0, 0};
    // The code-point columns pin the exact strings (e.g. pair 2's trailing
    // space), so an editor cannot silently change the test data.
    EXPECT_EQ(pair.zawgyi, FromCodePoints(cols[3]));
    EXPECT_EQ(pair.unicode, FromCodePoints(cols[4]));
    EXPECT_TRUE(absl::SimpleAtod(cols[5], &pair.reference_p_zawgyi));
    EXPECT_TRUE(absl::SimpleAtod(cols[6], &pair.reference_p_unicode));
    EXPECT_EQ(cols[7], "yes");
    pairs.push_back(pair);
  }
  return pairs;
}

// Which side of the §5.4 thresholds a score is on.
int Side(double p) {
  if (p >= kZawgyiConvertAt) return 1;
  if (p <= kZawgyiUnicodeAt) return -1;
  return 0;
}

std::string ToZawgyi(const std::string& unicode) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("my-Zawgyi", UTRANS_FORWARD, status));
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  if (t == nullptr) return "";
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(unicode);
  t->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

TEST(ZawgyiPairsTest, TheThreeIcdPairsAreRead) {
  EXPECT_EQ(ReadPairs().size(), 3u);
}

TEST(ZawgyiPairsTest, ConversionGivesTheUnicodeStringExactly) {
  for (const Pair& pair : ReadPairs()) {
    SCOPED_TRACE(pair.unicode);
    const absl::StatusOr<std::string> converted = ZawgyiToUnicode(pair.zawgyi);
    ASSERT_TRUE(converted.ok()) << converted.status();
    EXPECT_EQ(*converted, pair.unicode);
  }
}

TEST(ZawgyiPairsTest, ScoresAreOnTheReferenceSideOfBothThresholds) {
  const ZawgyiDetector& detector = ZawgyiDetector::Default();
  for (const Pair& pair : ReadPairs()) {
    SCOPED_TRACE(pair.unicode);
    const double p_zawgyi = detector.Probability(pair.zawgyi);
    const double p_unicode = detector.Probability(pair.unicode);
    std::printf(
        "pair %-40s P(Z|zawgyi)=%.9f (ref %.6g)  P(Z|unicode)=%.3g "
        "(ref %.6g)\n",
        pair.unicode.c_str(), p_zawgyi, pair.reference_p_zawgyi, p_unicode,
        pair.reference_p_unicode);
    EXPECT_GE(p_zawgyi, kZawgyiConvertAt);
    EXPECT_LE(p_unicode, kZawgyiUnicodeAt);
    EXPECT_EQ(Side(p_zawgyi), Side(pair.reference_p_zawgyi));
    EXPECT_EQ(Side(p_unicode), Side(pair.reference_p_unicode));
  }
}

// Written for this test: everyday words, place and personal names and
// sentences of the kind case files hold. None is a string of the training
// corpus (zawgyi-train --corpus lists it). The list was fixed before the
// model was evaluated on it; misses are kept, not edited out.
const char* const kHeldOut[] = {
    "မင်္ဂလာပါ",
    "ကျေးဇူးတင်ပါတယ်",
    "နေကောင်းလား",
    "ကျွန်တော် ကျောင်းသွားမယ်",
    "သူမ ရန်ကုန်မြို့မှာ နေတယ်",
    "ရဲစခန်း",
    "ကလေးငယ်များ",
    "လူကုန်ကူးမှု",
    "မိဘများနှင့် ပြန်လည်ဆုံတွေ့ခဲ့သည်",
    "နယ်စပ်ဂိတ်",
    "အမှုတွဲ",
    "သက်သေ",
    "တရားခံ",
    "ဖမ်းဆီးခဲ့သည်",
    "ပျောက်ဆုံးနေသော ကလေး",
    "မန္တလေး",
    "တောင်ကြီးမြို့",
    "မြဝတီ",
    "တာချီလိတ်",
    "ရှမ်းပြည်နယ်",
    "ကချင်ပြည်နယ်",
    "စစ်ကိုင်းတိုင်း",
    "ဧရာဝတီမြစ်",
    "မိခင်နှင့် ဖခင်",
    "အစ်ကို၊ အစ်မ၊ ညီမ",
    "ဆေးရုံသို့ ပို့ဆောင်ခဲ့သည်",
    "ခရီးသွားလက်မှတ်",
    "နိုင်ငံကူးလက်မှတ်",
    "မှတ်ပုံတင်ကတ်",
    "အလုပ်ရှင်က လစာမပေးခဲ့ပါ",
    "ညနေ ခြောက်နာရီတွင် ရောက်ရှိခဲ့သည်",
    "ကားဂိတ်တွင် နောက်ဆုံးတွေ့ခဲ့သည်",
    "သူ့အမည်မှာ ကျော်မြင့် ဖြစ်သည်",
    "အေးအေးမြင့်",
    "ထွန်းထွန်း",
    "ခင်မောင်ဝင်း",
    "သန်းထိုက်ဦး",
    "နှင်းဝေ",
    "စိုးမိုး",
    "ဇော်ဇော်",
    "ဝင်းဝင်းထွေး",
    "ကြက်ဥ",
    "ထမင်းစားပြီးပြီလား",
    "ရေချိုးခန်း",
    "ငွေကြေးပေးချေမှု",
    "ပြည်ထောင်စုသမ္မတမြန်မာနိုင်ငံတော်",
    "အကူအညီလိုအပ်ပါသည်",
    "ဘာသာပြန်ဆိုသူ",
    "စာရွက်စာတမ်းများ စစ်ဆေးပြီးပါပြီ",
    "လက်ရှိ နေထိုင်ရာ လိပ်စာ",
    "ဖုန်းနံပါတ်",
    "အသက် ဆယ့်လေးနှစ်",
    "မိန်းကလေး",
    "ယောက်ျားလေး",
    "ကျေးရွာအုပ်ချုပ်ရေးမှူး",
    "စက်ရုံတွင် အလုပ်လုပ်ခဲ့သည်",
    "ငါးဖမ်းလှေ",
    "သင်္ဘောဖြင့် ခရီးထွက်ခဲ့သည်",
    "ဗုဒ္ဓဘာသာဝင်",
    "ကျန်းမာရေး စစ်ဆေးမှု",
    "မွေးနေ့",
    "လူဝင်မှုကြီးကြပ်ရေး",
    "ရဲအရာရှိ",
    "တရားရုံးသို့ တင်ပို့မည်",
    "အိမ်ထောင်ဖက်",
    "ဘိန်းစိုက်ခင်း",
    "ကျောက်စိမ်းမိုင်း",
    "မြို့နယ်",
    "ရပ်ကွက်",
    "လမ်းဆုံ",
    "ဈေးရောင်းသူ",
    "စာသင်ကျောင်း",
    "သွားရောက်လည်ပတ်",
    "ရေခဲမုန့်",
    "မြန်မာစာ",
    "ဥပဒေပုဒ်မ",
    "ကြားနာမှု",
    "သဘောတူညီချက်",
    "အရေးပေါ်",
    "ပြန်လည်ပေါင်းစည်းရေး",
    "စိတ်ဓာတ်ကျ",
    "ခိုးယူသွားသည်",
    "လျှော်ကြေးငွေ",
    "ဆွေမျိုးများ",
    "မုဒိမ်းမှု",
    "အန္တရာယ်ကင်းရှင်းရေး",
    "သတင်းပို့ချက်",
    "ဗဟိုဌာန",
    "ကုန်သည်",
};

// Acceptance (§5.4): held-out strings land on the correct side of both
// thresholds. A bigram model trained on locale data alone does not get
// every string right; the test fixes the floor of the accuracy and, above
// all, that no Unicode string is ever scored as Zawgyi (it would be
// corrupted by conversion), while a missed Zawgyi string at worst stays
// unconverted or is flagged for review.
TEST(ZawgyiHeldOutTest, AccuracyAndUnicodeNeverConverted) {
  const ZawgyiDetector& detector = ZawgyiDetector::Default();
  int compared = 0;
  int correct = 0;
  int identical = 0;
  for (const char* unicode : kHeldOut) {
    const std::string zawgyi = ToZawgyi(unicode);
    // Text whose Zawgyi and Unicode forms are the same bytes cannot be told
    // apart by anyone; both readings are right, so it is not scored.
    if (zawgyi == unicode) {
      ++identical;
      continue;
    }
    ++compared;
    const double p_zawgyi = detector.Probability(zawgyi);
    const double p_unicode = detector.Probability(unicode);
    EXPECT_LT(p_unicode, kZawgyiConvertAt) << unicode;
    const bool ok = Side(p_zawgyi) == 1 && Side(p_unicode) == -1;
    if (ok) {
      ++correct;
    } else {
      std::printf("held-out miss: %s  P(Z|zawgyi)=%.6g  P(Z|unicode)=%.6g\n",
                  unicode, p_zawgyi, p_unicode);
    }
  }
  std::printf("held-out: %d of %d correct (%.1f%%), %d identical in both\n",
              correct, compared, 100.0 * correct / compared, identical);
  EXPECT_GE(compared, 80);
  EXPECT_GE(correct, compared * 95 / 100);
}

TEST(ZawgyiDetectorTest, NoMyanmarOrInvalidUtf8ScoresZero) {
  const ZawgyiDetector& detector = ZawgyiDetector::Default();
  EXPECT_EQ(detector.Probability(""), 0);
  EXPECT_EQ(detector.Probability("May San Thap"), 0);
  EXPECT_EQ(detector.Probability("测试花"), 0);
  // Myanmar Extended-A is outside the modelled block (§5.3).
  EXPECT_EQ(detector.Probability("\xEA\xA9\xA0"), 0);  // U+AA60
  EXPECT_EQ(detector.Probability("\xE1\x80"), 0);      // truncated U+1000
  EXPECT_EQ(detector.Probability(std::string("\xE1\x80\x80\xFF", 4)), 0);
}

TEST(ZawgyiDetectorTest, NonMyanmarTextAroundBurmeseDoesNotChangeTheScore) {
  const ZawgyiDetector& detector = ZawgyiDetector::Default();
  for (const std::string burmese :
       {"မေစမ်းသပ်", "ေမစမ္းသပ္", "ကလေးသည် မိသားစုထံ ပြန်လိုသည်။"}) {
    SCOPED_TRACE(burmese);
    const double alone = detector.Probability(burmese);
    EXPECT_DOUBLE_EQ(detector.Probability("Name: " + burmese + " (2026)"),
                     alone);
    EXPECT_DOUBLE_EQ(detector.Probability("测试 " + burmese + "\n"), alone);
  }
}

TEST(ZawgyiDetectorTest, UnseenTransitionsGiveAProbabilityStrictlyInside) {
  const ZawgyiDetector& detector = ZawgyiDetector::Default();
  // U+109E U+109F U+109E: Shan symbols no Burmese training text contains.
  const double p = detector.Probability("\xE1\x82\x9E\xE1\x82\x9F\xE1\x82\x9E");
  EXPECT_GT(p, 0);
  EXPECT_LT(p, 1);
  EXPECT_FALSE(std::isnan(p));
  // A lone consonant reads the same in both encodings: neither verdict.
  const double ka = detector.Probability("က");
  EXPECT_GT(ka, kZawgyiUnicodeAt);
  EXPECT_LT(ka, kZawgyiConvertAt);
}

TEST(ZawgyiDetectorTest, ModelVersionIsTheHexSha256OfThePinnedModel) {
  const std::string& version = ZawgyiDetector::Default().model_version();
  ASSERT_EQ(version.size(), 64u);
  for (char ch : version) {
    EXPECT_TRUE((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')) << ch;
  }
  EXPECT_EQ(&ZawgyiDetector::Default(), &ZawgyiDetector::Default());
  std::printf("model_version %s\n", version.c_str());
}

TEST(HasMyanmarCodePointTest, OnlyTheMyanmarBlockMakesACandidate) {
  EXPECT_FALSE(HasMyanmarCodePoint(""));
  EXPECT_FALSE(HasMyanmarCodePoint("E00000001"));
  EXPECT_FALSE(HasMyanmarCodePoint("P<CHNCESHI<<HUA<<<<"));
  EXPECT_FALSE(HasMyanmarCodePoint("\xEA\xA9\xA0"));  // U+AA60, Extended-A
  EXPECT_TRUE(HasMyanmarCodePoint("\xE1\x80\x80"));   // U+1000
  EXPECT_TRUE(HasMyanmarCodePoint("\xE1\x82\x9F"));   // U+109F
  EXPECT_TRUE(HasMyanmarCodePoint("Muse မူဆယ်"));
  EXPECT_FALSE(HasMyanmarCodePoint(std::string("\xE1\x80\x80\xC0", 4)));
}

TEST(ZawgyiToUnicodeTest, InvalidUtf8IsInvalidArgument) {
  const absl::StatusOr<std::string> out =
      ZawgyiToUnicode(std::string("\xE1\x80\x80\xFF", 4));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

// Why §5.5 forbids converting text the detector did not select.
TEST(ZawgyiToUnicodeTest, CorruptsUnicodeSoItMustOnlyBeGivenZawgyi) {
  const absl::StatusOr<std::string> out = ZawgyiToUnicode("မြန်မာ");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_NE(*out, "မြန်မာ");
}

TEST(ZawgyiToUnicodeTest, LatinAndEmptyPassThrough) {
  EXPECT_EQ(ZawgyiToUnicode("").value(), "");
  EXPECT_EQ(ZawgyiToUnicode("Muse, 20 March").value(), "Muse, 20 March");
}

TEST(ZawgyiToUnicodeTest, ConcurrentCallsAgree) {
  const std::string zawgyi = "ကေလးသည္ မိသားစုထံ ျပန္လိုသည္။";
  const std::string want = "ကလေးသည် မိသားစုထံ ပြန်လိုသည်။";
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 50; ++n) {
        absl::StatusOr<std::string> out = ZawgyiToUnicode(zawgyi);
        got[i] = out.ok() ? *out : "error";
        if (got[i] != want) return;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& g : got) EXPECT_EQ(g, want);
}

}  // namespace
}  // namespace gw::text
