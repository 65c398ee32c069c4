// Tests of the single-field checks every payload validator relies on
// (gateway/ingest/field_checks.h): partial dates and their day ranges, ISO
// codes, language tags, client ids, timestamps and text sizes.
#include "gateway/ingest/field_checks.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace gw::ingest {
namespace {

// The fixed "today" of these tests: 2026-11-15 10:00:00 UTC.
const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 15, 10, 0, 0), absl::UTCTimeZone());

// The field path of an error message "<path>: <reason>".
std::string FieldOf(const absl::Status& status) {
  const std::string message(status.message());
  return message.substr(0, message.find(": "));
}

struct PredicateCase {
  std::string input;
  bool want;
};

TEST(FieldChecksTest, IsPartialDate) {
  const std::vector<PredicateCase> cases = {
      {"2011", true},
      {"1900", true},
      {"1899", false},
      {"2011-01", true},
      {"2011-12", true},
      {"2011-13", false},
      {"2011-00", false},
      {"2011-1", false},
      {"201", false},
      {"20111", false},
      {"", false},
      {"2011-02-28", true},
      {"2011-02-29", false},
      {"2012-02-29", true},
      {"2000-02-29", true},
      {"1900-02-29", false},
      {"2011-04-31", false},
      {"2011-12-31", true},
      {"2011-12-32", false},
      {"2011-01-00", false},
      {"2011-01-1", false},
      {"2011-1-01", false},
      {"2011-01-01-", false},
      {"2011-01-01-01", false},
      {"2011-", false},
      {"-2011", false},
      {"20a1", false},
      {"2011/01", false},
      {"+011", false},
      {"2011-0a", false},
      {" 2011", false},
      {"9999-12-31", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.input, "\""));
    EXPECT_EQ(IsPartialDate(c.input), c.want);
  }
}

TEST(FieldChecksTest, IsIsoDateWantsAFullDate) {
  const std::vector<PredicateCase> cases = {
      {"2012-02-29", true}, {"2011-02-29", false},    {"2011-02", false},
      {"2011", false},      {"1899-12-31", false},    {"2011-13-01", false},
      {"", false},          {"2011-01-01T00", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.input, "\""));
    EXPECT_EQ(IsIsoDate(c.input), c.want);
  }
}

TEST(FieldChecksTest, EarliestAndLatestDay) {
  struct Case {
    std::string date;
    absl::CivilDay earliest;
    absl::CivilDay latest;
  };
  const std::vector<Case> cases = {
      {"2011", absl::CivilDay(2011, 1, 1), absl::CivilDay(2011, 12, 31)},
      {"1900", absl::CivilDay(1900, 1, 1), absl::CivilDay(1900, 12, 31)},
      {"2011-01", absl::CivilDay(2011, 1, 1), absl::CivilDay(2011, 1, 31)},
      {"2011-02", absl::CivilDay(2011, 2, 1), absl::CivilDay(2011, 2, 28)},
      {"2012-02", absl::CivilDay(2012, 2, 1), absl::CivilDay(2012, 2, 29)},
      {"2000-02", absl::CivilDay(2000, 2, 1), absl::CivilDay(2000, 2, 29)},
      {"1900-02", absl::CivilDay(1900, 2, 1), absl::CivilDay(1900, 2, 28)},
      {"2011-04", absl::CivilDay(2011, 4, 1), absl::CivilDay(2011, 4, 30)},
      {"2011-12", absl::CivilDay(2011, 12, 1), absl::CivilDay(2011, 12, 31)},
      {"2012-02-29", absl::CivilDay(2012, 2, 29), absl::CivilDay(2012, 2, 29)},
      {"2011-12-31", absl::CivilDay(2011, 12, 31),
       absl::CivilDay(2011, 12, 31)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.date);
    ASSERT_TRUE(IsPartialDate(c.date));
    EXPECT_EQ(EarliestDay(c.date), c.earliest);
    EXPECT_EQ(LatestDay(c.date), c.latest);
  }
}

TEST(FieldChecksTest, CheckPartialDateRefusesMalformedAndFutureDates) {
  struct Case {
    std::string date;
    bool ok;
    std::string reason_part;  // for errors
  };
  // kNow is 2026-11-15: a partial date is in the future only if even its
  // earliest day is after today.
  const std::vector<Case> cases = {
      {"2026", true, ""},
      {"2026-11", true, ""},
      {"2026-11-15", true, ""},
      {"2026-11-16", false, "in the future"},
      {"2026-12", false, "in the future"},
      {"2027", false, "in the future"},
      {"1900-01-01", true, ""},
      {"1899-12-31", false, "partial ISO date"},
      {"2011-02-29", false, "partial ISO date"},
      {"", false, "partial ISO date"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.date, "\""));
    const absl::Status status =
        CheckPartialDate("payload.x.date_of_birth", c.date, kNow);
    if (c.ok) {
      EXPECT_TRUE(status.ok()) << status;
      continue;
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldOf(status), "payload.x.date_of_birth");
    EXPECT_TRUE(absl::StrContains(status.message(), c.reason_part)) << status;
    if (!c.date.empty()) {
      EXPECT_FALSE(absl::StrContains(status.message(), c.date))
          << "leaks the value: " << status;
    }
  }
}

