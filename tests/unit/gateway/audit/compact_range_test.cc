// tests/unit/gateway/audit/compact_range_test.cc
#include "gateway/audit/compact_range.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ct_test_vectors.h"
#include "gateway/audit/hasher.h"
#include "gtest/gtest.h"
#include "memory_node_reader.h"
#include "rfc9162_reference.h"

namespace gw::audit {
namespace {

using ::gw::audit::testing::kCtLeavesHex;
using ::gw::audit::testing::kCtRootsHex;
using ::gw::audit::testing::MemoryNodeReader;
using ::gw::audit::testing::ReferenceTree;

std::string LeafHash(uint64_t i) { return HashLeaf(absl::StrCat("entry-", i)); }

void NoVisit(NodeId, absl::string_view) {}

TEST(CompactRangeTest, EmptyTreeRootIsEmptyRoot) {
  CompactRange range;
  EXPECT_EQ(range.size(), 0u);
  EXPECT_EQ(range.Root(), EmptyRoot());
  EXPECT_TRUE(range.hashes().empty());
}

TEST(CompactRangeTest, RootsMatchCtVectorsForSizes1To8) {
  CompactRange range;
  for (size_t n = 1; n <= 8; ++n) {
    SCOPED_TRACE(absl::StrCat("size ", n));
    ASSERT_TRUE(
        range
            .Append(HashLeaf(absl::HexStringToBytes(kCtLeavesHex[n - 1])),
                    NoVisit)
            .ok());
    EXPECT_EQ(absl::BytesToHexString(range.Root()), kCtRootsHex[n - 1]);
  }
}

TEST(CompactRangeTest, RootMatchesReferenceAndNodesForSizeForEverySize) {
  std::vector<std::string> leaves;
  for (uint64_t i = 0; i < 300; ++i) leaves.push_back(LeafHash(i));
  ReferenceTree reference(leaves);
  CompactRange range;
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    ASSERT_TRUE(range.Append(leaves[n - 1], NoVisit).ok());
    ASSERT_EQ(range.Root(), reference.Mth(0, n)) << "size " << n;
    // Each frontier hash is the MTH of the leaves its NodeId covers.
    const std::vector<NodeId> ids = CompactRange::NodesForSize(n);
    ASSERT_EQ(ids.size(), range.hashes().size());
    for (size_t i = 0; i < ids.size(); ++i) {
      ASSERT_EQ(range.hashes()[i],
                reference.Mth(ids[i].FirstLeaf(), ids[i].EndLeaf()))
          << "size " << n << " node " << ids[i];
    }
  }
}

TEST(CompactRangeTest, NodesForSizeListsOneNodePerSetBitLargestFirst) {
  EXPECT_TRUE(CompactRange::NodesForSize(0).empty());
  EXPECT_EQ(CompactRange::NodesForSize(1), (std::vector<NodeId>{{0, 0}}));
  EXPECT_EQ(CompactRange::NodesForSize(8), (std::vector<NodeId>{{3, 0}}));
  EXPECT_EQ(CompactRange::NodesForSize(13),
            (std::vector<NodeId>{{3, 0}, {2, 2}, {0, 12}}));
  const std::vector<NodeId> max = CompactRange::NodesForSize(kMaxTreeSize);
  EXPECT_EQ(max, (std::vector<NodeId>{{63, 0}}));
  EXPECT_EQ(CompactRange::NodesForSize(kMaxTreeSize - 1).size(), 63u);
}

TEST(CompactRangeTest, AppendReportsEachCompleteNodeExactlyOnceLowestFirst) {
  CompactRange range;
  std::vector<NodeId> all;
  for (uint64_t i = 0; i < 64; ++i) {
    std::vector<NodeId> reported;
    ASSERT_TRUE(range
                    .Append(LeafHash(i),
                            [&](NodeId id, absl::string_view hash) {
                              EXPECT_EQ(hash.size(), kHashSize);
                              reported.push_back(id);
                            })
                    .ok());
    // The leaf, then one ancestor per trailing one bit of i.
    ASSERT_FALSE(reported.empty());
    EXPECT_EQ(reported[0], (NodeId{0, i}));
    EXPECT_EQ(reported.size(), 1 + static_cast<size_t>(__builtin_ctzll(~i)));
    for (size_t k = 1; k < reported.size(); ++k) {
      EXPECT_EQ(reported[k], reported[k - 1].Parent());
      EXPECT_EQ(reported[k].EndLeaf(), i + 1);  // completed by leaf i
    }
    all.insert(all.end(), reported.begin(), reported.end());
  }
  // 64 leaves make a perfect tree: 127 nodes, none twice.
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::unique(all.begin(), all.end()), all.end());
  EXPECT_EQ(all.size(), 127u);
}

