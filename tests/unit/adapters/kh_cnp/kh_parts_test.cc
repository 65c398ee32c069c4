// tests/unit/adapters/kh_cnp/kh_parts_test.cc
//
// The pieces under the KH-CNP codec: dates and instants of §5.3, JSON
// Pointers, the text walk of §5.1/§5.2, the rules beyond the schema,
// Retry-After, and the .http evidence layout.
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "adapters/kh_cnp/kh_checks.h"
#include "adapters/kh_cnp/kh_http.h"
#include "adapters/kh_cnp/kh_names.h"
#include "adapters/kh_cnp/kh_text.h"
#include "adapters/kh_cnp/kh_time.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/proto_time.h"
#include "gtest/gtest.h"
#include "tests/unit/adapters/kh_cnp/kh_cnp_test_util.h"

namespace gw::kh_cnp {
namespace {

using Json = nlohmann::json;
using testing::Utc;

TEST(KhTimeTest, FormatsUtcWholeSeconds) {
  google::protobuf::Timestamp ts =
      util::ToTimestamp(Utc("2026-03-14T02:30:00Z"));
  ts.set_nanos(500000000);
  EXPECT_EQ(*FormatTimestamp(ts), "2026-03-14T02:30:00Z");
  ts.set_seconds(-62135596800 - 1);  // 0000-12-31T23:59:59Z
  EXPECT_EQ(*FormatTimestamp(ts), "0000-12-31T23:59:59Z");
  ts.set_seconds(253402300800);  // 10000-01-01
  EXPECT_FALSE(FormatTimestamp(ts).ok());
}

TEST(KhTimeTest, ParsesRealInstantsOnly) {
  EXPECT_EQ(ParseTimestamp("2026-03-14T09:30:00+07:00"),
            Utc("2026-03-14T02:30:00Z"));
  EXPECT_EQ(ParseTimestamp("2026-03-13T20:30:00-06:00"),
            Utc("2026-03-14T02:30:00Z"));
  EXPECT_EQ(ParseTimestamp("2024-02-29T00:00:00Z"),
            Utc("2024-02-29T00:00:00Z"));
  for (const char* bad :
       {"2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-03-14T24:00:00Z",
        "2026-03-14T02:60:00Z", "2026-03-14T02:30:60Z", "2026-03-14T02:30:00",
        "2026-03-14T02:30:00.1Z", "2026-03-14 02:30:00Z",
        "2026-03-14T02:30:00+24:00", "2026-03-14T02:30:00z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(KhTimeTest, CalendarAndPartialDates) {
  EXPECT_TRUE(IsCalendarDate("2024-02-29"));
  EXPECT_FALSE(IsCalendarDate("2026-02-29"));
  EXPECT_FALSE(IsCalendarDate("2026-13-01"));
  EXPECT_FALSE(IsCalendarDate("2026-3-1"));
  EXPECT_TRUE(IsPartialDate("2011"));
  EXPECT_TRUE(IsPartialDate("2011-08"));
  EXPECT_TRUE(IsPartialDate("2011-08-05"));
  EXPECT_FALSE(IsPartialDate("2011-00"));
  EXPECT_FALSE(IsPartialDate("2011-06-31"));
}

TEST(KhTextTest, PointerTokensRoundTrip) {
  EXPECT_EQ(PointerToken("a/b~c"), "a~1b~0c");
  EXPECT_EQ(PointerTokens("/a~1b~0c/0/x"),
            (std::vector<std::string>{"a/b~c", "0", "x"}));
  EXPECT_TRUE(PointerTokens("").empty());
  EXPECT_EQ(PointerTokens("/"), (std::vector<std::string>{""}));
}

TEST(KhTextTest, NormalizesEveryStringAndReportsPointersInOrder) {
  Json doc = Json::parse(R"({
    "b": ["Cafe\u0301", "ok"],
    "a": {"names": [{"family": "Nguye\u0302\u0303n", "script": "Latn"}]},
    "c": "\u200Bkept in text"
  })");
  std::vector<std::string> changed;
  std::string bad;
  ASSERT_TRUE(NormalizeStrings(&doc, &changed, &bad).ok());
  EXPECT_EQ(changed, (std::vector<std::string>{"/a/names/0/family", "/b/0"}));
  EXPECT_EQ(doc["b"][0], "Caf\u00e9");
  EXPECT_EQ(doc["a"]["names"][0]["family"], "Nguy\u1ec5n");
  EXPECT_EQ(doc["c"], "\u200Bkept in text");
}

TEST(KhTextTest, ZeroWidthMarksOnlyInNameMembers) {
  Json doc = Json::parse(R"({
    "names": [{"given": "Srey\u200BPov", "script": "La\u200Btn"}],
    "family": "a\u200Bb"
  })");
  std::vector<std::string> changed;
  std::string bad;
  ASSERT_TRUE(NormalizeStrings(&doc, &changed, &bad).ok());
  EXPECT_EQ(changed, (std::vector<std::string>{"/names/0/given"}));
  EXPECT_EQ(doc["names"][0]["given"], "SreyPov");
  EXPECT_EQ(doc["names"][0]["script"], "La\u200Btn");
  EXPECT_EQ(doc["family"], "a\u200Bb");  // not in a names entry
}

TEST(KhTextTest, InvalidUtf8IsRefusedWithItsPointer) {
  Json doc = Json::object();
  doc["x"] = Json::array({"ok", std::string("\xC3\x28")});
  std::vector<std::string> changed;
  std::string bad;
  EXPECT_FALSE(NormalizeStrings(&doc, &changed, &bad).ok());
  EXPECT_EQ(bad, "/x/1");
}

TEST(KhChecksTest, FindsTheFirstBreachInDocumentOrder) {
  Json doc = Json::parse(R"({
    "repatriation_decision": {
      "decided_at": "2026-02-30T00:00:00Z",
      "state": "HANDOVER_SCHEDULED"
    }
  })");
  auto breach = CheckBeyondSchema(doc);
  ASSERT_TRUE(breach.has_value());
  EXPECT_EQ(breach->pointer, "/repatriation_decision/decided_at");
  doc["repatriation_decision"]["decided_at"] = "2026-02-28T00:00:00Z";
  breach = CheckBeyondSchema(doc);
  ASSERT_TRUE(breach.has_value());
  EXPECT_EQ(breach->pointer, "/repatriation_decision/state");
  doc["repatriation_decision"]["handover"] = {{"date", "2026-02-29"}};
  breach = CheckBeyondSchema(doc);
  ASSERT_TRUE(breach.has_value());
  EXPECT_EQ(breach->pointer, "/repatriation_decision/handover/date");
  doc["repatriation_decision"]["handover"]["date"] = "2028-02-29";
  EXPECT_FALSE(CheckBeyondSchema(doc).has_value());
}

TEST(KhChecksTest, AttachmentWithoutContentIsNotChecked) {
  Json doc = Json::parse(R"({"alert": {"attachments": [
      {"name": "a", "sha256": "00", "size": 5}]}})");
  EXPECT_FALSE(CheckBeyondSchema(doc).has_value());
  doc["alert"]["attachments"][0]["content"] = absl::Base64Escape("hello");
  doc["alert"]["attachments"][0]["sha256"] = crypto::Sha256Hex("hello");
  EXPECT_FALSE(CheckBeyondSchema(doc).has_value());
}

