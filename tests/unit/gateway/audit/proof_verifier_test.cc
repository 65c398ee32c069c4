// tests/unit/gateway/audit/proof_verifier_test.cc
#include "gateway/audit/proof_verifier.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ct_test_vectors.h"
#include "gateway/audit/hasher.h"
#include "gtest/gtest.h"
#include "rfc9162_reference.h"

namespace gw::audit {
namespace {

using ::gw::audit::testing::CtConsistencyVectors;
using ::gw::audit::testing::CtInclusionVectors;
using ::gw::audit::testing::kCtLeavesHex;
using ::gw::audit::testing::kCtRootsHex;
using ::gw::audit::testing::ReferenceTree;

std::string LeafHash(uint64_t i) { return HashLeaf(absl::StrCat("entry-", i)); }

std::vector<std::string> Unhex(const std::vector<const char*>& hex) {
  std::vector<std::string> out;
  for (const char* h : hex) out.push_back(absl::HexStringToBytes(h));
  return out;
}

std::string CtRoot(uint64_t n) {
  return absl::HexStringToBytes(kCtRootsHex[n - 1]);
}
std::string CtLeafHash(uint64_t i) {
  return HashLeaf(absl::HexStringToBytes(kCtLeavesHex[i]));
}

ReferenceTree MakeReference(uint64_t n) {
  std::vector<std::string> leaves;
  for (uint64_t i = 0; i < n; ++i) leaves.push_back(LeafHash(i));
  return ReferenceTree(leaves);
}

TEST(ProofVerifierTest, PublishedCtProofsVerify) {
  for (const auto& v : CtInclusionVectors()) {
    SCOPED_TRACE(absl::StrCat("inclusion ", v.leaf_index, " ", v.tree_size));
    auto root = RootFromInclusionProof(CtLeafHash(v.leaf_index), v.leaf_index,
                                       v.tree_size, Unhex(v.proof_hex));
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(*root, CtRoot(v.tree_size));
  }
  for (const auto& v : CtConsistencyVectors()) {
    SCOPED_TRACE(absl::StrCat("consistency ", v.first, " ", v.second));
    EXPECT_TRUE(VerifyConsistency(v.first, v.second, Unhex(v.proof_hex),
                                  CtRoot(v.first), CtRoot(v.second))
                    .ok());
  }
}

// What our verifier must answer for a (possibly tampered) inclusion request:
// OK where the literal RFC algorithm accepts; otherwise INVALID_ARGUMENT if
// the shape is wrong for the sizes, DATA_LOSS if it is well formed.
absl::StatusCode WantInclusion(const ReferenceTree& ref,
                               const std::string& leaf, uint64_t m, uint64_t n,
                               const std::vector<std::string>& proof,
                               const std::string& root) {
  if (m >= n) return absl::StatusCode::kInvalidArgument;
  if (ReferenceTree::VerifyInclusionLiteral(leaf, m, n, proof, root)) {
    return absl::StatusCode::kOk;
  }
  // Path length depends only on (m, n); the reference has leaves up to n.
  const size_t want_len = n <= ref.size() ? ref.Path(m, n).size()
                                          : MakeReference(n).Path(m, n).size();
  return proof.size() == want_len ? absl::StatusCode::kDataLoss
                                  : absl::StatusCode::kInvalidArgument;
}

TEST(ProofVerifierTest, WrongIndexOrSizeAgreesWithLiteralRfcAlgorithm) {
  constexpr uint64_t kMax = 130;
  const ReferenceTree ref = MakeReference(2 * kMax + 2);
  for (uint64_t n = 1; n <= kMax; ++n) {
    const std::string root = ref.Mth(0, n);
    for (uint64_t m = 0; m < n; ++m) {
      const std::vector<std::string> proof = ref.Path(m, n);
      const std::pair<uint64_t, uint64_t> probes[] = {
          {m, n},     {m + 1, n}, {m - 1, n}, {m ^ 2, n},
          {m, n + 1}, {m, n - 1}, {m, n * 2}, {m, n / 2},
      };
      for (const auto& [pm, pn] : probes) {
        SCOPED_TRACE(absl::StrCat("proof (", m, ", ", n, ") checked as (", pm,
                                  ", ", pn, ")"));
        const absl::StatusCode want =
            WantInclusion(ref, LeafHash(m), pm, pn, proof, root);
        ASSERT_EQ(VerifyInclusion(LeafHash(m), pm, pn, proof, root).code(),
                  want);
        if (pm == m && pn == n) {
          ASSERT_EQ(want, absl::StatusCode::kOk);
        }
      }
    }
  }
}

TEST(ProofVerifierTest, ConsistencyAgreesWithLiteralRfcAlgorithm) {
  constexpr uint64_t kMax = 70;
  const ReferenceTree ref = MakeReference(2 * kMax + 2);
  for (uint64_t n = 2; n <= kMax; ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      const std::vector<std::string> proof = ref.Proof(m, n);
      const std::pair<uint64_t, uint64_t> probes[] = {
          {m, n}, {m + 1, n}, {m - 1, n}, {m ^ 2, n}, {m, n + 1}, {m, n * 2}};
      for (const auto& [pm, pn] : probes) {
        if (pm == 0 || pm >= pn) continue;  // outside the RFC algorithm
        SCOPED_TRACE(absl::StrCat("proof (", m, ", ", n, ") checked as (", pm,
                                  ", ", pn, ")"));
        const std::string r1 = ref.Mth(0, m);
        const std::string r2 = ref.Mth(0, n);
        absl::StatusCode want = absl::StatusCode::kOk;
        if (!ReferenceTree::VerifyConsistencyLiteral(pm, pn, proof, r1, r2)) {
          want = proof.size() == ref.Proof(pm, pn).size()
                     ? absl::StatusCode::kDataLoss
                     : absl::StatusCode::kInvalidArgument;
        }
        ASSERT_EQ(VerifyConsistency(pm, pn, proof, r1, r2).code(), want);
      }
    }
  }
}

TEST(ProofVerifierTest, EverySingleBitFlipIsDataLoss) {
  constexpr uint64_t kMax = 17;  // 16 and 17: around a power of two
  const ReferenceTree ref = MakeReference(kMax);
  for (uint64_t n = 1; n <= kMax; ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      std::vector<std::string> proof = ref.Path(m, n);
      const std::vector<std::string> cons =
          m == 0 ? std::vector<std::string>() : ref.Proof(m, n);
      for (size_t i = 0; i < proof.size(); ++i) {
        for (size_t bit = 0; bit < 8 * kHashSize; ++bit) {
          proof[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
          ASSERT_EQ(
              VerifyInclusion(LeafHash(m), m, n, proof, ref.Mth(0, n)).code(),
              absl::StatusCode::kDataLoss)
              << "inclusion (" << m << ", " << n << ") hash " << i << " bit "
              << bit;
          proof[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
        }
      }
      std::vector<std::string> tampered = cons;
      for (size_t i = 0; i < tampered.size(); ++i) {
        for (size_t bit = 0; bit < 8 * kHashSize; ++bit) {
          tampered[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
          ASSERT_EQ(
              VerifyConsistency(m, n, tampered, ref.Mth(0, m), ref.Mth(0, n))
                  .code(),
              absl::StatusCode::kDataLoss)
              << "consistency (" << m << ", " << n << ") hash " << i << " bit "
              << bit;
          tampered[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
        }
      }
    }
  }
}

TEST(ProofVerifierTest, ExtraOrMissingHashIsInvalidArgument) {
  const ReferenceTree ref = MakeReference(21);
  const std::string root = ref.Mth(0, 21);
  const std::vector<std::string> proof = ref.Path(5, 21);
  std::vector<std::string> longer = proof;
  longer.push_back(root);
  std::vector<std::string> shorter(proof.begin(), proof.end() - 1);
  std::vector<std::string> inserted = proof;
  inserted.insert(inserted.begin() + 1, std::string(32, 'x'));
  for (const auto& bad : {longer, shorter, inserted}) {
    const absl::Status status = VerifyInclusion(LeafHash(5), 5, 21, bad, root);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), absl::StrCat("proof: ", bad.size(),
                                             " hashes, want ", proof.size()));
  }
}

TEST(ProofVerifierTest, MalformedInputsNameTheField) {
  const ReferenceTree ref = MakeReference(8);
  const std::string root = ref.Mth(0, 8);
  const std::string r5 = ref.Mth(0, 5);
  std::vector<std::string> proof = ref.Path(3, 8);
  std::vector<std::string> short_hash = proof;
  short_hash[2].pop_back();
  const std::vector<std::string> cons = ref.Proof(5, 8);
  struct Case {
    std::string name;
    absl::Status status;
    absl::StatusCode want;
    std::string field;
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  const auto kLoss = absl::StatusCode::kDataLoss;
  const Case cases[] = {
      {"index at size", VerifyInclusion(LeafHash(8), 8, 8, proof, root),
       kInvalid, "leaf_index: 8, want < tree_size 8"},
      {"size zero", VerifyInclusion(LeafHash(0), 0, 0, {}, root), kInvalid,
       "leaf_index:"},
      {"short leaf hash", VerifyInclusion("WrongLeaf", 3, 8, proof, root),
       kInvalid, "leaf_hash: 9 bytes, want 32"},
      {"short root", VerifyInclusion(LeafHash(3), 3, 8, proof, "x"), kInvalid,
       "root:"},
      {"short proof hash", VerifyInclusion(LeafHash(3), 3, 8, short_hash, root),
       kInvalid, "proof[2]: 31 bytes, want 32"},
      {"wrong root", VerifyInclusion(LeafHash(3), 3, 8, proof, r5), kLoss,
       absl::StrCat("root mismatch: computed ", absl::BytesToHexString(root),
                    ", want ", absl::BytesToHexString(r5))},
      {"first after second", VerifyConsistency(9, 8, {}, root, root), kInvalid,
       "first: 9, want <= second 8"},
      {"short first root", VerifyConsistency(5, 8, cons, "x", root), kInvalid,
       "first_root:"},
      {"short second root", VerifyConsistency(5, 8, cons, r5, "x"), kInvalid,
       "second_root:"},
      {"consistency empty proof", VerifyConsistency(5, 8, {}, r5, root),
       kInvalid, "proof: 0 hashes, want"},
      {"swapped roots", VerifyConsistency(5, 8, cons, root, r5), kLoss,
       "first_root mismatch:"},
      {"wrong second root", VerifyConsistency(5, 8, cons, r5, r5), kLoss,
       "second_root mismatch:"},
      {"equal sizes, proof given", VerifyConsistency(8, 8, {root}, root, root),
       kInvalid, "proof: 1 hashes, want 0"},
      {"equal sizes, roots differ", VerifyConsistency(8, 8, {}, root, r5),
       kLoss, "second_root mismatch:"},
      {"from empty, proof given",
       VerifyConsistency(0, 8, {root}, EmptyRoot(), root), kInvalid, "proof:"},
      {"from empty, not the empty root", VerifyConsistency(0, 8, {}, r5, root),
       kLoss, "first_root mismatch:"},
      {"from empty, short root", VerifyConsistency(0, 8, {}, EmptyRoot(), "x"),
       kInvalid, "second_root:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.status.code(), c.want) << c.status;
    EXPECT_TRUE(absl::StartsWith(c.status.message(), c.field)) << c.status;
  }
  // The trivially consistent cases.
  EXPECT_TRUE(VerifyConsistency(0, 0, {}, EmptyRoot(), EmptyRoot()).ok());
  EXPECT_TRUE(VerifyConsistency(0, 8, {}, EmptyRoot(), root).ok());
  EXPECT_TRUE(VerifyConsistency(8, 8, {}, root, root).ok());
  auto same = RootFromConsistencyProof(8, 8, {}, root);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, root);
  EXPECT_EQ(RootFromConsistencyProof(0, 8, {}, EmptyRoot()).status().code(),
            kInvalid);
}

// The golden files of testdata/{inclusion,consistency}/<case>/<mutation>.txt,
// written by testdata/make_proof_golden.py from an independent Python RFC
// 9162 implementation over the CT test leaves.
struct GoldenCase {
  std::string path;
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> proof;
  std::string want;
  std::string want_field;

  std::string Get(absl::string_view key) const {
    for (const auto& [k, v] : fields) {
      if (k == key) return v;
    }
    ADD_FAILURE() << path << ": no " << key;
    return "";
  }
  uint64_t GetUint(absl::string_view key) const {
    uint64_t value = 0;
    EXPECT_TRUE(absl::SimpleAtoi(Get(key), &value)) << path << ": " << key;
    return value;
  }
};

std::vector<GoldenCase> ReadGolden(const std::string& kind) {
  std::vector<GoldenCase> cases;
  const std::filesystem::path root =
      std::filesystem::path(GW_AUDIT_TESTDATA_DIR) / kind;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".txt") {
      continue;
    }
    GoldenCase c;
    c.path = entry.path().lexically_relative(root).string();
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::pair<std::string, std::string> kv =
          absl::StrSplit(line, absl::MaxSplits(": ", 1));
      if (kv.first == "proof") {
        c.proof.push_back(absl::HexStringToBytes(kv.second));
      } else if (kv.first == "want") {
        c.want = kv.second;
      } else if (kv.first == "want_field") {
        c.want_field = kv.second;
      } else {
        c.fields.push_back(kv);
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

absl::StatusCode CodeNamed(const std::string& name) {
  if (name == "OK") return absl::StatusCode::kOk;
  if (name == "INVALID_ARGUMENT") return absl::StatusCode::kInvalidArgument;
  if (name == "DATA_LOSS") return absl::StatusCode::kDataLoss;
  ADD_FAILURE() << "unknown code " << name;
  return absl::StatusCode::kUnknown;
}

TEST(ProofVerifierTest, InclusionGoldenTampering) {
  const std::vector<GoldenCase> cases = ReadGolden("inclusion");
  ASSERT_GE(cases.size(), 50u) << "golden files missing";
  for (const GoldenCase& c : cases) {
    SCOPED_TRACE(c.path);
    const absl::Status status = VerifyInclusion(
        absl::HexStringToBytes(c.Get("leaf_hash")), c.GetUint("leaf_index"),
        c.GetUint("tree_size"), c.proof, absl::HexStringToBytes(c.Get("root")));
    EXPECT_EQ(status.code(), CodeNamed(c.want)) << status;
    EXPECT_TRUE(absl::StrContains(status.message(), c.want_field)) << status;
  }
}

TEST(ProofVerifierTest, ConsistencyGoldenTampering) {
  const std::vector<GoldenCase> cases = ReadGolden("consistency");
  ASSERT_GE(cases.size(), 50u) << "golden files missing";
  for (const GoldenCase& c : cases) {
    SCOPED_TRACE(c.path);
    const absl::Status status =
        VerifyConsistency(c.GetUint("first"), c.GetUint("second"), c.proof,
                          absl::HexStringToBytes(c.Get("first_root")),
                          absl::HexStringToBytes(c.Get("second_root")));
    EXPECT_EQ(status.code(), CodeNamed(c.want)) << status;
    EXPECT_TRUE(absl::StrContains(status.message(), c.want_field)) << status;
  }
}

}  // namespace
}  // namespace gw::audit
