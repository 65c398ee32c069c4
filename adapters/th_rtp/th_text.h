// adapters/th_rtp/th_text.h
//
// Text on the TH-RTP link (partners/TH-RTP.md §5.1-§5.5):
//  * ConvertField: §5.3 for one T field (or a field of the Latin name slot,
//    type A): NFC, control characters, the filtered Latin-ASCII fold, '?'
//    for what is left outside the field's character set, TIS-620, and a cut
//    at the field width that never separates a Thai base character from its
//    combining marks (D1, D4-DA, E7-EE). Leading and trailing white space is
//    removed (§5.2). Reports whether steps 2-4 altered the text and whether
//    it was cut, for TEXT_SUBST / NAME_FLAG / TRUNCATED.
//  * EncodeTexts: §5.4 for a list of language-tagged texts: each is sent
//    whole (split into 1000-byte NR parts) or not at all.
//  * EncodeNames: §5.5, the Thai and Latin name slots of an SB record with
//    NAME_FLAG and TRUNCATED.
//  * DecodeField / JoinTextParts: inbound T fields and NR texts, TIS-620 ->
//    UTF-8 NFC, nothing else changed.
//
// The converter is ICU's "TIS-620" (windows-874-2000) with stop callbacks,
// through adapters/text; the bytes it produces are additionally checked
// against the narrower set of §5.1, since ICU also maps 80-A0, DB-DE and
// FC-FF. Errors (INVALID_ARGUMENT for input that is not UTF-8 or not
// permitted TIS-620, INTERNAL if ICU fails) never contain the text.
// Thread safety: pure functions, safe to call concurrently.
#ifndef GW_ADAPTERS_TH_RTP_TH_TEXT_H_
#define GW_ADAPTERS_TH_RTP_TH_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "gw/v1/person.pb.h"

namespace gw::th_rtp {

// Width of the TEXT field of an NR record: the size of every part but the
// last (§3.15).
inline constexpr size_t kTextPartBytes = 1000;

// The ICU transform of §5.3 step 3.
inline constexpr char kFoldTransform[] =
    "[^\\u000A\\u0020-\\u007E\\u0E01-\\u0E3A\\u0E3F-\\u0E5B] Latin-ASCII";
// The ICU transform of §5.5 rule 4.
inline constexpr char kRomanizeTransform[] = "Any-Latin; Latin-ASCII";

enum class FieldCharset {
  kThai,   // T field: R = U+0020-007E, U+0E01-0E3A, U+0E3F-0E5B
  kLatin,  // A field of the Latin name slot: U+0020-007E only
};

struct ConvertedField {
  std::string bytes;       // TIS-620, trimmed, at most the width
  bool altered = false;    // §5.3 steps 2-4 changed something
  bool truncated = false;  // §5.3 step 6 cut it
};

[[nodiscard]] absl::StatusOr<ConvertedField> ConvertField(
    absl::string_view utf8, size_t width, FieldCharset charset);

struct EncodedText {
  std::string lang;
  // TIS-620 parts: kTextPartBytes each, the last one possibly shorter (the
  // record writer pads it with spaces).
  std::vector<std::string> parts;
};

struct EncodedTexts {
  std::vector<EncodedText> sent;  // in canonical order
  int omitted = 0;                // texts not sent (§5.4)
  bool altered = false;           // TEXT_SUBST: changed or left out
};

// §5.4. A text is sent if after steps 1-3 every character is in R (plus
// LF), its language tag fits NR.LANG (1-12 characters of [A-Za-z0-9-]) and
// it is not empty after trimming; otherwise it is counted in `omitted`.
[[nodiscard]] absl::StatusOr<EncodedTexts> EncodeTexts(
    const google::protobuf::RepeatedPtrField<gw::v1::LanguageText>& texts);

// `bytes` cut into parts of exactly kTextPartBytes, the last one shorter.
std::vector<std::string> SplitTextParts(absl::string_view bytes);

struct NameSlots {
  ConvertedField th_given, th_family, th_full;
  ConvertedField latn_given, latn_family, latn_full;
  char flag = 'U';         // NAME_FLAG (§5.5 rule 6)
  bool truncated = false;  // TRUNCATED (§5.5 rule 7)
};

// §5.5 rules 1-7 for the canonical `names` of one person.
[[nodiscard]] absl::StatusOr<NameSlots> EncodeNames(
    const google::protobuf::RepeatedPtrField<gw::v1::PersonName>& names);

// Inbound T field: trailing spaces removed, TIS-620 decoded (stop
// callback), NFC. INVALID_ARGUMENT for a byte outside §5.1's set (LF is
// allowed only with `allow_lf`).
[[nodiscard]] absl::StatusOr<std::string> DecodeField(absl::string_view raw,
                                                      bool allow_lf = false);

// Inbound NR text: the TEXT fields of all parts joined, trailing spaces
// removed from the last part only (§5.4), then decoded as DecodeField.
[[nodiscard]] absl::StatusOr<std::string> JoinTextParts(
    const std::vector<absl::string_view>& parts);

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_TH_TEXT_H_
