// tools/partners/vn_mps_mock/vn_format.cc
#include "tools/partners/vn_mps_mock/vn_format.h"

#include <libxml/parser.h>

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/uuid.h"
#include "tools/partners/vn_mps_mock/vn_writer.h"
#include "tools/partners/vn_mps_mock/vn_xml.h"

namespace gw::vn_mps_mock {
namespace {

using http_mock::Accepted;
using http_mock::Endpoint;
using http_mock::Refusal;

constexpr size_t kErrorTextChars = 200;   // ShortTextType
constexpr size_t kPartnerRefChars = 200;  // ShortTextType
constexpr size_t kLocationChars = 500;    // XPathLocationType
constexpr size_t kMaxWarnings = 100;      // Acknowledgement/Warning

// The four data messages (§3.1): root element, payload element, endpoint
// kind and path suffix.
struct DataMessage {
  const char* root;
  const char* payload;
  const char* kind;
  const char* path;
};
constexpr DataMessage kDataMessages[] = {
    {"CaseAlertMessage", "CaseAlert", "alert", "alerts"},
    {"RepatriationRequestMessage", "RepatriationRequest",
     "repatriation_request", "repatriation-requests"},
    {"RepatriationDecisionMessage", "RepatriationDecision",
     "repatriation_decision", "repatriation-decisions"},
    {"CaseStatusMessage", "CaseStatus", "case_status", "case-status"},
};

const DataMessage* DataMessageOf(const xmlNode* root) {
  for (const DataMessage& message : kDataMessages) {
    if (IsTipElement(root, message.root)) return &message;
  }
  return nullptr;
}

std::vector<Endpoint> EndpointsUnder(std::string_view prefix) {
  std::vector<Endpoint> endpoints;
  for (const DataMessage& message : kDataMessages) {
    endpoints.push_back(
        {absl::StrCat(AsAbsl(prefix), message.path), message.kind});
  }
  return endpoints;
}

Refusal MakeRefusal(int status, std::string code, std::string location,
                    std::string detail, const std::string& message_id) {
  Refusal refusal;
  refusal.http_status = status;
  refusal.code = std::move(code);
  refusal.location = std::move(location);
  refusal.detail = std::move(detail);
  refusal.message_id = message_id;
  return refusal;
}

// A path without the position of its last step: the whole list (§8).
std::string ListPath(const xmlNode* element) {
  std::string path = NodePath(element);
  if (!path.empty() && path.back() == ']') {
    const size_t open = path.rfind('[');
    if (open != std::string::npos) path.resize(open);
  }
  return path;
}

// RFC 3339 in whole seconds, UTC, "Z" (DateTimeType); as given if it does
// not parse.
std::string WholeSecondsUtc(std::string_view rfc3339) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(rfc3339), &time,
                       &error)) {
    return std::string(rfc3339);
  }
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

// ---------------------------------------------------------------- summary

nlohmann::json LangsOf(const std::vector<const xmlNode*>& texts) {
  nlohmann::json langs = nlohmann::json::array();
  for (const xmlNode* text : texts) langs.push_back(AttributeOf(text, "lang"));
  return langs;
}

nlohmann::json CodesOf(const std::vector<const xmlNode*>& codes) {
  nlohmann::json values = nlohmann::json::array();
  for (const xmlNode* code : codes) values.push_back(TextOf(code));
  return values;
}

void PutIfPresent(nlohmann::json* object, const char* key,
                  const xmlNode* element) {
  if (element != nullptr) (*object)[key] = TextOf(element);
}

nlohmann::json PersonSummary(const xmlNode* person) {
  nlohmann::json summary = nlohmann::json::object();
  nlohmann::json names = nlohmann::json::array();
  for (const xmlNode* name : TipChildren(person, "PersonName")) {
    nlohmann::json entry = {{"script", AttributeOf(name, "script")}};
    PutIfPresent(&entry, "surname", TipChild(name, "PersonSurName"));
    PutIfPresent(&entry, "middle", TipChild(name, "PersonMiddleName"));
    PutIfPresent(&entry, "given", TipChild(name, "PersonGivenName"));
    PutIfPresent(&entry, "full", TipChild(name, "PersonFullName"));
    names.push_back(std::move(entry));
  }
  summary["names"] = std::move(names);
  PutIfPresent(&summary, "sex", TipChild(person, "PersonSexCode"));
  // PersonBirthDate holds one of Date, YearMonthDate, YearDate.
  const xmlNode* birth = TipChild(person, "PersonBirthDate");
  for (const char* form : {"Date", "YearMonthDate", "YearDate"}) {
    PutIfPresent(&summary, "birth_date", TipChild(birth, form));
  }
  if (const xmlNode* age = TipChild(person, "PersonEstimatedAge")) {
    int value = 0;
    if (absl::SimpleAtoi(TextOf(age), &value)) summary["estimated_age"] = value;
  }
  PutIfPresent(&summary, "nationality",
               TipChild(person, "PersonCitizenshipISO3166Alpha3Code"));
  summary["documents"] = TipChildren(person, "PersonIdentityDocument").size();
  return summary;
}

