// tools/partners/th_rtp_mock/th_frame_writer.cc
#include "tools/partners/th_rtp_mock/th_frame_writer.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/partners/th_rtp_mock/th_codes.h"
#include "tools/partners/th_rtp_mock/th_text.h"

namespace gw::th_rtp_mock {
namespace {

bool AllDigits(absl::string_view value) {
  for (char c : value) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// §5.3 step 6: cut at `width`, then never split a Thai syllable from its
// marks (D1, D4-DA, E7-EE).
std::string CutTis620(std::string bytes, size_t width) {
  if (bytes.size() <= width) return bytes;
  size_t cut = width;
  auto is_mark = [](unsigned char b) {
    return b == 0xd1 || (b >= 0xd4 && b <= 0xda) || (b >= 0xe7 && b <= 0xee);
  };
  while (cut > 0 && is_mark(static_cast<unsigned char>(bytes[cut]))) --cut;
  bytes.resize(cut);
  while (!bytes.empty() && bytes.back() == ' ') bytes.pop_back();
  return bytes;
}

void SetHeader(RecordWriter& record, const CommonHeader& header) {
  record.Set("FMT_VERSION", kFormatVersion)
      .Set("MESSAGE_ID", header.message_id)
      .Set("SENDER", header.sender)
      .Set("RECIPIENT", header.recipient)
      .Set("CREATED_AT", header.created_at);
}

void AddSubject(FrameWriter& frame, int seq, const SubjectValues& subject) {
  RecordWriter sb("SB");
  sb.SetNumber("SUBJ_SEQ", seq)
      .Set("ROLE", subject.role)
      .Set("SEX", subject.sex)
      .Set("BIRTH_DATE", subject.birth_date)
      .Set("AGE_ESTIMATE", subject.age_estimate)
      .Set("NATIONALITY", subject.nationality)
      .Set("TH_GIVEN", subject.th_given)
      .Set("TH_FAMILY", subject.th_family)
      .Set("TH_FULL", subject.th_full)
      .Set("LATN_GIVEN", subject.latn_given)
      .Set("LATN_FAMILY", subject.latn_family)
      .Set("LATN_FULL", subject.latn_full)
      .Set("NAME_FLAG", subject.name_flag)
      .Set("TRUNCATED", subject.truncated);
  frame.Add(sb);
  int doc_seq = 0;
  for (const DocumentValues& document : subject.documents) {
    RecordWriter record("DO");
    record.SetNumber("SUBJ_SEQ", seq)
        .SetNumber("DOC_SEQ", ++doc_seq)
        .Set("DOC_USE", document.use)
        .Set("DOC_TYPE", document.type)
        .Set("DOC_NUMBER", document.number)
        .Set("ISSUING_STATE", document.issuing_state)
        .Set("EXPIRY", document.expiry)
        .Set("MRZ_1", document.mrz_1)
        .Set("MRZ_2", document.mrz_2)
        .Set("MRZ_3", document.mrz_3);
    frame.Add(record);
  }
}

}  // namespace

RecordWriter::RecordWriter(absl::string_view type)
    : spec_(FindRecordSpec(type)) {
  bytes_.assign(spec_->length, ' ');
  for (const FieldSpec& field : spec_->fields) {
    char fill = ' ';
    switch (field.type) {
      case FieldType::kN:
      case FieldType::kD:
      case FieldType::kTS:
        fill = '0';
        break;
      case FieldType::kBin:
        fill = '\0';
        break;
      default:
        break;
    }
    bytes_.replace(field.offset, field.length, field.length, fill);
  }
  bytes_.replace(0, 2, spec_->type);
  if (const FieldSpec* eol = FindField(*spec_, "EOL")) {
    bytes_.replace(eol->offset, 2, "\r\n");
  }
}

const FieldSpec* RecordWriter::Field(absl::string_view name) {
  const FieldSpec* field = FindField(*spec_, name);
  if (field == nullptr && status_.ok()) {
    status_ = absl::InvalidArgumentError(
        absl::StrCat(spec_->type, ".", name, ": no such field"));
  }
  return field;
}

RecordWriter& RecordWriter::Set(absl::string_view name,
                                absl::string_view value) {
  const FieldSpec* field = Field(name);
  if (field == nullptr || value.empty()) return *this;
  auto fail = [&](absl::string_view why) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(spec_->type, ".", name, ": ", why));
    }
    return;
  };
  std::string bytes;
  switch (field->type) {
    case FieldType::kA:
      for (char c : value) {
        if (!IsPermittedAsciiByte(static_cast<uint8_t>(c))) {
          fail("not printable ASCII");
          return *this;
        }
      }
      bytes = std::string(value);
      break;
    case FieldType::kT: {
      const bool allow_lf = absl::string_view(spec_->type) == "NR" &&
                            absl::string_view(field->name) == "TEXT";
      auto encoded = Utf8ToTis620(value, allow_lf);
      if (!encoded.ok()) {
        fail(encoded.status().message());
        return *this;
      }
      bytes = *std::move(encoded);
      break;
    }
    case FieldType::kN:
    case FieldType::kNB:
      if (!AllDigits(value)) {
        fail("not decimal digits");
        return *this;
      }
      if (value.size() > field->length) {
        fail("number too large for the field");
        return *this;
      }
      bytes =
          std::string(field->length - value.size(), '0') + std::string(value);
      break;
    case FieldType::kD:
    case FieldType::kTS:
      if (!AllDigits(value) || value.size() != field->length) {
        fail(absl::StrCat("needs exactly ", field->length, " digits"));
        return *this;
      }
      bytes = std::string(value);
      break;
    case FieldType::kBin:
      bytes = std::string(value);
      if (bytes.size() < field->length)
        bytes.append(field->length - bytes.size(), '\0');
      break;
    case FieldType::kEol:
      fail("EOL is written by the encoder");
      return *this;
  }
  if (bytes.size() > field->length) {
    fail(absl::StrCat("value longer than ", field->length, " bytes"));
    return *this;
  }
  if (bytes.size() < field->length) {
    bytes.append(field->length - bytes.size(), ' ');
  }
  bytes_.replace(field->offset, field->length, bytes);
  return *this;
}

