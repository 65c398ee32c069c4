// tests/unit/adapters/th_rtp/th_text_test.cc
//
// TH-RTP.md §5.3 (field conversion and truncation), §5.4 (texts in NR
// parts) and §5.5 (name slots, NAME_FLAG, TRUNCATED), through ICU's
// converter via adapters/text.
#include "adapters/th_rtp/th_text.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/th_rtp/records.h"
#include "gtest/gtest.h"

namespace gw::th_rtp {
namespace {

constexpr char kMalee[] = "\xC1\xD2\xC5\xD5";  // มาลี in TIS-620

ConvertedField Convert(absl::string_view utf8, size_t width,
                       FieldCharset charset = FieldCharset::kThai) {
  absl::StatusOr<ConvertedField> f = ConvertField(utf8, width, charset);
  EXPECT_TRUE(f.ok()) << f.status();
  return f.ok() ? *f : ConvertedField{};
}

void ExpectPermitted(absl::string_view bytes) {
  for (char c : bytes) {
    EXPECT_TRUE(IsThaiFieldByte(static_cast<unsigned char>(c)))
        << "byte 0x" << absl::StrCat(absl::Hex(static_cast<unsigned char>(c)));
  }
}

TEST(ThTextTest, ThaiAndAsciiPassUnchanged) {
  ConvertedField f = Convert("มาลี ทดสอบ", 120);
  EXPECT_EQ(f.bytes, absl::StrCat(kMalee, " \xB7\xB4\xCA\xCD\xBA"));
  EXPECT_FALSE(f.altered);
  EXPECT_FALSE(f.truncated);
}

TEST(ThTextTest, DiacriticsAndTypographyFoldToAscii) {
  ConvertedField f = Convert("Nguyễn Văn “An” – café, Straße", 120);
  EXPECT_EQ(f.bytes, "Nguyen Van \"An\" - cafe, Strasse");
  EXPECT_TRUE(f.altered);
  // NFD input is normalised first (step 1), which alone changes nothing.
  ConvertedField nfd = Convert("cafe\xCC\x81", 120);
  EXPECT_EQ(nfd.bytes, "cafe");
  EXPECT_TRUE(nfd.altered);  // the fold of é is a step 3 change
}

TEST(ThTextTest, ControlCharactersAreReplacedOrRemoved) {
  ConvertedField f = Convert(
      "a\tb\r\nc\rd\ne\x01"
      "f\xC2\x85g",
      120);
  EXPECT_EQ(f.bytes,
            "a b c d ef"
            "g");
  EXPECT_TRUE(f.altered);
}

TEST(ThTextTest, WhatCannotBeFoldedBecomesAQuestionMark) {
  ConvertedField f = Convert("测试 €5", 120);
  EXPECT_EQ(f.bytes, "?? ?5");
  EXPECT_TRUE(f.altered);
}

TEST(ThTextTest, WindowsExtrasOfTheConverterNeverAppear) {
  // ICU's windows-874-2000 maps these to 80-A0; §5.1 forbids those bytes.
  ConvertedField f = Convert("x\xE2\x80\xA6y\xC2\xA0z\xE2\x80\x9C", 120);
  EXPECT_EQ(f.bytes, "x...y z\"");
  ExpectPermitted(f.bytes);
}

TEST(ThTextTest, LeadingAndTrailingWhiteSpaceIsTrimmedSilently) {
  ConvertedField f = Convert("  Jinghong  ", 120);
  EXPECT_EQ(f.bytes, "Jinghong");
  EXPECT_FALSE(f.altered);
}

TEST(ThTextTest, LatinSlotHoldsAsciiOnly) {
  ConvertedField f = Convert("Malee มาลี", 60, FieldCharset::kLatin);
  EXPECT_EQ(f.bytes, "Malee ????");
  EXPECT_TRUE(f.altered);
}

TEST(ThTextTest, TruncationNeverSplitsASyllableFromItsMarks) {
  // ทดสอบน้ำ: ... B9 (น) E9 (mai tho, a mark) D3 (sara am, not a mark).
  ConvertedField f = Convert("ทดสอบน้ำ", 6);
  EXPECT_EQ(f.bytes, "\xB7\xB4\xCA\xCD\xBA");  // น and its mark dropped
  EXPECT_TRUE(f.truncated);
  // A cut that falls after the mark keeps them together.
  ConvertedField g = Convert("ทดสอบน้ำ", 7);
  EXPECT_EQ(g.bytes, "\xB7\xB4\xCA\xCD\xBA\xB9\xE9");
  // Stacked marks (กั้: A1 D1 E9): the whole cluster goes.
  ConvertedField h = Convert("ขกั้", 3);
  EXPECT_EQ(h.bytes, "\xA2");
}

TEST(ThTextTest, TruncationAtEveryWidthOfAThaiSentence) {
  const std::string sentence =
      "เด็กหญิงอายุสิบสี่ปีเดินทางออกจากเชียงรุ่งพร้อมชายผู้ใหญ่คนหนึ่ง";
  const ConvertedField full = Convert(sentence, 1000);
  ASSERT_FALSE(full.truncated);
  for (size_t width = 1; width < full.bytes.size(); ++width) {
    const ConvertedField cut = Convert(sentence, width);
    ASSERT_TRUE(cut.truncated) << width;
    ASSERT_LE(cut.bytes.size(), width) << width;
    ASSERT_EQ(full.bytes.compare(0, cut.bytes.size(), cut.bytes), 0) << width;
    // The first byte dropped is never a mark of the last byte kept.
    EXPECT_FALSE(IsThaiCombiningByte(
        static_cast<unsigned char>(full.bytes[cut.bytes.size()])))
        << width;
  }
}

TEST(ThTextTest, LatinSlotIsAPlainCut) {
  ConvertedField f = Convert(std::string(70, 'A'), 60, FieldCharset::kLatin);
  EXPECT_EQ(f.bytes, std::string(60, 'A'));
  EXPECT_TRUE(f.truncated);
  EXPECT_FALSE(f.altered);
}

gw::v1::LanguageText Lang(absl::string_view lang, absl::string_view text) {
  gw::v1::LanguageText t;
  t.set_lang(std::string(lang));
  t.set_text(std::string(text));
  return t;
}

TEST(ThTextTest, TextsAreSentWholeOrNotAtAll) {
  google::protobuf::RepeatedPtrField<gw::v1::LanguageText> texts;
  *texts.Add() = Lang("zh", "虚构测试记录。");
  *texts.Add() = Lang("en", "Fictional.\nSecond line.");
  *texts.Add() = Lang("th", "ทดสอบ");
  *texts.Add() = Lang("vi", "Kiểm Thử");
  *texts.Add() = Lang("km", "សាកល្បង");
  absl::StatusOr<EncodedTexts> out = EncodeTexts(texts);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->omitted, 2);  // Chinese and Khmer
  EXPECT_TRUE(out->altered);
  ASSERT_EQ(out->sent.size(), 3u);
  EXPECT_EQ(out->sent[0].lang, "en");
  ASSERT_EQ(out->sent[0].parts.size(), 1u);
  EXPECT_EQ(out->sent[0].parts[0], "Fictional.\nSecond line.");  // LF kept
  EXPECT_EQ(out->sent[1].parts[0], "\xB7\xB4\xCA\xCD\xBA");
  EXPECT_EQ(out->sent[2].parts[0], "Kiem Thu");  // Vietnamese folded
}

TEST(ThTextTest, EnglishAndThaiTextsAloneLeaveTextSubstN) {
  google::protobuf::RepeatedPtrField<gw::v1::LanguageText> texts;
  *texts.Add() = Lang("en", "Plain English.");
  *texts.Add() = Lang("th", "ภาษาไทย");
  absl::StatusOr<EncodedTexts> out = EncodeTexts(texts);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->omitted, 0);
  EXPECT_FALSE(out->altered);
}

