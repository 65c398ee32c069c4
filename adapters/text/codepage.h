// adapters/text/codepage.h
//
// Conversion between UTF-8 and legacy single- or multi-byte code pages
// through ICU converters, with the stop callbacks: a character the code page
// cannot carry, or a byte that is not valid in it, is an error that says
// where, never a silent substitution (TH-RTP.md §5.1).
//
// `codepage` is any name ICU's ucnv_open accepts, e.g. "TIS-620" (which opens
// windows-874-2000). Errors:
//   INVALID_ARGUMENT "character U+0E5C at offset 12 is not representable in
//                    TIS-620" (offset: in code points of the input);
//                    "byte 0xDB at offset 7 is not valid TIS-620";
//                    "input is not valid UTF-8 at byte offset 3";
//   NOT_FOUND        "no converter named ..." for an unknown code page.
// The messages never contain the text itself (it may be a victim's name).
// For multi-byte code pages an invalid sequence is reported as "bytes 0x..
// 0x.. at offset N are not valid ..."; a sequence cut off by the end of the
// input as "incomplete <codepage> character at end of input (byte offset
// N)". Only round-trip mappings are used (fallbacks are off).
//
// "TIS-620" is wider than TH-RTP.md §5.1's permitted set, in both
// directions: ICU's windows-874-2000 maps all 256 bytes, so DecodeCodepage
// never fails for it. 00-1F and 7F decode to the C0 controls, 80-A0 to
// the C1 controls and the windows-874 additions (80 U+20AC, 85 U+2026,
// 91-97 U+2018 U+2019 U+201C U+201D U+2022 U+2013 U+2014, A0 U+00A0), and
// DB-DE, FC-FF to the private-use U+F8C1-U+F8C8; EncodeCodepage accepts
// those code points back. Callers bound by the ICD's narrower set check
// it themselves (before encoding, or on the bytes before decoding).
// "ISO-8859-11", by contrast, rejects DB-DE and FC-FF.
// Thread safety: every function may be called concurrently.
#ifndef GW_ADAPTERS_TEXT_CODEPAGE_H_
#define GW_ADAPTERS_TEXT_CODEPAGE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::text {

// UTF-8 -> code page bytes.
[[nodiscard]] absl::StatusOr<std::string> EncodeCodepage(
    std::string_view codepage, std::string_view utf8);

// Code page bytes -> UTF-8 (not normalized; see normalize.h).
[[nodiscard]] absl::StatusOr<std::string> DecodeCodepage(
    std::string_view codepage, std::string_view bytes);

}  // namespace gw::text

#endif  // GW_ADAPTERS_TEXT_CODEPAGE_H_