RecordWriter& RecordWriter::SetNumber(absl::string_view name, long long value) {
  if (value < 0) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(spec_->type, ".", name, ": negative number"));
    }
    return *this;
  }
  const FieldSpec* field = Field(name);
  if (field == nullptr) return *this;
  const std::string digits = absl::StrCat(value);
  if (digits.size() > field->length) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(absl::StrCat(
          spec_->type, ".", name, ": number too large for the field"));
    }
    return *this;
  }
  bytes_.replace(field->offset, field->length,
                 std::string(field->length - digits.size(), '0') + digits);
  return *this;
}

RecordWriter& RecordWriter::SetRaw(absl::string_view name,
                                   absl::string_view bytes) {
  const FieldSpec* field = Field(name);
  if (field == nullptr) return *this;
  if (bytes.size() != field->length) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(spec_->type, ".", name, ": raw value must be ",
                       field->length, " bytes"));
    }
    return *this;
  }
  bytes_.replace(field->offset, field->length, std::string(bytes));
  return *this;
}

absl::StatusOr<std::string> RecordWriter::Finish() const {
  if (!status_.ok()) return status_;
  return bytes_;
}

void FrameWriter::Add(const RecordWriter& record) {
  absl::StatusOr<std::string> bytes = record.Finish();
  if (!bytes.ok()) {
    if (status_.ok()) status_ = bytes.status();
    return;
  }
  records_.push_back(*std::move(bytes));
}

