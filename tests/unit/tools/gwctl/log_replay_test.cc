// tests/unit/tools/gwctl/log_replay_test.cc
#include "tools/gwctl/log_replay.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/proof_nodes.h"
#include "gtest/gtest.h"
#include "tests/unit/gateway/audit/memory_node_reader.h"

namespace gw::gwctl {
namespace {

gw::v1::LogEntry LeafFor(uint64_t i, const std::string& outcome = "OK") {
  gw::v1::AuditEntry entry;
  entry.set_actor_agency("CN-MPS");
  entry.set_action("AlertService.SendAlert");
  entry.add_object_ids(absl::StrCat("alert:A-", i));
  entry.set_outcome(outcome);
  gw::v1::LogEntry leaf;
  leaf.set_leaf_index(i);
  leaf.set_leaf_data(entry.SerializeAsString());
  *leaf.mutable_entry() = entry;
  return leaf;
}

// The log as committed: its nodes and root.
struct CommittedLog {
  audit::testing::MemoryNodeReader nodes;
  audit::CompactRange range;
};

void Commit(uint64_t size, CommittedLog* log) {
  for (uint64_t i = 0; i < size; ++i) {
    ASSERT_TRUE(log->range
                    .Append(audit::HashLeaf(LeafFor(i).leaf_data()),
                            [&](audit::NodeId id, absl::string_view hash) {
                              log->nodes.Put(id, hash);
                            })
                    .ok());
  }
}

TEST(LogReplayTest, RecomputesTheCommittedRoot) {
  for (uint64_t size : {0, 1, 2, 3, 7, 8, 9, 17}) {
    SCOPED_TRACE(size);
    CommittedLog log;
    Commit(size, &log);
    LogReplay replay;
    for (uint64_t i = 0; i < size; ++i)
      ASSERT_TRUE(replay.Add(LeafFor(i)).ok());
    EXPECT_EQ(replay.size(), size);
    EXPECT_EQ(replay.Root(), log.range.Root());
    EXPECT_EQ(replay.RootAt(0), audit::EmptyRoot());
  }
}

TEST(LogReplayTest, FindsTheFirstAlteredLeafAtEveryPosition) {
  for (uint64_t size : {1, 2, 3, 5, 8, 9, 16, 17}) {
    CommittedLog log;
    Commit(size, &log);
    for (uint64_t altered = 0; altered < size; ++altered) {
      SCOPED_TRACE(absl::StrCat("leaf ", altered, " of ", size));
      LogReplay replay;
      for (uint64_t i = 0; i < size; ++i) {
        // The altered leaf and, to be sure only the first counts, the last.
        const bool alter = i == altered || (i == size - 1 && i > altered);
        ASSERT_TRUE(replay.Add(LeafFor(i, alter ? "DENIED" : "OK")).ok());
      }
      int fetches = 0;
      auto leaf = FirstAlteredLeaf(
          replay, size, log.range.Root(), [&](uint64_t first, uint64_t second) {
            ++fetches;
            auto plan = audit::ConsistencyProofNodes(first, second);
            EXPECT_TRUE(plan.ok());
            return audit::BuildProof(*plan, log.nodes);
          });
      ASSERT_TRUE(leaf.ok()) << leaf.status();
      EXPECT_EQ(*leaf, altered);
      EXPECT_LE(fetches, 5);  // log2(17) rounded up
    }
  }
}

TEST(LogReplayTest, FirstAlteredLeafNeedsAMismatch) {
  CommittedLog log;
  Commit(4, &log);
  LogReplay replay;
  for (uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(replay.Add(LeafFor(i)).ok());
  auto none = FirstAlteredLeaf(
      replay, 4, log.range.Root(),
      [](uint64_t, uint64_t) { return std::vector<std::string>(); });
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  auto unavailable =
      FirstAlteredLeaf(replay, 4, audit::HashLeaf("x"), [](uint64_t, uint64_t) {
        return absl::StatusOr<std::vector<std::string>>(
            absl::UnavailableError("down"));
      });
  EXPECT_EQ(unavailable.status().code(), absl::StatusCode::kUnavailable);
  auto malformed =
      FirstAlteredLeaf(replay, 4, audit::HashLeaf("x"), [](uint64_t, uint64_t) {
        return absl::StatusOr<std::vector<std::string>>(
            std::vector<std::string>{"short"});
      });
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(malformed.status().message(), "consistency proof 2..4:"))
      << malformed.status();
}

TEST(LogReplayTest, RefusesEntriesThatAreNotTheNextLeafAsStored) {
  struct Case {
    std::string name;
    gw::v1::LogEntry entry;
    std::string want;  // message prefix
  };
  gw::v1::LogEntry skipped = LeafFor(2);
  gw::v1::LogEntry garbage = LeafFor(1);
  garbage.set_leaf_data("\xff\xff");
  garbage.clear_entry();
  gw::v1::LogEntry shown = LeafFor(1);
  shown.mutable_entry()->set_decision("DENY");
  const std::vector<Case> cases = {
      {"Skipped", skipped, "leaf 1: the gateway sent leaf 2 in its place"},
      {"NotAnAuditEntry", garbage, "leaf 1: leaf_data is not"},
      {"ShownDiffers", shown, "leaf 1: the entry shown differs"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    LogReplay replay;
    ASSERT_TRUE(replay.Add(LeafFor(0)).ok());
    const std::string root = replay.Root();
    const absl::Status status = replay.Add(c.entry);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(status.message(), c.want)) << status;
    EXPECT_EQ(replay.size(), 1u);
    EXPECT_EQ(replay.Root(), root);
  }
}

}  // namespace
}  // namespace gw::gwctl
