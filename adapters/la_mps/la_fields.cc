// adapters/la_mps/la_fields.cc
//
// See la_fields.h for the contract.
#include "adapters/la_mps/la_fields.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "adapters/la_mps/la_refusal.h"
#include "adapters/la_mps/la_values.h"
#include "adapters/text/normalize.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/payload_types.h"
#include "gateway/util/proto_time.h"
#include "google/protobuf/descriptor.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/person.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::la_mps {

namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::RepeatedPtrField;
using google::protobuf::Timestamp;
using gw::v1::Attachment;
using gw::v1::BestInterestsAssessment;
using gw::v1::CaseAlert;
using gw::v1::CaseStatus;
using gw::v1::Guardian;
using gw::v1::IdentityDocument;
using gw::v1::LanguageText;
using gw::v1::Person;
using gw::v1::RepatriationRecord;
using gw::v1::RepatriationRequest;
using gw::v1::RepatriationStep;

// Lists for which §9 sets no count limit.
constexpr size_t kUnlimited = 1000000;
// Counts of §9.
constexpr size_t kMaxSubjects = 999;
constexpr size_t kMaxNames = 10;
constexpr size_t kMaxDocuments = 10;
constexpr size_t kMaxTexts = 20;
constexpr size_t kMaxAgencies = 16;
// Length limits of §3.5, in characters.
constexpr size_t kNamePartChars = 100;
constexpr size_t kLabelChars = 200;

constexpr char kStepPayloadType[] =
    "application/vnd.gw.v1.RepatriationStep+proto";

