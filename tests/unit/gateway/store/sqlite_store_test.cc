// Store conformance tests (store.h), run as TYPED_TESTs over every Store
// implementation listed in StoreFactories, plus SQLite-specific tests at the
// end. A factory owns one fresh database per test and can reopen it.
#include "gateway/store/sqlite/sqlite_store.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gateway/store/sqlite/sqlite_schema.h"
#include "gateway/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scoped_temp_dir.h"

namespace gw::store {
namespace {

using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr int64_t kBaseTime = 1700000000;  // seconds since the epoch

// ---------------------------------------------------------------------------
// Factories: one per Store implementation.

using TempDir = ::gw::testing::ScopedTempDir;

class SqliteStoreFactory {
 public:
  static std::string Name() { return "Sqlite"; }

  // The database lives in a subdirectory Open() must create.
  SqliteStoreFactory() : path_(dir_.path() + "/var/gateway.db") {}

  absl::StatusOr<std::unique_ptr<Store>> Open() {
    SqliteStore::Options options;
    options.read_connections = 3;
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(path_, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(*std::move(store));
  }

  // Marks the database as written by a newer gatewayd. REQUIRES: the
  // database exists and no store has it open.
  absl::Status MakeSchemaNewerThanCode() {
    absl::StatusOr<std::unique_ptr<sqlite::Connection>> db =
        sqlite::Connection::Open(path_, sqlite::Connection::Mode::kReadWrite,
                                 absl::Seconds(1));
    if (!db.ok()) return db.status();
    return (*db)->Exec(absl::StrCat("PRAGMA user_version = ",
                                    sqlite::LatestSchemaVersion() + 1));
  }

  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_;
};

using StoreFactories = ::testing::Types<SqliteStoreFactory>;

class FactoryNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return T::Name();
  }
};

// ---------------------------------------------------------------------------
// Test data.

google::protobuf::Timestamp At(int64_t seconds_after_base) {
  return TimeUtil::SecondsToTimestamp(kBaseTime + seconds_after_base);
}

// An alert to accept, built as Alert("a1", "CASE-1").To({"VN-MPS"}).
struct AlertSpec {
  AlertSpec From(std::string agency) const {
    AlertSpec spec = *this;
    spec.origin = std::move(agency);
    return spec;
  }
  AlertSpec To(std::vector<std::string> agencies) const {
    AlertSpec spec = *this;
    spec.recipients = std::move(agencies);
    return spec;
  }
  AlertSpec Digest(std::string digest) const {
    AlertSpec spec = *this;
    spec.payload_sha256 = std::move(digest);
    return spec;
  }
  AlertSpec ReceivedAt(int64_t seconds) const {
    AlertSpec spec = *this;
    spec.received = seconds;
    return spec;
  }
  AlertSpec OfKind(gw::v1::CaseAlert::Kind k) const {
    AlertSpec spec = *this;
    spec.kind = k;
    return spec;
  }

  std::string alert_id;
  std::string case_ref;
  std::string origin = "CN-MPS";
  std::vector<std::string> recipients = {"TH-RTP"};
  std::string payload_sha256;  // default: derived from alert_id
  int64_t received = 0;        // seconds after kBaseTime
  gw::v1::CaseAlert::Kind kind = gw::v1::CaseAlert::MISSING_PERSON;
};

AlertSpec Alert(std::string alert_id, std::string case_ref) {
  AlertSpec spec;
  spec.alert_id = std::move(alert_id);
  spec.case_ref = std::move(case_ref);
  return spec;
}

gw::v1::AlertRecord MakeRecord(const AlertSpec& spec) {
  gw::v1::AlertRecord record;
  gw::v1::CaseAlert* alert = record.mutable_alert();
  alert->set_alert_id(spec.alert_id);
  alert->set_case_ref(spec.case_ref);
  alert->set_kind(spec.kind);
  alert->set_priority(gw::v1::CaseAlert::HIGH);
  alert->set_origin_agency(spec.origin);
  alert->set_originator("investigator1");
  for (const std::string& recipient : spec.recipients) {
    alert->add_recipients(recipient);
  }
  *alert->mutable_created_at() = At(spec.received - 1);
  record.mutable_envelope()->set_payload_type(
      "application/vnd.gw.v1.CaseAlert+proto");
  record.mutable_envelope()->set_payload(alert->SerializeAsString());
  *record.mutable_received_at() = At(spec.received);
  record.set_payload_sha256(spec.payload_sha256.empty()
                                ? "sha256-of-" + spec.alert_id
                                : spec.payload_sha256);
  for (const std::string& recipient : spec.recipients) {
    gw::v1::Delivery* delivery = record.add_deliveries();
    delivery->set_recipient(recipient);
    delivery->set_state(gw::v1::Delivery::QUEUED);
    delivery->set_message_id(spec.alert_id + "/" + recipient);
    *delivery->mutable_updated_at() = At(spec.received);
  }
  return record;
}

gw::v1::AuditEntry MakeAudit(absl::string_view action,
                             absl::string_view object_id, int64_t time = 0) {
  gw::v1::AuditEntry entry;
  *entry.mutable_time() = At(time);
  entry.set_actor_agency("CN-MPS");
  entry.set_actor_role("investigator");
  entry.set_actor_user("investigator1");
  entry.set_action(std::string(action));
  entry.add_object_ids(std::string(object_id));
  entry.set_decision("ALLOW");
  entry.set_outcome("OK");
  entry.set_policy_version("policy-v1");
  return entry;
}

Write AcceptWrite(const AlertSpec& spec) {
  Write write;
  write.op = AcceptAlert{MakeRecord(spec),
                         MakeAudit("AlertService.SendAlert",
                                   "alert:" + spec.alert_id, spec.received)};
  return write;
}

// A case status update, built as Update("CASE-1", "u1").By("TH-RTP").
struct UpdateSpec {
  UpdateSpec ToState(gw::v1::CaseStatus::State s) const {
    UpdateSpec spec = *this;
    spec.state = s;
    return spec;
  }
  UpdateSpec By(std::string agency) const {
    UpdateSpec spec = *this;
    spec.actor_agency = std::move(agency);
    return spec;
  }
  UpdateSpec Digest(std::string digest) const {
    UpdateSpec spec = *this;
    spec.payload_sha256 = std::move(digest);
    return spec;
  }
  UpdateSpec At(int64_t seconds) const {
    UpdateSpec spec = *this;
    spec.at = seconds;
    return spec;
  }

