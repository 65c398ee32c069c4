// The audit tree of the Store interface (store.h: AuditHead, ReadAuditNodes,
// SaveCheckpoint, LatestCheckpoint, SearchAudit, VerifyAuditTree), run as
// TYPED_TESTs over SqliteStore and the FakeStore other tests rely on, then
// SQLite-only tests about files: reopening, migration from schema 1, a
// failed transaction, and tampering with the database behind the store's
// back.
//
// Roots are checked against an RFC 9162 §2.1.1 MTH written here literally,
// and proofs with gateway/audit's verifiers, so the store is never trusted
// to check itself.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/time_util.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/node_id.h"
#include "gateway/audit/node_reader.h"
#include "gateway/audit/proof_nodes.h"
#include "gateway/audit/proof_verifier.h"
#include "gateway/store/sqlite/sqlite_connection.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fake_store.h"
#include "tests/support/scoped_temp_dir.h"
#include "tests/unit/gateway/store/released_schemas.h"

namespace gw::store {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr int64_t kBaseTime = 1700000000;  // seconds since the epoch

// ---------------------------------------------------------------------------
// Factories

using TempDir = ::gw::testing::ScopedTempDir;

class SqliteFactory {
 public:
  static std::string Name() { return "Sqlite"; }
  absl::StatusOr<std::unique_ptr<Store>> Open() {
    SqliteStore::Options options;
    options.read_connections = 3;
    // Tests need crash safety, not power-loss safety: spare the fsyncs.
    options.synchronous_full = false;
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(path_, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(*std::move(store));
  }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_ = dir_.path() + "/gateway.db";
};

class FakeFactory {
 public:
  static std::string Name() { return "Fake"; }
  absl::StatusOr<std::unique_ptr<Store>> Open() {
    return std::unique_ptr<Store>(std::make_unique<testing::FakeStore>());
  }
};

using StoreFactories = ::testing::Types<SqliteFactory, FakeFactory>;

class FactoryNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return T::Name();
  }
};

// ---------------------------------------------------------------------------
// Test data and references

google::protobuf::Timestamp At(int64_t seconds_after_base) {
  return TimeUtil::SecondsToTimestamp(kBaseTime + seconds_after_base);
}

absl::Time TimeAt(int64_t seconds_after_base) {
  return absl::FromUnixSeconds(kBaseTime + seconds_after_base);
}

struct EntrySpec {
  std::string action = "AuditService.GetEntries";
  std::string agency = "CN-MPS";
  std::string user = "investigator1";
  std::vector<std::string> object_ids = {"none"};
  int64_t time = 0;  // seconds after kBaseTime
};

gw::v1::AuditEntry MakeEntry(const EntrySpec& spec) {
  gw::v1::AuditEntry entry;
  *entry.mutable_time() = At(spec.time);
  entry.set_actor_agency(spec.agency);
  entry.set_actor_role("investigator");
  entry.set_actor_user(spec.user);
  entry.set_action(spec.action);
  for (const std::string& id : spec.object_ids) entry.add_object_ids(id);
  entry.set_decision("ALLOW");
  entry.set_outcome("OK");
  entry.set_policy_version("policy-v1");
  return entry;
}

Write AuditWrite(const EntrySpec& spec) {
  Write write;
  write.op = AppendAudit{MakeEntry(spec)};
  return write;
}

// The i-th entry of a generated log: distinct bytes per leaf.
Write NumberedWrite(uint64_t i) {
  EntrySpec spec;
  spec.object_ids = {absl::StrCat("alert:", i)};
  spec.time = static_cast<int64_t>(i);
  return AuditWrite(spec);
}

Write AcceptWrite(const std::string& alert_id, const std::string& case_ref,
                  const std::string& origin, const std::string& digest) {
  AcceptAlert op;
  gw::v1::CaseAlert* alert = op.record.mutable_alert();
  alert->set_alert_id(alert_id);
  alert->set_case_ref(case_ref);
  alert->set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  alert->set_origin_agency(origin);
  alert->set_originator("investigator1");
  alert->add_recipients("TH-RTP");
  *op.record.mutable_received_at() = At(1);
  op.record.set_payload_sha256(digest);
  gw::v1::Delivery* delivery = op.record.add_deliveries();
  delivery->set_recipient("TH-RTP");
  delivery->set_state(gw::v1::Delivery::QUEUED);
  delivery->set_message_id(alert_id + "/TH-RTP");
  EntrySpec spec;
  spec.action = "AlertService.SendAlert";
  spec.agency = origin;
  spec.object_ids = {"alert:" + alert_id, "case:" + case_ref};
  op.audit = MakeEntry(spec);
  Write write;
  write.op = std::move(op);
  return write;
}

Write UpdateWrite(const std::string& case_ref, const std::string& update_id,
                  const std::string& digest) {
  UpdateCase op;
  op.update.set_case_ref(case_ref);
  op.update.set_owner_agency("CN-MPS");
  op.update.set_state(gw::v1::CaseStatus::INVESTIGATING);
  op.update.set_update_id(update_id);
  op.actor_agency = "CN-MPS";
  op.actor_user = "investigator1";
  op.payload_sha256 = digest;
  op.at = TimeAt(5);
  EntrySpec spec;
  spec.action = "CaseService.UpdateCaseStatus";
  spec.object_ids = {"case:" + case_ref};
  op.audit = MakeEntry(spec);
  Write write;
  write.op = std::move(op);
  return write;
}

Write CheckpointWrite(uint64_t tree_size, std::string root_hash,
                      std::string note = "note") {
  SaveCheckpoint op;
  op.checkpoint.set_tree_size(tree_size);
  op.checkpoint.set_root_hash(std::move(root_hash));
  op.checkpoint.set_note(std::move(note));
  *op.checkpoint.mutable_time() = At(1000);
  Write write;
  write.op = std::move(op);
  return write;
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

// RFC 9162 §2.1.1, literally: MTH({d(0)}) = HASH(0x00 || d(0)); for n > 1,
// k the largest power of two < n, MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) ||
// MTH(D[k:n])).
std::string ReferenceRoot(const std::vector<std::string>& leaves, size_t begin,
                          size_t end) {
  const size_t n = end - begin;
  if (n == 0) return audit::EmptyRoot();
  if (n == 1) return audit::HashLeaf(leaves[begin]);
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return audit::HashChildren(ReferenceRoot(leaves, begin, begin + k),
                             ReferenceRoot(leaves, begin + k, end));
}

// Reads proof nodes through the Store interface.
class StoreNodeReader final : public audit::NodeReader {
 public:
  explicit StoreNodeReader(Store* store) : store_(store) {}
  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const audit::NodeId> ids) const override {
    return store_->ReadAuditNodes(ids);
  }

 private:
  Store* store_;  // not owned
};

