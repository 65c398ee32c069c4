// tests/unit/tools/gwctl/readable_output_test.cc
#include "tools/gwctl/readable_output.h"

#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::gwctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::TimeZone kBeijing = absl::FixedTimeZone(8 * 3600);
// 2026-11-28 09:15:02 UTC.
constexpr int64_t kAcceptedAt = 1795857302;

gw::v1::SendAlertResponse Response() {
  gw::v1::SendAlertResponse response;
  response.set_alert_id("CNMPS-ALERT-2026-000735");
  response.mutable_received_at()->set_seconds(kAcceptedAt);
  response.set_payload_sha256("3f9a00");
  response.set_audit_leaf_index(41);
  auto* th = response.add_deliveries();
  th->set_recipient("TH-RTP");
  th->set_state(gw::v1::Delivery::QUEUED);
  th->set_message_id("7a630138-e7dc-5b5f-b065-0cfd0ac15e7c");
  auto* mm = response.add_deliveries();
  mm->set_recipient("MM-MPF");
  mm->set_state(gw::v1::Delivery::ACKNOWLEDGED);
  mm->set_message_id("0c1d");
  return response;
}

gw::v1::CaseAlert Sent() {
  gw::v1::CaseAlert alert;
  alert.set_alert_id("CNMPS-ALERT-2026-000735");
  alert.set_case_ref("CN-YN-XSBN-2026-0042");
  return alert;
}

TEST(ReadableOutputTest, SendAlertResponseListsRecipientsAndStates) {
  const std::string text =
      FormatSendAlertResponse(Response(), Sent(), kBeijing);
  EXPECT_EQ(text,
            "Alert CNMPS-ALERT-2026-000735 accepted at 2026-11-28 09:15:02 UTC "
            "(17:15:02 +08:00 local)\n"
            "  payload sha256  3f9a00\n"
            "  case            CN-YN-XSBN-2026-0042\n"
            "  audit leaf      41\n"
            "  TH-RTP          queued       message "
            "7a630138-e7dc-5b5f-b065-0cfd0ac15e7c\n"
            "  MM-MPF          acknowledged message 0c1d\n");
  EXPECT_THAT(text, Not(HasSubstr("already accepted")));
}

TEST(ReadableOutputTest, DuplicateSaysItIsTheOriginalAnswer) {
  gw::v1::SendAlertResponse response = Response();
  response.set_duplicate(true);
  EXPECT_THAT(FormatSendAlertResponse(response, Sent(), kBeijing),
              HasSubstr("\n  (already accepted earlier: this is the original "
                        "answer)\n"));
}

TEST(ReadableOutputTest, DeliveryReasonIsShown) {
  gw::v1::SendAlertResponse response = Response();
  response.mutable_deliveries(0)->set_state(gw::v1::Delivery::RETRYING);
  response.mutable_deliveries(0)->set_reason("partner unreachable");
  EXPECT_THAT(FormatSendAlertResponse(response, Sent(), kBeijing),
              HasSubstr("TH-RTP          retrying     message "
                        "7a630138-e7dc-5b5f-b065-0cfd0ac15e7c (partner "
                        "unreachable)\n"));
}

struct TimeCase {
  std::string name;
  int64_t unix_seconds;
  absl::TimeZone zone;
  std::string want;
};

void PrintTo(const TimeCase& c, std::ostream* os) { *os << c.name; }

class FormatTimeTest : public ::testing::TestWithParam<TimeCase> {};