nlohmann::json AlertSummary(const xmlNode* alert) {
  nlohmann::json summary = {
      {"alert_id", TextOf(TipChild(alert, "AlertID"))},
      {"alert_kind", TextOf(TipChild(alert, "AlertKindCode"))},
      {"priority", TextOf(TipChild(alert, "AlertPriorityCode"))},
      {"handling_code", TextOf(TipChild(alert, "HandlingCode"))},
      {"origin_agency", TextOf(TipChild(alert, "OriginAgencyCode"))},
      {"originator", TextOf(TipChild(alert, "OriginatorID"))},
      {"recipients", CodesOf(TipChildren(alert, "RecipientAgencyCode"))},
      {"alert_created_at", TextOf(TipChild(alert, "AlertCreatedDateTime"))},
      {"narrative_langs", LangsOf(TipChildren(alert, "Narrative"))},
  };
  nlohmann::json subjects = nlohmann::json::array();
  for (const xmlNode* subject : TipChildren(alert, "AlertSubject")) {
    subjects.push_back(
        {{"role", TextOf(TipChild(subject, "SubjectRoleCode"))},
         {"person", PersonSummary(TipChild(subject, "Person"))}});
  }
  summary["subjects"] = std::move(subjects);
  if (const xmlNode* last_seen = TipChild(alert, "LastSeen")) {
    nlohmann::json seen = nlohmann::json::object();
    PutIfPresent(&seen, "at", TipChild(last_seen, "LastSeenDateTime"));
    PutIfPresent(&seen, "country", TipChild(last_seen, "LastSeenCountryCode"));
    summary["last_seen"] = std::move(seen);
  }
  nlohmann::json attachments = nlohmann::json::array();
  for (const xmlNode* attachment : TipChildren(alert, "Attachment")) {
    nlohmann::json entry = {
        {"name", TextOf(TipChild(attachment, "AttachmentName"))},
        {"media_type", TextOf(TipChild(attachment, "AttachmentMediaType"))},
        {"sha256", TextOf(TipChild(attachment, "AttachmentSHA256"))},
        {"size", TextOf(TipChild(attachment, "AttachmentSizeMeasure"))},
        {"content_included",
         TipChild(attachment, "AttachmentBinaryBase64") != nullptr}};
    attachments.push_back(std::move(entry));
  }
  summary["attachments"] = std::move(attachments);
  return summary;
}

nlohmann::json HandoverSummary(const xmlNode* handover) {
  return {{"border_point", TextOf(TipChild(handover, "BorderPointName"))},
          {"date", TextOf(TipChild(handover, "HandoverDate"))}};
}

nlohmann::json RequestSummary(const xmlNode* request) {
  nlohmann::json summary = {
      {"request_id", TextOf(TipChild(request, "RequestID"))},
      {"requesting_agency", TextOf(TipChild(request, "RequestingAgencyCode"))},
      {"receiving_agency", TextOf(TipChild(request, "ReceivingAgencyCode"))},
      {"victim", PersonSummary(TipChild(request, "VictimPerson"))},
      {"identity_verified",
       TextOf(TipChild(request, "IdentityVerifiedIndicator")) == "true"},
      {"nationality_verified",
       TextOf(TipChild(request, "NationalityVerifiedIndicator")) == "true"},
      {"travel_document", TipChild(request, "TravelDocument") != nullptr},
  };
  if (const xmlNode* tracing = TipChild(request, "GuardianTracing")) {
    summary["guardian_tracing"] = {
        {"result", TextOf(TipChild(tracing, "TracingResultCode"))},
        {"guardian", TipChild(tracing, "GuardianPerson") != nullptr},
        {"note_langs", LangsOf(TipChildren(tracing, "TracingNote"))}};
  }
  if (const xmlNode* bia = TipChild(request, "BestInterestsAssessment")) {
    nlohmann::json assessment = {
        {"outcome", TextOf(TipChild(bia, "AssessmentOutcomeCode"))},
        {"summary_langs", LangsOf(TipChildren(bia, "AssessmentSummary"))}};
    PutIfPresent(&assessment, "date", TipChild(bia, "AssessmentDate"));
    summary["best_interests_assessment"] = std::move(assessment);
  }
  if (const xmlNode* handover = TipChild(request, "ProposedHandover")) {
    summary["proposed_handover"] = HandoverSummary(handover);
  }
  return summary;
}

