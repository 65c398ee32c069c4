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
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gateway/store/sqlite/sqlite_schema.h"
#include "gateway/store/sqlite/sqlite_statement.h"
#include "gateway/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fake_store.h"
#include "tests/support/scoped_temp_dir.h"
#include "tests/unit/gateway/store/released_schemas.h"

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

// The in-memory store of tests/support, which unit tests of the ingest
// writer and the delivery engine rely on. It cannot reopen what it held, so
// it runs only the suites that do not reopen (OutboxStoreTest).
class FakeStoreFactory {
 public:
  static std::string Name() { return "Fake"; }
  absl::StatusOr<std::unique_ptr<Store>> Open() {
    return std::unique_ptr<Store>(std::make_unique<testing::FakeStore>());
  }
};

using StoreFactories = ::testing::Types<SqliteStoreFactory>;
using AllStoreFactories =
    ::testing::Types<SqliteStoreFactory, FakeStoreFactory>;

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
  AlertSpec WithPriority(gw::v1::CaseAlert::Priority p) const {
    AlertSpec spec = *this;
    spec.priority = p;
    return spec;
  }

  std::string alert_id;
  std::string case_ref;
  std::string origin = "CN-MPS";
  std::vector<std::string> recipients = {"TH-RTP"};
  std::string payload_sha256;  // default: derived from alert_id
  int64_t received = 0;        // seconds after kBaseTime
  gw::v1::CaseAlert::Kind kind = gw::v1::CaseAlert::MISSING_PERSON;
  gw::v1::CaseAlert::Priority priority = gw::v1::CaseAlert::HIGH;
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
  alert->set_priority(spec.priority);
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
                                   "alert:" + spec.alert_id, spec.received),
                         std::nullopt};
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
            using Op = std::decay_t<decltype(op)>;
            if constexpr (std::is_same_v<Op, UpdateDelivery>) {
              if (op.audit.has_value()) want_entries.push_back(*op.audit);
            } else if constexpr (!std::is_same_v<Op, SaveCheckpoint>) {
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

TYPED_TEST(StoreTest, OutboxProgressAndPartnerMessagesSurviveReopen) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})));
  writes.push_back(
      AcceptWrite(Alert("t1", "TH-CASE-1").From("TH-RTP").To({"CN-MPS"})));
  {
    AcceptAlert& op = std::get<AcceptAlert>(writes.back().op);
    op.record.clear_deliveries();
    gw::v1::ReceiptWarning warning;
    warning.set_code("ZAWGYI_CONVERTED");
    warning.set_field("narrative[0].text");
    op.inbound = InboundOrigin{
        "TH-RTP", "m1", "digest-1", {warning}, std::string("FRAME\0BYTES", 11)};
  }
  this->CommitBatch(writes);
  UpdateDelivery retry;
  retry.message_id = "a1/TH-RTP";
  retry.delivery.set_message_id("a1/TH-RTP");
  retry.delivery.set_state(gw::v1::Delivery::RETRYING);
  retry.delivery.set_attempts(2);
  *retry.delivery.mutable_next_attempt_at() = At(300);
  retry.at = absl::FromUnixSeconds(kBaseTime + 250);
  Write retry_write;
  retry_write.op = retry;
  ASSERT_TRUE(this->CommitOne(std::move(retry_write)).status.ok());
  absl::StatusOr<std::vector<DeliveryRow>> before =
      this->store().PendingDeliveries();
  ASSERT_TRUE(before.ok()) << before.status();

  ASSERT_NO_FATAL_FAILURE(this->Reopen());

  absl::StatusOr<std::vector<DeliveryRow>> after =
      this->store().PendingDeliveries();
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), before->size());
  for (size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ((*after)[i].seq, (*before)[i].seq);
    EXPECT_EQ((*after)[i].case_ref, (*before)[i].case_ref);
    EXPECT_TRUE(MessageDifferencer::Equals((*after)[i].delivery,
                                           (*before)[i].delivery));
  }
  // The partner's message is still known: a resend is a duplicate with the
  // first warnings, another digest a conflict.
  Write resend = writes[1];
  const WriteResult again = this->CommitOne(resend);
  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_TRUE(again.duplicate);
  EXPECT_TRUE(again.duplicate_message);
  EXPECT_EQ(again.audit_leaf_index, 1u);
  ASSERT_EQ(again.receipt_warnings.size(), 1u);
  EXPECT_EQ(again.receipt_warnings[0].code(), "ZAWGYI_CONVERTED");
  std::get<AcceptAlert>(resend.op).inbound->received_sha256 = "digest-2";
  ExpectError(this->CommitOne(resend).status, absl::StatusCode::kAlreadyExists,
              "gw-message-id");
  absl::StatusOr<std::string> digest =
      this->store().InboundMessageDigest("TH-RTP", "m1");
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, "digest-1");
  // With the partner's own signed bytes, byte for byte (NULs included).
  absl::StatusOr<std::string> evidence =
      this->store().InboundMessageEvidence("TH-RTP", "m1");
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  EXPECT_EQ(*evidence, std::string("FRAME\0BYTES", 11));
  EXPECT_TRUE(absl::IsNotFound(
      this->store().InboundMessageEvidence("TH-RTP", "m2").status()));
  // And its recipient still sees the alert, which has no deliveries.
  int pages = 0;
  EXPECT_THAT(this->AllAlertIds(AlertsVisibleTo("CN-MPS"), &pages),
              ElementsAre("a1", "t1"));
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
// The outbox and partner messages (UpdateDelivery, PendingDeliveries,
// ListDeliveries, GetDelivery, AcceptAlert.inbound), over every Store.

gw::v1::ReceiptWarning Warning(std::string code, std::string field) {
  gw::v1::ReceiptWarning warning;
  warning.set_code(std::move(code));
  warning.set_field(std::move(field));
  return warning;
}

// An alert a partner sent: TH-RTP's own, for CN-MPS.
AlertSpec PartnerAlert(std::string alert_id, std::string case_ref) {
  return Alert(std::move(alert_id), std::move(case_ref))
      .From("TH-RTP")
      .To({"CN-MPS"});
}

// A partner message, built as Message("m1").Digest("d").Warn("CODE", "f").
struct MessageSpec {
  MessageSpec From(std::string agency) const {
    MessageSpec spec = *this;
    spec.sender = std::move(agency);
    return spec;
  }
  MessageSpec Digest(std::string digest) const {
    MessageSpec spec = *this;
    spec.received_sha256 = std::move(digest);
    return spec;
  }
  MessageSpec Warn(std::string code, std::string field) const {
    MessageSpec spec = *this;
    spec.warnings.push_back(Warning(std::move(code), std::move(field)));
    return spec;
  }

  std::string sender = "TH-RTP";
  std::string message_id;
  std::string received_sha256;  // default: derived from message_id
  std::vector<gw::v1::ReceiptWarning> warnings;
};

MessageSpec Message(std::string message_id) {
  MessageSpec spec;
  spec.message_id = std::move(message_id);
  return spec;
}

// Accepts `alert` (without deliveries) as carried by `message`.
Write InboundWrite(const AlertSpec& alert, const MessageSpec& message) {
  Write write = AcceptWrite(alert);
  AcceptAlert& op = std::get<AcceptAlert>(write.op);
  op.record.clear_deliveries();
  op.audit.set_actor_agency(message.sender);
  op.inbound = InboundOrigin{message.sender, message.message_id,
                             message.received_sha256.empty()
                                 ? "received-sha256-of-" + message.message_id
                                 : message.received_sha256,
                             message.warnings};
  return write;
}

// A delivery's progress, built as
// Progress("a1/TH-RTP", RETRYING).Attempts(2).Audited("Delivery.Retried").
struct ProgressSpec {
  ProgressSpec Attempts(uint32_t n) const {
    ProgressSpec spec = *this;
    spec.delivery.set_attempts(n);
    return spec;
  }
  ProgressSpec NextAttemptAt(int64_t seconds) const {
    ProgressSpec spec = *this;
    *spec.delivery.mutable_next_attempt_at() = At(seconds);
    return spec;
  }
  ProgressSpec Reason(std::string reason) const {
    ProgressSpec spec = *this;
    spec.delivery.set_reason(std::move(reason));
    return spec;
  }
  ProgressSpec WithReceipt(const gw::v1::Receipt& receipt) const {
    ProgressSpec spec = *this;
    *spec.delivery.mutable_receipt() = receipt;
    return spec;
  }
  // The id the delivery has after the write (default: unchanged).
  ProgressSpec NewId(std::string id) const {
    ProgressSpec spec = *this;
    spec.new_id = std::move(id);
    return spec;
  }
  ProgressSpec AtTime(int64_t seconds) const {
    ProgressSpec spec = *this;
    spec.at = seconds;
    return spec;
  }
  ProgressSpec Audited(std::string action) const {
    ProgressSpec spec = *this;
    spec.audit_action = std::move(action);
    return spec;
  }

  std::string message_id;
  gw::v1::Delivery delivery;  // state and the other fields to set
  std::optional<std::string> new_id;
  int64_t at = 200;  // seconds after kBaseTime
  std::optional<std::string> audit_action;
};

ProgressSpec Progress(std::string message_id, gw::v1::Delivery::State state) {
  ProgressSpec spec;
  spec.message_id = std::move(message_id);
  spec.delivery.set_state(state);
  return spec;
}

Write ProgressWrite(const ProgressSpec& spec) {
  UpdateDelivery op;
  op.message_id = spec.message_id;
  op.delivery = spec.delivery;
  op.delivery.set_message_id(spec.new_id.value_or(spec.message_id));
  op.at = absl::FromUnixSeconds(kBaseTime + spec.at);
  if (spec.audit_action.has_value()) {
    op.audit =
        MakeAudit(*spec.audit_action, "delivery:" + spec.message_id, spec.at);
  }
  Write write;
  write.op = std::move(op);
  return write;
}

DeliveryQuery DeliveriesWhere(std::string recipient, std::string alert_id,
                              std::vector<gw::v1::Delivery::State> states) {
  DeliveryQuery query;
  query.recipient = std::move(recipient);
  query.alert_id = std::move(alert_id);
  query.states = std::move(states);
  return query;
}

