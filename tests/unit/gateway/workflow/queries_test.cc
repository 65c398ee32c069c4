// Tests of the read rules (gateway/workflow/queries.h): the origin agency
// sees the full alert, a recipient its redacted copy, anyone else nothing
// (NOT_FOUND, indistinguishable from a missing id); lists are filtered and
// paged. Run over the real SqliteStore and the tests' FakeStore.
#include "gateway/workflow/queries.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/crypto/sha256.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"
#include "tests/support/fake_store.h"

namespace gw::workflow {
namespace {

using gw::v1::CaseAlert;
using gw::v1::CaseStatus;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 15, 10, 0, 0), absl::UTCTimeZone());

identity::Principal As(const std::string& agency,
                       const std::string& role = "liaison") {
  identity::Principal principal;
  principal.agency = agency;
  principal.role = role;
  principal.user = role + "1";
  return principal;
}

std::string FieldOf(const absl::Status& status) {
  const std::string message(status.message());
  return message.substr(0, message.find(": "));
}

store::Write AcceptWrite(const std::string& alert_id,
                         const std::string& case_ref, const std::string& origin,
                         const std::vector<std::string>& recipients,
                         CaseAlert::Kind kind = CaseAlert::MISSING_PERSON) {
  store::AcceptAlert accept;
  gw::v1::AlertRecord& record = accept.record;
  CaseAlert* alert = record.mutable_alert();
  alert->set_alert_id(alert_id);
  alert->set_case_ref(case_ref);
  alert->set_kind(kind);
  alert->set_origin_agency(origin);
  alert->set_originator("investigator1");
  for (const auto& r : recipients) alert->add_recipients(r);
  record.mutable_envelope()->set_payload_type(
      "application/vnd.gw.v1.CaseAlert+proto");
  record.mutable_envelope()->set_payload(alert->SerializeAsString());
  record.mutable_envelope()->add_signatures()->set_keyid("00");
  record.set_payload_sha256(crypto::Sha256Hex(alert->SerializeAsString()));
  *record.mutable_received_at() = util::ToTimestamp(kNow);
  for (const auto& r : recipients) {
    gw::v1::Delivery* d = record.add_deliveries();
    d->set_recipient(r);
    d->set_state(gw::v1::Delivery::QUEUED);
    d->set_message_id(absl::StrCat(alert_id, "/", r));
  }
  accept.audit.set_action("AlertService.SendAlert");
  accept.audit.set_decision("ALLOW");
  store::Write write;
  write.op = std::move(accept);
  return write;
}

std::vector<std::string> AlertIds(const gw::v1::ListAlertsResponse& response) {
  std::vector<std::string> ids;
  for (const auto& record : response.alerts())
    ids.push_back(record.alert().alert_id());
  return ids;
}

std::vector<std::string> CaseRefs(const gw::v1::ListCasesResponse& response) {
  std::vector<std::string> refs;
  for (const auto& status : response.cases()) refs.push_back(status.case_ref());
  return refs;
}

// The parameter names the store: "Sqlite" or "Fake".
class QueriesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "Sqlite") {
      dir_ = gw::testing::MakeTempDir("gw-queries-test");
      store::SqliteStore::Options options;
      options.synchronous_full = false;
      auto sqlite = store::SqliteStore::Open(dir_ + "/gateway.db", options);
      ASSERT_TRUE(sqlite.ok()) << sqlite.status();
      store_ = *std::move(sqlite);
    } else {
      store_ = std::make_unique<gw::testing::FakeStore>();
    }
    queries_ = std::make_unique<Queries>(store_.get());

    // CN-MPS -> TH-RTP, VN-MPS on C-1.  A-2: CN-MPS -> KH-CNP on C-2.
    // TH-RTP -> LA-MPS on C-3.          A-4: CN-MPS -> TH-RTP on C-1.
    std::vector<store::Write> writes;
    writes.push_back(AcceptWrite("A-1", "C-1", "CN-MPS", {"TH-RTP", "VN-MPS"}));
    writes.push_back(AcceptWrite("A-2", "C-2", "CN-MPS", {"KH-CNP"},
                                 CaseAlert::SUSPECT_WANTED));
    writes.push_back(AcceptWrite("A-3", "C-3", "TH-RTP", {"LA-MPS"}));
    writes.push_back(AcceptWrite("A-4", "C-1", "CN-MPS", {"TH-RTP"},
                                 CaseAlert::VICTIM_IDENTIFIED));
    std::vector<store::Write*> batch;
    for (auto& w : writes) batch.push_back(&w);
    ASSERT_TRUE(store_->Commit(batch).ok());
    for (auto& w : writes) ASSERT_TRUE(w.result.status.ok()) << w.result.status;
  }

  void TearDown() override {
    queries_.reset();
    store_.reset();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Queries> queries_;
};

