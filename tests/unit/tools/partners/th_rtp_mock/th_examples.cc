// tests/unit/tools/partners/th_rtp_mock/th_examples.cc
#include "tests/unit/tools/partners/th_rtp_mock/th_examples.h"

#include "absl/strings/str_cat.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"
#include "tools/partners/th_rtp_mock/th_frame_writer.h"

namespace gw::th_rtp_mock::testing {

std::string ExampleFile(const std::string& name) {
  absl::StatusOr<std::string> bytes =
      util::ReadFile(absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/TH-RTP/", name));
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

std::string ExampleBody(const std::string& name) {
  const std::string file = ExampleFile(name);
  return file.size() < 4 ? std::string() : file.substr(4);
}

std::string Patch(std::string body, size_t offset, absl::string_view bytes) {
  EXPECT_LE(offset + bytes.size(), body.size());
  if (offset + bytes.size() <= body.size()) {
    body.replace(offset, bytes.size(), std::string(bytes));
  }
  return body;
}

std::string PatchAndResign(const std::string& body, size_t offset,
                           absl::string_view bytes,
                           const crypto::Signer& signer) {
  absl::StatusOr<std::string> resigned =
      Resign(Patch(body, offset, bytes), signer);
  EXPECT_TRUE(resigned.ok()) << resigned.status();
  return resigned.ok() ? *resigned : std::string();
}

}  // namespace gw::th_rtp_mock::testing
