// tests/unit/gateway/audit/checkpoint_test.cc
#include "gateway/audit/checkpoint.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace gw::audit {
namespace {

const std::string kRoot8 = absl::HexStringToBytes(
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

TEST(CheckpointTest, FormatIsByteExact) {
  auto body = FormatCheckpointBody({"example.com/mekong-audit", 8, kRoot8, {}});
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(*body,
            "example.com/mekong-audit\n"
            "8\n"
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
  auto with_extensions = FormatCheckpointBody(
      {"o", 18446744073709551615u, kRoot8, {"ext one", "ext-2"}});
  ASSERT_TRUE(with_extensions.ok());
  EXPECT_EQ(*with_extensions,
            "o\n18446744073709551615\n"
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next one\next-2\n");
}

TEST(CheckpointTest, ParseRoundTrips) {
  const std::vector<CheckpointBody> bodies = {
      {"example.com/log", 0, std::string(32, '\0'), {}},
      {"例え.jp/ログ", 1, kRoot8, {}},
      {"o", 20852163, kRoot8, {"extension"}},
  };
  for (const CheckpointBody& want : bodies) {
    auto text = FormatCheckpointBody(want);
    ASSERT_TRUE(text.ok()) << text.status();
    auto parsed = ParseCheckpointBody(*text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, want);
  }
}

TEST(CheckpointTest, ParseIsStrict) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  struct Case {
    std::string name;
    std::string body;
    std::string field;
  };
  const Case cases[] = {
      {"no final newline", "o\n8\n" + root, "body:"},
      {"empty", "", "body:"},
      {"two lines", "o\n8\n", "body:"},
      {"empty origin", "\n8\n" + root + "\n", "origin:"},
      {"control char in origin", "o\x01\n8\n" + root + "\n", "origin:"},
      {"leading zero", "o\n08\n" + root + "\n", "tree_size:"},
      {"sign", "o\n+8\n" + root + "\n", "tree_size:"},
      {"negative", "o\n-1\n" + root + "\n", "tree_size:"},
      {"empty size", "o\n\n" + root + "\n", "tree_size:"},
      {"hex size", "o\n0x8\n" + root + "\n", "tree_size:"},
      {"space in size", "o\n 8\n" + root + "\n", "tree_size:"},
      {"size overflow", "o\n18446744073709551616\n" + root + "\n",
       "tree_size:"},
      {"root unpadded", "o\n8\n" + root.substr(0, root.size() - 1) + "\n",
       "root_hash:"},
      {"root url-safe base64",
       "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n", "root_hash:"},
      {"root 31 bytes",
       "o\n8\n" + absl::Base64Escape(std::string(31, 'r')) + "\n",
       "root_hash: 31 bytes"},
      {"root 33 bytes",
       "o\n8\n" + absl::Base64Escape(std::string(33, 'r')) + "\n",
       "root_hash: 33 bytes"},
      {"empty extension", "o\n8\n" + root + "\n\n", "extensions[0]:"},
      {"crlf", "o\r\n8\r\n" + root + "\r\n", "origin:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto parsed = ParseCheckpointBody(c.body);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(parsed.status().message(), c.field))
        << parsed.status();
  }
  auto max = ParseCheckpointBody("o\n18446744073709551615\n" + root + "\n");
  ASSERT_TRUE(max.ok()) << max.status();
  EXPECT_EQ(max->tree_size, 18446744073709551615u);
}

TEST(CheckpointTest, FormatRefusesBadFields) {
  struct Case {
    std::string name;
    CheckpointBody body;
    std::string field;
  };
  const Case cases[] = {
      {"empty origin", {"", 1, kRoot8, {}}, "origin:"},
      {"newline in origin", {"a\nb", 1, kRoot8, {}}, "origin:"},
      {"bad utf-8 origin", {"a\xff", 1, kRoot8, {}}, "origin:"},
      {"short root", {"o", 1, std::string(31, 'r'), {}}, "root_hash: 31 bytes"},
      {"empty extension", {"o", 1, kRoot8, {""}}, "extensions[0]:"},
      {"newline in extension",
       {"o", 1, kRoot8, {"x", "a\n"}},
       "extensions[1]:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto text = FormatCheckpointBody(c.body);
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(text.status().message(), c.field))
        << text.status();
  }
}

}  // namespace
}  // namespace gw::audit
