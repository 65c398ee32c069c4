// adapters/vn_mps/vn_in.cc
//
// See vn_in.h for the contract.
#include "adapters/vn_mps/vn_in.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "adapters/vn_mps/vn_format.h"
#include "adapters/vn_mps/vn_names.h"
#include "adapters/vn_mps/vn_values.h"
#include "adapters/vn_mps/xml_doc.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/proto_time.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::vn_mps {
namespace {

// The element children of a validated element, taken in schema order.
class Seq {
 public:
  explicit Seq(const xmlNode* parent) : nodes_(ChildElements(parent)) {}

  // The next child if it is tip:`local`, else null.
  const xmlNode* Opt(absl::string_view local) {
    if (next_ < nodes_.size() && IsTip(nodes_[next_], local)) {
      return nodes_[next_++];
    }
    return nullptr;
  }
  std::string Text(absl::string_view local) { return NodeText(Opt(local)); }
  std::vector<const xmlNode*> All(absl::string_view local) {
    std::vector<const xmlNode*> out;
    while (const xmlNode* node = Opt(local)) out.push_back(node);
    return out;
  }

 private:
  std::vector<const xmlNode*> nodes_;
  size_t next_ = 0;
};

Fault SchemaFault(const xmlNode* node, std::string text) {
  return Fault{400, "SCHEMA_VIOLATION", NodePath(node), std::move(text)};
}

std::string Name(const xmlNode* node) {
  return absl::StrCat(kPrefix, ":", LocalName(node));
}

// XML Schema white space, which base64Binary allows between characters.
std::string WithoutSpace(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

bool DecodeBase64(const xmlNode* node, std::string* out) {
  return absl::Base64Unescape(WithoutSpace(NodeText(node)), out);
}

// The value of an element whose type collapses white space (dates,
// instants, booleans, integers; vn_values.h), as the XSD validated it.
std::string Collapsed(const xmlNode* node) {
  return CollapseWhiteSpace(NodeText(node));
}

// An IndicatorType. Its pattern lets only "true" and "false" through; "1"
// and "0", xs:boolean's other spellings, would read as true and false.
bool Indicator(const xmlNode* node) {
  return ParseBoolean(NodeText(node)).value_or(false);
}

// Reads values and records the first date or instant that is not real.
class Mapper {
 public:
  std::optional<Fault> fault;

  // An instant; nothing is set when it is not a real one.
  void Instant(const xmlNode* node, google::protobuf::Timestamp* out) {
    if (node == nullptr) return;
    std::optional<absl::Time> t = ParseDateTime(Collapsed(node));
    if (!t.has_value()) {
      Fail(node, "not a real instant (VN-MPS.md §5.4)");
      return;
    }
    *out = util::ToTimestamp(*t);
  }
  std::string Date(const xmlNode* node) {
    if (node == nullptr) return "";
    std::string text = Collapsed(node);
    if (!IsRealDate(text)) {
      Fail(node, "not a real calendar date (VN-MPS.md §5.4)");
      return "";
    }
    return text;
  }

  void Texts(const std::vector<const xmlNode*>& nodes,
             google::protobuf::RepeatedPtrField<gw::v1::LanguageText>* out) {
    for (const xmlNode* node : nodes) {
      gw::v1::LanguageText* text = out->Add();
      // xs:language collapses white space too.
      text->set_lang(CollapseWhiteSpace(AttrValue(node, "lang")));
      text->set_text(NodeText(node));
    }
  }

  void Document(const xmlNode* node, gw::v1::IdentityDocument* out) {
    Seq s(node);
    out->set_type(s.Text("DocumentCategoryCode"));
    out->set_number(s.Text("DocumentIdentificationID"));
    out->set_issuing_state(s.Text("DocumentIssuingCountryCode"));
    out->set_expiry(Date(s.Opt("DocumentExpirationDate")));
    for (const xmlNode* line : s.All("DocumentMRZLine")) {
      out->add_mrz(NodeText(line));
    }
  }

  void Person(const xmlNode* node, gw::v1::Person* out) {
    Seq s(node);
    for (const xmlNode* name : s.All("PersonName")) {
      gw::v1::PersonName* n = out->add_names();
      n->set_script(AttrValue(name, "script"));
      Seq parts(name);
      n->set_family(parts.Text("PersonSurName"));
      const std::string middle = parts.Text("PersonMiddleName");
      const std::string given = parts.Text("PersonGivenName");
      n->set_given(JoinGiven(middle, given));
      n->set_full(parts.Text("PersonFullName"));
    }
    const std::string sex = s.Text("PersonSexCode");
    out->set_sex(sex == "F"   ? gw::v1::Person::FEMALE
                 : sex == "M" ? gw::v1::Person::MALE
                              : gw::v1::Person::UNKNOWN);
    if (const xmlNode* birth = s.Opt("PersonBirthDate")) {
      const std::vector<const xmlNode*> branch = ChildElements(birth);
      if (!branch.empty()) out->set_date_of_birth(Date(branch.front()));
    }
    if (const xmlNode* age = s.Opt("PersonEstimatedAge")) {
      uint32_t years = 0;
      if (absl::SimpleAtoi(Collapsed(age), &years)) {
        out->set_age_estimate(years);
      }
    }
    out->set_nationality(s.Text("PersonCitizenshipISO3166Alpha3Code"));
    for (const xmlNode* doc : s.All("PersonIdentityDocument")) {
      Document(doc, out->add_documents());
    }
  }

  void Handover(const xmlNode* node, gw::v1::ProposedHandover* out) {
    Seq s(node);
    out->set_border_point(s.Text("BorderPointName"));
    out->set_date(Date(s.Opt("HandoverDate")));
  }

 private:
  void Fail(const xmlNode* node, absl::string_view what) {
    if (!fault.has_value()) {
      fault = SchemaFault(
          node, absl::StrCat("Element '", Name(node), "': ", what, "."));
    }
  }
};

void Warn(std::vector<gw::v1::ReceiptWarning>* warnings, std::string code,
          std::string field) {
  gw::v1::ReceiptWarning* w = &warnings->emplace_back();
  w->set_code(std::move(code));
  w->set_field(std::move(field));
}

CanonicalMessage Alert(const xmlNode* payload, Mapper* m) {
  auto alert = std::make_unique<gw::v1::CaseAlert>();
  Seq s(payload);
  alert->set_alert_id(s.Text("AlertID"));
  alert->set_case_ref(s.Text("CaseReference"));
  gw::v1::CaseAlert::Kind kind = gw::v1::CaseAlert::KIND_UNSPECIFIED;
  gw::v1::CaseAlert::Kind_Parse(s.Text("AlertKindCode"), &kind);
  alert->set_kind(kind);
  gw::v1::CaseAlert::Priority priority =
      gw::v1::CaseAlert::PRIORITY_UNSPECIFIED;
  gw::v1::CaseAlert::Priority_Parse(s.Text("AlertPriorityCode"), &priority);
  alert->set_priority(priority);
  gw::v1::CaseAlert::HandlingCode handling =
      gw::v1::CaseAlert::HANDLING_CODE_UNSPECIFIED;
  gw::v1::CaseAlert::HandlingCode_Parse(s.Text("HandlingCode"), &handling);
  alert->set_handling_code(handling);
  alert->set_origin_agency(s.Text("OriginAgencyCode"));
  alert->set_originator(s.Text("OriginatorID"));
  for (const xmlNode* code : s.All("RecipientAgencyCode")) {
    alert->add_recipients(NodeText(code));
  }
  for (const xmlNode* node : s.All("AlertSubject")) {
    gw::v1::Subject* subject = alert->add_subjects();
    Seq parts(node);
    gw::v1::Subject::Role role = gw::v1::Subject::ROLE_UNSPECIFIED;
    gw::v1::Subject::Role_Parse(parts.Text("SubjectRoleCode"), &role);
    subject->set_role(role);
    m->Person(parts.Opt("Person"), subject->mutable_person());
  }
  if (const xmlNode* seen = s.Opt("LastSeen")) {
    Seq parts(seen);
    gw::v1::LastSeen* last = alert->mutable_last_seen();
    if (const xmlNode* at = parts.Opt("LastSeenDateTime")) {
      m->Instant(at, last->mutable_at());
    }
    last->set_place(parts.Text("LastSeenLocationText"));
    last->set_country(parts.Text("LastSeenCountryCode"));
  }
  m->Texts(s.All("Narrative"), alert->mutable_narrative());
  for (const xmlNode* node : s.All("Attachment")) {
    gw::v1::Attachment* attachment = alert->add_attachments();
    Seq parts(node);
    attachment->set_name(parts.Text("AttachmentName"));
    attachment->set_media_type(parts.Text("AttachmentMediaType"));
    attachment->set_sha256(parts.Text("AttachmentSHA256"));
    parts.Opt("AttachmentSizeMeasure");
    if (const xmlNode* content = parts.Opt("AttachmentBinaryBase64")) {
      std::string bytes;
      if (DecodeBase64(content, &bytes)) {
        attachment->set_content(std::move(bytes));
      }
    }
  }
  m->Instant(s.Opt("AlertCreatedDateTime"), alert->mutable_created_at());
  CanonicalMessage out;
  out.payload_type = kCaseAlertPayloadType;
  out.message = std::move(alert);
  return out;
}

CanonicalMessage Request(const xmlNode* payload,
                         const google::protobuf::Timestamp& created,
                         Mapper* m) {
  auto request = std::make_unique<gw::v1::RepatriationRequest>();
  CanonicalMessage out;
  Seq s(payload);
  request->set_request_id(s.Text("RequestID"));
  request->set_case_ref(s.Text("CaseReference"));
  request->set_requesting_agency(s.Text("RequestingAgencyCode"));
  request->set_receiving_agency(s.Text("ReceivingAgencyCode"));
  m->Person(s.Opt("VictimPerson"), request->mutable_victim());
  request->set_identity_verified(Indicator(s.Opt("IdentityVerifiedIndicator")));
  request->set_nationality_verified(
      Indicator(s.Opt("NationalityVerifiedIndicator")));
  if (const xmlNode* travel = s.Opt("TravelDocument")) {
    m->Document(travel, request->mutable_travel_document());
  }
  if (const xmlNode* node = s.Opt("GuardianTracing")) {
    gw::v1::Guardian* guardian = request->mutable_guardian();
    Seq parts(node);
    const std::string tracing = parts.Text("TracingResultCode");
    guardian->set_tracing_result(
        tracing == "FOUND"         ? gw::v1::Guardian::FAMILY_FOUND
        : tracing == "NOT_FOUND"   ? gw::v1::Guardian::FAMILY_NOT_FOUND
        : tracing == "IN_PROGRESS" ? gw::v1::Guardian::IN_PROGRESS
                                   : gw::v1::Guardian::NOT_STARTED);
    if (const xmlNode* person = parts.Opt("GuardianPerson")) {
      m->Person(person, guardian->mutable_person());
    }
    m->Texts(parts.All("TracingNote"), guardian->mutable_notes());
  }
  if (const xmlNode* node = s.Opt("BestInterestsAssessment")) {
    gw::v1::BestInterestsAssessment* bia =
        request->mutable_best_interests_assessment();
    Seq parts(node);
    const std::string outcome = parts.Text("AssessmentOutcomeCode");
    bia->set_outcome(
        outcome == "RETURN" ? gw::v1::BestInterestsAssessment::RETURN
        : outcome == "NO_RETURN"
            ? gw::v1::BestInterestsAssessment::DO_NOT_RETURN
        : outcome == "PENDING"
            ? gw::v1::BestInterestsAssessment::PENDING
            : gw::v1::BestInterestsAssessment::OUTCOME_UNSPECIFIED);
    if (outcome == "NOT_REQUIRED") {
      // gw.v1 has no value for it; the evidence keeps it.
      Warn(&out.warnings, kValueNotRepresentable,
           "best_interests_assessment.outcome");
    }
    bia->set_completed_on(m->Date(parts.Opt("AssessmentDate")));
    m->Texts(parts.All("AssessmentSummary"), bia->mutable_summary());
  }
  if (const xmlNode* node = s.Opt("ProposedHandover")) {
    m->Handover(node, request->mutable_proposed_handover());
  }
  *request->mutable_created_at() = created;
  out.payload_type = kRepatriationRequestPayloadType;
  out.message = std::move(request);
  return out;
}

CanonicalMessage Decision(const xmlNode* payload,
                          const google::protobuf::Timestamp& created,
                          Mapper* m) {
  auto record = std::make_unique<gw::v1::RepatriationRecord>();
  Seq s(payload);
  gw::v1::RepatriationRequest* request = record->mutable_request();
  request->set_request_id(s.Text("RequestID"));
  request->set_case_ref(s.Text("CaseReference"));
  gw::v1::RepatriationRecord::State state =
      gw::v1::RepatriationRecord::STATE_UNSPECIFIED;
  gw::v1::RepatriationRecord::State_Parse(s.Text("RepatriationStateCode"),
                                          &state);
  record->set_state(state);
  gw::v1::RepatriationEvent* event = record->add_history();
  event->set_to_state(state);
  event->set_actor_agency(s.Text("DecidingAgencyCode"));
  m->Instant(s.Opt("DecisionDateTime"), event->mutable_at());
  m->Texts(s.All("DecisionReason"), event->mutable_reason());
  if (const xmlNode* node = s.Opt("ScheduledHandover")) {
    // gw.v1.RepatriationEvent has no handover: the request's
    // proposed_handover carries it, where outbound decisions take it from.
    m->Handover(node, request->mutable_proposed_handover());
  }
  *record->mutable_updated_at() = created;
  CanonicalMessage out;
  out.payload_type = kRepatriationRecordPayloadType;
  out.message = std::move(record);
  return out;
}

CanonicalMessage Status(const xmlNode* payload, Mapper* m) {
  auto status = std::make_unique<gw::v1::CaseStatus>();
  Seq s(payload);
  status->set_case_ref(s.Text("CaseReference"));
  status->set_owner_agency(s.Text("OwnerAgencyCode"));
  gw::v1::CaseStatus::State state = gw::v1::CaseStatus::STATE_UNSPECIFIED;
  gw::v1::CaseStatus::State_Parse(s.Text("CaseStateCode"), &state);
  status->set_state(state);
  m->Instant(s.Opt("StatusUpdatedDateTime"), status->mutable_updated_at());
  for (const xmlNode* code : s.All("SharedWithAgencyCode")) {
    status->add_shared_with(NodeText(code));
  }
  m->Texts(s.All("StatusNote"), status->mutable_note());
  CanonicalMessage out;
  out.payload_type = kCaseStatusPayloadType;
  out.message = std::move(status);
  return out;
}

// The payload element (second child) of a data message.
const xmlNode* PayloadOf(const xmlNode* root) {
  const std::vector<const xmlNode*> children = ChildElements(root);
  return children.size() > 1 ? children[1] : nullptr;
}

}  // namespace

bool IsDataMessage(const xmlNode* root) {
  return IsTip(root, kCaseAlertMessage) ||
         IsTip(root, kRepatriationRequestMessage) ||
         IsTip(root, kRepatriationDecisionMessage) ||
         IsTip(root, kCaseStatusMessage);
}

MessageHeaderView ReadHeader(const xmlNode* root) {
  MessageHeaderView out;
  const std::vector<const xmlNode*> children = ChildElements(root);
  if (children.empty() || !IsTip(children[0], "MessageHeader")) return out;
  Seq s(children[0]);
  out.message_id_node = s.Opt("MessageID");
  out.sender_node = s.Opt("SenderAgencyCode");
  out.recipient_node = s.Opt("RecipientAgencyCode");
  out.message_id = NodeText(out.message_id_node);
  out.sender = NodeText(out.sender_node);
  out.recipient = NodeText(out.recipient_node);
  return out;
}

std::optional<Fault> CheckRules(const xmlNode* root) {
  const xmlNode* payload = PayloadOf(root);
  if (IsTip(root, kRepatriationDecisionMessage)) {
    Seq s(payload);
    s.Opt("RequestID");
    s.Opt("CaseReference");
    const xmlNode* state = s.Opt("RepatriationStateCode");
    s.Opt("DecidingAgencyCode");
    s.Opt("DecisionDateTime");
    s.All("DecisionReason");
    const xmlNode* handover = s.Opt("ScheduledHandover");
    const bool scheduled = NodeText(state) == "HANDOVER_SCHEDULED";
    if (scheduled && handover == nullptr) {
      return SchemaFault(state,
                         "Element 'tip:RepatriationStateCode': "
                         "HANDOVER_SCHEDULED comes without "
                         "tip:ScheduledHandover (VN-MPS.md §4.4).");
    }
    if (!scheduled && handover != nullptr) {
      return SchemaFault(handover,
                         "Element 'tip:ScheduledHandover': present although "
                         "the state is not HANDOVER_SCHEDULED (VN-MPS.md "
                         "§4.4).");
    }
  }
  if (IsTip(root, kCaseAlertMessage)) {
    for (const xmlNode* child : ChildElements(payload)) {
      if (!IsTip(child, "Attachment")) continue;
      Seq s(child);
      s.Opt("AttachmentName");
      s.Opt("AttachmentMediaType");
      const xmlNode* sha = s.Opt("AttachmentSHA256");
      const xmlNode* size = s.Opt("AttachmentSizeMeasure");
      const xmlNode* content = s.Opt("AttachmentBinaryBase64");
      if (content == nullptr) continue;
      std::string bytes;
      if (!DecodeBase64(content, &bytes)) {
        return SchemaFault(content,
                           "Element 'tip:AttachmentBinaryBase64': not "
                           "base64.");
      }
      uint64_t declared = 0;
      if (!absl::SimpleAtoi(Collapsed(size), &declared) ||
          declared != bytes.size()) {
        return SchemaFault(size,
                           "Element 'tip:AttachmentSizeMeasure': not the size "
                           "of tip:AttachmentBinaryBase64 (VN-MPS.md §4.1).");
      }
      if (NodeText(sha) != crypto::Sha256Hex(bytes)) {
        return SchemaFault(sha,
                           "Element 'tip:AttachmentSHA256': not the SHA-256 "
                           "of tip:AttachmentBinaryBase64 (VN-MPS.md §4.1).");
      }
    }
  }
  return std::nullopt;
}

Decoded ToCanonical(const xmlNode* root) {
  Decoded out;
  Mapper m;
  // The header's time first: document order.
  google::protobuf::Timestamp created;
  {
    const std::vector<const xmlNode*> children = ChildElements(root);
    Seq s(children.empty() ? nullptr : children[0]);
    s.Opt("MessageID");
    s.Opt("SenderAgencyCode");
    s.Opt("RecipientAgencyCode");
    m.Instant(s.Opt("MessageCreatedDateTime"), &created);
  }
  const xmlNode* payload = PayloadOf(root);
  if (IsTip(root, kCaseAlertMessage)) {
    out.message = Alert(payload, &m);
  } else if (IsTip(root, kRepatriationRequestMessage)) {
    out.message = Request(payload, created, &m);
  } else if (IsTip(root, kRepatriationDecisionMessage)) {
    out.message = Decision(payload, created, &m);
  } else {
    out.message = Status(payload, &m);
  }
  out.fault = std::move(m.fault);
  return out;
}

AckView ReadAck(const xmlNode* root) {
  AckView out;
  Seq s(root);
  out.message_id = s.Text("AcknowledgedMessageID");
  out.sender = s.Text("SenderAgencyCode");
  out.recipient = s.Text("RecipientAgencyCode");
  out.status = s.Text("AcknowledgementStatusCode");
  out.payload_sha256 = s.Text("PayloadSHA256");
  out.received_at = Collapsed(s.Opt("ReceivedDateTime"));
  out.partner_reference = s.Text("PartnerReference");
  for (const xmlNode* warning : s.All("Warning")) {
    Seq parts(warning);
    std::string code = parts.Text("WarningCode");
    std::string location = parts.Text("WarningLocation");
    out.warnings.emplace_back(std::move(code), std::move(location));
  }
  return out;
}

RejectionView ReadRejection(const xmlNode* root) {
  RejectionView out;
  Seq s(root);
  out.rejected_message_id = s.Text("RejectedMessageID");
  out.sender = s.Text("SenderAgencyCode");
  out.recipient = s.Text("RecipientAgencyCode");
  out.payload_sha256 = s.Text("PayloadSHA256");
  out.code = s.Text("ErrorCode");
  out.location = s.Text("ErrorLocation");
  out.text = s.Text("ErrorText");
  out.rejected_at = Collapsed(s.Opt("RejectedDateTime"));
  return out;
}

}  // namespace gw::vn_mps