void FrameWriter::AddText(absl::string_view topic, int text_seq,
                          absl::string_view lang, absl::string_view utf8_text) {
  absl::StatusOr<std::string> encoded = Utf8ToTis620(utf8_text, true);
  if (!encoded.ok()) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat("NR.TEXT: ", encoded.status().message()));
    }
    return;
  }
  const std::string& bytes = *encoded;
  const size_t parts =
      bytes.empty() ? 1
                    : (bytes.size() + kTextPartLength - 1) / kTextPartLength;
  for (size_t k = 0; k < parts; ++k) {
    std::string part = bytes.substr(k * kTextPartLength, kTextPartLength);
    part.append(kTextPartLength - part.size(), ' ');
    RecordWriter record("NR");
    record.SetRaw("TOPIC", topic)
        .SetNumber("TEXT_SEQ", text_seq)
        .SetNumber("PART_SEQ", static_cast<long long>(k + 1))
        .SetNumber("PART_COUNT", static_cast<long long>(parts))
        .Set("LANG", lang)
        .SetRaw("TEXT", part);
    Add(record);
  }
}

absl::StatusOr<std::string> FrameWriter::FinishBody(
    const crypto::Signer& signer) const {
  if (!status_.ok()) return status_;
  if (signer.algorithm() != crypto::KeyAlgorithm::kEd25519) {
    return absl::InvalidArgumentError(
        "the TH-RTP signing key must be Ed25519 (ICD TH-RTP section 6)");
  }
  std::string body;
  for (const std::string& record : records_) body += record;
  RecordWriter trailer("TR");
  trailer.SetNumber("RECORD_COUNT", static_cast<long long>(records_.size()) + 1)
      .Set("KEY_ID", signer.key_id_hex())
      .SetRaw("SIG_ALG", kSigAlg);
  absl::StatusOr<std::string> tr = trailer.Finish();
  if (!tr.ok()) return tr.status();
  body += tr->substr(0, tr->size() - kSignatureLength);
  absl::StatusOr<std::string> signature = signer.Sign(body);
  if (!signature.ok()) return signature.status();
  if (signature->size() != kSignatureLength) {
    return absl::InternalError("Ed25519 signature is not 64 bytes");
  }
  body += *signature;
  return body;
}

std::string WithLengthPrefix(absl::string_view body) {
  const auto n = static_cast<uint32_t>(body.size());
  std::string frame;
  frame.reserve(body.size() + 4);
  frame.push_back(static_cast<char>((n >> 24) & 0xff));
  frame.push_back(static_cast<char>((n >> 16) & 0xff));
  frame.push_back(static_cast<char>((n >> 8) & 0xff));
  frame.push_back(static_cast<char>(n & 0xff));
  frame.append(body.data(), body.size());
  return frame;
}

absl::StatusOr<std::string> Resign(absl::string_view body,
                                   const crypto::Signer& signer) {
  const RecordSpec* tr = FindRecordSpec("TR");
  if (body.size() < tr->length) {
    return absl::InvalidArgumentError("body shorter than a TR record");
  }
  std::string out(body);
  const size_t tr_offset = out.size() - tr->length;
  if (out.compare(tr_offset, 2, "TR") == 0) {
    out.replace(tr_offset + FindField(*tr, "KEY_ID")->offset, 64,
                signer.key_id_hex());
  }
  out.resize(out.size() - kSignatureLength);
  absl::StatusOr<std::string> signature = signer.Sign(out);
  if (!signature.ok()) return signature.status();
  out += *signature;
  return out;
}

absl::StatusOr<std::string> EncodeAck(const AckValues& values,
                                      const crypto::Signer& signer) {
  RecordWriter ak("AK");
  SetHeader(ak, values.header);
  ak.Set("ACK_MESSAGE_ID", values.ack_message_id)
      .Set("ACK_BODY_SHA256", values.ack_body_sha256)
      .Set("RECEIVED_AT", values.received_at)
      .Set("DUPLICATE", values.duplicate ? "Y" : "N")
      .Set("PARTNER_REF", values.partner_ref);
  FrameWriter frame;
  frame.Add(ak);
  return frame.FinishBody(signer);
}