nlohmann::json DecisionSummary(const xmlNode* decision) {
  nlohmann::json summary = {
      {"request_id", TextOf(TipChild(decision, "RequestID"))},
      {"state", TextOf(TipChild(decision, "RepatriationStateCode"))},
      {"deciding_agency", TextOf(TipChild(decision, "DecidingAgencyCode"))},
      {"decided_at", TextOf(TipChild(decision, "DecisionDateTime"))},
      {"reason_langs", LangsOf(TipChildren(decision, "DecisionReason"))},
  };
  if (const xmlNode* handover = TipChild(decision, "ScheduledHandover")) {
    summary["scheduled_handover"] = HandoverSummary(handover);
  }
  return summary;
}

nlohmann::json StatusSummary(const xmlNode* status) {
  return {
      {"owner_agency", TextOf(TipChild(status, "OwnerAgencyCode"))},
      {"state", TextOf(TipChild(status, "CaseStateCode"))},
      {"updated_at", TextOf(TipChild(status, "StatusUpdatedDateTime"))},
      {"shared_with", CodesOf(TipChildren(status, "SharedWithAgencyCode"))},
      {"note_langs", LangsOf(TipChildren(status, "StatusNote"))},
  };
}

// ------------------------------------------------- rules beyond the XSD

// §4.4: ScheduledHandover present iff the state is HANDOVER_SCHEDULED.
std::optional<Refusal> CheckHandoverRule(const xmlNode* decision,
                                         const std::string& message_id) {
  const xmlNode* state = TipChild(decision, "RepatriationStateCode");
  const xmlNode* handover = TipChild(decision, "ScheduledHandover");
  const bool scheduled = TextOf(state) == "HANDOVER_SCHEDULED";
  if (handover != nullptr && !scheduled) {
    return MakeRefusal(
        400, "SCHEMA_VIOLATION", NodePath(handover),
        absl::StrCat("tip:ScheduledHandover is present but "
                     "tip:RepatriationStateCode is ",
                     TextOf(state),
                     "; it comes with HANDOVER_SCHEDULED only (VN-MPS.md "
                     "4.4)"),
        message_id);
  }
  if (handover == nullptr && scheduled) {
    return MakeRefusal(400, "SCHEMA_VIOLATION", NodePath(state),
                       "tip:RepatriationStateCode is HANDOVER_SCHEDULED but "
                       "tip:ScheduledHandover is missing (VN-MPS.md 4.4)",
                       message_id);
  }
  return std::nullopt;
}

// §4.1: included content has the declared size and SHA-256.
std::optional<Refusal> CheckAttachments(const xmlNode* alert,
                                        const std::string& message_id) {
  const std::vector<const xmlNode*> attachments =
      TipChildren(alert, "Attachment");
  for (size_t k = 0; k < attachments.size(); ++k) {
    const xmlNode* content = TipChild(attachments[k], "AttachmentBinaryBase64");
    if (content == nullptr) continue;
    std::string base64;
    for (char c : TextOf(content)) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') base64.push_back(c);
    }
    std::string bytes;
    if (!absl::Base64Unescape(base64, &bytes)) {
      return MakeRefusal(400, "SCHEMA_VIOLATION", NodePath(content),
                         absl::StrCat("attachment ", k + 1,
                                      ": tip:AttachmentBinaryBase64 is not "
                                      "base64"),
                         message_id);
    }
    const xmlNode* size = TipChild(attachments[k], "AttachmentSizeMeasure");
    uint64_t declared = 0;
    if (!absl::SimpleAtoi(TextOf(size), &declared) ||
        declared != bytes.size()) {
      return MakeRefusal(
          400, "SCHEMA_VIOLATION", NodePath(size),
          absl::StrCat("attachment ", k + 1, ": tip:AttachmentSizeMeasure is ",
                       TextOf(size), " but the content has ", bytes.size(),
                       " bytes (VN-MPS.md 4.1)"),
          message_id);
    }
    const xmlNode* sha256 = TipChild(attachments[k], "AttachmentSHA256");
    if (TextOf(sha256) != crypto::Sha256Hex(bytes)) {
      return MakeRefusal(400, "SCHEMA_VIOLATION", NodePath(sha256),
                         absl::StrCat("attachment ", k + 1,
                                      ": tip:AttachmentSHA256 is not the "
                                      "SHA-256 of the content (VN-MPS.md "
                                      "4.1)"),
                         message_id);
    }
  }
  return std::nullopt;
}