std::vector<std::string> MessageIds(const std::vector<DeliveryRow>& rows) {
  std::vector<std::string> ids;
  for (const DeliveryRow& row : rows) ids.push_back(row.delivery.message_id());
  return ids;
}

void ExpectSameRow(const DeliveryRow& got, const DeliveryRow& want) {
  EXPECT_EQ(got.seq, want.seq);
  EXPECT_EQ(got.alert_id, want.alert_id);
  EXPECT_EQ(got.case_ref, want.case_ref);
  EXPECT_EQ(got.origin_agency, want.origin_agency);
  EXPECT_EQ(got.priority, want.priority);
  EXPECT_TRUE(MessageDifferencer::Equals(got.delivery, want.delivery))
      << got.delivery.DebugString() << " vs " << want.delivery.DebugString();
}

bool SameWarnings(const std::vector<gw::v1::ReceiptWarning>& got,
                  const std::vector<gw::v1::ReceiptWarning>& want) {
  if (got.size() != want.size()) return false;
  for (size_t i = 0; i < got.size(); ++i) {
    if (!MessageDifferencer::Equals(got[i], want[i])) return false;
  }
  return true;
}

template <typename Factory>
class OutboxStoreTest : public StoreTest<Factory> {
 protected:
  DeliveryRow Delivery(absl::string_view message_id) {
    absl::StatusOr<DeliveryRow> row = this->store().GetDelivery(message_id);
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() ? *row : DeliveryRow();
  }

  std::vector<DeliveryRow> Pending() {
    absl::StatusOr<std::vector<DeliveryRow>> rows =
        this->store().PendingDeliveries();
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : std::vector<DeliveryRow>();
  }

  // Every delivery of `query`, following next_page_token; counts pages.
  std::vector<std::string> AllDeliveryIds(DeliveryQuery query, int* pages) {
    std::vector<std::string> ids;
    *pages = 0;
    int64_t last_seq = 0;
    do {
      absl::StatusOr<DeliveryPage> page = this->store().ListDeliveries(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || ++*pages > 100) break;
      for (const DeliveryRow& row : page->deliveries) {
        EXPECT_GT(row.seq, last_seq);
        last_seq = row.seq;
        ids.push_back(row.delivery.message_id());
      }
      query.page_token = page->next_page_token;
    } while (!query.page_token.empty());
    return ids;
  }

  // Three alerts, their eight deliveries in every state:
  //   a1 CASE-1 CN-MPS HIGH    TH-RTP SENT, VN-MPS ACKNOWLEDGED
  //   a2 CASE-2 VN-MPS URGENT  TH-RTP RETRYING, KH-CNP FAILED
  //   a3 CASE-1 CN-MPS ROUTINE TH-RTP CANCELLED, VN-MPS QUEUED,
  //                            KH-CNP RETRYING (after SENT), LA-MPS QUEUED
  void SeedOutbox() {
    std::vector<Write> writes;
    writes.push_back(
        AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})));
    writes.push_back(AcceptWrite(Alert("a2", "CASE-2")
                                     .From("VN-MPS")
                                     .To({"TH-RTP", "KH-CNP"})
                                     .WithPriority(gw::v1::CaseAlert::URGENT)
                                     .ReceivedAt(1)));
    writes.push_back(
        AcceptWrite(Alert("a3", "CASE-1")
                        .To({"TH-RTP", "VN-MPS", "KH-CNP", "LA-MPS"})
                        .WithPriority(gw::v1::CaseAlert::ROUTINE)
                        .ReceivedAt(2)));
    writes.push_back(ProgressWrite(
        Progress("a1/TH-RTP", gw::v1::Delivery::SENT).Attempts(1)));
    writes.push_back(
        ProgressWrite(Progress("a1/VN-MPS", gw::v1::Delivery::ACKNOWLEDGED)
                          .Attempts(1)
                          .Audited("Delivery.Acknowledged")));
    writes.push_back(
        ProgressWrite(Progress("a2/TH-RTP", gw::v1::Delivery::RETRYING)
                          .Attempts(2)
                          .NextAttemptAt(260)
                          .Reason("connection refused")));
    writes.push_back(
        ProgressWrite(Progress("a2/KH-CNP", gw::v1::Delivery::FAILED)
                          .Attempts(1)
                          .Reason("NK 301")
                          .Audited("Delivery.DeadLettered")));
    writes.push_back(
        ProgressWrite(Progress("a3/TH-RTP", gw::v1::Delivery::CANCELLED)
                          .Audited("Delivery.Cancelled")));
    writes.push_back(ProgressWrite(
        Progress("a3/KH-CNP", gw::v1::Delivery::SENT).Attempts(1)));
    writes.push_back(
        ProgressWrite(Progress("a3/KH-CNP", gw::v1::Delivery::RETRYING)
                          .Attempts(1)
                          .NextAttemptAt(210)));
    ASSERT_NO_FATAL_FAILURE(this->CommitBatch(writes));
    for (size_t i = 0; i < writes.size(); ++i) {
      ASSERT_TRUE(writes[i].result.status.ok())
          << "write " << i << ": " << writes[i].result.status;
    }
  }
};

TYPED_TEST_SUITE(OutboxStoreTest, AllStoreFactories, FactoryNames);

// --- UpdateDelivery

TYPED_TEST(OutboxStoreTest, RetryBookkeepingIsRecordedWithoutAnAuditEntry) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})));
  const gw::v1::Delivery untouched =
      std::get<AcceptAlert>(
          AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})).op)
          .record.deliveries(1);

  const WriteResult result = this->CommitOne(
      ProgressWrite(Progress("a1/TH-RTP", gw::v1::Delivery::RETRYING)
                        .Attempts(2)
                        .NextAttemptAt(300)
                        .Reason("connection refused")
                        .AtTime(250)));

  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_FALSE(result.duplicate);
  EXPECT_EQ(this->AuditSize(), 1u);
  EXPECT_TRUE(result.audit_leaf_data.empty());
  ASSERT_TRUE(result.delivery.has_value());
  const DeliveryRow& row = *result.delivery;
  EXPECT_EQ(row.alert_id, "a1");
  EXPECT_EQ(row.case_ref, "CASE-1");
  EXPECT_EQ(row.origin_agency, "CN-MPS");
  EXPECT_EQ(row.priority, gw::v1::CaseAlert::HIGH);
  gw::v1::Delivery want;
  want.set_recipient("TH-RTP");
  want.set_state(gw::v1::Delivery::RETRYING);
  want.set_message_id("a1/TH-RTP");
  *want.mutable_updated_at() = At(250);
  want.set_attempts(2);
  *want.mutable_next_attempt_at() = At(300);
  want.set_reason("connection refused");
  EXPECT_TRUE(MessageDifferencer::Equals(row.delivery, want))
      << row.delivery.DebugString();
  ExpectSameRow(this->Delivery("a1/TH-RTP"), row);

  // GetAlert and ListAlerts show the new progress, and only on that row.
  absl::StatusOr<gw::v1::AlertRecord> alert = this->store().GetAlert("a1");
  ASSERT_TRUE(alert.ok()) << alert.status();
  ASSERT_THAT(alert->deliveries(), SizeIs(2));
  EXPECT_TRUE(MessageDifferencer::Equals(alert->deliveries(0), want));
  EXPECT_TRUE(MessageDifferencer::Equals(alert->deliveries(1), untouched));
  absl::StatusOr<AlertPage> listed = this->store().ListAlerts({});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->alerts, SizeIs(1));
  EXPECT_TRUE(MessageDifferencer::Equals(listed->alerts[0], *alert));
}

TYPED_TEST(OutboxStoreTest, AcknowledgementIsAuditedProvablyAndFinal) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  this->CommitOne(
      ProgressWrite(Progress("a1/TH-RTP", gw::v1::Delivery::RETRYING)
                        .Attempts(1)
                        .NextAttemptAt(300)
                        .Reason("timeout")));
  gw::v1::Receipt receipt;
  receipt.set_message_id("a1/TH-RTP");
  receipt.set_payload_sha256("sha256-of-the-frame");
  receipt.set_recipient("TH-RTP");
  receipt.set_status(gw::v1::Receipt::ACCEPTED);
  *receipt.mutable_received_at() = At(399);
  const ProgressSpec ack = Progress("a1/TH-RTP", gw::v1::Delivery::ACKNOWLEDGED)
                               .Attempts(2)
                               .WithReceipt(receipt)
                               .AtTime(400)
                               .Audited("Delivery.Acknowledged");

  const WriteResult result = this->CommitOne(ProgressWrite(ack));

  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_EQ(result.audit_leaf_index, 1u);
  EXPECT_EQ(result.audit_leaf_data,
            DeterministicBytes(
                *std::get<UpdateDelivery>(ProgressWrite(ack).op).audit));
  absl::StatusOr<std::vector<AuditLeaf>> leaf =
      this->store().ReadAuditLog(1, 1);
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  ASSERT_THAT(*leaf, SizeIs(1));
  EXPECT_EQ((*leaf)[0].leaf_data, result.audit_leaf_data);
  absl::StatusOr<AuditTreeHead> head = this->store().AuditHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 2u);
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
  ASSERT_TRUE(result.delivery.has_value());
  const gw::v1::Delivery& acked = result.delivery->delivery;
  EXPECT_EQ(acked.state(), gw::v1::Delivery::ACKNOWLEDGED);
  EXPECT_EQ(acked.attempts(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(acked.receipt(), receipt));
  // What the write does not set is cleared, not kept from the retry.
  EXPECT_FALSE(acked.has_next_attempt_at());
  EXPECT_EQ(acked.reason(), "");
  EXPECT_TRUE(MessageDifferencer::Equals(acked.updated_at(), At(400)));
  ExpectSameRow(this->Delivery("a1/TH-RTP"), *result.delivery);
  EXPECT_THAT(this->Pending(), IsEmpty());

  // Final: neither a later state nor the same acknowledgement again.
  for (const ProgressSpec& later :
       {Progress("a1/TH-RTP", gw::v1::Delivery::RETRYING).Attempts(3), ack,
        Progress("a1/TH-RTP", gw::v1::Delivery::QUEUED)
            .NewId("a1/TH-RTP/2")
            .Audited("Delivery.Requeued")}) {
    const WriteResult refused = this->CommitOne(ProgressWrite(later));
    ExpectError(refused.status, absl::StatusCode::kFailedPrecondition,
                "delivery.state");
    EXPECT_FALSE(refused.delivery.has_value());
  }
  EXPECT_EQ(this->AuditSize(), 2u);
  ExpectSameRow(this->Delivery("a1/TH-RTP"), *result.delivery);
  EXPECT_EQ(this->store().GetDelivery("a1/TH-RTP/2").status().code(),
            absl::StatusCode::kNotFound);
}