  std::string case_ref;
  std::string update_id;
  gw::v1::CaseStatus::State state = gw::v1::CaseStatus::INVESTIGATING;
  std::string actor_agency = "CN-MPS";
  std::string payload_sha256;  // default: derived from update_id
  int64_t at = 100;            // seconds after kBaseTime
};

UpdateSpec Update(std::string case_ref, std::string update_id) {
  UpdateSpec spec;
  spec.case_ref = std::move(case_ref);
  spec.update_id = std::move(update_id);
  return spec;
}

AlertQuery AlertsVisibleTo(std::string agency) {
  AlertQuery query;
  query.visible_to_agency = std::move(agency);
  return query;
}

AlertQuery AlertsAfter(std::string page_token) {
  AlertQuery query;
  query.page_token = std::move(page_token);
  return query;
}

CaseQuery CasePageOf(int page_size) {
  CaseQuery query;
  query.page_size = page_size;
  return query;
}

CaseQuery CasesAfter(std::string page_token) {
  CaseQuery query;
  query.page_token = std::move(page_token);
  return query;
}

AlertQuery AlertPageOf(int page_size) {
  AlertQuery query;
  query.page_size = page_size;
  return query;
}

CaseQuery CasesVisibleTo(
    std::string agency,
    gw::v1::CaseStatus::State state = gw::v1::CaseStatus::STATE_UNSPECIFIED) {
  CaseQuery query;
  query.visible_to_agency = std::move(agency);
  query.state = state;
  return query;
}

Write UpdateWrite(const UpdateSpec& spec) {
  UpdateCase op;
  op.update.set_case_ref(spec.case_ref);
  op.update.set_owner_agency(spec.actor_agency);
  op.update.set_state(spec.state);
  op.update.set_update_id(spec.update_id);
  op.update.set_updated_by("investigator1");
  gw::v1::LanguageText* note = op.update.add_note();
  note->set_text("status changed");
  op.actor_agency = spec.actor_agency;
  op.actor_user = "investigator1";
  op.payload_sha256 = spec.payload_sha256.empty()
                          ? "sha256-of-" + spec.update_id
                          : spec.payload_sha256;
  op.at = absl::FromUnixSeconds(kBaseTime + spec.at);
  op.audit = MakeAudit("CaseService.UpdateCaseStatus", "case:" + spec.case_ref,
                       spec.at);
  Write write;
  write.op = std::move(op);
  return write;
}

Write AuditWrite(absl::string_view action) {
  Write write;
  write.op = AppendAudit{MakeAudit(action, "none")};
  return write;
}

// Expects `status` to have `code` and a message about `field`.
void ExpectError(const absl::Status& status, absl::StatusCode code,
                 absl::string_view field) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), absl::StrCat(field, ":")))
      << status;
}

std::string DeterministicBytes(const gw::v1::AuditEntry& entry) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    entry.SerializeToCodedStream(&coded);
  }
  return bytes;
}

std::vector<std::string> AlertIds(const std::vector<gw::v1::AlertRecord>& v) {
  std::vector<std::string> ids;
  for (const gw::v1::AlertRecord& record : v) {
    ids.push_back(record.alert().alert_id());
  }
  return ids;
}

std::vector<std::string> CaseRefs(const std::vector<gw::v1::CaseStatus>& v) {
  std::vector<std::string> refs;
  for (const gw::v1::CaseStatus& status : v) refs.push_back(status.case_ref());
  return refs;
}

// ---------------------------------------------------------------------------
// The fixture.

