// adapters/th_rtp/th_rtp_codec.cc
//
// See th_rtp_codec.h for the contract.
#include "adapters/th_rtp/th_rtp_codec.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/th_rtp/be_date.h"
#include "adapters/th_rtp/inbound.h"
#include "adapters/th_rtp/outbound.h"
#include "adapters/th_rtp/records.h"
#include "adapters/th_rtp/th_text.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/deterministic_proto.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"
#include "gateway/util/uuid.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::th_rtp {
namespace {

using adapters::DeliveryOutcome;
using adapters::FrameInfo;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;

constexpr size_t kReasonTextBytes = 200;
constexpr size_t kFieldNameBytes = 24;
constexpr size_t kPartnerRefBytes = 30;

absl::string_view BodyOf(absl::string_view frame) {
  return frame.size() >= kLengthPrefixBytes ? frame.substr(kLengthPrefixBytes)
                                            : absl::string_view();
}

// Printable ASCII, cut to `max` bytes.
std::string AsciiCut(absl::string_view text, size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() == max) break;
    out.push_back(IsAsciiFieldByte(static_cast<unsigned char>(c)) ? c : '?');
  }
  return out;
}

// "<code> <NAME> (record N): <text>"; the text names the field itself.
std::string Describe(const ThRtpRefusal& r) {
  return absl::StrCat(
      r.code, " ", CodeName(r.code),
      r.record_no > 0 ? absl::StrCat(" (record ", r.record_no, ")") : "", ": ",
      r.text);
}

// The header record type of a body, if its first two bytes name a data
// header.
std::string HeaderCode(absl::string_view body) {
  if (body.size() < 2) return "";
  const RecordSpec* spec = SpecForCode(body.substr(0, 2));
  return spec != nullptr && IsDataHeader(spec->type) ? std::string(spec->code)
                                                     : "";
}

}  // namespace

absl::Status RefusalStatus(const ThRtpRefusal& refusal) {
  absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  if (refusal.code == 130 || refusal.code == 131) {
    code = absl::StatusCode::kPermissionDenied;
  } else if (refusal.code == 201) {
    code = absl::StatusCode::kUnauthenticated;
  } else if (IsTransientCode(refusal.code)) {
    code = absl::StatusCode::kUnavailable;
  }
  absl::Status status(code, absl::StrCat("TH-RTP ", Describe(refusal)));
  status.SetPayload(
      kRefusalPayloadUrl,
      absl::Cord(absl::StrCat(refusal.code, "\n", refusal.record_no, "\n",
                              refusal.field_name, "\n", refusal.text)));
  return ingest::WithReason(std::move(status), CodeName(refusal.code));
}

std::optional<ThRtpRefusal> RefusalOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kRefusalPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  const std::vector<std::string> parts =
      absl::StrSplit(std::string(*payload), absl::MaxSplits('\n', 3));
  ThRtpRefusal refusal;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &refusal.code) ||
      !absl::SimpleAtoi(parts[1], &refusal.record_no)) {
    return std::nullopt;
  }
  refusal.field_name = parts[2];
  refusal.text = parts[3];
  return refusal;
}

