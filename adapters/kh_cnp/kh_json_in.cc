// adapters/kh_cnp/kh_json_in.cc
//
// See kh_json_in.h. Accessors return the default for a member that is
// absent or of another type, so a body that slipped past validation can
// only give wrong defaults, never an exception.
#include "adapters/kh_cnp/kh_json_in.h"

#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/kh_cnp/kh_time.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::kh_cnp {
namespace {

using Json = nlohmann::json;

const Json& Empty() {
  static const Json* const empty = new Json();
  return *empty;
}

const Json& Member(const Json& object, const char* key) {
  if (!object.is_object()) return Empty();
  const auto it = object.find(key);
  return it == object.end() ? Empty() : *it;
}

std::string String(const Json& object, const char* key) {
  const Json& value = Member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

bool Bool(const Json& object, const char* key) {
  const Json& value = Member(object, key);
  return value.is_boolean() && value.get<bool>();
}

uint64_t Unsigned(const Json& object, const char* key) {
  const Json& value = Member(object, key);
  return value.is_number_unsigned() ? value.get<uint64_t>() : 0;
}

bool Has(const Json& object, const char* key) {
  return object.is_object() && object.contains(key);
}

absl::Status Timestamp(const Json& object, const char* key,
                       const std::string& pointer,
                       google::protobuf::Timestamp* out) {
  if (!Has(object, key)) return absl::OkStatus();
  const std::optional<absl::Time> time = ParseTimestamp(String(object, key));
  if (!time.has_value()) {
    return absl::InternalError(
        absl::StrCat(pointer, "/", key, ": not a real instant after checks"));
  }
  *out = util::ToTimestamp(*time);
  return absl::OkStatus();
}

template <typename Field>
void Strings(const Json& object, const char* key, Field* out) {
  const Json& values = Member(object, key);
  if (!values.is_array()) return;
  for (const Json& value : values) {
    if (value.is_string()) out->Add(value.get<std::string>());
  }
}

template <typename Field>
void LangTexts(const Json& object, const char* key, Field* out) {
  const Json& values = Member(object, key);
  if (!values.is_array()) return;
  for (const Json& value : values) {
    gw::v1::LanguageText* text = out->Add();
    text->set_lang(String(value, "lang"));
    text->set_text(String(value, "text"));
  }
}

void Document(const Json& object, gw::v1::IdentityDocument* out) {
  out->set_type(String(object, "type"));
  out->set_number(String(object, "number"));
  out->set_issuing_state(String(object, "issuing_state"));
  out->set_expiry(String(object, "expiry"));
  Strings(object, "mrz", out->mutable_mrz());
}

void Person(const Json& object, gw::v1::Person* out) {
  const Json& names = Member(object, "names");
  if (names.is_array()) {
    for (const Json& name : names) {
      gw::v1::PersonName* entry = out->add_names();
      entry->set_script(String(name, "script"));
      entry->set_family(String(name, "family"));
      entry->set_given(String(name, "given"));
      entry->set_full(String(name, "full"));
    }
  }
  gw::v1::Person::Sex sex = gw::v1::Person::UNKNOWN;
  gw::v1::Person::Sex_Parse(String(object, "sex"), &sex);
  out->set_sex(sex);
  out->set_date_of_birth(String(object, "date_of_birth"));
  out->set_age_estimate(
      static_cast<uint32_t>(Unsigned(object, "age_estimate")));
  out->set_nationality(String(object, "nationality"));
  const Json& documents = Member(object, "documents");
  if (documents.is_array()) {
    for (const Json& document : documents) {
      Document(document, out->add_documents());
    }
  }
}

void Handover(const Json& object, gw::v1::ProposedHandover* out) {
  out->set_border_point(String(object, "border_point"));
  out->set_date(String(object, "date"));
}

void Warn(std::vector<gw::v1::ReceiptWarning>* warnings, const char* code,
          std::string field) {
  gw::v1::ReceiptWarning& warning = warnings->emplace_back();
  warning.set_code(code);
  warning.set_field(std::move(field));
}

absl::Status Alert(const Json& alert, gw::v1::CaseAlert* out) {
  out->set_alert_id(String(alert, "alert_id"));
  out->set_case_ref(String(alert, "case_ref"));
  gw::v1::CaseAlert::Kind kind = gw::v1::CaseAlert::KIND_UNSPECIFIED;
  gw::v1::CaseAlert::Kind_Parse(String(alert, "kind"), &kind);
  out->set_kind(kind);
  gw::v1::CaseAlert::Priority priority =
      gw::v1::CaseAlert::PRIORITY_UNSPECIFIED;
  gw::v1::CaseAlert::Priority_Parse(String(alert, "priority"), &priority);
  out->set_priority(priority);
  gw::v1::CaseAlert::HandlingCode handling =
      gw::v1::CaseAlert::HANDLING_CODE_UNSPECIFIED;
  gw::v1::CaseAlert::HandlingCode_Parse(String(alert, "handling_code"),
                                        &handling);
  out->set_handling_code(handling);
  out->set_origin_agency(String(alert, "origin_agency"));
  out->set_originator(String(alert, "originator"));
  Strings(alert, "recipients", out->mutable_recipients());
  const Json& subjects = Member(alert, "subjects");
  if (subjects.is_array()) {
    for (const Json& subject : subjects) {
      gw::v1::Subject* item = out->add_subjects();
      gw::v1::Subject::Role role = gw::v1::Subject::ROLE_UNSPECIFIED;
      gw::v1::Subject::Role_Parse(String(subject, "role"), &role);
      item->set_role(role);
      Person(Member(subject, "person"), item->mutable_person());
    }
  }
  if (Has(alert, "last_seen")) {
    const Json& seen = Member(alert, "last_seen");
    gw::v1::LastSeen* item = out->mutable_last_seen();
    if (Has(seen, "at")) {
      GW_RETURN_IF_ERROR(
          Timestamp(seen, "at", "/alert/last_seen", item->mutable_at()));
    }
    item->set_place(String(seen, "place"));
    item->set_country(String(seen, "country"));
  }
  LangTexts(alert, "narrative", out->mutable_narrative());
  const Json& attachments = Member(alert, "attachments");
  if (attachments.is_array()) {
    for (const Json& attachment : attachments) {
      gw::v1::Attachment* item = out->add_attachments();
      item->set_name(String(attachment, "name"));
      item->set_media_type(String(attachment, "media_type"));
      item->set_sha256(String(attachment, "sha256"));
      if (Has(attachment, "content") &&
          !absl::Base64Unescape(String(attachment, "content"),
                                item->mutable_content())) {
        return absl::InternalError(
            "attachment content: not base64 after "
            "checks");
      }
    }
  }
  if (Has(alert, "created_at")) {
    GW_RETURN_IF_ERROR(
        Timestamp(alert, "created_at", "/alert", out->mutable_created_at()));
  }
  return absl::OkStatus();
}

void Request(const Json& request, gw::v1::RepatriationRequest* out,
             std::vector<gw::v1::ReceiptWarning>* warnings) {
  out->set_request_id(String(request, "request_id"));
  out->set_case_ref(String(request, "case_ref"));
  if (Has(request, "victim")) {
    Person(Member(request, "victim"), out->mutable_victim());
  }
  out->set_requesting_agency(String(request, "requesting_agency"));
  out->set_receiving_agency(String(request, "receiving_agency"));
  out->set_identity_verified(Bool(request, "identity_verified"));
  out->set_nationality_verified(Bool(request, "nationality_verified"));
  if (Has(request, "travel_document")) {
    Document(Member(request, "travel_document"),
             out->mutable_travel_document());
  }
  if (Has(request, "guardian")) {
    const Json& guardian = Member(request, "guardian");
    gw::v1::Guardian* item = out->mutable_guardian();
    const std::string tracing = String(guardian, "tracing_result");
    item->set_tracing_result(
        tracing == "FOUND"         ? gw::v1::Guardian::FAMILY_FOUND
        : tracing == "NOT_FOUND"   ? gw::v1::Guardian::FAMILY_NOT_FOUND
        : tracing == "IN_PROGRESS" ? gw::v1::Guardian::IN_PROGRESS
                                   : gw::v1::Guardian::NOT_STARTED);
    if (Has(guardian, "person")) {
      Person(Member(guardian, "person"), item->mutable_person());
    }
    LangTexts(guardian, "notes", item->mutable_notes());
  }
  if (Has(request, "best_interests_assessment")) {
    const Json& bia = Member(request, "best_interests_assessment");
    gw::v1::BestInterestsAssessment* item =
        out->mutable_best_interests_assessment();
    const std::string outcome = String(bia, "outcome");
    item->set_outcome(
        outcome == "RETURN" ? gw::v1::BestInterestsAssessment::RETURN
        : outcome == "NO_RETURN"
            ? gw::v1::BestInterestsAssessment::DO_NOT_RETURN
        : outcome == "PENDING"
            ? gw::v1::BestInterestsAssessment::PENDING
            : gw::v1::BestInterestsAssessment::OUTCOME_UNSPECIFIED);
    if (outcome == "NOT_REQUIRED") {
      // gw.v1 has no value for it; the request bytes (evidence) keep it.
      Warn(warnings, kValueNotRepresentableWarning,
           "/repatriation_request/best_interests_assessment/outcome");
    }
    item->set_completed_on(String(bia, "completed_on"));
    LangTexts(bia, "summary", item->mutable_summary());
  }
  if (Has(request, "proposed_handover")) {
    Handover(Member(request, "proposed_handover"),
             out->mutable_proposed_handover());
  }
}

absl::Status Decision(const Json& decision, gw::v1::RepatriationRecord* out) {
  gw::v1::RepatriationRequest* request = out->mutable_request();
  request->set_request_id(String(decision, "request_id"));
  request->set_case_ref(String(decision, "case_ref"));
  gw::v1::RepatriationRecord::State state =
      gw::v1::RepatriationRecord::STATE_UNSPECIFIED;
  gw::v1::RepatriationRecord::State_Parse(String(decision, "state"), &state);
  out->set_state(state);
  if (Has(decision, "handover")) {
    // RepatriationEvent has no handover: it goes to the request's
    // proposed_handover, where the outbound decision takes it from.
    Handover(Member(decision, "handover"),
             request->mutable_proposed_handover());
  }
  gw::v1::RepatriationEvent* event = out->add_history();
  event->set_to_state(state);
  event->set_actor_agency(String(decision, "decided_by"));
  GW_RETURN_IF_ERROR(Timestamp(decision, "decided_at", "/repatriation_decision",
                               event->mutable_at()));
  LangTexts(decision, "reason", event->mutable_reason());
  return absl::OkStatus();
}

absl::Status Status(const Json& status, gw::v1::CaseStatus* out) {
  out->set_case_ref(String(status, "case_ref"));
  out->set_owner_agency(String(status, "owner_agency"));
  gw::v1::CaseStatus::State state = gw::v1::CaseStatus::STATE_UNSPECIFIED;
  gw::v1::CaseStatus::State_Parse(String(status, "state"), &state);
  out->set_state(state);
  GW_RETURN_IF_ERROR(Timestamp(status, "updated_at", "/case_status",
                               out->mutable_updated_at()));
  Strings(status, "shared_with", out->mutable_shared_with());
  LangTexts(status, "note", out->mutable_note());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CanonicalMessage> ToCanonical(const KindSpec& spec,
                                             const nlohmann::json& body) {
  const Json& payload = Member(body, spec.message_type);
  if (!payload.is_object()) {
    return absl::InternalError(
        absl::StrCat("/", spec.message_type, ": not an object after checks"));
  }
  CanonicalMessage out;
  switch (spec.kind) {
    case Kind::kAlert: {
      auto alert = std::make_unique<gw::v1::CaseAlert>();
      GW_RETURN_IF_ERROR(Alert(payload, alert.get()));
      out.message = std::move(alert);
      break;
    }
    case Kind::kRepatriationRequest: {
      auto request = std::make_unique<gw::v1::RepatriationRequest>();
      Request(payload, request.get(), &out.warnings);
      out.message = std::move(request);
      break;
    }
    case Kind::kRepatriationDecision: {
      auto record = std::make_unique<gw::v1::RepatriationRecord>();
      GW_RETURN_IF_ERROR(Decision(payload, record.get()));
      out.message = std::move(record);
      break;
    }
    case Kind::kCaseStatus: {
      auto status = std::make_unique<gw::v1::CaseStatus>();
      GW_RETURN_IF_ERROR(Status(payload, status.get()));
      out.message = std::move(status);
      break;
    }
  }
  return out;
}

}  // namespace gw::kh_cnp
