// adapters/vn_mps/vn_out.cc
//
// See vn_out.h for the contract.
#include "adapters/vn_mps/vn_out.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/vn_mps/vn_format.h"
#include "adapters/vn_mps/vn_names.h"
#include "adapters/vn_mps/vn_text.h"
#include "adapters/vn_mps/vn_values.h"
#include "adapters/vn_mps/xml_writer.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/status_macros.h"

namespace gw::vn_mps {
namespace {

using google::protobuf::RepeatedPtrField;

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// README §2.8: ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$.
bool IsIdentifier(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       (c >= '0' && c <= '9');
    if (alnum) continue;
    if (i == 0) return false;
    if (c != '.' && c != '_' && c != ':' && c != '/' && c != '-') return false;
  }
  return true;
}

absl::Status CheckId(absl::string_view value, absl::string_view field) {
  if (IsIdentifier(value)) return absl::OkStatus();
  return ingest::WithReason(
      absl::InvalidArgumentError(absl::StrCat(
          "ID_NOT_REPRESENTABLE ", field,
          ": not 1 to 64 characters of [A-Za-z0-9._:/-] starting with a "
          "letter or digit (partners/README.md §2.8)")),
      "ID_NOT_REPRESENTABLE");
}

// Leaf writers. `field` names the canonical source in errors and in the
// writer's field map.
absl::Status Plain(XmlWriter* w, absl::string_view name,
                   absl::string_view value, const std::string& field) {
  GW_ASSIGN_OR_RETURN(std::string text, PlainText(value, field));
  w->Leaf(name, text, field);
  return absl::OkStatus();
}

absl::Status OptionalPlain(XmlWriter* w, absl::string_view name,
                           absl::string_view value, const std::string& field) {
  if (value.empty()) return absl::OkStatus();
  return Plain(w, name, value, field);
}

absl::Status Short(XmlWriter* w, absl::string_view name,
                   absl::string_view value, const std::string& field) {
  GW_ASSIGN_OR_RETURN(std::string text, ShortText(value, field));
  w->Leaf(name, text, field);
  return absl::OkStatus();
}

absl::Status Time(XmlWriter* w, absl::string_view name,
                  const google::protobuf::Timestamp& ts,
                  const std::string& field) {
  GW_ASSIGN_OR_RETURN(std::string text, FormatDateTime(ts, field));
  w->Leaf(name, text, field);
  return absl::OkStatus();
}

// Language-tagged texts; an empty text is nothing to send.
absl::Status Texts(XmlWriter* w, absl::string_view name,
                   const RepeatedPtrField<gw::v1::LanguageText>& texts,
                   const std::string& field) {
  for (int k = 0; k < texts.size(); ++k) {
    const std::string item = absl::StrCat(field, "[", k, "]");
    GW_ASSIGN_OR_RETURN(std::string text,
                        LongText(texts[k].text(), item + ".text"));
    if (text.empty()) continue;
    GW_ASSIGN_OR_RETURN(std::string lang,
                        PlainText(texts[k].lang(), item + ".lang"));
    w->Leaf(name, text, item, XmlAttr{"lang", lang});
  }
  return absl::OkStatus();
}

template <typename Enum>
absl::StatusOr<std::string> EnumName(Enum value, const std::string& name,
                                     const std::string& field) {
  if (static_cast<int>(value) == 0 || name.empty()) {
    return Invalid(field, "unspecified");
  }
  return name;
}

void Header(XmlWriter* w, const MessageAddress& address,
            const std::string& created, const std::string& created_field) {
  w->Open("MessageHeader", "message");
  w->Leaf("MessageID", address.message_id, "message_id");
  w->Leaf("SenderAgencyCode", address.sender, "local_agency");
  w->Leaf("RecipientAgencyCode", address.recipient, "recipient");
  w->Leaf("MessageCreatedDateTime", created, created_field);
  w->Close();
}

absl::Status Document(XmlWriter* w, absl::string_view element,
                      const gw::v1::IdentityDocument& doc,
                      const std::string& path) {
  w->Open(element, path);
  GW_RETURN_IF_ERROR(
      Plain(w, "DocumentCategoryCode", doc.type(), path + ".type"));
  GW_RETURN_IF_ERROR(
      Plain(w, "DocumentIdentificationID", doc.number(), path + ".number"));
  GW_RETURN_IF_ERROR(OptionalPlain(w, "DocumentIssuingCountryCode",
                                   doc.issuing_state(),
                                   path + ".issuing_state"));
  GW_RETURN_IF_ERROR(OptionalPlain(w, "DocumentExpirationDate", doc.expiry(),
                                   path + ".expiry"));
  for (int i = 0; i < doc.mrz_size(); ++i) {
    GW_RETURN_IF_ERROR(Plain(w, "DocumentMRZLine", doc.mrz(i),
                             absl::StrCat(path, ".mrz[", i, "]")));
  }
  w->Close();
  return absl::OkStatus();
}

absl::string_view SexCode(gw::v1::Person::Sex sex) {
  switch (sex) {
    case gw::v1::Person::FEMALE:
      return "F";
    case gw::v1::Person::MALE:
      return "M";
    default:
      return "U";
  }
}

absl::Status Person(XmlWriter* w, absl::string_view element,
                    const gw::v1::Person& person, const std::string& path) {
  if (person.names_size() == 0) {
    return Invalid(path + ".names",
                   "empty; VN-MPS needs at least one name (VN-MPS.md §3.2)");
  }
  GW_ASSIGN_OR_RETURN(std::string nationality,
                      PlainText(person.nationality(), path + ".nationality"));
  w->Open(element, path);
  for (int n = 0; n < person.names_size(); ++n) {
    const gw::v1::PersonName& name = person.names(n);
    const std::string item = absl::StrCat(path, ".names[", n, "]");
    GW_ASSIGN_OR_RETURN(std::string script,
                        PlainText(name.script(), item + ".script"));
    GW_ASSIGN_OR_RETURN(std::string family,
                        ShortText(name.family(), item + ".family"));
    GW_ASSIGN_OR_RETURN(std::string given,
                        ShortText(name.given(), item + ".given"));
    GW_ASSIGN_OR_RETURN(std::string full,
                        ShortText(name.full(), item + ".full"));
    const GivenParts parts = SplitGiven(given, nationality);
    w->Open("PersonName", item, XmlAttr{"script", script});
    if (!family.empty()) w->Leaf("PersonSurName", family, item + ".family");
    if (!parts.middle.empty()) {
      w->Leaf("PersonMiddleName", parts.middle, item + ".given");
    }
    if (!parts.given.empty()) {
      w->Leaf("PersonGivenName", parts.given, item + ".given");
    }
    if (!full.empty()) w->Leaf("PersonFullName", full, item + ".full");
    w->Close();
  }
  w->Leaf("PersonSexCode", SexCode(person.sex()), path + ".sex");
  if (!person.date_of_birth().empty()) {
    const std::string field = path + ".date_of_birth";
    absl::string_view branch;
    switch (FormOf(person.date_of_birth())) {
      case DateForm::kDate:
        branch = "Date";
        break;
      case DateForm::kYearMonth:
        branch = "YearMonthDate";
        break;
      case DateForm::kYear:
        branch = "YearDate";
        break;
      case DateForm::kInvalid:
        return Invalid(field, "not YYYY, YYYY-MM or YYYY-MM-DD");
    }
    w->Open("PersonBirthDate", field);
    w->Leaf(branch, person.date_of_birth(), field);
    w->Close();
  }
  if (person.age_estimate() > 0) {
    w->Leaf("PersonEstimatedAge", absl::StrCat(person.age_estimate()),
            path + ".age_estimate");
  }
  if (!nationality.empty()) {
    w->Leaf("PersonCitizenshipISO3166Alpha3Code", nationality,
            path + ".nationality");
  }
  for (int j = 0; j < person.documents_size(); ++j) {
    GW_RETURN_IF_ERROR(Document(w, "PersonIdentityDocument",
                                person.documents(j),
                                absl::StrCat(path, ".documents[", j, "]")));
  }
  w->Close();
  return absl::OkStatus();
}

absl::Status Handover(XmlWriter* w, absl::string_view element,
                      const gw::v1::ProposedHandover& handover,
                      const std::string& path) {
  w->Open(element, path);
  GW_RETURN_IF_ERROR(Short(w, "BorderPointName", handover.border_point(),
                           path + ".border_point"));
  GW_RETURN_IF_ERROR(Plain(w, "HandoverDate", handover.date(), path + ".date"));
  w->Close();
  return absl::OkStatus();
}

absl::Status CheckSize(size_t size) {
  if (size <= kMaxBodyBytes) return absl::OkStatus();
  return Invalid("message", absl::StrCat("the document is ", size,
                                         " bytes without attachment content, "
                                         "more than 8 MiB (VN-MPS.md §9)"));
}

// The alert with the attachments whose `include` flag is set carrying
// their content.
absl::StatusOr<OutDocument> WriteAlert(const MessageAddress& address,
                                       const gw::v1::CaseAlert& alert,
                                       const std::vector<bool>& include) {
  GW_ASSIGN_OR_RETURN(std::string created,
                      FormatDateTime(alert.created_at(), "alert.created_at"));
  XmlWriter w(kCaseAlertMessage, "message");
  Header(&w, address, created, "alert.created_at");
  w.Open("CaseAlert", "alert");
  GW_RETURN_IF_ERROR(Plain(&w, "AlertID", alert.alert_id(), "alert.alert_id"));
  GW_RETURN_IF_ERROR(
      Plain(&w, "CaseReference", alert.case_ref(), "alert.case_ref"));
  GW_ASSIGN_OR_RETURN(
      std::string kind,
      EnumName(alert.kind(), gw::v1::CaseAlert::Kind_Name(alert.kind()),
               "alert.kind"));
  w.Leaf("AlertKindCode", kind, "alert.kind");
  GW_ASSIGN_OR_RETURN(
      std::string priority,
      EnumName(alert.priority(),
               gw::v1::CaseAlert::Priority_Name(alert.priority()),
               "alert.priority"));
  w.Leaf("AlertPriorityCode", priority, "alert.priority");
  GW_ASSIGN_OR_RETURN(
      std::string handling,
      EnumName(alert.handling_code(),
               gw::v1::CaseAlert::HandlingCode_Name(alert.handling_code()),
               "alert.handling_code"));
  w.Leaf("HandlingCode", handling, "alert.handling_code");
  GW_RETURN_IF_ERROR(Plain(&w, "OriginAgencyCode", alert.origin_agency(),
                           "alert.origin_agency"));
  GW_RETURN_IF_ERROR(
      Short(&w, "OriginatorID", alert.originator(), "alert.originator"));
  for (int i = 0; i < alert.recipients_size(); ++i) {
    GW_RETURN_IF_ERROR(Plain(&w, "RecipientAgencyCode", alert.recipients(i),
                             absl::StrCat("alert.recipients[", i, "]")));
  }
  for (int i = 0; i < alert.subjects_size(); ++i) {
    const gw::v1::Subject& subject = alert.subjects(i);
    const std::string path = absl::StrCat("alert.subjects[", i, "]");
    w.Open("AlertSubject", path);
    GW_ASSIGN_OR_RETURN(
        std::string role,
        EnumName(subject.role(), gw::v1::Subject::Role_Name(subject.role()),
                 path + ".role"));
    w.Leaf("SubjectRoleCode", role, path + ".role");
    if (!subject.has_person()) return Invalid(path + ".person", "missing");
    GW_RETURN_IF_ERROR(
        Person(&w, "Person", subject.person(), path + ".person"));
    w.Close();
  }
  if (alert.has_last_seen()) {
    const gw::v1::LastSeen& seen = alert.last_seen();
    GW_ASSIGN_OR_RETURN(std::string place,
                        ShortText(seen.place(), "alert.last_seen.place"));
    if (seen.has_at() || !place.empty() || !seen.country().empty()) {
      w.Open("LastSeen", "alert.last_seen");
      if (seen.has_at()) {
        GW_RETURN_IF_ERROR(
            Time(&w, "LastSeenDateTime", seen.at(), "alert.last_seen.at"));
      }
      if (!place.empty()) {
        w.Leaf("LastSeenLocationText", place, "alert.last_seen.place");
      }
      GW_RETURN_IF_ERROR(OptionalPlain(&w, "LastSeenCountryCode",
                                       seen.country(),
                                       "alert.last_seen.country"));
      w.Close();
    }
  }
  GW_RETURN_IF_ERROR(
      Texts(&w, "Narrative", alert.narrative(), "alert.narrative"));
  for (int k = 0; k < alert.attachments_size(); ++k) {
    const gw::v1::Attachment& attachment = alert.attachments(k);
    const std::string path = absl::StrCat("alert.attachments[", k, "]");
    if (attachment.sha256() != crypto::Sha256Hex(attachment.content())) {
      return Invalid(path + ".sha256", "not the SHA-256 of its content");
    }
    w.Open("Attachment", path);
    GW_RETURN_IF_ERROR(
        Short(&w, "AttachmentName", attachment.name(), path + ".name"));
    GW_RETURN_IF_ERROR(Plain(&w, "AttachmentMediaType", attachment.media_type(),
                             path + ".media_type"));
    w.Leaf("AttachmentSHA256", attachment.sha256(), path + ".sha256");
    w.Leaf("AttachmentSizeMeasure", absl::StrCat(attachment.content().size()),
           path + ".content");
    if (include[static_cast<size_t>(k)]) {
      w.Leaf("AttachmentBinaryBase64", absl::Base64Escape(attachment.content()),
             path + ".content");
    }
    w.Close();
  }
  w.Leaf("AlertCreatedDateTime", created, "alert.created_at");
  OutDocument out;
  out.path = kOutAlerts;
  out.fields = w.fields();
  out.bytes = std::move(w).Finish();
  return out;
}

// What one attachment's content adds to the document:
// "      <tip:AttachmentBinaryBase64>BASE64</tip:AttachmentBinaryBase64>\n".
size_t ContentLineBytes(size_t content_bytes) {
  const size_t base64 = 4 * ((content_bytes + 2) / 3);
  return 6 + (sizeof("<tip:AttachmentBinaryBase64>") - 1) + base64 +
         (sizeof("</tip:AttachmentBinaryBase64>") - 1) + 1;
}

}  // namespace

