// gateway/util/uuid.h
//
// UUIDs in lowercase canonical text form, as message ids (partners/README.md
// §2.1): new random (version 4) ones from OpenSSL's CSPRNG, and the check
// every link applies to the ids it receives. Safe from any thread.
#ifndef GW_UTIL_UUID_H_
#define GW_UTIL_UUID_H_

#include <openssl/rand.h>

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace gw::util {

// Whether `id` matches
// ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ (any
// version, README §2.1).
inline bool IsLowercaseUuid(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

inline std::string NewUuidV4() {
  uint8_t b[16];
  if (RAND_bytes(b, sizeof(b)) != 1) {
    // The CSPRNG cannot fail once seeded on Linux; if it ever does, an id
    // must still never repeat, so abort rather than use weak bytes.
    abort();
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

}  // namespace gw::util

#endif  // GW_UTIL_UUID_H_