ThRtpRefusal MapGatewayRefusal(const absl::Status& status,
                               absl::string_view body) {
  const std::string header = HeaderCode(body);
  auto field = [&header](absl::string_view name) {
    return header.empty() ? std::string() : absl::StrCat(header, ".", name);
  };
  // The TR's place, for 201/202, if the body parses that far.
  ParsedFrame parsed;
  const int trailer =
      ParseBody(body, &parsed).has_value() ? 0 : parsed.trailer().number();
  std::string entitled;  // the field naming the parties (§8 code 131)
  std::string author;    // the field naming the sender's own agency
  if (header == "AL") {
    entitled = "AL.RECIPIENTS";
    author = "AL.ORIGIN_AGENCY";
  } else if (header == "CS") {
    entitled = "CS.SHARED_WITH";
    author = "CS.OWNER_AGENCY";
  } else if (header == "RQ") {
    entitled = "RQ.RECEIVING_AGENCY";
    author = "RQ.REQUESTING_AGENCY";
  } else if (header == "RD") {
    entitled = "RD.REQUEST_ID";
    author = "RD.DECIDED_BY";
  }
  const int header_no = header.empty() ? 0 : 1;
  ThRtpRefusal r;
  r.text = std::string(status.message());
  const std::string reason = ingest::ReasonOf(status);
  if (reason == "DUPLICATE_ID_CONFLICT") {
    r.code = 301;
    r.record_no = header_no;
    r.field_name = field("MESSAGE_ID");
  } else if (reason == "NOT_A_RECIPIENT") {
    r.code = 131;
    r.record_no = entitled.empty() ? 0 : 1;
    r.field_name = entitled;
  } else if (reason == "AUTHOR_AGENCY_MISMATCH") {
    r.code = 131;
    r.record_no = author.empty() ? 0 : 1;
    r.field_name = author;
  } else if (reason == "SIGNATURE_INVALID") {
    r.code = 201;
    r.record_no = trailer;
    r.field_name = trailer > 0 ? "TR.SIGNATURE" : "";
  } else if (reason == "UNKNOWN_KEY") {
    r.code = 202;
    r.record_no = trailer;
    r.field_name = trailer > 0 ? "TR.KEY_ID" : "";
  } else if (reason == "MISSING_MESSAGE_ID") {
    r.code = 120;
    r.record_no = header_no;
    r.field_name = field("MESSAGE_ID");
  } else if (reason == "FIELD_INVALID" || reason == "PAYLOAD_UNPARSEABLE" ||
             reason == "UNKNOWN_PAYLOAD_TYPE") {
    r.code = 120;
  } else if (reason == "UNKNOWN_REFERENCE") {
    r.code = 302;
  } else if (reason == "WORKFLOW_STATE") {
    r.code = 303;
  } else if (absl::IsResourceExhausted(status)) {
    r.code = 900;
  } else if (reason == "NOT_SUPPORTED_YET" || reason == "INTERNAL") {
    r.code = 901;
  } else {
    switch (status.code()) {
      case absl::StatusCode::kInvalidArgument:
        r.code = 120;
        break;
      case absl::StatusCode::kPermissionDenied:
        r.code = 131;
        break;
      case absl::StatusCode::kUnauthenticated:
        r.code = 201;
        r.record_no = trailer;
        r.field_name = trailer > 0 ? "TR.SIGNATURE" : "";
        break;
      case absl::StatusCode::kAlreadyExists:
        r.code = 301;
        r.record_no = header_no;
        r.field_name = field("MESSAGE_ID");
        break;
      case absl::StatusCode::kNotFound:
        r.code = 302;
        break;
      case absl::StatusCode::kFailedPrecondition:
        r.code = 303;
        break;
      default:
        r.code = 901;  // UNAVAILABLE, INTERNAL and the rest: retry
        break;
    }
  }
  return r;
}

ThRtpCodec::ThRtpCodec(std::string local_agency, std::string partner_agency,
                       const crypto::Signer* link_key,
                       std::vector<const crypto::Verifier*> partner_keys,
                       Clock clock, MessageIdGenerator new_message_id,
                       PartnerRef partner_ref)
    : local_agency_(std::move(local_agency)),
      partner_agency_(std::move(partner_agency)),
      link_key_(link_key),
      partner_keys_(std::move(partner_keys)),
      clock_(clock ? std::move(clock) : Clock(absl::Now)),
      new_message_id_(new_message_id ? std::move(new_message_id)
                                     : MessageIdGenerator(util::NewUuidV4)),
      partner_ref_(std::move(partner_ref)) {}

std::string ThRtpCodec::NewMessageId() const { return new_message_id_(); }

