// adapters/la_mps/la_mps_codec.cc
//
// See la_mps_codec.h for the contract.
#include "adapters/la_mps/la_mps_codec.h"

#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "adapters/la_mps/csv.h"
#include "adapters/la_mps/la_fields.h"
#include "adapters/la_mps/la_values.h"
#include "adapters/text/normalize.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/uuid.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::la_mps {

namespace {

using adapters::DeliveryOutcome;
using adapters::InboundAnswer;
using adapters::InboundMessage;
using adapters::OutboundMessage;
using adapters::PartnerAnswer;
using adapters::PartnerMessage;

// Longest partner text copied into a reason, and longest error_text the
// gateway writes, in bytes / characters.
constexpr size_t kMaxReasonText = 500;
constexpr size_t kMaxErrorTextChars = 1000;

std::string Deterministic(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

// `text` cut to at most `max` bytes on a UTF-8 boundary, control characters
// as spaces: safe for a one-line reason.
std::string OneLine(absl::string_view text, size_t max = kMaxReasonText) {
  if (text.size() > max) {
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    text = text.substr(0, end);
  }
  std::string out(text);
  for (char& c : out) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

const std::string* FindMetadata(const adapters::Metadata& metadata,
                                absl::string_view key) {
  for (const auto& [k, v] : metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

absl::Status Refuse(absl::StatusCode code, absl::string_view error_code,
                    absl::string_view error_field, absl::string_view text) {
  return RefusalStatus(
      code, Refusal{std::string(error_code), std::string(error_field),
                    std::string(text)});
}

absl::Status Held(absl::string_view reason, absl::string_view text) {
  return ingest::WithReason(absl::UnavailableError(text), reason);
}

// An ID_NOT_REPRESENTABLE refusal of Encode, or OK.
absl::Status CheckIdentifier(absl::string_view field, absl::string_view id) {
  if (IsIdentifier(id)) return absl::OkStatus();
  return ingest::WithReason(
      absl::InvalidArgumentError(
          absl::StrCat(field,
                       ": ID_NOT_REPRESENTABLE: not 1 to 64 characters of "
                       "[A-Za-z0-9._:/-] beginning with a letter or digit "
                       "(partners/README.md §2.8)")),
      "ID_NOT_REPRESENTABLE");
}

absl::Status CheckIdentifiers(MessageType type,
                              const google::protobuf::Message& payload) {
  switch (type) {
    case MessageType::kAlert: {
      const auto& alert = static_cast<const gw::v1::CaseAlert&>(payload);
      absl::Status status = CheckIdentifier("alert_id", alert.alert_id());
      if (!status.ok()) return status;
      return CheckIdentifier("case_ref", alert.case_ref());
    }
    case MessageType::kRepatriationRequest: {
      const auto& request =
          static_cast<const gw::v1::RepatriationRequest&>(payload);
      absl::Status status = CheckIdentifier("request_id", request.request_id());
      if (!status.ok()) return status;
      return CheckIdentifier("case_ref", request.case_ref());
    }
    case MessageType::kRepatriationDecision: {
      const auto& record =
          static_cast<const gw::v1::RepatriationRecord&>(payload);
      absl::Status status =
          CheckIdentifier("request.request_id", record.request().request_id());
      if (!status.ok()) return status;
      return CheckIdentifier("request.case_ref", record.request().case_ref());
    }
    case MessageType::kCaseStatus:
      return CheckIdentifier(
          "case_ref",
          static_cast<const gw::v1::CaseStatus&>(payload).case_ref());
  }
  return absl::OkStatus();
}

std::unique_ptr<google::protobuf::Message> NewPayload(MessageType type) {
  switch (type) {
    case MessageType::kAlert:
      return std::make_unique<gw::v1::CaseAlert>();
    case MessageType::kRepatriationRequest:
      return std::make_unique<gw::v1::RepatriationRequest>();
    case MessageType::kRepatriationDecision:
      return std::make_unique<gw::v1::RepatriationRecord>();
    case MessageType::kCaseStatus:
      return std::make_unique<gw::v1::CaseStatus>();
  }
  return nullptr;
}

size_t CsvSize(const std::vector<CsvRecord>& records) {
  size_t size = kCsvHeader.size();
  std::string record;
  for (const CsvRecord& r : records) {
    record.clear();
    AppendCsvRecord(r.path, r.value, &record);
    size += record.size();
  }
  return size;
}

// The LA-MPS path of a gateway status message's leading canonical field
// path ("payload.subjects[0].role: ..." -> "subjects.1.role"), or "".
std::string ErrorFieldOf(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos) return "";
  absl::string_view path = message.substr(0, colon);
  if (!absl::ConsumePrefix(&path, "payload.")) return "";
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    const char c = path[i];
    if (c == '[') {
      const size_t close = path.find(']', i);
      if (close == absl::string_view::npos) return "";
      absl::StatusOr<uint64_t> index =
          ParseInteger(path.substr(i + 1, close - i - 1), 1000000);
      if (!index.ok()) return "";
      absl::StrAppend(&out, ".", *index + 1);
      i = close + 1;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.')) {
      return "";
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

// A gateway status message as an error_text: one line, valid UTF-8, NFC,
// at most kMaxErrorTextChars characters; `fallback` when nothing is left.
std::string ErrorTextOf(absl::string_view message, absl::string_view fallback) {
  if (!text::IsValidUtf8(std::string_view(message.data(), message.size())))
    return std::string(fallback);
  std::string line = OneLine(message, message.size());
  absl::StatusOr<std::string> nfc = text::ToNfc(line);
  if (nfc.ok()) line = *std::move(nfc);
  if (CountChars(line) > kMaxErrorTextChars) {
    size_t chars = 0;
    size_t end = 0;
    while (end < line.size()) {
      if ((static_cast<unsigned char>(line[end]) & 0xC0) != 0x80 &&
          chars++ == kMaxErrorTextChars) {
        break;
      }
      ++end;
    }
    line.resize(end);
  }
  line = CleanText(line);
  return line.empty() ? std::string(fallback) : line;
}

bool IsHeld(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

// The verifier of `key`'s certificate, or null (no key; a certificate the
// verifier cannot read, which Signer's own checks make impossible). Null
// only means that no .ack is recognised as ours, which is today's
// behaviour: every message is handed to the gateway.
std::unique_ptr<const crypto::Verifier> VerifierOf(const crypto::Signer* key) {
  if (key == nullptr) return nullptr;
  absl::StatusOr<std::unique_ptr<crypto::Verifier>> verifier =
      crypto::Verifier::FromCertificateDer(key->cert_der());
  if (!verifier.ok()) return nullptr;
  return *std::move(verifier);
}

}  // namespace

LaMpsCodec::LaMpsCodec(std::string local_agency, std::string partner_agency,
                       const crypto::Signer* own_key,
                       std::vector<const crypto::Verifier*> partner_keys,
                       std::function<absl::Time()> clock)
    : local_agency_(std::move(local_agency)),
      partner_agency_(std::move(partner_agency)),
      own_key_(own_key),
      own_verifier_(VerifierOf(own_key)),
      partner_keys_(std::move(partner_keys)),
      clock_(std::move(clock)) {}

const crypto::Verifier* LaMpsCodec::PartnerKey(absl::string_view key_id) const {
  for (const crypto::Verifier* key : partner_keys_) {
    if (key != nullptr && key->key_id_hex() == key_id) return key;
  }
  return nullptr;
}

absl::StatusOr<PartnerMessage> LaMpsCodec::Encode(
    const OutboundMessage& message) const {
  if (!util::IsLowercaseUuid(message.message_id)) {
    return absl::InvalidArgumentError(
        "message_id: not a lowercase canonical UUID (partners/README.md "
        "§2.1)");
  }
  if (message.recipient != partner_agency_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "recipient: this codec writes to ", partner_agency_, " only"));
  }
  const std::optional<MessageType> type =
      MessageTypeFromPayloadType(message.envelope.payload_type());
  if (!type.has_value()) {
    return absl::InvalidArgumentError(
        "envelope.payload_type: not a payload type of the LA-MPS link "
        "(LA-MPS.md §3.4)");
  }
  std::unique_ptr<google::protobuf::Message> payload = NewPayload(*type);
  if (!payload->ParseFromString(message.envelope.payload())) {
    return absl::InvalidArgumentError(
        absl::StrCat("envelope.payload: does not parse as ",
                     payload->GetDescriptor()->full_name()));
  }
  absl::Status status = CheckIdentifiers(*type, *payload);
  if (!status.ok()) return status;
  if (own_key_ == nullptr) {
    return absl::FailedPreconditionError("the LA-MPS link has no signing key");
  }
  absl::StatusOr<absl::Time> created = MessageCreatedAt(*type, *payload);
  if (!created.ok()) return created.status();
  absl::StatusOr<std::string> created_text = TimeToLa(*created);
  if (!created_text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("message_created_at: ", created_text.status().message()));
  }
  std::vector<CsvRecord> records = {
      {"format", std::string(kFormatName), 0},
      {"message_type", std::string(MessageTypeName(*type)), 0},
      {"message_id", message.message_id, 0},
      {"sender", local_agency_, 0},
      {"recipient", partner_agency_, 0},
      {"message_created_at", *created_text, 0},
      {"key_id", own_key_->key_id_hex(), 0}};
  if (!IsAgencyCode(local_agency_) || !IsAgencyCode(partner_agency_)) {
    return absl::InvalidArgumentError(
        "sender, recipient: not agency codes (partners/README.md §2.8)");
  }
  // Attachments are included while the file stays within 16 MiB (§9):
  // first the file without any content, then with what fits.
  absl::StatusOr<std::vector<CsvRecord>> body = EncodeBody(*type, *payload, 0);
  if (!body.ok()) return body.status();
  const size_t header_size = CsvSize(records);
  const size_t bare_size = header_size + CsvSize(*body) - kCsvHeader.size();
  if (bare_size > kMaxCsvBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "payload: PAYLOAD_TOO_LARGE: ", bare_size,
        " bytes of .csv without attachment content, over 16 MiB (LA-MPS.md "
        "§9)"));
  }
  if (*type == MessageType::kAlert) {
    body = EncodeBody(*type, *payload, kMaxCsvBytes - bare_size);
    if (!body.ok()) return body.status();
  }
  if (records.size() + body->size() > kMaxCsvRecords) {
    return absl::InvalidArgumentError(
        "payload: PAYLOAD_TOO_LARGE: more than 100,000 records (LA-MPS.md "
        "§9)");
  }
  // Read the body back with the inbound rules: what LA-MPS would refuse is
  // refused here, naming the field.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> check =
      DecodeBody(*type, *body, *created);
  if (!check.ok()) {
    const std::optional<Refusal> refusal = RefusalOf(check.status());
    if (!refusal.has_value()) return check.status();
    return absl::InvalidArgumentError(
        absl::StrCat(refusal->error_field, ": ", refusal->error_text,
                     "; LA-MPS would refuse it (", refusal->error_code, ")"));
  }
  records.insert(records.end(), std::make_move_iterator(body->begin()),
                 std::make_move_iterator(body->end()));
  PartnerMessage out;
  out.bytes = WriteCsv(records);
  absl::StatusOr<std::string> signature = own_key_->Sign(out.bytes);
  if (!signature.ok()) return signature.status();
  std::string sig = MakeSigFile(*signature);
  std::string done = MakeDoneFile(message.message_id, out.bytes, sig);
  out.message_id = message.message_id;
  out.content_type = kCsvContentType;
  out.metadata.emplace_back(adapters::kSigFile, std::move(sig));
  out.metadata.emplace_back(adapters::kDoneFile, std::move(done));
  return out;
}

absl::StatusOr<Ack> LaMpsCodec::ReadValidAck(absl::string_view message_id,
                                             absl::string_view bytes) const {
  absl::StatusOr<Ack> ack = ParseAck(bytes);
  if (!ack.ok()) return ack.status();
  const crypto::Verifier* key = PartnerKey(ack->key_id);
  if (key == nullptr) {
    return absl::UnauthenticatedError(absl::StrCat(
        ".ack key_id: not a signing key registered to ", partner_agency_));
  }
  absl::Status status = VerifyAck(*ack, bytes, *key);
  if (!status.ok()) return status;
  if (ack->message_id != message_id) {
    return absl::InvalidArgumentError(".ack message_id: names another message");
  }
  if (ack->sender != partner_agency_) {
    return absl::InvalidArgumentError(
        absl::StrCat(".ack sender: not ", partner_agency_));
  }
  if (ack->recipient != local_agency_) {
    return absl::InvalidArgumentError(
        absl::StrCat(".ack recipient: not ", local_agency_));
  }
  return ack;
}

DeliveryOutcome LaMpsCodec::ReadAnswer(const OutboundMessage& message,
                                       const PartnerMessage& sent,
                                       const PartnerAnswer& answer) const {
  if (!answer.status.ok()) {
    return DeliveryOutcome::Transient(
        absl::StrCat(absl::StatusCodeToString(answer.status.code()), ": ",
                     OneLine(answer.status.message())));
  }
  absl::StatusOr<Ack> ack = ReadValidAck(message.message_id, answer.bytes);
  if (!ack.ok()) {
    return DeliveryOutcome::Transient(absl::StrCat(
        "LA-MPS .ack not valid (yet): ", OneLine(ack.status().message())));
  }
  if (ack->status == AckStatus::kCorrupt) {
    return DeliveryOutcome::Transient(
        absl::StrCat("LA-MPS CORRUPT ", OneLine(ack->error_code, 100), ": ",
                     OneLine(ack->error_text)));
  }
  if (ack->payload_sha256 != crypto::Sha256Hex(sent.bytes)) {
    // Validly signed, for this message, but for other bytes: not delivered,
    // and rewriting the same bytes cannot fix it (README §2.3).
    return DeliveryOutcome::Permanent(
        absl::StrCat("ACK_DIGEST_MISMATCH .ack payload_sha256: LA-MPS ",
                     AckStatusName(ack->status),
                     " other .csv bytes than were sent"),
        answer.bytes);
  }
  if (ack->status == AckStatus::kRejected) {
    std::string head =
        absl::StrCat("LA-MPS REJECTED ", OneLine(ack->error_code, 100));
    if (!ack->error_field.empty()) {
      absl::StrAppend(&head, " ", OneLine(ack->error_field, 200));
    }
    return DeliveryOutcome::Permanent(
        absl::StrCat(head, ": ", OneLine(ack->error_text)), answer.bytes);
  }
  gw::v1::Receipt receipt;
  receipt.set_message_id(ack->message_id);
  receipt.set_payload_sha256(ack->payload_sha256);
  receipt.set_recipient(ack->sender);
  receipt.set_status(gw::v1::Receipt::ACCEPTED);
  *receipt.mutable_received_at() = util::ToTimestamp(ack->received_at);
  for (const AckWarning& warning : ack->warnings) {
    gw::v1::ReceiptWarning* out = receipt.add_warnings();
    out->set_code(warning.code);
    out->set_field(warning.field);
  }
  return DeliveryOutcome::Delivered(std::move(receipt), answer.bytes);
}

absl::StatusOr<InboundMessage> LaMpsCodec::Decode(
    const std::string& sender_agency, const PartnerMessage& received) const {
  const std::string& id = received.message_id;
  if (!util::IsLowercaseUuid(id)) {
    return absl::InternalError(
        "message_id: the transport gave no lowercase UUID (LA-MPS.md §3.1)");
  }
  const std::string& csv = received.bytes;
  const std::string* sig = FindMetadata(received.metadata, adapters::kSigFile);
  const std::string* done =
      FindMetadata(received.metadata, adapters::kDoneFile);
  if (sig == nullptr || done == nullptr) {
    return Held("INCOMPLETE", ".sig or .done missing (LA-MPS.md §7.2)");
  }
  if (absl::Status s = CheckDoneFile(id, *done, csv, *sig); !s.ok()) {
    return Held("INCOMPLETE", s.message());
  }

  // Step 5: size, CSV, records, header.
  if (csv.size() > kMaxCsvBytes) {
    return Refuse(absl::StatusCode::kInvalidArgument, "PAYLOAD_TOO_LARGE", "",
                  ".csv larger than 16 MiB (LA-MPS.md §9)");
  }
  absl::StatusOr<std::vector<CsvRecord>> read = ReadCsv(csv);
  if (!read.ok()) {
    return absl::IsOutOfRange(read.status())
               ? Refuse(absl::StatusCode::kInvalidArgument, "PAYLOAD_TOO_LARGE",
                        "", read.status().message())
               : Refuse(absl::StatusCode::kInvalidArgument, "MALFORMED_CSV", "",
                        read.status().message());
  }
  std::vector<CsvRecord>& records = *read;
  for (size_t i = 0; i < std::size(kHeaderFields); ++i) {
    if (i >= records.size() || records[i].path != kHeaderFields[i]) {
      return Refuse(absl::StatusCode::kInvalidArgument, "HEADER_MISMATCH",
                    kHeaderFields[i],
                    absl::StrCat("header record ", i + 1,
                                 " is not this field (LA-MPS.md §3.4)"));
    }
  }
  if (records[0].value != kFormatName) {
    return Refuse(absl::StatusCode::kInvalidArgument, "HEADER_MISMATCH",
                  "format", "not MKG-LA-CSV/1 (LA-MPS.md §3.4)");
  }
  if (records[2].value != id) {
    return Refuse(absl::StatusCode::kInvalidArgument, "HEADER_MISMATCH",
                  "message_id",
                  "not the <id> of the file name (LA-MPS.md §3.4)");
  }
  if (records[3].value != partner_agency_ || sender_agency != partner_agency_) {
    return Refuse(absl::StatusCode::kInvalidArgument, "AGENCY_MISMATCH",
                  "sender", absl::StrCat("not ", partner_agency_));
  }
  if (records[4].value != local_agency_) {
    return Refuse(absl::StatusCode::kInvalidArgument, "AGENCY_MISMATCH",
                  "recipient", absl::StrCat("not ", local_agency_));
  }

  // Step 6: the signature.
  const std::string key_id = records[6].value;
  if (!IsLowerHex(key_id, 64)) {
    // Never a registered key: refused rather than held forever.
    return Refuse(absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID",
                  "key_id", "not 64 lowercase hex digits (README §2.6)");
  }
  const crypto::Verifier* key = PartnerKey(key_id);
  if (key == nullptr) {
    return Held("UNKNOWN_KEY",
                absl::StrCat("key_id: not a signing key registered to ",
                             partner_agency_,
                             "; the message is held until it is (LA-MPS.md "
                             "§7.2 step 6)"));
  }
  absl::StatusOr<std::string> signature = ParseSigFile(*sig);
  if (!signature.ok()) {
    return Refuse(absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID", "",
                  signature.status().message());
  }
  if (!key->Verify(csv, *signature).ok()) {
    return Refuse(absl::StatusCode::kUnauthenticated, "SIGNATURE_INVALID", "",
                  ".sig does not verify over the .csv with key_id (LA-MPS.md "
                  "§6.1)");
  }

  // Step 7: NFC (after the signature check, §5.1), then the fields.
  InboundMessage out;
  for (CsvRecord& record : records) {
    absl::StatusOr<std::string> nfc = text::ToNfc(record.value);
    if (!nfc.ok()) return nfc.status();  // ReadCsv checked UTF-8
    if (*nfc != record.value) {
      record.value = *std::move(nfc);
      gw::v1::ReceiptWarning warning;
      warning.set_code("NORMALIZED_NFC");
      warning.set_field(record.path);
      out.warnings.push_back(std::move(warning));
    }
  }
  const std::optional<MessageType> type = MessageTypeFromName(records[1].value);
  if (!type.has_value()) {
    return SchemaViolation("message_type",
                           "want ALERT, REPATRIATION_REQUEST, "
                           "REPATRIATION_DECISION or CASE_STATUS (LA-MPS.md "
                           "§3.4)");
  }
  absl::StatusOr<absl::Time> created = LaToTime(records[5].value);
  if (!created.ok()) {
    return SchemaViolation("message_created_at", created.status().message());
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> payload =
      DecodeBody(*type, absl::MakeConstSpan(records).subspan(7), *created);
  if (!payload.ok()) return payload.status();

  out.sender_agency = sender_agency;
  out.message_id = id;
  out.envelope.set_payload_type(std::string(PayloadTypeOf(*type)));
  out.envelope.set_payload(Deterministic(**payload));
  out.received_sha256 = crypto::Sha256Hex(csv);
  out.evidence = MakeEvidence(id, EvidenceFiles{csv, *sig, *done});
  out.link_key_id = key_id;
  return out;
}

absl::StatusOr<PartnerMessage> LaMpsCodec::SignedAck(Ack ack) const {
  if (own_key_ == nullptr) {
    return absl::FailedPreconditionError("the LA-MPS link has no signing key");
  }
  absl::StatusOr<std::string> bytes = BuildAck(ack, *own_key_);
  if (!bytes.ok()) return bytes.status();
  PartnerMessage out;
  out.message_id = ack.message_id;
  out.content_type = kCsvContentType;
  out.bytes = *std::move(bytes);
  return out;
}

absl::StatusOr<std::optional<PartnerMessage>> LaMpsCodec::EncodeAnswer(
    const std::string& sender_agency, const PartnerMessage& received,
    const InboundAnswer& answer) const {
  if (!util::IsLowercaseUuid(received.message_id)) {
    return absl::InternalError(
        "message_id: not a lowercase UUID; no .ack can name it");
  }
  Ack ack;
  ack.message_id = received.message_id;
  ack.sender = local_agency_;
  ack.recipient = sender_agency;
  ack.payload_sha256 = crypto::Sha256Hex(received.bytes);
  if (answer.status.ok()) {
    if (!answer.receipt.has_value() || !answer.receipt->has_received_at()) {
      return absl::InternalError(
          "an OK answer without a receipt and its received_at");
    }
    ack.status = AckStatus::kAccepted;
    ack.received_at = util::FromTimestamp(answer.receipt->received_at());
    for (const gw::v1::ReceiptWarning& warning : answer.receipt->warnings()) {
      // A warning the format cannot carry is left out (or its field is):
      // it must never keep the ACCEPTED .ack from being written.
      if (!IsCode(warning.code())) continue;
      const bool field_ok =
          text::IsValidUtf8(std::string_view(warning.field())) &&
          CheckText(warning.field(), kMaxTextChars, false).ok();
      ack.warnings.push_back(
          AckWarning{warning.code(), field_ok ? warning.field() : ""});
    }
    absl::StatusOr<PartnerMessage> out = SignedAck(std::move(ack));
    if (!out.ok()) return out.status();
    return std::optional<PartnerMessage>(*std::move(out));
  }

  ack.status = AckStatus::kRejected;
  ack.received_at = clock_();
  if (std::optional<Refusal> refusal = RefusalOf(answer.status);
      refusal.has_value()) {
    ack.error_code = refusal->error_code;
    ack.error_field = refusal->error_field;
    ack.error_text = refusal->error_text;
  } else {
    const std::string reason = ingest::ReasonOf(answer.status);
    const absl::StatusCode code = answer.status.code();
    if (reason == "DUPLICATE_ID_CONFLICT" || reason == "UNKNOWN_KEY" ||
        reason == "INCOMPLETE" || reason == "NOT_SUPPORTED_YET" ||
        IsHeld(code)) {
      return std::optional<PartnerMessage>();
    }
    if (reason == "NOT_A_RECIPIENT" || reason == "SIGNATURE_INVALID" ||
        reason == "UNKNOWN_REFERENCE" || reason == "WORKFLOW_STATE") {
      ack.error_code = reason;
    } else if (code == absl::StatusCode::kNotFound) {
      ack.error_code = "UNKNOWN_REFERENCE";
    } else if (code == absl::StatusCode::kFailedPrecondition) {
      ack.error_code = "WORKFLOW_STATE";
    } else {
      ack.error_code = "SCHEMA_VIOLATION";
    }
    ack.error_field = ErrorFieldOf(answer.status.message());
    ack.error_text =
        ErrorTextOf(answer.status.message(), "refused by the gateway");
  }
  absl::StatusOr<PartnerMessage> out = SignedAck(std::move(ack));
  if (!out.ok()) return out.status();
  return std::optional<PartnerMessage>(*std::move(out));
}

adapters::FileDropProtocol::AckKind LaMpsCodec::InspectAck(
    std::string_view message_id, std::string_view ack_bytes) const {
  absl::StatusOr<Ack> ack =
      ReadValidAck(absl::string_view(message_id.data(), message_id.size()),
                   absl::string_view(ack_bytes.data(), ack_bytes.size()));
  if (!ack.ok()) return AckKind::kIgnore;
  return ack->status == AckStatus::kCorrupt ? AckKind::kCorrupt
                                            : AckKind::kFinal;
}

adapters::FileDropProtocol::OwnAckKind LaMpsCodec::InspectOwnAck(
    std::string_view message_id, std::string_view ack_bytes,
    std::string_view csv_sha256) const {
  if (own_verifier_ == nullptr) return OwnAckKind::kNone;
  const absl::string_view bytes(ack_bytes.data(), ack_bytes.size());
  absl::StatusOr<Ack> ack = ParseAck(bytes);
  // CORRUPT is never a final state (LA-MPS.md §7.2 step 3): the message is
  // processed when it is complete.
  if (!ack.ok() || ack->status == AckStatus::kCorrupt) return OwnAckKind::kNone;
  if (ack->message_id != message_id || ack->sender != local_agency_ ||
      ack->recipient != partner_agency_ ||
      ack->key_id != own_verifier_->key_id_hex() ||
      !VerifyAck(*ack, bytes, *own_verifier_).ok()) {
    return OwnAckKind::kNone;
  }
  return ack->payload_sha256 == csv_sha256 ? OwnAckKind::kSameMessage
                                           : OwnAckKind::kConflict;
}

absl::StatusOr<std::string> LaMpsCodec::MakeIncompleteAck(
    std::string_view message_id_std, std::string_view csv_bytes_std,
    std::string_view what_is_wrong_std) const {
  const absl::string_view message_id(message_id_std.data(),
                                     message_id_std.size());
  const absl::string_view csv_bytes(csv_bytes_std.data(), csv_bytes_std.size());
  const absl::string_view what_is_wrong(what_is_wrong_std.data(),
                                        what_is_wrong_std.size());
  if (!util::IsLowercaseUuid(message_id)) {
    return absl::InvalidArgumentError("message_id: not a lowercase UUID");
  }
  Ack ack;
  ack.message_id = std::string(message_id);
  ack.sender = local_agency_;
  ack.recipient = partner_agency_;
  ack.status = AckStatus::kCorrupt;
  ack.payload_sha256 = crypto::Sha256Hex(csv_bytes);
  ack.received_at = clock_();
  ack.error_code = "INCOMPLETE";
  ack.error_text =
      ErrorTextOf(what_is_wrong, "files incomplete after the grace period");
  absl::StatusOr<PartnerMessage> out = SignedAck(std::move(ack));
  if (!out.ok()) return out.status();
  return std::move(out->bytes);
}

}  // namespace gw::la_mps
