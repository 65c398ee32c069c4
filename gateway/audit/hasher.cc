// gateway/audit/hasher.cc
#include "gateway/audit/hasher.h"

#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/crypto/sha256.h"

namespace gw::audit {

std::string HashLeaf(absl::string_view leaf_data) {
  std::string input;
  input.reserve(1 + leaf_data.size());
  input.push_back(kLeafHashPrefix);
  input.append(leaf_data.data(), leaf_data.size());
  return crypto::Sha256(input);
}

std::string HashChildren(absl::string_view left, absl::string_view right) {
  // Children are 32 bytes each, so the input fits a fixed buffer: no heap
  // allocation besides the result (this runs once per append on average).
  char buffer[1 + 2 * kHashSize];
  if (left.size() == kHashSize && right.size() == kHashSize) {
    buffer[0] = kNodeHashPrefix;
    std::memcpy(buffer + 1, left.data(), kHashSize);
    std::memcpy(buffer + 1 + kHashSize, right.data(), kHashSize);
    return crypto::Sha256(absl::string_view(buffer, sizeof(buffer)));
  }
  std::string input;
  input.reserve(1 + left.size() + right.size());
  input.push_back(kNodeHashPrefix);
  input.append(left.data(), left.size());
  input.append(right.data(), right.size());
  return crypto::Sha256(input);
}

const std::string& EmptyRoot() {
  static const std::string* const kEmptyRoot =
      new std::string(crypto::Sha256(""));
  return *kEmptyRoot;
}

}  // namespace gw::audit