// NR records for `parts`, as a writer pads them, and their TEXT fields.
std::vector<std::string> TextFields(const std::vector<std::string>& parts) {
  std::vector<std::string> fields;
  for (const std::string& part : parts) {
    RecordWriter w(RecordType::kNR);
    w.Set("TEXT", part);
    absl::StatusOr<std::string> record = std::move(w).Finish();
    EXPECT_TRUE(record.ok());
    fields.emplace_back(
        RecordView(Spec(RecordType::kNR), *record, 1).Raw("TEXT"));
  }
  return fields;
}

TEST(ThTextTest, SplitAtExactly1000BytesKeepsATrailingSpace) {
  // Byte 1000 of the text is a space: it ends part 1 and is text, not
  // padding.
  const std::string text = std::string(999, 'a') + " b";
  google::protobuf::RepeatedPtrField<gw::v1::LanguageText> texts;
  *texts.Add() = Lang("en", text);
  absl::StatusOr<EncodedTexts> out = EncodeTexts(texts);
  ASSERT_TRUE(out.ok());
  const std::vector<std::string>& parts = out->sent[0].parts;
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].size(), 1000u);
  EXPECT_EQ(parts[0].back(), ' ');
  EXPECT_EQ(parts[1], "b");

  const std::vector<std::string> fields = TextFields(parts);
  EXPECT_EQ(fields[1], "b" + std::string(999, ' '));  // only the last padded
  std::vector<absl::string_view> views(fields.begin(), fields.end());
  absl::StatusOr<std::string> joined = JoinTextParts(views);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(*joined, text);
}