TYPED_TEST(OutboxStoreTest, DeadLetterIsRequeuedUnderANewMessageId) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})));
  const WriteResult dead = this->CommitOne(
      ProgressWrite(Progress("a1/TH-RTP", gw::v1::Delivery::FAILED)
                        .Attempts(1)
                        .Reason("NK 301")
                        .Audited("Delivery.DeadLettered")));
  ASSERT_TRUE(dead.status.ok()) << dead.status;
  EXPECT_THAT(MessageIds(this->Pending()), ElementsAre("a1/VN-MPS"));

  const WriteResult requeued = this->CommitOne(
      ProgressWrite(Progress("a1/TH-RTP", gw::v1::Delivery::QUEUED)
                        .NewId("a1/TH-RTP/2")
                        .AtTime(500)
                        .Audited("Delivery.Requeued")));

  ASSERT_TRUE(requeued.status.ok()) << requeued.status;
  EXPECT_EQ(dead.audit_leaf_index, 1u);
  EXPECT_EQ(requeued.audit_leaf_index, 2u);
  ASSERT_TRUE(requeued.delivery.has_value());
  // The same outbox row (its place in the order), under its new id.
  EXPECT_EQ(requeued.delivery->seq, dead.delivery->seq);
  EXPECT_EQ(requeued.delivery->delivery.message_id(), "a1/TH-RTP/2");
  EXPECT_EQ(requeued.delivery->delivery.state(), gw::v1::Delivery::QUEUED);
  EXPECT_EQ(requeued.delivery->delivery.attempts(), 0u);
  EXPECT_EQ(requeued.delivery->delivery.reason(), "");
  ExpectSameRow(this->Delivery("a1/TH-RTP/2"), *requeued.delivery);
  ExpectError(this->store().GetDelivery("a1/TH-RTP").status(),
              absl::StatusCode::kNotFound, "message_id");
  ExpectError(this->CommitOne(ProgressWrite(Progress("a1/TH-RTP",
                                                     gw::v1::Delivery::SENT)))
                  .status,
              absl::StatusCode::kNotFound, "message_id");
  absl::StatusOr<gw::v1::AlertRecord> alert = this->store().GetAlert("a1");
  ASSERT_TRUE(alert.ok()) << alert.status();
  ASSERT_THAT(alert->deliveries(), SizeIs(2));
  EXPECT_EQ(alert->deliveries(0).message_id(), "a1/TH-RTP/2");
  EXPECT_EQ(alert->deliveries(0).recipient(), "TH-RTP");
  EXPECT_EQ(alert->deliveries(0).state(), gw::v1::Delivery::QUEUED);
  EXPECT_THAT(MessageIds(this->Pending()),
              ElementsAre("a1/TH-RTP/2", "a1/VN-MPS"));
  EXPECT_EQ(this->AuditSize(), 3u);
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
}

TYPED_TEST(OutboxStoreTest, UpdateDeliveryRefusalsLeaveNoTrace) {
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"})));
  const absl::StatusOr<gw::v1::AlertRecord> before =
      this->store().GetAlert("a1");
  ASSERT_TRUE(before.ok());
  struct Case {
    std::string name;
    ProgressSpec progress;
    absl::StatusCode want;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"no delivery has the id", Progress("a9/TH-RTP", gw::v1::Delivery::SENT),
       absl::StatusCode::kNotFound, "message_id"},
      {"the new id belongs to another delivery",
       Progress("a1/TH-RTP", gw::v1::Delivery::QUEUED).NewId("a1/VN-MPS"),
       absl::StatusCode::kAlreadyExists, "delivery.message_id"},
      {"no message id", Progress("", gw::v1::Delivery::SENT),
       absl::StatusCode::kInvalidArgument, "message_id"},
      {"no new message id",
       Progress("a1/TH-RTP", gw::v1::Delivery::SENT).NewId(""),
       absl::StatusCode::kInvalidArgument, "delivery.message_id"},
      {"no state", Progress("a1/TH-RTP", gw::v1::Delivery::STATE_UNSPECIFIED),
       absl::StatusCode::kInvalidArgument, "delivery.state"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const WriteResult result =
        this->CommitOne(ProgressWrite(c.progress.Audited("Delivery.Changed")));
    ExpectError(result.status, c.want, c.field);
    EXPECT_FALSE(result.delivery.has_value());
    EXPECT_EQ(this->AuditSize(), 1u);
    absl::StatusOr<gw::v1::AlertRecord> after = this->store().GetAlert("a1");
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(MessageDifferencer::Equals(*after, *before));
  }
}

TYPED_TEST(OutboxStoreTest, FailedUpdatesInABatchLeaveNoTraceAndTheRestCommit) {
  this->CommitOne(
      AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS", "KH-CNP"})));
  this->CommitOne(
      ProgressWrite(Progress("a1/KH-CNP", gw::v1::Delivery::ACKNOWLEDGED)
                        .Attempts(1)
                        .Audited("Delivery.Acknowledged")));
  const DeliveryRow acked = this->Delivery("a1/KH-CNP");
  std::vector<Write> writes;
  writes.push_back(ProgressWrite(Progress("a1/TH-RTP", gw::v1::Delivery::FAILED)
                                     .Reason("NK 301")
                                     .Audited("Delivery.DeadLettered")));
  writes.push_back(ProgressWrite(
      Progress("a9/TH-RTP", gw::v1::Delivery::SENT).Audited("Delivery.Sent")));
  writes.push_back(
      ProgressWrite(Progress("a1/KH-CNP", gw::v1::Delivery::RETRYING)
                        .Audited("Delivery.Retried")));
  writes.push_back(ProgressWrite(Progress("a1/VN-MPS", gw::v1::Delivery::QUEUED)
                                     .NewId("a1/TH-RTP")
                                     .Audited("Delivery.Requeued")));
  writes.push_back(
      ProgressWrite(Progress("a1/VN-MPS", gw::v1::Delivery::ACKNOWLEDGED)
                        .Attempts(1)
                        .Audited("Delivery.Acknowledged")));
  writes.push_back(AcceptWrite(Alert("a2", "CASE-2")));
  this->CommitBatch(writes);

  ASSERT_TRUE(writes[0].result.status.ok()) << writes[0].result.status;
  ExpectError(writes[1].result.status, absl::StatusCode::kNotFound,
              "message_id");
  ExpectError(writes[2].result.status, absl::StatusCode::kFailedPrecondition,
              "delivery.state");
  ExpectError(writes[3].result.status, absl::StatusCode::kAlreadyExists,
              "delivery.message_id");
  ASSERT_TRUE(writes[4].result.status.ok()) << writes[4].result.status;
  ASSERT_TRUE(writes[5].result.status.ok()) << writes[5].result.status;
  // Dense leaves: the refused writes took none.
  EXPECT_EQ(writes[0].result.audit_leaf_index, 2u);
  EXPECT_EQ(writes[4].result.audit_leaf_index, 3u);
  EXPECT_EQ(writes[5].result.audit_leaf_index, 4u);
  EXPECT_EQ(this->AuditSize(), 5u);
  absl::StatusOr<std::vector<AuditLeaf>> leaves =
      this->store().ReadAuditLog(2, 3);
  ASSERT_TRUE(leaves.ok()) << leaves.status();
  ASSERT_THAT(*leaves, SizeIs(3));
  EXPECT_EQ((*leaves)[0].leaf_data, writes[0].result.audit_leaf_data);
  EXPECT_EQ((*leaves)[1].leaf_data, writes[4].result.audit_leaf_data);
  EXPECT_EQ((*leaves)[2].leaf_data, writes[5].result.audit_leaf_data);
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
  EXPECT_EQ(this->Delivery("a1/TH-RTP").delivery.state(),
            gw::v1::Delivery::FAILED);
  EXPECT_EQ(this->Delivery("a1/VN-MPS").delivery.state(),
            gw::v1::Delivery::ACKNOWLEDGED);
  ExpectSameRow(this->Delivery("a1/KH-CNP"), acked);
  EXPECT_THAT(MessageIds(this->Pending()), ElementsAre("a2/TH-RTP"));
}

TYPED_TEST(OutboxStoreTest, UpdateSeesADeliveryAcceptedEarlierInItsBatch) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1")));
  writes.push_back(
      ProgressWrite(Progress("a1/TH-RTP", gw::v1::Delivery::SENT).Attempts(1)));
  writes.push_back(
      ProgressWrite(Progress("a1/TH-RTP", gw::v1::Delivery::ACKNOWLEDGED)
                        .Attempts(1)
                        .Audited("Delivery.Acknowledged")));
  this->CommitBatch(writes);

  for (const Write& write : writes) {
    ASSERT_TRUE(write.result.status.ok()) << write.result.status;
  }
  EXPECT_EQ(writes[2].result.audit_leaf_index, 1u);
  EXPECT_EQ(this->Delivery("a1/TH-RTP").delivery.state(),
            gw::v1::Delivery::ACKNOWLEDGED);
}

// --- PendingDeliveries, ListDeliveries, GetDelivery

