// tests/unit/gateway/audit/checkpoint_verifier_test.cc
#include "gateway/audit/checkpoint_verifier.h"

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gateway/crypto/verifier.h"
#include "gtest/gtest.h"

namespace gw::audit {
namespace {

constexpr absl::string_view kOrigin = "example.com/mekong-audit-test";

std::string ReadTestdata(absl::string_view name) {
  const std::string path = absl::StrCat(GW_AUDIT_TESTDATA_DIR, "/note/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

TEST(CheckpointVerifierTest, VerifiesTheGoldenNote) {
  auto verifier =
      crypto::Verifier::FromCertificatePem(ReadTestdata("signing.crt"));
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::string note = ReadTestdata("checkpoint-size8.note");

  auto checkpoint = VerifyCheckpoint(note, kOrigin, kOrigin, **verifier);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->tree_size, 8u);
  EXPECT_EQ(absl::BytesToHexString(checkpoint->root_hash),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  EXPECT_TRUE(checkpoint->extensions.empty());

  auto other_origin =
      VerifyCheckpoint(note, "example.com/other", kOrigin, **verifier);
  EXPECT_EQ(other_origin.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(other_origin.status().message(), "origin:"));

  auto wrong_name =
      VerifyCheckpoint(note, kOrigin, "example.com/other", **verifier);
  EXPECT_EQ(wrong_name.status().code(), absl::StatusCode::kUnauthenticated);

  auto tampered =
      VerifyCheckpoint(absl::StrReplaceAll(note, {{"\n8\n", "\n7\n"}}), kOrigin,
                       kOrigin, **verifier);
  EXPECT_EQ(tampered.status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace gw::audit
