// gateway/api/partner_exchange_service.h
//
// PartnerExchange.Deliver (CONTRACT.md §4, partners/MM-MPF.md): a peer
// gateway delivers one envelope. The caller is admitted like any other
// (mutual TLS, role `gateway`, policy), the envelope goes through the
// caller's adapter codec (message id, payload type, Zawgyi conversion) and
// then the one ingest pipeline (Pipeline::AcceptInbound). The answer is this
// gateway's signed Receipt, or a status whose google.rpc.Status details
// (grpc-status-details-bin) carry ErrorInfo {reason, domain
// "gw.v1.PartnerExchange", metadata message_id} and, for a field error,
// BadRequest with the field path (MM-MPF.md §8).
// Ownership: pointers are not owned and must outlive the service.
#ifndef GW_API_PARTNER_EXCHANGE_SERVICE_H_
#define GW_API_PARTNER_EXCHANGE_SERVICE_H_

#include <functional>
#include <string>

#include "adapters/adapter.h"
#include "gateway/api/gatekeeper.h"
#include "gw/v1/receipt.grpc.pb.h"

namespace gw::api {

// The google.rpc.Status details of MM-MPF.md §8 for a refusal of message
// `message_id` (exposed for tests).
grpc::Status PartnerExchangeStatus(const absl::Status& status,
                                   const std::string& message_id);

class PartnerExchangeService final
    : public gw::v1::PartnerExchange::CallbackService {
 public:
  // `link_for` returns the adapter of a partner agency, or nullptr.
  using LinkLookup = std::function<adapters::Adapter*(const std::string&)>;

  PartnerExchangeService(const Gatekeeper* gate, LinkLookup link_for)
      : gate_(gate), link_for_(std::move(link_for)) {}

  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const gw::v1::Envelope* envelope,
                                    gw::v1::Receipt* receipt) override;

 private:
  const Gatekeeper* const gate_;  // not owned
  const LinkLookup link_for_;
};

}  // namespace gw::api

#endif  // GW_API_PARTNER_EXCHANGE_SERVICE_H_
