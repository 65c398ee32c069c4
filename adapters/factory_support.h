// adapters/factory_support.h
//
// What every AdapterFactory::Create checks first, in one place so that each
// adapter refuses a bad policy entry with the same words:
//  * UnpackSettings: the entry's settings are of the factory's type.
//  * RegisteredPartnerKeys: the partner has at least one registered
//    message-signing key; without one, its acknowledgements could never be
//    verified (partners/README.md §2.3, §2.6).
// Errors are INVALID_ARGUMENT naming the field.
#ifndef GW_ADAPTERS_FACTORY_SUPPORT_H_
#define GW_ADAPTERS_FACTORY_SUPPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "adapters/registry.h"

namespace gw::adapters {

// `link.settings` as a `Settings` message, whose full name is `type`.
template <typename Settings>
absl::StatusOr<Settings> UnpackSettings(const gw::policy::v1::PartnerLink& link,
                                        const char* type) {
  Settings settings;
  if (!link.settings().template Is<Settings>() ||
      !link.settings().UnpackTo(&settings)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "settings: want a ", type, " (type.googleapis.com/", type, ")"));
  }
  return settings;
}

// The non-null keys of `context.partner_keys`; INVALID_ARGUMENT if none.
inline absl::StatusOr<std::vector<const crypto::Verifier*>>
RegisteredPartnerKeys(const AdapterContext& context,
                      const std::string& agency) {
  std::vector<const crypto::Verifier*> keys;
  for (const crypto::Verifier* key : context.partner_keys) {
    if (key != nullptr) keys.push_back(key);
  }
  if (keys.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "partner_keys: no message-signing key registered to ", agency,
        " (trust.signing_cert_files); its acknowledgements could never be "
        "verified"));
  }
  return keys;
}

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_FACTORY_SUPPORT_H_