TYPED_TEST(OutboxStoreTest,
           PendingDeliveriesAreTheUnfinishedOnesInOutboxOrder) {
  ASSERT_NO_FATAL_FAILURE(this->SeedOutbox());

  const std::vector<DeliveryRow> pending = this->Pending();

  EXPECT_THAT(MessageIds(pending),
              ElementsAre("a1/TH-RTP", "a2/TH-RTP", "a3/VN-MPS", "a3/KH-CNP",
                          "a3/LA-MPS"));
  int64_t last_seq = 0;
  for (const DeliveryRow& row : pending) {
    SCOPED_TRACE(row.delivery.message_id());
    EXPECT_GT(row.seq, last_seq);
    last_seq = row.seq;
    ExpectSameRow(row, this->Delivery(row.delivery.message_id()));
  }
  ASSERT_THAT(pending, SizeIs(5));
  // Each row carries what the engine orders by, from its alert.
  EXPECT_EQ(pending[0].alert_id, "a1");
  EXPECT_EQ(pending[0].case_ref, "CASE-1");
  EXPECT_EQ(pending[0].origin_agency, "CN-MPS");
  EXPECT_EQ(pending[0].priority, gw::v1::CaseAlert::HIGH);
  EXPECT_EQ(pending[0].delivery.state(), gw::v1::Delivery::SENT);
  EXPECT_EQ(pending[1].alert_id, "a2");
  EXPECT_EQ(pending[1].case_ref, "CASE-2");
  EXPECT_EQ(pending[1].origin_agency, "VN-MPS");
  EXPECT_EQ(pending[1].priority, gw::v1::CaseAlert::URGENT);
  EXPECT_EQ(pending[1].delivery.state(), gw::v1::Delivery::RETRYING);
  EXPECT_EQ(pending[1].delivery.attempts(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(pending[1].delivery.next_attempt_at(),
                                         At(260)));
  EXPECT_EQ(pending[1].delivery.reason(), "connection refused");
  EXPECT_EQ(pending[2].priority, gw::v1::CaseAlert::ROUTINE);
  EXPECT_EQ(pending[2].delivery.state(), gw::v1::Delivery::QUEUED);
  EXPECT_EQ(pending[3].delivery.state(), gw::v1::Delivery::RETRYING);
  EXPECT_TRUE(MessageDifferencer::Equals(pending[3].delivery.next_attempt_at(),
                                         At(210)));
}

TYPED_TEST(OutboxStoreTest, ListDeliveriesFiltersAndPagesInOutboxOrder) {
  ASSERT_NO_FATAL_FAILURE(this->SeedOutbox());
  using S = gw::v1::Delivery;
  struct Case {
    std::string name;
    DeliveryQuery query;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"everything",
       DeliveryQuery(),
       {"a1/TH-RTP", "a1/VN-MPS", "a2/TH-RTP", "a2/KH-CNP", "a3/TH-RTP",
        "a3/VN-MPS", "a3/KH-CNP", "a3/LA-MPS"}},
      {"recipient",
       DeliveriesWhere("TH-RTP", "", {}),
       {"a1/TH-RTP", "a2/TH-RTP", "a3/TH-RTP"}},
      {"alert",
       DeliveriesWhere("", "a3", {}),
       {"a3/TH-RTP", "a3/VN-MPS", "a3/KH-CNP", "a3/LA-MPS"}},
      {"recipient and alert",
       DeliveriesWhere("TH-RTP", "a2", {}),
       {"a2/TH-RTP"}},
      {"one state", DeliveriesWhere("", "", {S::ACKNOWLEDGED}), {"a1/VN-MPS"}},
      {"dead letters and cancelled",
       DeliveriesWhere("", "", {S::CANCELLED, S::FAILED}),
       {"a2/KH-CNP", "a3/TH-RTP"}},
      {"the pending states, repeated and out of order",
       DeliveriesWhere("", "", {S::RETRYING, S::QUEUED, S::SENT, S::QUEUED}),
       {"a1/TH-RTP", "a2/TH-RTP", "a3/VN-MPS", "a3/KH-CNP", "a3/LA-MPS"}},
      {"pending to one recipient",
       DeliveriesWhere("KH-CNP", "", {S::QUEUED, S::SENT, S::RETRYING}),
       {"a3/KH-CNP"}},
      {"states and alert",
       DeliveriesWhere("", "a3", {S::QUEUED}),
       {"a3/VN-MPS", "a3/LA-MPS"}},
      {"unknown recipient", DeliveriesWhere("MM-MPF", "", {}), {}},
      {"unknown alert", DeliveriesWhere("", "a9", {}), {}},
      {"no state matches", DeliveriesWhere("", "", {S::STATE_UNSPECIFIED}), {}},
  };
  for (const Case& c : cases) {
    for (int page_size : {1, 2, 3, 1000}) {
      SCOPED_TRACE(absl::StrCat(c.name, ", page_size ", page_size));
      DeliveryQuery query = c.query;
      query.page_size = page_size;
      int pages = 0;
      EXPECT_THAT(this->AllDeliveryIds(query, &pages),
                  ElementsAreArray(c.want));
      const int want_pages = std::max<int>(
          1, (static_cast<int>(c.want.size()) + page_size - 1) / page_size);
      EXPECT_EQ(pages, want_pages);
    }
  }
}

TYPED_TEST(OutboxStoreTest,
           ListDeliveriesResumesAfterItsLastRowWhileRowsChange) {
  ASSERT_NO_FATAL_FAILURE(this->SeedOutbox());
  DeliveryQuery query =
      DeliveriesWhere("", "",
                      {gw::v1::Delivery::QUEUED, gw::v1::Delivery::SENT,
                       gw::v1::Delivery::RETRYING});
  query.page_size = 2;
  absl::StatusOr<DeliveryPage> first = this->store().ListDeliveries(query);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(MessageIds(first->deliveries),
              ElementsAre("a1/TH-RTP", "a2/TH-RTP"));
  ASSERT_FALSE(first->next_page_token.empty());
  // Meanwhile a row of the first page finishes and one of the next does.
  this->CommitOne(ProgressWrite(
      Progress("a1/TH-RTP", gw::v1::Delivery::ACKNOWLEDGED).Attempts(1)));
  this->CommitOne(ProgressWrite(
      Progress("a3/VN-MPS", gw::v1::Delivery::CANCELLED).Audited("Cancel")));

  query.page_token = first->next_page_token;
  absl::StatusOr<DeliveryPage> second = this->store().ListDeliveries(query);

  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(MessageIds(second->deliveries),
              ElementsAre("a3/KH-CNP", "a3/LA-MPS"));
  EXPECT_TRUE(second->next_page_token.empty());
}

TYPED_TEST(OutboxStoreTest, ListDeliveriesRefusesATokenItDidNotIssue) {
  ASSERT_NO_FATAL_FAILURE(this->SeedOutbox());
  absl::StatusOr<AlertPage> alerts = this->store().ListAlerts(AlertPageOf(1));
  ASSERT_TRUE(alerts.ok());
  ASSERT_FALSE(alerts->next_page_token.empty());
  absl::StatusOr<CasePage> cases = this->store().ListCases(CasePageOf(1));
  ASSERT_TRUE(cases.ok());
  ASSERT_FALSE(cases->next_page_token.empty());
  DeliveryQuery one;
  one.page_size = 1;
  absl::StatusOr<DeliveryPage> deliveries = this->store().ListDeliveries(one);
  ASSERT_TRUE(deliveries.ok());
  ASSERT_FALSE(deliveries->next_page_token.empty());

  for (const std::string& token :
       {std::string("garbage"), std::string("-1"), std::string("0"),
        std::string("d0"), std::string("d-1"), std::string("d1x"),
        std::string("99999999999999999999999"), std::string("\xff\xfe"),
        alerts->next_page_token, cases->next_page_token}) {
    SCOPED_TRACE(token);
    DeliveryQuery query;
    query.page_token = token;
    ExpectError(this->store().ListDeliveries(query).status(),
                absl::StatusCode::kInvalidArgument, "page_token");
  }
  // And the other lists refuse the outbox's token.
  ExpectError(this->store()
                  .ListAlerts(AlertsAfter(deliveries->next_page_token))
                  .status(),
              absl::StatusCode::kInvalidArgument, "page_token");
  ExpectError(
      this->store().ListCases(CasesAfter(deliveries->next_page_token)).status(),
      absl::StatusCode::kInvalidArgument, "page_token");
}

TYPED_TEST(OutboxStoreTest, EmptyOutboxAndUnknownMessageIds) {
  EXPECT_THAT(this->Pending(), IsEmpty());
  absl::StatusOr<DeliveryPage> page = this->store().ListDeliveries({});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->deliveries, IsEmpty());
  EXPECT_TRUE(page->next_page_token.empty());
  this->CommitOne(AcceptWrite(Alert("a1", "CASE-1")));
  ExpectError(this->store().GetDelivery("a1/VN-MPS").status(),
              absl::StatusCode::kNotFound, "message_id");
  ExpectError(this->store().GetDelivery("").status(),
              absl::StatusCode::kNotFound, "message_id");
}

// --- AcceptAlert with `inbound`