TEST(ThTextTest, SplitMayFallInsideAThaiSyllable) {
  // 999 ASCII bytes, then น้ำ: the mark E9 opens part 2; joining restores it.
  const std::string text = std::string(999, 'x') + "น้ำ";
  google::protobuf::RepeatedPtrField<gw::v1::LanguageText> texts;
  *texts.Add() = Lang("th", text);
  absl::StatusOr<EncodedTexts> out = EncodeTexts(texts);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->sent[0].parts.size(), 2u);
  EXPECT_EQ(out->sent[0].parts[1], "\xE9\xD3");
  const std::vector<std::string> fields = TextFields(out->sent[0].parts);
  std::vector<absl::string_view> views(fields.begin(), fields.end());
  EXPECT_EQ(*JoinTextParts(views), text);
}

TEST(ThTextTest, ExactMultiplesOf1000Bytes) {
  EXPECT_EQ(SplitTextParts(std::string(1000, 'a')).size(), 1u);
  EXPECT_EQ(SplitTextParts(std::string(2000, 'a')).size(), 2u);
  EXPECT_EQ(SplitTextParts(std::string(2001, 'a')).size(), 3u);
}

gw::v1::PersonName Entry(absl::string_view script, absl::string_view family,
                         absl::string_view given, absl::string_view full) {
  gw::v1::PersonName n;
  n.set_script(std::string(script));
  n.set_family(std::string(family));
  n.set_given(std::string(given));
  n.set_full(std::string(full));
  return n;
}

NameSlots Names(std::vector<gw::v1::PersonName> entries) {
  google::protobuf::RepeatedPtrField<gw::v1::PersonName> names;
  for (auto& e : entries) *names.Add() = std::move(e);
  absl::StatusOr<NameSlots> slots = EncodeNames(names);
  EXPECT_TRUE(slots.ok()) << slots.status();
  return slots.ok() ? *slots : NameSlots{};
}

TEST(ThTextTest, NameFlagNAllEntriesSentUnchanged) {
  NameSlots s = Names({Entry("Thai", "ทดสอบ", "มาลี", "มาลี ทดสอบ"),
                       Entry("Latn", "THOTSOP", "Malee", "Malee THOTSOP")});
  EXPECT_EQ(s.flag, 'N');
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(s.th_given.bytes, kMalee);
  EXPECT_EQ(s.latn_full.bytes, "Malee THOTSOP");
}

TEST(ThTextTest, NameFlagFDiacriticsFolded) {
  NameSlots s = Names({Entry("Latn", "Nguyễn", "Văn An", "")});
  EXPECT_EQ(s.flag, 'F');
  EXPECT_EQ(s.latn_family.bytes, "Nguyen");
  EXPECT_EQ(s.latn_given.bytes, "Van An");
  EXPECT_EQ(s.latn_full.bytes, "");  // no canonical full: left blank
}

TEST(ThTextTest, NameFlagROriginatorsRomanizationSent) {
  NameSlots s = Names({Entry("Hani", "测试", "强", "测试强"),
                       Entry("Latn", "CESHI", "Qiang", "CESHI Qiang")});
  EXPECT_EQ(s.flag, 'R');
  EXPECT_EQ(s.latn_family.bytes, "CESHI");
  EXPECT_EQ(s.th_full.bytes, "");
  // A second entry of the same script is not sent either.
  NameSlots two =
      Names({Entry("Latn", "A", "B", ""), Entry("Latn", "C", "D", "")});
  EXPECT_EQ(two.flag, 'R');
}

TEST(ThTextTest, NameFlagTLatinSlotGenerated) {
  NameSlots s = Names({Entry("Hani", "测试", "强", "测试强")});
  EXPECT_EQ(s.flag, 'T');
  EXPECT_EQ(s.latn_family.bytes, "ce shi");
  EXPECT_EQ(s.latn_given.bytes, "qiang");
  EXPECT_EQ(s.latn_full.bytes, "ce shi qiang");
}

TEST(ThTextTest, NameFlagUNothingRepresentable) {
  // ICU 72 has no Khmer-Latin transform: the generated slot stays blank.
  NameSlots s = Names({Entry("Khmr", "សាកល្បង", "សុខ", "")});
  EXPECT_EQ(s.flag, 'U');
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(s.latn_family.bytes, "");
  EXPECT_EQ(Names({}).flag, 'U');
}

TEST(ThTextTest, TruncatedNamesAreFlagged) {
  NameSlots s = Names({Entry("Latn", "X", std::string(61, 'a'), "")});
  EXPECT_EQ(s.flag, 'N');
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(s.latn_given.bytes.size(), 60u);
}

TEST(ThTextTest, DecodeRefusesBytesOutsideThePermittedSet) {
  EXPECT_EQ(*DecodeField("\xC1\xD2\xC5\xD5   "), "มาลี");
  EXPECT_FALSE(DecodeField("a\x80").ok());  // € in windows-874
  EXPECT_FALSE(DecodeField("a\xDB").ok());  // ICU private use
  EXPECT_FALSE(DecodeField("a\nb").ok());   // LF outside NR.TEXT
  EXPECT_EQ(*DecodeField("a\nb", /*allow_lf=*/true), "a\nb");
}

}  // namespace
}  // namespace gw::th_rtp
