#include "adapters/registry.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gw::adapters {

absl::Status AdapterRegistry::Register(
    std::unique_ptr<AdapterFactory> factory) {
  const std::string name = factory->name();
  if (!factories_.emplace(name, std::move(factory)).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("adapter ", name, " is registered twice"));
  }
  return absl::OkStatus();
}

const AdapterFactory* AdapterRegistry::Find(const std::string& name) const {
  auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : it->second.get();
}

std::vector<std::string> AdapterRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [name, factory] : factories_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

absl::Status AdapterRegistry::CheckLink(
    const gw::policy::v1::PolicySet& set,
    const gw::policy::v1::PartnerLink& link) const {
  const std::string where = absl::StrCat("partners[", link.agency(), "]");
  const bool known = std::any_of(set.agencies().begin(), set.agencies().end(),
                                 [&](const gw::policy::v1::Agency& a) {
                                   return a.code() == link.agency();
                                 });
  if (!known) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".agency: not an agency of the policy set"));
  }
  const AdapterFactory* factory = Find(link.adapter());
  if (factory == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".adapter: unknown adapter \"", link.adapter(),
                     "\"; this gatewayd has: ", absl::StrJoin(Names(), ", ")));
  }
  std::string type = link.settings().type_url();
  if (auto slash = type.rfind('/'); slash != std::string::npos)
    type = type.substr(slash + 1);
  if (type != factory->settings_type()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".settings: adapter ", link.adapter(),
                     " takes [type.googleapis.com/", factory->settings_type(),
                     "] { ... }, not ", type.empty() ? "nothing" : type));
  }
  return absl::OkStatus();
}

}  // namespace gw::adapters