TYPED_TEST(OutboxStoreTest, PartnerAlertIsStoredWithItsMessageAndNoDeliveries) {
  const MessageSpec message =
      Message("m1").Warn("ZAWGYI_CONVERTED", "narrative[0].text");

  const WriteResult result =
      this->CommitOne(InboundWrite(PartnerAlert("t1", "TH-CASE-1"), message));

  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_FALSE(result.duplicate);
  EXPECT_EQ(result.audit_leaf_index, 0u);
  EXPECT_TRUE(SameWarnings(result.receipt_warnings, message.warnings));
  ASSERT_TRUE(result.alert.has_value());
  EXPECT_THAT(result.alert->deliveries(), IsEmpty());
  ASSERT_TRUE(result.case_status.has_value());
  EXPECT_EQ(result.case_status->owner_agency(), "TH-RTP");
  EXPECT_THAT(result.case_status->shared_with(), ElementsAre("CN-MPS"));
  absl::StatusOr<gw::v1::AlertRecord> stored = this->store().GetAlert("t1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*stored, *result.alert));
  EXPECT_THAT(this->Pending(), IsEmpty());
  EXPECT_EQ(this->AuditSize(), 1u);
}

TYPED_TEST(OutboxStoreTest, ExactResendOfAPartnerMessageGetsTheFirstAnswer) {
  const MessageSpec message = Message("m1").Warn("NFC_NORMALISED", "subjects");
  const WriteResult first =
      this->CommitOne(InboundWrite(PartnerAlert("t1", "TH-CASE-1"), message));
  ASSERT_TRUE(first.status.ok()) << first.status;
  this->CommitOne(AuditWrite("Other.Action"));

  // The same message (id and digest) again. Its canonical payload may come
  // out differently (say a newer converter), and its warnings too: the
  // message id decides, before the alert id.
  Write resend = InboundWrite(
      PartnerAlert("t1", "TH-CASE-1").Digest("another-canonical-digest"),
      Message("m1"));
  const WriteResult again = this->CommitOne(std::move(resend));

  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.audit_leaf_index, first.audit_leaf_index);
  EXPECT_EQ(again.audit_leaf_data, first.audit_leaf_data);
  EXPECT_TRUE(SameWarnings(again.receipt_warnings, message.warnings));
  ASSERT_TRUE(again.alert.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*again.alert, *first.alert));
  ASSERT_TRUE(again.case_status.has_value());
  EXPECT_THAT(again.case_status->alert_ids(), ElementsAre("t1"));
  EXPECT_EQ(this->AuditSize(), 2u);

  // In one batch, the second copy sees the first.
  std::vector<Write> writes;
  writes.push_back(InboundWrite(PartnerAlert("t2", "TH-CASE-1"),
                                Message("m2").Warn("CODE", "field")));
  writes.push_back(
      InboundWrite(PartnerAlert("t2", "TH-CASE-1"), Message("m2")));
  this->CommitBatch(writes);
  ASSERT_TRUE(writes[1].result.status.ok()) << writes[1].result.status;
  EXPECT_TRUE(writes[1].result.duplicate);
  EXPECT_EQ(writes[1].result.audit_leaf_index, 2u);
  EXPECT_TRUE(SameWarnings(writes[1].result.receipt_warnings,
                           {Warning("CODE", "field")}));
  EXPECT_EQ(this->AuditSize(), 3u);
}

