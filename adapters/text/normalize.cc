// adapters/text/normalize.cc
//
// UTF-8 validity is checked with ICU's U8_NEXT, which rejects overlongs,
// surrogates and code points above U+10FFFF, so that "valid" here means
// exactly what every other ICU-based step of the gateway accepts.
// Normalization works on UTF-8 directly (Normalizer2::normalizeUTF8) to
// avoid a UTF-16 round trip; the NFC instance is a process-wide singleton
// owned by ICU and is thread-safe.
#include "adapters/text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "adapters/text/utf8_check.h"

namespace gw::text {
namespace {

absl::StatusOr<const icu::Normalizer2*> Nfc() {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  if (U_FAILURE(error) || nfc == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU NFC normalizer unavailable: ", u_errorName(error)));
  }
  return nfc;
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  return internal::FirstInvalidUtf8(bytes) < 0;
}

absl::StatusOr<std::string> ToNfc(std::string_view utf8) {
  if (absl::Status s = internal::CheckUtf8(utf8); !s.ok()) return s;
  absl::StatusOr<const icu::Normalizer2*> nfc = Nfc();
  if (!nfc.ok()) return nfc.status();
  std::string out;
  out.reserve(utf8.size());
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode error = U_ZERO_ERROR;
  (*nfc)->normalizeUTF8(
      0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink,
      nullptr, error);
  if (U_FAILURE(error)) {
    return absl::InternalError(
        absl::StrCat("NFC normalization failed: ", u_errorName(error)));
  }
  return out;
}

absl::StatusOr<bool> IsNfc(std::string_view utf8) {
  if (absl::Status s = internal::CheckUtf8(utf8); !s.ok()) return s;
  absl::StatusOr<const icu::Normalizer2*> nfc = Nfc();
  if (!nfc.ok()) return nfc.status();
  UErrorCode error = U_ZERO_ERROR;
  const UBool result = (*nfc)->isNormalizedUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), error);
  if (U_FAILURE(error)) {
    return absl::InternalError(
        absl::StrCat("NFC check failed: ", u_errorName(error)));
  }
  return result != 0;
}

}  // namespace gw::text