absl::StatusOr<PartnerMessage> ThRtpCodec::Encode(
    const OutboundMessage& message) const {
  if (link_key_ == nullptr) {
    return absl::FailedPreconditionError("TH-RTP codec has no link key");
  }
  if (!util::IsLowercaseUuid(message.message_id)) {
    return absl::InvalidArgumentError(
        "message_id: not a lowercase canonical UUID (partners/README.md "
        "§2.1)");
  }
  if (!message.recipient.empty() && message.recipient != partner_agency_) {
    return absl::InvalidArgumentError(
        absl::StrCat("recipient: not ", partner_agency_));
  }
  const FrameAddress address{message.message_id, local_agency_,
                             partner_agency_};
  const std::string& type = message.envelope.payload_type();
  const std::string& payload = message.envelope.payload();
  absl::StatusOr<std::vector<std::string>> records;
  if (type == kCaseAlertPayloadType) {
    gw::v1::CaseAlert alert;
    if (!alert.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.CaseAlert");
    }
    records = AlertRecords(address, alert);
  } else if (type == kRepatriationRequestPayloadType) {
    gw::v1::RepatriationRequest request;
    if (!request.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.RepatriationRequest");
    }
    records = RequestRecords(address, request);
  } else if (type == kRepatriationRecordPayloadType) {
    gw::v1::RepatriationRecord record;
    if (!record.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.RepatriationRecord");
    }
    records = DecisionRecords(address, record);
  } else if (type == kCaseStatusPayloadType) {
    gw::v1::CaseStatus status;
    if (!status.ParseFromString(payload)) {
      return absl::InvalidArgumentError(
          "envelope.payload: does not parse as gw.v1.CaseStatus");
    }
    records = StatusRecords(address, status);
  } else {
    return absl::InvalidArgumentError(
        "envelope.payload_type: not a message type of the TH-RTP link "
        "(TH-RTP.md §4)");
  }
  if (!records.ok()) return records.status();
  GW_ASSIGN_OR_RETURN(std::string frame, SealFrame(*records, *link_key_));
  PartnerMessage out;
  out.message_id = message.message_id;
  out.content_type = kFrameContentType;
  out.bytes = std::move(frame);
  return out;
}

DeliveryOutcome ThRtpCodec::ReadAnswer(const OutboundMessage& message,
                                       const PartnerMessage& sent,
                                       const PartnerAnswer& answer) const {
  if (!answer.status.ok()) {
    return DeliveryOutcome::Transient(absl::StrCat(
        "transport: ", absl::StatusCodeToString(answer.status.code()), " ",
        AsciiCut(answer.status.message(), 300)));
  }
  absl::string_view body;
  ParsedFrame frame;
  std::string key_id;
  std::optional<ThRtpRefusal> fault = SplitFrame(answer.bytes, &body);
  if (!fault) fault = ParseBody(body, &frame);
  if (!fault && frame.header().type() != RecordType::kAK &&
      frame.header().type() != RecordType::kNK) {
    return DeliveryOutcome::Transient(
        "answer: neither an AK nor an NK frame (TH-RTP.md §7)");
  }
  if (!fault) {
    fault = CheckSignature(frame, partner_agency_, partner_agency_,
                           partner_keys_, &key_id);
  }
  if (!fault) fault = ValidateFields(frame, local_agency_);
  if (fault) {
    // Unsigned, wrongly signed or malformed answers prove nothing: the
    // frame is resent (README §2.4).
    return DeliveryOutcome::Transient(
        absl::StrCat("answer not accepted: ", Describe(*fault)));
  }
  const RecordView& h = frame.header();
  const std::string sent_digest = crypto::Sha256Hex(BodyOf(sent.bytes));
  if (h.type() == RecordType::kAK) {
    if (h.Value("ACK_MESSAGE_ID") != message.message_id) {
      return DeliveryOutcome::Transient(
          "AK.ACK_MESSAGE_ID: names another message than the one sent");
    }
    if (h.Value("ACK_BODY_SHA256") != sent_digest) {
      return DeliveryOutcome::Permanent(
          "ACK_DIGEST_MISMATCH AK.ACK_BODY_SHA256: TH-RTP acknowledged other "
          "bytes than were sent (partners/README.md §2.3)",
          answer.bytes);
    }
    gw::v1::Receipt receipt;
    receipt.set_message_id(std::string(h.Value("ACK_MESSAGE_ID")));
    receipt.set_payload_sha256(std::string(h.Value("ACK_BODY_SHA256")));
    receipt.set_recipient(std::string(h.Value("SENDER")));
    receipt.set_status(gw::v1::Receipt::ACCEPTED);
    absl::StatusOr<std::optional<absl::Time>> received =
        ParseBeTimestamp(h.Raw("RECEIVED_AT"));
    if (received.ok() && received->has_value()) {
      *receipt.mutable_received_at() = util::ToTimestamp(**received);
    }
    return DeliveryOutcome::Delivered(std::move(receipt), answer.bytes);
  }

  // NK. Codes 100 and 101 cannot name the frame (§3.11).
  const int code = std::stoi(std::string(h.Raw("REASON_CODE")));
  const absl::string_view nak_id = h.Value("NAK_MESSAGE_ID");
  const absl::string_view nak_digest = h.Value("NAK_BODY_SHA256");
  const bool unnamed = (code == 100 || code == 101) && nak_id.empty();
  if (!unnamed && nak_id != message.message_id) {
    return DeliveryOutcome::Transient(
        "NK.NAK_MESSAGE_ID: names another message than the one sent");
  }
  if (!nak_digest.empty() && nak_digest != sent_digest) {
    return DeliveryOutcome::Transient(
        "NK.NAK_BODY_SHA256: refuses other bytes than were sent");
  }
  absl::StatusOr<std::string> text = DecodeField(h.Raw("REASON_TEXT"));
  std::string one_line = text.ok() ? *text : "(REASON_TEXT not decodable)";
  for (char& c : one_line) {
    if (c == '\n') c = ' ';
  }
  const absl::string_view field_name = h.Value("FIELD_NAME");
  std::string reason =
      absl::StrCat("TH-RTP NK ", h.Raw("REASON_CODE"),
                   field_name.empty() ? "" : " ", field_name, ": ", one_line);
  if (h.Raw("RETRYABLE") == "N") {
    return DeliveryOutcome::Permanent(std::move(reason), answer.bytes);
  }
  DeliveryOutcome outcome = DeliveryOutcome::Transient(std::move(reason));
  outcome.evidence = answer.bytes;
  return outcome;
}

