// tests/unit/gateway/audit/hasher_test.cc
#include "gateway/audit/hasher.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gateway/crypto/sha256.h"
#include "gtest/gtest.h"

namespace gw::audit {
namespace {

std::string Hex(const std::string& bytes) {
  return absl::BytesToHexString(bytes);
}

TEST(HasherTest, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(Hex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HasherTest, LeafHashOfEmptyLeafIsTheCtVector) {
  // The root of the one-leaf CT test tree, whose leaf is empty.
  EXPECT_EQ(Hex(HashLeaf("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(HasherTest, PrefixesSeparateLeavesFromNodes) {
  const std::string left(32, 'L');
  const std::string right(32, 'R');
  EXPECT_EQ(HashLeaf("abc"), crypto::Sha256(std::string("\x00"
                                                        "abc",
                                                        4)));
  EXPECT_EQ(HashChildren(left, right),
            crypto::Sha256(std::string(1, '\x01') + left + right));
  // The same 64 bytes as a leaf and as two children hash differently.
  EXPECT_NE(HashLeaf(left + right), HashChildren(left, right));
  EXPECT_NE(HashChildren(left, right), HashChildren(right, left));
}

TEST(HasherTest, HashChildrenOfOddSizesHashesTheConcatenation) {
  EXPECT_EQ(HashChildren("a", "bc"), crypto::Sha256("\x01"
                                                    "abc"));
}

TEST(HasherTest, LeafDataIsBytesNotCString) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(HashLeaf(with_nul), HashLeaf("a"));
  EXPECT_EQ(HashLeaf(with_nul).size(), kHashSize);
}

}  // namespace
}  // namespace gw::audit
