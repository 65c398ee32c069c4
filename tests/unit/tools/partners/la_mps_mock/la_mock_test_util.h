// tests/unit/tools/partners/la_mps_mock/la_mock_test_util.h
//
// Shared helpers of the la-mps-mock tests: the LA-MPS example files of
// shared/partners/examples/LA-MPS/ (README §4: signed with the RFC 8032 TEST
// keys, TEST 1 = the gateway CN-MPS, TEST 2 = LA-MPS) and a way to craft
// gateway messages that are signed like real ones.
#ifndef GW_TESTS_UNIT_TOOLS_PARTNERS_LA_MPS_MOCK_LA_MOCK_TEST_UTIL_H_
#define GW_TESTS_UNIT_TOOLS_PARTNERS_LA_MPS_MOCK_LA_MOCK_TEST_UTIL_H_

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::la_mps_mock::testing {

// The outbound alert, the outbound case status (rejected by LA-MPS) and
// the inbound repatriation request of the examples.
inline constexpr char kAlertId[] = "c000a73d-0a25-5904-bedf-ad6b56692274";
inline constexpr char kStatusId[] = "03d1e44d-e158-551e-9881-0a18763ec1a6";
inline constexpr char kRequestId[] = "3a0fe15e-fed5-5450-b663-cde8d7c5afc1";

inline std::string ExamplePath(const std::string& dir,
                               const std::string& name) {
  return absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/LA-MPS/", dir, "/", name);
}

// The bytes of an example file; fails the test if it cannot be read.
inline std::string Example(const std::string& dir, const std::string& name) {
  absl::StatusOr<std::string> bytes = util::ReadFile(ExamplePath(dir, name));
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

inline const crypto::Signer& GatewaySigner() {
  static const auto* const kSigner = gw::testing::Rfc8032Signer(1).release();
  return *kSigner;
}
inline const crypto::Verifier& GatewayVerifier() {
  static const auto* const kVerifier =
      gw::testing::Rfc8032Verifier(1).release();
  return *kVerifier;
}
inline const crypto::Signer& LaSigner() {
  static const auto* const kSigner = gw::testing::Rfc8032Signer(2).release();
  return *kSigner;
}
inline const crypto::Verifier& LaVerifier() {
  static const auto* const kVerifier =
      gw::testing::Rfc8032Verifier(2).release();
  return *kVerifier;
}

// A `.sig` file for `csv` (base64 and LF), signed by `signer`.
inline std::string SigFor(const std::string& csv,
                          const crypto::Signer& signer = GatewaySigner()) {
  absl::StatusOr<std::string> signature = signer.Sign(csv);
  EXPECT_TRUE(signature.ok()) << signature.status();
  return absl::StrCat(absl::Base64Escape(signature.value_or("")), "\n");
}

// The `.done` marker of §3.6 for the two files.
inline std::string DoneFor(const std::string& id, const std::string& csv,
                           const std::string& sig) {
  return absl::StrCat(crypto::Sha256Hex(csv), "  ", id, ".csv\n",
                      crypto::Sha256Hex(sig), "  ", id, ".sig\n");
}

// `text` with `from` replaced by `to`; fails the test if `from` is absent,
// so a crafted file is never silently the original.
inline std::string Replace(const std::string& text, const std::string& from,
                           const std::string& to) {
  EXPECT_NE(text.find(from), std::string::npos) << "not in the file: " << from;
  return absl::StrReplaceAll(text, {{from, to}});
}

}  // namespace gw::la_mps_mock::testing

#endif  // GW_TESTS_UNIT_TOOLS_PARTNERS_LA_MPS_MOCK_LA_MOCK_TEST_UTIL_H_
