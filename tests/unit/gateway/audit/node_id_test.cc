// tests/unit/gateway/audit/node_id_test.cc
#include "gateway/audit/node_id.h"

#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"

namespace gw::audit {
namespace {

TEST(NodeIdTest, CoverageParentAndSibling) {
  const NodeId id{3, 5};
  EXPECT_EQ(id.FirstLeaf(), 40u);
  EXPECT_EQ(id.EndLeaf(), 48u);
  EXPECT_EQ(id.Parent(), (NodeId{4, 2}));
  EXPECT_EQ(id.Sibling(), (NodeId{3, 4}));
  EXPECT_EQ(id.Sibling().Sibling(), id);
  EXPECT_EQ((NodeId{0, 0}).EndLeaf(), 1u);
  EXPECT_EQ((NodeId{62, 1}).EndLeaf(), uint64_t{1} << 63);
}

TEST(NodeIdTest, OrdersByLevelThenIndex) {
  EXPECT_LT((NodeId{0, 9}), (NodeId{1, 0}));
  EXPECT_LT((NodeId{1, 0}), (NodeId{1, 1}));
  EXPECT_FALSE((NodeId{1, 1}) < (NodeId{1, 1}));
  EXPECT_NE((NodeId{0, 1}), (NodeId{1, 0}));
}

TEST(NodeIdTest, HashableAndPrintable) {
  absl::flat_hash_set<NodeId> set = {{0, 1}, {1, 0}, {0, 1}};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains(NodeId{1, 0}));
  EXPECT_EQ((NodeId{3, 17}).ToString(), "(3, 17)");
  std::ostringstream os;
  os << NodeId{0, 2};
  EXPECT_EQ(os.str(), "(0, 2)");
}

}  // namespace
}  // namespace gw::audit