absl::StatusOr<OutDocument> AlertDocument(const MessageAddress& address,
                                          const gw::v1::CaseAlert& alert) {
  GW_RETURN_IF_ERROR(CheckId(alert.alert_id(), "alert.alert_id"));
  GW_RETURN_IF_ERROR(CheckId(alert.case_ref(), "alert.case_ref"));
  if (!alert.has_created_at()) return Invalid("alert.created_at", "missing");
  if (alert.recipients_size() == 0) {
    return Invalid("alert.recipients", "empty");
  }
  // §9 step 1: every attachment described only.
  std::vector<bool> include(static_cast<size_t>(alert.attachments_size()),
                            false);
  GW_ASSIGN_OR_RETURN(OutDocument described,
                      WriteAlert(address, alert, include));
  GW_RETURN_IF_ERROR(CheckSize(described.bytes.size()));
  // Step 2: content in canonical order while the document stays within
  // 8 MiB; an attachment that does not fit is described only.
  size_t size = described.bytes.size();
  bool any = false;
  for (int k = 0; k < alert.attachments_size(); ++k) {
    const size_t content = alert.attachments(k).content().size();
    if (content == 0) continue;
    const size_t added = ContentLineBytes(content);
    if (size + added > kMaxBodyBytes) continue;
    size += added;
    include[static_cast<size_t>(k)] = true;
    any = true;
  }
  if (!any) return described;
  return WriteAlert(address, alert, include);
}