void ExpectError(const absl::Status& status, absl::StatusCode code,
                 absl::string_view prefix) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), prefix)) << status;
}

// ---------------------------------------------------------------------------
// The fixture

template <typename Factory>
class AuditTreeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Reopen()); }

  void Reopen() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<Store>> store = factory_.Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  Store& store() { return *store_; }

  void CommitBatch(std::vector<Write>& writes) {
    std::vector<Write*> batch;
    for (Write& write : writes) batch.push_back(&write);
    ASSERT_TRUE(store_->Commit(batch).ok());
  }

  WriteResult CommitOne(Write write) {
    std::vector<Write> writes;
    writes.push_back(std::move(write));
    CommitBatch(writes);
    return writes[0].result;
  }

  // Appends generated leaves until the log has `size`, `per_batch` a batch.
  void GrowTo(uint64_t size, uint64_t per_batch = 1000) {
    uint64_t next = Head().size;
    while (next < size) {
      std::vector<Write> writes;
      for (; next < size && writes.size() < per_batch; ++next) {
        writes.push_back(NumberedWrite(next));
      }
      ASSERT_NO_FATAL_FAILURE(CommitBatch(writes));
    }
  }

  AuditTreeHead Head() {
    absl::StatusOr<AuditTreeHead> head = store_->AuditHead();
    EXPECT_TRUE(head.ok()) << head.status();
    return head.ok() ? *head : AuditTreeHead();
  }

  std::vector<std::string> Leaves() {
    absl::StatusOr<std::vector<AuditLeaf>> leaves =
        store_->ReadAuditLog(0, UINT64_MAX);
    EXPECT_TRUE(leaves.ok()) << leaves.status();
    std::vector<std::string> data;
    if (leaves.ok()) {
      for (AuditLeaf& leaf : *leaves) data.push_back(std::move(leaf.leaf_data));
    }
    return data;
  }

  // The head must be the RFC root of the stored leaves.
  void ExpectHeadIsTheRootOfTheLog() {
    const std::vector<std::string> leaves = Leaves();
    const AuditTreeHead head = Head();
    EXPECT_EQ(head.size, leaves.size());
    EXPECT_EQ(head.root_hash, ReferenceRoot(leaves, 0, leaves.size()));
  }

  std::vector<uint64_t> Search(AuditQuery query, int* pages = nullptr) {
    std::vector<uint64_t> found;
    int count = 0;
    do {
      absl::StatusOr<AuditPage> page = store_->SearchAudit(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || ++count > 1000) break;
      for (const AuditLeaf& leaf : page->leaves) {
        found.push_back(leaf.leaf_index);
      }
      query.page_token = page->next_page_token;
    } while (!query.page_token.empty());
    if (pages != nullptr) *pages = count;
    return found;
  }

  // Grows the log to kSize entries (in batches of 1000), then checks every
  // inclusion proof at kSize and consistency proofs between many sizes,
  // each built from ReadAuditNodes alone and verified against roots
  // computed here. With `measure`, prints CPU times.
  void CheckEveryProof(uint64_t log_size, bool measure) {
    // Roots at the sizes of the consistency proofs, recorded as the log grows.
    std::vector<uint64_t> sizes;
    for (uint64_t size = 0; size <= log_size; size += 997)
      sizes.push_back(size);
    sizes.push_back(log_size);
    std::mt19937_64 random(42);
    for (int i = 0; i < 200; ++i) sizes.push_back(1 + random() % log_size);
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());

    // CPU time (std::clock): wall time on a shared machine says little.
    const std::clock_t start = std::clock();
    ASSERT_NO_FATAL_FAILURE(GrowTo(log_size, 1000));
    const std::clock_t grown = std::clock();
    const AuditTreeHead head = Head();
    ASSERT_EQ(head.size, log_size);
    const std::vector<std::string> leaves = Leaves();
    ASSERT_EQ(leaves.size(), log_size);

    // Roots at older sizes from the stored nodes; the head's independently.
    const StoreNodeReader reader(&store());
    audit::CompactRange reference;
    std::vector<std::string> roots;
    for (const uint64_t size : sizes) {
      while (reference.size() < size) {
        ASSERT_TRUE(reference
                        .Append(audit::HashLeaf(leaves[reference.size()]),
                                [](audit::NodeId, absl::string_view) {})
                        .ok());
      }
      absl::StatusOr<std::string> root = audit::RootAtSize(size, reader);
      ASSERT_TRUE(root.ok()) << root.status();
      ASSERT_EQ(*root, reference.Root()) << "size " << size;
      roots.push_back(*root);
    }
    while (reference.size() < log_size) {
      ASSERT_TRUE(reference
                      .Append(audit::HashLeaf(leaves[reference.size()]),
                              [](audit::NodeId, absl::string_view) {})
                      .ok());
    }
    ASSERT_EQ(head.root_hash, reference.Root());

    // Two threads, as concurrent auditors would (and twice as fast).
    const std::clock_t proofs_start = std::clock();
    std::atomic<size_t> nodes_read{0};
    std::atomic<bool> failed{false};
    auto check_inclusion = [&](uint64_t first) {
      for (uint64_t i = first; i < log_size && !failed; i += 2) {
        absl::StatusOr<audit::ProofPlan> plan =
            audit::InclusionProofNodes(i, log_size);
        absl::StatusOr<std::vector<std::string>> proof =
            plan.ok() ? audit::BuildProof(*plan, reader) : plan.status();
        const absl::Status verified =
            proof.ok()
                ? audit::VerifyInclusion(audit::HashLeaf(leaves[i]), i,
                                         log_size, *proof, head.root_hash)
                : proof.status();
        if (!verified.ok()) {
          ADD_FAILURE() << "leaf " << i << ": " << verified;
          failed = true;
        }
        nodes_read += plan.ok() ? plan->nodes.size() : 0;
      }
    };
    std::thread other(check_inclusion, 1);
    check_inclusion(0);
    other.join();
    ASSERT_FALSE(failed);
    const std::clock_t proofs_end = std::clock();

    // Consistency: every recorded size against the final one, and random
    // pairs among them.
    auto check_consistency = [&](size_t a, size_t b) {
      absl::StatusOr<audit::ProofPlan> plan =
          audit::ConsistencyProofNodes(sizes[a], sizes[b]);
      ASSERT_TRUE(plan.ok()) << plan.status();
      absl::StatusOr<std::vector<std::string>> proof =
          audit::BuildProof(*plan, reader);
      ASSERT_TRUE(proof.ok()) << proof.status();
      const absl::Status verified = audit::VerifyConsistency(
          sizes[a], sizes[b], *proof, roots[a], roots[b]);
      ASSERT_TRUE(verified.ok())
          << sizes[a] << " -> " << sizes[b] << ": " << verified;
    };
    ASSERT_EQ(sizes.back(), log_size);
    for (size_t a = 0; a < sizes.size(); ++a) {
      ASSERT_NO_FATAL_FAILURE(check_consistency(a, sizes.size() - 1));
    }
    for (int n = 0; n < 2000; ++n) {
      size_t a = random() % sizes.size();
      size_t b = random() % sizes.size();
      if (a > b) std::swap(a, b);
      ASSERT_NO_FATAL_FAILURE(check_consistency(a, b));
    }

    // ReadAuditNodes alone, for one proof in 97.
    const std::clock_t reads_start = std::clock();
    uint64_t reads = 0;
    for (uint64_t i = 0; i < log_size; i += 97, ++reads) {
      absl::StatusOr<audit::ProofPlan> plan =
          audit::InclusionProofNodes(i, log_size);
      ASSERT_TRUE(plan.ok()) << plan.status();
      ASSERT_TRUE(store().ReadAuditNodes(plan->nodes).ok());
    }
    const std::clock_t reads_end = std::clock();

    const std::clock_t verify_start = std::clock();
    const absl::Status verified = store().VerifyAuditTree(nullptr);
    const std::clock_t verify_end = std::clock();
    EXPECT_TRUE(verified.ok()) << verified;

    if (!measure) return;
    auto ms = [](std::clock_t from, std::clock_t to) {
      return 1000.0 * static_cast<double>(to - from) / CLOCKS_PER_SEC;
    };
    std::cout << "[ measure  ] " << Factory::Name() << " (CPU time): append "
              << log_size << " in batches of 1000 " << ms(start, grown)
              << " ms; one inclusion proof (plan, "
              << "ReadAuditNodes of "
              << static_cast<double>(nodes_read.load()) / log_size
              << " nodes on average, verify) "
              << 1000 * ms(proofs_start, proofs_end) / log_size
              << " us, of which ReadAuditNodes "
              << 1000 * ms(reads_start, reads_end) / static_cast<double>(reads)
              << " us; VerifyAuditTree of " << log_size << " leaves "
              << ms(verify_start, verify_end) << " ms\n";
  }

  Factory factory_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(AuditTreeTest, StoreFactories, FactoryNames);

