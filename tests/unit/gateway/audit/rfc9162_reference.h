// tests/unit/gateway/audit/rfc9162_reference.h
//
// ReferenceTree follows RFC 9162 §2.1 literally, recursion and all: MTH
// (§2.1.1), PATH (§2.1.3.1) and PROOF/SUBPROOF (§2.1.4.1), splitting at the
// largest power of two smaller than n. It is slow on purpose and shares no
// code with gateway/audit except HashChildren; the fast code is compared with
// it byte for byte. Subtree hashes are memoized by leaf range, which changes
// nothing but the running time.
#ifndef GW_TESTS_UNIT_GATEWAY_AUDIT_RFC9162_REFERENCE_H_
#define GW_TESTS_UNIT_GATEWAY_AUDIT_RFC9162_REFERENCE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gw::audit::testing {

class ReferenceTree {
 public:
  // `leaf_hashes` are MTH({d}) = HashLeaf(d) of each leaf, in order.
  explicit ReferenceTree(std::vector<std::string> leaf_hashes)
      : leaf_hashes_(std::move(leaf_hashes)) {}

  // MTH(D[begin:end]); MTH({}) = SHA-256("").
  std::string Mth(uint64_t begin, uint64_t end) const;
  // PATH(m, D[0:n]), lowest level first. REQUIRES: m < n <= size.
  std::vector<std::string> Path(uint64_t m, uint64_t n) const;
  // PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true). REQUIRES: 0 < m <= n.
  std::vector<std::string> Proof(uint64_t m, uint64_t n) const;

  uint64_t size() const { return leaf_hashes_.size(); }

  // The verification algorithms of §2.1.3.2 and §2.1.4.2, step by step (the
  // (fn, sn) shifting walk). They take any hashes and only accept or reject.
  // VerifyConsistencyLiteral REQUIRES 0 < first < second (the RFC's case).
  static bool VerifyInclusionLiteral(const std::string& hash, uint64_t index,
                                     uint64_t tree_size,
                                     const std::vector<std::string>& path,
                                     const std::string& root);
  static bool VerifyConsistencyLiteral(uint64_t first, uint64_t second,
                                       std::vector<std::string> path,
                                       const std::string& first_hash,
                                       const std::string& second_hash);

 private:
  std::vector<std::string> PathIn(uint64_t m, uint64_t begin,
                                  uint64_t end) const;
  std::vector<std::string> SubProof(uint64_t m, uint64_t begin, uint64_t end,
                                    bool b) const;

  std::vector<std::string> leaf_hashes_;
  mutable std::map<std::pair<uint64_t, uint64_t>, std::string> memo_;
};

// The largest power of two smaller than n. REQUIRES: n > 1.
uint64_t LargestPowerOfTwoBelow(uint64_t n);

}  // namespace gw::audit::testing

#endif  // GW_TESTS_UNIT_GATEWAY_AUDIT_RFC9162_REFERENCE_H_
