#include "gateway/ingest/alert_validator.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gateway/ingest/field_checks.h"
#include "gateway/util/status_macros.h"

namespace gw::ingest {
namespace {

using gw::v1::CaseAlert;

constexpr uint32_t kMaxAgeYears = 130;
constexpr size_t kMaxNameBytes = 512;
constexpr size_t kMaxShortFieldBytes = 256;

absl::Status Invalid(absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::Status ValidateDocument(const std::string& path,
                              const gw::v1::IdentityDocument& doc) {
  GW_RETURN_IF_ERROR(
      CheckText(path + ".type", doc.type(), kMaxShortFieldBytes));
  GW_RETURN_IF_ERROR(
      CheckText(path + ".number", doc.number(), kMaxShortFieldBytes));
  GW_RETURN_IF_ERROR(
      CheckCountry(path + ".issuing_state", doc.issuing_state()));
  if (!doc.expiry().empty() && !IsIsoDate(doc.expiry())) {
    return Invalid(path + ".expiry", "want an ISO date YYYY-MM-DD");
  }
  for (int i = 0; i < doc.mrz_size(); ++i) {
    GW_RETURN_IF_ERROR(
        CheckText(absl::StrCat(path, ".mrz[", i, "]"), doc.mrz(i), 64));
  }
  return absl::OkStatus();
}

absl::Status ValidateTexts(
    const std::string& path,
    const google::protobuf::RepeatedPtrField<gw::v1::LanguageText>& texts,
    size_t max_bytes) {
  for (int i = 0; i < texts.size(); ++i) {
    const std::string item = absl::StrCat(path, "[", i, "]");
    if (!IsLanguageTag(texts[i].lang())) {
      return Invalid(item + ".lang",
                     "want a BCP 47 language tag such as en, zh or th");
    }
    GW_RETURN_IF_ERROR(CheckText(item + ".text", texts[i].text(), max_bytes));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidatePerson(const std::string& path,
                            const gw::v1::Person& person,
                            const policy::Policy& policy, absl::Time now) {
  (void)policy;
  if (person.names_size() == 0 && person.date_of_birth().empty() &&
      person.age_estimate() == 0 && person.documents_size() == 0) {
    return Invalid(
        path,
        "want at least a name, a date of birth, an age estimate or a document");
  }
  for (int i = 0; i < person.names_size(); ++i) {
    const auto& name = person.names(i);
    const std::string item = absl::StrCat(path, ".names[", i, "]");
    if (!IsScriptCode(name.script())) {
      return Invalid(
          item + ".script",
          "want an ISO 15924 script code such as Hani, Latn or Thai");
    }
    if (name.family().empty() && name.given().empty() && name.full().empty()) {
      return Invalid(item, "want at least one of family, given or full");
    }
    for (auto [field, value] : {std::pair{".family", &name.family()},
                                std::pair{".given", &name.given()},
                                std::pair{".full", &name.full()}}) {
      if (value->size() > kMaxNameBytes) {
        return Invalid(
            item + field,
            absl::StrCat(value->size(), " bytes, at most ", kMaxNameBytes));
      }
    }
  }
  if (person.sex() == gw::v1::Person::SEX_UNSPECIFIED) {
    return Invalid(path + ".sex", "required (FEMALE, MALE, OTHER or UNKNOWN)");
  }
  if (!gw::v1::Person::Sex_IsValid(person.sex())) {
    return Invalid(path + ".sex", "unknown value");
  }
  if (!person.date_of_birth().empty()) {
    GW_RETURN_IF_ERROR(
        CheckPartialDate(path + ".date_of_birth", person.date_of_birth(), now));
  }
  if (person.age_estimate() > kMaxAgeYears) {
    return Invalid(path + ".age_estimate",
                   absl::StrCat("at most ", kMaxAgeYears));
  }
  if (!person.nationality().empty()) {
    GW_RETURN_IF_ERROR(
        CheckCountry(path + ".nationality", person.nationality()));
  }
  for (int i = 0; i < person.documents_size(); ++i) {
    GW_RETURN_IF_ERROR(ValidateDocument(
        absl::StrCat(path, ".documents[", i, "]"), person.documents(i)));
  }
  return absl::OkStatus();
}

absl::Status ValidateCaseAlert(const CaseAlert& alert,
                               const policy::Policy& policy, absl::Time now) {
  const auto& limits = policy.limits();
  GW_RETURN_IF_ERROR(CheckClientId("payload.alert_id", alert.alert_id()));
  GW_RETURN_IF_ERROR(CheckClientId("payload.case_ref", alert.case_ref()));
  if (alert.kind() == CaseAlert::KIND_UNSPECIFIED ||
      !CaseAlert::Kind_IsValid(alert.kind())) {
    return Invalid("payload.kind",
                   "want MISSING_PERSON, VICTIM_IDENTIFIED, SUSPECT_WANTED or "
                   "ROUTE_INTELLIGENCE");
  }
  if (alert.priority() == CaseAlert::PRIORITY_UNSPECIFIED ||
      !CaseAlert::Priority_IsValid(alert.priority())) {
    return Invalid("payload.priority", "want ROUTINE, HIGH or URGENT");
  }
  if (alert.handling_code() == CaseAlert::HANDLING_CODE_UNSPECIFIED ||
      !CaseAlert::HandlingCode_IsValid(alert.handling_code())) {
    return Invalid("payload.handling_code", "want H0, H1, H2 or H3");
  }
  if (alert.handling_code() == CaseAlert::H3 &&
      alert.handling_restriction().empty()) {
    return Invalid("payload.handling_restriction",
                   "required for handling code H3");
  }
  if (policy.FindAgency(alert.origin_agency()) == nullptr) {
    return Invalid("payload.origin_agency", "not a known agency code");
  }
  GW_RETURN_IF_ERROR(
      CheckText("payload.originator", alert.originator(), kMaxShortFieldBytes));

  if (alert.recipients_size() == 0)
    return Invalid("payload.recipients", "at least one required");
  if (static_cast<uint32_t>(alert.recipients_size()) >
      limits.max_recipients()) {
    return Invalid("payload.recipients", absl::StrCat(alert.recipients_size(),
                                                      " recipients, at most ",
                                                      limits.max_recipients()));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < alert.recipients_size(); ++i) {
    const std::string item = absl::StrCat("payload.recipients[", i, "]");
    const std::string& code = alert.recipients(i);
    if (policy.FindAgency(code) == nullptr) {
      return Invalid(item, absl::StrCat(code.size() <= 16 ? code : "value",
                                        " is not a known agency code"));
    }
    if (code == alert.origin_agency())
      return Invalid(item, "the origin agency cannot be a recipient");
    if (!seen.insert(code).second) return Invalid(item, "listed twice");
  }

  if (static_cast<uint32_t>(alert.subjects_size()) > limits.max_subjects()) {
    return Invalid("payload.subjects",
                   absl::StrCat(alert.subjects_size(), " subjects, at most ",
                                limits.max_subjects()));
  }
  if (alert.kind() != CaseAlert::ROUTE_INTELLIGENCE &&
      alert.subjects_size() == 0) {
    return Invalid("payload.subjects", "at least one required for this kind");
  }
  for (int i = 0; i < alert.subjects_size(); ++i) {
    const auto& subject = alert.subjects(i);
    const std::string item = absl::StrCat("payload.subjects[", i, "]");
    if (subject.role() == gw::v1::Subject::ROLE_UNSPECIFIED ||
        !gw::v1::Subject::Role_IsValid(subject.role())) {
      return Invalid(item + ".role", "want VICTIM, SUSPECT or WITNESS");
    }
    if (!subject.has_person()) return Invalid(item + ".person", "required");
    GW_RETURN_IF_ERROR(
        ValidatePerson(item + ".person", subject.person(), policy, now));
  }

  if (alert.has_last_seen()) {
    const auto& last_seen = alert.last_seen();
    if (last_seen.has_at()) {
      GW_RETURN_IF_ERROR(
          CheckNotFuture("payload.last_seen.at", last_seen.at(), now));
    }
    if (last_seen.place().size() > limits.max_text_bytes()) {
      return Invalid(
          "payload.last_seen.place",
          absl::StrCat("at most ", limits.max_text_bytes(), " bytes"));
    }
    if (!last_seen.country().empty()) {
      GW_RETURN_IF_ERROR(
          CheckCountry("payload.last_seen.country", last_seen.country()));
    }
  }
  GW_RETURN_IF_ERROR(ValidateTexts("payload.narrative", alert.narrative(),
                                   limits.max_text_bytes()));

  if (static_cast<uint32_t>(alert.attachments_size()) >
      limits.max_attachments()) {
    return Invalid(
        "payload.attachments",
        absl::StrCat(alert.attachments_size(), " attachments, at most ",
                     limits.max_attachments()));
  }
  for (int i = 0; i < alert.attachments_size(); ++i) {
    const auto& attachment = alert.attachments(i);
    const std::string item = absl::StrCat("payload.attachments[", i, "]");
    GW_RETURN_IF_ERROR(
        CheckText(item + ".name", attachment.name(), kMaxShortFieldBytes));
    if (!absl::StrContains(attachment.media_type(), '/')) {
      return Invalid(item + ".media_type",
                     "want a media type such as image/jpeg");
    }
    if (attachment.content().size() > limits.max_attachment_bytes()) {
      return Invalid(
          item + ".content",
          absl::StrCat(attachment.content().size(), " bytes, at most ",
                       limits.max_attachment_bytes()));
    }
    if (!IsLowerHex64(attachment.sha256())) {
      return Invalid(item + ".sha256", "want 64 lowercase hex digits");
    }
    if (crypto::Sha256Hex(attachment.content()) != attachment.sha256()) {
      return Invalid(item + ".sha256", "does not match the content");
    }
  }
  GW_RETURN_IF_ERROR(
      CheckNotFuture("payload.created_at", alert.created_at(), now));
  return absl::OkStatus();
}

}  // namespace gw::ingest
