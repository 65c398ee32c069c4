// Every adapter built into this gatewayd, one line each. A new partner is a
// new folder under adapters/, one line here and a `partners` entry in
// policies/; nothing else in the gateway changes.
#include "adapters/kh_cnp/kh_cnp_adapter.h"
#include "adapters/la_mps/la_mps_adapter.h"
#include "adapters/mm_mpf/mm_mpf_adapter.h"
#include "adapters/registry.h"
#include "adapters/th_rtp/th_rtp_adapter.h"
#include "adapters/vn_mps/vn_mps_adapter.h"

namespace gw::adapters {

void RegisterBuiltinAdapters(AdapterRegistry* registry) {
  // Names are unique by construction here, so Register cannot fail.
  (void)registry->Register(mm_mpf::NewMmMpfAdapterFactory());
  (void)registry->Register(th_rtp::NewThRtpAdapterFactory());
  (void)registry->Register(la_mps::NewLaMpsAdapterFactory());
  (void)registry->Register(kh_cnp::NewKhCnpAdapterFactory());
  (void)registry->Register(vn_mps::NewVnMpsAdapterFactory());
}

}  // namespace gw::adapters