TEST_P(QueriesTest, OriginSeesTheFullRecord) {
  auto record = queries_->GetAlert(As("CN-MPS", "investigator"), "A-1");
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_FALSE(record->redacted());
  EXPECT_TRUE(record->has_envelope());
  EXPECT_EQ(record->deliveries_size(), 2);
  EXPECT_EQ(record->alert().alert_id(), "A-1");
}

TEST_P(QueriesTest, RecipientSeesItsRedactedCopy) {
  for (const std::string agency : {"TH-RTP", "VN-MPS"}) {
    SCOPED_TRACE(agency);
    auto record = queries_->GetAlert(As(agency), "A-1");
    ASSERT_TRUE(record.ok()) << record.status();
    EXPECT_TRUE(record->redacted());
    EXPECT_FALSE(record->has_envelope());
    ASSERT_EQ(record->deliveries_size(), 1);
    EXPECT_EQ(record->deliveries(0).recipient(), agency);
    EXPECT_EQ(record->alert().alert_id(), "A-1");
  }
}

TEST_P(QueriesTest, OtherAgenciesGetNotFoundLikeAMissingId) {
  auto missing = queries_->GetAlert(As("KH-CNP"), "A-404");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldOf(missing.status()), "alert_id");
  for (const std::string agency : {"KH-CNP", "LA-MPS", "MM-MPF", "CN-MFA"}) {
    SCOPED_TRACE(agency);
    auto hidden = queries_->GetAlert(As(agency), "A-1");
    EXPECT_EQ(hidden.status(), missing.status());
  }
  // A partner's alert is hidden from the home agency unless addressed to it.
  EXPECT_EQ(queries_->GetAlert(As("CN-MPS", "investigator"), "A-3").status(),
            missing.status());
}

TEST_P(QueriesTest, GetAlertWantsAnId) {
  auto record = queries_->GetAlert(As("CN-MPS"), "");
  EXPECT_EQ(record.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(record.status()), "alert_id");
}

TEST_P(QueriesTest, ListAlertsShowsWhatEachAgencyMaySee) {
  struct Case {
    std::string agency;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"CN-MPS", {"A-1", "A-2", "A-4"}},
      {"TH-RTP", {"A-1", "A-3", "A-4"}},
      {"VN-MPS", {"A-1"}},
      {"KH-CNP", {"A-2"}},
      {"LA-MPS", {"A-3"}},
      {"MM-MPF", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.agency);
    auto list = queries_->ListAlerts(As(c.agency), gw::v1::ListAlertsRequest());
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(AlertIds(*list), c.want);
    EXPECT_TRUE(list->next_page_token().empty());
    for (const auto& record : list->alerts()) {
      const bool origin = record.alert().origin_agency() == c.agency;
      EXPECT_EQ(record.redacted(), !origin) << record.alert().alert_id();
      EXPECT_EQ(record.has_envelope(), origin) << record.alert().alert_id();
      if (!origin) {
        ASSERT_EQ(record.deliveries_size(), 1);
        EXPECT_EQ(record.deliveries(0).recipient(), c.agency);
      }
    }
  }
}

