// tests/unit/gateway/audit/proof_nodes_test.cc
#include "gateway/audit/proof_nodes.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ct_test_vectors.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/proof_verifier.h"
#include "gtest/gtest.h"
#include "memory_node_reader.h"
#include "rfc9162_reference.h"

namespace gw::audit {
namespace {

using ::gw::audit::testing::CtConsistencyVectors;
using ::gw::audit::testing::CtInclusionVectors;
using ::gw::audit::testing::kCtLeavesHex;
using ::gw::audit::testing::MemoryNodeReader;
using ::gw::audit::testing::ReferenceTree;

constexpr uint64_t kExhaustiveSize = 130;

std::string LeafHash(uint64_t i) { return HashLeaf(absl::StrCat("entry-", i)); }

std::vector<std::string> Unhex(const std::vector<const char*>& hex) {
  std::vector<std::string> out;
  for (const char* h : hex) out.push_back(absl::HexStringToBytes(h));
  return out;
}

size_t BitLength(uint64_t x) {
  return x == 0 ? 0 : 64 - static_cast<size_t>(__builtin_clzll(x));
}

// A log of `leaves` whose node store is filled only by Append's visitor.
class TreeFixture {
 public:
  explicit TreeFixture(const std::vector<std::string>& leaves)
      : reference_(leaves) {
    for (const std::string& leaf : leaves) {
      EXPECT_TRUE(range_
                      .Append(leaf,
                              [&](NodeId id, absl::string_view hash) {
                                reader_.Put(id, hash);
                              })
                      .ok());
    }
  }
  MemoryNodeReader& reader() { return reader_; }
  const ReferenceTree& reference() const { return reference_; }