absl::StatusOr<InboundMessage> ThRtpCodec::Decode(
    const std::string& sender_agency, const PartnerMessage& received) const {
  absl::string_view body;
  ParsedFrame frame;
  std::string key_id;
  std::optional<ThRtpRefusal> fault = SplitFrame(received.bytes, &body);
  if (!fault) fault = ParseBody(body, &frame);
  if (!fault && !IsDataHeader(frame.header().type())) {
    fault = ThRtpRefusal{102, 1, frame.header().FieldName("REC_TYPE"),
                         absl::StrCat(frame.header().FieldName("REC_TYPE"),
                                      ": a control frame where a data frame "
                                      "is due")};
  }
  if (!fault) {
    fault = CheckSignature(frame, sender_agency, partner_agency_, partner_keys_,
                           &key_id);
  }
  if (!fault) fault = ValidateFields(frame, local_agency_);
  if (fault) return RefusalStatus(*fault);

  absl::StatusOr<CanonicalMessage> canonical = ToCanonical(frame);
  if (!canonical.ok()) {
    // Our failure, not the partner's: 901, retried by the partner.
    return RefusalStatus(ThRtpRefusal{
        901, 0, "",
        absl::StrCat("decoding failed: ", canonical.status().message())});
  }
  InboundMessage out;
  out.sender_agency = sender_agency;
  out.message_id = std::string(frame.header().Value("MESSAGE_ID"));
  out.envelope.set_payload_type(canonical->payload_type);
  out.envelope.set_payload(util::SerializeDeterministic(*canonical->message));
  out.received_sha256 = crypto::Sha256Hex(body);
  out.warnings = std::move(canonical->warnings);
  out.evidence = received.bytes;
  out.link_key_id = std::move(key_id);
  return out;
}

