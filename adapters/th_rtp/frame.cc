// adapters/th_rtp/frame.cc
//
// See frame.h.
#include "adapters/th_rtp/frame.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/th_rtp/be_date.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/uuid.h"

namespace gw::th_rtp {
namespace {

ThRtpRefusal Refuse(int code, int record_no, std::string field,
                    std::string text) {
  return ThRtpRefusal{code, record_no, std::move(field), std::move(text)};
}

ThRtpRefusal RefuseField(int code, const RecordView& r, absl::string_view field,
                         absl::string_view what) {
  std::string name = r.FieldName(field);
  std::string text = absl::StrCat(name, ": ", what);
  return Refuse(code, r.number(), std::move(name), std::move(text));
}

int ToInt(absl::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool IsBlank(const RecordView& r, absl::string_view field) {
  const FieldSpec* f = r.spec().Find(field);
  const absl::string_view raw = r.Raw(field);
  if (f->type == FieldType::kD || f->type == FieldType::kTS) {
    return raw.find_first_not_of('0') == absl::string_view::npos;
  }
  return raw.find_first_not_of(' ') == absl::string_view::npos;
}

// ---- Step 2: record order (§3.2) ----------------------------------------

// The NR topics of each data frame, in grammar order (§3.3).
std::vector<absl::string_view> TopicsOf(RecordType header) {
  switch (header) {
    case RecordType::kAL:
      return {"NARR"};
    case RecordType::kRQ:
      return {"BIAS", "GRDN"};
    case RecordType::kRD:
      return {"RSN "};
    case RecordType::kCS:
      return {"NOTE"};
    default:
      return {};
  }
}

class OrderChecker {
 public:
  explicit OrderChecker(RecordType header)
      : header_(header), topics_(TopicsOf(header)) {}

  std::optional<ThRtpRefusal> Next(const RecordView& r) {
    switch (r.type()) {
      case RecordType::kSB:
        return Subject(r);
      case RecordType::kDO:
        return Document(r);
      case RecordType::kNR:
        return Text(r);
      case RecordType::kAT:
        return Attachment(r);
      case RecordType::kAD:
        return Chunk(r);
      case RecordType::kTR:
        return End(r);
      default:
        return OutOfPlace(r, "a header record after the first record");
    }
  }

 private:
  enum Phase { kSubjects, kTexts, kAttachments };

  static std::optional<ThRtpRefusal> OutOfPlace(const RecordView& r,
                                                absl::string_view why) {
    return RefuseField(102, r, "REC_TYPE",
                       absl::StrCat("record out of place: ", why));
  }

  // A sequence field: all digits [102], and `want` [102].
  static std::optional<ThRtpRefusal> Sequence(const RecordView& r,
                                              absl::string_view field, int want,
                                              int* got = nullptr) {
    const absl::string_view raw = r.Raw(field);
    if (!AllDigits(raw)) {
      return RefuseField(102, r, field, "sequence field not all digits");
    }
    const int value = ToInt(raw);
    if (got != nullptr) *got = value;
    if (want >= 0 && value != want) {
      return RefuseField(
          102, r, field,
          absl::StrCat("sequence number ", value, " where ", want, " is due"));
    }
    return std::nullopt;
  }

  std::optional<ThRtpRefusal> TextIncomplete(const RecordView& r) const {
    if (!text_open_) return std::nullopt;
    return OutOfPlace(r, "the parts of the preceding NR text are incomplete");
  }

  std::optional<ThRtpRefusal> Subject(const RecordView& r) {
    const bool allowed =
        header_ == RecordType::kAL || header_ == RecordType::kRQ;
    if (!allowed || phase_ != kSubjects) {
      return OutOfPlace(r, "SB not allowed here by the frame grammar");
    }
    if (header_ == RecordType::kRQ && subjects_ == 2) {
      return OutOfPlace(r, "an RQ frame has at most two subjects");
    }
    if (auto e = Sequence(r, "SUBJ_SEQ", subjects_ + 1)) return e;
    ++subjects_;
    documents_ = 0;
    return std::nullopt;
  }

  std::optional<ThRtpRefusal> Document(const RecordView& r) {
    if (phase_ != kSubjects || subjects_ == 0) {
      return OutOfPlace(r, "DO must follow its SB");
    }
    if (auto e = Sequence(r, "SUBJ_SEQ", subjects_)) return e;
    if (auto e = Sequence(r, "DOC_SEQ", documents_ + 1)) return e;
    ++documents_;
    return std::nullopt;
  }

  std::optional<ThRtpRefusal> Text(const RecordView& r) {
    const absl::string_view topic = r.Raw("TOPIC");
    const auto it = std::find(topics_.begin(), topics_.end(), topic);
    if (it == topics_.end()) {
      return RefuseField(102, r, "TOPIC", "not a text topic of this frame");
    }
    const int index = static_cast<int>(it - topics_.begin());
    if (phase_ == kAttachments || index < topic_) {
      return RefuseField(102, r, "TOPIC", "NR topic out of place");
    }
    if (header_ == RecordType::kRQ && subjects_ == 0) {
      return OutOfPlace(r, "an RQ frame starts with the victim's SB");
    }
    if (index > topic_ || phase_ != kTexts) {
      if (text_open_) {
        return RefuseField(102, r, "TOPIC",
                           "new topic before the preceding text is complete");
      }
      if (index > topic_) texts_ = 0;
      topic_ = index;
      phase_ = kTexts;
    }
    int text_seq = 0, part_seq = 0, part_count = 0;
    if (text_open_) {
      if (auto e = Sequence(r, "TEXT_SEQ", texts_, &text_seq)) return e;
      if (auto e = Sequence(r, "PART_SEQ", parts_ + 1, &part_seq)) return e;
      if (auto e = Sequence(r, "PART_COUNT", part_count_, &part_count)) {
        return e;
      }
    } else {
      if (auto e = Sequence(r, "TEXT_SEQ", texts_ + 1, &text_seq)) return e;
      if (auto e = Sequence(r, "PART_SEQ", 1, &part_seq)) return e;
      if (auto e = Sequence(r, "PART_COUNT", -1, &part_count)) return e;
      if (part_count < 1) {
        return RefuseField(102, r, "PART_COUNT", "a text has no parts");
      }
      texts_ = text_seq;
      part_count_ = part_count;
    }
    parts_ = part_seq;
    text_open_ = parts_ < part_count_;
    return std::nullopt;
  }

  std::optional<ThRtpRefusal> Attachment(const RecordView& r) {
    if (header_ != RecordType::kAL) {
      return OutOfPlace(r, "AT is allowed in AL frames only");
    }
    if (auto e = TextIncomplete(r)) return e;
    if (chunks_due_ > chunks_) {
      return OutOfPlace(r, "AD records of the preceding AT are missing");
    }
    phase_ = kAttachments;
    if (auto e = Sequence(r, "ATT_SEQ", attachments_ + 1)) return e;
    int chunk_count = 0;
    if (auto e = Sequence(r, "CHUNK_COUNT", -1, &chunk_count)) return e;
    ++attachments_;
    chunks_due_ = chunk_count;
    chunks_ = 0;
    return std::nullopt;
  }

  std::optional<ThRtpRefusal> Chunk(const RecordView& r) {
    if (phase_ != kAttachments || chunks_ >= chunks_due_) {
      return OutOfPlace(r, "AD beyond the CHUNK_COUNT of its AT");
    }
    if (auto e = Sequence(r, "ATT_SEQ", attachments_)) return e;
    if (auto e = Sequence(r, "CHUNK_SEQ", chunks_ + 1)) return e;
    ++chunks_;
    return std::nullopt;
  }

  std::optional<ThRtpRefusal> End(const RecordView& r) {
    if (auto e = TextIncomplete(r)) return e;
    if (chunks_due_ > chunks_) {
      return OutOfPlace(r, "AD records of the preceding AT are missing");
    }
    if (header_ == RecordType::kRQ && subjects_ == 0) {
      return OutOfPlace(r, "an RQ frame needs the victim's SB");
    }
    return std::nullopt;
  }

  const RecordType header_;
  const std::vector<absl::string_view> topics_;
  Phase phase_ = kSubjects;
  int subjects_ = 0;
  int documents_ = 0;
  int topic_ = 0;
  int texts_ = 0;
  int parts_ = 0;
  int part_count_ = 0;
  bool text_open_ = false;
  int attachments_ = 0;
  int chunks_due_ = 0;
  int chunks_ = 0;
};

std::optional<ThRtpRefusal> CheckOrder(const ParsedFrame& frame) {
  const RecordView& header = frame.header();
  if (!IsHeader(header.type())) {
    return RefuseField(102, header, "REC_TYPE",
                       "the first record is not a header record");
  }
  if (IsControlHeader(header.type())) {
    if (frame.records.size() != 2) {
      return RefuseField(102, frame.records[1], "REC_TYPE",
                         "record out of place: a control frame is its "
                         "header and TR only");
    }
    return std::nullopt;
  }
  OrderChecker checker(header.type());
  for (size_t i = 1; i < frame.records.size(); ++i) {
    if (auto e = checker.Next(frame.records[i])) return e;
  }
  return std::nullopt;
}

// ---- Step 6: field types, formats, joins --------------------------------

bool IsYesNo(absl::string_view v) { return v == "Y" || v == "N"; }

bool OneOf(absl::string_view v, std::initializer_list<absl::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

bool IsLang(absl::string_view v) {
  // BCP 47 shape: subtags of 1-8 letters or digits joined by '-'.
  if (v.empty()) return false;
  for (absl::string_view sub : absl::StrSplit(v, '-')) {
    if (sub.empty() || sub.size() > 8) return false;
    for (char c : sub) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9'))) {
        return false;
      }
    }
  }
  const char first = v[0];
  return (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
}

bool IsMediaType(absl::string_view v) {
  const size_t slash = v.find('/');
  if (slash == 0 || slash == absl::string_view::npos || slash + 1 == v.size()) {
    return false;
  }
  for (char c : v) {
    if (c == ' ') return false;
  }
  return true;
}

bool IsAgencyList(absl::string_view v) {
  for (absl::string_view code : absl::StrSplit(v, ',')) {
    if (!IsAgencyCode(code)) return false;
  }
  return true;
}

// §3.4 / §5.1: one field's type. [122, 121, 120]
std::optional<ThRtpRefusal> CheckType(const RecordView& r, const FieldSpec& f) {
  const absl::string_view raw = r.Raw(f.name);
  switch (f.type) {
    case FieldType::kA:
    case FieldType::kT: {
      const bool lf_ok = r.type() == RecordType::kNR && f.name == "TEXT";
      for (char ch : raw) {
        const unsigned char b = static_cast<unsigned char>(ch);
        const bool ok = f.type == FieldType::kA
                            ? IsAsciiFieldByte(b)
                            : IsThaiFieldByte(b) || (lf_ok && b == 0x0A);
        if (!ok) {
          return RefuseField(
              122, r, f.name,
              absl::StrCat("byte 0x", absl::Hex(b, absl::kZeroPad2),
                           " outside the permitted set"));
        }
      }
      // A part of an NR text other than the last is text, not padding.
      const bool last_part = r.type() != RecordType::kNR ||
                             r.Raw("PART_SEQ") == r.Raw("PART_COUNT");
      if (f.mandatory && last_part && IsBlank(r, f.name)) {
        return RefuseField(121, r, f.name, "mandatory field is blank");
      }
      return std::nullopt;
    }
    case FieldType::kN:
      if (!AllDigits(raw)) {
        return RefuseField(120, r, f.name, "not all digits");
      }
      return std::nullopt;
    case FieldType::kNB:
      if (!IsBlank(r, f.name) && !AllDigits(raw)) {
        return RefuseField(120, r, f.name, "neither digits nor blank");
      }
      return std::nullopt;
    case FieldType::kD: {
      if (!AllDigits(raw)) {
        return RefuseField(120, r, f.name, "a date holds digits only");
      }
      if (f.mandatory && IsBlank(r, f.name)) {
        return RefuseField(121, r, f.name, "mandatory date is blank");
      }
      const bool partial_ok =
          r.type() == RecordType::kSB && f.name == "BIRTH_DATE";
      absl::StatusOr<std::string> date = ParseBeDate(raw, partial_ok);
      if (!date.ok())
        return RefuseField(120, r, f.name, date.status().message());
      return std::nullopt;
    }
    case FieldType::kTS: {
      if (!AllDigits(raw)) {
        return RefuseField(120, r, f.name, "a timestamp holds digits only");
      }
      if (f.mandatory && IsBlank(r, f.name)) {
        return RefuseField(121, r, f.name, "mandatory timestamp is blank");
      }
      absl::StatusOr<std::optional<absl::Time>> time = ParseBeTimestamp(raw);
      if (!time.ok())
        return RefuseField(120, r, f.name, time.status().message());
      return std::nullopt;
    }
    case FieldType::kBin:
    case FieldType::kEol:
      return std::nullopt;
  }
  return std::nullopt;
}

// Formats and enumerations of one record's fields. [120]
class FormatChecker {
 public:
  FormatChecker(const RecordView& r, RecordType frame) : r_(r), frame_(frame) {}

  std::optional<ThRtpRefusal> Check() {
    if (IsHeader(r_.type())) {
      Want("MESSAGE_ID", util::IsLowercaseUuid, "not a lowercase UUID");
      Want("SENDER", IsAgencyCode, "not an agency code");
      Want("RECIPIENT", IsAgencyCode, "not an agency code");
    }
    switch (r_.type()) {
      case RecordType::kAL:
        Want("ALERT_ID", IsIdentifier, "not an identifier (README §2.8)");
        Want("CASE_REF", IsIdentifier, "not an identifier (README §2.8)");
        Enum("KIND", {"MISSING_PERSON", "VICTIM_IDENTIFIED", "SUSPECT_WANTED",
                      "ROUTE_INTELLIGENCE"});
        Enum("PRIORITY", {"ROUTINE", "HIGH", "URGENT"});
        Enum("HANDLING_CODE", {"H0", "H1", "H2", "H3"});
        Want("ORIGIN_AGENCY", IsAgencyCode, "not an agency code");
        Want("RECIPIENTS", IsAgencyList, "not a list of agency codes");
        Optional("LAST_SEEN_COUNTRY", IsCountryCode, "not an ISO alpha-3 code");
        Want("TEXT_SUBST", IsYesNo, "not Y or N");
        break;
      case RecordType::kRQ:
        Want("REQUEST_ID", IsIdentifier, "not an identifier (README §2.8)");
        Want("CASE_REF", IsIdentifier, "not an identifier (README §2.8)");
        Want("REQUESTING_AGENCY", IsAgencyCode, "not an agency code");
        Want("RECEIVING_AGENCY", IsAgencyCode, "not an agency code");
        Want("IDENTITY_VERIFIED", IsYesNo, "not Y or N");
        Want("NATIONALITY_VERIFIED", IsYesNo, "not Y or N");
        Enum("TRACING_RESULT",
             {"FOUND", "NOT_FOUND", "IN_PROGRESS", "NOT_STARTED"});
        Enum("BIA_OUTCOME", {"RETURN", "NO_RETURN", "PENDING", "NOT_REQUIRED"});
        Want("TEXT_SUBST", IsYesNo, "not Y or N");
        break;
      case RecordType::kRD:
        Want("REQUEST_ID", IsIdentifier, "not an identifier (README §2.8)");
        Want("CASE_REF", IsIdentifier, "not an identifier (README §2.8)");
        Enum("STATE",
             {"SUBMITTED", "UNDER_REVIEW", "INFO_REQUESTED", "APPROVED",
              "REJECTED", "HANDOVER_SCHEDULED", "COMPLETED", "CANCELLED"});
        Want("DECIDED_BY", IsAgencyCode, "not an agency code");
        Want("TEXT_SUBST", IsYesNo, "not Y or N");
        break;
      case RecordType::kCS:
        Want("CASE_REF", IsIdentifier, "not an identifier (README §2.8)");
        Want("OWNER_AGENCY", IsAgencyCode, "not an agency code");
        Enum("STATE", {"OPEN", "INVESTIGATING", "VICTIM_LOCATED",
                       "SUSPECT_ARRESTED", "PROSECUTION", "CLOSED"});
        Optional("SHARED_WITH", IsAgencyList, "not a list of agency codes");
        Want("TEXT_SUBST", IsYesNo, "not Y or N");
        break;
      case RecordType::kAK:
        Want("ACK_MESSAGE_ID", util::IsLowercaseUuid, "not a lowercase UUID");
        Want("ACK_BODY_SHA256", IsLowercaseSha256Hex,
             "not a lowercase hex SHA-256");
        Want("DUPLICATE", IsYesNo, "not Y or N");
        break;
      case RecordType::kNK: {
        Optional("NAK_BODY_SHA256", IsLowercaseSha256Hex,
                 "not a lowercase hex SHA-256");
        const int code = ToInt(r_.Raw("REASON_CODE"));
        if (!IsKnownCode(code)) Fail("REASON_CODE", "not a code of §8");
        Want("RETRYABLE", IsYesNo, "not Y or N");
        if (IsKnownCode(code) &&
            (r_.Value("RETRYABLE") == "Y") != IsTransientCode(code)) {
          Fail("RETRYABLE", "does not match the class of REASON_CODE");
        }
        break;
      }
      case RecordType::kSB:
        Role();
        Enum("SEX", {"F", "M", "U"});
        Optional("NATIONALITY", IsCountryCode, "not an ISO alpha-3 code");
        Enum("NAME_FLAG", {"N", "F", "R", "T", "U"});
        Want("TRUNCATED", IsYesNo, "not Y or N");
        break;
      case RecordType::kDO:
        Enum("DOC_USE", {"I", "T"});
        Optional("ISSUING_STATE", IsIssuingState,
                 "not a country code as §3.14 allows");
        break;
      case RecordType::kNR:
        Want("LANG", IsLang, "not a BCP 47 language tag");
        break;
      case RecordType::kAT:
        Want("MEDIA_TYPE", IsMediaType, "not a media type");
        Want("SHA256", IsLowercaseSha256Hex, "not a lowercase hex SHA-256");
        Want("INCLUDED", IsYesNo, "not Y or N");
        break;
      case RecordType::kAD: {
        const int len = ToInt(r_.Raw("CHUNK_LEN"));
        if (len < 1 || len > 4096) Fail("CHUNK_LEN", "outside 0001..4096");
        break;
      }
      default:
        break;
    }
    return std::move(fault_);
  }

 private:
  void Fail(absl::string_view field, absl::string_view what) {
    if (!fault_) fault_ = RefuseField(120, r_, field, what);
  }
  void Want(absl::string_view field, bool (*ok)(absl::string_view),
            absl::string_view what) {
    if (!ok(r_.Value(field))) Fail(field, what);
  }
  void Optional(absl::string_view field, bool (*ok)(absl::string_view),
                absl::string_view what) {
    const absl::string_view v = r_.Value(field);
    if (!v.empty() && !ok(v)) Fail(field, what);
  }
  void Enum(absl::string_view field,
            std::initializer_list<absl::string_view> values) {
    if (!OneOf(r_.Value(field), values)) Fail(field, "not a value of its list");
  }
  // §3.2: the roles a frame allows.
  void Role() {
    const absl::string_view role = r_.Value("ROLE");
    if (frame_ == RecordType::kRQ) {
      const bool victim = r_.Raw("SUBJ_SEQ") == "001";
      if (role != (victim ? "VICTIM" : "GUARDIAN")) {
        Fail("ROLE", victim ? "subject 001 of an RQ frame is the VICTIM"
                            : "subject 002 of an RQ frame is the GUARDIAN");
      }
      return;
    }
    Enum("ROLE", {"VICTIM", "SUSPECT", "WITNESS"});
  }

  const RecordView& r_;
  const RecordType frame_;
  std::optional<ThRtpRefusal> fault_;
};

// The rules that join fields and records (§3.2, §3.6-§3.18, §5), record
// by record in body order. [120, 121]
class JoinChecker {
 public:
  explicit JoinChecker(const ParsedFrame& frame) : frame_(frame) {}

  std::optional<ThRtpRefusal> Check() {
    const RecordType kind = frame_.header().type();
    for (size_t i = 0; i < frame_.records.size(); ++i) {
      const RecordView& r = frame_.records[i];
      std::optional<ThRtpRefusal> e;
      switch (r.type()) {
        case RecordType::kAL:
          if (r.Raw("TEXT_SUBST") == "N" && r.Raw("NARR_OMITTED") != "00") {
            e = RefuseField(120, r, "TEXT_SUBST",
                            "N while NARR_OMITTED is not 00");
          }
          break;
        case RecordType::kRQ:
          e = HandoverPair(r, /*required=*/std::nullopt);
          break;
        case RecordType::kRD:
          e = HandoverPair(r, r.Value("STATE") == "HANDOVER_SCHEDULED");
          break;
        case RecordType::kSB:
          e = Names(r);
          subject_ = r.Raw("SUBJ_SEQ");
          saw_travel_ = false;
          break;
        case RecordType::kDO:
          e = DocUse(r, kind);
          break;
        case RecordType::kNR:
          e = TextLang(r);
          break;
        case RecordType::kAT:
          e = AttachmentChunks(i);
          break;
        default:
          break;
      }
      if (e) return e;
    }
    return std::nullopt;
  }

 private:
  // RQ (required = nullopt): both or neither, a blank one is 121. RD:
  // required with HANDOVER_SCHEDULED (blank one 121), else none (120).
  std::optional<ThRtpRefusal> HandoverPair(const RecordView& r,
                                           std::optional<bool> required) {
    const bool point = !IsBlank(r, "HANDOVER_POINT");
    const bool date = !IsBlank(r, "HANDOVER_DATE");
    if (required.has_value() && !*required) {
      if (point) {
        return RefuseField(120, r, "HANDOVER_POINT",
                           "present although STATE is not HANDOVER_SCHEDULED");
      }
      if (date) {
        return RefuseField(120, r, "HANDOVER_DATE",
                           "present although STATE is not HANDOVER_SCHEDULED");
      }
      return std::nullopt;
    }
    const bool want = required.value_or(point || date);
    if (want && !point) {
      return RefuseField(121, r, "HANDOVER_POINT",
                         "blank while the handover pair is required");
    }
    if (want && !date) {
      return RefuseField(121, r, "HANDOVER_DATE",
                         "blank while the handover pair is required");
    }
    return std::nullopt;
  }

  // §3.13: U if and only if all six name fields are blank; U with N.
  static std::optional<ThRtpRefusal> Names(const RecordView& r) {
    bool blank = true;
    for (absl::string_view f : {"TH_GIVEN", "TH_FAMILY", "TH_FULL",
                                "LATN_GIVEN", "LATN_FAMILY", "LATN_FULL"}) {
      blank = blank && IsBlank(r, f);
    }
    const bool u = r.Raw("NAME_FLAG") == "U";
    if (u != blank) {
      return RefuseField(120, r, "NAME_FLAG",
                         blank ? "all name fields blank but NAME_FLAG is not U"
                               : "NAME_FLAG U but a name field is present");
    }
    if (u && r.Raw("TRUNCATED") != "N") {
      return RefuseField(120, r, "NAME_FLAG", "NAME_FLAG U with TRUNCATED Y");
    }
    return std::nullopt;
  }

  // §3.14, §4.3: identity documents (I) everywhere; one travel document
  // (T) in an RQ frame, under the victim, after its identity documents.
  std::optional<ThRtpRefusal> DocUse(const RecordView& r, RecordType kind) {
    const bool travel = r.Raw("DOC_USE") == "T";
    if (!travel) {
      if (saw_travel_) {
        return RefuseField(120, r, "DOC_USE",
                           "identity document after the travel document");
      }
      return std::nullopt;
    }
    if (kind != RecordType::kRQ || subject_ != "001") {
      return RefuseField(120, r, "DOC_USE",
                         "travel document (T) only under subject 001 of an "
                         "RQ frame");
    }
    if (saw_travel_) {
      return RefuseField(120, r, "DOC_USE", "more than one travel document");
    }
    saw_travel_ = true;
    return std::nullopt;
  }

  // Every part of one text has the LANG of its first part.
  std::optional<ThRtpRefusal> TextLang(const RecordView& r) {
    if (r.Raw("PART_SEQ") == "001") {
      lang_ = r.Raw("LANG");
    } else if (r.Raw("LANG") != lang_) {
      return RefuseField(120, r, "LANG", "differs from the text's first part");
    }
    return std::nullopt;
  }

  // AT at records[i] with its AD records: INCLUDED, CHUNK_COUNT, the chunk
  // lengths, the zero padding, SIZE and SHA256.
  std::optional<ThRtpRefusal> AttachmentChunks(size_t i) {
    const RecordView& at = frame_.records[i];
    const uint64_t size = [&] {
      uint64_t v = 0;
      for (char c : at.Raw("SIZE")) v = v * 10 + static_cast<uint64_t>(c - '0');
      return v;
    }();
    const int count = ToInt(at.Raw("CHUNK_COUNT"));
    if (at.Raw("INCLUDED") == "N") {
      if (count != 0) {
        return RefuseField(120, at, "CHUNK_COUNT",
                           "not 0000 for an attachment not included");
      }
      return std::nullopt;
    }
    const uint64_t want = (size + 4095) / 4096;
    if (static_cast<uint64_t>(count) != want) {
      return RefuseField(120, at, "CHUNK_COUNT", "does not match SIZE");
    }
    std::string content;
    for (int k = 1; k <= count; ++k) {
      const RecordView& ad = frame_.records[i + static_cast<size_t>(k)];
      const size_t len = static_cast<size_t>(ToInt(ad.Raw("CHUNK_LEN")));
      const size_t due =
          k < count ? 4096 : static_cast<size_t>(size - 4096ull * (count - 1));
      if (len != due) {
        return RefuseField(120, ad, "CHUNK_LEN",
                           "does not match SIZE and the chunk size 4096");
      }
      const absl::string_view data = ad.Raw("DATA");
      if (data.find_first_not_of('\0', len) != absl::string_view::npos) {
        return RefuseField(120, ad, "DATA", "bytes after CHUNK_LEN are not 00");
      }
      content.append(data.data(), len);
    }
    if (crypto::Sha256Hex(content) != at.Raw("SHA256")) {
      return RefuseField(120, at, "SHA256", "does not match the content");
    }
    return std::nullopt;
  }

  const ParsedFrame& frame_;
  absl::string_view subject_;
  bool saw_travel_ = false;
  absl::string_view lang_;
};

}  // namespace

bool IsTransientCode(int code) {
  return code == 202 || code == 900 || code == 901 || code == 902;
}

bool IsKnownCode(int code) { return !CodeName(code).empty(); }

absl::string_view CodeName(int code) {
  switch (code) {
    case 100:
      return "FRAME_LENGTH";
    case 101:
      return "RECORD_STRUCTURE";
    case 102:
      return "RECORD_ORDER";
    case 103:
      return "RECORD_COUNT";
    case 110:
      return "UNSUPPORTED_VERSION";
    case 120:
      return "INVALID_VALUE";
    case 121:
      return "MISSING_VALUE";
    case 122:
      return "INVALID_CHARACTER";
    case 130:
      return "WRONG_PARTY";
    case 131:
      return "NOT_PERMITTED";
    case 201:
      return "SIGNATURE_INVALID";
    case 202:
      return "UNKNOWN_KEY";
    case 301:
      return "DUPLICATE_CONFLICT";
    case 302:
      return "UNKNOWN_REFERENCE";
    case 303:
      return "WORKFLOW_STATE";
    case 900:
      return "BUSY";
    case 901:
      return "INTERNAL_ERROR";
    case 902:
      return "WINDOW_EXCEEDED";
    default:
      return "";
  }
}

std::optional<ThRtpRefusal> SplitFrame(absl::string_view frame,
                                       absl::string_view* body) {
  if (frame.size() < kLengthPrefixBytes) {
    return Refuse(100, 0, "", "frame shorter than its length prefix");
  }
  uint64_t len = 0;
  for (size_t i = 0; i < kLengthPrefixBytes; ++i) {
    len = (len << 8) | static_cast<unsigned char>(frame[i]);
  }
  if (len < kMinBodyLength || len > kMaxBodyLength) {
    return Refuse(100, 0, "",
                  absl::StrCat("LEN ", len, " outside 220..1048576"));
  }
  if (len != frame.size() - kLengthPrefixBytes) {
    return Refuse(101, 0, "", "LEN does not match the body received");
  }
  *body = frame.substr(kLengthPrefixBytes);
  return std::nullopt;
}

std::optional<ThRtpRefusal> ParseBody(absl::string_view body,
                                      ParsedFrame* out) {
  out->body = body;
  out->records.clear();
  // Step 2a: types, lengths and line ends, up to and including TR.
  size_t pos = 0;
  bool trailer = false;
  while (pos < body.size() && !trailer) {
    const int number = static_cast<int>(out->records.size()) + 1;
    const RecordSpec* spec =
        body.size() - pos < 2 ? nullptr : SpecForCode(body.substr(pos, 2));
    if (spec == nullptr) {
      return Refuse(101, number, "", "unknown record type");
    }
    if (body.size() - pos < spec->length) {
      return Refuse(
          101, number, "",
          absl::StrCat(spec->code, " record cut short by the end of the body"));
    }
    const absl::string_view bytes = body.substr(pos, spec->length);
    trailer = spec->type == RecordType::kTR;
    if (!trailer && bytes.substr(spec->length - 2) != "\r\n") {
      return Refuse(101, number, absl::StrCat(spec->code, ".EOL"),
                    absl::StrCat(spec->code,
                                 ".EOL: record does not end in "
                                 "CR LF"));
    }
    out->records.emplace_back(*spec, bytes, number);
    pos += spec->length;
  }
  if (!trailer) return Refuse(101, 0, "", "no TR record");
  if (pos != body.size()) {
    return Refuse(101, static_cast<int>(out->records.size()) + 1, "",
                  "bytes after TR");
  }
  // Step 2b: order and sequence numbers.
  if (auto e = CheckOrder(*out)) return e;
  // Step 3.
  const RecordView& tr = out->trailer();
  const absl::string_view count = tr.Raw("RECORD_COUNT");
  if (!AllDigits(count)) {
    return RefuseField(103, tr, "RECORD_COUNT", "not all digits");
  }
  if (static_cast<size_t>(ToInt(count)) != out->records.size()) {
    return RefuseField(103, tr, "RECORD_COUNT",
                       absl::StrCat("says ", ToInt(count), ", the body has ",
                                    out->records.size(), " records"));
  }
  return std::nullopt;
}

std::optional<ThRtpRefusal> CheckSignature(
    const ParsedFrame& frame, absl::string_view peer_agency,
    absl::string_view keys_agency,
    const std::vector<const crypto::Verifier*>& keys, std::string* key_id) {
  const RecordView& header = frame.header();
  if (header.Value("SENDER") != peer_agency) {
    return RefuseField(130, header, "SENDER", "not the agency of the TLS peer");
  }
  const RecordView& tr = frame.trailer();
  const absl::string_view id = tr.Raw("KEY_ID");
  const crypto::Verifier* key = nullptr;
  if (peer_agency == keys_agency) {
    for (const crypto::Verifier* candidate : keys) {
      if (candidate != nullptr && candidate->key_id_hex() == id) {
        key = candidate;
        break;
      }
    }
  }
  if (key == nullptr) {
    return RefuseField(202, tr, "KEY_ID",
                       "not a key registered to the sending agency");
  }
  if (tr.Raw("SIG_ALG") != kSigAlg) {
    return RefuseField(201, tr, "SIG_ALG", "not ED25519");
  }
  const absl::string_view body = frame.body;
  const absl::Status verified =
      key->Verify(body.substr(0, body.size() - kSignatureBytes),
                  body.substr(body.size() - kSignatureBytes));
  if (absl::IsUnauthenticated(verified)) {
    return RefuseField(201, tr, "SIGNATURE", "signature does not verify");
  }
  if (!verified.ok()) {
    return Refuse(901, 0, "", "signature verification failed internally");
  }
  *key_id = std::string(id);
  return std::nullopt;
}

std::optional<ThRtpRefusal> ValidateFields(const ParsedFrame& frame,
                                           absl::string_view local_agency) {
  const RecordType kind = frame.header().type();
  for (const RecordView& r : frame.records) {
    for (const FieldSpec& f : r.spec().fields) {
      if (f.name == "REC_TYPE") continue;
      if (auto e = CheckType(r, f)) return e;
    }
    if (auto e = FormatChecker(r, kind).Check()) return e;
    if (IsHeader(r.type())) {
      if (r.Raw("FMT_VERSION") != "01") {
        return RefuseField(110, r, "FMT_VERSION", "only version 01 is known");
      }
      if (r.Value("RECIPIENT") != local_agency) {
        return RefuseField(130, r, "RECIPIENT", "not this receiver");
      }
    }
  }
  return JoinChecker(frame).Check();
}

std::string MessageIdEcho(absl::string_view body) {
  if (body.size() < 40) return "";
  const absl::string_view id = body.substr(4, 36);
  for (char c : id) {
    if (!IsAsciiFieldByte(static_cast<unsigned char>(c))) return "";
  }
  return std::string(TrimTrailingSpaces(id));
}

absl::StatusOr<std::string> SealFrame(const std::vector<std::string>& records,
                                      const crypto::Signer& signer) {
  if (signer.algorithm() != crypto::KeyAlgorithm::kEd25519) {
    return absl::FailedPreconditionError(
        "link key: TH-RTP frames are signed with Ed25519 (TH-RTP.md §6)");
  }
  std::string body;
  for (const std::string& r : records) body += r;
  RecordWriter writer(RecordType::kTR);
  writer.SetNumber("RECORD_COUNT", records.size() + 1)
      .Set("KEY_ID", signer.key_id_hex())
      .Set("SIG_ALG", kSigAlg);
  absl::StatusOr<std::string> trailer = std::move(writer).Finish();
  if (!trailer.ok()) return trailer.status();
  body.append(*trailer, 0, trailer->size() - kSignatureBytes);
  if (body.size() + kSignatureBytes > kMaxBodyLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("frame: ", body.size() + kSignatureBytes,
                     " bytes of body, over the 1,048,576 of TH-RTP.md §2.3"));
  }
  absl::StatusOr<std::string> signature = signer.Sign(body);
  if (!signature.ok()) {
    return absl::InternalError(
        absl::StrCat("signing the frame: ", signature.status().message()));
  }
  if (signature->size() != kSignatureBytes) {
    return absl::InternalError("signing the frame: not a 64-byte signature");
  }
  body += *signature;
  std::string frame(kLengthPrefixBytes, '\0');
  for (size_t i = 0; i < kLengthPrefixBytes; ++i) {
    frame[i] = static_cast<char>((body.size() >> (8 * (3 - i))) & 0xFF);
  }
  frame += body;
  return frame;
}

bool IsAgencyCode(absl::string_view code) {
  if (code.size() < 5 || code.size() > 10 || code[2] != '-') return false;
  for (size_t i = 0; i < code.size(); ++i) {
    if (i != 2 && !(code[i] >= 'A' && code[i] <= 'Z')) return false;
  }
  return true;
}

bool IsIdentifier(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '/' &&
                              c != '-'))) {
      return false;
    }
  }
  return true;
}

bool IsLowercaseSha256Hex(absl::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsCountryCode(absl::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

bool IsIssuingState(absl::string_view value) {
  // 1-3 capitals, or 1-2 capitals followed by 1-2 MRZ fillers, at most 3.
  if (value.empty() || value.size() > 3) return false;
  size_t letters = 0;
  while (letters < value.size() && value[letters] >= 'A' &&
         value[letters] <= 'Z') {
    ++letters;
  }
  if (letters == 0) return false;
  for (size_t i = letters; i < value.size(); ++i) {
    if (value[i] != '<') return false;
  }
  return letters == value.size() || letters <= 2;
}

}  // namespace gw::th_rtp
