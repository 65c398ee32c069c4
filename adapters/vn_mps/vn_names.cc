// adapters/vn_mps/vn_names.cc
//
// See vn_names.h for the contract.
#include "adapters/vn_mps/vn_names.h"

#include "absl/strings/str_cat.h"

namespace gw::vn_mps {

GivenParts SplitGiven(absl::string_view given, absl::string_view nationality) {
  GivenParts parts;
  const size_t space = given.rfind(' ');
  if (nationality != kVietNam || space == absl::string_view::npos) {
    parts.given = std::string(given);
    return parts;
  }
  absl::string_view middle = given.substr(0, space);
  while (!middle.empty() && middle.back() == ' ') middle.remove_suffix(1);
  parts.middle = std::string(middle);
  parts.given = std::string(given.substr(space + 1));
  return parts;
}

std::string JoinGiven(absl::string_view middle, absl::string_view given) {
  if (middle.empty()) return std::string(given);
  if (given.empty()) return std::string(middle);
  return absl::StrCat(middle, " ", given);
}

}  // namespace gw::vn_mps