absl::StatusOr<std::string> ThRtpCodec::MakeNak(const ThRtpRefusal& refusal,
                                                absl::string_view body,
                                                absl::string_view peer) const {
  if (link_key_ == nullptr) {
    return absl::FailedPreconditionError("TH-RTP codec has no link key");
  }
  const absl::Time now = clock_();
  GW_ASSIGN_OR_RETURN(std::string stamp, FormatBeTimestamp(now));
  // Codes 100 and 101: the frame could not be read far enough (§3.11).
  const bool unread = refusal.code == 100 || refusal.code == 101;
  absl::StatusOr<ConvertedField> text =
      ConvertField(refusal.text, kReasonTextBytes, FieldCharset::kThai);
  if (!text.ok()) return text.status();
  std::string reason_text = text->bytes;
  if (reason_text.empty()) reason_text = std::string(CodeName(refusal.code));
  if (reason_text.empty()) reason_text = "refused";
  RecordWriter w(RecordType::kNK);
  w.Set("FMT_VERSION", "01")
      .Set("MESSAGE_ID", NewMessageId())
      .Set("SENDER", local_agency_)
      .Set("RECIPIENT", peer)
      .Set("CREATED_AT", stamp)
      .Set("NAK_MESSAGE_ID", unread ? "" : MessageIdEcho(body))
      .Set("NAK_BODY_SHA256", unread ? "" : crypto::Sha256Hex(body))
      .Set("RECEIVED_AT", stamp)
      .SetNumber("REASON_CODE", static_cast<uint64_t>(refusal.code))
      .Set("RETRYABLE", IsTransientCode(refusal.code) ? "Y" : "N")
      .SetNumber("RECORD_NO",
                 static_cast<uint64_t>(std::max(0, refusal.record_no)))
      .Set("FIELD_NAME", AsciiCut(refusal.field_name, kFieldNameBytes))
      .Set("REASON_TEXT", reason_text);
  GW_ASSIGN_OR_RETURN(std::string record, std::move(w).Finish());
  return SealFrame({std::move(record)}, *link_key_);
}

absl::StatusOr<std::optional<PartnerMessage>> ThRtpCodec::EncodeAnswer(
    const std::string& sender_agency, const PartnerMessage& received,
    const InboundAnswer& answer) const {
  const absl::string_view body = BodyOf(received.bytes);
  std::string frame;
  if (answer.status.ok()) {
    if (link_key_ == nullptr) {
      return absl::FailedPreconditionError("TH-RTP codec has no link key");
    }
    if (!answer.receipt.has_value()) {
      return absl::FailedPreconditionError(
          "answer.receipt: an OK answer needs the gateway's receipt");
    }
    const gw::v1::Receipt& receipt = *answer.receipt;
    const absl::Time now = clock_();
    GW_ASSIGN_OR_RETURN(std::string created, FormatBeTimestamp(now));
    GW_ASSIGN_OR_RETURN(
        std::string received_at,
        FormatBeTimestamp(receipt.has_received_at()
                              ? util::FromTimestamp(receipt.received_at())
                              : now));
    std::string ref;
    if (partner_ref_) {
      ref = partner_ref_(receipt);
    } else if (receipt.has_checkpoint()) {
      std::string agency = local_agency_;
      agency.erase(std::remove(agency.begin(), agency.end(), '-'),
                   agency.end());
      ref = absl::StrCat(agency, "-", receipt.leaf_index());
    }
    RecordWriter w(RecordType::kAK);
    w.Set("FMT_VERSION", "01")
        .Set("MESSAGE_ID", NewMessageId())
        .Set("SENDER", local_agency_)
        .Set("RECIPIENT", sender_agency)
        .Set("CREATED_AT", created)
        .Set("ACK_MESSAGE_ID", MessageIdEcho(body))
        .Set("ACK_BODY_SHA256", crypto::Sha256Hex(body))
        .Set("RECEIVED_AT", received_at)
        .Set("DUPLICATE", answer.duplicate ? "Y" : "N")
        .Set("PARTNER_REF", AsciiCut(ref, kPartnerRefBytes));
    GW_ASSIGN_OR_RETURN(std::string record, std::move(w).Finish());
    GW_ASSIGN_OR_RETURN(frame, SealFrame({std::move(record)}, *link_key_));
  } else {
    std::optional<ThRtpRefusal> refusal = RefusalOf(answer.status);
    if (!refusal.has_value()) {
      refusal = MapGatewayRefusal(answer.status, body);
    }
    GW_ASSIGN_OR_RETURN(frame, MakeNak(*refusal, body, sender_agency));
  }
  PartnerMessage out;
  out.message_id = std::string(frame.substr(kLengthPrefixBytes + 4, 36));
  out.content_type = kFrameContentType;
  out.bytes = std::move(frame);
  return std::optional<PartnerMessage>(std::move(out));
}

