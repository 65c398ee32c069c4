// adapters/mm_mpf/mm_mpf_codec.cc
//
// See mm_mpf_codec.h for the contract.
#include "adapters/mm_mpf/mm_mpf_codec.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/mm_mpf/zawgyi_fields.h"
#include "adapters/reason_text.h"
#include "gateway/audit/receipt.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/deterministic_proto.h"
#include "gateway/util/payload_types.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::mm_mpf {

namespace {

using adapters::DeliveryOutcome;
using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;

// Longest piece of partner-supplied text copied into a reason line.
constexpr size_t kMaxReasonText = 500;

std::string OneLine(absl::string_view text, size_t max = kMaxReasonText) {
  return adapters::OneLineReason(text, max);
}

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

const std::string* FindMetadata(const adapters::Metadata& metadata,
                                absl::string_view key) {
  for (const auto& [k, v] : metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

// The outbound Zawgyi warnings of the envelope's payload (MM-MPF.md §5.7).
// A payload that cannot be examined gives none: warnings never block.
std::vector<gw::v1::ReceiptWarning> OutboundWarnings(
    const gw::v1::Envelope& envelope) {
  const google::protobuf::Message* prototype =
      PayloadPrototype(envelope.payload_type());
  if (prototype == nullptr) return {};
  std::unique_ptr<google::protobuf::Message> payload(prototype->New());
  if (!payload->ParseFromString(envelope.payload())) return {};
  absl::StatusOr<ZawgyiReport> report = DetectOutboundZawgyi(*payload);
  if (!report.ok()) return {};
  return std::move(report->warnings);
}

// An inbound refusal of MM-MPF.md §8: INVALID_ARGUMENT with `text`, and the
// ErrorInfo (and BadRequest naming `field`) as status payloads.
absl::Status Refusal(absl::string_view reason, absl::string_view field,
                     absl::string_view text, absl::string_view message_id) {
  absl::Status status = absl::InvalidArgumentError(text);
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(kErrorDomain);
  if (!message_id.empty()) {
    (*info.mutable_metadata())["message_id"] = std::string(message_id);
  }
  status.SetPayload(kErrorInfoTypeUrl,
                    absl::Cord(util::SerializeDeterministic(info)));
  if (!field.empty()) {
    google::rpc::BadRequest bad_request;
    google::rpc::BadRequest::FieldViolation* violation =
        bad_request.add_field_violations();
    violation->set_field(std::string(field));
    // The description repeats the text after "<field>: ".
    absl::string_view description = text;
    const std::string prefix = absl::StrCat(field, ": ");
    if (absl::StartsWith(description, prefix)) {
      description.remove_prefix(prefix.size());
    }
    violation->set_description(std::string(description));
    status.SetPayload(kBadRequestTypeUrl,
                      absl::Cord(util::SerializeDeterministic(bad_request)));
  }
  return status;
}

// What a refusal's google.rpc.Status says, for the reason line.
struct RefusalDetails {
  std::string reason;  // ErrorInfo.reason
  std::string field;   // first BadRequest field violation
};

RefusalDetails ParseDetails(const std::string* details_bytes) {
  RefusalDetails out;
  if (details_bytes == nullptr) return out;
  google::rpc::Status status;
  if (!status.ParseFromString(*details_bytes)) return out;
  for (const google::protobuf::Any& detail : status.details()) {
    if (out.reason.empty() && detail.Is<google::rpc::ErrorInfo>()) {
      google::rpc::ErrorInfo info;
      if (detail.UnpackTo(&info)) out.reason = OneLine(info.reason(), 100);
    } else if (out.field.empty() && detail.Is<google::rpc::BadRequest>()) {
      google::rpc::BadRequest bad_request;
      if (detail.UnpackTo(&bad_request) &&
          bad_request.field_violations_size() > 0) {
        out.field = OneLine(bad_request.field_violations(0).field(), 200);
      }
    }
  }
  return out;
}

bool IsPermanent(absl::StatusCode code, const RefusalDetails& details) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
      return true;
    case absl::StatusCode::kUnauthenticated:
      // A signature the peer judged invalid will not become valid on a
      // retry; any other UNAUTHENTICATED (e.g. the peer does not know our
      // TLS certificate yet) may heal (README §2.6).
      return details.reason == "SIGNATURE_INVALID";
    default:
      return false;
  }
}

}  // namespace

