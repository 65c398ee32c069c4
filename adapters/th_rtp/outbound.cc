// adapters/th_rtp/outbound.cc
//
// See outbound.h. Each function fills the header record last, because
// TEXT_SUBST (and NARR_OMITTED) depend on every text of the frame.
#include "adapters/th_rtp/outbound.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/th_rtp/be_date.h"
#include "adapters/th_rtp/frame.h"
#include "adapters/th_rtp/records.h"
#include "adapters/th_rtp/th_text.h"
#include "gateway/ingest/error_reason.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/status_macros.h"

namespace gw::th_rtp {
namespace {

constexpr size_t kMaxSubjects = 999;
constexpr size_t kMaxDocuments = 99;
constexpr size_t kMaxTexts = 99;
constexpr size_t kMaxParts = 999;
constexpr size_t kMaxAttachments = 99;
constexpr size_t kChunkBytes = 4096;

// `status` with "<path>: " before its message.
absl::Status At(const absl::Status& status, absl::string_view path) {
  return absl::Status(status.code(),
                      absl::StrCat(path, ": ", status.message()));
}

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

absl::Status CheckAgency(absl::string_view value, absl::string_view path) {
  if (IsAgencyCode(value)) return absl::OkStatus();
  return Invalid(path, "not an agency code (partners/README.md §2.8)");
}

absl::StatusOr<std::string> AgencyList(
    const google::protobuf::RepeatedPtrField<std::string>& codes,
    absl::string_view path, size_t width) {
  for (int i = 0; i < codes.size(); ++i) {
    GW_RETURN_IF_ERROR(CheckAgency(codes[i], absl::StrCat(path, "[", i, "]")));
  }
  std::string joined = absl::StrJoin(codes, ",");
  if (joined.size() > width) {
    return Invalid(path, absl::StrCat("joined with ',' longer than the ", width,
                                      " bytes of the field"));
  }
  return joined;
}

// A copied A field: printable ASCII, at most `width` bytes.
absl::Status CheckAscii(absl::string_view value, size_t width,
                        absl::string_view path) {
  for (char c : value) {
    if (!IsAsciiFieldByte(static_cast<unsigned char>(c))) {
      return Invalid(path, "not printable ASCII, as the TH-RTP field needs");
    }
  }
  if (value.size() > width) {
    return Invalid(path, absl::StrCat(value.size(),
                                      " characters, the TH-RTP "
                                      "field holds ",
                                      width));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Ts(const google::protobuf::Timestamp& ts,
                               absl::string_view path) {
  absl::StatusOr<std::string> be = FormatBeTimestamp(util::FromTimestamp(ts));
  if (!be.ok()) return At(be.status(), path);
  return be;
}

absl::StatusOr<std::string> Date(absl::string_view iso, bool allow_partial,
                                 absl::string_view path) {
  absl::StatusOr<std::string> be = FormatBeDate(iso, allow_partial);
  if (!be.ok()) return At(be.status(), path);
  return be;
}

absl::StatusOr<ConvertedField> Text(absl::string_view utf8, size_t width,
                                    absl::string_view path) {
  absl::StatusOr<ConvertedField> f =
      ConvertField(utf8, width, FieldCharset::kThai);
  if (!f.ok()) return At(f.status(), path);
  return f;
}

RecordWriter Header(RecordType type, const FrameAddress& address,
                    absl::string_view created_at) {
  RecordWriter w(type);
  w.Set("FMT_VERSION", "01")
      .Set("MESSAGE_ID", address.message_id)
      .Set("SENDER", address.sender)
      .Set("RECIPIENT", address.recipient)
      .Set("CREATED_AT", created_at);
  return w;
}

absl::Status Append(RecordWriter&& writer, std::vector<std::string>* records) {
  GW_ASSIGN_OR_RETURN(std::string record, std::move(writer).Finish());
  records->push_back(std::move(record));
  return absl::OkStatus();
}

// §3.14 / §4.2: one DO record.
absl::Status AppendDocument(const gw::v1::IdentityDocument& doc, int subject,
                            int seq, char use, const std::string& path,
                            std::vector<std::string>* records) {
  if (doc.type().empty()) return Invalid(path + ".type", "empty");
  if (doc.number().empty()) return Invalid(path + ".number", "empty");
  GW_RETURN_IF_ERROR(CheckAscii(doc.type(), 16, path + ".type"));
  GW_RETURN_IF_ERROR(CheckAscii(doc.number(), 30, path + ".number"));
  if (!doc.issuing_state().empty() && !IsIssuingState(doc.issuing_state())) {
    return Invalid(path + ".issuing_state",
                   "not an ISO 3166-1 alpha-3 or ICAO 9303 code (TH-RTP.md "
                   "§3.14)");
  }
  GW_ASSIGN_OR_RETURN(std::string expiry,
                      Date(doc.expiry(), false, path + ".expiry"));
  if (doc.mrz_size() > 3) {
    return Invalid(path + ".mrz", "more than three lines");
  }
  RecordWriter w(RecordType::kDO);
  w.SetNumber("SUBJ_SEQ", static_cast<uint64_t>(subject))
      .SetNumber("DOC_SEQ", static_cast<uint64_t>(seq))
      .Set("DOC_USE", std::string(1, use))
      .Set("DOC_TYPE", doc.type())
      .Set("DOC_NUMBER", doc.number())
      .Set("ISSUING_STATE", doc.issuing_state())
      .Set("EXPIRY", expiry);
  for (int i = 0; i < doc.mrz_size(); ++i) {
    GW_RETURN_IF_ERROR(
        CheckAscii(doc.mrz(i), 44, absl::StrCat(path, ".mrz[", i, "]")));
    w.Set(absl::StrCat("MRZ_", i + 1), doc.mrz(i));
  }
  return Append(std::move(w), records);
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

// §4.2: one SB record and its DO records (identity documents, then the
// travel document of an RQ).
absl::Status AppendSubject(const gw::v1::Person& person, int seq,
                           absl::string_view role,
                           const gw::v1::IdentityDocument* travel,
                           const std::string& path,
                           std::vector<std::string>* records) {
  GW_ASSIGN_OR_RETURN(std::string birth, Date(person.date_of_birth(), true,
                                              path + ".date_of_birth"));
  if (person.age_estimate() > 999) {
    return Invalid(path + ".age_estimate", "more than three digits");
  }
  if (!person.nationality().empty() && !IsCountryCode(person.nationality())) {
    return Invalid(path + ".nationality", "not an ISO 3166-1 alpha-3 code");
  }
  absl::StatusOr<NameSlots> names = EncodeNames(person.names());
  if (!names.ok()) return At(names.status(), path + ".names");
  const size_t documents =
      static_cast<size_t>(person.documents_size()) + (travel ? 1 : 0);
  if (documents > kMaxDocuments) {
    return Invalid(path + ".documents", "more than 99 documents");
  }

  RecordWriter w(RecordType::kSB);
  w.SetNumber("SUBJ_SEQ", static_cast<uint64_t>(seq))
      .Set("ROLE", role)
      .Set("SEX", SexCode(person.sex()))
      .Set("BIRTH_DATE", birth)
      .Set("NATIONALITY", person.nationality())
      .Set("TH_GIVEN", names->th_given.bytes)
      .Set("TH_FAMILY", names->th_family.bytes)
      .Set("TH_FULL", names->th_full.bytes)
      .Set("LATN_GIVEN", names->latn_given.bytes)
      .Set("LATN_FAMILY", names->latn_family.bytes)
      .Set("LATN_FULL", names->latn_full.bytes)
      .Set("NAME_FLAG", std::string(1, names->flag))
      .Set("TRUNCATED", names->truncated ? "Y" : "N");
  if (person.age_estimate() > 0) {
    w.SetNumber("AGE_ESTIMATE", person.age_estimate());
  }
  GW_RETURN_IF_ERROR(Append(std::move(w), records));

  int doc_seq = 0;
  for (int j = 0; j < person.documents_size(); ++j) {
    GW_RETURN_IF_ERROR(AppendDocument(person.documents(j), seq, ++doc_seq, 'I',
                                      absl::StrCat(path, ".documents[", j, "]"),
                                      records));
  }
  if (travel != nullptr) {
    GW_RETURN_IF_ERROR(AppendDocument(*travel, seq, ++doc_seq, 'T',
                                      "request.travel_document", records));
  }
  return absl::OkStatus();
}

// §5.4: the NR records of one topic. Sets *subst if a text was altered or
// left out; *omitted counts the texts left out.
absl::Status AppendTexts(
    absl::string_view topic,
    const google::protobuf::RepeatedPtrField<gw::v1::LanguageText>& texts,
    absl::string_view path, bool* subst, int* omitted,
    std::vector<std::string>* records) {
  absl::StatusOr<EncodedTexts> encoded = EncodeTexts(texts);
  if (!encoded.ok()) return At(encoded.status(), path);
  if (encoded->sent.size() > kMaxTexts) {
    return Invalid(path, "more than 99 texts");
  }
  *subst = *subst || encoded->altered;
  if (omitted != nullptr) *omitted = encoded->omitted;
  for (size_t t = 0; t < encoded->sent.size(); ++t) {
    const EncodedText& text = encoded->sent[t];
    if (text.parts.size() > kMaxParts) {
      return Invalid(path, "a text longer than 999 NR parts");
    }
    for (size_t p = 0; p < text.parts.size(); ++p) {
      RecordWriter w(RecordType::kNR);
      w.Set("TOPIC", topic)
          .SetNumber("TEXT_SEQ", t + 1)
          .SetNumber("PART_SEQ", p + 1)
          .SetNumber("PART_COUNT", text.parts.size())
          .Set("LANG", text.lang)
          .Set("TEXT", text.parts[p]);
      GW_RETURN_IF_ERROR(Append(std::move(w), records));
    }
  }
  return absl::OkStatus();
}

size_t TotalSize(const std::vector<std::string>& records) {
  size_t size = 0;
  for (const std::string& r : records) size += r.size();
  return size;
}

// §9: AT records, each followed by its AD records if the body stays within
// 1 MiB with them. `before` is every record already in the frame.
absl::Status AppendAttachments(
    const google::protobuf::RepeatedPtrField<gw::v1::Attachment>& attachments,
    size_t before, std::vector<std::string>* records, bool* subst) {
  if (static_cast<size_t>(attachments.size()) > kMaxAttachments) {
    return Invalid("alert.attachments", "more than 99 attachments");
  }
  // Step 1: every attachment described only.
  size_t body =
      before + Spec(RecordType::kTR).length +
      static_cast<size_t>(attachments.size()) * Spec(RecordType::kAT).length;
  const size_t chunk_record = Spec(RecordType::kAD).length;
  for (int k = 0; k < attachments.size(); ++k) {
    const gw::v1::Attachment& a = attachments[k];
    const std::string path = absl::StrCat("alert.attachments[", k, "]");
    if (a.name().empty()) return Invalid(path + ".name", "empty");
    GW_ASSIGN_OR_RETURN(ConvertedField name,
                        Text(a.name(), 100, path + ".name"));
    if (name.bytes.empty()) return Invalid(path + ".name", "empty");
    *subst = *subst || name.altered || name.truncated;
    if (a.media_type().empty()) return Invalid(path + ".media_type", "empty");
    GW_RETURN_IF_ERROR(CheckAscii(a.media_type(), 60, path + ".media_type"));
    if (!IsLowercaseSha256Hex(a.sha256())) {
      return Invalid(path + ".sha256", "not a lowercase hex SHA-256");
    }
    // Step 2, in canonical order.
    const size_t size = a.content().size();
    const size_t chunks = (size + kChunkBytes - 1) / kChunkBytes;
    const bool included = body + chunks * chunk_record <= kMaxBodyLength;
    if (included) body += chunks * chunk_record;

    RecordWriter w(RecordType::kAT);
    w.SetNumber("ATT_SEQ", static_cast<uint64_t>(k + 1))
        .Set("NAME", name.bytes)
        .Set("MEDIA_TYPE", a.media_type())
        .SetNumber("SIZE", size)
        .Set("SHA256", a.sha256())
        .Set("INCLUDED", included ? "Y" : "N")
        .SetNumber("CHUNK_COUNT", included ? chunks : 0);
    GW_RETURN_IF_ERROR(Append(std::move(w), records));
    if (!included) continue;
    for (size_t c = 0; c < chunks; ++c) {
      const absl::string_view data =
          absl::string_view(a.content()).substr(c * kChunkBytes, kChunkBytes);
      RecordWriter ad(RecordType::kAD);
      ad.SetNumber("ATT_SEQ", static_cast<uint64_t>(k + 1))
          .SetNumber("CHUNK_SEQ", c + 1)
          .SetNumber("CHUNK_LEN", data.size())
          .Set("DATA", data);
      GW_RETURN_IF_ERROR(Append(std::move(ad), records));
    }
  }
  return absl::OkStatus();
}

template <typename Enum>
absl::StatusOr<std::string> EnumName(Enum value, int unspecified,
                                     const std::string& name,
                                     absl::string_view path) {
  if (static_cast<int>(value) == unspecified || name.empty()) {
    return Invalid(path, "unspecified");
  }
  return name;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> AlertRecords(
    const FrameAddress& address, const gw::v1::CaseAlert& alert) {
  GW_RETURN_IF_ERROR(CheckId(alert.alert_id(), "alert.alert_id"));
  GW_RETURN_IF_ERROR(CheckId(alert.case_ref(), "alert.case_ref"));
  if (!alert.has_created_at()) return Invalid("alert.created_at", "missing");
  GW_ASSIGN_OR_RETURN(std::string created,
                      Ts(alert.created_at(), "alert.created_at"));
  GW_ASSIGN_OR_RETURN(
      std::string kind,
      EnumName(alert.kind(), gw::v1::CaseAlert::KIND_UNSPECIFIED,
               gw::v1::CaseAlert::Kind_Name(alert.kind()), "alert.kind"));
  GW_ASSIGN_OR_RETURN(
      std::string priority,
      EnumName(alert.priority(), gw::v1::CaseAlert::PRIORITY_UNSPECIFIED,
               gw::v1::CaseAlert::Priority_Name(alert.priority()),
               "alert.priority"));
  GW_ASSIGN_OR_RETURN(
      std::string handling,
      EnumName(alert.handling_code(),
               gw::v1::CaseAlert::HANDLING_CODE_UNSPECIFIED,
               gw::v1::CaseAlert::HandlingCode_Name(alert.handling_code()),
               "alert.handling_code"));
  GW_RETURN_IF_ERROR(CheckAgency(alert.origin_agency(), "alert.origin_agency"));
  if (alert.recipients_size() == 0) {
    return Invalid("alert.recipients", "empty");
  }
  GW_ASSIGN_OR_RETURN(std::string recipients,
                      AgencyList(alert.recipients(), "alert.recipients", 80));
  bool subst = false;
  GW_ASSIGN_OR_RETURN(ConvertedField originator,
                      Text(alert.originator(), 64, "alert.originator"));
  if (originator.bytes.empty()) return Invalid("alert.originator", "empty");
  subst = subst || originator.altered || originator.truncated;

  std::string last_seen_at = kBlankTimestamp;
  ConvertedField place;
  const gw::v1::LastSeen& seen = alert.last_seen();
  if (seen.has_at()) {
    GW_ASSIGN_OR_RETURN(last_seen_at, Ts(seen.at(), "alert.last_seen.at"));
  }
  GW_ASSIGN_OR_RETURN(place, Text(seen.place(), 120, "alert.last_seen.place"));
  subst = subst || place.altered || place.truncated;
  if (!seen.country().empty() && !IsCountryCode(seen.country())) {
    return Invalid("alert.last_seen.country", "not an ISO 3166-1 alpha-3 code");
  }

  std::vector<std::string> records;
  if (static_cast<size_t>(alert.subjects_size()) > kMaxSubjects) {
    return Invalid("alert.subjects", "more than 999 subjects");
  }
  for (int i = 0; i < alert.subjects_size(); ++i) {
    const gw::v1::Subject& subject = alert.subjects(i);
    const std::string path = absl::StrCat("alert.subjects[", i, "]");
    GW_ASSIGN_OR_RETURN(
        std::string role,
        EnumName(subject.role(), gw::v1::Subject::ROLE_UNSPECIFIED,
                 gw::v1::Subject::Role_Name(subject.role()), path + ".role"));
    GW_RETURN_IF_ERROR(AppendSubject(subject.person(), i + 1, role, nullptr,
                                     path + ".person", &records));
  }
  int omitted = 0;
  GW_RETURN_IF_ERROR(AppendTexts("NARR", alert.narrative(), "alert.narrative",
                                 &subst, &omitted, &records));
  if (omitted > 99) {
    return Invalid("alert.narrative", "more than 99 texts left out");
  }
  const size_t before = Spec(RecordType::kAL).length + TotalSize(records);
  GW_RETURN_IF_ERROR(
      AppendAttachments(alert.attachments(), before, &records, &subst));

  RecordWriter header = Header(RecordType::kAL, address, created);
  header.Set("ALERT_ID", alert.alert_id())
      .Set("CASE_REF", alert.case_ref())
      .Set("KIND", kind)
      .Set("PRIORITY", priority)
      .Set("HANDLING_CODE", handling)
      .Set("ORIGIN_AGENCY", alert.origin_agency())
      .Set("ORIGINATOR", originator.bytes)
      .Set("RECIPIENTS", recipients)
      .Set("LAST_SEEN_AT", last_seen_at)
      .Set("LAST_SEEN_PLACE", place.bytes)
      .Set("LAST_SEEN_COUNTRY", seen.country())
      .SetNumber("NARR_OMITTED", static_cast<uint64_t>(omitted))
      .Set("TEXT_SUBST", subst ? "Y" : "N");
  GW_ASSIGN_OR_RETURN(std::string head, std::move(header).Finish());
  records.insert(records.begin(), std::move(head));
  return records;
}

absl::StatusOr<std::vector<std::string>> RequestRecords(
    const FrameAddress& address, const gw::v1::RepatriationRequest& request) {
  GW_RETURN_IF_ERROR(CheckId(request.request_id(), "request.request_id"));
  GW_RETURN_IF_ERROR(CheckId(request.case_ref(), "request.case_ref"));
  GW_RETURN_IF_ERROR(
      CheckAgency(request.requesting_agency(), "request.requesting_agency"));
  GW_RETURN_IF_ERROR(
      CheckAgency(request.receiving_agency(), "request.receiving_agency"));
  if (!request.has_created_at()) {
    return Invalid("request.created_at", "missing");
  }
  GW_ASSIGN_OR_RETURN(std::string created,
                      Ts(request.created_at(), "request.created_at"));
  if (!request.has_victim()) return Invalid("request.victim", "missing");

  // §4.3: absent guardian -> NOT_STARTED. gw.v1 splits FOUND into family
  // found and care institution; a care institution means the family was
  // not found.
  std::string tracing = "NOT_STARTED";
  switch (request.guardian().tracing_result()) {
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
  // §4.3: absent assessment -> PENDING.
  const gw::v1::BestInterestsAssessment& bia =
      request.best_interests_assessment();
  std::string outcome = "PENDING";
  if (bia.outcome() == gw::v1::BestInterestsAssessment::RETURN) {
    outcome = "RETURN";
  } else if (bia.outcome() == gw::v1::BestInterestsAssessment::DO_NOT_RETURN) {
    outcome = "NO_RETURN";
  }
  GW_ASSIGN_OR_RETURN(std::string bia_date,
                      Date(bia.completed_on(), false,
                           "request.best_interests_assessment.completed_on"));

  bool subst = false;
  const gw::v1::ProposedHandover& handover = request.proposed_handover();
  GW_ASSIGN_OR_RETURN(ConvertedField point,
                      Text(handover.border_point(), 120,
                           "request.proposed_handover.border_point"));
  subst = subst || point.altered || point.truncated;
  GW_ASSIGN_OR_RETURN(
      std::string handover_date,
      Date(handover.date(), false, "request.proposed_handover.date"));
  if (point.bytes.empty() != (handover_date == kBlankDate)) {
    return Invalid("request.proposed_handover",
                   "border point and date go together (TH-RTP.md §3.7)");
  }

  std::vector<std::string> records;
  const gw::v1::IdentityDocument* travel =
      request.has_travel_document() ? &request.travel_document() : nullptr;
  GW_RETURN_IF_ERROR(AppendSubject(request.victim(), 1, "VICTIM", travel,
                                   "request.victim", &records));
  if (request.guardian().has_person()) {
    GW_RETURN_IF_ERROR(AppendSubject(request.guardian().person(), 2, "GUARDIAN",
                                     nullptr, "request.guardian.person",
                                     &records));
  }
  GW_RETURN_IF_ERROR(AppendTexts("BIAS", bia.summary(),
                                 "request.best_interests_assessment.summary",
                                 &subst, nullptr, &records));
  GW_RETURN_IF_ERROR(AppendTexts("GRDN", request.guardian().notes(),
                                 "request.guardian.notes", &subst, nullptr,
                                 &records));

  RecordWriter header = Header(RecordType::kRQ, address, created);
  header.Set("REQUEST_ID", request.request_id())
      .Set("CASE_REF", request.case_ref())
      .Set("REQUESTING_AGENCY", request.requesting_agency())
      .Set("RECEIVING_AGENCY", request.receiving_agency())
      .Set("IDENTITY_VERIFIED", request.identity_verified() ? "Y" : "N")
      .Set("NATIONALITY_VERIFIED", request.nationality_verified() ? "Y" : "N")
      .Set("TRACING_RESULT", tracing)
      .Set("BIA_OUTCOME", outcome)
      .Set("BIA_DATE", bia_date)
      .Set("HANDOVER_POINT", point.bytes)
      .Set("HANDOVER_DATE", handover_date)
      .Set("TEXT_SUBST", subst ? "Y" : "N");
  GW_ASSIGN_OR_RETURN(std::string head, std::move(header).Finish());
  records.insert(records.begin(), std::move(head));
  return records;
}

absl::StatusOr<std::vector<std::string>> DecisionRecords(
    const FrameAddress& address, const gw::v1::RepatriationRecord& record) {
  const gw::v1::RepatriationRequest& request = record.request();
  GW_RETURN_IF_ERROR(
      CheckId(request.request_id(), "record.request.request_id"));
  GW_RETURN_IF_ERROR(CheckId(request.case_ref(), "record.request.case_ref"));
  GW_ASSIGN_OR_RETURN(
      std::string state,
      EnumName(record.state(), gw::v1::RepatriationRecord::STATE_UNSPECIFIED,
               gw::v1::RepatriationRecord::State_Name(record.state()),
               "record.state"));
  if (record.history_size() == 0) {
    return Invalid("record.history",
                   "empty; the decision is its latest entry (TH-RTP.md §4.4)");
  }
  const int last = record.history_size() - 1;
  const gw::v1::RepatriationEvent& decision = record.history(last);
  const std::string path = absl::StrCat("record.history[", last, "]");
  GW_RETURN_IF_ERROR(
      CheckAgency(decision.actor_agency(), path + ".actor_agency"));
  if (!decision.has_at()) return Invalid(path + ".at", "missing");
  GW_ASSIGN_OR_RETURN(std::string decided_at, Ts(decision.at(), path + ".at"));
  std::string created = decided_at;
  if (record.has_updated_at()) {
    GW_ASSIGN_OR_RETURN(created, Ts(record.updated_at(), "record.updated_at"));
  }

  bool subst = false;
  ConvertedField point;
  std::string handover_date = kBlankDate;
  if (record.state() == gw::v1::RepatriationRecord::HANDOVER_SCHEDULED) {
    // RepatriationEvent has no handover of its own: the scheduled handover
    // is the request's proposed_handover.
    const gw::v1::ProposedHandover& handover = request.proposed_handover();
    GW_ASSIGN_OR_RETURN(point, Text(handover.border_point(), 120,
                                    "record.request.proposed_handover."
                                    "border_point"));
    subst = subst || point.altered || point.truncated;
    GW_ASSIGN_OR_RETURN(
        handover_date,
        Date(handover.date(), false, "record.request.proposed_handover.date"));
    if (point.bytes.empty() || handover_date == kBlankDate) {
      return Invalid("record.request.proposed_handover",
                     "HANDOVER_SCHEDULED needs a border point and a date "
                     "(TH-RTP.md §3.8)");
    }
  }

  std::vector<std::string> records;
  GW_RETURN_IF_ERROR(AppendTexts("RSN ", decision.reason(), path + ".reason",
                                 &subst, nullptr, &records));
  RecordWriter header = Header(RecordType::kRD, address, created);
  header.Set("REQUEST_ID", request.request_id())
      .Set("CASE_REF", request.case_ref())
      .Set("STATE", state)
      .Set("DECIDED_BY", decision.actor_agency())
      .Set("DECIDED_AT", decided_at)
      .Set("HANDOVER_POINT", point.bytes)
      .Set("HANDOVER_DATE", handover_date)
      .Set("TEXT_SUBST", subst ? "Y" : "N");
  GW_ASSIGN_OR_RETURN(std::string head, std::move(header).Finish());
  records.insert(records.begin(), std::move(head));
  return records;
}

absl::StatusOr<std::vector<std::string>> StatusRecords(
    const FrameAddress& address, const gw::v1::CaseStatus& status) {
  GW_RETURN_IF_ERROR(CheckId(status.case_ref(), "case_status.case_ref"));
  GW_RETURN_IF_ERROR(
      CheckAgency(status.owner_agency(), "case_status.owner_agency"));
  GW_ASSIGN_OR_RETURN(
      std::string state,
      EnumName(status.state(), gw::v1::CaseStatus::STATE_UNSPECIFIED,
               gw::v1::CaseStatus::State_Name(status.state()),
               "case_status.state"));
  if (!status.has_updated_at()) {
    return Invalid("case_status.updated_at", "missing");
  }
  GW_ASSIGN_OR_RETURN(std::string updated,
                      Ts(status.updated_at(), "case_status.updated_at"));
  GW_ASSIGN_OR_RETURN(
      std::string shared,
      AgencyList(status.shared_with(), "case_status.shared_with", 80));

  // The note of this change: the update's own note, else the latest
  // history entry's (§4.5).
  const bool own_note = status.note_size() > 0 || status.history_size() == 0;
  const auto& note = own_note
                         ? status.note()
                         : status.history(status.history_size() - 1).note();
  const std::string note_path =
      own_note ? "case_status.note"
               : absl::StrCat("case_status.history[", status.history_size() - 1,
                              "].note");
  bool subst = false;
  std::vector<std::string> records;
  GW_RETURN_IF_ERROR(
      AppendTexts("NOTE", note, note_path, &subst, nullptr, &records));

  RecordWriter header = Header(RecordType::kCS, address, updated);
  header.Set("CASE_REF", status.case_ref())
      .Set("OWNER_AGENCY", status.owner_agency())
      .Set("STATE", state)
      .Set("UPDATED_AT", updated)
      .Set("SHARED_WITH", shared)
      .Set("TEXT_SUBST", subst ? "Y" : "N");
  GW_ASSIGN_OR_RETURN(std::string head, std::move(header).Finish());
  records.insert(records.begin(), std::move(head));
  return records;
}

}  // namespace gw::th_rtp