template <typename Factory>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Reopen()); }

  void Reopen() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<Store>> store = factory_.Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  Store& store() { return *store_; }

  // Commits `writes` as one batch; the batch itself must succeed.
  void CommitBatch(std::vector<Write>& writes) {
    std::vector<Write*> batch;
    for (Write& write : writes) batch.push_back(&write);
    ASSERT_TRUE(store_->Commit(batch).ok());
  }

  // Commits one write alone and returns its result.
  WriteResult CommitOne(Write write) {
    std::vector<Write> writes;
    writes.push_back(std::move(write));
    CommitBatch(writes);
    return writes[0].result;
  }

  uint64_t AuditSize() {
    absl::StatusOr<uint64_t> size = store_->AuditLogSize();
    EXPECT_TRUE(size.ok()) << size.status();
    return size.ok() ? *size : 0;
  }

  gw::v1::CaseStatus Case(absl::string_view case_ref) {
    absl::StatusOr<gw::v1::CaseStatus> status = store_->GetCase(case_ref);
    EXPECT_TRUE(status.ok()) << status.status();
    return status.ok() ? *status : gw::v1::CaseStatus();
  }

  // Every alert of `query`, following next_page_token; counts pages.
  std::vector<std::string> AllAlertIds(AlertQuery query, int* pages) {
    std::vector<std::string> ids;
    *pages = 0;
    do {
      absl::StatusOr<AlertPage> page = store_->ListAlerts(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || ++*pages > 100) break;
      for (const std::string& id : AlertIds(page->alerts)) ids.push_back(id);
      query.page_token = page->next_page_token;
    } while (!query.page_token.empty());
    return ids;
  }

  Factory factory_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(StoreTest, StoreFactories, FactoryNames);

// ---------------------------------------------------------------------------
// AcceptAlert and GetAlert

TYPED_TEST(StoreTest, AcceptedAlertIsReturnedWithItsDeliveries) {
  Write write =
      AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS", "KH-CNP"}));
  gw::v1::AlertRecord record = std::get<AcceptAlert>(write.op).record;
  // Every stored delivery field round-trips, set or not.
  gw::v1::Delivery* retrying = record.mutable_deliveries(1);
  retrying->set_state(gw::v1::Delivery::RETRYING);
  retrying->set_attempts(3);
  *retrying->mutable_next_attempt_at() = At(60);
  retrying->set_reason("partner unreachable");
  record.mutable_deliveries(2)->clear_updated_at();
  record.mutable_deliveries(2)->mutable_receipt()->set_message_id("m-1");
  std::get<AcceptAlert>(write.op).record = record;

  const WriteResult result = this->CommitOne(std::move(write));

  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_FALSE(result.duplicate);
  EXPECT_EQ(result.audit_leaf_index, 0u);
  ASSERT_TRUE(result.alert.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*result.alert, record));
  absl::StatusOr<gw::v1::AlertRecord> stored = this->store().GetAlert("a1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*stored, record))
      << stored->DebugString();
  EXPECT_EQ(this->AuditSize(), 1u);
}

TYPED_TEST(StoreTest, GetAlertOfUnknownIdIsNotFound) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  ExpectError(this->store().GetAlert("a2").status(),
              absl::StatusCode::kNotFound, "alert_id");
}

TYPED_TEST(StoreTest, SamePayloadAgainIsAnIdempotentDuplicate) {
  const WriteResult first = this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  this->CommitOne(AuditWrite("Other.Action"));
  ASSERT_EQ(this->AuditSize(), 2u);

  const WriteResult again = this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));

  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.audit_leaf_index, first.audit_leaf_index);
  ASSERT_TRUE(again.alert.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*again.alert, *first.alert));
  ASSERT_TRUE(again.case_status.has_value());
  EXPECT_THAT(again.case_status->history(), SizeIs(1));
  EXPECT_EQ(this->AuditSize(), 2u);
  int pages = 0;
  EXPECT_THAT(this->AllAlertIds(AlertQuery(), &pages), ElementsAre("a1"));
}

TYPED_TEST(StoreTest, DuplicateWithinOneBatchSeesTheFirst) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1")));
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1")));
  this->CommitBatch(writes);

  ASSERT_TRUE(writes[0].result.status.ok()) << writes[0].result.status;
  ASSERT_TRUE(writes[1].result.status.ok()) << writes[1].result.status;
  EXPECT_FALSE(writes[0].result.duplicate);
  EXPECT_TRUE(writes[1].result.duplicate);
  EXPECT_EQ(writes[1].result.audit_leaf_index, 0u);
  EXPECT_EQ(this->AuditSize(), 1u);
}

TYPED_TEST(StoreTest, SameIdDifferentPayloadIsAlreadyExistsAndLeavesNoTrace) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a0", "CASE-0")));
  writes.push_back(AcceptWrite(
      Alert("a1", "CASE-1").To({"LA-MPS"}).Digest("another-digest")));
  writes.push_back(AcceptWrite(Alert("a2", "CASE-1")));
  this->CommitBatch(writes);

  ExpectError(writes[1].result.status, absl::StatusCode::kAlreadyExists,
              "payload.alert_id");
  // Batch-mates before and after the refused write are committed.
  ASSERT_TRUE(writes[0].result.status.ok()) << writes[0].result.status;
  ASSERT_TRUE(writes[2].result.status.ok()) << writes[2].result.status;
  EXPECT_EQ(writes[0].result.audit_leaf_index, 1u);
  EXPECT_EQ(writes[2].result.audit_leaf_index, 2u);
  EXPECT_EQ(this->AuditSize(), 3u);
  EXPECT_TRUE(this->store().GetAlert("a0").ok());
  EXPECT_TRUE(this->store().GetAlert("a2").ok());
  absl::StatusOr<gw::v1::AlertRecord> a1 = this->store().GetAlert("a1");
  ASSERT_TRUE(a1.ok()) << a1.status();
  EXPECT_EQ(a1->payload_sha256(), "sha256-of-a1");
  EXPECT_THAT(this->Case("CASE-1").shared_with(), ElementsAre("TH-RTP"));
}