TEST_P(FormatTimeTest, ShowsUtcAndLocal) {
  EXPECT_EQ(FormatUtcAndLocal(absl::FromUnixSeconds(GetParam().unix_seconds),
                              GetParam().zone),
            GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    ReadableOutputTest, FormatTimeTest,
    ::testing::Values(
        TimeCase{"SameDay", kAcceptedAt, kBeijing,
                 "2026-11-28 09:15:02 UTC (17:15:02 +08:00 local)"},
        TimeCase{"NextDayLocally", kAcceptedAt + 12 * 3600, kBeijing,
                 "2026-11-28 21:15:02 UTC (2026-11-29 05:15:02 +08:00 local)"},
        TimeCase{"WestOfUtc", kAcceptedAt, absl::FixedTimeZone(-5 * 3600),
                 "2026-11-28 09:15:02 UTC (04:15:02 -05:00 local)"},
        TimeCase{"LocalIsUtc", kAcceptedAt, absl::UTCTimeZone(),
                 "2026-11-28 09:15:02 UTC"}),
    [](const auto& info) { return info.param.name; });

TEST(ReadableOutputTest, UnsetTimestampIsADash) {
  EXPECT_EQ(FormatTimestamp(google::protobuf::Timestamp(), kBeijing), "-");
  EXPECT_EQ(FormatTimestampShort(google::protobuf::Timestamp(), kBeijing), "-");
}

TEST(ReadableOutputTest, AlertTableHasOneRowPerAlert) {
  google::protobuf::RepeatedPtrField<gw::v1::AlertRecord> alerts;
  auto* record = alerts.Add();
  record->mutable_alert()->set_alert_id("A-1");
  record->mutable_alert()->set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  record->mutable_alert()->set_priority(gw::v1::CaseAlert::URGENT);
  record->mutable_alert()->set_case_ref("C-1");
  record->mutable_alert()->set_origin_agency("CN-MPS");
  record->mutable_received_at()->set_seconds(kAcceptedAt);
  *record->mutable_deliveries() = Response().deliveries();
  const std::string text = FormatAlertTable(alerts, kBeijing);
  EXPECT_EQ(text,
            "ALERT ID  KIND            PRIORITY  CASE  ORIGIN  RECEIVED        "
            "                     DELIVERIES\n"
            "A-1       MISSING_PERSON  URGENT    C-1   CN-MPS  2026-11-28 "
            "09:15:02Z (17:15 +08:00)  TH-RTP:queued MM-MPF:acknowledged\n");
  EXPECT_EQ(FormatAlertTable({}, kBeijing), "No alerts.\n");
}

gw::v1::CaseStatus Case() {
  gw::v1::CaseStatus status;
  status.set_case_ref("CN-YN-XSBN-2026-0042");
  status.set_owner_agency("CN-MPS");
  status.set_state(gw::v1::CaseStatus::VICTIM_LOCATED);
  status.mutable_updated_at()->set_seconds(kAcceptedAt);
  status.add_shared_with("TH-RTP");
  status.add_shared_with("MM-MPF");
  auto* opened = status.add_history();
  opened->set_state(gw::v1::CaseStatus::OPEN);
  opened->mutable_at()->set_seconds(kAcceptedAt - 3600);
  opened->set_actor_agency("CN-MPS");
  opened->set_actor_user("investigator1");
  opened->set_alert_id("A-1");
  auto* located = status.add_history();
  located->set_state(gw::v1::CaseStatus::VICTIM_LOCATED);
  located->mutable_at()->set_seconds(kAcceptedAt);
  located->set_actor_agency("CN-MPS");
  located->set_actor_user("investigator2");
  located->set_update_id("upd-3");
  auto* note = located->add_note();
  note->set_lang("en");
  note->set_text("Found in Mae Sai.");
  return status;
}

TEST(ReadableOutputTest, CaseShowsStateOwnerSharingAndHistory) {
  const std::string text = FormatCaseStatus(Case(), kBeijing);
  EXPECT_THAT(text, HasSubstr("Case CN-YN-XSBN-2026-0042\n"));
  EXPECT_THAT(text, HasSubstr("  state           VICTIM_LOCATED\n"));
  EXPECT_THAT(text, HasSubstr("  owner           CN-MPS\n"));
  EXPECT_THAT(text, HasSubstr("  shared with     TH-RTP, MM-MPF\n"));
  EXPECT_THAT(text, HasSubstr("  updated         2026-11-28 09:15:02 UTC"));
  EXPECT_THAT(text, HasSubstr("History:\n  WHEN"));
  EXPECT_THAT(text,
              HasSubstr("OPEN            CN-MPS/investigator1  alert A-1"));
  EXPECT_THAT(text,
              HasSubstr("VICTIM_LOCATED  CN-MPS/investigator2  update upd-3  "
                        "[en] Found in Mae Sai.\n"));
}

TEST(ReadableOutputTest, WatchLineUsesTheLastEvent) {
  EXPECT_EQ(FormatCaseWatchLine(Case(), kBeijing),
            "17:15:02  CN-YN-XSBN-2026-0042  VICTIM_LOCATED  by "
            "CN-MPS/investigator2\n");
  gw::v1::CaseStatus bare;
  bare.set_case_ref("C-1");
  bare.set_state(gw::v1::CaseStatus::OPEN);
  bare.set_owner_agency("CN-MPS");
  bare.set_updated_by("u1");
  bare.mutable_updated_at()->set_seconds(kAcceptedAt);
  EXPECT_EQ(FormatCaseWatchLine(bare, absl::UTCTimeZone()),
            "09:15:02  C-1  OPEN  by CN-MPS/u1\n");
}

TEST(ReadableOutputTest, JsonUsesProtoFieldNames) {
  auto json = ToJson(Response(), /*multiline=*/false);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"alert_id\":\"CNMPS-ALERT-2026-000735\""));
  EXPECT_THAT(*json, HasSubstr("\"payload_sha256\""));
  EXPECT_THAT(*json, HasSubstr("\"state\":\"QUEUED\""));
  EXPECT_EQ(json->back(), '\n');
  EXPECT_EQ(std::count(json->begin(), json->end(), '\n'), 1);
}

}  // namespace
}  // namespace gw::gwctl