// Step 12 entitlement (README §2.10), as far as the message shows it.
std::optional<Refusal> CheckEntitled(const DataMessage& message,
                                     const xmlNode* payload,
                                     std::string_view own_agency,
                                     const std::string& message_id) {
  auto listed = [&](const std::vector<const xmlNode*>& codes) {
    for (const xmlNode* code : codes) {
      if (TextOf(code) == own_agency) return true;
    }
    return false;
  };
  const std::string kind = message.kind;
  if (kind == "alert") {
    const auto recipients = TipChildren(payload, "RecipientAgencyCode");
    if (!listed(recipients)) {
      return MakeRefusal(403, "NOT_A_RECIPIENT", ListPath(recipients.front()),
                         absl::StrCat("the alert's recipients do not list ",
                                      AsAbsl(own_agency)),
                         message_id);
    }
  } else if (kind == "repatriation_request") {
    const xmlNode* receiving = TipChild(payload, "ReceivingAgencyCode");
    if (TextOf(TipChild(payload, "RequestingAgencyCode")) != own_agency &&
        TextOf(receiving) != own_agency) {
      return MakeRefusal(
          403, "NOT_A_RECIPIENT", NodePath(receiving),
          absl::StrCat(AsAbsl(own_agency), " is not a party to the request"),
          message_id);
    }
  } else if (kind == "case_status") {
    const auto shared = TipChildren(payload, "SharedWithAgencyCode");
    if (TextOf(TipChild(payload, "OwnerAgencyCode")) != own_agency &&
        !listed(shared)) {
      return MakeRefusal(
          403, "NOT_A_RECIPIENT",
          shared.empty() ? NodePath(TipChild(payload, "OwnerAgencyCode"))
                         : ListPath(shared.front()),
          absl::StrCat("the case is neither owned by nor shared with ",
                       AsAbsl(own_agency)),
          message_id);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string EndpointKindOfSample(std::string_view sample_kind) {
  if (sample_kind == "alert" || sample_kind == "alert_nfd") return "alert";
  if (sample_kind == "repatriation_request" ||
      sample_kind == "repatriation_request_nfd") {
    return "repatriation_request";
  }
  if (sample_kind == "repatriation_decision" ||
      sample_kind == "invalid_repatriation_decision") {
    return "repatriation_decision";
  }
  return "";
}

absl::StatusOr<std::unique_ptr<VnMpsFormat>> VnMpsFormat::Create() {
  xmlInitParser();
  absl::StatusOr<std::unique_ptr<VnMpsSchema>> schema = VnMpsSchema::Load();
  if (!schema.ok()) return schema.status();
  return std::unique_ptr<VnMpsFormat>(new VnMpsFormat(*std::move(schema)));
}

std::vector<std::string> VnMpsFormat::accepted_media_types() const {
  return {"application/xml", "application/xml; charset=utf-8",
          "text/xml; charset=utf-8"};
}

std::vector<Endpoint> VnMpsFormat::partner_endpoints() const {
  return EndpointsUnder("/tip/v1/");
}

std::vector<Endpoint> VnMpsFormat::gateway_endpoints() const {
  return EndpointsUnder("/gw/vn/v1/");
}

std::variant<Accepted, Refusal> VnMpsFormat::CheckBody(
    const Endpoint& endpoint, std::string_view body,
    std::string_view header_message_id, std::string_view peer_agency,
    std::string_view own_agency) const {
  std::string message_id = util::IsLowercaseUuid(AsAbsl(header_message_id))
                               ? std::string(header_message_id)
                               : "";
  // 1. well-formed UTF-8 without DOCTYPE.
  absl::StatusOr<XmlDocPtr> doc = ParseVnXml(body);
  if (!doc.ok()) {
    return MakeRefusal(400, "MALFORMED_XML", "",
                       std::string(doc.status().message()), message_id);
  }
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  const xmlNode* header = TipChild(root, "MessageHeader");
  const xmlNode* id_element = TipChild(header, "MessageID");
  const std::string body_id = TextOf(id_element);
  if (util::IsLowercaseUuid(body_id)) message_id = body_id;

  // 2. NFC.
  if (const xmlNode* bad = FirstNonNfcElement(doc->get())) {
    return MakeRefusal(
        400, "NOT_NFC", NodePath(bad),
        absl::StrCat("the text or an attribute value of ", DisplayName(bad),
                     " is not in Unicode NFC (VN-MPS.md 5.1)"),
        message_id);
  }
  // 3. XSD.
  if (std::optional<SchemaViolation> violation =
          schema_->Validate(doc->get())) {
    if (violation->internal_error) {
      return MakeRefusal(500, "INTERNAL_ERROR", "", violation->detail,
                         message_id);
    }
    return MakeRefusal(400, "SCHEMA_VIOLATION", violation->location,
                       violation->detail, message_id);
  }
  // 4. a data message.
  const DataMessage* message = DataMessageOf(root);
  if (message == nullptr) {
    return MakeRefusal(400, "WRONG_ENDPOINT", NodePath(root),
                       absl::StrCat("the root element ", DisplayName(root),
                                    " is not a data message (VN-MPS.md 2.2)"),
                       message_id);
  }
  // 5. tip:MessageID = Gw-Message-Id.
  if (body_id != header_message_id) {
    return MakeRefusal(400, "HEADER_MISMATCH", NodePath(id_element),
                       "tip:MessageID does not equal the Gw-Message-Id header",
                       message_id);
  }
  // 6. the root fits the path.
  if (endpoint.kind != message->kind) {
    return MakeRefusal(400, "WRONG_ENDPOINT", NodePath(root),
                       absl::StrCat("tip:", message->root,
                                    " does not fit POST ", endpoint.path),
                       message_id);
  }
  // 7. rules beyond the XSD.
  const xmlNode* payload = TipChild(root, message->payload);
  std::optional<Refusal> beyond;
  if (std::string_view(message->kind) == "repatriation_decision") {
    beyond = CheckHandoverRule(payload, message_id);
  } else if (std::string_view(message->kind) == "alert") {
    beyond = CheckAttachments(payload, message_id);
  }
  if (beyond.has_value()) return *std::move(beyond);
  // 8. agencies.
  const xmlNode* sender = TipChild(header, "SenderAgencyCode");
  if (TextOf(sender) != peer_agency) {
    return MakeRefusal(
        403, "AGENCY_MISMATCH", NodePath(sender),
        absl::StrCat("tip:SenderAgencyCode is ", TextOf(sender),
                     " but the client certificate is ", AsAbsl(peer_agency)),
        message_id);
  }
  const xmlNode* recipient = TipChild(header, "RecipientAgencyCode");
  if (TextOf(recipient) != own_agency) {
    return MakeRefusal(
        403, "AGENCY_MISMATCH", NodePath(recipient),
        absl::StrCat("tip:RecipientAgencyCode is ", TextOf(recipient), ", not ",
                     AsAbsl(own_agency)),
        message_id);
  }

  Accepted accepted;
  accepted.message_id = body_id;
  accepted.kind = message->kind;
  const xmlNode* case_ref = TipChild(payload, "CaseReference");
  accepted.case_ref = TextOf(case_ref);
  accepted.case_ref_location = NodePath(case_ref);
  nlohmann::json summary = {
      {"kind", message->kind},
      {"message_id", body_id},
      {"sender", TextOf(sender)},
      {"recipient", TextOf(recipient)},
      {"created_at", TextOf(TipChild(header, "MessageCreatedDateTime"))},
      {"case_ref", accepted.case_ref},
  };
  nlohmann::json details;
  if (accepted.kind == "alert") {
    details = AlertSummary(payload);
  } else if (accepted.kind == "repatriation_request") {
    details = RequestSummary(payload);
  } else if (accepted.kind == "repatriation_decision") {
    details = DecisionSummary(payload);
  } else {
    details = StatusSummary(payload);
  }
  summary.update(details);
  summary["exact_serialization"] = CanonicalForm(doc->get()) == body;
  accepted.summary = std::move(summary);
  accepted.business_refusal =
      CheckEntitled(*message, payload, own_agency, message_id);
  return accepted;
}

std::string VnMpsFormat::MakeAck(const http_mock::AckFields& ack) const {
  VnXmlWriter writer("Acknowledgement");
  writer.Leaf("AcknowledgedMessageID", ack.message_id);
  writer.Leaf("SenderAgencyCode", ack.sender);
  writer.Leaf("RecipientAgencyCode", ack.recipient);
  writer.Leaf("AcknowledgementStatusCode", "ACCEPTED");
  writer.Leaf("PayloadSHA256", ack.payload_sha256);
  writer.Leaf("ReceivedDateTime", WholeSecondsUtc(ack.received_at));
  writer.Leaf("PartnerReference",
              CutToChars(ack.partner_ref, kPartnerRefChars));
  for (size_t i = 0; i < ack.warnings.size() && i < kMaxWarnings; ++i) {
    writer.Open("Warning");
    writer.Leaf("WarningCode", ack.warnings[i].code);
    if (ack.warnings[i].location.size() <= kLocationChars) {
      writer.Leaf("WarningLocation", ack.warnings[i].location);
    }
    writer.Close();
  }
  return writer.Finish();
}

std::string VnMpsFormat::MakeError(const Refusal& refusal,
                                   std::string_view sender,
                                   std::string_view recipient,
                                   std::string_view received_at) const {
  VnXmlWriter writer("Rejection");
  if (util::IsLowercaseUuid(refusal.message_id)) {
    writer.Leaf("RejectedMessageID", refusal.message_id);
  }
  writer.Leaf("SenderAgencyCode", sender);
  writer.Leaf("RecipientAgencyCode", recipient);
  writer.Leaf("ErrorCode", refusal.code);
  if (!refusal.location.empty() && refusal.location.front() == '/' &&
      refusal.location.size() <= kLocationChars) {
    writer.Leaf("ErrorLocation", refusal.location);
  }
  // One line (ShortTextType has no control characters), 200 characters.
  std::string text = WrittenText(refusal.detail);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  text = WrittenText(CutToChars(text, kErrorTextChars));
  writer.Leaf("ErrorText", text.empty() ? refusal.code : text);
  writer.Leaf("RejectedDateTime", WholeSecondsUtc(received_at));
  return writer.Finish();
}

absl::StatusOr<http_mock::AnswerSummary> VnMpsFormat::ReadAnswer(
    int http_status, std::string_view body) const {
  absl::StatusOr<XmlDocPtr> doc = ParseVnXml(body);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the answer is not well-formed XML without DOCTYPE: ",
                     doc.status().message()));
  }
  if (const xmlNode* bad = FirstNonNfcElement(doc->get())) {
    return absl::InvalidArgumentError(
        absl::StrCat("the answer holds text that is not NFC at ", NodePath(bad),
                     " (the gateway always writes NFC, VN-MPS.md 5.1)"));
  }
  if (std::optional<SchemaViolation> violation =
          schema_->Validate(doc->get())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the answer does not validate against VN-MPS.xsd at ",
        violation->location.empty() ? "(no location)" : violation->location,
        ": ", violation->detail));
  }
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  http_mock::AnswerSummary answer;
  if (IsTipElement(root, "Acknowledgement")) {
    if (http_status != 200 && http_status != 202) {
      return absl::InvalidArgumentError(
          absl::StrCat("a tip:Acknowledgement came with HTTP ", http_status,
                       " (VN-MPS.md 7: 202 or 200)"));
    }
    answer.acknowledged =
        TextOf(TipChild(root, "AcknowledgementStatusCode")) == "ACCEPTED";
    answer.message_id = TextOf(TipChild(root, "AcknowledgedMessageID"));
    answer.payload_sha256 = TextOf(TipChild(root, "PayloadSHA256"));
    answer.received_at = TextOf(TipChild(root, "ReceivedDateTime"));
    for (const xmlNode* warning : TipChildren(root, "Warning")) {
      answer.warnings.push_back({TextOf(TipChild(warning, "WarningCode")),
                                 TextOf(TipChild(warning, "WarningLocation"))});
    }
    return answer;
  }
  if (IsTipElement(root, "Rejection")) {
    if (http_status < 400) {
      return absl::InvalidArgumentError(
          absl::StrCat("a tip:Rejection came with HTTP ", http_status,
                       " (VN-MPS.md 2.2: 4xx or 5xx)"));
    }
    answer.message_id = TextOf(TipChild(root, "RejectedMessageID"));
    answer.received_at = TextOf(TipChild(root, "RejectedDateTime"));
    answer.code = TextOf(TipChild(root, "ErrorCode"));
    answer.location = TextOf(TipChild(root, "ErrorLocation"));
    answer.detail = TextOf(TipChild(root, "ErrorText"));
    return answer;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the answer's root element is ", DisplayName(root),
                   ", neither tip:Acknowledgement nor tip:Rejection"));
}

}  // namespace gw::vn_mps_mock