absl::StatusOr<std::string> EncodeNak(const NakValues& values,
                                      const crypto::Signer& signer) {
  absl::StatusOr<std::string> text = Utf8ToTis620(values.reason_text, false);
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("NK.REASON_TEXT: ", text.status().message()));
  }
  const FieldSpec* width = FindField(*FindRecordSpec("NK"), "REASON_TEXT");
  std::string reason = CutTis620(*std::move(text), width->length);
  reason.append(width->length - reason.size(), ' ');
  RecordWriter nk("NK");
  SetHeader(nk, values.header);
  nk.Set("NAK_MESSAGE_ID", values.nak_message_id)
      .Set("NAK_BODY_SHA256", values.nak_body_sha256)
      .Set("RECEIVED_AT", values.received_at)
      .SetNumber("REASON_CODE", values.reason_code)
      .Set("RETRYABLE", IsRetryable(values.reason_code) ? "Y" : "N")
      .SetNumber("RECORD_NO", values.record_no)
      .Set("FIELD_NAME", values.field_name)
      .SetRaw("REASON_TEXT", reason);
  FrameWriter frame;
  frame.Add(nk);
  return frame.FinishBody(signer);
}

absl::StatusOr<std::string> EncodeHeartbeat(const CommonHeader& header,
                                            const crypto::Signer& signer) {
  RecordWriter hb("HB");
  SetHeader(hb, header);
  FrameWriter frame;
  frame.Add(hb);
  return frame.FinishBody(signer);
}

absl::StatusOr<std::string> EncodeAlert(const AlertValues& values,
                                        const crypto::Signer& signer) {
  RecordWriter al("AL");
  SetHeader(al, values.header);
  al.Set("ALERT_ID", values.alert_id)
      .Set("CASE_REF", values.case_ref)
      .Set("KIND", values.kind)
      .Set("PRIORITY", values.priority)
      .Set("HANDLING_CODE", values.handling_code)
      .Set("ORIGIN_AGENCY", values.origin_agency)
      .Set("ORIGINATOR", values.originator)
      .Set("RECIPIENTS", values.recipients)
      .Set("LAST_SEEN_AT", values.last_seen_at)
      .Set("LAST_SEEN_PLACE", values.last_seen_place)
      .Set("LAST_SEEN_COUNTRY", values.last_seen_country)
      .SetNumber("NARR_OMITTED", values.narr_omitted)
      .Set("TEXT_SUBST", values.text_subst);
  FrameWriter frame;
  frame.Add(al);
  int seq = 0;
  for (const SubjectValues& subject : values.subjects) {
    AddSubject(frame, ++seq, subject);
  }
  int text_seq = 0;
  for (const TextValues& text : values.narrative) {
    frame.AddText("NARR", ++text_seq, text.lang, text.text);
  }
  return frame.FinishBody(signer);
}

absl::StatusOr<std::string> EncodeRequest(const RequestValues& values,
                                          const crypto::Signer& signer) {
  RecordWriter rq("RQ");
  SetHeader(rq, values.header);
  rq.Set("REQUEST_ID", values.request_id)
      .Set("CASE_REF", values.case_ref)
      .Set("REQUESTING_AGENCY", values.requesting_agency)
      .Set("RECEIVING_AGENCY", values.receiving_agency)
      .Set("IDENTITY_VERIFIED", values.identity_verified)
      .Set("NATIONALITY_VERIFIED", values.nationality_verified)
      .Set("TRACING_RESULT", values.tracing_result)
      .Set("BIA_OUTCOME", values.bia_outcome)
      .Set("BIA_DATE", values.bia_date)
      .Set("HANDOVER_POINT", values.handover_point)
      .Set("HANDOVER_DATE", values.handover_date)
      .Set("TEXT_SUBST", values.text_subst);
  FrameWriter frame;
  frame.Add(rq);
  AddSubject(frame, 1, values.victim);
  if (values.guardian.has_value()) AddSubject(frame, 2, *values.guardian);
  int text_seq = 0;
  for (const TextValues& text : values.assessment) {
    frame.AddText("BIAS", ++text_seq, text.lang, text.text);
  }
  text_seq = 0;
  for (const TextValues& text : values.guardian_notes) {
    frame.AddText("GRDN", ++text_seq, text.lang, text.text);
  }
  return frame.FinishBody(signer);
}

