// adapters/text/codepage.cc
//
// Each call opens its own converter (ICU caches the shared mapping tables,
// so an open is cheap) and converts the whole input in one pass with the
// stop callbacks and fallbacks off: only round-trip mappings are used, and
// the first problem ends the conversion. ICU then reports, through the
// source pointer and ucnv_getInvalidUChars/ucnv_getInvalidChars, which
// unit(s) stopped it; that is turned into an offset for the message.
#include "adapters/text/codepage.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/text/utf8_check.h"

namespace gw::text {
namespace {

constexpr size_t kMaxInput = std::numeric_limits<int32_t>::max() / 8;

absl::StatusOr<icu::LocalUConverterPointer> Open(std::string_view codepage) {
  const std::string name(codepage);
  // ucnv_open("") would open the platform's default converter.
  if (name.empty() || name.find('\0') != std::string::npos) {
    return absl::NotFoundError(
        absl::StrCat("no converter named '", absl::CHexEscape(name), "'"));
  }
  UErrorCode error = U_ZERO_ERROR;
  icu::LocalUConverterPointer conv(ucnv_open(name.c_str(), &error));
  if (U_FAILURE(error) || conv.isNull()) {
    return absl::NotFoundError(
        absl::StrCat("no converter named '", absl::CHexEscape(name), "'"));
  }
  // No fallback mappings: a character either round-trips or is an error.
  ucnv_setFallback(conv.getAlias(), false);
  return conv;
}

absl::Status SetStopCallbacks(UConverter* conv) {
  UErrorCode error = U_ZERO_ERROR;
  ucnv_setFromUCallBack(conv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr,
                        nullptr, &error);
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                      &error);
  if (U_FAILURE(error)) {
    return absl::InternalError(
        absl::StrCat("cannot set converter callbacks: ", u_errorName(error)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> EncodeCodepage(std::string_view codepage,
                                           std::string_view utf8) {
  if (utf8.size() > kMaxInput) {
    return absl::InvalidArgumentError("input too long to convert");
  }
  absl::StatusOr<icu::UnicodeString> text = internal::ToUnicode(utf8);
  if (!text.ok()) return text.status();
  absl::StatusOr<icu::LocalUConverterPointer> conv = Open(codepage);
  if (!conv.ok()) return conv.status();
  UConverter* c = conv->getAlias();
  if (absl::Status s = SetStopCallbacks(c); !s.ok()) return s;

  const int32_t length = text->length();
  // Worst case for any converter, including stateful ones' shift sequences.
  std::string out(static_cast<size_t>(UCNV_GET_MAX_BYTES_FOR_STRING(
                      length, ucnv_getMaxCharSize(c))) +
                      16,
                  '\0');
  const UChar* source_start = text->getBuffer();
  const UChar* source = source_start;
  char* target = out.data();
  UErrorCode error = U_ZERO_ERROR;
  ucnv_fromUnicode(c, &target, out.data() + out.size(), &source,
                   source_start + length, nullptr, /*flush=*/true, &error);
  if (U_FAILURE(error)) {
    if (error == U_INVALID_CHAR_FOUND || error == U_ILLEGAL_CHAR_FOUND) {
      UChar bad[8];
      int8_t bad_length = static_cast<int8_t>(sizeof(bad) / sizeof(bad[0]));
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidUChars(c, bad, &bad_length, &ignored);
      if (U_FAILURE(ignored) || bad_length <= 0) bad_length = 1;
      const int32_t unit_offset =
          static_cast<int32_t>(source - source_start) - bad_length;
      UChar32 cp;
      U16_GET(bad, 0, 0, bad_length, cp);
      const int32_t cp_offset = text->countChar32(0, unit_offset);
      return absl::InvalidArgumentError(absl::StrFormat(
          "character U+%04X at offset %d is not representable in %s",
          static_cast<uint32_t>(cp), cp_offset, std::string(codepage)));
    }
    return absl::InternalError(
        absl::StrCat("conversion failed: ", u_errorName(error)));
  }
  out.resize(static_cast<size_t>(target - out.data()));
  return out;
}

absl::StatusOr<std::string> DecodeCodepage(std::string_view codepage,
                                           std::string_view bytes) {
  if (bytes.size() > kMaxInput) {
    return absl::InvalidArgumentError("input too long to convert");
  }
  absl::StatusOr<icu::LocalUConverterPointer> conv = Open(codepage);
  if (!conv.ok()) return conv.status();
  UConverter* c = conv->getAlias();
  if (absl::Status s = SetStopCallbacks(c); !s.ok()) return s;

  const int32_t length = static_cast<int32_t>(bytes.size());
  // One byte never yields more than two UTF-16 units (a supplementary code
  // point); the margin covers converters that emit on flush.
  std::vector<UChar> out(static_cast<size_t>(length) * 2 + 16);
  const char* source_start = bytes.data();
  const char* source = source_start;
  UChar* target = out.data();
  UErrorCode error = U_ZERO_ERROR;
  ucnv_toUnicode(c, &target, out.data() + out.size(), &source,
                 source_start + length, nullptr, /*flush=*/true, &error);
  if (U_FAILURE(error)) {
    if (error == U_INVALID_CHAR_FOUND || error == U_ILLEGAL_CHAR_FOUND ||
        error == U_TRUNCATED_CHAR_FOUND) {
      char bad[32];
      int8_t bad_length = static_cast<int8_t>(sizeof(bad));
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(c, bad, &bad_length, &ignored);
      if (U_FAILURE(ignored) || bad_length <= 0) bad_length = 0;
      const int64_t offset =
          static_cast<int64_t>(source - source_start) - bad_length;
      std::string shown;
      for (int i = 0; i < bad_length; ++i) {
        absl::StrAppendFormat(&shown, "%s0x%02X", i == 0 ? "" : " ",
                              static_cast<unsigned char>(bad[i]));
      }
      if (error == U_TRUNCATED_CHAR_FOUND) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "incomplete %s character at end of input (byte offset %d)",
            std::string(codepage), offset));
      }
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s %s at offset %d %s not valid %s",
          bad_length > 1 ? "bytes" : "byte", shown, offset,
          bad_length > 1 ? "are" : "is", std::string(codepage)));
    }
    return absl::InternalError(
        absl::StrCat("conversion failed: ", u_errorName(error)));
  }
  std::string utf8;
  icu::UnicodeString(false, out.data(),
                     static_cast<int32_t>(target - out.data()))
      .toUTF8String(utf8);
  return utf8;
}

}  // namespace gw::text