// ---------------------------------------------------------------------------
// Cases created and shared by alerts

TYPED_TEST(StoreTest, FirstAlertCreatesTheCaseAndLaterAlertsShareIt) {
  const WriteResult first = this->CommitOne(AcceptWrite(
      Alert("a1", "CASE-1").To({"VN-MPS", "TH-RTP"}).ReceivedAt(10)));
  ASSERT_TRUE(first.status.ok()) << first.status;
  ASSERT_TRUE(first.case_status.has_value());
  EXPECT_EQ(first.case_status->owner_agency(), "CN-MPS");
  EXPECT_EQ(first.case_status->state(), gw::v1::CaseStatus::OPEN);
  EXPECT_THAT(first.case_status->shared_with(),
              ElementsAre("TH-RTP", "VN-MPS"));
  EXPECT_THAT(first.case_status->alert_ids(), ElementsAre("a1"));
  ASSERT_THAT(first.case_status->history(), SizeIs(1));
  const gw::v1::CaseEvent& opened = first.case_status->history(0);
  EXPECT_EQ(opened.state(), gw::v1::CaseStatus::OPEN);
  EXPECT_EQ(opened.alert_id(), "a1");
  EXPECT_EQ(opened.actor_agency(), "CN-MPS");
  EXPECT_EQ(opened.actor_user(), "investigator1");
  EXPECT_EQ(opened.payload_sha256(), "sha256-of-a1");
  EXPECT_TRUE(MessageDifferencer::Equals(opened.at(), At(10)));

  const WriteResult second = this->CommitOne(AcceptWrite(
      Alert("a2", "CASE-1").To({"KH-CNP", "TH-RTP"}).ReceivedAt(20)));

  ASSERT_TRUE(second.status.ok()) << second.status;
  const gw::v1::CaseStatus got = this->Case("CASE-1");
  ASSERT_TRUE(second.case_status.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*second.case_status, got));
  EXPECT_EQ(got.owner_agency(), "CN-MPS");
  EXPECT_THAT(got.shared_with(), ElementsAre("KH-CNP", "TH-RTP", "VN-MPS"));
  EXPECT_THAT(got.alert_ids(), ElementsAre("a1", "a2"));
  EXPECT_THAT(got.history(), SizeIs(1));
  EXPECT_TRUE(MessageDifferencer::Equals(got.updated_at(), At(20)));
}

TYPED_TEST(StoreTest, AlertOnACaseOwnedByAnotherAgencyIsPermissionDenied) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  const gw::v1::CaseStatus before = this->Case("CASE-1");

  const WriteResult result = this->CommitOne(AcceptWrite(
      Alert("t1", "CASE-1").From("TH-RTP").To({"CN-MPS", "LA-MPS"})));

  ExpectError(result.status, absl::StatusCode::kPermissionDenied,
              "payload.case_ref");
  EXPECT_EQ(this->store().GetAlert("t1").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(this->AuditSize(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(this->Case("CASE-1"), before));
}

TYPED_TEST(StoreTest, GetCaseOfUnknownRefIsNotFound) {
  ExpectError(this->store().GetCase("CASE-404").status(),
              absl::StatusCode::kNotFound, "case_ref");
}

// ---------------------------------------------------------------------------
// UpdateCase

TYPED_TEST(StoreTest, UpdateCaseOutcomes) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  struct Case {
    std::string name;
    UpdateSpec update;
    absl::StatusCode want;
    std::string field;  // for errors
    bool duplicate = false;
    uint64_t audit_size_after;
    size_t history_after;
  };
  const std::vector<Case> cases = {
      {"ok", Update("CASE-1", "u1"), absl::StatusCode::kOk, "", false, 2, 2},
      {"same update again is a duplicate", Update("CASE-1", "u1").At(500),
       absl::StatusCode::kOk, "", true, 2, 2},
      {"update id reused with another payload",
       Update("CASE-1", "u1").Digest("other"), absl::StatusCode::kAlreadyExists,
       "payload.update_id", false, 2, 2},
      {"no such case", Update("CASE-404", "u2"), absl::StatusCode::kNotFound,
       "payload.case_ref", false, 2, 2},
      {"not the owner", Update("CASE-1", "u3").By("TH-RTP"),
       absl::StatusCode::kPermissionDenied, "payload.case_ref", false, 2, 2},
      {"second update",
       Update("CASE-1", "u4")
           .ToState(gw::v1::CaseStatus::VICTIM_LOCATED)
           .At(200),
       absl::StatusCode::kOk, "", false, 3, 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const WriteResult result = this->CommitOne(UpdateWrite(c.update));
    if (c.want == absl::StatusCode::kOk) {
      ASSERT_TRUE(result.status.ok()) << result.status;
      EXPECT_EQ(result.duplicate, c.duplicate);
      ASSERT_TRUE(result.case_status.has_value());
      EXPECT_TRUE(MessageDifferencer::Equals(*result.case_status,
                                             this->Case("CASE-1")));
    } else {
      ExpectError(result.status, c.want, c.field);
    }
    EXPECT_EQ(this->AuditSize(), c.audit_size_after);
    EXPECT_THAT(this->Case("CASE-1").history(), SizeIs(c.history_after));
  }

  const gw::v1::CaseStatus got = this->Case("CASE-1");
  EXPECT_EQ(got.state(), gw::v1::CaseStatus::VICTIM_LOCATED);
  EXPECT_TRUE(MessageDifferencer::Equals(got.updated_at(), At(200)));
  const gw::v1::CaseEvent& first_update = got.history(1);
  EXPECT_EQ(first_update.state(), gw::v1::CaseStatus::INVESTIGATING);
  EXPECT_EQ(first_update.update_id(), "u1");
  EXPECT_EQ(first_update.actor_agency(), "CN-MPS");
  EXPECT_EQ(first_update.actor_user(), "investigator1");
  EXPECT_EQ(first_update.payload_sha256(), "sha256-of-u1");
  ASSERT_THAT(first_update.note(), SizeIs(1));
  EXPECT_EQ(first_update.note(0).text(), "status changed");
  EXPECT_TRUE(MessageDifferencer::Equals(first_update.at(), At(100)));
}

TYPED_TEST(StoreTest, DuplicateUpdateReportsTheFirstAuditLeaf) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  const WriteResult first =
      this->CommitOne(UpdateWrite(Update("CASE-1", "u1")));
  const WriteResult again =
      this->CommitOne(UpdateWrite(Update("CASE-1", "u1")));
  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(first.audit_leaf_index, 1u);
  EXPECT_EQ(again.audit_leaf_index, 1u);
}