AlertValues SampleInboundAlert() {
  AlertValues alert;
  alert.header.sender = "TH-RTP";
  alert.header.recipient = "CN-MPS";
  alert.kind = "MISSING_PERSON";
  alert.priority = "URGENT";
  alert.handling_code = "H1";
  alert.origin_agency = "TH-RTP";
  alert.originator = "rtp-inv-0042";
  alert.recipients = "CN-MPS";
  alert.last_seen_place = "สถานีขนส่งผู้โดยสารเชียงราย";
  alert.last_seen_country = "THA";
  SubjectValues victim;
  victim.role = "VICTIM";
  victim.sex = "F";
  victim.birth_date = "25540800";
  victim.age_estimate = "014";
  victim.nationality = "THA";
  victim.th_given = "มาลี";
  victim.th_family = "ทดสอบ";
  victim.th_full = "มาลี ทดสอบ";
  victim.latn_given = "Malee";
  victim.latn_family = "THOTSOP";
  victim.latn_full = "Malee THOTSOP";
  alert.subjects.push_back(victim);
  alert.narrative.push_back(
      {"th", "บันทึกทดสอบสมมติ เด็กหญิงอายุ 14 ปี หายตัวไปจากสถานีขนส่งเชียงราย"});
  alert.narrative.push_back(
      {"en",
       "FICTIONAL TEST RECORD. Girl aged 14 missing from the Chiang Rai bus "
       "terminal; believed to be travelling north towards the border."});
  return alert;
}

RequestValues SampleInboundRequest() {
  RequestValues request;
  request.header.sender = "TH-RTP";
  request.header.recipient = "CN-MPS";
  request.request_id = "RTP-RQ-2569-000058";
  request.case_ref = "RTP-CASE-2569-0113";
  request.requesting_agency = "TH-RTP";
  request.receiving_agency = "CN-MPS";
  request.identity_verified = "Y";
  request.nationality_verified = "N";
  request.tracing_result = "IN_PROGRESS";
  request.bia_outcome = "RETURN";
  request.bia_date = "25690312";
  request.handover_point = "Suvarnabhumi Airport (BKK)";
  request.handover_date = "25690402";
  request.victim.role = "VICTIM";
  request.victim.sex = "F";
  request.victim.birth_date = "25531120";
  request.victim.age_estimate = "015";
  request.victim.nationality = "CHN";
  request.victim.latn_given = "Hua";
  request.victim.latn_family = "CESHI";
  request.victim.latn_full = "CESHI Hua";
  DocumentValues passport;
  passport.use = "T";
  passport.type = "PASSPORT";
  passport.number = "E00000001";
  passport.issuing_state = "CHN";
  passport.expiry = "25730531";
  passport.mrz_1 = "P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<";
  passport.mrz_2 = "E000000019CHN1011201F3005316<<<<<<<<<<<<<<08";
  request.victim.documents.push_back(passport);
  request.assessment.push_back({"th", "เด็กประสงค์จะกลับไปหาครอบครัว"});
  request.assessment.push_back(
      {"en", "The child wishes to return to her family."});
  request.guardian_notes.push_back(
      {"en",
       "Mother reported to live in Yunnan; family tracing requested from "
       "CN-MPS."});
  return request;
}

}  // namespace gw::th_rtp_mock
