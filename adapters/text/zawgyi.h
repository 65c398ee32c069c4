// adapters/text/zawgyi.h
//
// Zawgyi detection and conversion for Burmese text (MM-MPF.md §5.2-§5.5).
//
// ZawgyiDetector is the gateway's own statistical detector: a Markov chain
// over Myanmar-block code points (U+1000-U+109F, one extra class for every
// other code point) that gives P(Zawgyi | the text is Zawgyi or Unicode).
// Non-Myanmar characters are ignored, so mixed strings work. The model is
// trained by the project (tools/zawgyi-train) from Unicode Burmese text and
// its Zawgyi rendering made with ICU's `my-Zawgyi`, and pinned in the
// source tree (adapters/text/zawgyi_model.inc); model_version() names it for
// the audit log. Rule-based detection is never used (MM-MPF.md §5.4).
//
// ZawgyiToUnicode passes a whole string through ICU `Zawgyi-my` and then
// NFC. It must only be applied to strings the detector selected: the
// transform is not idempotent and corrupts Unicode text (§5.5).
//
// Thread safety: the detector is immutable; ZawgyiToUnicode may be called
// concurrently.
#ifndef GW_ADAPTERS_TEXT_ZAWGYI_H_
#define GW_ADAPTERS_TEXT_ZAWGYI_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::text {

// The decision thresholds of MM-MPF.md §5.4.
inline constexpr double kZawgyiConvertAt = 0.95;
inline constexpr double kZawgyiUnicodeAt = 0.05;

// True if `utf8` has at least one code point in U+1000-U+109F (a
// "candidate", §5.3). Invalid UTF-8 is not a candidate.
bool HasMyanmarCodePoint(absl::string_view utf8);

class ZawgyiDetector {
 public:
  // The pinned model compiled into the gateway.
  static const ZawgyiDetector& Default();

  // P(Zawgyi) in [0, 1] for a candidate string; 0 for a string with no
  // Myanmar code point (never Zawgyi) and for invalid UTF-8.
  double Probability(absl::string_view utf8) const;

  // Identifies the pinned model: lowercase hex SHA-256 of its tables.
  const std::string& model_version() const;

 private:
  ZawgyiDetector();
  struct Model;
  const Model* model_;  // built once by the constructor, never freed
  std::string model_version_;
};

// `utf8` (Zawgyi) converted to Unicode NFC with ICU "Zawgyi-my".
// INVALID_ARGUMENT for invalid UTF-8; INTERNAL if ICU lacks the transform.
absl::StatusOr<std::string> ZawgyiToUnicode(absl::string_view utf8);

}  // namespace gw::text

#endif  // GW_ADAPTERS_TEXT_ZAWGYI_H_
