// tests/unit/tools/gwctl/receipt_file_test.cc
#include "tools/gwctl/receipt_file.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "test_pki.h"

namespace gw::gwctl {
namespace {

TEST(ReceiptFileTest, ReadsAReceiptOrAnAnswerCarryingOne) {
  gw::v1::Receipt receipt;
  ASSERT_TRUE(ParseReceiptJson(
                  R"({"message_id": "A-1", "leaf_index": "7",
                      "checkpoint": {"tree_size": "9"}})",
                  "r.json", &receipt)
                  .ok());
  EXPECT_EQ(receipt.message_id(), "A-1");
  EXPECT_EQ(receipt.leaf_index(), 7u);
  EXPECT_EQ(receipt.checkpoint().tree_size(), 9u);

  gw::v1::Receipt inner;
  ASSERT_TRUE(ParseReceiptJson(
                  R"({"alert_id": "A-1", "deliveries": [{"recipient": "X"}],
                      "receipt": {"message_id": "A-1", "leaf_index": "7"}})",
                  "answer.json", &inner)
                  .ok());
  EXPECT_EQ(inner.leaf_index(), 7u);
}

TEST(ReceiptFileTest, ErrorsNameTheFileAndField) {
  struct Case {
    std::string name;
    std::string json;
    std::string want;
  };
  const Case cases[] = {
      {"Syntax", "{\"message_id\": }", "r.json:1:"},
      {"UnknownField", R"({"leaf": 1})", "r.json: leaf: unknown field"},
      {"ReceiptNotAnObject", R"({"receipt": 3})",
       "r.json: receipt: want a JSON object"},
      {"InnerUnknownField", R"({"receipt": {"nope": 1}})",
       "r.json (its receipt): nope: unknown field"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    gw::v1::Receipt receipt;
    const absl::Status status = ParseReceiptJson(c.json, "r.json", &receipt);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(status.message(), c.want)) << status;
  }
  gw::v1::Receipt receipt;
  EXPECT_EQ(LoadReceiptFile("/nonexistent/r.json", &receipt).code(),
            absl::StatusCode::kNotFound);
}

TEST(ReceiptFileTest, WritesWhatItReads) {
  testing::TestPki scratch;
  gw::v1::Receipt receipt;
  receipt.set_message_id("A-1");
  receipt.set_leaf_data(std::string("\x00\x01\xff", 3));
  receipt.mutable_inclusion_proof()->add_hashes(std::string(32, '\x07'));
  const std::string path = scratch.dir() + "/new/dir/r.json";
  ASSERT_TRUE(WriteReceiptFile(path, receipt).ok());
  gw::v1::Receipt back;
  ASSERT_TRUE(LoadReceiptFile(path, &back).ok());
  EXPECT_EQ(back.SerializeAsString(), receipt.SerializeAsString());
}

TEST(ReceiptFileTest, ReceiptInFindsTheReceiptField) {
  gw::v1::SendAlertResponse response;
  EXPECT_FALSE(ReceiptIn(response).has_value());
  response.mutable_receipt()->set_leaf_index(4);
  ASSERT_TRUE(ReceiptIn(response).has_value());
  EXPECT_EQ(ReceiptIn(response)->leaf_index(), 4u);
  EXPECT_FALSE(ReceiptIn(gw::v1::CaseStatus()).has_value());
}

}  // namespace
}  // namespace gw::gwctl
