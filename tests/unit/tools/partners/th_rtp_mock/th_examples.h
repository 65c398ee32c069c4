// tests/unit/tools/partners/th_rtp_mock/th_examples.h
//
// The TH-RTP example frames of shared/partners/examples/TH-RTP/ (found
// through GW_PARTNER_EXAMPLES_DIR, as the other partner tests do), and
// helpers to alter a valid body for negative tests.
#ifndef GW_TESTS_UNIT_TOOLS_PARTNERS_TH_RTP_MOCK_TH_EXAMPLES_H_
#define GW_TESTS_UNIT_TOOLS_PARTNERS_TH_RTP_MOCK_TH_EXAMPLES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "gateway/crypto/signer.h"

namespace gw::th_rtp_mock::testing {

// The whole file (LEN + body); fails the test if it cannot be read.
std::string ExampleFile(const std::string& name);
// The body of an example frame (the file without its 4-byte prefix).
std::string ExampleBody(const std::string& name);

// `body` with `bytes` written at `offset` (no re-signing).
std::string Patch(std::string body, size_t offset, absl::string_view bytes);
// Patch, then re-sign with `signer` (TR.KEY_ID set to its key).
std::string PatchAndResign(const std::string& body, size_t offset,
                           absl::string_view bytes,
                           const crypto::Signer& signer);

}  // namespace gw::th_rtp_mock::testing

#endif  // GW_TESTS_UNIT_TOOLS_PARTNERS_TH_RTP_MOCK_TH_EXAMPLES_H_