TYPED_TEST(OutboxStoreTest, ReusedMessageIdWithAnotherDigestIsAConflict) {
  this->CommitOne(InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m1")));

  for (const AlertSpec& alert :
       {PartnerAlert("t1", "TH-CASE-1"), PartnerAlert("t2", "TH-CASE-2")}) {
    SCOPED_TRACE(alert.alert_id);
    const WriteResult conflict = this->CommitOne(
        InboundWrite(alert, Message("m1").Digest("another-received-digest")));
    ExpectError(conflict.status, absl::StatusCode::kAlreadyExists,
                "gw-message-id");
    EXPECT_TRUE(absl::StrContains(conflict.status.message(),
                                  "was used before for a different payload"))
        << conflict.status;
    EXPECT_FALSE(conflict.alert.has_value());
  }
  EXPECT_EQ(this->store().GetAlert("t2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(this->store().GetCase("TH-CASE-2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(this->AuditSize(), 1u);

  // The key is (sender, message id): another partner's m1 is a new message.
  const WriteResult other = this->CommitOne(
      InboundWrite(Alert("v1", "VN-CASE-1").From("VN-MPS").To({"CN-MPS"}),
                   Message("m1").From("VN-MPS").Digest("vn-digest")));
  ASSERT_TRUE(other.status.ok()) << other.status;
  EXPECT_FALSE(other.duplicate);
  EXPECT_EQ(other.audit_leaf_index, 1u);
}

TYPED_TEST(OutboxStoreTest, AlertIdDuplicateUnderANewMessageIdStoresNothing) {
  const WriteResult first = this->CommitOne(InboundWrite(
      PartnerAlert("t1", "TH-CASE-1"), Message("m1").Warn("FIRST", "a")));
  ASSERT_TRUE(first.status.ok()) << first.status;

  const MessageSpec second = Message("m2").Warn("SECOND", "b");
  const WriteResult again =
      this->CommitOne(InboundWrite(PartnerAlert("t1", "TH-CASE-1"), second));

  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.audit_leaf_index, first.audit_leaf_index);
  ASSERT_TRUE(again.alert.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*again.alert, *first.alert));
  // Nothing of m2 is stored, so it has no first answer: its own warnings.
  EXPECT_TRUE(SameWarnings(again.receipt_warnings, second.warnings));
  EXPECT_EQ(this->AuditSize(), 1u);
  // m2 was not stored: with another digest it is no conflict, just the
  // alert again.
  const WriteResult m2_again = this->CommitOne(
      InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m2").Digest("x")));
  ASSERT_TRUE(m2_again.status.ok()) << m2_again.status;
  EXPECT_TRUE(m2_again.duplicate);
  // A new message with the alert id but another payload is refused by the
  // alert id.
  ExpectError(this
                  ->CommitOne(InboundWrite(
                      PartnerAlert("t1", "TH-CASE-1").Digest("another-payload"),
                      Message("m3")))
                  .status,
              absl::StatusCode::kAlreadyExists, "payload.alert_id");
  EXPECT_EQ(this->AuditSize(), 1u);
}

TYPED_TEST(OutboxStoreTest, PartnerAlertRefusals) {
  this->CommitOne(AcceptWrite(Alert("a1", "CN-CASE-1")));
  Write with_deliveries =
      InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m1"));
  gw::v1::Delivery* onward =
      std::get<AcceptAlert>(with_deliveries.op).record.add_deliveries();
  onward->set_recipient("VN-MPS");
  onward->set_state(gw::v1::Delivery::QUEUED);
  onward->set_message_id("t1/VN-MPS");
  struct Case {
    std::string name;
    Write write;
    absl::StatusCode want;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back(
      {"no sender",
       InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m1").From("")),
       absl::StatusCode::kInvalidArgument, "inbound.sender_agency"});
  cases.push_back({"no message id",
                   InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("")),
                   absl::StatusCode::kInvalidArgument, "inbound.message_id"});
  Write no_digest =
      InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m1"));
  std::get<AcceptAlert>(no_digest.op).inbound->received_sha256.clear();
  cases.push_back({"no digest", std::move(no_digest),
                   absl::StatusCode::kInvalidArgument,
                   "inbound.received_sha256"});
  cases.push_back({"deliveries onward", std::move(with_deliveries),
                   absl::StatusCode::kInvalidArgument, "record.deliveries"});
  cases.push_back({"case owned by another agency",
                   InboundWrite(PartnerAlert("t1", "CN-CASE-1"), Message("m1")),
                   absl::StatusCode::kPermissionDenied, "payload.case_ref"});
  // Refused, m1 was not stored: another digest is refused the same way,
  // not as a conflict.
  cases.push_back({"case owned by another agency, another digest",
                   InboundWrite(PartnerAlert("t1", "CN-CASE-1"),
                                Message("m1").Digest("another-digest")),
                   absl::StatusCode::kPermissionDenied, "payload.case_ref"});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    const WriteResult result = this->CommitOne(std::move(c.write));
    ExpectError(result.status, c.want, c.field);
    EXPECT_TRUE(result.receipt_warnings.empty());
  }
  EXPECT_EQ(this->AuditSize(), 1u);
  EXPECT_EQ(this->store().GetAlert("t1").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(this->store().GetDelivery("t1/VN-MPS").status().code(),
            absl::StatusCode::kNotFound);
}

// --- AcceptAlert.more_audit

// `write` (an AcceptAlert) with one more_audit entry per action.
Write WithMoreAudit(Write write, const std::vector<std::string>& actions) {
  AcceptAlert& op = std::get<AcceptAlert>(write.op);
  for (const std::string& action : actions) {
    op.more_audit.push_back(
        MakeAudit(action, "alert:" + op.record.alert().alert_id()));
  }
  return write;
}

TYPED_TEST(OutboxStoreTest, MoreAuditFollowsTheAcceptanceAsConsecutiveLeaves) {
  this->CommitOne(AuditWrite("Before"));
  std::vector<Write> writes;
  writes.push_back(WithMoreAudit(AcceptWrite(Alert("a1", "CASE-1")),
                                 {"Ingest.First", "Ingest.Second"}));
  writes.push_back(
      WithMoreAudit(InboundWrite(PartnerAlert("t1", "TH-CASE-1"),
                                 Message("m1").Warn("ZAWGYI_CONVERTED", "f")),
                    {"Ingest.EncodingConverted"}));
  writes.push_back(AuditWrite("After"));

  this->CommitBatch(writes);

  for (const Write& write : writes) {
    ASSERT_TRUE(write.result.status.ok()) << write.result.status;
  }
  const AcceptAlert& a1 = std::get<AcceptAlert>(writes[0].op);
  const AcceptAlert& t1 = std::get<AcceptAlert>(writes[1].op);
  // Each acceptance reports its own `audit` leaf, not its last one.
  EXPECT_EQ(writes[0].result.audit_leaf_index, 1u);
  EXPECT_EQ(writes[0].result.audit_leaf_data, DeterministicBytes(a1.audit));
  EXPECT_EQ(writes[1].result.audit_leaf_index, 4u);
  EXPECT_EQ(writes[1].result.audit_leaf_data, DeterministicBytes(t1.audit));
  EXPECT_EQ(writes[2].result.audit_leaf_index, 6u);
  absl::StatusOr<std::vector<AuditLeaf>> leaves =
      this->store().ReadAuditLog(0, 100);
  ASSERT_TRUE(leaves.ok()) << leaves.status();
  std::vector<std::string> got;
  for (const AuditLeaf& leaf : *leaves) got.push_back(leaf.leaf_data);
  EXPECT_THAT(got, ElementsAre(DeterministicBytes(MakeAudit("Before", "none")),
                               DeterministicBytes(a1.audit),
                               DeterministicBytes(a1.more_audit[0]),
                               DeterministicBytes(a1.more_audit[1]),
                               DeterministicBytes(t1.audit),
                               DeterministicBytes(t1.more_audit[0]),
                               writes[2].result.audit_leaf_data));
  // The extra leaves are in the tree and in the search index like any.
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
  absl::StatusOr<AuditTreeHead> head = this->store().AuditHead();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->size, 7u);
  AuditQuery converted;
  converted.action = "Ingest.EncodingConverted";
  absl::StatusOr<AuditPage> found = this->store().SearchAudit(converted);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(found->leaves, SizeIs(1));
  EXPECT_EQ(found->leaves[0].leaf_index, 5u);
  AuditQuery about_a1;
  about_a1.object_id = "alert:a1";
  found = this->store().SearchAudit(about_a1);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(found->leaves, SizeIs(3));
  EXPECT_EQ(found->leaves[2].leaf_index, 3u);
}

TYPED_TEST(OutboxStoreTest, MoreAuditIsNotAppendedForADuplicateOrARefusal) {
  const WriteResult a1 = this->CommitOne(
      WithMoreAudit(AcceptWrite(Alert("a1", "CASE-1")), {"Extra"}));
  const WriteResult t1 = this->CommitOne(WithMoreAudit(
      InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m1")), {"Extra"}));
  ASSERT_TRUE(a1.status.ok()) << a1.status;
  ASSERT_TRUE(t1.status.ok()) << t1.status;
  ASSERT_EQ(this->AuditSize(), 4u);
  Write no_message_id =
      InboundWrite(PartnerAlert("t2", "TH-CASE-1"), Message("m2"));
  std::get<AcceptAlert>(no_message_id.op).inbound->message_id.clear();
  // An alert whose outbox row would reuse a1's message id: refused only
  // after its audit entries were appended, so they must be undone.
  Write reused_id = AcceptWrite(Alert("a2", "CASE-2"));
  std::get<AcceptAlert>(reused_id.op)
      .record.mutable_deliveries(0)
      ->set_message_id("a1/TH-RTP");
  struct Case {
    std::string name;
    Write write;
    absl::StatusCode want;
    uint64_t duplicate_of = 0;  // leaf index, when want is OK
  };
  std::vector<Case> cases;
  cases.push_back({"the same alert again", AcceptWrite(Alert("a1", "CASE-1")),
                   absl::StatusCode::kOk, a1.audit_leaf_index});
  cases.push_back({"the partner's message again",
                   InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m1")),
                   absl::StatusCode::kOk, t1.audit_leaf_index});
  cases.push_back({"the partner's alert under a new message id",
                   InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m9")),
                   absl::StatusCode::kOk, t1.audit_leaf_index});
  cases.push_back({"alert id with another payload",
                   AcceptWrite(Alert("a1", "CASE-1").Digest("other")),
                   absl::StatusCode::kAlreadyExists});
  cases.push_back({"message id with another digest",
                   InboundWrite(PartnerAlert("t2", "TH-CASE-1"),
                                Message("m1").Digest("other")),
                   absl::StatusCode::kAlreadyExists});
  cases.push_back({"case owned by another agency",
                   AcceptWrite(Alert("a3", "TH-CASE-1")),
                   absl::StatusCode::kPermissionDenied});
  cases.push_back({"inbound without a message id", std::move(no_message_id),
                   absl::StatusCode::kInvalidArgument});
  cases.push_back({"message id already in the outbox", std::move(reused_id),
                   absl::StatusCode::kInternal});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    const WriteResult result = this->CommitOne(
        WithMoreAudit(std::move(c.write), {"Extra.One", "Extra.Two"}));
    EXPECT_EQ(result.status.code(), c.want) << result.status;
    if (c.want == absl::StatusCode::kOk) {
      EXPECT_TRUE(result.duplicate);
      EXPECT_EQ(result.audit_leaf_index, c.duplicate_of);
    }
    EXPECT_EQ(this->AuditSize(), 4u);
  }
  // The log went on densely, as if the refused writes never happened.
  EXPECT_EQ(this->CommitOne(AuditWrite("Next")).audit_leaf_index, 4u);
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
  AuditQuery extra;
  extra.action = "Extra.One";
  absl::StatusOr<AuditPage> found = this->store().SearchAudit(extra);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->leaves, IsEmpty());
}

// --- UpdateDelivery's state table

TYPED_TEST(OutboxStoreTest, UpdateDeliveryAllowsOnlyTheStateChangesOfItsTable) {
  using S = gw::v1::Delivery;
  const std::vector<S::State> states = {S::QUEUED,   S::SENT,
                                        S::RETRYING, S::ACKNOWLEDGED,
                                        S::FAILED,   S::CANCELLED};
  // store.h: ACKNOWLEDGED is final; CANCELLED goes only to QUEUED; FAILED
  // only to QUEUED or CANCELLED; QUEUED, SENT and RETRYING anywhere.
  const std::map<S::State, std::set<S::State>> refused = {
      {S::ACKNOWLEDGED,
       {S::QUEUED, S::SENT, S::RETRYING, S::ACKNOWLEDGED, S::FAILED,
        S::CANCELLED}},
      {S::CANCELLED,
       {S::SENT, S::RETRYING, S::ACKNOWLEDGED, S::FAILED, S::CANCELLED}},
      {S::FAILED, {S::SENT, S::RETRYING, S::ACKNOWLEDGED, S::FAILED}},
  };
  int n = 0;
  for (S::State from : states) {
    for (S::State to : states) {
      const std::string from_name = S::State_Name(from);
      const std::string to_name = S::State_Name(to);
      SCOPED_TRACE(absl::StrCat(from_name, " -> ", to_name));
      const std::string alert_id = absl::StrCat("a", ++n);
      const std::string message_id = alert_id + "/TH-RTP";
      ASSERT_TRUE(
          this->CommitOne(AcceptWrite(Alert(alert_id, "CASE-1"))).status.ok());
      if (from != S::QUEUED) {
        const WriteResult set = this->CommitOne(
            ProgressWrite(Progress(message_id, from).Audited("Delivery.Set")));
        ASSERT_TRUE(set.status.ok()) << set.status;
      }
      const DeliveryRow before = this->Delivery(message_id);
      const uint64_t audit_before = this->AuditSize();

      const WriteResult result =
          this->CommitOne(ProgressWrite(Progress(message_id, to)
                                            .Attempts(7)
                                            .Reason("changed")
                                            .AtTime(900)
                                            .Audited("Delivery.Changed")));

      auto it = refused.find(from);
      if (it != refused.end() && it->second.count(to) > 0) {
        ExpectError(result.status, absl::StatusCode::kFailedPrecondition,
                    "delivery.state");
        EXPECT_TRUE(absl::StrContains(result.status.message(), from_name))
            << result.status;
        EXPECT_TRUE(absl::StrContains(result.status.message(),
                                      absl::StrCat("become ", to_name)))
            << result.status;
        EXPECT_FALSE(result.delivery.has_value());
        EXPECT_EQ(this->AuditSize(), audit_before);
        ExpectSameRow(this->Delivery(message_id), before);
      } else {
        ASSERT_TRUE(result.status.ok()) << result.status;
        ASSERT_TRUE(result.delivery.has_value());
        EXPECT_EQ(result.delivery->delivery.state(), to);
        EXPECT_EQ(result.delivery->delivery.attempts(), 7u);
        EXPECT_EQ(this->AuditSize(), audit_before + 1);
        ExpectSameRow(this->Delivery(message_id), *result.delivery);
      }
    }
  }
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
}

// --- InboundMessageDigest

TYPED_TEST(OutboxStoreTest, InboundMessageDigestIsThatOfTheStoredMessage) {
  ExpectError(this->store().InboundMessageDigest("TH-RTP", "m1").status(),
              absl::StatusCode::kNotFound, "message_id");
  ASSERT_TRUE(this->CommitOne(InboundWrite(PartnerAlert("t1", "TH-CASE-1"),
                                           Message("m1").Digest("digest-m1")))
                  .status.ok());
  ASSERT_TRUE(this->CommitOne(AcceptWrite(Alert("a1", "CASE-1"))).status.ok());
  // Not stored: the alert again under a new message id, and a refusal.
  ASSERT_TRUE(this->CommitOne(InboundWrite(PartnerAlert("t1", "TH-CASE-1"),
                                           Message("m2")))
                  .duplicate);
  ASSERT_EQ(
      this->CommitOne(InboundWrite(PartnerAlert("t2", "CASE-1"), Message("m3")))
          .status.code(),
      absl::StatusCode::kPermissionDenied);

  absl::StatusOr<std::string> digest =
      this->store().InboundMessageDigest("TH-RTP", "m1");

  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, "digest-m1");
  const std::vector<std::pair<std::string, std::string>> unknown = {
      {"VN-MPS", "m1"},         // another sender's m1
      {"TH-RTP", "m2"},         // an alert id duplicate stores no message
      {"TH-RTP", "m3"},         // refused
      {"TH-RTP", "a1/TH-RTP"},  // an outbox message, not a partner's
      {"", ""},
  };
  for (const auto& [sender, message_id] : unknown) {
    SCOPED_TRACE(absl::StrCat(sender, " ", message_id));
    ExpectError(this->store().InboundMessageDigest(sender, message_id).status(),
                absl::StatusCode::kNotFound, "message_id");
  }
}

// --- ListAlerts by recipients

