// adapters/kh_cnp/kh_names.cc
//
// See kh_names.h.
#include "adapters/kh_cnp/kh_names.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/kh_cnp/kh_format.h"
#include "adapters/kh_cnp/kh_text.h"
#include "adapters/text/normalize.h"
#include "adapters/text/romanize.h"

namespace gw::kh_cnp {
namespace {

// The romanization of one name part; "" for an empty part; nullopt when it
// cannot be romanized.
std::optional<std::string> Romanize(std::string part, text::NamePart which) {
  RemoveZeroWidth(&part);
  absl::StatusOr<std::string> nfc = text::ToNfc(part);
  if (!nfc.ok()) return std::nullopt;
  const std::string trimmed(absl::StripAsciiWhitespace(*nfc));
  if (trimmed.empty()) return std::string();
  absl::StatusOr<std::string> latin =
      text::RomanizeName("Khmr", trimmed, which);
  if (!latin.ok()) return std::nullopt;
  // Words separated by single spaces.
  std::vector<std::string> words =
      absl::StrSplit(*latin, ' ', absl::SkipWhitespace());
  return absl::StrJoin(words, " ");
}

}  // namespace

std::optional<gw::v1::PersonName> GeneratedLatinName(
    const gw::v1::Person& person) {
  const gw::v1::PersonName* khmer = nullptr;
  for (const gw::v1::PersonName& name : person.names()) {
    if (name.script() == "Latn") return std::nullopt;
    if (name.script() == "Khmr" && khmer == nullptr) khmer = &name;
  }
  if (khmer == nullptr || person.names_size() >= kMaxNames) {
    return std::nullopt;
  }
  gw::v1::PersonName latin;
  latin.set_script("Latn");
  const std::optional<std::string> family =
      Romanize(khmer->family(), text::NamePart::kFamily);
  const std::optional<std::string> given =
      Romanize(khmer->given(), text::NamePart::kGiven);
  if (!family.has_value() || !given.has_value()) return std::nullopt;
  if (!family->empty() || !given->empty()) {
    latin.set_family(absl::AsciiStrToUpper(*family));
    latin.set_given(*given);
    std::vector<std::string> parts;
    if (!latin.family().empty()) parts.push_back(latin.family());
    if (!latin.given().empty()) parts.push_back(latin.given());
    latin.set_full(absl::StrJoin(parts, " "));
    return latin;
  }
  const std::optional<std::string> full =
      Romanize(khmer->full(), text::NamePart::kFull);
  if (!full.has_value() || full->empty()) return std::nullopt;
  std::vector<std::string> words = absl::StrSplit(*full, ' ');
  words[0] = absl::AsciiStrToUpper(words[0]);
  latin.set_full(absl::StrJoin(words, " "));
  return latin;
}

}  // namespace gw::kh_cnp