std::string Join(absl::string_view prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

std::string Join(absl::string_view prefix, absl::string_view name,
                 size_t index) {
  return absl::StrCat(Join(prefix, name), ".", index);
}

// ---------------------------------------------------------------------------
// Tables (§3.5).

FieldSpec LangTexts(std::string name) {
  return List(std::move(name), kMaxTexts,
              {Leaf("lang", Format::kLang, true),
               Leaf("text", Format::kMultilineText, true)});
}

std::vector<FieldSpec> DocumentFields() {
  return {Leaf("type", Format::kCode, true),
          Leaf("number", Format::kText, true),
          Leaf("issuing_state", Format::kCountry, false),
          Leaf("expiry", Format::kDate, false),
          LeafList("mrz", Format::kMrz, false, 3)};
}

std::vector<FieldSpec> PersonFields() {
  return {List("names", kMaxNames,
               {Leaf("script", Format::kScript, true),
                Leaf("family", Format::kText, false, kNamePartChars),
                Leaf("given", Format::kText, false, kNamePartChars),
                Leaf("full", Format::kText, false, kLabelChars)}),
          Leaf("sex", Format::kCode, true),
          Leaf("date_of_birth", Format::kPartialDate, false),
          Leaf("age_estimate", Format::kInteger, false),
          Leaf("nationality", Format::kCountry, false),
          List("documents", kMaxDocuments, DocumentFields())};
}

FieldSpec AlertSpec() {
  return Group(
      "", true,
      {Leaf("alert_id", Format::kIdentifier, true),
       Leaf("case_ref", Format::kIdentifier, true),
       Leaf("kind", Format::kCode, true), Leaf("priority", Format::kCode, true),
       Leaf("handling_code", Format::kCode, true),
       Leaf("origin_agency", Format::kAgency, true),
       Leaf("originator", Format::kText, true, kLabelChars),
       LeafList("recipients", Format::kAgency, true, kMaxAgencies),
       List("subjects", kMaxSubjects,
            {Leaf("role", Format::kCode, true),
             Group("person", true, PersonFields())}),
       Group("last_seen", false,
             {Leaf("at", Format::kTimestamp, false),
              Leaf("place", Format::kText, false, kLabelChars),
              Leaf("country", Format::kCountry, false)}),
       LangTexts("narrative"),
       List("attachments", kUnlimited,
            {Leaf("name", Format::kText, true, kLabelChars),
             Leaf("media_type", Format::kMediaType, true),
             Leaf("sha256", Format::kSha256, true),
             Leaf("size", Format::kInteger, true),
             Leaf("included", Format::kYesNo, true),
             Leaf("content", Format::kBase64, false)}),
       Leaf("created_at", Format::kTimestamp, true)});
}

FieldSpec RequestSpec() {
  return Group(
      "", true,
      {Leaf("request_id", Format::kIdentifier, true),
       Leaf("case_ref", Format::kIdentifier, true),
       Group("victim", false, PersonFields()),
       Leaf("requesting_agency", Format::kAgency, true),
       Leaf("receiving_agency", Format::kAgency, true),
       Leaf("identity_verified", Format::kYesNo, true),
       Leaf("nationality_verified", Format::kYesNo, true),
       Group("travel_document", false, DocumentFields()),
       Group("guardian", false,
             {Leaf("tracing_result", Format::kCode, true),
              Group("person", false, PersonFields()), LangTexts("notes")}),
       Group(
           "best_interests_assessment", false,
           {Leaf("outcome", Format::kCode, true),
            Leaf("completed_on", Format::kDate, false), LangTexts("summary")}),
       Group("proposed_handover", false,
             {Leaf("border_point", Format::kText, true, kLabelChars),
              Leaf("date", Format::kDate, true)})});
}

FieldSpec DecisionSpec() {
  return Group(
      "", true,
      {Leaf("request_id", Format::kIdentifier, true),
       Leaf("case_ref", Format::kIdentifier, true),
       Leaf("state", Format::kCode, true),
       Leaf("decided_by", Format::kAgency, true),
       Leaf("decided_at", Format::kTimestamp, true), LangTexts("reason"),
       Group("handover", false,
             {Leaf("border_point", Format::kText, true, kLabelChars),
              Leaf("date", Format::kDate, true)})});
}

FieldSpec CaseStatusSpec() {
  return Group("", true,
               {Leaf("case_ref", Format::kIdentifier, true),
                Leaf("owner_agency", Format::kAgency, true),
                Leaf("state", Format::kCode, true),
                Leaf("updated_at", Format::kTimestamp, true),
                LeafList("shared_with", Format::kAgency, false, kMaxAgencies),
                LangTexts("note")});
}

// ---------------------------------------------------------------------------
// Code lists.

// The enumeration name of `value`, or "" for 0 (unspecified) and numbers
// the enumeration does not define.
std::string EnumName(const EnumDescriptor* descriptor, int value) {
  if (value == 0) return "";
  const auto* entry = descriptor->FindValueByNumber(value);
  return entry == nullptr ? "" : entry->name();
}

// The number of `code` in `descriptor`, or 0 if it names none (or the
// unspecified value).
int EnumNumber(const EnumDescriptor* descriptor, absl::string_view code) {
  const auto* entry = descriptor->FindValueByName(std::string(code));
  return entry == nullptr ? 0 : entry->number();
}

std::string SexCode(Person::Sex sex) {
  switch (sex) {
    case Person::FEMALE:
      return "FEMALE";
    case Person::MALE:
      return "MALE";
    default:
      // The ICD has no OTHER; absent and unknown are UNKNOWN (§4).
      return "UNKNOWN";
  }
}

absl::Status UnknownCode(absl::string_view path, absl::string_view codes) {
  return SchemaViolation(path, absl::StrCat("not a code of the ICD: want ",
                                            codes, " (LA-MPS.md §3.5)"));
}

// ---------------------------------------------------------------------------
// Outbound.

class Writer {
 public:
  // Codes, identifiers, agency codes and other ASCII values, as they are.
  void Raw(std::string path, absl::string_view value) {
    if (value.empty()) return;
    records_.push_back(CsvRecord{std::move(path), std::string(value), 0});
  }
  void Text(std::string path, absl::string_view value) {
    if (value.empty()) return;
    absl::StatusOr<std::string> nfc =
        text::ToNfc(std::string_view(value.data(), value.size()));
    if (!nfc.ok()) return Fail(path, "text is not valid UTF-8");
    Raw(std::move(path), CleanText(*nfc));
  }
  void Date(std::string path, absl::string_view iso) {
    if (iso.empty()) return;
    absl::StatusOr<std::string> la = IsoDateToLa(iso);
    if (!la.ok()) return Fail(path, la.status().message());
    Raw(std::move(path), *la);
  }
  void PartialDate(std::string path, absl::string_view iso) {
    if (iso.empty()) return;
    absl::StatusOr<std::string> la = IsoPartialDateToLa(iso);
    if (!la.ok()) return Fail(path, la.status().message());
    Raw(std::move(path), *la);
  }
  void Time(std::string path, bool present, const Timestamp& at) {
    if (!present) return;
    absl::StatusOr<std::string> la =
        TimeToLa(absl::FromUnixSeconds(at.seconds()));
    if (!la.ok()) return Fail(path, la.status().message());
    Raw(std::move(path), *la);
  }
  void YesNo(std::string path, bool value) {
    Raw(std::move(path), value ? "Y" : "N");
  }
  void Fail(absl::string_view path, absl::string_view text) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(absl::StrCat(path, ": ", text));
    }
  }

  void LangTexts(absl::string_view prefix, absl::string_view name,
                 const RepeatedPtrField<LanguageText>& texts) {
    for (int i = 0; i < texts.size(); ++i) {
      const std::string entry = Join(prefix, name, i + 1);
      Raw(Join(entry, "lang"), texts[i].lang());
      Text(Join(entry, "text"), texts[i].text());
    }
  }

  void Document(absl::string_view prefix, const IdentityDocument& document) {
    Raw(Join(prefix, "type"), document.type());
    Text(Join(prefix, "number"), document.number());
    Raw(Join(prefix, "issuing_state"), document.issuing_state());
    Date(Join(prefix, "expiry"), document.expiry());
    for (int i = 0; i < document.mrz_size(); ++i) {
      Raw(Join(prefix, "mrz", i + 1), document.mrz(i));
    }
  }

  void WritePerson(absl::string_view prefix, const Person& person) {
    for (int i = 0; i < person.names_size(); ++i) {
      const std::string entry = Join(prefix, "names", i + 1);
      const gw::v1::PersonName& name = person.names(i);
      Raw(Join(entry, "script"), name.script());
      Text(Join(entry, "family"), name.family());
      Text(Join(entry, "given"), name.given());
      Text(Join(entry, "full"), name.full());
    }
    Raw(Join(prefix, "sex"), SexCode(person.sex()));
    PartialDate(Join(prefix, "date_of_birth"), person.date_of_birth());
    if (person.age_estimate() != 0) {
      Raw(Join(prefix, "age_estimate"), absl::StrCat(person.age_estimate()));
    }
    Raw(Join(prefix, "nationality"), person.nationality());
    for (int i = 0; i < person.documents_size(); ++i) {
      Document(Join(prefix, "documents", i + 1), person.documents(i));
    }
  }

  absl::StatusOr<std::vector<CsvRecord>> Finish() {
    if (!status_.ok()) return status_;
    return std::move(records_);
  }

 private:
  std::vector<CsvRecord> records_;
  absl::Status status_;
};