// ---------------------------------------------------------------------------
// Head and nodes

TYPED_TEST(AuditTreeTest, EmptyLogHasTheEmptyRoot) {
  const AuditTreeHead head = this->Head();
  EXPECT_EQ(head.size, 0u);
  EXPECT_EQ(head.root_hash, audit::EmptyRoot());
  absl::StatusOr<std::vector<std::string>> none =
      this->store().ReadAuditNodes({});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, IsEmpty());
}

TYPED_TEST(AuditTreeTest, HeadIsTheRfcRootAfterEverySize) {
  for (const uint64_t size : {1, 2, 3, 7, 8, 9, 100}) {
    SCOPED_TRACE(absl::StrCat("size ", size));
    ASSERT_NO_FATAL_FAILURE(this->GrowTo(size, /*per_batch=*/3));
    this->ExpectHeadIsTheRootOfTheLog();
  }
}

TYPED_TEST(AuditTreeTest, WriteResultCarriesTheExactLeafBytes) {
  Write write = AuditWrite(EntrySpec());
  const std::string want =
      DeterministicBytes(std::get<AppendAudit>(write.op).audit);
  const WriteResult result = this->CommitOne(std::move(write));
  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_EQ(result.audit_leaf_data, want);
  EXPECT_THAT(this->Leaves(), ElementsAre(want));
  // The leaf the inclusion proof starts from.
  absl::StatusOr<std::vector<std::string>> node =
      this->store().ReadAuditNodes({audit::NodeId{0, 0}});
  ASSERT_TRUE(node.ok()) << node.status();
  EXPECT_THAT(*node, ElementsAre(audit::HashLeaf(want)));
}

TYPED_TEST(AuditTreeTest, ReadAuditNodesAnswersInRequestOrder) {
  ASSERT_NO_FATAL_FAILURE(this->GrowTo(8));
  const std::vector<std::string> leaves = this->Leaves();
  const std::vector<audit::NodeId> ids = {{3, 0}, {0, 7}, {1, 1},
                                          {0, 0}, {0, 7}, {2, 1}};
  absl::StatusOr<std::vector<std::string>> hashes =
      this->store().ReadAuditNodes(ids);
  ASSERT_TRUE(hashes.ok()) << hashes.status();
  EXPECT_THAT(
      *hashes,
      ElementsAre(ReferenceRoot(leaves, 0, 8), audit::HashLeaf(leaves[7]),
                  ReferenceRoot(leaves, 2, 4), audit::HashLeaf(leaves[0]),
                  audit::HashLeaf(leaves[7]), ReferenceRoot(leaves, 4, 8)));

  // Not complete (yet) or beyond the log: NOT_FOUND naming the node.
  for (const audit::NodeId id :
       {audit::NodeId{0, 8}, audit::NodeId{4, 0}, audit::NodeId{63, 1},
        audit::NodeId{0, UINT64_MAX}, audit::NodeId{70, 0}}) {
    SCOPED_TRACE(id.ToString());
    const absl::Status status =
        this->store().ReadAuditNodes({audit::NodeId{0, 1}, id}).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
    EXPECT_TRUE(absl::StrContains(status.message(), id.ToString())) << status;
  }
}

// Every inclusion proof of a small log at every size, and every
// consistency proof between its sizes.
TYPED_TEST(AuditTreeTest, EveryProofOfASmallLogVerifies) {
  constexpr uint64_t kSize = 40;
  std::vector<std::string> roots = {audit::EmptyRoot()};
  for (uint64_t size = 1; size <= kSize; ++size) {
    ASSERT_NO_FATAL_FAILURE(this->GrowTo(size));
    roots.push_back(this->Head().root_hash);
  }
  const std::vector<std::string> leaves = this->Leaves();
  const StoreNodeReader reader(&this->store());
  for (uint64_t size = 1; size <= kSize; ++size) {
    ASSERT_EQ(roots[size], ReferenceRoot(leaves, 0, size));
    absl::StatusOr<std::string> root = audit::RootAtSize(size, reader);
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(*root, roots[size]);
    for (uint64_t i = 0; i < size; ++i) {
      SCOPED_TRACE(absl::StrCat("leaf ", i, " size ", size));
      absl::StatusOr<audit::ProofPlan> plan =
          audit::InclusionProofNodes(i, size);
      ASSERT_TRUE(plan.ok()) << plan.status();
      absl::StatusOr<std::vector<std::string>> proof =
          audit::BuildProof(*plan, reader);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_TRUE(audit::VerifyInclusion(audit::HashLeaf(leaves[i]), i, size,
                                         *proof, roots[size])
                      .ok());
    }
    for (uint64_t first = 0; first <= size; ++first) {
      SCOPED_TRACE(absl::StrCat("consistency ", first, " ", size));
      absl::StatusOr<audit::ProofPlan> plan =
          audit::ConsistencyProofNodes(first, size);
      ASSERT_TRUE(plan.ok()) << plan.status();
      absl::StatusOr<std::vector<std::string>> proof =
          audit::BuildProof(*plan, reader);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_TRUE(audit::VerifyConsistency(first, size, *proof, roots[first],
                                           roots[size])
                      .ok());
    }
  }
}