bool IsCanonicalMessageId(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

const google::protobuf::Message* PayloadPrototype(
    absl::string_view payload_type) {
  static const auto* const kTypes =
      new absl::flat_hash_map<std::string, const google::protobuf::Message*>{
          {util::kCaseAlertPayloadType, &gw::v1::CaseAlert::default_instance()},
          {util::kRepatriationRequestPayloadType,
           &gw::v1::RepatriationRequest::default_instance()},
          {util::kRepatriationRecordPayloadType,
           &gw::v1::RepatriationRecord::default_instance()},
          {util::kCaseStatusPayloadType,
           &gw::v1::CaseStatus::default_instance()},
      };
  auto it = kTypes->find(payload_type);
  return it == kTypes->end() ? nullptr : it->second;
}

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status out;
  out.set_code(status.raw_code());
  out.set_message(std::string(status.message()));
  status.ForEachPayload(
      [&out](absl::string_view type_url, const absl::Cord& payload) {
        if (!absl::StartsWith(type_url, "type.googleapis.com/")) return;
        google::protobuf::Any* detail = out.add_details();
        detail->set_type_url(std::string(type_url));
        detail->set_value(std::string(payload));
      });
  return out;
}

MmMpfCodec::MmMpfCodec(std::string partner_agency,
                       std::vector<const crypto::Verifier*> partner_keys)
    : partner_agency_(std::move(partner_agency)),
      partner_keys_(std::move(partner_keys)) {}

absl::StatusOr<PartnerMessage> MmMpfCodec::Encode(
    const OutboundMessage& message) const {
  if (!IsCanonicalMessageId(message.message_id)) {
    return absl::InvalidArgumentError(
        "message_id: not a lowercase canonical UUID (partners/README.md "
        "§2.1)");
  }
  if (message.envelope.signatures_size() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "envelope.signatures: ", message.envelope.signatures_size(),
        " signatures, want 2: the author's, then this gateway's (MM-MPF.md "
        "§6)"));
  }
  if (PayloadPrototype(message.envelope.payload_type()) == nullptr) {
    return absl::InvalidArgumentError(
        "envelope.payload_type: not a payload type of the MM-MPF link "
        "(MM-MPF.md §3)");
  }
  PartnerMessage out;
  out.bytes = util::SerializeDeterministic(message.envelope);
  if (out.bytes.size() > kMaxMessageBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("envelope: ", out.bytes.size(),
                     " bytes, over the 16 MiB limit of the MM-MPF link "
                     "(MM-MPF.md §9)"));
  }
  out.message_id = message.message_id;
  out.content_type = kEnvelopeContentType;
  out.metadata.emplace_back(kMessageIdMetadata, message.message_id);
  return out;
}

DeliveryOutcome MmMpfCodec::ReadAnswer(const OutboundMessage& message,
                                       const PartnerMessage& /*sent*/,
                                       const PartnerAnswer& answer) const {
  DeliveryOutcome outcome =
      answer.status.ok() ? ReadReceipt(message, answer) : ReadRefusal(answer);
  outcome.warnings = OutboundWarnings(message.envelope);
  return outcome;
}

DeliveryOutcome MmMpfCodec::ReadReceipt(const OutboundMessage& message,
                                        const PartnerAnswer& answer) const {
  gw::v1::Receipt receipt;
  if (answer.bytes.empty() || !receipt.ParseFromString(answer.bytes)) {
    return DeliveryOutcome::Transient(
        "OK without a receipt: the answer does not parse as gw.v1.Receipt");
  }
  const crypto::Verifier* key = nullptr;
  for (const crypto::Verifier* candidate : partner_keys_) {
    if (candidate != nullptr &&
        candidate->key_id_hex() == receipt.signature().keyid()) {
      key = candidate;
      break;
    }
  }
  if (key == nullptr) {
    // Transient on purpose (README §2.6): the key may be registered later;
    // the operator alarm of README §2.4 catches a key that never is.
    const std::string& keyid = receipt.signature().keyid();
    return DeliveryOutcome::Transient(absl::StrCat(
        "receipt signed by an unregistered key",
        keyid.size() == 64 && IsLowerHex(keyid)
            ? absl::StrCat(" (receipt.signature.keyid ", keyid, ")")
            : std::string(" (receipt.signature.keyid malformed)"),
        ": not a signing key of ", partner_agency_));
  }
  const absl::Status verified = audit::VerifyReceipt(receipt, *key);
  if (!verified.ok()) {
    return DeliveryOutcome::Transient(absl::StrCat(
        "receipt does not verify: ", absl::StatusCodeToString(verified.code()),
        " ", OneLine(verified.message())));
  }
  if (receipt.message_id() != message.message_id) {
    return DeliveryOutcome::Transient(
        "receipt.message_id: names another message than the gw-message-id "
        "sent");
  }
  if (receipt.recipient() != partner_agency_) {
    return DeliveryOutcome::Transient(
        absl::StrCat("receipt.recipient: not ", partner_agency_));
  }
  if (receipt.status() != gw::v1::Receipt::ACCEPTED) {
    return DeliveryOutcome::Transient(absl::StrCat(
        "receipt.status: ", gw::v1::Receipt::Status_Name(receipt.status()),
        ", want ACCEPTED"));
  }
  if (receipt.payload_sha256() !=
      crypto::Sha256Hex(message.envelope.payload())) {
    // Validly signed, for this message, but for other bytes: not delivered,
    // and retrying the same bytes cannot fix it (README §2.3).
    return DeliveryOutcome::Permanent(
        "ACK_DIGEST_MISMATCH receipt.payload_sha256: the peer acknowledged "
        "other payload bytes than were sent",
        answer.bytes);
  }
  return DeliveryOutcome::Delivered(std::move(receipt), answer.bytes);
}

