// adapters/text/zawgyi.cc
//
// The detector turns the pinned transition counts (zawgyi_model.inc) into
// one table of log-likelihood ratios, log P_zawgyi(to|from) -
// log P_unicode(to|from), with add-kSmoothing estimates so that a
// transition never seen in one encoding costs a large but finite amount
// instead of deciding the result alone. A string's log-odds is the sum of
// the ratios of its transitions; with equal priors,
// P(Zawgyi) = 1 / (1 + exp(-log-odds)).
#include "adapters/text/zawgyi.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/crypto/sha256.h"

namespace gw::text {
namespace model {

struct Transition {
  uint32_t from;  // a code point in U+1000-U+109F, or 0 for "other"
  uint32_t to;
  uint32_t unicode_count;
  uint32_t zawgyi_count;
};

#include "adapters/text/zawgyi_model.inc"

}  // namespace model

namespace {

constexpr UChar32 kFirstMyanmar = 0x1000;
constexpr UChar32 kLastMyanmar = 0x109F;
// Class 0 is every code point outside the block and both ends of a string.
constexpr int kClasses = 1 + (kLastMyanmar - kFirstMyanmar + 1);

int ClassOf(UChar32 c) {
  return (c >= kFirstMyanmar && c <= kLastMyanmar) ? 1 + (c - kFirstMyanmar)
                                                   : 0;
}

// Maps the .inc's code points to classes; 0 stays 0.
int ClassOfModelCodePoint(uint32_t c) {
  return c == 0 ? 0 : ClassOf(static_cast<UChar32>(c));
}

bool IsValidUtf8(absl::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  if (static_cast<size_t>(length) != utf8.size()) return false;
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

struct ZawgyiDetector::Model {
  // log P_zawgyi(to | from) - log P_unicode(to | from), [from][to].
  std::vector<double> log_ratio = std::vector<double>(kClasses * kClasses);
};

ZawgyiDetector::ZawgyiDetector() {
  std::vector<double> unicode(kClasses * kClasses, 0);
  std::vector<double> zawgyi(kClasses * kClasses, 0);
  // The version hashes a canonical text form of exactly what the detector
  // uses (smoothing and every nonzero cell), not the .inc's formatting.
  std::string canonical = absl::StrFormat(
      "gw-zawgyi-markov-v1 smoothing=%.17g\n", model::kSmoothing);
  for (const model::Transition& t : model::kTransitions) {
    const int from = ClassOfModelCodePoint(t.from);
    const int to = ClassOfModelCodePoint(t.to);
    unicode[from * kClasses + to] += t.unicode_count;
    zawgyi[from * kClasses + to] += t.zawgyi_count;
    absl::StrAppendFormat(&canonical, "%04X %04X %u %u\n", t.from, t.to,
                          t.unicode_count, t.zawgyi_count);
  }
  auto* built = new Model();
  for (int from = 0; from < kClasses; ++from) {
    double unicode_row = 0;
    double zawgyi_row = 0;
    for (int to = 0; to < kClasses; ++to) {
      unicode_row += unicode[from * kClasses + to];
      zawgyi_row += zawgyi[from * kClasses + to];
    }
    const double smoothing_total = model::kSmoothing * kClasses;
    for (int to = 0; to < kClasses; ++to) {
      const double p_unicode =
          (unicode[from * kClasses + to] + model::kSmoothing) /
          (unicode_row + smoothing_total);
      const double p_zawgyi =
          (zawgyi[from * kClasses + to] + model::kSmoothing) /
          (zawgyi_row + smoothing_total);
      built->log_ratio[from * kClasses + to] =
          std::log(p_zawgyi) - std::log(p_unicode);
    }
  }
  model_ = built;
  model_version_ = crypto::Sha256Hex(canonical);
}

const ZawgyiDetector& ZawgyiDetector::Default() {
  static const ZawgyiDetector* detector = new ZawgyiDetector();
  return *detector;
}

const std::string& ZawgyiDetector::model_version() const {
  return model_version_;
}

double ZawgyiDetector::Probability(absl::string_view utf8) const {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  if (static_cast<size_t>(length) != utf8.size()) return 0;
  double log_odds = 0;
  bool candidate = false;
  int prev = 0;
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return 0;
    const int cls = ClassOf(c);
    // Runs of non-Myanmar text are one "other" gap: mixed strings score as
    // their Burmese parts.
    if (prev != 0 || cls != 0) {
      log_odds += model_->log_ratio[prev * kClasses + cls];
    }
    candidate = candidate || cls != 0;
    prev = cls;
  }
  if (!candidate) return 0;
  if (prev != 0) log_odds += model_->log_ratio[prev * kClasses];
  // Logistic function, arranged so exp() never overflows.
  if (log_odds >= 0) return 1.0 / (1.0 + std::exp(-log_odds));
  const double e = std::exp(log_odds);
  return e / (1.0 + e);
}

bool HasMyanmarCodePoint(absl::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  if (static_cast<size_t>(length) != utf8.size()) return false;
  bool found = false;
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
    found = found || ClassOf(c) != 0;
  }
  return found;
}

absl::StatusOr<std::string> ZawgyiToUnicode(absl::string_view utf8) {
  if (!IsValidUtf8(utf8)) {
    return absl::InvalidArgumentError("text is not valid UTF-8");
  }
  // One prototype built on first use (building parses the CLDR rules);
  // each call transliterates with its own clone, so no ICU object is
  // shared mutably between threads.
  static const icu::Transliterator* const prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* t = icu::Transliterator::createInstance(
        "Zawgyi-my", UTRANS_FORWARD, status);
    if (U_FAILURE(status)) {
      delete t;
      return static_cast<icu::Transliterator*>(nullptr);
    }
    return t;
  }();
  if (prototype == nullptr) {
    return absl::InternalError("ICU has no Zawgyi-my transliterator");
  }
  std::unique_ptr<icu::Transliterator> transliterator(prototype->clone());
  if (transliterator == nullptr) {
    return absl::InternalError("cannot clone the Zawgyi-my transliterator");
  }
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  transliterator->transliterate(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU NFC unavailable: ", u_errorName(status)));
  }
  const icu::UnicodeString normalized = nfc->normalize(text, status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU NFC failed: ", u_errorName(status)));
  }
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

}  // namespace gw::text