TEST_P(QueriesTest, ListAlertsFilters) {
  struct Case {
    std::string name;
    std::string agency;
    std::function<void(gw::v1::ListAlertsRequest&)> filter;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"case_ref",
       "CN-MPS",
       [](auto& r) { r.set_case_ref("C-1"); },
       {"A-1", "A-4"}},
      {"case_ref not visible",
       "VN-MPS",
       [](auto& r) { r.set_case_ref("C-2"); },
       {}},
      {"kind",
       "CN-MPS",
       [](auto& r) { r.set_kind(CaseAlert::SUSPECT_WANTED); },
       {"A-2"}},
      {"origin_agency",
       "TH-RTP",
       [](auto& r) { r.set_origin_agency("TH-RTP"); },
       {"A-3"}},
      {"origin_agency other",
       "TH-RTP",
       [](auto& r) { r.set_origin_agency("CN-MPS"); },
       {"A-1", "A-4"}},
      {"case_ref and kind",
       "TH-RTP",
       [](auto& r) {
         r.set_case_ref("C-1");
         r.set_kind(CaseAlert::VICTIM_IDENTIFIED);
       },
       {"A-4"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    gw::v1::ListAlertsRequest request;
    c.filter(request);
    auto list = queries_->ListAlerts(As(c.agency), request);
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(AlertIds(*list), c.want);
  }
}

TEST_P(QueriesTest, ListAlertsPages) {
  const identity::Principal caller = As("CN-MPS", "investigator");
  gw::v1::ListAlertsRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    auto page = queries_->ListAlerts(caller, request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& id : AlertIds(*page)) seen.push_back(id);
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(seen, ElementsAre("A-1", "A-2", "A-4"));
}

TEST_P(QueriesTest, ListAlertsRefusesBadPaging) {
  gw::v1::ListAlertsRequest negative;
  negative.set_page_size(-1);
  auto list = queries_->ListAlerts(As("CN-MPS"), negative);
  EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(list.status()), "page_size");

  gw::v1::ListAlertsRequest bad_token;
  bad_token.set_page_token("not-a-token");
  list = queries_->ListAlerts(As("CN-MPS"), bad_token);
  EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(list.status()), "page_token");
}

TEST_P(QueriesTest, GetCaseVisibility) {
  struct Case {
    std::string agency;
    std::string case_ref;
    bool visible;
  };
  const std::vector<Case> cases = {
      {"CN-MPS", "C-1", true},  {"TH-RTP", "C-1", true},
      {"VN-MPS", "C-1", true},  {"KH-CNP", "C-1", false},
      {"CN-MFA", "C-1", false}, {"KH-CNP", "C-2", true},
      {"TH-RTP", "C-2", false}, {"TH-RTP", "C-3", true},
      {"LA-MPS", "C-3", true},  {"CN-MPS", "C-3", false},
  };
  const absl::Status missing =
      queries_->GetCase(As("CN-MPS"), "C-404").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldOf(missing), "case_ref");
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.agency, " ", c.case_ref));
    auto status = queries_->GetCase(As(c.agency), c.case_ref);
    if (c.visible) {
      ASSERT_TRUE(status.ok()) << status.status();
      EXPECT_EQ(status->case_ref(), c.case_ref);
    } else {
      EXPECT_EQ(status.status(), missing);
    }
  }
  EXPECT_EQ(queries_->GetCase(As("CN-MPS"), "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(QueriesTest, ListCasesShowsOwnedAndSharedCases) {
  struct Case {
    std::string agency;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"CN-MPS", {"C-1", "C-2"}}, {"TH-RTP", {"C-1", "C-3"}},
      {"VN-MPS", {"C-1"}},        {"KH-CNP", {"C-2"}},
      {"LA-MPS", {"C-3"}},        {"MM-MPF", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.agency);
    auto list = queries_->ListCases(As(c.agency), gw::v1::ListCasesRequest());
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(CaseRefs(*list), c.want);
  }
}