absl::StatusOr<OutDocument> RequestDocument(
    const MessageAddress& address, const gw::v1::RepatriationRequest& request) {
  GW_RETURN_IF_ERROR(CheckId(request.request_id(), "request.request_id"));
  GW_RETURN_IF_ERROR(CheckId(request.case_ref(), "request.case_ref"));
  if (!request.has_created_at()) {
    return Invalid("request.created_at", "missing");
  }
  if (!request.has_victim()) return Invalid("request.victim", "missing");
  GW_ASSIGN_OR_RETURN(
      std::string created,
      FormatDateTime(request.created_at(), "request.created_at"));
  XmlWriter w(kRepatriationRequestMessage, "message");
  Header(&w, address, created, "request.created_at");
  w.Open("RepatriationRequest", "request");
  GW_RETURN_IF_ERROR(
      Plain(&w, "RequestID", request.request_id(), "request.request_id"));
  GW_RETURN_IF_ERROR(
      Plain(&w, "CaseReference", request.case_ref(), "request.case_ref"));
  GW_RETURN_IF_ERROR(Plain(&w, "RequestingAgencyCode",
                           request.requesting_agency(),
                           "request.requesting_agency"));
  GW_RETURN_IF_ERROR(Plain(&w, "ReceivingAgencyCode",
                           request.receiving_agency(),
                           "request.receiving_agency"));
  GW_RETURN_IF_ERROR(
      Person(&w, "VictimPerson", request.victim(), "request.victim"));
  w.Leaf("IdentityVerifiedIndicator",
         request.identity_verified() ? "true" : "false",
         "request.identity_verified");
  w.Leaf("NationalityVerifiedIndicator",
         request.nationality_verified() ? "true" : "false",
         "request.nationality_verified");
  if (request.has_travel_document()) {
    GW_RETURN_IF_ERROR(Document(&w, "TravelDocument", request.travel_document(),
                                "request.travel_document"));
  }
  if (request.has_guardian()) {
    const gw::v1::Guardian& guardian = request.guardian();
    absl::string_view tracing = "NOT_STARTED";
    switch (guardian.tracing_result()) {
      case gw::v1::Guardian::IN_PROGRESS:
        tracing = "IN_PROGRESS";
        break;
      case gw::v1::Guardian::FAMILY_FOUND:
        tracing = "FOUND";
        break;
      case gw::v1::Guardian::FAMILY_NOT_FOUND:
      case gw::v1::Guardian::CARE_INSTITUTION:
        tracing = "NOT_FOUND";
        break;
      default:
        break;
    }
    w.Open("GuardianTracing", "request.guardian");
    w.Leaf("TracingResultCode", tracing, "request.guardian.tracing_result");
    if (guardian.has_person()) {
      GW_RETURN_IF_ERROR(Person(&w, "GuardianPerson", guardian.person(),
                                "request.guardian.person"));
    }
    GW_RETURN_IF_ERROR(
        Texts(&w, "TracingNote", guardian.notes(), "request.guardian.notes"));
    w.Close();
  }
  if (request.has_best_interests_assessment()) {
    const gw::v1::BestInterestsAssessment& bia =
        request.best_interests_assessment();
    absl::string_view outcome = "PENDING";
    if (bia.outcome() == gw::v1::BestInterestsAssessment::RETURN) {
      outcome = "RETURN";
    } else if (bia.outcome() ==
               gw::v1::BestInterestsAssessment::DO_NOT_RETURN) {
      outcome = "NO_RETURN";
    }
    const std::string path = "request.best_interests_assessment";
    w.Open("BestInterestsAssessment", path);
    w.Leaf("AssessmentOutcomeCode", outcome, path + ".outcome");
    GW_RETURN_IF_ERROR(OptionalPlain(&w, "AssessmentDate", bia.completed_on(),
                                     path + ".completed_on"));
    GW_RETURN_IF_ERROR(
        Texts(&w, "AssessmentSummary", bia.summary(), path + ".summary"));
    w.Close();
  }
  if (request.has_proposed_handover()) {
    GW_RETURN_IF_ERROR(Handover(&w, "ProposedHandover",
                                request.proposed_handover(),
                                "request.proposed_handover"));
  }
  OutDocument out;
  out.path = kOutRequests;
  out.fields = w.fields();
  out.bytes = std::move(w).Finish();
  GW_RETURN_IF_ERROR(CheckSize(out.bytes.size()));
  return out;
}