void WriteAlert(const CaseAlert& alert, size_t budget, Writer* w) {
  w->Raw("alert_id", alert.alert_id());
  w->Raw("case_ref", alert.case_ref());
  w->Raw("kind", EnumName(CaseAlert::Kind_descriptor(), alert.kind()));
  w->Raw("priority",
         EnumName(CaseAlert::Priority_descriptor(), alert.priority()));
  w->Raw("handling_code",
         EnumName(CaseAlert::HandlingCode_descriptor(), alert.handling_code()));
  w->Raw("origin_agency", alert.origin_agency());
  w->Text("originator", alert.originator());
  for (int i = 0; i < alert.recipients_size(); ++i) {
    w->Raw(Join("", "recipients", i + 1), alert.recipients(i));
  }
  for (int i = 0; i < alert.subjects_size(); ++i) {
    const std::string entry = Join("", "subjects", i + 1);
    const gw::v1::Subject& subject = alert.subjects(i);
    w->Raw(Join(entry, "role"),
           EnumName(gw::v1::Subject::Role_descriptor(), subject.role()));
    w->WritePerson(Join(entry, "person"), subject.person());
  }
  if (alert.has_last_seen()) {
    const gw::v1::LastSeen& seen = alert.last_seen();
    w->Time("last_seen.at", seen.has_at(), seen.at());
    w->Text("last_seen.place", seen.place());
    w->Raw("last_seen.country", seen.country());
  }
  w->LangTexts("", "narrative", alert.narrative());
  bool including = true;
  for (int i = 0; i < alert.attachments_size(); ++i) {
    const std::string entry = Join("", "attachments", i + 1);
    const Attachment& attachment = alert.attachments(i);
    w->Text(Join(entry, "name"), attachment.name());
    w->Text(Join(entry, "media_type"), attachment.media_type());
    w->Raw(Join(entry, "sha256"), attachment.sha256().empty()
                                      ? crypto::Sha256Hex(attachment.content())
                                      : attachment.sha256());
    w->Raw(Join(entry, "size"), absl::StrCat(attachment.content().size()));
    const std::string content_path = Join(entry, "content");
    // The content record: path, ',', base64, CR LF (base64 is never quoted).
    const size_t record_bytes =
        content_path.size() + 1 + (attachment.content().size() + 2) / 3 * 4 + 2;
    // §9: in canonical order, included while the file stays within 16 MiB;
    // the first one that does not fit ends the inclusion. One without
    // content (described only in the canonical message) has nothing to
    // include and ends nothing.
    const bool has_content = !attachment.content().empty();
    if (has_content && record_bytes > budget) including = false;
    const bool included = including && has_content;
    w->YesNo(Join(entry, "included"), included);
    if (included) {
      budget -= record_bytes;
      w->Raw(content_path, Base64Encode(attachment.content()));
    }
  }
  w->Time("created_at", alert.has_created_at(), alert.created_at());
}

// The guardian's tracing result as an ICD code, or the refusal.
void WriteTracingResult(Guardian::TracingResult result, Writer* w) {
  constexpr char kPath[] = "guardian.tracing_result";
  switch (result) {
    case Guardian::FAMILY_FOUND:
      return w->Raw(kPath, "FOUND");
    case Guardian::FAMILY_NOT_FOUND:
      return w->Raw(kPath, "NOT_FOUND");
    case Guardian::IN_PROGRESS:
      return w->Raw(kPath, "IN_PROGRESS");
    case Guardian::NOT_STARTED:
      return w->Raw(kPath, "NOT_STARTED");
    case Guardian::TRACING_RESULT_UNSPECIFIED:
      return;  // missing: the check of the written records names it
    default:
      return w->Fail(
          kPath,
          absl::StrCat(EnumName(Guardian::TracingResult_descriptor(), result),
                       " has no LA-MPS code (FOUND, NOT_FOUND, "
                       "IN_PROGRESS, NOT_STARTED; LA-MPS.md §3.5)"));
  }
}

