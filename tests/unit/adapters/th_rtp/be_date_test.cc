// tests/unit/adapters/th_rtp/be_date_test.cc
//
// Buddhist Era dates and timestamps (TH-RTP.md §5.6).
#include "adapters/th_rtp/be_date.h"

#include "gtest/gtest.h"
#include "tests/unit/adapters/th_rtp/th_rtp_examples.h"

namespace gw::th_rtp {
namespace {

using testing::Utc;

TEST(BeDateTest, TimestampIsThaiTimeInBuddhistEra) {
  // The ICD's own example.
  EXPECT_EQ(*FormatBeTimestamp(Utc("2026-03-14T02:30:00Z")), "25690314093000");
  // Fractions of a second are truncated, not rounded.
  EXPECT_EQ(*FormatBeTimestamp(Utc("2026-03-14T02:30:00.999Z")),
            "25690314093000");
  // +7 h crosses midnight and the year.
  EXPECT_EQ(*FormatBeTimestamp(Utc("2025-12-31T17:00:00Z")), "25690101000000");
  EXPECT_EQ(*FormatBeTimestamp(Utc("2025-12-31T16:59:59Z")), "25681231235959");
}

TEST(BeDateTest, TimestampParsesBack) {
  auto t = ParseBeTimestamp("25690314093000");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ(**t, Utc("2026-03-14T02:30:00Z"));
  auto midnight = ParseBeTimestamp("25690101000000");
  ASSERT_TRUE(midnight.ok());
  EXPECT_EQ(**midnight, Utc("2025-12-31T17:00:00Z"));
  auto blank = ParseBeTimestamp("00000000000000");
  ASSERT_TRUE(blank.ok());
  EXPECT_FALSE(blank->has_value());
}

TEST(BeDateTest, TimestampRefusesImpossibleValues) {
  EXPECT_FALSE(ParseBeTimestamp("25690230093000").ok());  // 30 February
  EXPECT_FALSE(ParseBeTimestamp("25690314243000").ok());  // hour 24
  EXPECT_FALSE(ParseBeTimestamp("25690314096000").ok());  // minute 60
  EXPECT_FALSE(ParseBeTimestamp("25690314093060").ok());  // second 60
  EXPECT_FALSE(ParseBeTimestamp("2569031409300 ").ok());  // a space
  EXPECT_FALSE(ParseBeTimestamp("2569031409300").ok());   // 13 digits
  EXPECT_FALSE(ParseBeTimestamp("25690000000000").ok());  // partial
}

TEST(BeDateTest, PartialDatesOfBirth) {
  EXPECT_EQ(*FormatBeDate("2011", true), "25540000");
  EXPECT_EQ(*FormatBeDate("2011-08", true), "25540800");
  EXPECT_EQ(*FormatBeDate("2011-08-05", true), "25540805");
  EXPECT_EQ(*FormatBeDate("", true), "00000000");
  EXPECT_EQ(*ParseBeDate("25540000", true), "2011");
  EXPECT_EQ(*ParseBeDate("25540800", true), "2011-08");
  EXPECT_EQ(*ParseBeDate("25540805", true), "2011-08-05");
  EXPECT_EQ(*ParseBeDate("00000000", true), "");
  EXPECT_EQ(*ParseBeDate("25290000", true), "1986");
}

TEST(BeDateTest, PartialDatesOnlyWhereAllowed) {
  EXPECT_FALSE(FormatBeDate("2011", false).ok());
  EXPECT_FALSE(FormatBeDate("2011-08", false).ok());
  EXPECT_FALSE(ParseBeDate("25540000", false).ok());
  EXPECT_FALSE(ParseBeDate("25540800", false).ok());
  EXPECT_EQ(*ParseBeDate("00000000", false), "");  // blank is not partial
  // A known day with an unknown month is never valid.
  EXPECT_FALSE(ParseBeDate("25540005", true).ok());
  // An unknown year with a known month.
  EXPECT_FALSE(ParseBeDate("00000800", true).ok());
}

TEST(BeDateTest, FullDatesAreCalendarDatesInTheCommonEra) {
  // 2555 B.E. = 2012, a leap year; 2554 B.E. = 2011 is not.
  EXPECT_EQ(*ParseBeDate("25550229", false), "2012-02-29");
  EXPECT_FALSE(ParseBeDate("25540229", false).ok());
  EXPECT_FALSE(ParseBeDate("25541301", false).ok());
  EXPECT_FALSE(ParseBeDate("2554 805", true).ok());
  EXPECT_FALSE(FormatBeDate("2011-02-29", false).ok());
  EXPECT_FALSE(FormatBeDate("2011-8-5", true).ok());
  EXPECT_FALSE(FormatBeDate("20110805", true).ok());
  EXPECT_EQ(*FormatBeDate("2029-07-31", false), "25720731");
}

}  // namespace
}  // namespace gw::th_rtp
