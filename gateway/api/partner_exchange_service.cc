#include "gateway/api/partner_exchange_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/api/status_conversion.h"
#include "gateway/ingest/error_reason.h"
#include "google/rpc/status.pb.h"

namespace gw::api {
namespace {

constexpr char kDeliverRpc[] = "gw.v1.PartnerExchange/Deliver";
constexpr char kErrorDomain[] = "gw.v1.PartnerExchange";
// Where codecs put a google.rpc.ErrorInfo on an absl::Status (the type URL
// of the message, as adapters/mm_mpf/mm_mpf_codec.h does).
constexpr char kErrorInfoTypeUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";

// "payload.recipients[2]: ..." names its field before the first ": ".
std::string FieldOf(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos) return "";
  absl::string_view field = message.substr(0, colon);
  if (field.find(' ') != absl::string_view::npos) return "";
  return std::string(field);
}

std::string MessageIdOf(const grpc::CallbackServerContext& context) {
  auto it = context.client_metadata().find("gw-message-id");
  if (it == context.client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// The MM-MPF.md §8 reason for a codec's refusal, from the field it names.
std::string DecodeReason(const absl::Status& status) {
  if (std::string reason = ingest::ReasonOf(status); !reason.empty())
    return reason;
  // A codec may state the reason as a google.rpc.ErrorInfo payload.
  if (auto payload = status.GetPayload(kErrorInfoTypeUrl);
      payload.has_value()) {
    google::rpc::ErrorInfo info;
    if (info.ParseFromString(std::string(*payload)) && !info.reason().empty())
      return info.reason();
  }
  const std::string field = FieldOf(status.message());
  if (field == "gw-message-id") return "MISSING_MESSAGE_ID";
  if (field == "envelope.payload_type") return "UNKNOWN_PAYLOAD_TYPE";
  if (field == "envelope.payload") return "PAYLOAD_UNPARSEABLE";
  return "FIELD_INVALID";
}

}  // namespace

grpc::Status PartnerExchangeStatus(const absl::Status& status,
                                   const std::string& message_id) {
  const grpc::Status plain = ToGrpcStatus(status);
  if (status.ok()) return plain;
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(plain.error_message());
  google::rpc::ErrorInfo info;
  std::string reason = ingest::ReasonOf(status);
  if (reason.empty()) {
    reason = absl::StrCat(absl::StatusCodeToString(status.code()));
  }
  info.set_reason(reason);
  info.set_domain(kErrorDomain);
  if (!message_id.empty() && message_id.size() <= 64)
    (*info.mutable_metadata())["message_id"] = message_id;
  details.add_details()->PackFrom(info);
  if (std::string field = FieldOf(status.message()); !field.empty()) {
    google::rpc::BadRequest bad;
    auto* violation = bad.add_field_violations();
    violation->set_field(field);
    violation->set_description(plain.error_message());
    details.add_details()->PackFrom(bad);
  }
  return grpc::Status(plain.error_code(), plain.error_message(),
                      details.SerializeAsString());
}

grpc::ServerUnaryReactor* PartnerExchangeService::Deliver(
    grpc::CallbackServerContext* context, const gw::v1::Envelope* envelope,
    gw::v1::Receipt* receipt) {
  auto* reactor = context->DefaultReactor();
  const std::string message_id = MessageIdOf(*context);
  auto caller = gate_->Admit(
      *context, kDeliverRpc,
      [reactor, message_id](const grpc::Status& s) { reactor->Finish(s); });
  if (!caller) return reactor;

  auto finish = [reactor, message_id](const absl::Status& status) {
    reactor->Finish(PartnerExchangeStatus(status, message_id));
  };
  adapters::Adapter* link = link_for_(caller->agency);
  ingest::Pipeline* pipeline = gate_->pipeline();
  if (link == nullptr) {
    pipeline->AuditRefusal(
        *caller, {"PartnerExchange.Deliver", {}, ""},
        ingest::WithReason(absl::PermissionDeniedError(absl::StrCat(
                               "caller: no partner link is configured for ",
                               caller->agency, " at this gateway")),
                           "NOT_A_RECIPIENT"),
        finish);
    return reactor;
  }
  if (link->answer_encoder() != nullptr) {
    // The agency's link answers in its own format (TH-RTP frames, LA-MPS
    // files): its messages come through that link's transport, never as
    // gw.v1 envelopes here.
    pipeline->AuditRefusal(
        *caller, {"PartnerExchange.Deliver", {}, ""},
        ingest::WithReason(
            absl::PermissionDeniedError(absl::StrCat(
                "caller: ", caller->agency,
                " delivers through its own partner link, not PartnerExchange")),
            "NOT_A_RECIPIENT"),
        finish);
    return reactor;
  }
  adapters::PartnerMessage received;
  received.message_id = message_id;
  received.content_type = "application/vnd.gw.v1.Envelope+proto";
  received.bytes = envelope->SerializeAsString();
  auto inbound = link->codec().Decode(caller->agency, received);
  if (!inbound.ok()) {
    pipeline->AuditRefusal(
        *caller, {"PartnerExchange.Deliver", {}, ""},
        ingest::WithReason(inbound.status(), DecodeReason(inbound.status())),
        finish);
    return reactor;
  }
  pipeline->AcceptInbound(*caller, *std::move(inbound),
                          [reactor, receipt, finish](
                              absl::StatusOr<ingest::InboundAccepted> result) {
                            if (!result.ok()) return finish(result.status());
                            *receipt = std::move(result->receipt);
                            reactor->Finish(grpc::Status::OK);
                          });
  return reactor;
}

}  // namespace gw::api