TYPED_TEST(OutboxStoreTest, PartnerAlertsAreListedForTheirRecipients) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite(Alert("a1", "CASE-1").To({"TH-RTP"})));
  writes.push_back(InboundWrite(Alert("t1", "TH-CASE-1")
                                    .From("TH-RTP")
                                    .To({"CN-MPS", "LA-MPS", "LA-MPS"}),
                                Message("m1")));
  writes.push_back(
      InboundWrite(Alert("v1", "VN-CASE-1").From("VN-MPS").To({"CN-MPS"}),
                   Message("m1").From("VN-MPS")));
  this->CommitBatch(writes);
  for (const Write& write : writes) {
    ASSERT_TRUE(write.result.status.ok()) << write.result.status;
  }
  ASSERT_THAT(this->Pending(), SizeIs(1));  // only a1 is delivered

  struct Case {
    std::string agency;
    std::string case_ref;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"CN-MPS", "", {"a1", "t1", "v1"}},  // origin of a1, recipient of both
      {"LA-MPS", "", {"t1"}},              // listed twice, shown once
      {"TH-RTP", "", {"a1", "t1"}},        // recipient of a1, origin of t1
      {"VN-MPS", "", {"v1"}},
      {"KH-CNP", "", {}},
      {"LA-MPS", "CASE-1", {}},
      {"CN-MPS", "VN-CASE-1", {"v1"}},
  };
  for (const Case& c : cases) {
    for (int page_size : {1, 50}) {
      SCOPED_TRACE(
          absl::StrCat(c.agency, " ", c.case_ref, ", page_size ", page_size));
      AlertQuery query = AlertsVisibleTo(c.agency);
      query.case_ref = c.case_ref;
      query.page_size = page_size;
      int pages = 0;
      EXPECT_THAT(this->AllAlertIds(query, &pages), ElementsAreArray(c.want));
    }
  }
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

// ---------------------------------------------------------------------------
// Migrations 3 (outbox columns, inbound_messages) and 4 (alert_recipients)
// from databases that released versions left behind.

int SchemaVersionOf(sqlite::Connection* db) {
  if (db == nullptr) return -1;
  absl::StatusOr<int> version = sqlite::ReadSchemaVersion(db);
  EXPECT_TRUE(version.ok()) << version.status();
  return version.ok() ? *version : -1;
}

int SchemaVersionOf(const std::string& path) {
  absl::StatusOr<std::unique_ptr<sqlite::Connection>> db =
      sqlite::Connection::Open(path, sqlite::Connection::Mode::kReadOnly,
                               absl::Seconds(5));
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? SchemaVersionOf(db->get()) : -1;
}

// A database as gatewayd left it at schema version 2 or 3 (released_schemas.h),
// filled through raw SQL with alerts, their deliveries, partner messages
// (version 3) and their audit leaves (with every tree node, as those
// versions wrote them).
class ReleasedDatabase {
 public:
  ReleasedDatabase(const std::string& path, int version) : version_(version) {
    EXPECT_TRUE(version == 2 || version == 3) << version;
    absl::StatusOr<std::unique_ptr<sqlite::Connection>> db =
        sqlite::Connection::Open(path, sqlite::Connection::Mode::kReadWrite,
                                 absl::Seconds(5));
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return;
    db_ = *std::move(db);
    Exec(kSchemaVersion1);
    Exec(kSchemaStep2);
    if (version_ >= 3) Exec(kSchemaStep3);
  }

  // Stores `record` as that version did: its case (if new), the record
  // without deliveries, its outbox rows and its audit leaf.
  void AddAlert(const gw::v1::AlertRecord& record) {
    ASSERT_NO_FATAL_FAILURE(StoreAlert(record));
    const gw::v1::CaseAlert& alert = record.alert();
    for (const gw::v1::Delivery& d : record.deliveries()) {
      std::optional<int64_t> next_attempt;
      if (d.has_next_attempt_at()) {
        next_attempt = TimeUtil::TimestampToMicroseconds(d.next_attempt_at());
      }
      std::optional<sqlite::Blob> receipt;
      const std::string receipt_bytes = d.receipt().SerializeAsString();
      if (d.has_receipt()) receipt = sqlite::Blob{receipt_bytes};
      if (version_ >= 3) {
        Run("INSERT INTO deliveries(alert_id, recipient, message_id, state, "
            "updated_at_us, attempts, next_attempt_at_us, reason, receipt, "
            "case_ref, origin_agency, priority) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            alert.alert_id(), d.recipient(), d.message_id(),
            static_cast<int64_t>(d.state()),
            TimeUtil::TimestampToMicroseconds(d.updated_at()),
            static_cast<int64_t>(d.attempts()), next_attempt, d.reason(),
            receipt, alert.case_ref(), alert.origin_agency(),
            static_cast<int64_t>(alert.priority()));
      } else {
        Run("INSERT INTO deliveries(alert_id, recipient, message_id, state, "
            "updated_at_us, attempts, next_attempt_at_us, reason, receipt) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            alert.alert_id(), d.recipient(), d.message_id(),
            static_cast<int64_t>(d.state()),
            TimeUtil::TimestampToMicroseconds(d.updated_at()),
            static_cast<int64_t>(d.attempts()), next_attempt, d.reason(),
            receipt);
      }
    }
  }

  // Version 3: stores `record` (no deliveries) as sent by its origin agency
  // in message `message_id` with digest `received_sha256`.
  void AddInboundAlert(const gw::v1::AlertRecord& record,
                       const std::string& message_id,
                       const std::string& received_sha256) {
    ASSERT_GE(version_, 3);
    const int64_t leaf_index = static_cast<int64_t>(range_.size());
    ASSERT_NO_FATAL_FAILURE(StoreAlert(record));
    Run("INSERT INTO inbound_messages(sender_agency, message_id, "
        "received_sha256, alert_id, audit_leaf_index, received_at_us) "
        "VALUES (?1, ?2, ?3, ?4, ?5, 0)",
        record.alert().origin_agency(), message_id, received_sha256,
        record.alert().alert_id(), leaf_index);
  }

  void Exec(const std::string& sql) {
    ASSERT_NE(db_, nullptr);
    const absl::Status status = db_->Exec(sql);
    ASSERT_TRUE(status.ok()) << status << " in " << sql;
  }

  template <typename... Args>
  void Run(absl::string_view sql, const Args&... args) {
    ASSERT_NE(db_, nullptr);
    absl::StatusOr<sqlite::Statement> stmt = db_->Prepare(sql);
    ASSERT_TRUE(stmt.ok()) << stmt.status() << " in " << sql;
    ASSERT_TRUE(stmt->BindAll(args...).ok());
    const absl::Status status = stmt->Run();
    ASSERT_TRUE(status.ok()) << status << " in " << sql;
  }

  int SchemaVersion() { return SchemaVersionOf(db_.get()); }

 private:
  // The audit leaf, the case (if new) and the alerts row of `record`.
  void StoreAlert(const gw::v1::AlertRecord& record) {
    const gw::v1::CaseAlert& alert = record.alert();
    const uint64_t leaf_index = range_.size();
    AppendLeaf(MakeAudit("AlertService.SendAlert", "alert:" + alert.alert_id(),
                         static_cast<int64_t>(leaf_index)));
    Run("INSERT OR IGNORE INTO cases(case_ref, owner_agency, state, "
        "created_at_us, updated_at_us) VALUES (?1, ?2, 1, 0, 0)",
        alert.case_ref(), alert.origin_agency());
    gw::v1::AlertRecord stored = record;
    stored.clear_deliveries();
    Run("INSERT INTO alerts(alert_id, origin_agency, case_ref, kind, "
        "payload_sha256, received_at_us, audit_leaf_index, record) VALUES "
        "(?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)",
        alert.alert_id(), alert.origin_agency(), alert.case_ref(),
        static_cast<int64_t>(alert.kind()), record.payload_sha256(),
        static_cast<int64_t>(leaf_index),
        sqlite::Blob{stored.SerializeAsString()});
  }

  void AppendLeaf(const gw::v1::AuditEntry& entry) {
    const std::string leaf_data = DeterministicBytes(entry);
    const int64_t leaf_index = static_cast<int64_t>(range_.size());
    Run("INSERT INTO audit_log(leaf_index, leaf_data, time_us, action, "
        "actor_agency, actor_user) VALUES (?1, ?2, 0, ?3, ?4, ?5)",
        leaf_index, sqlite::Blob{leaf_data}, entry.action(),
        entry.actor_agency(), entry.actor_user());
    std::vector<std::pair<audit::NodeId, std::string>> nodes;
    ASSERT_TRUE(range_
                    .Append(audit::HashLeaf(leaf_data),
                            [&](audit::NodeId id, absl::string_view hash) {
                              nodes.emplace_back(id, std::string(hash));
                            })
                    .ok());
    for (const auto& [id, hash] : nodes) {
      Run("INSERT INTO audit_nodes(level, idx, hash) VALUES (?1, ?2, ?3)",
          static_cast<int64_t>(id.level), static_cast<int64_t>(id.index),
          sqlite::Blob{hash});
    }
  }

  const int version_;
  std::unique_ptr<sqlite::Connection> db_;
  audit::CompactRange range_;
};