 private:
  MemoryNodeReader reader_;
  CompactRange range_;
  ReferenceTree reference_;
};

std::vector<std::string> Leaves(uint64_t n) {
  std::vector<std::string> leaves;
  for (uint64_t i = 0; i < n; ++i) leaves.push_back(LeafHash(i));
  return leaves;
}

// Checks what every plan must satisfy for a tree of `size` leaves.
void ExpectSoundPlan(const ProofPlan& plan, uint64_t size) {
  EXPECT_LE(plan.nodes.size(), 2 * BitLength(size));
  for (const NodeId& id : plan.nodes) {
    EXPECT_LE(id.EndLeaf(), size) << id << " is not complete";
  }
}

TEST(ProofNodesTest, InclusionMatchesReferenceForEveryIndexAndSizeTo130) {
  TreeFixture tree(Leaves(kExhaustiveSize));
  for (uint64_t n = 1; n <= kExhaustiveSize; ++n) {
    const std::string root = tree.reference().Mth(0, n);
    for (uint64_t m = 0; m < n; ++m) {
      SCOPED_TRACE(absl::StrCat("leaf ", m, " size ", n));
      auto plan = InclusionProofNodes(m, n);
      ASSERT_TRUE(plan.ok()) << plan.status();
      ExpectSoundPlan(*plan, n);
      tree.reader().ResetCounters();
      auto proof = BuildProof(*plan, tree.reader());
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_EQ(*proof, tree.reference().Path(m, n));
      EXPECT_EQ(plan->ProofSize(), proof->size());
      EXPECT_EQ(tree.reader().calls(), plan->nodes.empty() ? 0u : 1u);
      ASSERT_TRUE(VerifyInclusion(LeafHash(m), m, n, *proof, root).ok());
    }
  }
}

TEST(ProofNodesTest, ConsistencyMatchesReferenceForEveryPairTo130) {
  TreeFixture tree(Leaves(kExhaustiveSize));
  for (uint64_t n = 1; n <= kExhaustiveSize; ++n) {
    const std::string root2 = tree.reference().Mth(0, n);
    for (uint64_t m = 0; m <= n; ++m) {
      SCOPED_TRACE(absl::StrCat("first ", m, " second ", n));
      auto plan = ConsistencyProofNodes(m, n);
      ASSERT_TRUE(plan.ok()) << plan.status();
      ExpectSoundPlan(*plan, n);
      tree.reader().ResetCounters();
      auto proof = BuildProof(*plan, tree.reader());
      ASSERT_TRUE(proof.ok()) << proof.status();
      const std::vector<std::string> want =
          m == 0 ? std::vector<std::string>() : tree.reference().Proof(m, n);
      ASSERT_EQ(*proof, want);
      EXPECT_EQ(plan->ProofSize(), proof->size());
      EXPECT_EQ(tree.reader().calls(), plan->nodes.empty() ? 0u : 1u);
      ASSERT_TRUE(
          VerifyConsistency(m, n, *proof, tree.reference().Mth(0, m), root2)
              .ok());
    }
  }
}

TEST(ProofNodesTest, RootAtSizeMatchesReferenceWithOneRead) {
  TreeFixture tree(Leaves(kExhaustiveSize));
  for (uint64_t n = 1; n <= kExhaustiveSize; ++n) {
    tree.reader().ResetCounters();
    auto root = RootAtSize(n, tree.reader());
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(*root, tree.reference().Mth(0, n)) << "size " << n;
    EXPECT_EQ(tree.reader().calls(), 1u);
    EXPECT_EQ(tree.reader().reads(),
              static_cast<size_t>(__builtin_popcountll(n)));
  }
  tree.reader().ResetCounters();
  auto empty = RootAtSize(0, tree.reader());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, EmptyRoot());
  EXPECT_EQ(tree.reader().calls(), 0u);
}

TEST(ProofNodesTest, ProofsMatchPublishedCtVectors) {
  std::vector<std::string> leaves;
  for (const char* hex : kCtLeavesHex) {
    leaves.push_back(HashLeaf(absl::HexStringToBytes(hex)));
  }
  TreeFixture tree(leaves);
  for (const auto& v : CtInclusionVectors()) {
    SCOPED_TRACE(absl::StrCat("inclusion ", v.leaf_index, " ", v.tree_size));
    auto plan = InclusionProofNodes(v.leaf_index, v.tree_size);
    ASSERT_TRUE(plan.ok());
    auto proof = BuildProof(*plan, tree.reader());
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(*proof, Unhex(v.proof_hex));
  }
  for (const auto& v : CtConsistencyVectors()) {
    SCOPED_TRACE(absl::StrCat("consistency ", v.first, " ", v.second));
    auto plan = ConsistencyProofNodes(v.first, v.second);
    ASSERT_TRUE(plan.ok());
    auto proof = BuildProof(*plan, tree.reader());
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(*proof, Unhex(v.proof_hex));
  }
}

TEST(ProofNodesTest, PlanErrors) {
  struct Case {
    std::string name;
    bool inclusion;
    uint64_t a, b;  // (leaf_index, tree_size) or (first, second)
    absl::StatusCode want;
    std::string field;
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  const auto kOk = absl::StatusCode::kOk;
  const Case cases[] = {
      {"empty tree", true, 0, 0, kInvalid, "tree_size:"},
      {"index at size", true, 5, 5, kInvalid, "leaf_index:"},
      {"index past size", true, 6, 5, kInvalid, "leaf_index:"},
      {"last leaf", true, 4, 5, kOk, ""},
      {"largest tree", true, kMaxTreeSize - 1, kMaxTreeSize, kOk, ""},
      {"too large", true, 0, kMaxTreeSize + 1, kInvalid, "tree_size:"},
      {"first after second", false, 6, 5, kInvalid, "first:"},
      {"both empty", false, 0, 0, kOk, ""},
      {"from empty", false, 0, 7, kOk, ""},
      {"same size", false, 5, 5, kOk, ""},
      {"second too large", false, 1, kMaxTreeSize + 1, kInvalid, "second:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto plan = c.inclusion ? InclusionProofNodes(c.a, c.b)
                            : ConsistencyProofNodes(c.a, c.b);
    EXPECT_EQ(plan.status().code(), c.want) << plan.status();
    if (!plan.ok()) {
      EXPECT_TRUE(absl::StartsWith(plan.status().message(), c.field))
          << plan.status();
    }
  }
  // RFC 9162: a consistency proof between equal sizes, or from the empty
  // tree, is empty.
  for (auto [first, second] :
       {std::pair<uint64_t, uint64_t>{0, 0}, {0, 9}, {9, 9}}) {
    auto plan = ConsistencyProofNodes(first, second);
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(plan->nodes.empty());
    EXPECT_EQ(plan->ProofSize(), 0u);
  }
}

// A reader that answers with whatever the test sets.
class ScriptedReader : public NodeReader {
 public:
  explicit ScriptedReader(absl::StatusOr<std::vector<std::string>> answer)
      : answer_(std::move(answer)) {}
  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const NodeId>) const override {
    return answer_;
  }

 private:
  absl::StatusOr<std::vector<std::string>> answer_;
};

TEST(ProofNodesTest, BuildProofReportsBrokenStorage) {
  auto plan = InclusionProofNodes(2, 7);  // nodes: 3 + an ephemeral pair
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->nodes.size(), 4u);
  const std::string h(32, 'h');
  struct Case {
    std::string name;
    absl::StatusOr<std::vector<std::string>> answer;
    absl::StatusCode want;
    std::string field;
  };
  const Case cases[] = {
      {"missing node", absl::NotFoundError("(0, 3) not stored"),
       absl::StatusCode::kDataLoss, "nodes:"},
      {"too few hashes", std::vector<std::string>{h, h, h},
       absl::StatusCode::kDataLoss, "nodes:"},
      {"short hash", std::vector<std::string>{h, h, std::string(31, 'h'), h},
       absl::StatusCode::kDataLoss, "node "},
      {"empty hash", std::vector<std::string>{h, "", h, h},
       absl::StatusCode::kDataLoss, "node "},
      {"store busy", absl::AbortedError("busy"), absl::StatusCode::kAborted,
       "busy"},
      {"store down", absl::UnavailableError("down"),
       absl::StatusCode::kUnavailable, "down"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ScriptedReader reader(c.answer);
    auto proof = BuildProof(*plan, reader);
    ASSERT_FALSE(proof.ok());
    EXPECT_EQ(proof.status().code(), c.want);
    EXPECT_TRUE(absl::StartsWith(proof.status().message(), c.field))
        << proof.status();
  }
  ProofPlan bad = *plan;
  bad.ephemeral_end = 9;
  ScriptedReader reader(std::vector<std::string>(4, h));
  EXPECT_EQ(BuildProof(bad, reader).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ProofNodesTest, MissingStoredNodeIsDataLoss) {
  TreeFixture tree(Leaves(13));
  tree.reader().Erase(NodeId{2, 2});  // leaves 8..11
  EXPECT_EQ(
      BuildProof(*InclusionProofNodes(0, 13), tree.reader()).status().code(),
      absl::StatusCode::kDataLoss);
  EXPECT_EQ(RootAtSize(13, tree.reader()).status().code(),
            absl::StatusCode::kDataLoss);
  // Proofs that do not need it still work.
  EXPECT_TRUE(BuildProof(*InclusionProofNodes(0, 8), tree.reader()).ok());
}

// 100,000 leaves: random proofs at random older sizes, checked against the
// roots a CompactRange had at those sizes.
TEST(ProofNodesTest, LargeTreeRandomProofsVerify) {
  constexpr uint64_t kLeaves = 100000;
  std::mt19937_64 random(20240601);
  std::map<uint64_t, std::string> roots;  // snapshots at sampled sizes
  for (int i = 0; i < 40; ++i) roots[1 + random() % kLeaves] = "";
  roots[kLeaves] = "";
  roots[65536] = "";
  roots[65537] = "";

  MemoryNodeReader reader;
  CompactRange range;
  std::vector<std::string> leaf_hashes;
  leaf_hashes.reserve(kLeaves);
  for (uint64_t i = 0; i < kLeaves; ++i) leaf_hashes.push_back(LeafHash(i));
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < kLeaves; ++i) {
    ASSERT_TRUE(range
                    .Append(leaf_hashes[i],
                            [&](NodeId id, absl::string_view hash) {
                              reader.Put(id, hash);
                            })
                    .ok());
    auto it = roots.find(i + 1);
    if (it != roots.end()) it->second = range.Root();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  RecordProperty("appends_per_second",
                 static_cast<int>(static_cast<double>(kLeaves) / seconds));
  EXPECT_EQ(reader.stored(), 2 * kLeaves - __builtin_popcountll(kLeaves));

  for (const auto& [size, root] : roots) {
    auto at_size = RootAtSize(size, reader);
    ASSERT_TRUE(at_size.ok());
    EXPECT_EQ(*at_size, root) << "size " << size;
    for (int k = 0; k < 20; ++k) {
      const uint64_t index = random() % size;
      reader.ResetCounters();
      auto proof = BuildProof(*InclusionProofNodes(index, size), reader);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_EQ(reader.calls(), 1u);
      EXPECT_LE(reader.reads(), 2 * BitLength(size));
      ASSERT_TRUE(
          VerifyInclusion(leaf_hashes[index], index, size, *proof, root).ok())
          << "leaf " << index << " size " << size;
    }
  }
  for (auto first = roots.begin(); first != roots.end(); ++first) {
    for (auto second = first; second != roots.end(); ++second) {
      auto proof = BuildProof(
          *ConsistencyProofNodes(first->first, second->first), reader);
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_TRUE(VerifyConsistency(first->first, second->first, *proof,
                                    first->second, second->second)
                      .ok())
          << first->first << " -> " << second->first;
    }
  }
}

}  // namespace
}  // namespace gw::audit
