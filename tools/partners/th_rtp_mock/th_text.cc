// tools/partners/th_rtp_mock/th_text.cc
#include "tools/partners/th_rtp_mock/th_text.h"

#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gw::th_rtp_mock {
namespace {

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// The TIS-620 converter with STOP callbacks in both directions (§5.1).
absl::StatusOr<ConverterPtr> OpenTis620() {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open("TIS-620", &status));
  if (U_FAILURE(status) || converter == nullptr) {
    return absl::InternalError(absl::StrCat(
        "ICU cannot open the TIS-620 converter: ", u_errorName(status)));
  }
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr,
                      nullptr, nullptr, &status);
  ucnv_setFromUCallBack(converter.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr,
                        nullptr, nullptr, &status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU cannot set the converter's STOP callbacks: ",
                     u_errorName(status)));
  }
  return converter;
}

bool InR(UChar32 c, bool allow_lf) {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0x0e01 && c <= 0x0e3a) ||
         (c >= 0x0e3f && c <= 0x0e5b) || (allow_lf && c == 0x0a);
}

}  // namespace

bool IsPermittedAsciiByte(uint8_t byte) { return byte >= 0x20 && byte <= 0x7e; }

bool IsPermittedThaiByte(uint8_t byte, bool allow_lf) {
  return IsPermittedAsciiByte(byte) || (byte >= 0xa1 && byte <= 0xda) ||
         (byte >= 0xdf && byte <= 0xfb) || (allow_lf && byte == 0x0a);
}

absl::StatusOr<std::string> Tis620ToUtf8(absl::string_view bytes,
                                         bool allow_lf) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<uint8_t>(bytes[i]);
    if (!IsPermittedThaiByte(byte, allow_lf)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "byte 0x%02X at position %d is not a permitted TIS-620 byte", byte,
          i));
    }
  }
  auto converter = OpenTis620();
  if (!converter.ok()) return converter.status();
  UErrorCode status = U_ZERO_ERROR;
  std::vector<UChar> utf16(bytes.size() + 1);
  const int32_t length = ucnv_toUChars(
      converter->get(), utf16.data(), static_cast<int32_t>(utf16.size()),
      bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the TIS-620 converter refused the bytes: ", u_errorName(status)));
  }
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU has no NFC normaliser: ", u_errorName(status)));
  }
  const icu::UnicodeString text(utf16.data(), length);
  const icu::UnicodeString normal = nfc->normalize(text, status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("NFC normalisation failed: ", u_errorName(status)));
  }
  std::string out;
  normal.toUTF8String(out);
  return out;
}

absl::StatusOr<std::string> Utf8ToTis620(absl::string_view utf8,
                                         bool allow_lf) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t needed = 0;
  u_strFromUTF8(nullptr, 0, &needed, utf8.data(),
                static_cast<int32_t>(utf8.size()), &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
    return absl::InvalidArgumentError("text is not well-formed UTF-8");
  }
  status = U_ZERO_ERROR;
  std::vector<UChar> utf16(static_cast<size_t>(needed) + 1);
  u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &needed,
                utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError("text is not well-formed UTF-8");
  }
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU has no NFC normaliser: ", u_errorName(status)));
  }
  const icu::UnicodeString normal =
      nfc->normalize(icu::UnicodeString(utf16.data(), needed), status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("NFC normalisation failed: ", u_errorName(status)));
  }
  for (int32_t i = 0; i < normal.length();) {
    const UChar32 c = normal.char32At(i);
    if (!InR(c, allow_lf)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "character U+%04X cannot be sent to TH-RTP (outside TIS-620 set R)",
          c));
    }
    i += U16_LENGTH(c);
  }
  auto converter = OpenTis620();
  if (!converter.ok()) return converter.status();
  std::string out(static_cast<size_t>(normal.length()) * 2 + 8, '\0');
  const int32_t length = ucnv_fromUChars(
      converter->get(), out.data(), static_cast<int32_t>(out.size()),
      normal.getBuffer(), normal.length(), &status);
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the TIS-620 converter refused the text: ", u_errorName(status)));
  }
  out.resize(static_cast<size_t>(length));
  for (char byte : out) {
    if (!IsPermittedThaiByte(static_cast<uint8_t>(byte), allow_lf)) {
      return absl::InvalidArgumentError(
          "the TIS-620 converter produced a byte outside the permitted set");
    }
  }
  return out;
}

}  // namespace gw::th_rtp_mock