void WriteRequest(const RepatriationRequest& request, Writer* w) {
  w->Raw("request_id", request.request_id());
  w->Raw("case_ref", request.case_ref());
  if (request.has_victim()) w->WritePerson("victim", request.victim());
  w->Raw("requesting_agency", request.requesting_agency());
  w->Raw("receiving_agency", request.receiving_agency());
  w->YesNo("identity_verified", request.identity_verified());
  w->YesNo("nationality_verified", request.nationality_verified());
  if (request.has_travel_document()) {
    w->Document("travel_document", request.travel_document());
  }
  if (request.has_guardian()) {
    const Guardian& guardian = request.guardian();
    WriteTracingResult(guardian.tracing_result(), w);
    if (guardian.has_person()) {
      w->WritePerson("guardian.person", guardian.person());
    }
    w->LangTexts("guardian", "notes", guardian.notes());
  }
  if (request.has_best_interests_assessment()) {
    const BestInterestsAssessment& bia = request.best_interests_assessment();
    const std::string outcome =
        bia.outcome() == BestInterestsAssessment::DO_NOT_RETURN
            ? std::string("NO_RETURN")
            : EnumName(BestInterestsAssessment::Outcome_descriptor(),
                       bia.outcome());
    w->Raw("best_interests_assessment.outcome", outcome);
    w->Date("best_interests_assessment.completed_on", bia.completed_on());
    w->LangTexts("best_interests_assessment", "summary", bia.summary());
  }
  if (request.has_proposed_handover()) {
    w->Text("proposed_handover.border_point",
            request.proposed_handover().border_point());
    w->Date("proposed_handover.date", request.proposed_handover().date());
  }
}

// The handover of a decision (see la_fields.h), or nullptr.
const gw::v1::ProposedHandover* DecisionHandover(
    const RepatriationRecord& record, RepatriationStep* step) {
  if (record.history_size() > 0) {
    const gw::v1::Envelope& envelope =
        record.history(record.history_size() - 1).envelope();
    if (envelope.payload_type() == kStepPayloadType &&
        step->ParseFromString(envelope.payload()) && step->has_handover()) {
      return &step->handover();
    }
  }
  if (record.request().has_proposed_handover()) {
    return &record.request().proposed_handover();
  }
  return nullptr;
}

void WriteDecision(const RepatriationRecord& record, Writer* w) {
  w->Raw("request_id", record.request().request_id());
  w->Raw("case_ref", record.request().case_ref());
  w->Raw("state",
         EnumName(RepatriationRecord::State_descriptor(), record.state()));
  if (record.history_size() == 0) {
    return w->Fail("history",
                   "empty; a decision is the latest entry of the history "
                   "(LA-MPS.md §4)");
  }
  const gw::v1::RepatriationEvent& latest =
      record.history(record.history_size() - 1);
  w->Raw("decided_by", latest.actor_agency());
  w->Time("decided_at", latest.has_at(), latest.at());
  w->LangTexts("", "reason", latest.reason());
  if (record.state() == RepatriationRecord::HANDOVER_SCHEDULED) {
    RepatriationStep step;
    const gw::v1::ProposedHandover* handover = DecisionHandover(record, &step);
    if (handover != nullptr) {
      w->Text("handover.border_point", handover->border_point());
      w->Date("handover.date", handover->date());
    }
  }
}

void WriteCaseStatus(const CaseStatus& status, Writer* w) {
  w->Raw("case_ref", status.case_ref());
  w->Raw("owner_agency", status.owner_agency());
  w->Raw("state", EnumName(CaseStatus::State_descriptor(), status.state()));
  w->Time("updated_at", status.has_updated_at(), status.updated_at());
  for (int i = 0; i < status.shared_with_size(); ++i) {
    w->Raw(Join("", "shared_with", i + 1), status.shared_with(i));
  }
  if (status.note_size() > 0 || status.history_size() == 0) {
    w->LangTexts("", "note", status.note());
  } else {
    w->LangTexts("", "note", status.history(status.history_size() - 1).note());
  }
}

// ---------------------------------------------------------------------------
// Inbound. Every leaf read here has passed BuildFieldTree's format check.

const std::string& Get(const FieldGroup& group, absl::string_view name) {
  static const std::string* const kEmpty = new std::string();
  const std::string* value = group.Leaf(name);
  return value == nullptr ? *kEmpty : *value;
}

absl::StatusOr<Timestamp> GetTime(const FieldGroup& group,
                                  absl::string_view name) {
  absl::StatusOr<absl::Time> at = LaToTime(Get(group, name));
  if (!at.ok()) {
    return SchemaViolation(group.PathOf(name), at.status().message());
  }
  return util::ToTimestamp(*at);
}

absl::StatusOr<std::string> GetDate(const FieldGroup& group,
                                    absl::string_view name) {
  if (group.Leaf(name) == nullptr) return std::string();
  absl::StatusOr<std::string> iso = LaDateToIso(Get(group, name));
  if (!iso.ok()) {
    return SchemaViolation(group.PathOf(name), iso.status().message());
  }
  return iso;
}

