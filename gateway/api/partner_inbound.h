// gateway/api/partner_inbound.h
//
// PartnerInbound takes the messages a partner link's transport receives
// (a TH-RTP frame on the gateway's TLS endpoint, an LA-MPS file in the
// inbox; adapters/adapter.h InboundReceiver) into the one ingest pipeline,
// exactly as PartnerExchangeService does for gRPC peers:
//   adapter codec Decode -> Pipeline::AcceptInbound -> InboundAnswer,
// which the transport turns into the partner's own acknowledgement or
// refusal (AnswerEncoder).
//
// The caller is the link's partner agency in role `gateway`: the transport
// has authenticated it (the TLS peer certificate's O=, or the link
// directory that only the partner writes), and the codec has verified its
// link signature. A message that names another sender, or that Decode
// refuses, is audited as a refusal before it is answered.
// Thread safety: Receive may be called concurrently from any thread.
#ifndef GW_API_PARTNER_INBOUND_H_
#define GW_API_PARTNER_INBOUND_H_

#include <functional>
#include <string>

#include "adapters/adapter.h"
#include "gateway/ingest/pipeline.h"

namespace gw::api {

class PartnerInbound : public adapters::InboundReceiver {
 public:
  // `link` and `pipeline` are not owned and must outlive this receiver.
  PartnerInbound(std::string partner_agency, adapters::Adapter* link,
                 ingest::Pipeline* pipeline);

  void Receive(const std::string& sender_agency,
               adapters::PartnerMessage received,
               std::function<void(adapters::InboundAnswer)> answer) override;

 private:
  const std::string partner_agency_;
  adapters::Adapter* const link_;
  ingest::Pipeline* const pipeline_;
};

}  // namespace gw::api

#endif  // GW_API_PARTNER_INBOUND_H_