absl::StatusOr<OutDocument> DecisionDocument(
    const MessageAddress& address, const gw::v1::RepatriationRecord& record) {
  const gw::v1::RepatriationRequest& request = record.request();
  GW_RETURN_IF_ERROR(
      CheckId(request.request_id(), "record.request.request_id"));
  GW_RETURN_IF_ERROR(CheckId(request.case_ref(), "record.request.case_ref"));
  if (record.history_size() == 0) {
    return Invalid("record.history",
                   "empty; the decision is its latest entry (VN-MPS.md §4.4)");
  }
  const int last = record.history_size() - 1;
  const gw::v1::RepatriationEvent& decision = record.history(last);
  const std::string path = absl::StrCat("record.history[", last, "]");
  if (!decision.has_at()) return Invalid(path + ".at", "missing");
  GW_ASSIGN_OR_RETURN(std::string decided,
                      FormatDateTime(decision.at(), path + ".at"));
  std::string created = decided;
  std::string created_field = path + ".at";
  if (record.has_updated_at()) {
    created_field = "record.updated_at";
    GW_ASSIGN_OR_RETURN(created,
                        FormatDateTime(record.updated_at(), created_field));
  }
  const bool scheduled =
      record.state() == gw::v1::RepatriationRecord::HANDOVER_SCHEDULED;
  if (scheduled && !request.has_proposed_handover()) {
    return Invalid("record.request.proposed_handover",
                   "missing; HANDOVER_SCHEDULED carries the scheduled "
                   "handover (VN-MPS.md §4.4)");
  }
  XmlWriter w(kRepatriationDecisionMessage, "message");
  Header(&w, address, created, created_field);
  w.Open("RepatriationDecision", "record");
  GW_RETURN_IF_ERROR(Plain(&w, "RequestID", request.request_id(),
                           "record.request.request_id"));
  GW_RETURN_IF_ERROR(Plain(&w, "CaseReference", request.case_ref(),
                           "record.request.case_ref"));
  GW_ASSIGN_OR_RETURN(
      std::string state,
      EnumName(record.state(),
               gw::v1::RepatriationRecord::State_Name(record.state()),
               "record.state"));
  w.Leaf("RepatriationStateCode", state, "record.state");
  GW_RETURN_IF_ERROR(Plain(&w, "DecidingAgencyCode", decision.actor_agency(),
                           path + ".actor_agency"));
  w.Leaf("DecisionDateTime", decided, path + ".at");
  GW_RETURN_IF_ERROR(
      Texts(&w, "DecisionReason", decision.reason(), path + ".reason"));
  if (scheduled) {
    GW_RETURN_IF_ERROR(Handover(&w, "ScheduledHandover",
                                request.proposed_handover(),
                                "record.request.proposed_handover"));
  }
  OutDocument out;
  out.path = kOutDecisions;
  out.fields = w.fields();
  out.bytes = std::move(w).Finish();
  GW_RETURN_IF_ERROR(CheckSize(out.bytes.size()));
  return out;
}

