// adapters/reason_text.h
//
// OneLineReason: partner-supplied text (an NK's REASON_TEXT, an .ack's
// error_text, a gRPC status message) made safe for a delivery's one-line
// reason: control characters become spaces, and it is cut to `max_bytes`
// without splitting a UTF-8 sequence.
#ifndef GW_ADAPTERS_REASON_TEXT_H_
#define GW_ADAPTERS_REASON_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace gw::adapters {

inline std::string OneLineReason(absl::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    text = text.substr(0, end);
  }
  std::string out(text);
  for (char& c : out) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_REASON_TEXT_H_
