// adapters/th_rtp/inbound.cc
//
// See inbound.h.
#include "adapters/th_rtp/inbound.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/th_rtp/be_date.h"
#include "adapters/th_rtp/th_rtp_codec.h"
#include "adapters/th_rtp/th_text.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::th_rtp {
namespace {

using gw::v1::ReceiptWarning;

// Errors here are ours, not the partner's: the frame has been validated.
absl::Status Internal(const RecordView& r, absl::string_view field,
                      const absl::Status& status) {
  return absl::InternalError(absl::StrCat(
      "record ", r.number(), " ", r.FieldName(field), ": ", status.message()));
}

absl::StatusOr<std::string> Text(const RecordView& r, absl::string_view field) {
  absl::StatusOr<std::string> text = DecodeField(r.Raw(field));
  if (!text.ok()) return Internal(r, field, text.status());
  return text;
}

std::string Ascii(const RecordView& r, absl::string_view field) {
  return std::string(r.Value(field));
}

// A TS field; nullopt when blank.
absl::StatusOr<std::optional<google::protobuf::Timestamp>> Time(
    const RecordView& r, absl::string_view field) {
  absl::StatusOr<std::optional<absl::Time>> t = ParseBeTimestamp(r.Raw(field));
  if (!t.ok()) return Internal(r, field, t.status());
  if (!t->has_value()) return std::optional<google::protobuf::Timestamp>();
  return std::optional<google::protobuf::Timestamp>(util::ToTimestamp(**t));
}

absl::StatusOr<std::string> Date(const RecordView& r, absl::string_view field,
                                 bool partial = false) {
  absl::StatusOr<std::string> d = ParseBeDate(r.Raw(field), partial);
  if (!d.ok()) return Internal(r, field, d.status());
  return d;
}

int Number(const RecordView& r, absl::string_view field) {
  int v = 0;
  for (char c : r.Value(field)) v = v * 10 + (c - '0');
  return v;
}

void Warn(std::vector<ReceiptWarning>* warnings, absl::string_view code,
          std::string field) {
  ReceiptWarning w;
  w.set_code(std::string(code));
  w.set_field(std::move(field));
  warnings->push_back(std::move(w));
}

// The texts of one topic, in TEXT_SEQ order (§5.4).
absl::StatusOr<std::vector<gw::v1::LanguageText>> TextsOf(
    const ParsedFrame& frame, absl::string_view topic) {
  std::vector<gw::v1::LanguageText> texts;
  std::vector<absl::string_view> parts;
  for (const RecordView& r : frame.records) {
    if (r.type() != RecordType::kNR || r.Raw("TOPIC") != topic) continue;
    parts.push_back(r.Raw("TEXT"));
    if (r.Raw("PART_SEQ") != r.Raw("PART_COUNT")) continue;
    absl::StatusOr<std::string> joined = JoinTextParts(parts);
    if (!joined.ok()) return Internal(r, "TEXT", joined.status());
    gw::v1::LanguageText text;
    text.set_lang(Ascii(r, "LANG"));
    text.set_text(*std::move(joined));
    texts.push_back(std::move(text));
    parts.clear();
  }
  return texts;
}

template <typename Repeated>
absl::Status AddTexts(const ParsedFrame& frame, absl::string_view topic,
                      Repeated* out) {
  GW_ASSIGN_OR_RETURN(std::vector<gw::v1::LanguageText> texts,
                      TextsOf(frame, topic));
  for (gw::v1::LanguageText& t : texts) *out->Add() = std::move(t);
  return absl::OkStatus();
}

absl::StatusOr<gw::v1::IdentityDocument> Document(const RecordView& r) {
  gw::v1::IdentityDocument doc;
  doc.set_type(Ascii(r, "DOC_TYPE"));
  doc.set_number(Ascii(r, "DOC_NUMBER"));
  doc.set_issuing_state(Ascii(r, "ISSUING_STATE"));
  GW_ASSIGN_OR_RETURN(std::string expiry, Date(r, "EXPIRY"));
  doc.set_expiry(std::move(expiry));
  // One line per field up to the last one present (TD3/TD2: two, TD1:
  // three).
  const std::string lines[] = {Ascii(r, "MRZ_1"), Ascii(r, "MRZ_2"),
                               Ascii(r, "MRZ_3")};
  int count = 3;
  while (count > 0 && lines[count - 1].empty()) --count;
  for (int i = 0; i < count; ++i) doc.add_mrz(lines[i]);
  return doc;
}

gw::v1::Person::Sex SexOf(absl::string_view code) {
  if (code == "F") return gw::v1::Person::FEMALE;
  if (code == "M") return gw::v1::Person::MALE;
  return gw::v1::Person::UNKNOWN;
}

// The SB record at frame.records[index] and the DO records after it.
// Identity documents go to the person; a travel document (RQ) to *travel.
absl::Status FillPerson(const ParsedFrame& frame, size_t index,
                        const std::string& path, gw::v1::Person* person,
                        gw::v1::IdentityDocument* travel,
                        std::vector<ReceiptWarning>* warnings) {
  const RecordView& sb = frame.records[index];
  // §5.5 inbound: one entry per slot that is not blank.
  GW_ASSIGN_OR_RETURN(std::string th_given, Text(sb, "TH_GIVEN"));
  GW_ASSIGN_OR_RETURN(std::string th_family, Text(sb, "TH_FAMILY"));
  GW_ASSIGN_OR_RETURN(std::string th_full, Text(sb, "TH_FULL"));
  if (!th_given.empty() || !th_family.empty() || !th_full.empty()) {
    gw::v1::PersonName* name = person->add_names();
    name->set_script("Thai");
    name->set_family(std::move(th_family));
    name->set_given(std::move(th_given));
    name->set_full(std::move(th_full));
  }
  const std::string latn_given = Ascii(sb, "LATN_GIVEN");
  const std::string latn_family = Ascii(sb, "LATN_FAMILY");
  const std::string latn_full = Ascii(sb, "LATN_FULL");
  if (!latn_given.empty() || !latn_family.empty() || !latn_full.empty()) {
    gw::v1::PersonName* name = person->add_names();
    name->set_script("Latn");
    name->set_family(latn_family);
    name->set_given(latn_given);
    name->set_full(latn_full);
  }
  // NAME_FLAG and TRUNCATED stay with the record (§5.5): the frame is the
  // evidence, the warnings tell users the names may be incomplete.
  if (sb.Raw("NAME_FLAG") != "N") {
    Warn(warnings, kNameIncompleteWarning, path + ".names");
  }
  if (sb.Raw("TRUNCATED") == "Y") {
    Warn(warnings, kNameTruncatedWarning, path + ".names");
  }
  person->set_sex(SexOf(sb.Value("SEX")));
  GW_ASSIGN_OR_RETURN(std::string birth,
                      Date(sb, "BIRTH_DATE", /*partial=*/true));
  person->set_date_of_birth(std::move(birth));
  if (!sb.Value("AGE_ESTIMATE").empty()) {
    person->set_age_estimate(static_cast<uint32_t>(Number(sb, "AGE_ESTIMATE")));
  }
  person->set_nationality(Ascii(sb, "NATIONALITY"));
  for (size_t i = index + 1;
       i < frame.records.size() && frame.records[i].type() == RecordType::kDO;
       ++i) {
    GW_ASSIGN_OR_RETURN(gw::v1::IdentityDocument doc,
                        Document(frame.records[i]));
    if (frame.records[i].Raw("DOC_USE") == "T" && travel != nullptr) {
      *travel = std::move(doc);
    } else {
      *person->add_documents() = std::move(doc);
    }
  }
  return absl::OkStatus();
}

std::vector<size_t> SubjectIndexes(const ParsedFrame& frame) {
  std::vector<size_t> out;
  for (size_t i = 0; i < frame.records.size(); ++i) {
    if (frame.records[i].type() == RecordType::kSB) out.push_back(i);
  }
  return out;
}

void TextSubstWarning(const RecordView& header, std::string field,
                      std::vector<ReceiptWarning>* warnings) {
  if (header.Raw("TEXT_SUBST") == "Y") {
    Warn(warnings, kTextSubstitutedWarning, std::move(field));
  }
}

absl::StatusOr<CanonicalMessage> Alert(const ParsedFrame& frame) {
  const RecordView& h = frame.header();
  auto alert = std::make_unique<gw::v1::CaseAlert>();
  CanonicalMessage out;
  alert->set_alert_id(Ascii(h, "ALERT_ID"));
  alert->set_case_ref(Ascii(h, "CASE_REF"));
  gw::v1::CaseAlert::Kind kind = gw::v1::CaseAlert::KIND_UNSPECIFIED;
  gw::v1::CaseAlert::Kind_Parse(Ascii(h, "KIND"), &kind);
  alert->set_kind(kind);
  gw::v1::CaseAlert::Priority priority =
      gw::v1::CaseAlert::PRIORITY_UNSPECIFIED;
  gw::v1::CaseAlert::Priority_Parse(Ascii(h, "PRIORITY"), &priority);
  alert->set_priority(priority);
  gw::v1::CaseAlert::HandlingCode handling =
      gw::v1::CaseAlert::HANDLING_CODE_UNSPECIFIED;
  gw::v1::CaseAlert::HandlingCode_Parse(Ascii(h, "HANDLING_CODE"), &handling);
  alert->set_handling_code(handling);
  alert->set_origin_agency(Ascii(h, "ORIGIN_AGENCY"));
  GW_ASSIGN_OR_RETURN(std::string originator, Text(h, "ORIGINATOR"));
  alert->set_originator(std::move(originator));
  for (absl::string_view code : absl::StrSplit(h.Value("RECIPIENTS"), ',')) {
    alert->add_recipients(std::string(code));
  }
  GW_ASSIGN_OR_RETURN(auto seen_at, Time(h, "LAST_SEEN_AT"));
  GW_ASSIGN_OR_RETURN(std::string place, Text(h, "LAST_SEEN_PLACE"));
  const std::string country = Ascii(h, "LAST_SEEN_COUNTRY");
  if (seen_at.has_value() || !place.empty() || !country.empty()) {
    gw::v1::LastSeen* seen = alert->mutable_last_seen();
    if (seen_at.has_value()) *seen->mutable_at() = *seen_at;
    seen->set_place(std::move(place));
    seen->set_country(country);
  }
  GW_ASSIGN_OR_RETURN(auto created, Time(h, "CREATED_AT"));
  if (created.has_value()) *alert->mutable_created_at() = *created;

  const std::vector<size_t> subjects = SubjectIndexes(frame);
  for (size_t s = 0; s < subjects.size(); ++s) {
    gw::v1::Subject* subject = alert->add_subjects();
    gw::v1::Subject::Role role = gw::v1::Subject::ROLE_UNSPECIFIED;
    gw::v1::Subject::Role_Parse(Ascii(frame.records[subjects[s]], "ROLE"),
                                &role);
    subject->set_role(role);
    GW_RETURN_IF_ERROR(
        FillPerson(frame, subjects[s], absl::StrCat("subjects[", s, "].person"),
                   subject->mutable_person(), nullptr, &out.warnings));
  }
  GW_RETURN_IF_ERROR(AddTexts(frame, "NARR", alert->mutable_narrative()));

  for (size_t i = 0; i < frame.records.size(); ++i) {
    const RecordView& at = frame.records[i];
    if (at.type() != RecordType::kAT) continue;
    gw::v1::Attachment* attachment = alert->add_attachments();
    GW_ASSIGN_OR_RETURN(std::string name, Text(at, "NAME"));
    attachment->set_name(std::move(name));
    attachment->set_media_type(Ascii(at, "MEDIA_TYPE"));
    attachment->set_sha256(Ascii(at, "SHA256"));
    std::string content;
    const int chunks = Number(at, "CHUNK_COUNT");
    for (int k = 1; k <= chunks; ++k) {
      const RecordView& ad = frame.records[i + static_cast<size_t>(k)];
      content.append(ad.Raw("DATA").data(),
                     static_cast<size_t>(Number(ad, "CHUNK_LEN")));
    }
    attachment->set_content(std::move(content));
  }
  TextSubstWarning(h, h.Raw("NARR_OMITTED") != "00" ? "narrative" : "",
                   &out.warnings);
  out.payload_type = kCaseAlertPayloadType;
  out.message = std::move(alert);
  return out;
}

absl::StatusOr<CanonicalMessage> Request(const ParsedFrame& frame) {
  const RecordView& h = frame.header();
  auto request = std::make_unique<gw::v1::RepatriationRequest>();
  CanonicalMessage out;
  request->set_request_id(Ascii(h, "REQUEST_ID"));
  request->set_case_ref(Ascii(h, "CASE_REF"));
  request->set_requesting_agency(Ascii(h, "REQUESTING_AGENCY"));
  request->set_receiving_agency(Ascii(h, "RECEIVING_AGENCY"));
  request->set_identity_verified(h.Raw("IDENTITY_VERIFIED") == "Y");
  request->set_nationality_verified(h.Raw("NATIONALITY_VERIFIED") == "Y");
  GW_ASSIGN_OR_RETURN(auto created, Time(h, "CREATED_AT"));
  if (created.has_value()) *request->mutable_created_at() = *created;

  const std::vector<size_t> subjects = SubjectIndexes(frame);
  gw::v1::IdentityDocument travel;
  GW_RETURN_IF_ERROR(FillPerson(frame, subjects[0], "victim",
                                request->mutable_victim(), &travel,
                                &out.warnings));
  if (!travel.type().empty()) *request->mutable_travel_document() = travel;

  // Guardian: absent when TRACING_RESULT is NOT_STARTED and there is
  // neither a guardian subject nor a note (the outbound default, §4.3).
  gw::v1::Guardian guardian;
  const absl::string_view tracing = h.Value("TRACING_RESULT");
  guardian.set_tracing_result(
      tracing == "FOUND"         ? gw::v1::Guardian::FAMILY_FOUND
      : tracing == "NOT_FOUND"   ? gw::v1::Guardian::FAMILY_NOT_FOUND
      : tracing == "IN_PROGRESS" ? gw::v1::Guardian::IN_PROGRESS
                                 : gw::v1::Guardian::NOT_STARTED);
  if (subjects.size() > 1) {
    GW_RETURN_IF_ERROR(FillPerson(frame, subjects[1], "guardian.person",
                                  guardian.mutable_person(), nullptr,
                                  &out.warnings));
  }
  GW_RETURN_IF_ERROR(AddTexts(frame, "GRDN", guardian.mutable_notes()));
  if (tracing != "NOT_STARTED" || guardian.has_person() ||
      guardian.notes_size() > 0) {
    *request->mutable_guardian() = std::move(guardian);
  }

  // Assessment: absent when PENDING without a date or summary (§4.3).
  gw::v1::BestInterestsAssessment bia;
  const absl::string_view outcome = h.Value("BIA_OUTCOME");
  bia.set_outcome(outcome == "RETURN" ? gw::v1::BestInterestsAssessment::RETURN
                  : outcome == "NO_RETURN"
                      ? gw::v1::BestInterestsAssessment::DO_NOT_RETURN
                  : outcome == "PENDING"
                      ? gw::v1::BestInterestsAssessment::PENDING
                      : gw::v1::BestInterestsAssessment::OUTCOME_UNSPECIFIED);
  if (outcome == "NOT_REQUIRED") {
    // gw.v1 has no value for it; the frame (evidence) keeps it.
    Warn(&out.warnings, kValueNotRepresentableWarning,
         "best_interests_assessment.outcome");
  }
  GW_ASSIGN_OR_RETURN(std::string completed, Date(h, "BIA_DATE"));
  bia.set_completed_on(std::move(completed));
  GW_RETURN_IF_ERROR(AddTexts(frame, "BIAS", bia.mutable_summary()));
  if (outcome != "PENDING" || !bia.completed_on().empty() ||
      bia.summary_size() > 0) {
    *request->mutable_best_interests_assessment() = std::move(bia);
  }

  GW_ASSIGN_OR_RETURN(std::string point, Text(h, "HANDOVER_POINT"));
  GW_ASSIGN_OR_RETURN(std::string date, Date(h, "HANDOVER_DATE"));
  if (!point.empty() || !date.empty()) {
    request->mutable_proposed_handover()->set_border_point(std::move(point));
    request->mutable_proposed_handover()->set_date(std::move(date));
  }
  TextSubstWarning(h, "", &out.warnings);
  out.payload_type = kRepatriationRequestPayloadType;
  out.message = std::move(request);
  return out;
}

absl::StatusOr<CanonicalMessage> Decision(const ParsedFrame& frame) {
  const RecordView& h = frame.header();
  auto record = std::make_unique<gw::v1::RepatriationRecord>();
  CanonicalMessage out;
  gw::v1::RepatriationRequest* request = record->mutable_request();
  request->set_request_id(Ascii(h, "REQUEST_ID"));
  request->set_case_ref(Ascii(h, "CASE_REF"));
  gw::v1::RepatriationRecord::State state =
      gw::v1::RepatriationRecord::STATE_UNSPECIFIED;
  gw::v1::RepatriationRecord::State_Parse(Ascii(h, "STATE"), &state);
  record->set_state(state);
  GW_ASSIGN_OR_RETURN(std::string point, Text(h, "HANDOVER_POINT"));
  GW_ASSIGN_OR_RETURN(std::string date, Date(h, "HANDOVER_DATE"));
  if (!point.empty() || !date.empty()) {
    // RepatriationEvent has no handover: it goes to the request's
    // proposed_handover, where outbound RD takes it from.
    request->mutable_proposed_handover()->set_border_point(std::move(point));
    request->mutable_proposed_handover()->set_date(std::move(date));
  }
  gw::v1::RepatriationEvent* event = record->add_history();
  event->set_to_state(state);
  event->set_actor_agency(Ascii(h, "DECIDED_BY"));
  GW_ASSIGN_OR_RETURN(auto decided, Time(h, "DECIDED_AT"));
  if (decided.has_value()) *event->mutable_at() = *decided;
  GW_RETURN_IF_ERROR(AddTexts(frame, "RSN ", event->mutable_reason()));
  GW_ASSIGN_OR_RETURN(auto created, Time(h, "CREATED_AT"));
  if (created.has_value()) *record->mutable_updated_at() = *created;
  TextSubstWarning(h, "", &out.warnings);
  out.payload_type = kRepatriationRecordPayloadType;
  out.message = std::move(record);
  return out;
}

absl::StatusOr<CanonicalMessage> Status(const ParsedFrame& frame) {
  const RecordView& h = frame.header();
  auto status = std::make_unique<gw::v1::CaseStatus>();
  CanonicalMessage out;
  status->set_case_ref(Ascii(h, "CASE_REF"));
  status->set_owner_agency(Ascii(h, "OWNER_AGENCY"));
  gw::v1::CaseStatus::State state = gw::v1::CaseStatus::STATE_UNSPECIFIED;
  gw::v1::CaseStatus::State_Parse(Ascii(h, "STATE"), &state);
  status->set_state(state);
  GW_ASSIGN_OR_RETURN(auto updated, Time(h, "UPDATED_AT"));
  if (updated.has_value()) *status->mutable_updated_at() = *updated;
  const std::string shared = Ascii(h, "SHARED_WITH");
  if (!shared.empty()) {
    for (absl::string_view code : absl::StrSplit(shared, ',')) {
      status->add_shared_with(std::string(code));
    }
  }
  GW_RETURN_IF_ERROR(AddTexts(frame, "NOTE", status->mutable_note()));
  TextSubstWarning(h, "", &out.warnings);
  out.payload_type = kCaseStatusPayloadType;
  out.message = std::move(status);
  return out;
}

}  // namespace

absl::StatusOr<CanonicalMessage> ToCanonical(const ParsedFrame& frame) {
  switch (frame.header().type()) {
    case RecordType::kAL:
      return Alert(frame);
    case RecordType::kRQ:
      return Request(frame);
    case RecordType::kRD:
      return Decision(frame);
    case RecordType::kCS:
      return Status(frame);
    default:
      return absl::InternalError("not a data frame");
  }
}

}  // namespace gw::th_rtp