absl::StatusOr<OutDocument> StatusDocument(const MessageAddress& address,
                                           const gw::v1::CaseStatus& status) {
  GW_RETURN_IF_ERROR(CheckId(status.case_ref(), "case_status.case_ref"));
  if (!status.has_updated_at()) {
    return Invalid("case_status.updated_at", "missing");
  }
  GW_ASSIGN_OR_RETURN(
      std::string updated,
      FormatDateTime(status.updated_at(), "case_status.updated_at"));
  XmlWriter w(kCaseStatusMessage, "message");
  Header(&w, address, updated, "case_status.updated_at");
  w.Open("CaseStatus", "case_status");
  GW_RETURN_IF_ERROR(
      Plain(&w, "CaseReference", status.case_ref(), "case_status.case_ref"));
  GW_RETURN_IF_ERROR(Plain(&w, "OwnerAgencyCode", status.owner_agency(),
                           "case_status.owner_agency"));
  GW_ASSIGN_OR_RETURN(
      std::string state,
      EnumName(status.state(), gw::v1::CaseStatus::State_Name(status.state()),
               "case_status.state"));
  w.Leaf("CaseStateCode", state, "case_status.state");
  w.Leaf("StatusUpdatedDateTime", updated, "case_status.updated_at");
  for (int i = 0; i < status.shared_with_size(); ++i) {
    GW_RETURN_IF_ERROR(Plain(&w, "SharedWithAgencyCode", status.shared_with(i),
                             absl::StrCat("case_status.shared_with[", i, "]")));
  }
  // The note of this change: the update's own, else the latest history
  // entry's (§4.5).
  const bool own_note = status.note_size() > 0 || status.history_size() == 0;
  const int last = status.history_size() - 1;
  GW_RETURN_IF_ERROR(Texts(
      &w, "StatusNote", own_note ? status.note() : status.history(last).note(),
      own_note ? std::string("case_status.note")
               : absl::StrCat("case_status.history[", last, "].note")));
  OutDocument out;
  out.path = kOutStatus;
  out.fields = w.fields();
  out.bytes = std::move(w).Finish();
  GW_RETURN_IF_ERROR(CheckSize(out.bytes.size()));
  return out;
}