// The enumeration value named by the code at `name`; 0 never.
absl::StatusOr<int> GetEnum(const FieldGroup& group, absl::string_view name,
                            const EnumDescriptor* descriptor) {
  const std::string& code = Get(group, name);
  const int number = EnumNumber(descriptor, code);
  if (number == 0) {
    std::vector<std::string> codes;
    for (int i = 0; i < descriptor->value_count(); ++i) {
      if (descriptor->value(i)->number() != 0) {
        codes.push_back(descriptor->value(i)->name());
      }
    }
    return UnknownCode(group.PathOf(name), absl::StrJoin(codes, ", "));
  }
  return number;
}

absl::Status ReadLangTexts(const FieldGroup& group, absl::string_view name,
                           RepeatedPtrField<LanguageText>* out) {
  for (const FieldGroup* entry : group.List(name)) {
    LanguageText* text = out->Add();
    text->set_lang(Get(*entry, "lang"));
    text->set_text(Get(*entry, "text"));
  }
  return absl::OkStatus();
}

absl::Status ReadDocument(const FieldGroup& group, IdentityDocument* out) {
  out->set_type(Get(group, "type"));
  out->set_number(Get(group, "number"));
  out->set_issuing_state(Get(group, "issuing_state"));
  absl::StatusOr<std::string> expiry = GetDate(group, "expiry");
  if (!expiry.ok()) return expiry.status();
  out->set_expiry(*expiry);
  const std::vector<std::string>& mrz = group.LeafList("mrz");
  if (mrz.size() == 1) {
    return SchemaViolation(absl::StrCat(group.PathOf("mrz"), ".2"),
                           "an MRZ has 2 lines (TD2, TD3) or 3 lines (TD1) "
                           "(LA-MPS.md §3.5)");
  }
  for (const std::string& line : mrz) out->add_mrz(line);
  return absl::OkStatus();
}

