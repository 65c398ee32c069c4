// Every adapter built into this gatewayd, one line each. A new partner is a
// new folder under adapters/, one line here and a `partners` entry in
// policies/; nothing else in the gateway changes.
#include "adapters/mm_mpf/mm_mpf_adapter.h"
#include "adapters/registry.h"

namespace gw::adapters {

void RegisterBuiltinAdapters(AdapterRegistry* registry) {
  // Names are unique by construction here, so Register cannot fail.
  (void)registry->Register(mm_mpf::NewMmMpfAdapterFactory());
}

}  // namespace gw::adapters