TEST_F(SqliteStoreTest, Version2OutboxGetsItsOrderingColumnsBackfilled) {
  gw::v1::AlertRecord a1 =
      MakeRecord(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"}));
  gw::v1::Delivery* retrying = a1.mutable_deliveries(0);
  retrying->set_state(gw::v1::Delivery::RETRYING);
  retrying->set_attempts(2);
  *retrying->mutable_next_attempt_at() = At(300);
  retrying->set_reason("timeout");
  gw::v1::Delivery* acked = a1.mutable_deliveries(1);
  acked->set_state(gw::v1::Delivery::ACKNOWLEDGED);
  acked->mutable_receipt()->set_message_id("a1/VN-MPS");
  acked->mutable_receipt()->set_status(gw::v1::Receipt::ACCEPTED);
  const gw::v1::AlertRecord a2 =
      MakeRecord(Alert("a2", "CASE-2")
                     .From("VN-MPS")
                     .To({"TH-RTP"})
                     .WithPriority(gw::v1::CaseAlert::URGENT));
  const gw::v1::AlertRecord a3 =
      MakeRecord(Alert("a3", "CASE-1")
                     .To({"KH-CNP"})
                     .WithPriority(gw::v1::CaseAlert::PRIORITY_UNSPECIFIED));
  {
    ReleasedDatabase v2(Path(), 2);
    ASSERT_NO_FATAL_FAILURE(v2.AddAlert(a1));
    ASSERT_NO_FATAL_FAILURE(v2.AddAlert(a2));
    ASSERT_NO_FATAL_FAILURE(v2.AddAlert(a3));
    EXPECT_EQ(v2.SchemaVersion(), 2);
  }

  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(Path());
  ASSERT_TRUE(store.ok()) << store.status();

  absl::StatusOr<std::vector<DeliveryRow>> pending =
      (*store)->PendingDeliveries();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_THAT(MessageIds(*pending),
              ElementsAre("a1/TH-RTP", "a2/TH-RTP", "a3/KH-CNP"));
  ASSERT_THAT(*pending, SizeIs(3));
  struct Want {
    std::string alert_id, case_ref, origin_agency;
    gw::v1::CaseAlert::Priority priority;
  };
  const Want want[] = {
      {"a1", "CASE-1", "CN-MPS", gw::v1::CaseAlert::HIGH},
      {"a2", "CASE-2", "VN-MPS", gw::v1::CaseAlert::URGENT},
      {"a3", "CASE-1", "CN-MPS", gw::v1::CaseAlert::PRIORITY_UNSPECIFIED},
  };
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ((*pending)[i].alert_id, want[i].alert_id);
    EXPECT_EQ((*pending)[i].case_ref, want[i].case_ref);
    EXPECT_EQ((*pending)[i].origin_agency, want[i].origin_agency);
    EXPECT_EQ((*pending)[i].priority, want[i].priority);
  }
  EXPECT_TRUE(MessageDifferencer::Equals((*pending)[0].delivery, *retrying));
  absl::StatusOr<DeliveryRow> acked_row = (*store)->GetDelivery("a1/VN-MPS");
  ASSERT_TRUE(acked_row.ok()) << acked_row.status();
  EXPECT_EQ(acked_row->case_ref, "CASE-1");
  EXPECT_EQ(acked_row->priority, gw::v1::CaseAlert::HIGH);
  EXPECT_TRUE(MessageDifferencer::Equals(acked_row->delivery, *acked));
  absl::StatusOr<gw::v1::AlertRecord> got = (*store)->GetAlert("a1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*got, a1)) << got->DebugString();
  EXPECT_TRUE((*store)->VerifyAuditTree(nullptr).ok());

  // And the store goes on from there: the outbox, the inbox, the log.
  Write ack =
      ProgressWrite(Progress("a2/TH-RTP", gw::v1::Delivery::ACKNOWLEDGED)
                        .Attempts(1)
                        .Audited("Delivery.Acknowledged"));
  Write inbound = InboundWrite(PartnerAlert("t1", "TH-CASE-1"), Message("m1"));
  Write accept = AcceptWrite(Alert("a4", "CASE-2")
                                 .From("VN-MPS")
                                 .To({"TH-RTP"})
                                 .WithPriority(gw::v1::CaseAlert::ROUTINE));
  std::vector<Write*> batch = {&ack, &inbound, &accept};
  ASSERT_TRUE((*store)->Commit(batch).ok());
  ASSERT_TRUE(ack.result.status.ok()) << ack.result.status;
  ASSERT_TRUE(inbound.result.status.ok()) << inbound.result.status;
  ASSERT_TRUE(accept.result.status.ok()) << accept.result.status;
  EXPECT_EQ(ack.result.audit_leaf_index, 3u);
  EXPECT_EQ(accept.result.audit_leaf_index, 5u);
  pending = (*store)->PendingDeliveries();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_THAT(MessageIds(*pending),
              ElementsAre("a1/TH-RTP", "a3/KH-CNP", "a4/TH-RTP"));
  EXPECT_EQ(pending->back().priority, gw::v1::CaseAlert::ROUTINE);
  EXPECT_TRUE((*store)->VerifyAuditTree(nullptr).ok());
  // Migration 4 ran too: each agency sees the alerts that list it.
  for (const auto& [agency, want] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"VN-MPS", {"a1", "a2", "a4"}},
           {"KH-CNP", {"a3"}},
           {"CN-MPS", {"a1", "a3", "t1"}}}) {
    SCOPED_TRACE(agency);
    absl::StatusOr<AlertPage> page =
        (*store)->ListAlerts(AlertsVisibleTo(agency));
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_THAT(AlertIds(page->alerts), ElementsAreArray(want));
  }
  store->reset();
  EXPECT_EQ(SchemaVersionOf(Path()), sqlite::LatestSchemaVersion());
}

TEST_F(SqliteStoreTest, Version2AlertRecordThatDoesNotParseFailsMigration3) {
  {
    ReleasedDatabase v2(Path(), 2);
    ASSERT_NO_FATAL_FAILURE(v2.Run(
        "INSERT INTO cases(case_ref, owner_agency, state, "
        "created_at_us, updated_at_us) VALUES ('C', 'CN-MPS', 1, 0, 0)"));
    ASSERT_NO_FATAL_FAILURE(
        v2.Run("INSERT INTO alerts(alert_id, origin_agency, case_ref, kind, "
               "payload_sha256, received_at_us, audit_leaf_index, record) "
               "VALUES ('a1', 'CN-MPS', 'C', 1, 'd', 0, 0, x'ffff')"));
    ASSERT_NO_FATAL_FAILURE(
        v2.Run("INSERT INTO deliveries(alert_id, recipient, message_id, "
               "state) VALUES ('a1', 'TH-RTP', 'a1/TH-RTP', 1)"));
  }

  const absl::Status status = SqliteStore::Open(Path()).status();

  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_TRUE(absl::StrContains(status.message(),
                                "alerts: record at seq 1 does not parse"))
      << status;
  // The failed migration left version 2 behind.
  EXPECT_EQ(SchemaVersionOf(Path()), 2);
}

TEST_F(SqliteStoreTest, Version3AlertsGetTheirRecipientsBackfilled) {
  const gw::v1::AlertRecord a1 =
      MakeRecord(Alert("a1", "CASE-1").To({"TH-RTP", "VN-MPS"}));
  // Partner alerts, which have no deliveries: version 3 listed them to no
  // recipient.
  gw::v1::AlertRecord t1 = MakeRecord(Alert("t1", "TH-CASE-1")
                                          .From("TH-RTP")
                                          .To({"CN-MPS", "LA-MPS", "LA-MPS"}));
  t1.clear_deliveries();
  gw::v1::AlertRecord v1 =
      MakeRecord(Alert("v1", "VN-CASE-1").From("VN-MPS").To({"LA-MPS"}));
  v1.clear_deliveries();
  {
    ReleasedDatabase v3(Path(), 3);
    ASSERT_NO_FATAL_FAILURE(v3.AddAlert(a1));
    ASSERT_NO_FATAL_FAILURE(v3.AddInboundAlert(t1, "m1", "digest-t1"));
    ASSERT_NO_FATAL_FAILURE(v3.AddInboundAlert(v1, "m1", "digest-v1"));
    EXPECT_EQ(v3.SchemaVersion(), 3);
  }

  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(Path());
  ASSERT_TRUE(store.ok()) << store.status();

  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"CN-MPS", {"a1", "t1"}}, {"LA-MPS", {"t1", "v1"}},
      {"VN-MPS", {"a1", "v1"}}, {"TH-RTP", {"a1", "t1"}},
      {"KH-CNP", {}},
  };
  for (const auto& [agency, want] : cases) {
    SCOPED_TRACE(agency);
    absl::StatusOr<AlertPage> page =
        (*store)->ListAlerts(AlertsVisibleTo(agency));
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_THAT(AlertIds(page->alerts), ElementsAreArray(want));
  }
  absl::StatusOr<std::string> digest =
      (*store)->InboundMessageDigest("TH-RTP", "m1");
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, "digest-t1");
  absl::StatusOr<std::vector<DeliveryRow>> pending =
      (*store)->PendingDeliveries();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_THAT(MessageIds(*pending), ElementsAre("a1/TH-RTP", "a1/VN-MPS"));
  EXPECT_TRUE((*store)->VerifyAuditTree(nullptr).ok());

  // And the store goes on: an exact resend is a duplicate, a new partner
  // alert is listed to its recipient.
  Write resend = InboundWrite(Alert("t1", "TH-CASE-1")
                                  .From("TH-RTP")
                                  .To({"CN-MPS", "LA-MPS", "LA-MPS"}),
                              Message("m1").Digest("digest-t1"));
  Write t2 = InboundWrite(
      Alert("t2", "TH-CASE-1").From("TH-RTP").To({"LA-MPS"}), Message("m2"));
  std::vector<Write*> batch = {&resend, &t2};
  ASSERT_TRUE((*store)->Commit(batch).ok());
  ASSERT_TRUE(resend.result.status.ok()) << resend.result.status;
  EXPECT_TRUE(resend.result.duplicate);
  EXPECT_EQ(resend.result.audit_leaf_index, 1u);
  ASSERT_TRUE(t2.result.status.ok()) << t2.result.status;
  EXPECT_EQ(t2.result.audit_leaf_index, 3u);
  absl::StatusOr<AlertPage> page =
      (*store)->ListAlerts(AlertsVisibleTo("LA-MPS"));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(AlertIds(page->alerts), ElementsAre("t1", "v1", "t2"));
  store->reset();
  EXPECT_EQ(SchemaVersionOf(Path()), sqlite::LatestSchemaVersion());
}

TEST_F(SqliteStoreTest, Version3AlertRecordThatDoesNotParseFailsMigration4) {
  {
    ReleasedDatabase v3(Path(), 3);
    ASSERT_NO_FATAL_FAILURE(v3.Run(
        "INSERT INTO cases(case_ref, owner_agency, state, "
        "created_at_us, updated_at_us) VALUES ('C', 'CN-MPS', 1, 0, 0)"));
    ASSERT_NO_FATAL_FAILURE(
        v3.Run("INSERT INTO alerts(alert_id, origin_agency, case_ref, kind, "
               "payload_sha256, received_at_us, audit_leaf_index, record) "
               "VALUES ('a1', 'CN-MPS', 'C', 1, 'd', 0, 0, x'ffff')"));
  }

  const absl::Status status = SqliteStore::Open(Path()).status();

  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_TRUE(absl::StrContains(status.message(),
                                "schema migration to version 4: alerts: "
                                "record at seq 1 does not parse"))
      << status;
  EXPECT_EQ(SchemaVersionOf(Path()), 3);
}

}  // namespace
}  // namespace gw::store
