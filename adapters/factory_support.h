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

#include <memory>
#include <string>
#include <utility>
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

// The Adapter of a link whose codec also answers in the partner's format
// and supplies the transport's hooks (TH-RTP, LA-MPS): it owns both, and
// stops the transport before the codec it calls into is destroyed. Built in
// two steps because the transport is created with the codec's address.
template <typename CodecT, typename TransportT>
class LinkAdapter : public Adapter {
 public:
  LinkAdapter(std::unique_ptr<CodecT> codec, int max_in_flight)
      : codec_(std::move(codec)), max_in_flight_(max_in_flight) {}
  ~LinkAdapter() override {
    if (transport_ != nullptr) transport_->Stop();
  }
  void set_transport(std::unique_ptr<TransportT> transport) {
    transport_ = std::move(transport);
  }
  const CodecT& link_codec() const { return *codec_; }

  const Codec& codec() const override { return *codec_; }
  Transport& transport() override { return *transport_; }
  int max_in_flight() const override { return max_in_flight_; }
  const AnswerEncoder* answer_encoder() const override { return codec_.get(); }

 private:
  std::unique_ptr<CodecT> codec_;
  std::unique_ptr<TransportT> transport_;  // stopped before codec_ dies
  const int max_in_flight_;
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_FACTORY_SUPPORT_H_
