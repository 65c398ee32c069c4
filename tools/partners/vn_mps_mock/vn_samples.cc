// tools/partners/vn_mps_mock/vn_samples.cc
//
// VnMpsFormat::MakeSample: the inbound messages of examples/VN-MPS/ written
// with the mock's own writer. With the example's ids, agencies and time the
// output is the example file byte for byte (tests check it):
//   alert                 alert-outbound.xml turned around (VN-MPS sends):
//                         MISSING_PERSON, URGENT, H2, one VICTIM, Kiểm Thị
//                         Thử / Kiem Thi Thu, born 2011-08-05, last seen
//                         3 d 17 h 15 min before creation in Jinghong,
//                         narrative in English and Chinese
//   repatriation_request  repatriation-request-inbound.xml: 测试花 / CESHI
//                         Hua, passport, tracing note, assessment 2 days
//                         before creation (vi, en), handover at Móng Cái –
//                         Đông Hưng 24 days after creation
//   repatriation_decision an APPROVED decision on that request, decided by
//                         the sender at creation time, reason in English
//   *_nfd                 the same with every text in NFD
//   invalid_repatriation_decision  the decision without DecidingAgencyCode
// All persons are fictional (partners/README.md §4).
#include <cctype>
#include <cstdint>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/util/uuid.h"
#include "tools/partners/vn_mps_mock/vn_format.h"
#include "tools/partners/vn_mps_mock/vn_writer.h"