absl::Status CheckAgainstXsd(const OutDocument& document,
                             const XsdSchema& schema) {
  absl::StatusOr<XmlDocPtr> doc = ParseXml(document.bytes);
  if (!doc.ok()) {
    // Every string was checked for UTF-8 and shaped; this is our bug.
    return absl::InternalError(absl::StrCat(
        "the encoded document does not parse: ", doc.status().message()));
  }
  GW_ASSIGN_OR_RETURN(std::optional<XsdViolation> violation,
                      schema.Validate(doc->get()));
  if (!violation.has_value()) return absl::OkStatus();
  const int index = ElementIndex(doc->get(), violation->element);
  const std::string field =
      index >= 0 && static_cast<size_t>(index) < document.fields.size()
          ? document.fields[static_cast<size_t>(index)]
          : std::string("message");
  return Invalid(field, absl::StrCat("not representable in VN-MPS (",
                                     violation->text, ")"));
}

std::string AcknowledgementDocument(const AckBody& ack) {
  XmlWriter w(kAcknowledgement, "receipt");
  w.Leaf("AcknowledgedMessageID", ack.message_id, "receipt.message_id");
  w.Leaf("SenderAgencyCode", ack.sender, "local_agency");
  w.Leaf("RecipientAgencyCode", ack.recipient, "sender_agency");
  w.Leaf("AcknowledgementStatusCode", "ACCEPTED", "receipt.status");
  w.Leaf("PayloadSHA256", ack.payload_sha256, "received.bytes");
  w.Leaf("ReceivedDateTime", ack.received_at, "receipt.received_at");
  if (!ack.partner_reference.empty()) {
    w.Leaf("PartnerReference", ack.partner_reference, "partner_reference");
  }
  for (const std::string& location : ack.nfc_locations) {
    w.Open("Warning", "receipt.warnings");
    w.Leaf("WarningCode", kNormalizedNfc, "receipt.warnings");
    w.Leaf("WarningLocation", location, "receipt.warnings");
    w.Close();
  }
  return std::move(w).Finish();
}

std::string RejectionDocument(const RejectionBody& rejection) {
  XmlWriter w(kRejection, "refusal");
  if (!rejection.rejected_message_id.empty()) {
    w.Leaf("RejectedMessageID", rejection.rejected_message_id,
           "refusal.message_id");
  }
  w.Leaf("SenderAgencyCode", rejection.sender, "local_agency");
  w.Leaf("RecipientAgencyCode", rejection.recipient, "sender_agency");
  if (!rejection.payload_sha256.empty()) {
    w.Leaf("PayloadSHA256", rejection.payload_sha256, "received.bytes");
  }
  w.Leaf("ErrorCode", rejection.code, "refusal.code");
  if (!rejection.location.empty()) {
    w.Leaf("ErrorLocation", rejection.location, "refusal.field");
  }
  w.Leaf("ErrorText", rejection.text, "refusal.detail");
  w.Leaf("RejectedDateTime", rejection.rejected_at, "clock");
  return std::move(w).Finish();
}

}  // namespace gw::vn_mps