TEST(FieldChecksTest, IsCountryCode) {
  const std::vector<PredicateCase> cases = {
      {"CHN", true},   {"THA", true},  {"MMR", true},  {"VNM", true},
      {"KHM", true},   {"LAO", true},  {"USA", true},  {"XXX", false},
      {"chn", false},  {"Chn", false}, {"CN", false},  {"", false},
      {"CHNA", false}, {"ZZZ", false}, {"C N", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.input, "\""));
    EXPECT_EQ(IsCountryCode(c.input), c.want);
  }
}

TEST(FieldChecksTest, CheckCountryNamesTheField) {
  EXPECT_TRUE(CheckCountry("payload.last_seen.country", "THA").ok());
  const absl::Status status = CheckCountry("payload.last_seen.country", "TH");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(status), "payload.last_seen.country");
}

TEST(FieldChecksTest, IsScriptCode) {
  const std::vector<PredicateCase> cases = {
      {"Latn", true}, {"Hani", true},   {"Thai", true},  {"Mymr", true},
      {"Khmr", true}, {"Laoo", true},   {"latn", false}, {"LATN", false},
      {"Lat", false}, {"Latin", false}, {"", false},     {"L4tn", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.input, "\""));
    EXPECT_EQ(IsScriptCode(c.input), c.want);
  }
}

TEST(FieldChecksTest, IsLanguageTag) {
  const std::vector<PredicateCase> cases = {
      {"en", true},          {"zh", true},     {"fil", true},
      {"zh-Hans", true},     {"my-MM", true},  {"zh-Hans-CN", true},
      {"en-12345678", true}, {"", false},      {"e", false},
      {"engl", false},       {"zh-", false},   {"-zh", false},
      {"zh_Hans", false},    {"1a", false},    {"en-123456789", false},
      {"zh--Hans", false},   {"en US", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.input, "\""));
    EXPECT_EQ(IsLanguageTag(c.input), c.want);
  }
}

TEST(FieldChecksTest, IsClientId) {
  const std::vector<PredicateCase> cases = {
      {"a", true},
      {"7", true},
      {"CN-MPS:2026/1", false},
      {"CN-MPS:2026.1_a-b", true},
      {std::string(128, 'a'), true},
      {std::string(129, 'a'), false},
      {"", false},
      {"-abc", false},
      {".abc", false},
      {"a b", false},
      {"a\nb", false},
      {"\xe6\x9d\x8e", false},  // a Han character in UTF-8
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.input.substr(0, 20), "\" (",
                              c.input.size(), " bytes)"));
    EXPECT_EQ(IsClientId(c.input), c.want);
  }
}

TEST(FieldChecksTest, CheckClientIdDistinguishesMissingFromMalformed) {
  const absl::Status missing = CheckClientId("payload.alert_id", "");
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.message(), "payload.alert_id: required");
  const absl::Status malformed = CheckClientId("payload.alert_id", "a b");
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(malformed), "payload.alert_id");
  EXPECT_NE(malformed.message(), missing.message());
  EXPECT_TRUE(CheckClientId("payload.alert_id", "ALERT-1").ok());
}

TEST(FieldChecksTest, CheckNotFutureAllowsFiveMinutesOfSkew) {
  struct Case {
    std::string name;
    int64_t seconds;
    int32_t nanos;
    bool ok;
  };
  const int64_t now = absl::ToUnixSeconds(kNow);
  const std::vector<Case> cases = {
      {"unset", 0, 0, false},
      {"an hour ago", now - 3600, 0, true},
      {"now", now, 0, true},
      {"skew limit", now + 300, 0, true},
      {"skew limit + 1ns", now + 300, 1, false},
      {"skew limit + 1s", now + 301, 0, false},
      {"negative nanos", now - 10, -1, false},
      {"nanos too large", now - 10, 1000000000, false},
      {"epoch + 1ns", 0, 1, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    google::protobuf::Timestamp t;
    t.set_seconds(c.seconds);
    t.set_nanos(c.nanos);
    const absl::Status status = CheckNotFuture("payload.created_at", t, kNow);
    if (c.ok) {
      EXPECT_TRUE(status.ok()) << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(FieldOf(status), "payload.created_at");
    }
  }
}

TEST(FieldChecksTest, CheckTextBounds) {
  struct Case {
    std::string name;
    size_t size;
    bool ok;
  };
  const std::vector<Case> cases = {
      {"empty", 0, false},
      {"one byte", 1, true},
      {"at the limit", 64, true},
      {"limit + 1", 65, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const absl::Status status =
        CheckText("payload.originator", std::string(c.size, 'x'), 64);
    if (c.ok) {
      EXPECT_TRUE(status.ok()) << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(FieldOf(status), "payload.originator");
    }
  }
}

}  // namespace
}  // namespace gw::ingest
