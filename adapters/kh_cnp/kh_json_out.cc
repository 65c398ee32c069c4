// adapters/kh_cnp/kh_json_out.cc
//
// See kh_json_out.h. Builders take the canonical path of what they build
// (for errors) and the JSON Pointer it will have (for generated entries).
#include "adapters/kh_cnp/kh_json_out.h"

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/json/jcs.h"
#include "adapters/kh_cnp/kh_names.h"
#include "adapters/kh_cnp/kh_text.h"
#include "adapters/kh_cnp/kh_time.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/status_macros.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::kh_cnp {
namespace {

using Json = nlohmann::json;
using google::protobuf::RepeatedPtrField;

absl::Status Invalid(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

absl::Status CheckId(absl::string_view value, absl::string_view path) {
  if (IsIdentifier(value)) return absl::OkStatus();
  return ingest::WithReason(
      absl::InvalidArgumentError(absl::StrCat(
          "ID_NOT_REPRESENTABLE ", path,
          ": not 1 to 64 characters of [A-Za-z0-9._:/-] starting with a "
          "letter or digit (partners/README.md §2.8)")),
      "ID_NOT_REPRESENTABLE");
}

void PutString(Json* object, const char* key, const std::string& value) {
  if (!value.empty()) (*object)[key] = value;
}

// Objects and arrays: left out when empty (§3.2).
void PutJson(Json* object, const char* key, Json value) {
  if (!value.empty()) (*object)[key] = std::move(value);
}

// An enumeration by its gw.v1 name; UNSPECIFIED (0) counts as absent.
void PutEnum(Json* object, const char* key, int value,
             const std::string& name) {
  if (value != 0) (*object)[key] = name;
}

absl::Status PutTimestamp(Json* object, const char* key,
                          const google::protobuf::Timestamp& value,
                          absl::string_view path) {
  absl::StatusOr<std::string> text = FormatTimestamp(value);
  if (!text.ok()) return Invalid(path, text.status().message());
  (*object)[key] = *std::move(text);
  return absl::OkStatus();
}

Json Strings(const RepeatedPtrField<std::string>& values) {
  Json out = Json::array();
  for (const std::string& value : values) out.push_back(value);
  return out;
}

Json LangTexts(const RepeatedPtrField<gw::v1::LanguageText>& texts) {
  Json out = Json::array();
  for (const gw::v1::LanguageText& text : texts) {
    Json item = Json::object();
    PutString(&item, "lang", text.lang());
    PutString(&item, "text", text.text());
    out.push_back(std::move(item));
  }
  return out;
}

Json Document(const gw::v1::IdentityDocument& document) {
  Json out = Json::object();
  PutString(&out, "type", document.type());
  PutString(&out, "number", document.number());
  PutString(&out, "issuing_state", document.issuing_state());
  PutString(&out, "expiry", document.expiry());
  PutJson(&out, "mrz", Strings(document.mrz()));
  return out;
}

Json Name(const gw::v1::PersonName& name) {
  Json out = Json::object();
  PutString(&out, "script", name.script());
  PutString(&out, "family", name.family());
  PutString(&out, "given", name.given());
  PutString(&out, "full", name.full());
  return out;
}

const char* SexName(gw::v1::Person::Sex sex) {
  switch (sex) {
    case gw::v1::Person::FEMALE:
      return "FEMALE";
    case gw::v1::Person::MALE:
      return "MALE";
    default:
      // §4.2: absent -> UNKNOWN; KH-CNP has no OTHER.
      return "UNKNOWN";
  }
}

Json Person(const gw::v1::Person& person, const std::string& path,
            const std::string& pointer, OutboundBody* body) {
  Json out = Json::object();
  Json names = Json::array();
  for (const gw::v1::PersonName& name : person.names()) {
    names.push_back(Name(name));
  }
  if (std::optional<gw::v1::PersonName> latin = GeneratedLatinName(person)) {
    body->generated.emplace_back(
        absl::StrCat(pointer, "/names/", names.size()),
        absl::StrCat(path,
                     ".names (the Latn entry generated from its Khmr "
                     "entry, KH-CNP.md §5.2)"));
    names.push_back(Name(*latin));
  }
  PutJson(&out, "names", std::move(names));
  out["sex"] = SexName(person.sex());
  PutString(&out, "date_of_birth", person.date_of_birth());
  if (person.age_estimate() > 0) {
    out["age_estimate"] = static_cast<uint64_t>(person.age_estimate());
  }
  PutString(&out, "nationality", person.nationality());
  Json documents = Json::array();
  for (const gw::v1::IdentityDocument& document : person.documents()) {
    documents.push_back(Document(document));
  }
  PutJson(&out, "documents", std::move(documents));
  return out;
}

Json Handover(const gw::v1::ProposedHandover& handover) {
  Json out = Json::object();
  PutString(&out, "border_point", handover.border_point());
  PutString(&out, "date", handover.date());
  return out;
}

absl::StatusOr<Json> AlertJson(const gw::v1::CaseAlert& alert,
                               OutboundBody* body,
                               std::vector<std::string>* contents) {
  GW_RETURN_IF_ERROR(CheckId(alert.alert_id(), "alert.alert_id"));
  GW_RETURN_IF_ERROR(CheckId(alert.case_ref(), "alert.case_ref"));
  Json out = Json::object();
  out["alert_id"] = alert.alert_id();
  out["case_ref"] = alert.case_ref();
  PutEnum(&out, "kind", alert.kind(),
          gw::v1::CaseAlert::Kind_Name(alert.kind()));
  PutEnum(&out, "priority", alert.priority(),
          gw::v1::CaseAlert::Priority_Name(alert.priority()));
  PutEnum(&out, "handling_code", alert.handling_code(),
          gw::v1::CaseAlert::HandlingCode_Name(alert.handling_code()));
  PutString(&out, "origin_agency", alert.origin_agency());
  PutString(&out, "originator", alert.originator());
  PutJson(&out, "recipients", Strings(alert.recipients()));
  Json subjects = Json::array();
  for (int i = 0; i < alert.subjects_size(); ++i) {
    const gw::v1::Subject& subject = alert.subjects(i);
    Json item = Json::object();
    PutEnum(&item, "role", subject.role(),
            gw::v1::Subject::Role_Name(subject.role()));
    if (subject.has_person()) {
      PutJson(&item, "person",
              Person(subject.person(),
                     absl::StrCat("alert.subjects[", i, "].person"),
                     absl::StrCat("/alert/subjects/", i, "/person"), body));
    }
    subjects.push_back(std::move(item));
  }
  PutJson(&out, "subjects", std::move(subjects));
  if (alert.has_last_seen()) {
    const gw::v1::LastSeen& seen = alert.last_seen();
    Json item = Json::object();
    if (seen.has_at()) {
      GW_RETURN_IF_ERROR(
          PutTimestamp(&item, "at", seen.at(), "alert.last_seen.at"));
    }
    PutString(&item, "place", seen.place());
    PutString(&item, "country", seen.country());
    PutJson(&out, "last_seen", std::move(item));
  }
  PutJson(&out, "narrative", LangTexts(alert.narrative()));
  Json attachments = Json::array();
  for (int k = 0; k < alert.attachments_size(); ++k) {
    const gw::v1::Attachment& attachment = alert.attachments(k);
    if (!attachment.content().empty() &&
        crypto::Sha256Hex(attachment.content()) != attachment.sha256()) {
      return Invalid(absl::StrCat("alert.attachments[", k, "].sha256"),
                     "is not the SHA-256 of the content");
    }
    Json item = Json::object();
    PutString(&item, "name", attachment.name());
    PutString(&item, "media_type", attachment.media_type());
    PutString(&item, "sha256", attachment.sha256());
    item["size"] = static_cast<uint64_t>(attachment.content().size());
    attachments.push_back(std::move(item));
    contents->push_back(attachment.content());
  }
  PutJson(&out, "attachments", std::move(attachments));
  if (!alert.has_created_at()) return Invalid("alert.created_at", "missing");
  GW_RETURN_IF_ERROR(
      PutTimestamp(&out, "created_at", alert.created_at(), "alert.created_at"));
  return out;
}

const char* TracingName(gw::v1::Guardian::TracingResult result) {
  switch (result) {
    case gw::v1::Guardian::IN_PROGRESS:
      return "IN_PROGRESS";
    case gw::v1::Guardian::FAMILY_FOUND:
      return "FOUND";
    case gw::v1::Guardian::FAMILY_NOT_FOUND:
    case gw::v1::Guardian::CARE_INSTITUTION:
      // A care institution means the family was not found.
      return "NOT_FOUND";
    default:
      return "NOT_STARTED";
  }
}

const char* OutcomeName(gw::v1::BestInterestsAssessment::Outcome outcome) {
  switch (outcome) {
    case gw::v1::BestInterestsAssessment::RETURN:
      return "RETURN";
    case gw::v1::BestInterestsAssessment::DO_NOT_RETURN:
      return "NO_RETURN";
    default:
      return "PENDING";
  }
}

absl::StatusOr<Json> RequestJson(const gw::v1::RepatriationRequest& request,
                                 OutboundBody* body) {
  GW_RETURN_IF_ERROR(CheckId(request.request_id(), "request.request_id"));
  GW_RETURN_IF_ERROR(CheckId(request.case_ref(), "request.case_ref"));
  Json out = Json::object();
  out["request_id"] = request.request_id();
  out["case_ref"] = request.case_ref();
  if (request.has_victim()) {
    PutJson(&out, "victim",
            Person(request.victim(), "request.victim",
                   "/repatriation_request/victim", body));
  }
  PutString(&out, "requesting_agency", request.requesting_agency());
  PutString(&out, "receiving_agency", request.receiving_agency());
  out["identity_verified"] = request.identity_verified();
  out["nationality_verified"] = request.nationality_verified();
  if (request.has_travel_document()) {
    PutJson(&out, "travel_document", Document(request.travel_document()));
  }
  if (request.has_guardian()) {
    const gw::v1::Guardian& guardian = request.guardian();
    Json item = Json::object();
    item["tracing_result"] = TracingName(guardian.tracing_result());
    if (guardian.has_person()) {
      PutJson(&item, "person",
              Person(guardian.person(), "request.guardian.person",
                     "/repatriation_request/guardian/person", body));
    }
    PutJson(&item, "notes", LangTexts(guardian.notes()));
    out["guardian"] = std::move(item);
  }
  if (request.has_best_interests_assessment()) {
    const gw::v1::BestInterestsAssessment& bia =
        request.best_interests_assessment();
    Json item = Json::object();
    item["outcome"] = OutcomeName(bia.outcome());
    PutString(&item, "completed_on", bia.completed_on());
    PutJson(&item, "summary", LangTexts(bia.summary()));
    out["best_interests_assessment"] = std::move(item);
  }
  if (request.has_proposed_handover()) {
    PutJson(&out, "proposed_handover", Handover(request.proposed_handover()));
  }
  return out;
}

absl::StatusOr<Json> DecisionJson(const gw::v1::RepatriationRecord& record,
                                  OutboundBody* body) {
  const gw::v1::RepatriationRequest& request = record.request();
  GW_RETURN_IF_ERROR(
      CheckId(request.request_id(), "record.request.request_id"));
  GW_RETURN_IF_ERROR(CheckId(request.case_ref(), "record.request.case_ref"));
  if (record.history_size() == 0) {
    return Invalid("record.history",
                   "empty; the decision is its latest entry (KH-CNP.md §4.4)");
  }
  const int last = record.history_size() - 1;
  const gw::v1::RepatriationEvent& decision = record.history(last);
  body->decision_path = absl::StrCat("record.history[", last, "]");
  Json out = Json::object();
  out["request_id"] = request.request_id();
  out["case_ref"] = request.case_ref();
  PutEnum(&out, "state", record.state(),
          gw::v1::RepatriationRecord::State_Name(record.state()));
  PutString(&out, "decided_by", decision.actor_agency());
  if (!decision.has_at())
    return Invalid(body->decision_path + ".at", "missing");
  GW_RETURN_IF_ERROR(PutTimestamp(&out, "decided_at", decision.at(),
                                  body->decision_path + ".at"));
  PutJson(&out, "reason", LangTexts(decision.reason()));
  if (record.state() == gw::v1::RepatriationRecord::HANDOVER_SCHEDULED) {
    const gw::v1::ProposedHandover& handover = request.proposed_handover();
    if (handover.border_point().empty() || handover.date().empty()) {
      return Invalid("record.request.proposed_handover",
                     "HANDOVER_SCHEDULED needs a border point and a date "
                     "(KH-CNP.md §4.4)");
    }
    out["handover"] = Handover(handover);
  }
  return out;
}

absl::StatusOr<Json> StatusJson(const gw::v1::CaseStatus& status,
                                OutboundBody* body) {
  GW_RETURN_IF_ERROR(CheckId(status.case_ref(), "case_status.case_ref"));
  Json out = Json::object();
  out["case_ref"] = status.case_ref();
  PutString(&out, "owner_agency", status.owner_agency());
  PutEnum(&out, "state", status.state(),
          gw::v1::CaseStatus::State_Name(status.state()));
  if (!status.has_updated_at()) {
    return Invalid("case_status.updated_at", "missing");
  }
  GW_RETURN_IF_ERROR(PutTimestamp(&out, "updated_at", status.updated_at(),
                                  "case_status.updated_at"));
  PutJson(&out, "shared_with", Strings(status.shared_with()));
  // §4.5: the note of this change: the update's own, else the latest
  // history entry's.
  const bool own = status.note_size() > 0 || status.history_size() == 0;
  const int last = status.history_size() - 1;
  body->note_path = own ? "case_status.note"
                        : absl::StrCat("case_status.history[", last, "].note");
  PutJson(&out, "note",
          LangTexts(own ? status.note() : status.history(last).note()));
  return out;
}

template <typename T>
absl::StatusOr<T> Parse(absl::string_view payload, const char* name) {
  T message;
  if (!message.ParseFromArray(payload.data(),
                              static_cast<int>(payload.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("envelope.payload: does not parse as gw.v1.", name));
  }
  return message;
}

// §9: content for each attachment, in canonical order, while the JCS body
// stays within kMaxBodyBytes.
void IncludeAttachments(const std::vector<std::string>& contents,
                        Json* document) {
  if (contents.empty()) return;
  Json& attachments = (*document)["alert"]["attachments"];
  size_t size = json::Canonical(*document).size();
  for (size_t k = 0; k < contents.size(); ++k) {
    if (contents[k].empty()) continue;  // "" is left out (§3.2)
    std::string base64 = absl::Base64Escape(contents[k]);
    // `"content":"<base64>"` plus the comma before the next member.
    const size_t added = base64.size() + 12 + (attachments[k].empty() ? 0 : 1);
    if (size + added > kMaxBodyBytes) continue;
    attachments[k]["content"] = std::move(base64);
    size += added;
  }
}

bool IsIndex(absl::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void AppendTokens(const std::vector<std::string>& tokens, size_t from,
                  std::string* path) {
  for (size_t i = from; i < tokens.size(); ++i) {
    if (IsIndex(tokens[i])) {
      absl::StrAppend(path, "[", tokens[i], "]");
    } else {
      absl::StrAppend(path, ".", tokens[i]);
    }
  }
}

}  // namespace

bool IsIdentifier(absl::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       (c >= '0' && c <= '9');
    if (alnum) continue;
    if (i > 0 && (c == '.' || c == '_' || c == ':' || c == '/' || c == '-')) {
      continue;
    }
    return false;
  }
  return true;
}

absl::StatusOr<OutboundBody> BuildOutbound(const KindSpec& spec,
                                           absl::string_view payload,
                                           absl::string_view message_id,
                                           absl::string_view sender,
                                           absl::string_view recipient) {
  OutboundBody body;
  std::vector<std::string> contents;
  absl::StatusOr<Json> object;
  switch (spec.kind) {
    case Kind::kAlert: {
      GW_ASSIGN_OR_RETURN(auto alert,
                          Parse<gw::v1::CaseAlert>(payload, "CaseAlert"));
      object = AlertJson(alert, &body, &contents);
      break;
    }
    case Kind::kRepatriationRequest: {
      GW_ASSIGN_OR_RETURN(auto request, Parse<gw::v1::RepatriationRequest>(
                                            payload, "RepatriationRequest"));
      object = RequestJson(request, &body);
      break;
    }
    case Kind::kRepatriationDecision: {
      GW_ASSIGN_OR_RETURN(auto record, Parse<gw::v1::RepatriationRecord>(
                                           payload, "RepatriationRecord"));
      object = DecisionJson(record, &body);
      break;
    }
    case Kind::kCaseStatus: {
      GW_ASSIGN_OR_RETURN(auto status,
                          Parse<gw::v1::CaseStatus>(payload, "CaseStatus"));
      object = StatusJson(status, &body);
      break;
    }
  }
  if (!object.ok()) return object.status();
  Json& document = body.document;
  document = Json::object();
  document["message_type"] = spec.message_type;
  document["message_id"] = std::string(message_id);
  document["sender"] = std::string(sender);
  document["recipient"] = std::string(recipient);
  document[spec.message_type] = *std::move(object);

  std::vector<std::string> changed;
  std::string bad_pointer;
  if (absl::Status nfc = NormalizeStrings(&document, &changed, &bad_pointer);
      !nfc.ok()) {
    return Invalid(CanonicalPath(spec, body, bad_pointer), "not valid UTF-8");
  }
  IncludeAttachments(contents, &document);
  return body;
}

std::string CanonicalPath(const KindSpec& spec, const OutboundBody& body,
                          absl::string_view pointer) {
  for (const auto& [prefix, label] : body.generated) {
    if (pointer.substr(0, prefix.size()) == prefix &&
        (pointer.size() == prefix.size() || pointer[prefix.size()] == '/')) {
      return label;
    }
  }
  const std::vector<std::string> tokens = PointerTokens(pointer);
  if (tokens.empty()) return "message";
  const std::string& top = tokens[0];
  if (top == "message_type") return "envelope.payload_type";
  if (top == "message_id") return "message_id";
  if (top == "sender") return "sender (this gateway's agency)";
  if (top == "recipient") return "recipient";
  if (top != spec.message_type) return std::string(pointer);
  std::string path = spec.canonical;
  if (tokens.size() < 2) return path;
  const std::string& member = tokens[1];
  size_t next = 1;
  switch (spec.kind) {
    case Kind::kAlert:
      if (member == "attachments" && tokens.size() >= 4 &&
          (tokens[3] == "size" || tokens[3] == "content")) {
        return absl::StrCat("alert.attachments[", tokens[2], "].content");
      }
      break;
    case Kind::kRepatriationRequest:
      break;
    case Kind::kRepatriationDecision:
      if (member == "request_id" || member == "case_ref") {
        path = absl::StrCat("record.request.", member);
        next = 2;
      } else if (member == "handover") {
        path = "record.request.proposed_handover";
        next = 2;
      } else if (member == "decided_by") {
        path = body.decision_path + ".actor_agency";
        next = 2;
      } else if (member == "decided_at") {
        path = body.decision_path + ".at";
        next = 2;
      } else if (member == "reason") {
        path = body.decision_path + ".reason";
        next = 2;
      }
      break;
    case Kind::kCaseStatus:
      if (member == "note") {
        path = body.note_path;
        next = 2;
      }
      break;
  }
  AppendTokens(tokens, next, &path);
  return path;
}

}  // namespace gw::kh_cnp