TEST(KhHttpTest, RetryAfter) {
  const absl::Time now = Utc("2026-03-14T02:30:00Z");
  EXPECT_EQ(ParseRetryAfter("120", now), now + absl::Seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), now);
  EXPECT_EQ(ParseRetryAfter("Sat, 14 Mar 2026 03:00:00 GMT", now),
            Utc("2026-03-14T03:00:00Z"));
  EXPECT_EQ(ParseRetryAfter("Saturday, 14-Mar-26 03:00:00 GMT", now),
            Utc("2026-03-14T03:00:00Z"));
  EXPECT_EQ(ParseRetryAfter("Sat Mar 14 03:00:00 2026", now),
            Utc("2026-03-14T03:00:00Z"));
  EXPECT_FALSE(ParseRetryAfter("soon", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("-5", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("1.5", now).has_value());
}

TEST(KhHttpTest, EvidenceOfTheExamplesIsTheExampleFiles) {
  for (const char* name : {"ack-202-inbound.http", "ack-202-outbound.http",
                           "rejection-400-inbound.http"}) {
    const std::string bytes = testing::ReadExample(name);
    const testing::HttpMessage http = testing::ParseHttp(bytes);
    const adapters::PartnerAnswer answer = testing::AsAnswer(http);
    EXPECT_EQ(
        ResponseEvidence(std::stoi(testing::Header(answer.metadata, ":status")),
                         HeadersOnly(answer.metadata), answer.bytes),
        bytes)
        << name;
  }
  const std::string request = testing::ReadExample("alert-outbound.http");
  EXPECT_EQ(RequestEvidence(testing::AsInboundRequest(
                testing::ParseHttp(request), testing::kPartnerBaseUri)),
            request);
}

TEST(KhNamesTest, GeneratedLatinName) {
  gw::v1::Person person;
  gw::v1::PersonName* khmer = person.add_names();
  khmer->set_script("Khmr");
  khmer->set_family("ចាន់");
  khmer->set_given("ដារា");
  std::optional<gw::v1::PersonName> latin = GeneratedLatinName(person);
  ASSERT_TRUE(latin.has_value());
  EXPECT_EQ(latin->script(), "Latn");
  EXPECT_EQ(latin->family(), "CHAN");
  EXPECT_EQ(latin->given(), "Darea");
  EXPECT_EQ(latin->full(), "CHAN Darea");
  // Given name only.
  khmer->clear_family();
  latin = GeneratedLatinName(person);
  ASSERT_TRUE(latin.has_value());
  EXPECT_EQ(latin->family(), "");
  EXPECT_EQ(latin->full(), "Darea");
  // A Latin entry already there.
  person.add_names()->set_script("Latn");
  EXPECT_FALSE(GeneratedLatinName(person).has_value());
}

}  // namespace
}  // namespace gw::kh_cnp