DeliveryOutcome MmMpfCodec::ReadRefusal(const PartnerAnswer& answer) const {
  const std::string* details_bytes =
      FindMetadata(answer.metadata, kStatusDetailsMetadata);
  const RefusalDetails details = ParseDetails(details_bytes);
  std::vector<std::string> head = {
      absl::StatusCodeToString(answer.status.code())};
  if (!details.reason.empty()) head.push_back(details.reason);
  if (!details.field.empty()) head.push_back(details.field);
  const std::string reason = absl::StrCat(absl::StrJoin(head, " "), ": ",
                                          OneLine(answer.status.message()));
  if (IsPermanent(answer.status.code(), details)) {
    return DeliveryOutcome::Permanent(
        reason, details_bytes != nullptr ? *details_bytes : std::string());
  }
  return DeliveryOutcome::Transient(reason);
}

absl::StatusOr<InboundMessage> MmMpfCodec::Decode(
    const std::string& sender_agency, const PartnerMessage& received) const {
  std::string message_id = received.message_id;
  if (message_id.empty()) {
    const std::string* from_metadata =
        FindMetadata(received.metadata, kMessageIdMetadata);
    if (from_metadata != nullptr) message_id = *from_metadata;
  }
  if (!IsCanonicalMessageId(message_id)) {
    return Refusal("MISSING_MESSAGE_ID", kMessageIdMetadata,
                   "gw-message-id: missing or malformed; want a lowercase "
                   "canonical UUID (partners/README.md §2.1)",
                   "");
  }
  InboundMessage out;
  if (!out.envelope.ParseFromString(received.bytes)) {
    return Refusal("PAYLOAD_UNPARSEABLE", "envelope",
                   "envelope: does not parse as gw.v1.Envelope", message_id);
  }
  const google::protobuf::Message* prototype =
      PayloadPrototype(out.envelope.payload_type());
  if (prototype == nullptr) {
    return Refusal("UNKNOWN_PAYLOAD_TYPE", "payload_type",
                   "payload_type: not a payload type of the MM-MPF link "
                   "(MM-MPF.md §3)",
                   message_id);
  }
  std::unique_ptr<google::protobuf::Message> payload(prototype->New());
  if (!payload->ParseFromString(out.envelope.payload())) {
    return Refusal("PAYLOAD_UNPARSEABLE", "payload",
                   absl::StrCat("payload: does not parse as ",
                                prototype->GetDescriptor()->full_name()),
                   message_id);
  }
  absl::StatusOr<ZawgyiReport> report = ConvertInboundZawgyi(payload.get());
  if (!report.ok()) {
    // Our own failure, not the peer's: the peer retries (INTERNAL is
    // transient, MM-MPF.md §8).
    return absl::InternalError(
        absl::StrCat("payload: Zawgyi detection failed: ",
                     absl::StatusCodeToString(report.status().code()), " ",
                     report.status().message()));
  }
  out.sender_agency = sender_agency;
  out.message_id = std::move(message_id);
  out.received_sha256 = crypto::Sha256Hex(out.envelope.payload());
  if (!report->conversions.empty()) {
    out.converted_payload = util::SerializeDeterministic(*payload);
  }
  out.warnings = std::move(report->warnings);
  return out;
}

}  // namespace gw::mm_mpf