TEST_P(QueriesTest, ListCasesFiltersByState) {
  store::UpdateCase update;
  update.update.set_case_ref("C-2");
  update.update.set_owner_agency("CN-MPS");
  update.update.set_state(CaseStatus::INVESTIGATING);
  update.update.set_update_id("U-1");
  update.update.set_updated_by("investigator1");
  update.actor_agency = "CN-MPS";
  update.actor_user = "investigator1";
  update.payload_sha256 = crypto::Sha256Hex("U-1");
  update.at = kNow;
  update.audit.set_action("CaseService.UpdateCaseStatus");
  store::Write write;
  write.op = std::move(update);
  store::Write* batch[] = {&write};
  ASSERT_TRUE(store_->Commit(batch).ok());
  ASSERT_TRUE(write.result.status.ok()) << write.result.status;

  gw::v1::ListCasesRequest request;
  request.set_state(CaseStatus::INVESTIGATING);
  auto investigating = queries_->ListCases(As("CN-MPS"), request);
  ASSERT_TRUE(investigating.ok()) << investigating.status();
  EXPECT_THAT(CaseRefs(*investigating), ElementsAre("C-2"));
  request.set_state(CaseStatus::OPEN);
  auto open = queries_->ListCases(As("CN-MPS"), request);
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_THAT(CaseRefs(*open), ElementsAre("C-1"));
  request.set_state(CaseStatus::INVESTIGATING);
  auto hidden = queries_->ListCases(As("TH-RTP"), request);
  ASSERT_TRUE(hidden.ok()) << hidden.status();
  EXPECT_THAT(CaseRefs(*hidden), IsEmpty());
}

TEST_P(QueriesTest, ListCasesPagesAndRefusesBadPaging) {
  gw::v1::ListCasesRequest request;
  request.set_page_size(1);
  auto first = queries_->ListCases(As("TH-RTP"), request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(CaseRefs(*first), ElementsAre("C-1"));
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  auto second = queries_->ListCases(As("TH-RTP"), request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(CaseRefs(*second), ElementsAre("C-3"));
  EXPECT_TRUE(second->next_page_token().empty());

  request.set_page_size(-5);
  EXPECT_EQ(queries_->ListCases(As("TH-RTP"), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Stores, QueriesTest,
                         ::testing::Values("Sqlite", "Fake"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(MaySeeCaseTest, OwnerAndSharedAgenciesOnly) {
  CaseStatus status;
  status.set_case_ref("C-1");
  status.set_owner_agency("CN-MPS");
  status.add_shared_with("TH-RTP");
  status.add_shared_with("VN-MPS");
  struct Case {
    std::string agency;
    bool want;
  };
  const std::vector<Case> cases = {
      {"CN-MPS", true},  {"TH-RTP", true}, {"VN-MPS", true},  {"KH-CNP", false},
      {"CN-MFA", false}, {"", false},      {"cn-mps", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.agency);
    EXPECT_EQ(Queries::MaySeeCase(As(c.agency), status), c.want);
  }
}

TEST(ReleasedAlertCopyTest, OriginKeepsEverythingRecipientGetsItsShare) {
  store::Write write =
      AcceptWrite("A-1", "C-1", "CN-MPS", {"TH-RTP", "VN-MPS", "KH-CNP"});
  const gw::v1::AlertRecord record =
      std::get<store::AcceptAlert>(write.op).record;

  const gw::v1::AlertRecord origin = ReleasedAlertCopy(As("CN-MPS"), record);
  EXPECT_EQ(origin.SerializeAsString(), record.SerializeAsString());

  const gw::v1::AlertRecord copy = ReleasedAlertCopy(As("VN-MPS"), record);
  EXPECT_TRUE(copy.redacted());
  EXPECT_FALSE(copy.has_envelope());
  ASSERT_EQ(copy.deliveries_size(), 1);
  EXPECT_EQ(copy.deliveries(0).recipient(), "VN-MPS");
  EXPECT_EQ(copy.deliveries(0).message_id(), "A-1/VN-MPS");
  EXPECT_EQ(copy.payload_sha256(), record.payload_sha256());
}

}  // namespace
}  // namespace gw::workflow