namespace gw::vn_mps_mock {
namespace {

constexpr char kDefaultOriginator[] = "vn-mps-inv-0107";

bool IsAgencyCode(std::string_view code) {
  if (code.size() < 5 || code.size() > 10 || code[2] != '-') return false;
  for (size_t i = 0; i < code.size(); ++i) {
    if (i != 2 && !(code[i] >= 'A' && code[i] <= 'Z')) return false;
  }
  return true;
}

// README §2.8: ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$
bool IsIdentifier(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    const bool alnum = std::isalnum(c) != 0 && c < 0x80;
    if (i == 0 ? !alnum
               : !(alnum || c == '.' || c == '_' || c == ':' || c == '/' ||
                   c == '-')) {
      return false;
    }
  }
  return true;
}

// "<sender>-CASE-<year>-<6 digits>", the digits from the message id: a
// new case for every new message, the same for the same message.
std::string DefaultCaseRef(const http_mock::PartnerFormat::Sample& sample,
                           absl::Time created) {
  uint32_t number = 0;
  for (char c : sample.message_id.substr(0, 8)) {
    number =
        number * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return absl::StrCat(sample.sender, "-CASE-",
                      absl::FormatTime("%Y", created, absl::UTCTimeZone()), "-",
                      absl::Dec(number % 1000000, absl::kZeroPad6));
}

std::string Stamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

std::string Day(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d", time, absl::UTCTimeZone());
}

void WriteHeader(const http_mock::PartnerFormat::Sample& sample,
                 const std::string& created, VnXmlWriter* w) {
  w->Open("MessageHeader");
  w->Leaf("MessageID", sample.message_id);
  w->Leaf("SenderAgencyCode", sample.sender);
  w->Leaf("RecipientAgencyCode", sample.recipient);
  w->Leaf("MessageCreatedDateTime", created);
  w->Close();
}

struct NameParts {
  const char* script;
  const char* surname;
  const char* middle;  // "" = none
  const char* given;
  const char* full;
};

void WriteName(const NameParts& name, VnXmlWriter* w) {
  w->Open("PersonName", {{"script", name.script}});
  w->Leaf("PersonSurName", name.surname);
  w->Leaf("PersonMiddleName", name.middle);
  w->Leaf("PersonGivenName", name.given);
  w->Leaf("PersonFullName", name.full);
  w->Close();
}

void WriteAlert(const http_mock::PartnerFormat::Sample& sample,
                const SampleDetails& details, absl::Time created,
                const std::string& case_ref, VnXmlWriter* w) {
  w->Open("CaseAlert");
  w->Leaf("AlertID",
          details.alert_id.empty()
              ? absl::StrCat(sample.sender, "-AL-", sample.message_id)
              : details.alert_id);
  w->Leaf("CaseReference", case_ref);
  w->Leaf("AlertKindCode", "MISSING_PERSON");
  w->Leaf("AlertPriorityCode", "URGENT");
  w->Leaf("HandlingCode", "H2");
  w->Leaf("OriginAgencyCode", sample.sender);
  w->Leaf("OriginatorID",
          details.originator.empty() ? kDefaultOriginator : details.originator);
  w->Leaf("RecipientAgencyCode", sample.recipient);
  w->Open("AlertSubject");
  w->Leaf("SubjectRoleCode", "VICTIM");
  w->Open("Person");
  WriteName({"Latn", "Kiểm", "Thị", "Thử", "Kiểm Thị Thử"}, w);
  WriteName({"Latn", "Kiem", "Thi", "Thu", "Kiem Thi Thu"}, w);
  w->Leaf("PersonSexCode", "F");
  w->Open("PersonBirthDate");
  w->Leaf("Date", "2011-08-05");
  w->Close();
  w->Leaf("PersonEstimatedAge", "14");
  w->Leaf("PersonCitizenshipISO3166Alpha3Code", "VNM");
  w->Close();  // Person
  w->Close();  // AlertSubject
  w->Open("LastSeen");
  w->Leaf("LastSeenDateTime",
          Stamp(created - absl::Hours(3 * 24 + 17) - absl::Minutes(15)));
  w->Leaf("LastSeenLocationText",
          "Jinghong long-distance bus station, Xishuangbanna, Yunnan");
  w->Leaf("LastSeenCountryCode", "CHN");
  w->Close();
  w->Leaf("Narrative",
          "FICTIONAL TEST RECORD. Girl aged 14 left Jinghong by bus with an "
          "adult male on 10 March 2026; believed to be heading south towards "
          "the border.",
          {{"lang", "en"}});
  w->Leaf("Narrative",
          "虚构测试记录。14岁女孩于2026年3月10日随一名成年男子乘大巴离开景洪，"
          "可能向南前往边境。",
          {{"lang", "zh"}});
  w->Leaf("AlertCreatedDateTime", Stamp(created));
  w->Close();
}

void WriteRequest(const http_mock::PartnerFormat::Sample& sample,
                  const std::string& request_id, absl::Time created,
                  const std::string& case_ref, VnXmlWriter* w) {
  w->Open("RepatriationRequest");
  w->Leaf("RequestID", request_id);
  w->Leaf("CaseReference", case_ref);
  w->Leaf("RequestingAgencyCode", sample.sender);
  w->Leaf("ReceivingAgencyCode", sample.recipient);
  w->Open("VictimPerson");
  WriteName({"Hani", "测试", "", "花", "测试花"}, w);
  WriteName({"Latn", "CESHI", "", "Hua", "CESHI Hua"}, w);
  w->Leaf("PersonSexCode", "F");
  w->Open("PersonBirthDate");
  w->Leaf("Date", "2010-11-20");
  w->Close();
  w->Leaf("PersonEstimatedAge", "15");
  w->Leaf("PersonCitizenshipISO3166Alpha3Code", "CHN");
  w->Close();  // VictimPerson
  w->Leaf("IdentityVerifiedIndicator", "true");
  w->Leaf("NationalityVerifiedIndicator", "false");
  w->Open("TravelDocument");
  w->Leaf("DocumentCategoryCode", "PASSPORT");
  w->Leaf("DocumentIdentificationID", "E00000001");
  w->Leaf("DocumentIssuingCountryCode", "CHN");
  w->Leaf("DocumentExpirationDate", "2030-05-31");
  w->Leaf("DocumentMRZLine", "P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<");
  w->Leaf("DocumentMRZLine", "E000000019CHN1011201F3005316<<<<<<<<<<<<<<08");
  w->Close();
  w->Open("GuardianTracing");
  w->Leaf("TracingResultCode", "IN_PROGRESS");
  w->Leaf("TracingNote",
          "Mother reported to live in Yunnan; family tracing requested from "
          "CN-MPS.",
          {{"lang", "en"}});
  w->Close();
  w->Open("BestInterestsAssessment");
  w->Leaf("AssessmentOutcomeCode", "RETURN");
  w->Leaf("AssessmentDate", Day(created - absl::Hours(2 * 24)));
  w->Leaf("AssessmentSummary", "Trẻ mong muốn được trở về với gia đình.",
          {{"lang", "vi"}});
  w->Leaf("AssessmentSummary", "The child wishes to return to her family.",
          {{"lang", "en"}});
  w->Close();
  w->Open("ProposedHandover");
  w->Leaf("BorderPointName", "Cửa khẩu quốc tế Móng Cái – Đông Hưng");
  w->Leaf("HandoverDate", Day(created + absl::Hours(24 * 24)));
  w->Close();
  w->Close();  // RepatriationRequest
}

void WriteDecision(const http_mock::PartnerFormat::Sample& sample,
                   const std::string& request_id, absl::Time created,
                   const std::string& case_ref, bool with_agency,
                   VnXmlWriter* w) {
  w->Open("RepatriationDecision");
  w->Leaf("RequestID", request_id);
  w->Leaf("CaseReference", case_ref);
  w->Leaf("RepatriationStateCode", "APPROVED");
  if (with_agency) w->Leaf("DecidingAgencyCode", sample.sender);
  w->Leaf("DecisionDateTime", Stamp(created));
  w->Leaf("DecisionReason",
          "Identity verified; return approved in the best interests of the "
          "child.",
          {{"lang", "en"}});
  w->Close();
}

}  // namespace

absl::StatusOr<std::string> VnMpsFormat::MakeSample(
    const Sample& sample) const {
  return MakeSample(sample, SampleDetails{});
}

absl::StatusOr<std::string> VnMpsFormat::MakeSample(
    const Sample& sample, const SampleDetails& details) const {
  const std::string endpoint_kind = EndpointKindOfSample(sample.kind);
  if (endpoint_kind.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sample.kind: '", sample.kind,
        "' is not one of alert, repatriation_request, repatriation_decision, "
        "alert_nfd, repatriation_request_nfd, invalid_repatriation_decision"));
  }
  if (!util::IsLowercaseUuid(sample.message_id)) {
    return absl::InvalidArgumentError(
        "sample.message_id: not a lowercase UUID (README 2.1)");
  }
  if (!IsAgencyCode(sample.sender) || !IsAgencyCode(sample.recipient)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sample.", IsAgencyCode(sample.sender) ? "recipient" : "sender",
        ": not an agency code like VN-MPS"));
  }
  absl::Time created;
  std::string why;
  if (!absl::ParseTime(absl::RFC3339_full, sample.created_at, &created, &why)) {
    return absl::InvalidArgumentError(
        "sample.created_at: not an RFC 3339 time such as "
        "2026-03-14T03:20:00Z");
  }
  created = absl::FromUnixSeconds(absl::ToUnixSeconds(created));
  const std::string case_ref = sample.case_ref.empty()
                                   ? DefaultCaseRef(sample, created)
                                   : sample.case_ref;
  if (!IsIdentifier(case_ref)) {
    return absl::InvalidArgumentError(
        "sample.case_ref: not an identifier of README 2.8");
  }
  for (const std::string* id : {&details.alert_id, &details.request_id}) {
    if (!id->empty() && !IsIdentifier(*id)) {
      return absl::InvalidArgumentError(
          "sample details: alert_id / request_id is not an identifier of "
          "README 2.8");
    }
  }
  const std::string request_id =
      details.request_id.empty()
          ? absl::StrCat(sample.sender, "-RQ-", sample.message_id)
          : details.request_id;

  static constexpr const char* kRoots[][2] = {
      {"alert", "CaseAlertMessage"},
      {"repatriation_request", "RepatriationRequestMessage"},
      {"repatriation_decision", "RepatriationDecisionMessage"},
  };
  const char* root = "";
  for (const auto& [kind, element] : kRoots) {
    if (endpoint_kind == kind) root = element;
  }
  const TextForm form =
      absl::EndsWith(sample.kind, "_nfd") ? TextForm::kNfd : TextForm::kNfc;
  VnXmlWriter w(root, form);
  WriteHeader(sample, Stamp(created), &w);
  if (endpoint_kind == "alert") {
    WriteAlert(sample, details, created, case_ref, &w);
  } else if (endpoint_kind == "repatriation_request") {
    WriteRequest(sample, request_id, created, case_ref, &w);
  } else {
    WriteDecision(sample, request_id, created, case_ref,
                  /*with_agency=*/sample.kind == "repatriation_decision", &w);
  }
  return w.Finish();
}

}  // namespace gw::vn_mps_mock