// ---------------------------------------------------------------------------
// ListAlerts

TYPED_TEST(StoreTest, ListAlertsShowsEachAgencyWhatItMaySee) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP"})));
  writes.push_back(AcceptWrite(Alert("a2", "CASE-1")
                                   .To({"VN-MPS"})
                                   .OfKind(gw::v1::CaseAlert::SUSPECT_WANTED)));
  writes.push_back(AcceptWrite(
      Alert("t1", "TH-CASE-9").From("TH-RTP").To({"CN-MPS", "LA-MPS"})));
  this->CommitBatch(writes);

  struct Case {
    std::string name;
    std::string visible_to_agency;
    std::string case_ref;
    gw::v1::CaseAlert::Kind kind;
    std::string origin_agency;
    std::vector<std::string> want;
  };
  constexpr gw::v1::CaseAlert::Kind kAny = gw::v1::CaseAlert::KIND_UNSPECIFIED;
  const std::vector<Case> cases = {
      {"no visibility filter", "", "", kAny, "", {"a1", "a2", "t1"}},
      {"origin and recipient", "CN-MPS", "", kAny, "", {"a1", "a2", "t1"}},
      {"origin of one, recipient of another",
       "TH-RTP",
       "",
       kAny,
       "",
       {"a1", "t1"}},
      {"recipient only", "VN-MPS", "", kAny, "", {"a2"}},
      {"recipient of another agency's alert", "LA-MPS", "", kAny, "", {"t1"}},
      {"neither", "MM-MPF", "", kAny, "", {}},
      {"case filter", "", "CASE-1", kAny, "", {"a1", "a2"}},
      {"kind filter", "", "", gw::v1::CaseAlert::SUSPECT_WANTED, "", {"a2"}},
      {"origin filter", "", "", kAny, "TH-RTP", {"t1"}},
      {"visibility and origin", "VN-MPS", "", kAny, "TH-RTP", {}},
      {"visibility and case", "TH-RTP", "CASE-1", kAny, "", {"a1"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AlertQuery query;
    query.visible_to_agency = c.visible_to_agency;
    query.case_ref = c.case_ref;
    query.kind = c.kind;
    query.origin_agency = c.origin_agency;
    int pages = 0;
    EXPECT_THAT(this->AllAlertIds(query, &pages), ElementsAreArray(c.want));
  }
}

TYPED_TEST(StoreTest, ListAlertsReturnsDeliveries) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})));
  absl::StatusOr<AlertPage> page = this->store().ListAlerts(AlertQuery());
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->alerts, SizeIs(1));
  EXPECT_TRUE(MessageDifferencer::Equals(
      page->alerts[0],
      MakeRecord(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"}))));
}

TYPED_TEST(StoreTest, ListAlertsPagesInAcceptanceOrder) {
  std::vector<Write> writes;
  std::vector<std::string> all;
  for (int i = 1; i <= 5; ++i) {
    all.push_back(absl::StrCat("a", i));
    writes.push_back(AcceptWrite(Alert(all.back(), "C")));
  }
  this->CommitBatch(writes);

  struct Case {
    int page_size;
    int want_pages;
  };
  const std::vector<Case> cases = {
      {1, 5},     {2, 3},    {4, 2},
      {5, 1},  // exact boundary: no token after the last full page
      {6, 1},     {1000, 1}, {0, 5},  // clamped to 1
      {-3, 5},                        // clamped to 1
      {100000, 1}                     // clamped to 1000
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat("page_size ", c.page_size));
    int pages = 0;
    EXPECT_THAT(this->AllAlertIds(AlertPageOf(c.page_size), &pages),
                ElementsAreArray(all));
    EXPECT_EQ(pages, c.want_pages);
  }

  absl::StatusOr<AlertPage> first = this->store().ListAlerts(AlertPageOf(2));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(AlertIds(first->alerts), ElementsAre("a1", "a2"));
  EXPECT_FALSE(first->next_page_token.empty());
}

TYPED_TEST(StoreTest, ListAlertsRefusesATokenItDidNotIssue) {
  this->CommitOne(AcceptWrite(Alert("a1", "C")));
  absl::StatusOr<CasePage> cases = this->store().ListCases(CasePageOf(1));
  ASSERT_TRUE(cases.ok());
  this->CommitOne(AcceptWrite(Alert("a2", "D")));
  absl::StatusOr<CasePage> more_cases = this->store().ListCases(CasePageOf(1));
  ASSERT_TRUE(more_cases.ok());
  ASSERT_FALSE(more_cases->next_page_token.empty());

  for (const std::string& token :
       {std::string("garbage"), std::string("-1"), std::string("0"),
        std::string("1x"), std::string(" 1"), std::string("1 "),
        std::string("99999999999999999999999"), std::string("\xff\xfe"),
        more_cases->next_page_token}) {
    SCOPED_TRACE(token);
    ExpectError(this->store().ListAlerts(AlertsAfter(token)).status(),
                absl::StatusCode::kInvalidArgument, "page_token");
  }
}

// ---------------------------------------------------------------------------
// ListCases

TYPED_TEST(StoreTest, ListCasesShowsOwnedAndSharedCases) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP"})));
  writes.push_back(
      AcceptWrite(Alert("t1", "TH-CASE-2").From("TH-RTP").To({"CN-MPS"})));
  writes.push_back(AcceptWrite(Alert("a3", "CASE-3").To({"VN-MPS"})));
  writes.push_back(
      UpdateWrite(Update("CASE-3", "u1").ToState(gw::v1::CaseStatus::CLOSED)));
  this->CommitBatch(writes);

  struct Case {
    std::string name;
    CaseQuery query;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"everything", CaseQuery(), {"CASE-1", "TH-CASE-2", "CASE-3"}},
      {"owner and shared",
       CasesVisibleTo("CN-MPS"),
       {"CASE-1", "TH-CASE-2", "CASE-3"}},
      {"shared and owner", CasesVisibleTo("TH-RTP"), {"CASE-1", "TH-CASE-2"}},
      {"shared only", CasesVisibleTo("VN-MPS"), {"CASE-3"}},
      {"neither", CasesVisibleTo("LA-MPS"), {}},
      {"state filter",
       CasesVisibleTo("", gw::v1::CaseStatus::OPEN),
       {"CASE-1", "TH-CASE-2"}},
      {"state and visibility",
       CasesVisibleTo("VN-MPS", gw::v1::CaseStatus::CLOSED),
       {"CASE-3"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    // Page by one to cover the case cursor as well.
    CaseQuery query = c.query;
    query.page_size = 1;
    std::vector<std::string> got;
    int pages = 0;
    do {
      absl::StatusOr<CasePage> page = this->store().ListCases(query);
      ASSERT_TRUE(page.ok()) << page.status();
      ASSERT_LE(++pages, 10);
      for (const std::string& ref : CaseRefs(page->cases)) got.push_back(ref);
      query.page_token = page->next_page_token;
    } while (!query.page_token.empty());
    EXPECT_THAT(got, ElementsAreArray(c.want));
  }

  // Listed cases are complete, as GetCase returns them.
  absl::StatusOr<CasePage> page = this->store().ListCases({});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->cases, SizeIs(3));
  EXPECT_TRUE(MessageDifferencer::Equals(page->cases[2], this->Case("CASE-3")));
  EXPECT_THAT(page->cases[2].history(), SizeIs(2));

  ExpectError(this->store().ListCases(CasesAfter("x")).status(),
              absl::StatusCode::kInvalidArgument, "page_token");
}