// ---------------------------------------------------------------------------
// Writes that append nothing

TYPED_TEST(AuditTreeTest, DuplicatesAndRefusalsLeaveTheTreeUnchanged) {
  std::vector<Write> first;
  first.push_back(AcceptWrite("a1", "CASE-1", "CN-MPS", "d1"));
  first.push_back(UpdateWrite("CASE-1", "u1", "du1"));
  ASSERT_NO_FATAL_FAILURE(this->CommitBatch(first));
  ASSERT_TRUE(first[0].result.status.ok()) << first[0].result.status;
  ASSERT_TRUE(first[1].result.status.ok()) << first[1].result.status;
  const AuditTreeHead before = this->Head();
  ASSERT_EQ(before.size, 2u);

  std::vector<Write> again;
  again.push_back(AcceptWrite("a1", "CASE-1", "CN-MPS", "d1"));  // duplicate
  again.push_back(UpdateWrite("CASE-1", "u1", "du1"));           // duplicate
  again.push_back(AcceptWrite("a1", "CASE-1", "CN-MPS", "other"));
  again.push_back(AcceptWrite("a2", "CASE-1", "TH-RTP", "d2"));  // not owner
  again.push_back(UpdateWrite("CASE-1", "u1", "other"));
  ASSERT_NO_FATAL_FAILURE(this->CommitBatch(again));

  for (int i : {0, 1}) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(again[i].result.status.ok()) << again[i].result.status;
    EXPECT_TRUE(again[i].result.duplicate);
    EXPECT_EQ(again[i].result.audit_leaf_index,
              first[i].result.audit_leaf_index);
    EXPECT_EQ(again[i].result.audit_leaf_data, first[i].result.audit_leaf_data);
    EXPECT_FALSE(again[i].result.audit_leaf_data.empty());
  }
  EXPECT_EQ(again[2].result.status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again[3].result.status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(again[4].result.status.code(), absl::StatusCode::kAlreadyExists);
  const AuditTreeHead after = this->Head();
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.root_hash, before.root_hash);
  this->ExpectHeadIsTheRootOfTheLog();

  // The next leaf takes the next index and the tree stays right.
  const WriteResult next = this->CommitOne(AuditWrite(EntrySpec()));
  EXPECT_EQ(next.audit_leaf_index, 2u);
  this->ExpectHeadIsTheRootOfTheLog();
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
}

// ---------------------------------------------------------------------------
// Checkpoints

TYPED_TEST(AuditTreeTest, SaveCheckpointKeepsOnlyTheTreesOwnRoots) {
  ExpectError(this->store().LatestCheckpoint().status(),
              absl::StatusCode::kNotFound, "checkpoint");
  ASSERT_NO_FATAL_FAILURE(this->GrowTo(5));
  const std::vector<std::string> leaves = this->Leaves();
  const std::string root3 = ReferenceRoot(leaves, 0, 3);
  const std::string root5 = ReferenceRoot(leaves, 0, 5);

  // The current size and an older one are both accepted.
  WriteResult saved = this->CommitOne(CheckpointWrite(5, root5, "five"));
  ASSERT_TRUE(saved.status.ok()) << saved.status;
  EXPECT_FALSE(saved.duplicate);
  EXPECT_TRUE(saved.audit_leaf_data.empty());
  saved = this->CommitOne(CheckpointWrite(3, root3, "three"));
  ASSERT_TRUE(saved.status.ok()) << saved.status;
  EXPECT_EQ(this->Head().size, 5u) << "a checkpoint appends no leaf";

  // Idempotent by tree_size: the first one stays.
  saved = this->CommitOne(CheckpointWrite(5, root5, "five again"));
  ASSERT_TRUE(saved.status.ok()) << saved.status;
  EXPECT_TRUE(saved.duplicate);

  absl::StatusOr<gw::v1::Checkpoint> latest = this->store().LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->tree_size(), 5u);
  EXPECT_EQ(latest->root_hash(), root5);
  EXPECT_EQ(latest->note(), "five");
  EXPECT_EQ(latest->time().seconds(), kBaseTime + 1000);

  struct Case {
    std::string name;
    uint64_t size;
    std::string root;
    absl::StatusCode code;
    std::string prefix;
  };
  const std::vector<Case> cases = {
      {"size 0", 0, root5, absl::StatusCode::kInvalidArgument,
       "checkpoint.tree_size: "},
      {"beyond the log", 1000, root5, absl::StatusCode::kInvalidArgument,
       "checkpoint.tree_size: "},
      {"short root", 5, root5.substr(1), absl::StatusCode::kInvalidArgument,
       "checkpoint.root_hash: "},
      {"another size's root", 3, root5, absl::StatusCode::kDataLoss,
       "checkpoint.root_hash: "},
      {"an older size's root", 5, root3, absl::StatusCode::kDataLoss,
       "checkpoint.root_hash: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    // A refused checkpoint fails alone; its batch-mates commit.
    std::vector<Write> writes;
    writes.push_back(CheckpointWrite(c.size, c.root));
    writes.push_back(AuditWrite(EntrySpec()));
    ASSERT_NO_FATAL_FAILURE(this->CommitBatch(writes));
    ExpectError(writes[0].result.status, c.code, c.prefix);
    EXPECT_TRUE(writes[1].result.status.ok()) << writes[1].result.status;
  }
  latest = this->store().LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->tree_size(), 5u);
}

TYPED_TEST(AuditTreeTest, CheckpointSeesTheLeavesEarlierInItsBatch) {
  ASSERT_NO_FATAL_FAILURE(this->GrowTo(2));
  std::vector<Write> writes;
  writes.push_back(NumberedWrite(2));
  writes.push_back(NumberedWrite(3));
  // The root of the 4 leaves, computed as the store will have them.
  std::vector<std::string> leaves = this->Leaves();
  for (const Write& write : writes) {
    leaves.push_back(DeterministicBytes(std::get<AppendAudit>(write.op).audit));
  }
  writes.push_back(CheckpointWrite(4, ReferenceRoot(leaves, 0, 4)));
  writes.push_back(CheckpointWrite(3, ReferenceRoot(leaves, 0, 3)));
  ASSERT_NO_FATAL_FAILURE(this->CommitBatch(writes));
  EXPECT_TRUE(writes[2].result.status.ok()) << writes[2].result.status;
  EXPECT_TRUE(writes[3].result.status.ok()) << writes[3].result.status;
  absl::StatusOr<gw::v1::Checkpoint> latest = this->store().LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->tree_size(), 4u);
}