absl::StatusOr<FrameInfo> ThRtpCodec::Inspect(std::string_view std_body,
                                              std::string_view std_peer) const {
  const absl::string_view body(std_body.data(), std_body.size());
  const absl::string_view peer_agency(std_peer.data(), std_peer.size());
  FrameInfo info;
  const std::string code(body.substr(0, std::min<size_t>(2, body.size())));
  if (code != "AK" && code != "NK" && code != "HB") {
    // A would-be data frame: Decode judges it and answers with an NK.
    info.kind = FrameInfo::Kind::kData;
    if (body.size() >= 40) {
      info.message_id = std::string(TrimTrailingSpaces(body.substr(4, 36)));
    }
    if (body.size() >= 50) {
      info.sender_agency = std::string(TrimTrailingSpaces(body.substr(40, 10)));
    }
    return info;
  }
  ParsedFrame frame;
  if (std::optional<ThRtpRefusal> fault = ParseBody(body, &frame)) {
    return absl::InvalidArgumentError(
        absl::StrCat("control frame: ", Describe(*fault)));
  }
  const RecordView& h = frame.header();
  info.sender_agency = std::string(h.Value("SENDER"));
  // Every control frame is signed (§6). One that does not verify (or names
  // another sender) must not be routed to an outstanding frame, where it
  // would take the place of the genuine answer: it breaks the connection,
  // and what was outstanding is retried (README §2.4: an unsigned or
  // invalidly signed response is a transport failure).
  std::string key_id;
  if (std::optional<ThRtpRefusal> fault = CheckSignature(
          frame, peer_agency, partner_agency_, partner_keys_, &key_id)) {
    return absl::UnauthenticatedError(
        absl::StrCat(h.type() == RecordType::kHB ? "heartbeat: " : "answer: ",
                     Describe(*fault)));
  }
  if (h.type() == RecordType::kHB) {
    info.kind = FrameInfo::Kind::kHeartbeat;
    info.message_id = std::string(h.Value("MESSAGE_ID"));
    return info;
  }
  info.kind = FrameInfo::Kind::kAnswer;
  info.message_id = std::string(h.Value(
      h.type() == RecordType::kAK ? "ACK_MESSAGE_ID" : "NAK_MESSAGE_ID"));
  return info;
}

absl::StatusOr<std::string> ThRtpCodec::MakeHeartbeat(
    std::string_view peer_agency) const {
  if (link_key_ == nullptr) {
    return absl::FailedPreconditionError("TH-RTP codec has no link key");
  }
  GW_ASSIGN_OR_RETURN(std::string created, FormatBeTimestamp(clock_()));
  RecordWriter w(RecordType::kHB);
  w.Set("FMT_VERSION", "01")
      .Set("MESSAGE_ID", NewMessageId())
      .Set("SENDER", local_agency_)
      .Set("RECIPIENT",
           absl::string_view(peer_agency.data(), peer_agency.size()))
      .Set("CREATED_AT", created);
  GW_ASSIGN_OR_RETURN(std::string record, std::move(w).Finish());
  return SealFrame({std::move(record)}, *link_key_);
}

absl::StatusOr<std::string> ThRtpCodec::MakeLengthRefusal(
    std::string_view peer_agency) const {
  return MakeNak(
      ThRtpRefusal{100, 0, "", "frame length outside 220..1048576 bytes"}, "",
      absl::string_view(peer_agency.data(), peer_agency.size()));
}

absl::StatusOr<std::string> ThRtpCodec::MakeWindowRefusal(
    std::string_view body, std::string_view peer_agency) const {
  return MakeNak(ThRtpRefusal{902, 0, "",
                              "more than 32 data frames unanswered; resend "
                              "after an answer"},
                 absl::string_view(body.data(), body.size()),
                 absl::string_view(peer_agency.data(), peer_agency.size()));
}

}  // namespace gw::th_rtp