absl::Status ReadPerson(const FieldGroup& group, Person* out) {
  for (const FieldGroup* entry : group.List("names")) {
    gw::v1::PersonName* name = out->add_names();
    name->set_script(Get(*entry, "script"));
    name->set_family(Get(*entry, "family"));
    name->set_given(Get(*entry, "given"));
    name->set_full(Get(*entry, "full"));
    if (name->family().empty() && name->given().empty() &&
        name->full().empty()) {
      return SchemaViolation(entry->path(),
                             "a name has at least one of family, given and "
                             "full (LA-MPS.md §3.5)");
    }
  }
  const std::string& sex = Get(group, "sex");
  if (sex == "FEMALE") {
    out->set_sex(Person::FEMALE);
  } else if (sex == "MALE") {
    out->set_sex(Person::MALE);
  } else if (sex == "UNKNOWN") {
    out->set_sex(Person::UNKNOWN);
  } else {
    return UnknownCode(group.PathOf("sex"), "FEMALE, MALE, UNKNOWN");
  }
  if (group.Leaf("date_of_birth") != nullptr) {
    absl::StatusOr<std::string> iso =
        LaPartialDateToIso(Get(group, "date_of_birth"));
    if (!iso.ok()) {
      return SchemaViolation(group.PathOf("date_of_birth"),
                             iso.status().message());
    }
    out->set_date_of_birth(*iso);
  }
  if (group.Leaf("age_estimate") != nullptr) {
    absl::StatusOr<uint64_t> age =
        ParseInteger(Get(group, "age_estimate"), UINT32_MAX);
    if (!age.ok()) {
      return SchemaViolation(group.PathOf("age_estimate"),
                             age.status().message());
    }
    out->set_age_estimate(static_cast<uint32_t>(*age));
  }
  out->set_nationality(Get(group, "nationality"));
  for (const FieldGroup* entry : group.List("documents")) {
    absl::Status status = ReadDocument(*entry, out->add_documents());
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ReadAttachment(const FieldGroup& group, Attachment* out) {
  out->set_name(Get(group, "name"));
  out->set_media_type(Get(group, "media_type"));
  out->set_sha256(Get(group, "sha256"));
  const bool included = Get(group, "included") == "Y";
  const bool has_content = group.Leaf("content") != nullptr;
  if (included != has_content) {
    return has_content
               ? SchemaViolation(group.PathOf("content"),
                                 "present although included is N (LA-MPS.md "
                                 "§3.5)")
               : SchemaViolation(group.PathOf("content"),
                                 "missing although included is Y (LA-MPS.md "
                                 "§3.5)");
  }
  if (!included) return absl::OkStatus();
  absl::StatusOr<std::string> content =
      Base64DecodeStrict(Get(group, "content"));
  if (!content.ok()) {
    return SchemaViolation(group.PathOf("content"), content.status().message());
  }
  absl::StatusOr<uint64_t> size = ParseInteger(Get(group, "size"), UINT64_MAX);
  if (!size.ok() || *size != content->size()) {
    return SchemaViolation(group.PathOf("size"),
                           "not the length of the content");
  }
  if (crypto::Sha256Hex(*content) != out->sha256()) {
    return SchemaViolation(group.PathOf("sha256"),
                           "not the SHA-256 of the content");
  }
  out->set_content(*std::move(content));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ReadAlert(
    const FieldGroup& root) {
  auto alert = std::make_unique<CaseAlert>();
  alert->set_alert_id(Get(root, "alert_id"));
  alert->set_case_ref(Get(root, "case_ref"));
  absl::StatusOr<int> kind =
      GetEnum(root, "kind", CaseAlert::Kind_descriptor());
  if (!kind.ok()) return kind.status();
  alert->set_kind(static_cast<CaseAlert::Kind>(*kind));
  absl::StatusOr<int> priority =
      GetEnum(root, "priority", CaseAlert::Priority_descriptor());
  if (!priority.ok()) return priority.status();
  alert->set_priority(static_cast<CaseAlert::Priority>(*priority));
  absl::StatusOr<int> handling =
      GetEnum(root, "handling_code", CaseAlert::HandlingCode_descriptor());
  if (!handling.ok()) return handling.status();
  alert->set_handling_code(static_cast<CaseAlert::HandlingCode>(*handling));
  alert->set_origin_agency(Get(root, "origin_agency"));
  alert->set_originator(Get(root, "originator"));
  for (const std::string& recipient : root.LeafList("recipients")) {
    alert->add_recipients(recipient);
  }
  for (const FieldGroup* entry : root.List("subjects")) {
    gw::v1::Subject* subject = alert->add_subjects();
    absl::StatusOr<int> role =
        GetEnum(*entry, "role", gw::v1::Subject::Role_descriptor());
    if (!role.ok()) return role.status();
    subject->set_role(static_cast<gw::v1::Subject::Role>(*role));
    absl::Status status =
        ReadPerson(*entry->Group("person"), subject->mutable_person());
    if (!status.ok()) return status;
  }
  if (const FieldGroup* seen = root.Group("last_seen"); seen != nullptr) {
    gw::v1::LastSeen* out = alert->mutable_last_seen();
    if (seen->Leaf("at") != nullptr) {
      absl::StatusOr<Timestamp> at = GetTime(*seen, "at");
      if (!at.ok()) return at.status();
      *out->mutable_at() = *at;
    }
    out->set_place(Get(*seen, "place"));
    out->set_country(Get(*seen, "country"));
  }
  absl::Status status =
      ReadLangTexts(root, "narrative", alert->mutable_narrative());
  if (!status.ok()) return status;
  for (const FieldGroup* entry : root.List("attachments")) {
    status = ReadAttachment(*entry, alert->add_attachments());
    if (!status.ok()) return status;
  }
  absl::StatusOr<Timestamp> created = GetTime(root, "created_at");
  if (!created.ok()) return created.status();
  *alert->mutable_created_at() = *created;
  return alert;
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ReadRequest(
    const FieldGroup& root, absl::Time created_at) {
  auto request = std::make_unique<RepatriationRequest>();
  request->set_request_id(Get(root, "request_id"));
  request->set_case_ref(Get(root, "case_ref"));
  if (const FieldGroup* victim = root.Group("victim"); victim != nullptr) {
    absl::Status status = ReadPerson(*victim, request->mutable_victim());
    if (!status.ok()) return status;
  }
  request->set_requesting_agency(Get(root, "requesting_agency"));
  request->set_receiving_agency(Get(root, "receiving_agency"));
  request->set_identity_verified(Get(root, "identity_verified") == "Y");
  request->set_nationality_verified(Get(root, "nationality_verified") == "Y");
  if (const FieldGroup* document = root.Group("travel_document");
      document != nullptr) {
    absl::Status status =
        ReadDocument(*document, request->mutable_travel_document());
    if (!status.ok()) return status;
  }
  if (const FieldGroup* guardian = root.Group("guardian");
      guardian != nullptr) {
    Guardian* out = request->mutable_guardian();
    const std::string& result = Get(*guardian, "tracing_result");
    if (result == "FOUND") {
      out->set_tracing_result(Guardian::FAMILY_FOUND);
    } else if (result == "NOT_FOUND") {
      out->set_tracing_result(Guardian::FAMILY_NOT_FOUND);
    } else if (result == "IN_PROGRESS") {
      out->set_tracing_result(Guardian::IN_PROGRESS);
    } else if (result == "NOT_STARTED") {
      out->set_tracing_result(Guardian::NOT_STARTED);
    } else {
      return UnknownCode(guardian->PathOf("tracing_result"),
                         "FOUND, NOT_FOUND, IN_PROGRESS, NOT_STARTED");
    }
    if (const FieldGroup* person = guardian->Group("person");
        person != nullptr) {
      absl::Status status = ReadPerson(*person, out->mutable_person());
      if (!status.ok()) return status;
    }
    absl::Status status =
        ReadLangTexts(*guardian, "notes", out->mutable_notes());
    if (!status.ok()) return status;
  }
  if (const FieldGroup* bia = root.Group("best_interests_assessment");
      bia != nullptr) {
    BestInterestsAssessment* out = request->mutable_best_interests_assessment();
    const std::string& outcome = Get(*bia, "outcome");
    if (outcome == "RETURN") {
      out->set_outcome(BestInterestsAssessment::RETURN);
    } else if (outcome == "NO_RETURN") {
      out->set_outcome(BestInterestsAssessment::DO_NOT_RETURN);
    } else if (outcome == "PENDING") {
      out->set_outcome(BestInterestsAssessment::PENDING);
    } else if (outcome == "NOT_REQUIRED") {
      const int number =
          EnumNumber(BestInterestsAssessment::Outcome_descriptor(), outcome);
      if (number == 0) {
        // A valid ICD value that gw.v1 cannot hold yet: keep the message
        // (no .ack, the partner retries) rather than refuse it for good.
        return ingest::WithReason(
            absl::UnavailableError(
                "best_interests_assessment.outcome: NOT_REQUIRED has no "
                "gw.v1 equivalent in this gateway release; the message is "
                "held until it has"),
            "NOT_SUPPORTED_YET");
      }
      out->set_outcome(static_cast<BestInterestsAssessment::Outcome>(number));
    } else {
      return UnknownCode(bia->PathOf("outcome"),
                         "RETURN, NO_RETURN, PENDING, NOT_REQUIRED");
    }
    absl::StatusOr<std::string> completed = GetDate(*bia, "completed_on");
    if (!completed.ok()) return completed.status();
    out->set_completed_on(*completed);
    absl::Status status =
        ReadLangTexts(*bia, "summary", out->mutable_summary());
    if (!status.ok()) return status;
  }
  if (const FieldGroup* handover = root.Group("proposed_handover");
      handover != nullptr) {
    gw::v1::ProposedHandover* out = request->mutable_proposed_handover();
    out->set_border_point(Get(*handover, "border_point"));
    absl::StatusOr<std::string> date = GetDate(*handover, "date");
    if (!date.ok()) return date.status();
    out->set_date(*date);
  }
  *request->mutable_created_at() = util::ToTimestamp(created_at);
  return request;
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ReadDecision(
    const FieldGroup& root, absl::Time created_at) {
  auto record = std::make_unique<RepatriationRecord>();
  record->mutable_request()->set_request_id(Get(root, "request_id"));
  record->mutable_request()->set_case_ref(Get(root, "case_ref"));
  absl::StatusOr<int> state =
      GetEnum(root, "state", RepatriationRecord::State_descriptor());
  if (!state.ok()) return state.status();
  record->set_state(static_cast<RepatriationRecord::State>(*state));
  gw::v1::RepatriationEvent* event = record->add_history();
  event->set_to_state(record->state());
  event->set_actor_agency(Get(root, "decided_by"));
  absl::StatusOr<Timestamp> at = GetTime(root, "decided_at");
  if (!at.ok()) return at.status();
  *event->mutable_at() = *at;
  absl::Status status = ReadLangTexts(root, "reason", event->mutable_reason());
  if (!status.ok()) return status;
  const FieldGroup* handover = root.Group("handover");
  const bool scheduled =
      record->state() == RepatriationRecord::HANDOVER_SCHEDULED;
  if (scheduled && handover == nullptr) {
    return SchemaViolation("handover.border_point",
                           "mandatory with state HANDOVER_SCHEDULED "
                           "(LA-MPS.md §3.5)");
  }
  if (!scheduled && handover != nullptr) {
    return SchemaViolation(handover->Leaf("border_point") != nullptr
                               ? "handover.border_point"
                               : "handover.date",
                           "present although state is not "
                           "HANDOVER_SCHEDULED (LA-MPS.md §3.5)");
  }
  if (handover != nullptr) {
    gw::v1::ProposedHandover* out =
        record->mutable_request()->mutable_proposed_handover();
    out->set_border_point(Get(*handover, "border_point"));
    absl::StatusOr<std::string> date = GetDate(*handover, "date");
    if (!date.ok()) return date.status();
    out->set_date(*date);
  }
  *record->mutable_updated_at() = util::ToTimestamp(created_at);
  return record;
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ReadCaseStatus(
    const FieldGroup& root) {
  auto status = std::make_unique<CaseStatus>();
  status->set_case_ref(Get(root, "case_ref"));
  status->set_owner_agency(Get(root, "owner_agency"));
  absl::StatusOr<int> state =
      GetEnum(root, "state", CaseStatus::State_descriptor());
  if (!state.ok()) return state.status();
  status->set_state(static_cast<CaseStatus::State>(*state));
  absl::StatusOr<Timestamp> updated = GetTime(root, "updated_at");
  if (!updated.ok()) return updated.status();
  *status->mutable_updated_at() = *updated;
  for (const std::string& agency : root.LeafList("shared_with")) {
    status->add_shared_with(agency);
  }
  absl::Status read = ReadLangTexts(root, "note", status->mutable_note());
  if (!read.ok()) return read;
  return status;
}

bool IsSet(const Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

}  // namespace

absl::string_view MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kAlert:
      return "ALERT";
    case MessageType::kRepatriationRequest:
      return "REPATRIATION_REQUEST";
    case MessageType::kRepatriationDecision:
      return "REPATRIATION_DECISION";
    case MessageType::kCaseStatus:
      return "CASE_STATUS";
  }
  return "";
}

std::optional<MessageType> MessageTypeFromName(absl::string_view name) {
  for (MessageType type :
       {MessageType::kAlert, MessageType::kRepatriationRequest,
        MessageType::kRepatriationDecision, MessageType::kCaseStatus}) {
    if (MessageTypeName(type) == name) return type;
  }
  return std::nullopt;
}

absl::string_view PayloadTypeOf(MessageType type) {
  switch (type) {
    case MessageType::kAlert:
      return util::kCaseAlertPayloadType;
    case MessageType::kRepatriationRequest:
      return util::kRepatriationRequestPayloadType;
    case MessageType::kRepatriationDecision:
      return util::kRepatriationRecordPayloadType;
    case MessageType::kCaseStatus:
      return util::kCaseStatusPayloadType;
  }
  return "";
}

std::optional<MessageType> MessageTypeFromPayloadType(
    absl::string_view payload_type) {
  for (MessageType type :
       {MessageType::kAlert, MessageType::kRepatriationRequest,
        MessageType::kRepatriationDecision, MessageType::kCaseStatus}) {
    if (PayloadTypeOf(type) == payload_type) return type;
  }
  return std::nullopt;
}

const FieldSpec& BodySpec(MessageType type) {
  static const FieldSpec* const kAlert = new FieldSpec(AlertSpec());
  static const FieldSpec* const kRequest = new FieldSpec(RequestSpec());
  static const FieldSpec* const kDecision = new FieldSpec(DecisionSpec());
  static const FieldSpec* const kStatus = new FieldSpec(CaseStatusSpec());
  switch (type) {
    case MessageType::kAlert:
      return *kAlert;
    case MessageType::kRepatriationRequest:
      return *kRequest;
    case MessageType::kRepatriationDecision:
      return *kDecision;
    case MessageType::kCaseStatus:
      return *kStatus;
  }
  return *kAlert;
}

absl::StatusOr<absl::Time> MessageCreatedAt(
    MessageType type, const google::protobuf::Message& payload) {
  const Timestamp* at = nullptr;
  const char* field = "";
  switch (type) {
    case MessageType::kAlert:
      at = &static_cast<const CaseAlert&>(payload).created_at();
      field = "created_at";
      break;
    case MessageType::kRepatriationRequest:
      at = &static_cast<const RepatriationRequest&>(payload).created_at();
      field = "created_at";
      break;
    case MessageType::kRepatriationDecision: {
      const auto& record = static_cast<const RepatriationRecord&>(payload);
      at = &record.updated_at();
      field = "updated_at";
      if (!IsSet(*at) && record.history_size() > 0) {
        at = &record.history(record.history_size() - 1).at();
      }
      break;
    }
    case MessageType::kCaseStatus:
      at = &static_cast<const CaseStatus&>(payload).updated_at();
      field = "updated_at";
      break;
  }
  if (at == nullptr || !IsSet(*at)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field,
        ": missing; it is the message_created_at of the LA-MPS file "
        "(LA-MPS.md §3.4)"));
  }
  return absl::FromUnixSeconds(at->seconds());
}

absl::StatusOr<std::vector<CsvRecord>> EncodeBody(
    MessageType type, const google::protobuf::Message& payload,
    size_t attachment_budget) {
  Writer w;
  switch (type) {
    case MessageType::kAlert:
      WriteAlert(static_cast<const CaseAlert&>(payload), attachment_budget, &w);
      break;
    case MessageType::kRepatriationRequest:
      WriteRequest(static_cast<const RepatriationRequest&>(payload), &w);
      break;
    case MessageType::kRepatriationDecision:
      WriteDecision(static_cast<const RepatriationRecord&>(payload), &w);
      break;
    case MessageType::kCaseStatus:
      WriteCaseStatus(static_cast<const CaseStatus&>(payload), &w);
      break;
  }
  return w.Finish();
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeBody(
    MessageType type, absl::Span<const CsvRecord> body,
    absl::Time message_created_at) {
  absl::StatusOr<FieldGroup> tree = BuildFieldTree(BodySpec(type), body);
  if (!tree.ok()) return tree.status();
  switch (type) {
    case MessageType::kAlert:
      return ReadAlert(*tree);
    case MessageType::kRepatriationRequest:
      return ReadRequest(*tree, message_created_at);
    case MessageType::kRepatriationDecision:
      return ReadDecision(*tree, message_created_at);
    case MessageType::kCaseStatus:
      return ReadCaseStatus(*tree);
  }
  return absl::InternalError("unknown message type");
}

}  // namespace gw::la_mps