// ---------------------------------------------------------------------------
// Search

TYPED_TEST(AuditTreeTest, SearchAuditFiltersAndPages) {
  // Leaf i is at time 10 * i.
  const std::vector<EntrySpec> specs = {
      {"AlertService.SendAlert", "CN-MPS", "alice", {"alert:1", "case:A"}, 0},
      {"AlertService.SendAlert", "TH-RTP", "bob", {"alert:2", "case:A"}, 10},
      {"CaseService.UpdateCaseStatus", "CN-MPS", "alice", {"case:A"}, 20},
      {"AuditService.GetEntries", "VN-MPS", "carol", {}, 30},
      {"AlertService.SendAlert", "CN-MPS", "bob", {"alert:3", "case:B"}, 40},
      {"CaseService.UpdateCaseStatus",
       "TH-RTP",
       "bob",
       {"case:B", "case:B"},
       50},
  };
  std::vector<Write> writes;
  for (const EntrySpec& spec : specs) writes.push_back(AuditWrite(spec));
  ASSERT_NO_FATAL_FAILURE(this->CommitBatch(writes));

  auto query = [](auto fill) {
    AuditQuery q;
    fill(q);
    return q;
  };
  struct Case {
    std::string name;
    AuditQuery query;
    std::vector<uint64_t> want;
  };
  const std::vector<Case> cases = {
      {"everything", AuditQuery(), {0, 1, 2, 3, 4, 5}},
      {"agency",
       query([](AuditQuery& q) { q.actor_agency = "CN-MPS"; }),
       {0, 2, 4}},
      {"user", query([](AuditQuery& q) { q.actor_user = "bob"; }), {1, 4, 5}},
      {"action",
       query([](AuditQuery& q) { q.action = "CaseService.UpdateCaseStatus"; }),
       {2, 5}},
      {"object",
       query([](AuditQuery& q) { q.object_id = "case:A"; }),
       {0, 1, 2}},
      {"object listed twice",
       query([](AuditQuery& q) { q.object_id = "case:B"; }),
       {4, 5}},
      {"object is matched whole",
       query([](AuditQuery& q) { q.object_id = "case"; }),
       {}},
      {"since is inclusive",
       query([](AuditQuery& q) { q.since = TimeAt(20); }),
       {2, 3, 4, 5}},
      {"until is exclusive",
       query([](AuditQuery& q) { q.until = TimeAt(20); }),
       {0, 1}},
      {"a microsecond after",
       query([](AuditQuery& q) {
         q.since = TimeAt(20) + absl::Microseconds(1);
         q.until = TimeAt(40) + absl::Microseconds(1);
       }),
       {3, 4}},
      {"a nanosecond after",
       query([](AuditQuery& q) {
         q.since = TimeAt(20) + absl::Nanoseconds(1);
         q.until = TimeAt(40) + absl::Nanoseconds(1);
       }),
       {3, 4}},
      {"empty range",
       query([](AuditQuery& q) {
         q.since = TimeAt(20);
         q.until = TimeAt(20);
       }),
       {}},
      {"all filters",
       query([](AuditQuery& q) {
         q.actor_agency = "CN-MPS";
         q.actor_user = "bob";
         q.action = "AlertService.SendAlert";
         q.object_id = "case:B";
         q.since = TimeAt(40);
         q.until = TimeAt(41);
       }),
       {4}},
      {"no match", query([](AuditQuery& q) { q.actor_agency = "LA-MPS"; }), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (int page_size : {1, 2, 1000}) {
      SCOPED_TRACE(absl::StrCat("page_size ", page_size));
      AuditQuery q = c.query;
      q.page_size = page_size;
      int pages = 0;
      EXPECT_THAT(this->Search(q, &pages), ElementsAreArray(c.want));
      const int want_pages =
          c.want.empty()
              ? 1
              : static_cast<int>((c.want.size() + page_size - 1) / page_size);
      // A token only when another page holds a result.
      EXPECT_EQ(pages, want_pages);
    }
  }

  // Leaves come back byte for byte, as ReadAuditLog has them.
  AuditQuery by_user;
  by_user.actor_user = "carol";
  absl::StatusOr<AuditPage> page = this->store().SearchAudit(by_user);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->leaves.size(), 1u);
  EXPECT_EQ(page->leaves[0].leaf_index, 3u);
  EXPECT_EQ(page->leaves[0].leaf_data, this->Leaves()[3]);

  // page_size is clamped to 1..1000.
  for (int page_size : {0, -5}) {
    AuditQuery q;
    q.page_size = page_size;
    page = this->store().SearchAudit(q);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->leaves.size(), 1u);
  }
}

TYPED_TEST(AuditTreeTest, SearchAuditRefusesTokensItDidNotIssue) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite("a1", "CASE-1", "CN-MPS", "d1"));
  writes.push_back(AcceptWrite("a2", "CASE-2", "CN-MPS", "d2"));
  ASSERT_NO_FATAL_FAILURE(this->CommitBatch(writes));
  AlertQuery alerts;
  alerts.page_size = 1;
  absl::StatusOr<AlertPage> alert_page = this->store().ListAlerts(alerts);
  ASSERT_TRUE(alert_page.ok()) << alert_page.status();
  ASSERT_FALSE(alert_page->next_page_token.empty());
  CaseQuery cases;
  cases.page_size = 1;
  absl::StatusOr<CasePage> case_page = this->store().ListCases(cases);
  ASSERT_TRUE(case_page.ok()) << case_page.status();
  ASSERT_FALSE(case_page->next_page_token.empty());
  AuditQuery audit;
  audit.page_size = 1;
  absl::StatusOr<AuditPage> audit_page = this->store().SearchAudit(audit);
  ASSERT_TRUE(audit_page.ok()) << audit_page.status();
  ASSERT_FALSE(audit_page->next_page_token.empty());

  for (const std::string& token :
       {std::string("garbage"), std::string("-1"), std::string("1x"),
        std::string("\xff"), alert_page->next_page_token,
        case_page->next_page_token}) {
    SCOPED_TRACE(token);
    AuditQuery q;
    q.page_token = token;
    ExpectError(this->store().SearchAudit(q).status(),
                absl::StatusCode::kInvalidArgument, "page_token: ");
  }
  // And the audit token is no good for the other lists.
  AlertQuery a;
  a.page_token = audit_page->next_page_token;
  ExpectError(this->store().ListAlerts(a).status(),
              absl::StatusCode::kInvalidArgument, "page_token: ");
  CaseQuery c;
  c.page_token = audit_page->next_page_token;
  ExpectError(this->store().ListCases(c).status(),
              absl::StatusCode::kInvalidArgument, "page_token: ");
}

