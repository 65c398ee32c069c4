// tests/unit/gateway/audit/rfc9162_reference.cc
#include "rfc9162_reference.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/audit/hasher.h"
#include "gateway/crypto/sha256.h"

namespace gw::audit::testing {

uint64_t LargestPowerOfTwoBelow(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

std::string ReferenceTree::Mth(uint64_t begin, uint64_t end) const {
  const uint64_t n = end - begin;
  if (n == 0) return crypto::Sha256("");
  if (n == 1) return leaf_hashes_[begin];
  auto it = memo_.find({begin, end});
  if (it != memo_.end()) return it->second;
  const uint64_t k = LargestPowerOfTwoBelow(n);
  std::string hash = HashChildren(Mth(begin, begin + k), Mth(begin + k, end));
  memo_[{begin, end}] = hash;
  return hash;
}

std::vector<std::string> ReferenceTree::Path(uint64_t m, uint64_t n) const {
  return PathIn(m, 0, n);
}

// PATH(m, D[begin:end]), m relative to begin.
std::vector<std::string> ReferenceTree::PathIn(uint64_t m, uint64_t begin,
                                               uint64_t end) const {
  const uint64_t n = end - begin;
  if (n == 1) return {};
  const uint64_t k = LargestPowerOfTwoBelow(n);
  std::vector<std::string> path;
  if (m < k) {
    path = PathIn(m, begin, begin + k);
    path.push_back(Mth(begin + k, end));
  } else {
    path = PathIn(m - k, begin + k, end);
    path.push_back(Mth(begin, begin + k));
  }
  return path;
}

std::vector<std::string> ReferenceTree::Proof(uint64_t m, uint64_t n) const {
  return SubProof(m, 0, n, true);
}

// SUBPROOF(m, D[begin:end], b), m relative to begin.
std::vector<std::string> ReferenceTree::SubProof(uint64_t m, uint64_t begin,
                                                 uint64_t end, bool b) const {
  const uint64_t n = end - begin;
  if (m == n) {
    if (b) return {};
    return {Mth(begin, end)};
  }
  const uint64_t k = LargestPowerOfTwoBelow(n);
  std::vector<std::string> proof;
  if (m <= k) {
    proof = SubProof(m, begin, begin + k, b);
    proof.push_back(Mth(begin + k, end));
  } else {
    proof = SubProof(m - k, begin + k, end, false);
    proof.push_back(Mth(begin, begin + k));
  }
  return proof;
}

bool ReferenceTree::VerifyInclusionLiteral(const std::string& hash,
                                           uint64_t index, uint64_t tree_size,
                                           const std::vector<std::string>& path,
                                           const std::string& root) {
  // 1.
  if (index >= tree_size) return false;
  // 2., 3.
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  std::string r = hash;
  // 4.
  for (const std::string& p : path) {
    if (sn == 0) return false;   // a.
    if ((fn & 1) || fn == sn) {  // b.
      r = HashChildren(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;  // c.
    sn >>= 1;
  }
  // 5.
  return sn == 0 && r == root;
}

bool ReferenceTree::VerifyConsistencyLiteral(uint64_t first, uint64_t second,
                                             std::vector<std::string> path,
                                             const std::string& first_hash,
                                             const std::string& second_hash) {
  if (path.empty()) return false;                                         // 1.
  if ((first & (first - 1)) == 0) path.insert(path.begin(), first_hash);  // 2.
  uint64_t fn = first - 1;                                                // 3.
  uint64_t sn = second - 1;
  while (fn & 1) {  // 4.
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];  // 5.
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {  // 6.
    const std::string& c = path[i];
    if (sn == 0) return false;   // a.
    if ((fn & 1) || fn == sn) {  // b.
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;  // c.
    sn >>= 1;
  }
  return fr == first_hash && sr == second_hash && sn == 0;  // 7.
}

}  // namespace gw::audit::testing
