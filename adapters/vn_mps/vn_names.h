// adapters/vn_mps/vn_names.h
//
// Vietnamese name order, VN-MPS.md §5.2. The canonical PersonName has
// `family` and `given` only; VN-MPS has họ (PersonSurName), tên đệm
// (PersonMiddleName) and tên (PersonGivenName).
//  * Outbound: for a person of nationality VNM whose `given` contains a
//    space (U+0020), the last space-separated word is the given name and
//    everything before it (trailing spaces removed) the middle name:
//    "Thị Thử" -> middle "Thị", given "Thử". Otherwise the given name is
//    `given` and there is no middle name.
//  * Inbound: `given` = middle + " " + given, or whichever is present.
// Inputs are already shaped by ShortText (vn_text.h): trimmed, no controls.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_VN_MPS_VN_NAMES_H_
#define GW_ADAPTERS_VN_MPS_VN_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gw::vn_mps {

inline constexpr char kVietNam[] = "VNM";

struct GivenParts {
  std::string middle;  // "" for none
  std::string given;   // "" for none
};

GivenParts SplitGiven(absl::string_view given, absl::string_view nationality);
std::string JoinGiven(absl::string_view middle, absl::string_view given);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_NAMES_H_