// ---------------------------------------------------------------------------
// Verification and concurrency

TYPED_TEST(AuditTreeTest, VerifyAuditTreePassesAnIntactLogAndReportsProgress) {
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  auto progress = [&](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
  };
  EXPECT_TRUE(this->store().VerifyAuditTree(progress).ok());
  EXPECT_THAT(calls, ElementsAre(std::make_pair(uint64_t{0}, uint64_t{0})));

  ASSERT_NO_FATAL_FAILURE(this->GrowTo(25000, 5000));
  const AuditTreeHead head = this->Head();
  absl::StatusOr<std::string> root =
      audit::RootAtSize(20000, StoreNodeReader(&this->store()));
  ASSERT_TRUE(root.ok()) << root.status();
  ASSERT_TRUE(this->CommitOne(CheckpointWrite(20000, *root)).status.ok());
  calls.clear();
  const absl::Status status = this->store().VerifyAuditTree(progress);
  EXPECT_TRUE(status.ok()) << status;
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(head.size, head.size));
  for (size_t i = 1; i < calls.size(); ++i) {
    EXPECT_LT(calls[i - 1].first, calls[i].first);
    EXPECT_EQ(calls[i].second, head.size);
  }
  // Null progress is fine too.
  EXPECT_TRUE(this->store().VerifyAuditTree(nullptr).ok());
}

TYPED_TEST(AuditTreeTest, ReadersSeeOnlyCommittedHeadsWithAllTheirNodes) {
  constexpr int kBatches = 60;
  constexpr int kPerBatch = 5;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<Write> writes;
      for (int i = 0; i < kPerBatch; ++i) {
        writes.push_back(NumberedWrite(b * kPerBatch + i));
      }
      std::vector<Write*> batch;
      for (Write& write : writes) batch.push_back(&write);
      EXPECT_TRUE(this->store().Commit(batch).ok());
    }
    done = true;
  });
  std::vector<std::thread> readers;
  std::atomic<int> checks{0};
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      const StoreNodeReader reader(&this->store());
      uint64_t last = 0;
      do {
        absl::StatusOr<AuditTreeHead> head = this->store().AuditHead();
        ASSERT_TRUE(head.ok()) << head.status();
        EXPECT_GE(head->size, last);
        EXPECT_EQ(head->size % kPerBatch, 0u);
        last = head->size;
        absl::StatusOr<std::string> root =
            audit::RootAtSize(head->size, reader);
        ASSERT_TRUE(root.ok()) << root.status();
        EXPECT_EQ(*root, head->root_hash);
        ++checks;
      } while (!done);
    });
  }
  writer.join();
  for (std::thread& reader : readers) reader.join();
  EXPECT_GT(checks.load(), 0);
  this->ExpectHeadIsTheRootOfTheLog();
}

// ---------------------------------------------------------------------------
// Every inclusion proof and many consistency proofs of a larger log, each
// built from ReadAuditNodes alone (100,000 entries for SQLite below).

TYPED_TEST(AuditTreeTest, EveryProofOfA4kLogVerifies) {
  this->CheckEveryProof(4096 + 77, /*measure=*/false);
}

// ---------------------------------------------------------------------------
// SQLite only: files

// A raw connection to the store's file, as an intruder (or a bug) would have.
std::unique_ptr<sqlite::Connection> RawConnection(const std::string& path) {
  absl::StatusOr<std::unique_ptr<sqlite::Connection>> db =
      sqlite::Connection::Open(path, sqlite::Connection::Mode::kReadWrite,
                               absl::Seconds(5));
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

void Exec(sqlite::Connection* db, const std::string& sql) {
  ASSERT_NE(db, nullptr);
  const absl::Status status = db->Exec(sql);
  ASSERT_TRUE(status.ok()) << status << " in " << sql;
}

std::string Hex(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

class SqliteAuditTreeTest : public AuditTreeTest<SqliteFactory> {
 protected:
  const std::string& Path() { return this->factory_.path(); }
};

// Then, on the same log: Open reads the frontier nodes only. With every
// leaf wrecked and every other node deleted it still finds the same head
// (and VerifyAuditTree catches the damage).
TEST_F(SqliteAuditTreeTest, EveryProofOfA100kLogVerifiesAndOpenReadsOnlyNodes) {
  constexpr uint64_t kSize = 100000;
  ASSERT_NO_FATAL_FAILURE(CheckEveryProof(kSize, /*measure=*/true));
  const AuditTreeHead before = Head();
  store_.reset();

  std::unique_ptr<sqlite::Connection> raw = RawConnection(Path());
  std::string frontier;
  for (const audit::NodeId& id : audit::CompactRange::NodesForSize(kSize)) {
    absl::StrAppend(&frontier, frontier.empty() ? "" : " OR ",
                    "(level = ", id.level, " AND idx = ", id.index, ")");
  }
  Exec(raw.get(), "DELETE FROM audit_nodes WHERE NOT (" + frontier + ")");
  Exec(raw.get(), "UPDATE audit_log SET leaf_data = x'00'");
  raw.reset();

  const std::clock_t start = std::clock();
  ASSERT_NO_FATAL_FAILURE(Reopen());
  std::cout << "[ measure  ] Open of a " << kSize << "-entry log (CPU time): "
            << 1000.0 * static_cast<double>(std::clock() - start) /
                   CLOCKS_PER_SEC
            << " ms\n";
  const AuditTreeHead after = Head();
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.root_hash, before.root_hash);
  ExpectError(store().VerifyAuditTree(nullptr), absl::StatusCode::kDataLoss,
              "audit log: node (0, 0) is missing");
}

TEST_F(SqliteAuditTreeTest, HeadSurvivesReopenAndGrowsOnCorrectly) {
  ASSERT_NO_FATAL_FAILURE(GrowTo(1234, 100));
  const AuditTreeHead before = Head();
  ASSERT_NO_FATAL_FAILURE(Reopen());
  const AuditTreeHead after = Head();
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.root_hash, before.root_hash);
  ASSERT_NO_FATAL_FAILURE(GrowTo(2000, 100));
  ExpectHeadIsTheRootOfTheLog();
  EXPECT_TRUE(store().VerifyAuditTree(nullptr).ok());
}

TEST_F(SqliteAuditTreeTest, OpenRefusesATreeMissingAFrontierNode) {
  ASSERT_NO_FATAL_FAILURE(GrowTo(6));
  store_.reset();
  std::unique_ptr<sqlite::Connection> raw = RawConnection(Path());
  Exec(raw.get(), "DELETE FROM audit_nodes WHERE level = 1 AND idx = 2");
  raw.reset();
  const absl::Status status = factory_.Open().status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "(1, 2)")) << status;
}