// ---------------------------------------------------------------------------
// Audit log

TYPED_TEST(StoreTest, AuditLeavesAreDenseInCommitOrderAndRoundTrip) {
  std::vector<gw::v1::AuditEntry> want_entries;
  std::vector<Write> first;
  first.push_back(AuditWrite("AuditService.GetEntries"));
  first.push_back(AcceptWrite(Alert("a1", "CASE-1")));
  first.push_back(
      AcceptWrite(Alert("a1", "CASE-1").Digest("different")));  // refused
  first.push_back(UpdateWrite(Update("CASE-1", "u1")));
  this->CommitBatch(first);
  std::vector<Write> second;
  second.push_back(AuditWrite("AlertService.SendAlert.Refused"));
  second.push_back(AcceptWrite(Alert("a2", "CASE-1")));
  this->CommitBatch(second);

  std::vector<uint64_t> indexes;
  for (std::vector<Write>* batch : {&first, &second}) {
    for (const Write& write : *batch) {
      if (!write.result.status.ok()) continue;
      indexes.push_back(write.result.audit_leaf_index);
      std::visit(
          [&](const auto& op) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(op)>,
                                          SaveCheckpoint>) {
              want_entries.push_back(op.audit);
            }
          },
          write.op);
    }
  }
  EXPECT_THAT(indexes, ElementsAre(0u, 1u, 2u, 3u, 4u));
  EXPECT_EQ(this->AuditSize(), 5u);

  absl::StatusOr<std::vector<AuditLeaf>> leaves =
      this->store().ReadAuditLog(0, 100);
  ASSERT_TRUE(leaves.ok()) << leaves.status();
  ASSERT_THAT(*leaves, SizeIs(5));
  for (size_t i = 0; i < leaves->size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ((*leaves)[i].leaf_index, i);
    EXPECT_EQ((*leaves)[i].leaf_data, DeterministicBytes(want_entries[i]));
    gw::v1::AuditEntry parsed;
    ASSERT_TRUE(parsed.ParseFromString((*leaves)[i].leaf_data));
    EXPECT_TRUE(MessageDifferencer::Equals(parsed, want_entries[i]));
  }

  struct Case {
    uint64_t start;
    uint64_t count;
    std::vector<uint64_t> want;
  };
  const std::vector<Case> ranges = {
      {1, 2, {1, 2}},
      {4, 10, {4}},
      {5, 1, {}},
      {0, 0, {}},
      {UINT64_MAX, UINT64_MAX, {}},
      {3, UINT64_MAX, {3, 4}},
  };
  for (const Case& c : ranges) {
    SCOPED_TRACE(absl::StrCat("start ", c.start, " count ", c.count));
    absl::StatusOr<std::vector<AuditLeaf>> got =
        this->store().ReadAuditLog(c.start, c.count);
    ASSERT_TRUE(got.ok()) << got.status();
    std::vector<uint64_t> got_indexes;
    for (const AuditLeaf& leaf : *got) got_indexes.push_back(leaf.leaf_index);
    EXPECT_THAT(got_indexes, ElementsAreArray(c.want));
  }
}

