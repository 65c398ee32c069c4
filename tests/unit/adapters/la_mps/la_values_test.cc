// tests/unit/adapters/la_mps/la_values_test.cc
//
// LA-MPS value formats (LA-MPS.md §3.3, §5.3): dates, partial dates of
// birth, Lao-time timestamps, base64, codes and text rules.
#include "adapters/la_mps/la_values.h"

#include <string>

#include "absl/time/time.h"
#include "gateway/util/uuid.h"
#include "gtest/gtest.h"

namespace gw::la_mps {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

TEST(LaValuesTest, DatesAreDayMonthYear) {
  EXPECT_EQ(*IsoDateToLa("2011-08-05"), "05/08/2011");
  EXPECT_EQ(*LaDateToIso("05/08/2011"), "2011-08-05");
  EXPECT_EQ(*LaDateToIso("29/02/2024"), "2024-02-29");
  EXPECT_FALSE(LaDateToIso("31/02/2026").ok());
  EXPECT_FALSE(LaDateToIso("29/02/2026").ok());
  EXPECT_FALSE(LaDateToIso("00/03/2026").ok());
  EXPECT_FALSE(LaDateToIso("5/8/2011").ok());
  EXPECT_FALSE(LaDateToIso("05-08-2011").ok());
  EXPECT_FALSE(LaDateToIso("05/08/11").ok());
  EXPECT_FALSE(LaDateToIso("\xE0\xBB\x90"
                           "5/08/2011")
                   .ok());  // Lao digit
  EXPECT_FALSE(IsoDateToLa("2026-02-31").ok());
  EXPECT_FALSE(IsoDateToLa("2026-2-3").ok());
}

TEST(LaValuesTest, PartialDatesOfBirth) {
  EXPECT_EQ(*LaPartialDateToIso("05/08/2011"), "2011-08-05");
  EXPECT_EQ(*LaPartialDateToIso("00/08/2011"), "2011-08");
  EXPECT_EQ(*LaPartialDateToIso("00/00/2011"), "2011");
  EXPECT_FALSE(LaPartialDateToIso("05/00/2011").ok());  // DD/00/YYYY
  EXPECT_FALSE(LaPartialDateToIso("31/02/2026").ok());
  EXPECT_FALSE(LaPartialDateToIso("00/13/2011").ok());
  EXPECT_FALSE(LaPartialDateToIso("00/00/0000").ok());
  EXPECT_EQ(*IsoPartialDateToLa("2011-08-05"), "05/08/2011");
  EXPECT_EQ(*IsoPartialDateToLa("2011-08"), "00/08/2011");
  EXPECT_EQ(*IsoPartialDateToLa("2011"), "00/00/2011");
  EXPECT_FALSE(IsoPartialDateToLa("2011-13").ok());
  EXPECT_FALSE(IsoPartialDateToLa("2011-02-30").ok());
  EXPECT_FALSE(IsoPartialDateToLa("11").ok());
}

TEST(LaValuesTest, TimestampsAreLaoTimePlusSevenHours) {
  // The ICD's example (§5.3).
  EXPECT_EQ(*TimeToLa(Utc(2026, 3, 14, 2, 30, 0)), "14/03/2026 09:30:00+07:00");
  EXPECT_EQ(*LaToTime("14/03/2026 09:30:00+07:00"), Utc(2026, 3, 14, 2, 30, 0));
  // Across midnight and a year end.
  EXPECT_EQ(*TimeToLa(Utc(2025, 12, 31, 20, 0, 1)),
            "01/01/2026 03:00:01+07:00");
  EXPECT_EQ(*LaToTime("01/01/2026 03:00:01+07:00"),
            Utc(2025, 12, 31, 20, 0, 1));
  // Sub-seconds are dropped, so the same time always gives the same text.
  EXPECT_EQ(*TimeToLa(Utc(2026, 3, 14, 2, 30, 0) + absl::Milliseconds(999)),
            "14/03/2026 09:30:00+07:00");
}

TEST(LaValuesTest, TimestampsRefuseOtherForms) {
  for (const char* bad : {
           "14/03/2026 09:30:00",         // no offset
           "14/03/2026 09:30:00+00:00",   // other offset
           "14/03/2026 09:30:00Z",        //
           "14/03/2026T09:30:00+07:00",   //
           "14/03/2026 24:00:00+07:00",   // hour 24
           "14/03/2026 09:60:00+07:00",   //
           "14/03/2026 09:30:60+07:00",   // no leap seconds
           "31/02/2026 09:30:00+07:00",   // not a date
           "14/03/2026 9:30:00+07:00",    //
           "14/03/2026 09:30:00.5+07:00"  // whole seconds
       }) {
    EXPECT_FALSE(LaToTime(bad).ok()) << bad;
  }
}

TEST(LaValuesTest, Base64IsStrictRfc4648WithPadding) {
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(*Base64DecodeStrict("YWI="), "ab");
  EXPECT_EQ(*Base64DecodeStrict("YWJj"), "abc");
  EXPECT_FALSE(Base64DecodeStrict("YWI").ok());    // padding missing
  EXPECT_FALSE(Base64DecodeStrict("YWJ=").ok());   // unused bits set
  EXPECT_FALSE(Base64DecodeStrict("YW=I").ok());   // padding inside
  EXPECT_FALSE(Base64DecodeStrict("YW_-").ok());   // URL-safe alphabet
  EXPECT_FALSE(Base64DecodeStrict("YW I=").ok());  // white space
  EXPECT_FALSE(Base64DecodeStrict("").ok());
}

TEST(LaValuesTest, CodesAndIdentifiers) {
  EXPECT_TRUE(IsCode("MISSING_PERSON"));
  EXPECT_TRUE(IsCode("H2"));
  EXPECT_FALSE(IsCode("missing_person"));
  EXPECT_FALSE(IsCode("2H"));
  EXPECT_TRUE(IsAgencyCode("LA-MPS"));
  EXPECT_TRUE(IsAgencyCode("CN-MPSABCD"));
  EXPECT_FALSE(IsAgencyCode("LA-M"));
  EXPECT_FALSE(IsAgencyCode("LA-MPSABCDE"));
  EXPECT_FALSE(IsAgencyCode("la-mps"));
  EXPECT_TRUE(IsIdentifier("CN-YN-XSBN-2026-0042"));
  EXPECT_TRUE(IsIdentifier("a:b/c.d_e"));
  EXPECT_TRUE(IsIdentifier(std::string(64, 'x')));
  EXPECT_FALSE(IsIdentifier(std::string(65, 'x')));
  EXPECT_FALSE(IsIdentifier("-leading"));
  EXPECT_FALSE(IsIdentifier("with space"));
  EXPECT_TRUE(IsScriptCode("Laoo"));
  EXPECT_FALSE(IsScriptCode("LAOO"));
  EXPECT_TRUE(IsLanguageTag("lo"));
  EXPECT_TRUE(IsLanguageTag("zh-Hans"));
  EXPECT_FALSE(IsLanguageTag("l"));
  EXPECT_FALSE(IsLanguageTag("en-"));
  EXPECT_TRUE(IsMrzLine("P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"));
  EXPECT_FALSE(IsMrzLine("P<CHN"));
  EXPECT_TRUE(util::IsLowercaseUuid("3a0fe15e-fed5-5450-b663-cde8d7c5afc1"));
  EXPECT_FALSE(util::IsLowercaseUuid("3A0FE15E-FED5-5450-B663-CDE8D7C5AFC1"));
  EXPECT_TRUE(IsMediaType("image/jpeg"));
  EXPECT_TRUE(IsMediaType("text/plain; charset=utf-8"));
  EXPECT_FALSE(IsMediaType("jpeg"));
}

TEST(LaValuesTest, IntegersHaveNoSignOrLeadingZeros) {
  EXPECT_EQ(*ParseInteger("14", 100), 14u);
  EXPECT_EQ(*ParseInteger("0", 100), 0u);
  EXPECT_FALSE(ParseInteger("014", 100).ok());
  EXPECT_FALSE(ParseInteger("+14", 100).ok());
  EXPECT_FALSE(ParseInteger("101", 100).ok());
  EXPECT_FALSE(ParseInteger("", 100).ok());
}

TEST(LaValuesTest, TextRules) {
  EXPECT_TRUE(CheckText("ມະລິ ທົດລອງ", 100, false).ok());
  EXPECT_TRUE(CheckText("line one\nline two", 100, true).ok());
  EXPECT_FALSE(CheckText("line one\nline two", 100, false).ok());
  EXPECT_FALSE(CheckText(" leading", 100, false).ok());
  EXPECT_FALSE(CheckText("trailing\xE3\x80\x80", 100, false).ok());  // U+3000
  EXPECT_FALSE(CheckText("tab\there", 100, true).ok());
  EXPECT_FALSE(CheckText("", 100, false).ok());
  // Characters, not bytes: 3 Lao characters are 9 bytes.
  EXPECT_TRUE(CheckText("ມະລ", 3, false).ok());
  EXPECT_FALSE(CheckText("ມະລິ", 3, false).ok());
  EXPECT_EQ(CleanText("  a\r\nb\rc \n"), "a\nb\nc");
  EXPECT_EQ(CleanText("\xC2\xA0x\xC2\xA0"), "x");  // NBSP
}

}  // namespace
}  // namespace gw::la_mps