TEST(CompactRangeTest, FromNodesAndFromReaderRebuildTheSameRange) {
  MemoryNodeReader reader;
  CompactRange range;
  for (uint64_t n = 1; n <= 70; ++n) {
    ASSERT_TRUE(range
                    .Append(LeafHash(n - 1),
                            [&](NodeId id, absl::string_view hash) {
                              reader.Put(id, hash);
                            })
                    .ok());
    auto rebuilt = CompactRange::FromReader(n, reader);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
    EXPECT_EQ(rebuilt->size(), n);
    EXPECT_EQ(rebuilt->Root(), range.Root());
    auto copied = CompactRange::FromNodes(n, range.hashes());
    ASSERT_TRUE(copied.ok()) << copied.status();
    EXPECT_EQ(copied->Root(), range.Root());
  }
  // A rebuilt range keeps growing like the original.
  auto rebuilt = CompactRange::FromReader(70, reader);
  ASSERT_TRUE(rebuilt.ok());
  ASSERT_TRUE(range.Append(LeafHash(70), NoVisit).ok());
  ASSERT_TRUE(rebuilt->Append(LeafHash(70), NoVisit).ok());
  EXPECT_EQ(rebuilt->Root(), range.Root());
}

TEST(CompactRangeTest, FromNodesRefusesWrongCountOrHashSize) {
  struct Case {
    std::string name;
    uint64_t size;
    std::vector<std::string> hashes;
    absl::StatusCode want;
    std::string field;
  };
  const std::string h(32, 'h');
  const Case cases[] = {
      {"too few", 3, {h}, absl::StatusCode::kDataLoss, "hashes:"},
      {"too many", 4, {h, h}, absl::StatusCode::kDataLoss, "hashes:"},
      {"short hash",
       3,
       {h, std::string(31, 'h')},
       absl::StatusCode::kDataLoss,
       "node (0, 2):"},
      {"empty hash", 1, {""}, absl::StatusCode::kDataLoss, "node (0, 0):"},
      {"size over max",
       kMaxTreeSize + 1,
       {},
       absl::StatusCode::kInvalidArgument,
       "size:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto range = CompactRange::FromNodes(c.size, c.hashes);
    ASSERT_FALSE(range.ok());
    EXPECT_EQ(range.status().code(), c.want);
    EXPECT_TRUE(absl::StartsWith(range.status().message(), c.field))
        << range.status();
  }
}

TEST(CompactRangeTest, FromReaderReportsMissingNodeAsDataLoss) {
  MemoryNodeReader reader;
  auto range = CompactRange::FromReader(5, reader);
  EXPECT_EQ(range.status().code(), absl::StatusCode::kDataLoss);
  reader.FailWith(absl::UnavailableError("db down"));
  range = CompactRange::FromReader(5, reader);
  EXPECT_EQ(range.status().code(), absl::StatusCode::kUnavailable);
}

TEST(CompactRangeTest, AppendRefusesWrongLeafHashSizeAndChangesNothing) {
  CompactRange range;
  ASSERT_TRUE(range.Append(LeafHash(0), NoVisit).ok());
  const std::string root = range.Root();
  for (const std::string& bad :
       {std::string(), std::string(31, 'x'), std::string(33, 'x')}) {
    bool visited = false;
    const absl::Status status =
        range.Append(bad, [&](NodeId, absl::string_view) { visited = true; });
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(status.message(), "leaf_hash:")) << status;
    EXPECT_FALSE(visited);
  }
  EXPECT_EQ(range.size(), 1u);
  EXPECT_EQ(range.Root(), root);
}

TEST(CompactRangeTest, AppendRefusesBeyondMaxTreeSize) {
  std::vector<std::string> hashes(63, std::string(32, 'h'));
  auto almost_full = CompactRange::FromNodes(kMaxTreeSize - 1, hashes);
  ASSERT_TRUE(almost_full.ok()) << almost_full.status();
  std::vector<NodeId> reported;
  ASSERT_TRUE(almost_full
                  ->Append(LeafHash(0),
                           [&](NodeId id, absl::string_view) {
                             reported.push_back(id);
                           })
                  .ok());
  EXPECT_EQ(almost_full->size(), kMaxTreeSize);
  EXPECT_EQ(reported.back(), (NodeId{63, 0}));
  EXPECT_EQ(almost_full->Append(LeafHash(1), NoVisit).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gw::audit
