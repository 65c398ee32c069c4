// tests/unit/gateway/audit/checkpoint_signer_test.cc
#include "gateway/audit/checkpoint_signer.h"

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gateway/audit/checkpoint_verifier.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gtest/gtest.h"

namespace gw::audit {
namespace {

// testdata/note/: a throwaway Ed25519 key, and the checkpoint note for the
// 8-leaf CT test tree made from it by make-golden.sh with the openssl CLI.
constexpr absl::string_view kOrigin = "example.com/mekong-audit-test";

std::string Testdata(absl::string_view name) {
  return absl::StrCat(GW_AUDIT_TESTDATA_DIR, "/note/", name);
}

std::string ReadTestdata(absl::string_view name) {
  std::ifstream in(Testdata(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << Testdata(name);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

const std::string kRoot8 = absl::HexStringToBytes(
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

class CheckpointSignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto signer = crypto::Signer::FromPemFiles(Testdata("signing.key"),
                                               Testdata("signing.crt"));
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
    auto verifier =
        crypto::Verifier::FromCertificatePem(ReadTestdata("signing.crt"));
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  std::unique_ptr<crypto::Signer> signer_;
  std::unique_ptr<crypto::Verifier> verifier_;
};

TEST_F(CheckpointSignerTest, NoteIsByteExactGolden) {
  auto checkpoints = CheckpointSigner::Create(kOrigin, kOrigin, signer_.get());
  ASSERT_TRUE(checkpoints.ok()) << checkpoints.status();
  auto note = (*checkpoints)->Sign(8, kRoot8);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(*note, ReadTestdata("checkpoint-size8.note"));
  // Pinned here as well, so a change to the file is visible in review.
  EXPECT_EQ(
      *note,
      "example.com/mekong-audit-test\n"
      "8\n"
      "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
      "\n"
      "\xE2\x80\x94 example.com/mekong-audit-test "
      "jmAKEr+CMGHoUKqMq7/LzyNeS/EWOzMyCrhNmaIHTXeIuzPgsFPW4ogR/aLDGFvjm4K"
      "zReb1rojke7DIZYjlO2mCHQw=\n");
  EXPECT_EQ((*checkpoints)->key().VerifierKey(),
            absl::StripSuffix(ReadTestdata("vkey.txt"), "\n"));
}

TEST_F(CheckpointSignerTest, SignedCheckpointsVerify) {
  auto checkpoints = CheckpointSigner::Create(kOrigin, "gw-key", signer_.get());
  ASSERT_TRUE(checkpoints.ok()) << checkpoints.status();
  for (uint64_t size :
       {uint64_t{0}, uint64_t{1}, uint64_t{8}, uint64_t{1} << 63}) {
    auto note = (*checkpoints)->Sign(size, kRoot8);
    ASSERT_TRUE(note.ok()) << note.status();
    auto checkpoint = VerifyCheckpoint(*note, kOrigin, "gw-key", *verifier_);
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
    EXPECT_EQ(checkpoint->origin, kOrigin);
    EXPECT_EQ(checkpoint->tree_size, size);
    EXPECT_EQ(checkpoint->root_hash, kRoot8);
  }
}

TEST_F(CheckpointSignerTest, Errors) {
  EXPECT_EQ(
      CheckpointSigner::Create("", kOrigin, signer_.get()).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(CheckpointSigner::Create("a\nb", kOrigin, signer_.get())
                           .status()
                           .message(),
                       "origin:"));
  EXPECT_TRUE(
      absl::StartsWith(CheckpointSigner::Create(kOrigin, "a+b", signer_.get())
                           .status()
                           .message(),
                       "key_name:"));
  EXPECT_EQ(CheckpointSigner::Create(kOrigin, kOrigin, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto checkpoints = CheckpointSigner::Create(kOrigin, kOrigin, signer_.get());
  ASSERT_TRUE(checkpoints.ok());
  auto note = (*checkpoints)->Sign(8, "short");
  EXPECT_EQ(note.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(note.status().message(), "root_hash:"));
}

}  // namespace
}  // namespace gw::audit