TEST_F(SqliteAuditTreeTest, FailedTransactionLeavesTheTreeUnchanged) {
  // A store that gives up on a lock quickly.
  store_.reset();
  SqliteStore::Options options;
  options.busy_timeout = absl::Milliseconds(20);
  options.synchronous_full = false;
  absl::StatusOr<std::unique_ptr<SqliteStore>> opened =
      SqliteStore::Open(Path(), options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = *std::move(opened);
  ASSERT_NO_FATAL_FAILURE(GrowTo(3));
  const AuditTreeHead before = Head();
  std::unique_ptr<sqlite::Connection> other = RawConnection(Path());
  ASSERT_NO_FATAL_FAILURE(Exec(other.get(), "BEGIN IMMEDIATE"));

  std::vector<Write> writes;
  writes.push_back(NumberedWrite(3));
  writes.push_back(NumberedWrite(4));
  std::vector<Write*> batch = {&writes[0], &writes[1]};
  const absl::Status locked = store().Commit(batch);
  EXPECT_EQ(locked.code(), absl::StatusCode::kAborted) << locked;
  const AuditTreeHead during = Head();
  EXPECT_EQ(during.size, before.size);
  EXPECT_EQ(during.root_hash, before.root_hash);

  ASSERT_NO_FATAL_FAILURE(Exec(other.get(), "ROLLBACK"));
  ASSERT_TRUE(store().Commit(batch).ok());
  EXPECT_EQ(writes[0].result.audit_leaf_index, 3u);
  EXPECT_EQ(writes[1].result.audit_leaf_index, 4u);
  ExpectHeadIsTheRootOfTheLog();
  ASSERT_NO_FATAL_FAILURE(GrowTo(20, 3));
  ExpectHeadIsTheRootOfTheLog();
  EXPECT_TRUE(store().VerifyAuditTree(nullptr).ok());
}

// A write that fails after appending its leaf (here: a reused outbox
// message id) takes its leaf and nodes with it.
TEST_F(SqliteAuditTreeTest, WriteRolledBackAfterItsLeafLeavesNoNode) {
  std::vector<Write> writes;
  writes.push_back(AcceptWrite("a1", "CASE-1", "CN-MPS", "d1"));
  writes.push_back(AcceptWrite("a2", "CASE-2", "CN-MPS", "d2"));
  std::get<AcceptAlert>(writes[1].op)
      .record.mutable_deliveries(0)
      ->set_message_id("a1/TH-RTP");
  writes.push_back(AcceptWrite("a3", "CASE-3", "CN-MPS", "d3"));
  ASSERT_NO_FATAL_FAILURE(CommitBatch(writes));
  ASSERT_EQ(writes[1].result.status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(writes[2].result.audit_leaf_index, 1u);
  ExpectHeadIsTheRootOfTheLog();
  EXPECT_TRUE(store().VerifyAuditTree(nullptr).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ExpectHeadIsTheRootOfTheLog();
}

TEST(SqliteAuditMigrationTest, Version1LogIsBackfilled) {
  TempDir dir;
  const std::string path = dir.path() + "/gateway.db";
  std::vector<std::string> leaves;
  {
    std::unique_ptr<sqlite::Connection> raw = RawConnection(path);
    ASSERT_NO_FATAL_FAILURE(Exec(raw.get(), kSchemaVersion1));
    for (int i = 0; i < 11; ++i) {
      EntrySpec spec;
      spec.user = i % 2 == 0 ? "alice" : "bob";
      spec.object_ids = {absl::StrCat("alert:", i), "case:A", "case:A"};
      spec.time = i;
      const gw::v1::AuditEntry entry = MakeEntry(spec);
      leaves.push_back(DeterministicBytes(entry));
      ASSERT_NO_FATAL_FAILURE(
          Exec(raw.get(),
               absl::StrCat("INSERT INTO audit_log VALUES (", i, ", x'",
                            Hex(leaves.back()), "', ",
                            (kBaseTime + i) * 1000000, ", '", entry.action(),
                            "', '", entry.actor_agency(), "')")));
    }
  }
  SqliteStore::Options options;
  options.synchronous_full = false;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(path, options);
  ASSERT_TRUE(store.ok()) << store.status();

  absl::StatusOr<AuditTreeHead> head = (*store)->AuditHead();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->size, leaves.size());
  EXPECT_EQ(head->root_hash, ReferenceRoot(leaves, 0, leaves.size()));
  EXPECT_TRUE((*store)->VerifyAuditTree(nullptr).ok());
  // Every node is there: a proof for each leaf.
  const StoreNodeReader reader(store->get());
  for (uint64_t i = 0; i < leaves.size(); ++i) {
    absl::StatusOr<audit::ProofPlan> plan =
        audit::InclusionProofNodes(i, leaves.size());
    ASSERT_TRUE(plan.ok());
    absl::StatusOr<std::vector<std::string>> proof =
        audit::BuildProof(*plan, reader);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_TRUE(audit::VerifyInclusion(audit::HashLeaf(leaves[i]), i,
                                       leaves.size(), *proof, head->root_hash)
                    .ok());
  }
  // The search columns are filled in.
  AuditQuery by_user;
  by_user.actor_user = "bob";
  absl::StatusOr<AuditPage> page = (*store)->SearchAudit(by_user);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->leaves.size(), 5u);
  AuditQuery by_object;
  by_object.object_id = "case:A";
  page = (*store)->SearchAudit(by_object);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->leaves.size(), leaves.size());
  // And the log goes on from there.
  Write write = NumberedWrite(11);
  std::vector<Write*> batch = {&write};
  ASSERT_TRUE((*store)->Commit(batch).ok());
  EXPECT_EQ(write.result.audit_leaf_index, 11u);
  leaves.push_back(write.result.audit_leaf_data);
  head = (*store)->AuditHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->root_hash, ReferenceRoot(leaves, 0, leaves.size()));
}

TEST(SqliteAuditMigrationTest, Version1LogThatDoesNotParseIsRefused) {
  TempDir dir;
  const std::string path = dir.path() + "/gateway.db";
  {
    std::unique_ptr<sqlite::Connection> raw = RawConnection(path);
    ASSERT_NO_FATAL_FAILURE(Exec(raw.get(), kSchemaVersion1));
    ASSERT_NO_FATAL_FAILURE(Exec(
        raw.get(), "INSERT INTO audit_log VALUES (0, x'ffff', 0, 'a', 'b')"));
  }
  const absl::Status status = SqliteStore::Open(path).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "leaf 0 does not parse"))
      << status;
  // The failed migration left version 1 behind.
  std::unique_ptr<sqlite::Connection> raw = RawConnection(path);
  absl::StatusOr<sqlite::Statement> version =
      raw->Prepare("PRAGMA user_version");
  ASSERT_TRUE(version.ok());
  ASSERT_TRUE(*version->Step());
  EXPECT_EQ(version->ColumnInt64(0), 1);
}

