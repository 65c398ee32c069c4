// gateway/api/partner_inbound.cc
#include "gateway/api/partner_inbound.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/uuid.h"

namespace gw::api {
namespace {

// As Pipeline::AcceptInbound audits messages of partner links.
constexpr char kReceiveAction[] = "PartnerLink.Receive";

}  // namespace

PartnerInbound::PartnerInbound(std::string partner_agency,
                               adapters::Adapter* link,
                               ingest::Pipeline* pipeline)
    : partner_agency_(std::move(partner_agency)),
      link_(link),
      pipeline_(pipeline) {}

void PartnerInbound::Receive(
    const std::string& sender_agency, adapters::PartnerMessage received,
    std::function<void(adapters::InboundAnswer)> answer) {
  identity::Principal caller;
  caller.agency = sender_agency;
  caller.role = "gateway";
  caller.user = absl::StrCat(partner_agency_, " link");
  auto refuse = [&](absl::Status status) {
    ingest::AuditFacts facts{
        kReceiveAction, {}, crypto::Sha256Hex(received.bytes)};
    if (util::IsLowercaseUuid(received.message_id))
      facts.object_ids.push_back("message:" + received.message_id);
    if (ingest::ReasonOf(status).empty()) {
      status = ingest::WithReason(std::move(status), absl::IsUnavailable(status)
                                                         ? "UNAVAILABLE"
                                                         : "FIELD_INVALID");
    }
    pipeline_->AuditRefusal(caller, std::move(facts), std::move(status),
                            [answer](absl::Status s) {
                              adapters::InboundAnswer refusal;
                              refusal.status = std::move(s);
                              answer(std::move(refusal));
                            });
  };

  if (sender_agency != partner_agency_) {
    // The transport authenticated another agency on this partner's link.
    return refuse(ingest::WithReason(
        absl::PermissionDeniedError(absl::StrCat(
            "sender: ", sender_agency, " on the link of ", partner_agency_)),
        "AUTHOR_AGENCY_MISMATCH"));
  }
  auto inbound = link_->codec().Decode(sender_agency, received);
  if (!inbound.ok()) return refuse(inbound.status());
  pipeline_->AcceptInbound(
      caller, *std::move(inbound),
      [answer](absl::StatusOr<ingest::InboundAccepted> result) {
        adapters::InboundAnswer out;
        if (!result.ok()) {
          out.status = result.status();
        } else {
          out.receipt = std::move(result->receipt);
          out.duplicate = result->duplicate;
        }
        answer(std::move(out));
      });
}

}  // namespace gw::api
