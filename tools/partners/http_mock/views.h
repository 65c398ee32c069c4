// tools/partners/http_mock/views.h
//
// Debian's Abseil has its own absl::string_view (not std::string_view), and
// the mock's interfaces use std::string_view like partner_format.h: Av()
// passes one to Abseil without a copy. Pure, header-only.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_VIEWS_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_VIEWS_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace gw::http_mock {

inline absl::string_view Av(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_VIEWS_H_
