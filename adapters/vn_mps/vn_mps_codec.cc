// adapters/vn_mps/vn_mps_codec.cc
//
// See vn_mps_codec.h for the contract.
#include "adapters/vn_mps/vn_mps_codec.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/signed_http/http_refusal.h"
#include "adapters/vn_mps/vn_http.h"
#include "adapters/vn_mps/vn_in.h"
#include "adapters/vn_mps/vn_out.h"
#include "adapters/vn_mps/vn_text.h"
#include "adapters/vn_mps/vn_values.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/deterministic_proto.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"
#include "gateway/util/uuid.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::vn_mps {
namespace {

using adapters::DeliveryOutcome;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::Metadata;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;
using signed_http::HttpRefusal;

constexpr int kDefaultRetryAfterSeconds = 30;

std::vector<signed_http::Endpoint> InboundEndpoints() {
  return {{kInAlerts, kCaseAlertMessage},
          {kInRequests, kRepatriationRequestMessage},
          {kInDecisions, kRepatriationDecisionMessage},
          {kInStatus, kCaseStatusMessage}};
}

std::vector<std::string> MediaTypes() {
  return std::vector<std::string>(std::begin(kAcceptedMediaTypes),
                                  std::end(kAcceptedMediaTypes));
}

// One line of at most `max` characters for an operator's reason. Reasons
// are stored in proto3 strings (gw.v1.Delivery.reason), which do not parse
// back unless they are valid UTF-8: bytes that are not UTF-8 (a transport's
// message) are replaced, and the cut never falls inside a character.
std::string OneLine(absl::string_view text, size_t max = 300) {
  const std::string valid = ValidUtf8(text);
  std::string out(CodePointPrefix(valid, max));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

absl::Status Refuse(int http_status, std::string code, std::string location,
                    std::string text, std::string message_id) {
  HttpRefusal refusal;
  refusal.http_status = http_status;
  refusal.code = std::move(code);
  refusal.field = std::move(location);
  refusal.detail = std::move(text);
  refusal.message_id = std::move(message_id);
  return signed_http::RefusalStatus(refusal);
}

// The MessageID of a document not yet validated, when it can be read and
// is a message id (KH-CNP.md §8 rule for RejectedMessageID).
std::string BestEffortMessageId(const xmlNode* root) {
  const std::vector<const xmlNode*> top = ChildElements(root);
  if (top.empty() || !IsTip(top.front(), "MessageHeader")) return "";
  const std::vector<const xmlNode*> header = ChildElements(top.front());
  if (header.empty() || !IsTip(header.front(), "MessageID")) return "";
  std::string id = NodeText(header.front());
  return util::IsLowercaseUuid(id) ? id : "";
}

// The root element an inbound path takes (for locations of refusals the
// ingest pipeline makes, which name no element).
std::string RootForPath(absl::string_view path) {
  if (path == kInAlerts) return kCaseAlertMessage;
  if (path == kInRequests) return kRepatriationRequestMessage;
  if (path == kInDecisions) return kRepatriationDecisionMessage;
  if (path == kInStatus) return kCaseStatusMessage;
  return "";
}

// A location for a refusal of the ingest pipeline (§8: "where the error
// concerns one element").
std::string LocationOf(const std::string& reason, absl::string_view path) {
  const std::string root = RootForPath(path);
  if (root.empty()) return "";
  if (reason == "DUPLICATE_ID_CONFLICT") {
    return "/*/tip:MessageHeader/tip:MessageID";
  }
  if (root == kCaseAlertMessage && reason == "NOT_A_RECIPIENT") {
    return "/tip:CaseAlertMessage/tip:CaseAlert/tip:RecipientAgencyCode";
  }
  if (root == kCaseAlertMessage && reason == "AUTHOR_AGENCY_MISMATCH") {
    return "/tip:CaseAlertMessage/tip:CaseAlert/tip:OriginAgencyCode";
  }
  return "";
}

bool IsLocation(absl::string_view text) {
  return !text.empty() && text.front() == '/' &&
         CutShortText(text, kMaxLocation) == text;
}

// A document parsed and validated, or why not.
struct Answered {
  XmlDocPtr doc;
  const xmlNode* root = nullptr;
  std::string problem;  // empty when valid
};

Answered ParseAnswer(absl::string_view body, const XsdSchema* schema) {
  Answered out;
  absl::StatusOr<XmlDocPtr> doc = ParseXml(body);
  if (!doc.ok()) {
    out.problem = std::string(doc.status().message());
    return out;
  }
  out.doc = *std::move(doc);
  if (schema == nullptr) {
    out.problem = "VN-MPS.xsd is not loaded";
    return out;
  }
  absl::StatusOr<std::optional<XsdViolation>> violation =
      schema->Validate(out.doc.get());
  if (!violation.ok()) {
    out.problem = std::string(violation.status().message());
  } else if (violation->has_value()) {
    out.problem = absl::StrCat((*violation)->path, ": ", (*violation)->text);
  } else {
    out.root = xmlDocGetRootElement(out.doc.get());
  }
  return out;
}

DeliveryOutcome TransientWith(std::string reason, std::string evidence,
                              std::optional<absl::Time> retry_after) {
  DeliveryOutcome outcome = DeliveryOutcome::Transient(std::move(reason));
  outcome.evidence = std::move(evidence);
  outcome.retry_after = retry_after;
  return outcome;
}

}  // namespace

VnMpsCodec::VnMpsCodec(std::string local_agency, std::string partner_agency,
                       const crypto::Signer* link_key,
                       std::vector<const crypto::Verifier*> partner_keys,
                       Clock clock, PartnerRef partner_ref)
    : local_agency_(std::move(local_agency)),
      partner_agency_(std::move(partner_agency)),
      link_key_(link_key),
      clock_(clock ? std::move(clock) : Clock(absl::Now)),
      partner_ref_(std::move(partner_ref)),
      profile_(link_key, std::move(partner_keys), clock_),
      endpoints_(InboundEndpoints()),
      media_types_(MediaTypes()),
      schema_(VnMpsSchema()) {}

VnMpsCodec::~VnMpsCodec() = default;

absl::StatusOr<const XsdSchema*> VnMpsCodec::Schema() const {
  if (!schema_.ok()) return schema_.status();
  return schema_->get();
}

std::string VnMpsCodec::PartnerReference(const gw::v1::Receipt& receipt) const {
  std::string ref;
  if (partner_ref_) {
    ref = partner_ref_(receipt);
  } else if (receipt.has_checkpoint()) {
    std::string agency = local_agency_;
    agency.erase(std::remove(agency.begin(), agency.end(), '-'), agency.end());
    ref = absl::StrCat(agency, "-", receipt.leaf_index());
  }
  return CutShortText(ref, kMaxPartnerReference);
}

absl::StatusOr<PartnerMessage> VnMpsCodec::Encode(
    const OutboundMessage& message) const {
  if (!util::IsLowercaseUuid(message.message_id)) {
    return absl::InvalidArgumentError(
        "message_id: not a lowercase canonical UUID (partners/README.md "
        "§2.1)");
  }
  if (!message.recipient.empty() && message.recipient != partner_agency_) {
    return absl::InvalidArgumentError(
        absl::StrCat("recipient: not ", partner_agency_));
  }
  GW_ASSIGN_OR_RETURN(const XsdSchema* schema, Schema());
  const MessageAddress address{message.message_id, local_agency_,
                               partner_agency_};
  const std::string& type = message.envelope.payload_type();
  const std::string& payload = message.envelope.payload();
  absl::StatusOr<OutDocument> document;
  if (type == kCaseAlertPayloadType) {
    gw::v1::CaseAlert alert;
    if (!alert.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.CaseAlert");
    }
    document = AlertDocument(address, alert);
  } else if (type == kRepatriationRequestPayloadType) {
    gw::v1::RepatriationRequest request;
    if (!request.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.RepatriationRequest");
    }
    document = RequestDocument(address, request);
  } else if (type == kRepatriationRecordPayloadType) {
    gw::v1::RepatriationRecord record;
    if (!record.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.RepatriationRecord");
    }
    document = DecisionDocument(address, record);
  } else if (type == kCaseStatusPayloadType) {
    gw::v1::CaseStatus status;
    if (!status.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.CaseStatus");
    }
    document = StatusDocument(address, status);
  } else {
    return absl::InvalidArgumentError(
        "envelope.payload_type: not a message type of the VN-MPS link "
        "(VN-MPS.md §3.1)");
  }
  if (!document.ok()) return document.status();
  GW_RETURN_IF_ERROR(CheckAgainstXsd(*document, *schema));

  PartnerMessage out;
  out.message_id = message.message_id;
  out.content_type = kMediaType;
  out.metadata = {
      {":path", document->path},
      {"content-type", kMediaType},
      {"content-digest", signed_http::ContentDigest(document->bytes)},
      {"gw-message-id", message.message_id}};
  out.bytes = std::move(document->bytes);
  return out;
}

absl::StatusOr<Metadata> VnMpsCodec::SignRequest(
    std::string_view target_uri, const PartnerMessage& request) const {
  if (link_key_ == nullptr) {
    return absl::FailedPreconditionError("VN-MPS codec has no link key");
  }
  const std::string digest =
      OneHeader(request.metadata, "content-digest")
          .value_or(signed_http::ContentDigest(request.bytes));
  const std::string id =
      OneHeader(request.metadata, "gw-message-id").value_or(request.message_id);
  GW_ASSIGN_OR_RETURN(signed_http::SignatureHeaders headers,
                      profile_.SignRequest("POST", target_uri, digest, id));
  return Metadata{{"signature-input", std::move(headers.signature_input)},
                  {"signature", std::move(headers.signature)}};
}

DeliveryOutcome VnMpsCodec::ReadAnswer(const OutboundMessage& message,
                                       const PartnerMessage& sent,
                                       const PartnerAnswer& answer) const {
  if (!answer.status.ok()) {
    return DeliveryOutcome::Transient(absl::StrCat(
        "transport: ", absl::StatusCodeToString(answer.status.code()), " ",
        OneLine(answer.status.message())));
  }
  int status = 0;
  const std::optional<std::string> status_text =
      OneHeader(answer.metadata, ":status");
  if (!status_text.has_value() || !absl::SimpleAtoi(*status_text, &status) ||
      status < 100 || status > 599) {
    return DeliveryOutcome::Transient("answer: no HTTP status");
  }
  const std::string prefix = absl::StrCat("VN-MPS ", status);
  const std::optional<absl::Time> retry_after =
      status == 429 || status >= 500 ? RetryAfter(answer.metadata, clock_())
                                     : std::nullopt;
  absl::StatusOr<signed_http::VerifiedSignature> verified =
      profile_.VerifyResponse(status, answer.metadata, answer.bytes,
                              sent.message_id);
  if (!verified.ok()) {
    // Unsigned or badly signed responses prove nothing (README §2.4).
    std::optional<HttpRefusal> why =
        signed_http::HttpRefusalOf(verified.status());
    return TransientWith(
        absl::StrCat(prefix, ": response signature not accepted: ",
                     OneLine(why.has_value()
                                 ? absl::StrCat(why->code, " ", why->detail)
                                 : std::string(verified.status().message()))),
        "", retry_after);
  }
  std::string evidence =
      ResponseEvidence(status, answer.metadata, answer.bytes);
  absl::StatusOr<const XsdSchema*> schema = Schema();
  Answered body = ParseAnswer(answer.bytes, schema.ok() ? *schema : nullptr);

  if (status == 200 || status == 202) {
    if (!body.problem.empty() || !IsTip(body.root, kAcknowledgement)) {
      return DeliveryOutcome::Transient(absl::StrCat(
          prefix, ": not a valid tip:Acknowledgement (",
          body.problem.empty() ? "another root element" : OneLine(body.problem),
          ")"));
    }
    const AckView ack = ReadAck(body.root);
    if (ack.message_id != message.message_id) {
      return DeliveryOutcome::Transient(absl::StrCat(
          prefix,
          ": tip:AcknowledgedMessageID names another message than the one "
          "sent"));
    }
    if (ack.sender != partner_agency_ || ack.recipient != local_agency_) {
      return DeliveryOutcome::Transient(
          absl::StrCat(prefix, ": the acknowledgement is not from ",
                       partner_agency_, " to ", local_agency_));
    }
    const std::optional<absl::Time> received_at =
        ParseDateTime(ack.received_at);
    if (ack.status != "ACCEPTED" || !received_at.has_value()) {
      return DeliveryOutcome::Transient(absl::StrCat(
          prefix,
          ": tip:AcknowledgementStatusCode or tip:ReceivedDateTime "
          "not valid"));
    }
    if (ack.payload_sha256 != crypto::Sha256Hex(sent.bytes)) {
      return DeliveryOutcome::Permanent(
          "ACK_DIGEST_MISMATCH tip:PayloadSHA256: VN-MPS acknowledged other "
          "bytes than were sent (partners/README.md §2.3)",
          std::move(evidence));
    }
    gw::v1::Receipt receipt;
    receipt.set_message_id(ack.message_id);
    receipt.set_payload_sha256(ack.payload_sha256);
    receipt.set_recipient(ack.sender);
    receipt.set_status(gw::v1::Receipt::ACCEPTED);
    *receipt.mutable_received_at() = util::ToTimestamp(*received_at);
    std::vector<gw::v1::ReceiptWarning> warnings;
    for (const auto& [code, location] : ack.warnings) {
      gw::v1::ReceiptWarning warning;
      warning.set_code(code);
      warning.set_field(location);
      *receipt.add_warnings() = warning;
      warnings.push_back(std::move(warning));
    }
    DeliveryOutcome outcome =
        DeliveryOutcome::Delivered(std::move(receipt), std::move(evidence));
    outcome.warnings = std::move(warnings);
    return outcome;
  }

  if (status >= 400 && status <= 599) {
    const bool valid = body.problem.empty() && IsTip(body.root, kRejection);
    RejectionView rejection;
    if (valid) rejection = ReadRejection(body.root);
    const std::string reason =
        valid ? absl::StrCat(prefix, " ", rejection.code,
                             rejection.location.empty() ? "" : " ",
                             OneLine(rejection.location, 500), ": ",
                             OneLine(rejection.text))
              : absl::StrCat(prefix, ": no valid tip:Rejection (",
                             body.problem.empty() ? "another root element"
                                                  : OneLine(body.problem),
                             ")");
    if (status == 409) return DeliveryOutcome::Permanent(reason, evidence);
    if (status >= 500) return TransientWith(reason, evidence, retry_after);
    if (!valid) return TransientWith(reason, "", retry_after);
    if (!rejection.rejected_message_id.empty() &&
        rejection.rejected_message_id != message.message_id) {
      return TransientWith(
          absl::StrCat(prefix,
                       ": tip:RejectedMessageID names another message than "
                       "the one sent"),
          "", retry_after);
    }
    if (signed_http::IsRetriedRefusal(status, rejection.code)) {
      return TransientWith(reason, evidence, retry_after);
    }
    return DeliveryOutcome::Permanent(reason, std::move(evidence));
  }
  return DeliveryOutcome::Transient(
      absl::StrCat(prefix, ": not a status of VN-MPS.md §7"));
}

absl::StatusOr<InboundMessage> VnMpsCodec::Decode(
    const std::string& sender_agency, const PartnerMessage& received) const {
  GW_ASSIGN_OR_RETURN(signed_http::CheckedRequest checked,
                      signed_http::CheckReceivedRequest(
                          received, endpoints_, media_types_, profile_));
  GW_ASSIGN_OR_RETURN(const XsdSchema* schema, Schema());
  const std::string header_id =
      util::IsLowercaseUuid(checked.message_id) ? checked.message_id : "";

  if (received.bytes.size() > kMaxBodyBytes) {
    // The transport refuses these before reading them (":body-too-large");
    // a transport configured for more still gets the ICD's answer.
    return Refuse(413, "PAYLOAD_TOO_LARGE", "",
                  "the body is larger than 8 MiB (VN-MPS.md §9)", "");
  }
  // 11.1 well-formed UTF-8 without DOCTYPE.
  absl::StatusOr<XmlDocPtr> parsed = ParseXml(received.bytes);
  if (!parsed.ok()) {
    return Refuse(400, "MALFORMED_XML", "",
                  std::string(parsed.status().message()), header_id);
  }
  xmlDoc* doc = parsed->get();
  const xmlNode* root = xmlDocGetRootElement(doc);
  const std::string body_id = BestEffortMessageId(root);
  const std::string refused_id = body_id.empty() ? header_id : body_id;

  // 11.2 NFC: normalized, not refused (§5.1).
  GW_ASSIGN_OR_RETURN(std::vector<std::string> normalized, NormalizeToNfc(doc));

  // 11.3 the normalized document against the XSD.
  GW_ASSIGN_OR_RETURN(std::optional<XsdViolation> violation,
                      schema->Validate(doc));
  if (violation.has_value()) {
    return Refuse(400, "SCHEMA_VIOLATION", violation->path, violation->text,
                  refused_id);
  }
  // 11.4 a data message.
  if (!IsDataMessage(root)) {
    return Refuse(400, "WRONG_ENDPOINT", NodePath(root),
                  absl::StrCat("Element 'tip:", LocalName(root),
                               "': not a data message (VN-MPS.md §2.2)."),
                  refused_id);
  }
  const MessageHeaderView header = ReadHeader(root);
  // 11.5 MessageID = Gw-Message-Id.
  if (header.message_id != checked.message_id) {
    return Refuse(400, "HEADER_MISMATCH", NodePath(header.message_id_node),
                  "Element 'tip:MessageID': not the value of the "
                  "Gw-Message-Id header (VN-MPS.md §6).",
                  header.message_id);
  }
  // 11.6 the root fits the path.
  if (checked.endpoint == nullptr ||
      LocalName(root) != checked.endpoint->message_kind) {
    return Refuse(
        400, "WRONG_ENDPOINT", NodePath(root),
        absl::StrCat("Element 'tip:", LocalName(root), "': ",
                     checked.endpoint == nullptr ? std::string("this path")
                                                 : checked.endpoint->path,
                     " takes tip:",
                     checked.endpoint == nullptr
                         ? std::string("?")
                         : checked.endpoint->message_kind,
                     " (VN-MPS.md §2.2)."),
        header.message_id);
  }
  // 11.7 the rules beyond the XSD.
  if (std::optional<Fault> fault = CheckRules(root)) {
    return Refuse(fault->http_status, fault->code, fault->location, fault->text,
                  header.message_id);
  }
  // Real dates and instants, then the mapping.
  Decoded decoded = ToCanonical(root);
  if (decoded.fault.has_value()) {
    const Fault& fault = *decoded.fault;
    return Refuse(fault.http_status, fault.code, fault.location, fault.text,
                  header.message_id);
  }
  // 11.8 the agencies.
  if (header.sender != sender_agency) {
    return Refuse(403, "AGENCY_MISMATCH", NodePath(header.sender_node),
                  "Element 'tip:SenderAgencyCode': not the agency of the "
                  "client certificate (VN-MPS.md §6).",
                  header.message_id);
  }
  if (header.recipient != local_agency_) {
    return Refuse(403, "AGENCY_MISMATCH", NodePath(header.recipient_node),
                  absl::StrCat("Element 'tip:RecipientAgencyCode': not ",
                               local_agency_, " (VN-MPS.md §6)."),
                  header.message_id);
  }

  InboundMessage out;
  out.sender_agency = sender_agency;
  out.message_id = header.message_id;
  out.envelope.set_payload_type(decoded.message.payload_type);
  out.envelope.set_payload(
      util::SerializeDeterministic(*decoded.message.message));
  out.received_sha256 = crypto::Sha256Hex(received.bytes);
  for (std::string& location : normalized) {
    gw::v1::ReceiptWarning warning;
    warning.set_code(kNormalizedNfc);
    warning.set_field(std::move(location));
    out.warnings.push_back(std::move(warning));
  }
  for (gw::v1::ReceiptWarning& warning : decoded.message.warnings) {
    out.warnings.push_back(std::move(warning));
  }
  out.evidence = RequestEvidence(received);
  out.link_key_id = checked.signature.key_id;
  return out;
}

absl::StatusOr<std::optional<PartnerMessage>> VnMpsCodec::EncodeAnswer(
    const std::string& sender_agency, const PartnerMessage& received,
    const InboundAnswer& answer) const {
  if (link_key_ == nullptr) {
    return absl::FailedPreconditionError("VN-MPS codec has no link key");
  }
  GW_ASSIGN_OR_RETURN(const XsdSchema* schema, Schema());
  int status = 0;
  int retry_after = 0;
  std::string body;
  if (answer.status.ok()) {
    if (!answer.receipt.has_value()) {
      return absl::FailedPreconditionError(
          "answer.receipt: an OK answer needs the gateway's receipt");
    }
    const gw::v1::Receipt& receipt = *answer.receipt;
    if (!receipt.has_received_at()) {
      return absl::FailedPreconditionError(
          "answer.receipt.received_at: missing");
    }
    AckBody ack;
    ack.message_id = util::IsLowercaseUuid(receipt.message_id())
                         ? receipt.message_id()
                         : received.message_id;
    ack.sender = local_agency_;
    ack.recipient = sender_agency;
    ack.payload_sha256 = crypto::Sha256Hex(received.bytes);
    GW_ASSIGN_OR_RETURN(
        ack.received_at,
        FormatDateTime(receipt.received_at(), "answer.receipt.received_at"));
    ack.partner_reference = PartnerReference(receipt);
    for (const gw::v1::ReceiptWarning& warning : receipt.warnings()) {
      if (warning.code() != kNormalizedNfc || !IsLocation(warning.field())) {
        continue;
      }
      if (ack.nfc_locations.size() == static_cast<size_t>(kMaxWarnings)) break;
      ack.nfc_locations.push_back(warning.field());
    }
    status = answer.duplicate ? 200 : 202;
    body = AcknowledgementDocument(ack);
  } else {
    std::optional<HttpRefusal> own = signed_http::HttpRefusalOf(answer.status);
    HttpRefusal refusal =
        own.has_value() ? *own : signed_http::MapGatewayRefusal(answer.status);
    if (!own.has_value()) {
      // The pipeline refused a message Decode accepted: its id is the body's.
      if (refusal.message_id.empty()) refusal.message_id = received.message_id;
      if (refusal.field.empty()) {
        refusal.field =
            LocationOf(ingest::ReasonOf(answer.status),
                       OneHeader(received.metadata, ":path").value_or(""));
      }
    }
    status = refusal.http_status >= 400 && refusal.http_status <= 599
                 ? refusal.http_status
                 : 500;
    RejectionBody rejection;
    rejection.rejected_message_id =
        util::IsLowercaseUuid(refusal.message_id) ? refusal.message_id : "";
    rejection.sender = local_agency_;
    rejection.recipient = sender_agency;
    rejection.code = refusal.code;
    rejection.location = IsLocation(refusal.field) ? refusal.field : "";
    rejection.text = CutShortText(refusal.detail, kMaxErrorText);
    if (rejection.text.empty()) rejection.text = refusal.code;
    rejection.rejected_at = FormatDateTime(clock_());
    body = RejectionDocument(rejection);
    if (status == 429 || status == 503) {
      retry_after = refusal.retry_after_seconds > 0
                        ? refusal.retry_after_seconds
                        : kDefaultRetryAfterSeconds;
    }
  }

  // Our own answer must be what the ICD promises; a failure here is ours.
  {
    absl::StatusOr<XmlDocPtr> doc = ParseXml(body);
    if (!doc.ok()) {
      return absl::InternalError(absl::StrCat("VN-MPS answer does not parse: ",
                                              doc.status().message()));
    }
    GW_ASSIGN_OR_RETURN(std::optional<XsdViolation> violation,
                        schema->Validate(doc->get()));
    if (violation.has_value()) {
      return absl::InternalError(
          absl::StrCat("VN-MPS answer fails VN-MPS.xsd at ", violation->path,
                       ": ", violation->text));
    }
  }

  const std::string digest = signed_http::ContentDigest(body);
  std::string echo =
      signed_http::SingleHeader(received.metadata, "gw-message-id")
          .value_or("");
  GW_ASSIGN_OR_RETURN(signed_http::SignatureHeaders signature,
                      profile_.SignResponse(status, digest, echo));
  PartnerMessage out;
  out.message_id = echo;
  out.content_type = kMediaType;
  out.metadata.emplace_back(":status", absl::StrCat(status));
  out.metadata.emplace_back("content-type", kMediaType);
  out.metadata.emplace_back("content-digest", digest);
  if (!echo.empty()) out.metadata.emplace_back("gw-message-id", echo);
  out.metadata.emplace_back("signature-input",
                            std::move(signature.signature_input));
  out.metadata.emplace_back("signature", std::move(signature.signature));
  if (retry_after > 0) {
    out.metadata.emplace_back("retry-after", absl::StrCat(retry_after));
  }
  out.bytes = std::move(body);
  return std::optional<PartnerMessage>(std::move(out));
}

}  // namespace gw::vn_mps