// Tampering with the file behind the store's back.
class SqliteTamperTest : public SqliteAuditTreeTest {
 protected:
  static constexpr uint64_t kSize = 300;

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SqliteAuditTreeTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(GrowTo(kSize, 50));
    // A checkpoint at 200: leaves below it are vouched for by a signature.
    absl::StatusOr<std::string> root =
        audit::RootAtSize(200, StoreNodeReader(&store()));
    ASSERT_TRUE(root.ok()) << root.status();
    ASSERT_TRUE(CommitOne(CheckpointWrite(200, *root)).status.ok());
    ASSERT_TRUE(store().VerifyAuditTree(nullptr).ok());
    raw_ = RawConnection(Path());
  }

  void ExpectCaught(absl::string_view message) {
    const absl::Status status = store().VerifyAuditTree(nullptr);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
    EXPECT_EQ(status.message(), message);
  }

  // Rewrites leaf `index` to `entry` and every node above it consistently,
  // as a careful forger would.
  void ForgeLeaf(uint64_t index, const gw::v1::AuditEntry& entry) {
    std::vector<std::string> leaves = Leaves();
    leaves[index] = DeterministicBytes(entry);
    Exec(raw_.get(),
         absl::StrCat("UPDATE audit_log SET leaf_data = x'", Hex(leaves[index]),
                      "' WHERE leaf_index = ", index));
    audit::CompactRange range;
    std::string sql = "BEGIN;";
    for (const std::string& leaf : leaves) {
      ASSERT_TRUE(range
                      .Append(audit::HashLeaf(leaf),
                              [&](audit::NodeId id, absl::string_view hash) {
                                absl::StrAppend(
                                    &sql, "UPDATE audit_nodes SET hash = x'",
                                    Hex(hash), "' WHERE level = ", id.level,
                                    " AND idx = ", id.index, ";");
                              })
                      .ok());
    }
    absl::StrAppend(&sql, "COMMIT;");
    Exec(raw_.get(), sql);
  }

  std::unique_ptr<sqlite::Connection> raw_;
};

TEST_F(SqliteTamperTest, AnAlteredByteOfAnyLeafIsNamed) {
  const std::vector<std::string> leaves = Leaves();
  for (const uint64_t leaf : {uint64_t{0}, uint64_t{137}, kSize - 1}) {
    const std::string& original = leaves[leaf];
    for (const size_t at :
         {size_t{0}, original.size() / 2, original.size() - 1}) {
      SCOPED_TRACE(absl::StrCat("leaf ", leaf, " byte ", at));
      std::string altered = original;
      altered[at] ^= 0x01;
      const std::string where = absl::StrCat(" WHERE leaf_index = ", leaf);
      Exec(raw_.get(), absl::StrCat("UPDATE audit_log SET leaf_data = x'",
                                    Hex(altered), "'", where));
      ExpectCaught(absl::StrCat("audit log: leaf ", leaf,
                                " does not match its stored hash: the entry "
                                "was altered"));
      Exec(raw_.get(), absl::StrCat("UPDATE audit_log SET leaf_data = x'",
                                    Hex(original), "'", where));
      EXPECT_TRUE(store().VerifyAuditTree(nullptr).ok());
    }
  }
}

TEST_F(SqliteTamperTest, AnAlteredNodeIsNamed) {
  Exec(
      raw_.get(),
      "UPDATE audit_nodes SET hash = zeroblob(32) WHERE level = 3 AND idx = 5");
  ExpectCaught(
      "audit log: node (3, 5) does not match the hash recomputed from the "
      "leaves: the node was altered");
}

TEST_F(SqliteTamperTest, ADeletedNodeIsNamed) {
  Exec(raw_.get(), "DELETE FROM audit_nodes WHERE level = 2 AND idx = 7");
  ExpectCaught("audit log: node (2, 7) is missing");
}

TEST_F(SqliteTamperTest, ANodeBeyondTheTreeIsNamed) {
  for (const audit::NodeId& id :
       {audit::NodeId{0, 300}, audit::NodeId{8, 1}, audit::NodeId{40, 0}}) {
    SCOPED_TRACE(id.ToString());
    const std::string where =
        absl::StrCat(" WHERE level = ", id.level, " AND idx = ", id.index);
    Exec(raw_.get(), absl::StrCat("INSERT INTO audit_nodes VALUES (", id.level,
                                  ", ", id.index, ", zeroblob(32))"));
    ExpectCaught(absl::StrCat("audit log: node ", id.ToString(),
                              " is stored but is not a node of the tree of "
                              "300 leaves"));
    Exec(raw_.get(), "DELETE FROM audit_nodes" + where);
  }
}

TEST_F(SqliteTamperTest, ADeletedLeafIsNamed) {
  Exec(raw_.get(), "DELETE FROM audit_objects WHERE leaf_index = 42");
  Exec(raw_.get(), "DELETE FROM audit_log WHERE leaf_index = 42");
  ExpectCaught("audit log: leaf 42 is missing (next stored is 43)");
}

TEST_F(SqliteTamperTest, AConsistentForgeryBelowTheCheckpointIsCaught) {
  EntrySpec forged;
  forged.action = "Nothing.ToSeeHere";
  ASSERT_NO_FATAL_FAILURE(ForgeLeaf(150, MakeEntry(forged)));
  // Every node agrees with the leaves; the checkpoint at 200 does not...
  ExpectCaught(
      "audit log: root at size 200 differs from the signed checkpoint: "
      "history was rewritten");
  // ...also after a restart, when the head is rebuilt from the forged
  // nodes.
  raw_.reset();
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ExpectCaught(
      "audit log: root at size 200 differs from the signed checkpoint: "
      "history was rewritten");
}

TEST_F(SqliteTamperTest, AConsistentForgeryAboveTheCheckpointMeetsTheHead) {
  EntrySpec forged;
  forged.action = "Nothing.ToSeeHere";
  ASSERT_NO_FATAL_FAILURE(ForgeLeaf(250, MakeEntry(forged)));
  ExpectCaught(
      "audit log: root at size 300 differs from the head this gateway "
      "committed: the log was rewritten");
}

TEST_F(SqliteTamperTest, ACheckpointBeyondTheLogMeansDeletedEntries) {
  Exec(raw_.get(),
       "INSERT INTO audit_checkpoints VALUES (301, zeroblob(32), 'n', NULL)");
  ExpectCaught(
      "audit log: 300 leaves stored, but the signed checkpoint covers 301: "
      "entries were deleted");
}

}  // namespace
}  // namespace gw::store