TYPED_TEST(StoreTest, EmptyStoreHasEmptyLogAndLists) {
  EXPECT_EQ(this->AuditSize(), 0u);
  absl::StatusOr<AlertPage> alerts = this->store().ListAlerts({});
  ASSERT_TRUE(alerts.ok()) << alerts.status();
  EXPECT_THAT(alerts->alerts, IsEmpty());
  EXPECT_TRUE(alerts->next_page_token.empty());
  absl::StatusOr<CasePage> cases = this->store().ListCases({});
  ASSERT_TRUE(cases.ok()) << cases.status();
  EXPECT_THAT(cases->cases, IsEmpty());
  EXPECT_TRUE(this->store().Commit({}).ok());
}

// ---------------------------------------------------------------------------
// Durability and schema

TYPED_TEST(StoreTest, CommittedDataSurvivesReopen) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})));
  writes.push_back(UpdateWrite(Update("CASE-1", "u1")));
  this->CommitBatch(writes);
  const gw::v1::CaseStatus case_before = this->Case("CASE-1");
  absl::StatusOr<std::vector<AuditLeaf>> log_before =
      this->store().ReadAuditLog(0, 10);
  ASSERT_TRUE(log_before.ok());

  ASSERT_NO_FATAL_FAILURE(this->Reopen());

  absl::StatusOr<gw::v1::AlertRecord> alert = this->store().GetAlert("a1");
  ASSERT_TRUE(alert.ok()) << alert.status();
  EXPECT_TRUE(MessageDifferencer::Equals(
      *alert, std::get<AcceptAlert>(writes[0].op).record));
  EXPECT_TRUE(MessageDifferencer::Equals(this->Case("CASE-1"), case_before));
  absl::StatusOr<std::vector<AuditLeaf>> log_after =
      this->store().ReadAuditLog(0, 10);
  ASSERT_TRUE(log_after.ok());
  ASSERT_EQ(log_after->size(), log_before->size());
  for (size_t i = 0; i < log_after->size(); ++i) {
    EXPECT_EQ((*log_after)[i].leaf_data, (*log_before)[i].leaf_data);
  }
  // Idempotency and leaf numbering carry over.
  EXPECT_TRUE(
      this->CommitOne(
              AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})))
          .duplicate);
  EXPECT_EQ(this->CommitOne(AuditWrite("After.Reopen")).audit_leaf_index, 2u);
}

TYPED_TEST(StoreTest, DatabaseFromANewerVersionIsRefused) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  this->store_.reset();
  ASSERT_TRUE(this->factory_.MakeSchemaNewerThanCode().ok());

  absl::StatusOr<std::unique_ptr<Store>> store = this->factory_.Open();

  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(store.status().message(),
                                "is newer than this gatewayd"))
      << store.status();
}

// ---------------------------------------------------------------------------
// Concurrency

TYPED_TEST(StoreTest, ReadsRunConcurrentlyWithCommits) {
  constexpr int kBatches = 40;
  constexpr int kPerBatch = 5;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};

  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<Write> writes;
      for (int i = 0; i < kPerBatch; ++i) {
        writes.push_back(AcceptWrite(
            Alert(absl::StrCat("a", b, "-", i), absl::StrCat("CASE-", i))
                .To({"TH-RTP", "VN-MPS"})
                .ReceivedAt(b)));
      }
      std::vector<Write*> batch;
      for (Write& write : writes) batch.push_back(&write);
      EXPECT_TRUE(this->store().Commit(batch).ok());
    }
    done = true;
  });

  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      uint64_t last_size = 0;
      while (!done) {
        absl::StatusOr<uint64_t> size = this->store().AuditLogSize();
        ASSERT_TRUE(size.ok()) << size.status();
        // Batches commit atomically and the log only grows.
        EXPECT_GE(*size, last_size);
        EXPECT_EQ(*size % kPerBatch, 0u);
        last_size = *size;
        AlertQuery query = AlertsVisibleTo("VN-MPS");
        query.page_size = 1000;
        absl::StatusOr<AlertPage> page = this->store().ListAlerts(query);
        ASSERT_TRUE(page.ok()) << page.status();
        EXPECT_EQ(page->alerts.size() % kPerBatch, 0u);
        for (const gw::v1::AlertRecord& record : page->alerts) {
          EXPECT_THAT(record.deliveries(), SizeIs(2));
        }
        absl::StatusOr<gw::v1::CaseStatus> status =
            this->store().GetCase("CASE-0");
        if (status.ok()) {
          EXPECT_THAT(status->history(), SizeIs(1));
        } else {
          EXPECT_EQ(status.status().code(), absl::StatusCode::kNotFound);
        }
        ++reads;
      }
    });
  }
  writer.join();
  for (std::thread& reader : readers) reader.join();

  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(this->AuditSize(), uint64_t{kBatches * kPerBatch});
  EXPECT_THAT(this->Case("CASE-0").alert_ids(), SizeIs(kBatches));
}

// ---------------------------------------------------------------------------
// SQLite-specific behaviour

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.path() + "/gateway.db"; }

  TempDir dir_;
};

TEST_F(SqliteStoreTest, OpenRefusesBadArguments) {
  struct Case {
    std::string name;
    std::string path;
    int read_connections;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"empty path", "", 4, "path"},
      {"in-memory database", ":memory:", 4, "path"},
      {"uri", "file:x.db", 4, "path"},
      {"no readers", Path(), 0, "options.read_connections"},
      {"too many readers", Path(), 65, "options.read_connections"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    SqliteStore::Options options;
    options.read_connections = c.read_connections;
    ExpectError(SqliteStore::Open(c.path, options).status(),
                absl::StatusCode::kInvalidArgument, c.field);
  }
  SqliteStore::Options options;
  options.read_connections = 1;
  EXPECT_TRUE(SqliteStore::Open(Path(), options).ok());
}

TEST_F(SqliteStoreTest, OpenRefusesAFileThatIsNotADatabase) {
  std::ofstream(Path()) << "this is not a SQLite database, just some text "
                           "long enough to fill a header....................";
  EXPECT_EQ(SqliteStore::Open(Path()).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(SqliteStoreTest, LockedDatabaseAbortsTheWholeBatch) {
  SqliteStore::Options options;
  options.busy_timeout = absl::Milliseconds(20);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(Path(), options);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::unique_ptr<sqlite::Connection>> other =
      sqlite::Connection::Open(Path(), sqlite::Connection::Mode::kReadWrite,
                               absl::ZeroDuration());
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE((*other)->Exec("BEGIN IMMEDIATE").ok());

  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1")));
  writes.push_back(AuditWrite("Some.Action"));
  std::vector<Write*> batch = {&writes[0], &writes[1]};
  const absl::Status locked = (*store)->Commit(batch);

  EXPECT_EQ(locked.code(), absl::StatusCode::kAborted) << locked;
  for (const Write& write : writes) {
    EXPECT_EQ(write.result.status.code(), absl::StatusCode::kAborted);
  }
  ASSERT_TRUE((*other)->Exec("ROLLBACK").ok());
  // Nothing was applied, and the store works once the lock is gone.
  absl::StatusOr<uint64_t> size = (*store)->AuditLogSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 0u);
  ASSERT_TRUE((*store)->Commit(batch).ok());
  EXPECT_TRUE(writes[0].result.status.ok()) << writes[0].result.status;
  EXPECT_EQ(writes[1].result.audit_leaf_index, 1u);
}

TEST_F(SqliteStoreTest, BrokenInvariantFailsOnlyItsWrite) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(Path());
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1")));
  // Reuses a1's message id: the outbox must never hold it twice.
  writes.push_back(AcceptWrite(Alert("a2", "CASE-2")));
  std::get<AcceptAlert>(writes[1].op)
      .record.mutable_deliveries(0)
      ->set_message_id("a1/TH-RTP");
  writes.push_back(AcceptWrite(Alert("a3", "CASE-3")));
  std::vector<Write*> batch = {&writes[0], &writes[1], &writes[2]};

  ASSERT_TRUE((*store)->Commit(batch).ok());

  EXPECT_TRUE(writes[0].result.status.ok());
  EXPECT_EQ(writes[1].result.status.code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(writes[2].result.status.ok());
  EXPECT_EQ(writes[2].result.audit_leaf_index, 1u);
  EXPECT_EQ((*store)->GetAlert("a2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->GetCase("CASE-2").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, MissingIdsAreInvalidArgument) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(Path());
  ASSERT_TRUE(store.ok()) << store.status();
  struct Case {
    std::string name;
    Write write;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back(
      {"alert id", AcceptWrite(Alert("", "C")), "payload.alert_id"});
  cases.push_back(
      {"case ref", AcceptWrite(Alert("a1", "")), "payload.case_ref"});
  cases.push_back(
      {"update id", UpdateWrite(Update("C", "")), "payload.update_id"});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<Write*> batch = {&c.write};
    ASSERT_TRUE((*store)->Commit(batch).ok());
    ExpectError(c.write.result.status, absl::StatusCode::kInvalidArgument,
                c.field);
  }
}

}  // namespace
}  // namespace gw::store
