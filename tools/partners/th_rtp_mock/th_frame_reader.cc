// tools/partners/th_rtp_mock/th_frame_reader.cc
#include "tools/partners/th_rtp_mock/th_frame_reader.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/crypto/sha256.h"
#include "tools/partners/th_rtp_mock/th_codes.h"
#include "tools/partners/th_rtp_mock/th_dates.h"
#include "tools/partners/th_rtp_mock/th_layout.h"
#include "tools/partners/th_rtp_mock/th_text.h"

namespace gw::th_rtp_mock {
namespace {

// ---------------------------------------------------------------------------
// Small predicates on raw field bytes.

absl::string_view TrimRight(absl::string_view value) {
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

bool AllDigits(absl::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool AllOf(absl::string_view value, char c) {
  for (char v : value) {
    if (v != c) return false;
  }
  return true;
}

// REQUIRES: AllDigits(digits), at most 9 digits (10 for DigitsValue64).
int DigitsValue(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

long long DigitsValue64(absl::string_view digits) {
  long long value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// README §2.1: lowercase canonical UUID text.
bool IsUuid(absl::string_view v) {
  if (v.size() != 36) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : !IsLowerHex(v[i])) return false;
  }
  return true;
}

// README §2.8: ^[A-Z]{2}-[A-Z]{2,7}$.
bool IsAgency(absl::string_view v) {
  if (v.size() < 5 || v.size() > 10) return false;
  if (!IsUpper(v[0]) || !IsUpper(v[1]) || v[2] != '-') return false;
  for (size_t i = 3; i < v.size(); ++i) {
    if (!IsUpper(v[i])) return false;
  }
  return true;
}

// README §2.8: ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$.
bool IsIdentifier(absl::string_view v) {
  if (v.empty() || v.size() > 64) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    const bool alnum = absl::ascii_isalnum(c);
    if (i == 0 ? !alnum
               : !(alnum || c == '.' || c == '_' || c == ':' || c == '/' ||
                   c == '-')) {
      return false;
    }
  }
  return true;
}

// Agency codes separated by "," with no spaces and no empty entries.
bool IsAgencyList(absl::string_view v) {
  for (absl::string_view code : absl::StrSplit(v, ',')) {
    if (!IsAgency(code)) return false;
  }
  return true;
}

bool IsCountry(absl::string_view v) {
  return v.size() == 3 && IsUpper(v[0]) && IsUpper(v[1]) && IsUpper(v[2]);
}

bool IsSha256Hex(absl::string_view v) {
  if (v.size() != 64) return false;
  for (char c : v) {
    if (!IsLowerHex(c)) return false;
  }
  return true;
}

// BCP 47 in the shape the ICD uses ("th", "en", "zh-Hans"): a 2-3 letter
// language subtag, then subtags of 1-8 letters or digits.
bool IsLangTag(absl::string_view v) {
  std::vector<absl::string_view> parts = absl::StrSplit(v, '-');
  if (parts[0].size() < 2 || parts[0].size() > 3) return false;
  for (char c : parts[0]) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i].size() > 8) return false;
    for (char c : parts[i]) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

bool IsMediaTypeToken(absl::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (!(absl::ascii_isalnum(u) || c == '!' || c == '#' || c == '$' ||
          c == '&' || c == '^' || c == '_' || c == '.' || c == '+' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

// "type/subtype", optionally followed by ";" parameters.
bool IsMediaType(absl::string_view v) {
  const size_t semicolon = v.find(';');
  const absl::string_view essence = v.substr(0, semicolon);
  const size_t slash = essence.find('/');
  if (slash == absl::string_view::npos) return false;
  return IsMediaTypeToken(essence.substr(0, slash)) &&
         IsMediaTypeToken(essence.substr(slash + 1));
}

// §3.14: 1 to 3 capital letters, or 1 or 2 capital letters followed by one
// or two MRZ fillers, 3 characters at most (trailing spaces removed).
bool IsIssuingState(absl::string_view v) {
  if (v.empty() || v.size() > 3) return false;
  size_t letters = 0;
  while (letters < v.size() && IsUpper(v[letters])) ++letters;
  if (letters == v.size()) return true;
  if (letters == 0 || letters > 2) return false;
  for (size_t i = letters; i < v.size(); ++i) {
    if (v[i] != '<') return false;
  }
  return true;
}

// "<record type>.<field>", e.g. "SB.BIRTH_DATE".
bool IsFieldName(absl::string_view v) {
  if (v.size() < 4 || !IsUpper(v[0]) || !IsUpper(v[1]) || v[2] != '.') {
    return false;
  }
  for (char c : v.substr(3)) {
    if (!(IsUpper(c) || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsMrzLine(absl::string_view v) {
  for (char c : v) {
    if (!(IsUpper(c) || (c >= '0' && c <= '9') || c == '<')) return false;
  }
  return true;
}

bool OneOf(absl::string_view v, std::initializer_list<absl::string_view> set) {
  for (absl::string_view item : set) {
    if (v == item) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------

struct RawRecord {
  const RecordSpec* spec = nullptr;
  absl::string_view bytes;
  size_t offset = 0;
  int number = 0;

  absl::string_view type() const { return spec->type; }
  // REQUIRES: the record type has the field.
  absl::string_view Field(absl::string_view name) const {
    const FieldSpec* field = FindField(*spec, name);
    return bytes.substr(field->offset, field->length);
  }
  absl::string_view Trimmed(absl::string_view name) const {
    return TrimRight(Field(name));
  }
  std::string Name(absl::string_view field) const {
    return absl::StrCat(spec->type, ".", field);
  }
};

// The place of a frame type's records between its header and TR (§3.2).
struct Grammar {
  int max_subjects = 0;  // 0: no SB records
  bool attachments = false;
  std::vector<absl::string_view> topics;  // NR topics, in grammar order
};

Grammar GrammarOf(absl::string_view header) {
  if (header == "AL") return {999, true, {"NARR"}};
  if (header == "RQ") return {2, false, {"BIAS", "GRDN"}};
  if (header == "RD") return {0, false, {"RSN "}};
  if (header == "CS") return {0, false, {"NOTE"}};
  return {};
}

bool IsHeaderType(absl::string_view type) {
  return IsDataHeader(type) || IsControlHeader(type);
}

Rejection Reject(int code, int record_no, std::string field,
                 std::string detail) {
  return Rejection{code, record_no, std::move(field), std::move(detail)};
}

using Outcome = std::optional<Rejection>;

class Reader {
 public:
  Reader(absl::string_view body, const ReaderOptions& options)
      : body_(body), options_(options) {}

  ReadResult Run() {
    ReadResult result;
    result.frame.body_sha256 = crypto::Sha256Hex(body_);
    if (body_.size() >= 2) {
      const absl::string_view first = body_.substr(0, 2);
      if (FindRecordSpec(first) != nullptr)
        result.frame.header_type = std::string(first);
    }
    for (Outcome (Reader::*step)() :
         {&Reader::Length, &Reader::Structure, &Reader::Order, &Reader::Count,
          &Reader::Parties, &Reader::Signature, &Reader::Fields,
          &Reader::CrossRules}) {
      Outcome rejection = (this->*step)();
      if (rejection.has_value()) {
        result.rejection = std::move(rejection);
        return result;
      }
    }
    Outcome rejection = Decode(&result.frame);
    if (rejection.has_value()) result.rejection = std::move(rejection);
    return result;
  }

 private:
  const RawRecord& header() const { return records_.front(); }
  const RawRecord& trailer() const { return records_.back(); }

  // §6 step 1.
  Outcome Length() {
    if (body_.size() < kMinBodyLength || body_.size() > kMaxBodyLength) {
      return Reject(kFrameLength, 0, "",
                    "body length outside 220..1048576 bytes");
    }
    return std::nullopt;
  }

  // §6 step 2, first half: record types, lengths, line ends (§3.1).
  Outcome Structure() {
    size_t pos = 0;
    int number = 0;
    while (true) {
      if (pos >= body_.size()) {
        return Reject(kRecordStructure, 0, "",
                      "the body ends without a TR record");
      }
      ++number;
      if (body_.size() - pos < 2) {
        return Reject(kRecordStructure, number, "",
                      "the body ends inside a record type");
      }
      const RecordSpec* spec = FindRecordSpec(body_.substr(pos, 2));
      if (spec == nullptr) {
        return Reject(kRecordStructure, number, "", "unknown record type");
      }
      const bool trailer = absl::string_view(spec->type) == "TR";
      if (body_.size() - pos < spec->length) {
        return Reject(kRecordStructure, number,
                      trailer ? "" : absl::StrCat(spec->type, ".EOL"),
                      "the record is cut short by the end of the body");
      }
      RawRecord record{spec, body_.substr(pos, spec->length), pos, number};
      if (trailer) {
        records_.push_back(record);
        if (pos + spec->length != body_.size()) {
          return Reject(kRecordStructure, number, "",
                        "bytes follow the TR record");
        }
        return std::nullopt;
      }
      if (record.bytes.substr(spec->length - 2) != "\r\n") {
        return Reject(kRecordStructure, number, record.Name("EOL"),
                      "the record does not end in CR LF");
      }
      records_.push_back(record);
      pos += spec->length;
    }
  }

  // §6 step 2, second half: the grammar of §3.2 and the sequence fields.
  Outcome Order() {
    const RawRecord& head = header();
    if (!IsHeaderType(head.type())) {
      return Reject(kRecordOrder, 1, head.Name("REC_TYPE"),
                    "the first record is not a header record");
    }
    const Grammar grammar = GrammarOf(head.type());
    const bool is_rq = head.type() == "RQ";
    enum Phase { kSubjects, kTexts, kAttachments } phase = kSubjects;
    int subj_seq = 0, doc_seq = 0;
    size_t topic_index = 0;
    bool any_text = false, text_open = false;
    int text_seq = 0, part_seq = 0, part_count = 0;
    int att_seq = 0, chunks_expected = 0, chunk_seq = 0;
    bool chunks_open = false;

    auto out_of_place = [](const RawRecord& r, const char* why) {
      return Reject(kRecordOrder, r.number, r.Name("REC_TYPE"), why);
    };
    auto bad_seq = [](const RawRecord& r, absl::string_view field,
                      const char* why) {
      return Reject(kRecordOrder, r.number, r.Name(field), why);
    };
    // Reads a sequence field; nullopt (and *rejection) if not all digits.
    auto seq = [&](const RawRecord& r, absl::string_view field,
                   Outcome* rejection) -> std::optional<int> {
      const absl::string_view value = r.Field(field);
      if (!AllDigits(value)) {
        *rejection = bad_seq(r, field, "sequence field is not all digits");
        return std::nullopt;
      }
      return DigitsValue(value);
    };

    for (size_t i = 1; i + 1 < records_.size(); ++i) {
      const RawRecord& r = records_[i];
      const absl::string_view type = r.type();
      Outcome rejection;
      if (type == "SB") {
        if (grammar.max_subjects == 0 || phase != kSubjects) {
          return out_of_place(r, "SB record out of place");
        }
        if (subj_seq >= grammar.max_subjects) {
          return out_of_place(r, "too many SB records for this frame");
        }
        const auto value = seq(r, "SUBJ_SEQ", &rejection);
        if (!value) return rejection;
        if (*value != subj_seq + 1) {
          return bad_seq(r, "SUBJ_SEQ", "SUBJ_SEQ is not the next number");
        }
        subj_seq = *value;
        doc_seq = 0;
      } else if (type == "DO") {
        if (phase != kSubjects || subj_seq == 0) {
          return out_of_place(r, "DO record without its SB record");
        }
        const auto subject = seq(r, "SUBJ_SEQ", &rejection);
        if (!subject) return rejection;
        if (*subject != subj_seq) {
          return bad_seq(r, "SUBJ_SEQ",
                         "DO SUBJ_SEQ is not the SB record before it");
        }
        const auto value = seq(r, "DOC_SEQ", &rejection);
        if (!value) return rejection;
        if (*value != doc_seq + 1) {
          return bad_seq(r, "DOC_SEQ", "DOC_SEQ is not the next number");
        }
        doc_seq = *value;
      } else if (type == "NR") {
        if (grammar.topics.empty()) {
          return out_of_place(r, "this frame type has no NR records");
        }
        if (phase == kAttachments) {
          return out_of_place(r, "NR record after the attachments");
        }
        if (is_rq && subj_seq == 0) {
          return out_of_place(r, "NR record before the victim's SB record");
        }
        phase = kTexts;
        const absl::string_view topic = r.Field("TOPIC");
        size_t index = grammar.topics.size();
        for (size_t k = 0; k < grammar.topics.size(); ++k) {
          if (grammar.topics[k] == topic) index = k;
        }
        if (index == grammar.topics.size()) {
          return bad_seq(r, "TOPIC", "NR topic is not a topic of this frame");
        }
        const auto tseq = seq(r, "TEXT_SEQ", &rejection);
        if (!tseq) return rejection;
        const auto pseq = seq(r, "PART_SEQ", &rejection);
        if (!pseq) return rejection;
        const auto pcount = seq(r, "PART_COUNT", &rejection);
        if (!pcount) return rejection;
        if (text_open) {
          if (index != topic_index) {
            return bad_seq(r, "TOPIC", "the previous text is missing parts");
          }
          if (*tseq != text_seq) {
            return bad_seq(r, "TEXT_SEQ", "the previous text is missing parts");
          }
          if (*pseq != part_seq + 1) {
            return bad_seq(r, "PART_SEQ", "PART_SEQ is not the next number");
          }
          if (*pcount != part_count) {
            return bad_seq(r, "PART_COUNT",
                           "PART_COUNT differs between parts of a text");
          }
        } else {
          if (any_text && index < topic_index) {
            return bad_seq(r, "TOPIC", "NR topic out of its place");
          }
          const bool new_topic = !any_text || index != topic_index;
          if (*tseq != (new_topic ? 1 : text_seq + 1)) {
            return bad_seq(r, "TEXT_SEQ", "TEXT_SEQ is not the next number");
          }
          if (*pseq != 1) {
            return bad_seq(r, "PART_SEQ", "a text does not start at part 001");
          }
          if (*pcount < 1) {
            return bad_seq(r, "PART_COUNT", "PART_COUNT is zero");
          }
          part_count = *pcount;
        }
        any_text = true;
        topic_index = index;
        text_seq = *tseq;
        part_seq = *pseq;
        text_open = part_seq < part_count;
      } else if (type == "AT") {
        if (!grammar.attachments) {
          return out_of_place(r, "this frame type has no AT records");
        }
        if (text_open) return out_of_place(r, "a text is missing parts");
        if (chunks_open) {
          return out_of_place(r,
                              "the previous attachment is missing AD records");
        }
        phase = kAttachments;
        const auto value = seq(r, "ATT_SEQ", &rejection);
        if (!value) return rejection;
        if (*value != att_seq + 1) {
          return bad_seq(r, "ATT_SEQ", "ATT_SEQ is not the next number");
        }
        att_seq = *value;
        const auto count = seq(r, "CHUNK_COUNT", &rejection);
        if (!count) return rejection;
        chunks_expected = *count;
        chunk_seq = 0;
        chunks_open = chunks_expected > 0;
      } else if (type == "AD") {
        if (phase != kAttachments || !chunks_open) {
          return out_of_place(r,
                              "AD record beyond its AT record's CHUNK_COUNT");
        }
        const auto attachment = seq(r, "ATT_SEQ", &rejection);
        if (!attachment) return rejection;
        if (*attachment != att_seq) {
          return bad_seq(r, "ATT_SEQ",
                         "AD ATT_SEQ is not the AT record before it");
        }
        const auto value = seq(r, "CHUNK_SEQ", &rejection);
        if (!value) return rejection;
        if (*value != chunk_seq + 1) {
          return bad_seq(r, "CHUNK_SEQ", "CHUNK_SEQ is not the next number");
        }
        chunk_seq = *value;
        chunks_open = chunk_seq < chunks_expected;
      } else {
        return out_of_place(r, "a header record after the first record");
      }
    }
    const RawRecord& tr = trailer();
    if (records_.size() < 2) {
      return Reject(kRecordOrder, tr.number, tr.Name("REC_TYPE"),
                    "the frame has no header record");
    }
    if (text_open) return out_of_place(tr, "a text is missing parts");
    if (chunks_open) {
      return out_of_place(tr, "an attachment is missing AD records");
    }
    if (is_rq && subj_seq == 0) {
      return out_of_place(tr, "a repatriation request needs the victim's SB");
    }
    return std::nullopt;
  }

  // §6 step 3.
  Outcome Count() {
    const RawRecord& tr = trailer();
    const absl::string_view count = tr.Field("RECORD_COUNT");
    if (!AllDigits(count)) {
      return Reject(kRecordCount, tr.number, "TR.RECORD_COUNT",
                    "RECORD_COUNT is not all digits");
    }
    if (DigitsValue(count) != static_cast<int>(records_.size())) {
      return Reject(kRecordCount, tr.number, "TR.RECORD_COUNT",
                    "RECORD_COUNT differs from the number of records");
    }
    return std::nullopt;
  }

  // §6 step 4.
  Outcome Parties() {
    if (header().Trimmed("SENDER") != options_.peer_agency) {
      return Reject(kWrongParty, 1, header().Name("SENDER"),
                    "SENDER is not the agency of the TLS peer");
    }
    const RawRecord& tr = trailer();
    const absl::string_view key_id = tr.Field("KEY_ID");
    for (const crypto::Verifier* key : options_.peer_keys) {
      if (key != nullptr && key->key_id_hex() == key_id) {
        verifier_ = key;
        return std::nullopt;
      }
    }
    return Reject(kUnknownKey, tr.number, "TR.KEY_ID",
                  "KEY_ID is not registered to the sender");
  }

  // §6 step 5.
  Outcome Signature() {
    const RawRecord& tr = trailer();
    if (tr.Field("SIG_ALG") != kSigAlg) {
      return Reject(kSignatureInvalid, tr.number, "TR.SIG_ALG",
                    "SIG_ALG is not ED25519");
    }
    const size_t signed_length = body_.size() - kSignatureLength;
    if (!verifier_
             ->Verify(body_.substr(0, signed_length),
                      body_.substr(signed_length))
             .ok()) {
      return Reject(kSignatureInvalid, tr.number, "TR.SIGNATURE",
                    "the signature does not verify");
    }
    return std::nullopt;
  }

  // §6 step 6, record by record.
  Outcome Fields() {
    for (const RawRecord& r : records_) {
      Outcome rejection = FieldTypes(r);
      if (rejection) return rejection;
      for (const FieldSpec& field : r.spec->fields) {
        const std::string problem = FormatProblem(r, field);
        if (!problem.empty()) {
          return Reject(kInvalidValue, r.number, r.Name(field.name), problem);
        }
      }
      if (r.number == 1) {
        if (r.Field("FMT_VERSION") != kFormatVersion) {
          return Reject(kUnsupportedVersion, 1, r.Name("FMT_VERSION"),
                        "FMT_VERSION is not 01");
        }
        if (r.Trimmed("RECIPIENT") != options_.own_agency) {
          return Reject(kWrongParty, 1, r.Name("RECIPIENT"),
                        "RECIPIENT is not this receiver");
        }
      }
    }
    return std::nullopt;
  }

  // §3.4, §5.1: all 122 checks of the record, then 121, then 120.
  static Outcome FieldTypes(const RawRecord& r) {
    const bool is_nr = r.type() == "NR";
    for (const FieldSpec& field : r.spec->fields) {
      const absl::string_view value = r.Field(field.name);
      const bool allow_lf = is_nr && absl::string_view(field.name) == "TEXT";
      for (char c : value) {
        const auto byte = static_cast<uint8_t>(c);
        const bool ok = field.type == FieldType::kA ? IsPermittedAsciiByte(byte)
                        : field.type == FieldType::kT
                            ? IsPermittedThaiByte(byte, allow_lf)
                            : true;
        if (!ok) {
          return Reject(
              kInvalidCharacter, r.number, r.Name(field.name),
              absl::StrCat("a byte outside the permitted set of a ",
                           field.type == FieldType::kA ? "A" : "T", " field"));
        }
      }
    }
    for (const FieldSpec& field : r.spec->fields) {
      if (!field.mandatory) continue;
      const absl::string_view value = r.Field(field.name);
      const bool blank =
          (field.type == FieldType::kA || field.type == FieldType::kT)
              ? AllOf(value, ' ')
          : (field.type == FieldType::kD || field.type == FieldType::kTS)
              ? AllOf(value, '0')
              : false;
      if (blank) {
        return Reject(kMissingValue, r.number, r.Name(field.name),
                      "a mandatory field is blank");
      }
    }
    for (const FieldSpec& field : r.spec->fields) {
      const absl::string_view value = r.Field(field.name);
      switch (field.type) {
        case FieldType::kN:
          if (!AllDigits(value)) {
            return Reject(kInvalidValue, r.number, r.Name(field.name),
                          "a N field holds a non-digit");
          }
          break;
        case FieldType::kNB:
          if (!AllDigits(value) && !AllOf(value, ' ')) {
            return Reject(kInvalidValue, r.number, r.Name(field.name),
                          "a NB field is neither digits nor blank");
          }
          break;
        case FieldType::kD:
        case FieldType::kTS:
          if (!AllDigits(value)) {
            return Reject(kInvalidValue, r.number, r.Name(field.name),
                          "a date or time field holds a non-digit");
          }
          break;
        default:
          break;
      }
    }
    return std::nullopt;
  }

  // The format or enumeration problem of one field (120), "" if none.
  // Field types are already known to be right.
  static std::string FormatProblem(const RawRecord& r, const FieldSpec& field) {
    const absl::string_view raw = r.Field(field.name);
    const absl::string_view v = TrimRight(raw);
    const absl::string_view rec = r.type();
    const absl::string_view name = field.name;
    const bool blank = v.empty();

    if (field.type == FieldType::kTS) {
      if (!AllOf(raw, '0') && !ParseBeTimestamp(raw).has_value()) {
        return "not a real date and time";
      }
      return "";
    }
    if (field.type == FieldType::kD) {
      const DateKind kind = ClassifyBeDate(raw);
      if (kind == DateKind::kInvalid) return "not a real calendar date";
      if (kind == DateKind::kPartial &&
          !(rec == "SB" && name == "BIRTH_DATE")) {
        return "a partial date outside SB.BIRTH_DATE";
      }
      return "";
    }
    if (name == "MESSAGE_ID" && !IsUuid(v)) return "not a lowercase UUID";
    if ((name == "SENDER" || name == "RECIPIENT" || name == "ORIGIN_AGENCY" ||
         name == "REQUESTING_AGENCY" || name == "RECEIVING_AGENCY" ||
         name == "DECIDED_BY" || name == "OWNER_AGENCY") &&
        !IsAgency(v)) {
      return "not an agency code";
    }
    if ((name == "ALERT_ID" || name == "CASE_REF" || name == "REQUEST_ID") &&
        !IsIdentifier(v)) {
      return "not a valid identifier";
    }
    if (name == "TEXT_SUBST" || name == "IDENTITY_VERIFIED" ||
        name == "NATIONALITY_VERIFIED" || name == "DUPLICATE" ||
        name == "RETRYABLE" || name == "TRUNCATED" || name == "INCLUDED") {
      return OneOf(v, {"Y", "N"}) ? "" : "not Y or N";
    }
    if (rec == "AL") {
      if (name == "KIND" &&
          !OneOf(v, {"MISSING_PERSON", "VICTIM_IDENTIFIED", "SUSPECT_WANTED",
                     "ROUTE_INTELLIGENCE"})) {
        return "unknown KIND";
      }
      if (name == "PRIORITY" && !OneOf(v, {"ROUTINE", "HIGH", "URGENT"})) {
        return "unknown PRIORITY";
      }
      if (name == "HANDLING_CODE" && !OneOf(v, {"H0", "H1", "H2", "H3"})) {
        return "unknown HANDLING_CODE";
      }
      if (name == "RECIPIENTS" && !IsAgencyList(v)) {
        return "not a list of agency codes separated by commas";
      }
      if (name == "LAST_SEEN_COUNTRY" && !blank && !IsCountry(v)) {
        return "not an ISO 3166-1 alpha-3 code";
      }
    } else if (rec == "RQ") {
      if (name == "TRACING_RESULT" &&
          !OneOf(v, {"FOUND", "NOT_FOUND", "IN_PROGRESS", "NOT_STARTED"})) {
        return "unknown TRACING_RESULT";
      }
      if (name == "BIA_OUTCOME" &&
          !OneOf(v, {"RETURN", "NO_RETURN", "PENDING", "NOT_REQUIRED"})) {
        return "unknown BIA_OUTCOME";
      }
    } else if (rec == "RD") {
      if (name == "STATE" &&
          !OneOf(v, {"SUBMITTED", "UNDER_REVIEW", "INFO_REQUESTED", "APPROVED",
                     "REJECTED", "HANDOVER_SCHEDULED", "COMPLETED",
                     "CANCELLED"})) {
        return "unknown STATE";
      }
    } else if (rec == "CS") {
      if (name == "STATE" &&
          !OneOf(v, {"OPEN", "INVESTIGATING", "VICTIM_LOCATED",
                     "SUSPECT_ARRESTED", "PROSECUTION", "CLOSED"})) {
        return "unknown STATE";
      }
      if (name == "SHARED_WITH" && !blank && !IsAgencyList(v)) {
        return "not a list of agency codes separated by commas";
      }
    } else if (rec == "AK") {
      if (name == "ACK_MESSAGE_ID" && !IsUuid(v)) return "not a lowercase UUID";
      if (name == "ACK_BODY_SHA256" && !IsSha256Hex(v)) {
        return "not a lowercase hex SHA-256";
      }
    } else if (rec == "NK") {
      if (name == "NAK_BODY_SHA256" && !blank && !IsSha256Hex(v)) {
        return "not a lowercase hex SHA-256";
      }
      if (name == "REASON_CODE" && !IsKnownReasonCode(DigitsValue(raw))) {
        return "not a reason code of ICD section 8";
      }
      if (name == "FIELD_NAME" && !blank && !IsFieldName(v)) {
        return "not of the form <record type>.<field>";
      }
    } else if (rec == "SB") {
      if (name == "ROLE" &&
          !OneOf(v, {"VICTIM", "SUSPECT", "WITNESS", "GUARDIAN"})) {
        return "unknown ROLE";
      }
      if (name == "SEX" && !OneOf(v, {"F", "M", "U"})) return "unknown SEX";
      if (name == "NATIONALITY" && !blank && !IsCountry(v)) {
        return "not an ISO 3166-1 alpha-3 code";
      }
      if (name == "NAME_FLAG" && !OneOf(v, {"N", "F", "R", "T", "U"})) {
        return "unknown NAME_FLAG";
      }
    } else if (rec == "DO") {
      if (name == "DOC_USE" && !OneOf(v, {"I", "T"})) return "not I or T";
      if (name == "ISSUING_STATE" && !blank && !IsIssuingState(v)) {
        return "not a country code in one of the forms of section 3.14";
      }
      if ((name == "MRZ_1" || name == "MRZ_2" || name == "MRZ_3") &&
          !IsMrzLine(v)) {
        return "an MRZ line holds a character outside A-Z 0-9 <";
      }
    } else if (rec == "NR") {
      if (name == "LANG" && !IsLangTag(v)) return "not a BCP 47 language tag";
    } else if (rec == "AT") {
      if (name == "MEDIA_TYPE" && !IsMediaType(v)) return "not a media type";
      if (name == "SHA256" && !IsSha256Hex(v)) {
        return "not a lowercase hex SHA-256";
      }
    } else if (rec == "AD") {
      if (name == "CHUNK_LEN") {
        const int length = DigitsValue(raw);
        if (length < 1 || length > static_cast<int>(kChunkLength)) {
          return "CHUNK_LEN outside 0001..4096";
        }
      }
      if (name == "DATA") {
        const size_t used =
            static_cast<size_t>(DigitsValue(r.Field("CHUNK_LEN")));
        if (!AllOf(raw.substr(used), '\0')) {
          return "DATA is not padded with 00 bytes after CHUNK_LEN";
        }
      }
    } else if (rec == "TR") {
      if (name == "KEY_ID" && !IsSha256Hex(v)) {
        return "not a lowercase hex key id";
      }
    }
    return "";
  }

  // §6 step 6, after the last record: rules joining fields and records.
  Outcome CrossRules() {
    const absl::string_view frame = header().type();
    bool travel_document_seen = false;
    // Per (topic, text_seq): the LANG of its first part.
    std::string text_lang;
    std::string text_key;
    for (size_t i = 0; i < records_.size(); ++i) {
      const RawRecord& r = records_[i];
      const absl::string_view type = r.type();
      if (i == 0) {
        Outcome rejection = HeaderRules(r);
        if (rejection) return rejection;
      } else if (type == "SB") {
        const absl::string_view role = r.Trimmed("ROLE");
        const int subj = DigitsValue(r.Field("SUBJ_SEQ"));
        const bool role_ok = frame == "AL"
                                 ? OneOf(role, {"VICTIM", "SUSPECT", "WITNESS"})
                                 : role == (subj == 1 ? "VICTIM" : "GUARDIAN");
        if (!role_ok) {
          return Reject(kInvalidValue, r.number, "SB.ROLE",
                        "a role this frame does not allow");
        }
        bool all_blank = true;
        for (const char* name : {"TH_GIVEN", "TH_FAMILY", "TH_FULL",
                                 "LATN_GIVEN", "LATN_FAMILY", "LATN_FULL"}) {
          all_blank = all_blank && r.Trimmed(name).empty();
        }
        const absl::string_view flag = r.Field("NAME_FLAG");
        if ((flag == "U") != all_blank) {
          return Reject(kInvalidValue, r.number, "SB.NAME_FLAG",
                        "NAME_FLAG U must go with all six name fields blank");
        }
        if (flag == "U" && r.Field("TRUNCATED") != "N") {
          return Reject(kInvalidValue, r.number, "SB.NAME_FLAG",
                        "NAME_FLAG U with TRUNCATED Y");
        }
      } else if (type == "DO") {
        const bool travel = r.Field("DOC_USE") == "T";
        if (travel) {
          if (frame != "RQ") {
            return Reject(kInvalidValue, r.number, "DO.DOC_USE",
                          "a travel document outside a repatriation request");
          }
          if (DigitsValue(r.Field("SUBJ_SEQ")) != 1) {
            return Reject(kInvalidValue, r.number, "DO.DOC_USE",
                          "a travel document of a subject other than 001");
          }
          if (travel_document_seen) {
            return Reject(kInvalidValue, r.number, "DO.DOC_USE",
                          "a second travel document");
          }
          travel_document_seen = true;
        } else if (travel_document_seen &&
                   DigitsValue(r.Field("SUBJ_SEQ")) == 1) {
          return Reject(kInvalidValue, r.number, "DO.DOC_USE",
                        "an identity document after the travel document");
        }
        const bool mrz1 = !r.Trimmed("MRZ_1").empty();
        const bool mrz2 = !r.Trimmed("MRZ_2").empty();
        const bool mrz3 = !r.Trimmed("MRZ_3").empty();
        if (!mrz1 && (mrz2 || mrz3)) {
          return Reject(kMissingValue, r.number, "DO.MRZ_1",
                        "MRZ lines 2 or 3 without line 1");
        }
        if (mrz1 && !mrz2) {
          return Reject(kMissingValue, r.number, "DO.MRZ_2",
                        "an MRZ has at least two lines");
        }
      } else if (type == "NR") {
        const std::string key =
            absl::StrCat(r.Field("TOPIC"), r.Field("TEXT_SEQ"));
        if (key != text_key) {
          text_key = key;
          text_lang = std::string(r.Field("LANG"));
        } else if (r.Field("LANG") != text_lang) {
          return Reject(kInvalidValue, r.number, "NR.LANG",
                        "LANG differs between parts of a text");
        }
      } else if (type == "AT") {
        Outcome rejection = AttachmentRules(i);
        if (rejection) return rejection;
      }
    }
    return std::nullopt;
  }

  static Outcome HeaderRules(const RawRecord& r) {
    const absl::string_view type = r.type();
    if (type == "AL") {
      if (r.Field("TEXT_SUBST") == "N" &&
          DigitsValue(r.Field("NARR_OMITTED")) > 0) {
        return Reject(kInvalidValue, 1, "AL.TEXT_SUBST",
                      "TEXT_SUBST N with texts omitted");
      }
    } else if (type == "RQ") {
      const bool point = !r.Trimmed("HANDOVER_POINT").empty();
      const bool date = !AllOf(r.Field("HANDOVER_DATE"), '0');
      if (point && !date) {
        return Reject(kMissingValue, 1, "RQ.HANDOVER_DATE",
                      "HANDOVER_POINT without HANDOVER_DATE");
      }
      if (date && !point) {
        return Reject(kMissingValue, 1, "RQ.HANDOVER_POINT",
                      "HANDOVER_DATE without HANDOVER_POINT");
      }
    } else if (type == "RD") {
      const bool point = !r.Trimmed("HANDOVER_POINT").empty();
      const bool date = !AllOf(r.Field("HANDOVER_DATE"), '0');
      if (r.Trimmed("STATE") == "HANDOVER_SCHEDULED") {
        if (!point) {
          return Reject(kMissingValue, 1, "RD.HANDOVER_POINT",
                        "HANDOVER_SCHEDULED without HANDOVER_POINT");
        }
        if (!date) {
          return Reject(kMissingValue, 1, "RD.HANDOVER_DATE",
                        "HANDOVER_SCHEDULED without HANDOVER_DATE");
        }
      } else {
        if (point) {
          return Reject(
              kInvalidValue, 1, "RD.HANDOVER_POINT",
              "a handover with a state other than HANDOVER_SCHEDULED");
        }
        if (date) {
          return Reject(
              kInvalidValue, 1, "RD.HANDOVER_DATE",
              "a handover with a state other than HANDOVER_SCHEDULED");
        }
      }
    } else if (type == "NK") {
      const int code = DigitsValue(r.Field("REASON_CODE"));
      if ((r.Field("RETRYABLE") == "Y") != IsRetryable(code)) {
        return Reject(kInvalidValue, 1, "NK.RETRYABLE",
                      "RETRYABLE does not match the class of REASON_CODE");
      }
      if ((code == kFrameLength || code == kRecordStructure) &&
          !r.Trimmed("NAK_MESSAGE_ID").empty()) {
        return Reject(kInvalidValue, 1, "NK.NAK_MESSAGE_ID",
                      "NAK_MESSAGE_ID must be blank for codes 100 and 101");
      }
      if ((code == kFrameLength || code == kRecordStructure) &&
          !r.Trimmed("NAK_BODY_SHA256").empty()) {
        return Reject(kInvalidValue, 1, "NK.NAK_BODY_SHA256",
                      "NAK_BODY_SHA256 must be blank for codes 100 and 101");
      }
      if (code != kFrameLength && code != kRecordStructure &&
          r.Trimmed("NAK_BODY_SHA256").empty()) {
        return Reject(kMissingValue, 1, "NK.NAK_BODY_SHA256",
                      "NAK_BODY_SHA256 is blank for a frame that was read");
      }
    }
    return std::nullopt;
  }

  // The AT record at records_[index] and its AD records.
  Outcome AttachmentRules(size_t index) const {
    const RawRecord& at = records_[index];
    const long long size = DigitsValue64(at.Field("SIZE"));
    const int chunk_count = DigitsValue(at.Field("CHUNK_COUNT"));
    if (at.Field("INCLUDED") == "N") {
      if (chunk_count != 0) {
        return Reject(kInvalidValue, at.number, "AT.CHUNK_COUNT",
                      "CHUNK_COUNT is not 0000 for an attachment not included");
      }
      return std::nullopt;
    }
    const long long expected =
        (size + static_cast<long long>(kChunkLength) - 1) /
        static_cast<long long>(kChunkLength);
    if (chunk_count != expected) {
      return Reject(kInvalidValue, at.number, "AT.CHUNK_COUNT",
                    "CHUNK_COUNT does not fit SIZE");
    }
    std::string content;
    for (int k = 1; k <= chunk_count; ++k) {
      const RawRecord& ad = records_[index + static_cast<size_t>(k)];
      const size_t used =
          static_cast<size_t>(DigitsValue(ad.Field("CHUNK_LEN")));
      if (k < chunk_count && used != kChunkLength) {
        return Reject(kInvalidValue, ad.number, "AD.CHUNK_LEN",
                      "a chunk other than the last is not full");
      }
      const absl::string_view data = ad.Field("DATA").substr(0, used);
      content.append(data.data(), data.size());
    }
    if (static_cast<long long>(content.size()) != size) {
      return Reject(kInvalidValue, at.number, "AT.SIZE",
                    "SIZE differs from the length of the content");
    }
    if (crypto::Sha256Hex(content) != at.Field("SHA256")) {
      return Reject(kInvalidValue, at.number, "AT.SHA256",
                    "SHA256 differs from the digest of the content");
    }
    return std::nullopt;
  }

  Outcome Decode(DecodedFrame* frame) const {
    frame->header_type = std::string(header().type());
    frame->message_id = std::string(header().Trimmed("MESSAGE_ID"));
    frame->sender = std::string(header().Trimmed("SENDER"));
    frame->recipient = std::string(header().Trimmed("RECIPIENT"));
    frame->created_at = std::string(header().Field("CREATED_AT"));
    frame->key_id = std::string(trailer().Field("KEY_ID"));
    for (const RawRecord& r : records_) {
      DecodedRecord record;
      record.type = std::string(r.type());
      record.number = r.number;
      record.offset = r.offset;
      for (const FieldSpec& field : r.spec->fields) {
        const absl::string_view raw = r.Field(field.name);
        switch (field.type) {
          case FieldType::kEol:
            break;
          case FieldType::kA:
            record.fields[field.name] = std::string(TrimRight(raw));
            break;
          case FieldType::kT: {
            const bool allow_lf =
                r.type() == "NR" && absl::string_view(field.name) == "TEXT";
            auto text = Tis620ToUtf8(TrimRight(raw), allow_lf);
            if (!text.ok()) {
              return Reject(kInvalidCharacter, r.number, r.Name(field.name),
                            "the TIS-620 converter refused the field");
            }
            record.fields[field.name] = *std::move(text);
            break;
          }
          default:
            record.fields[field.name] = std::string(raw);
        }
      }
      frame->records.push_back(std::move(record));
    }
    // Join the parts of each text (§5.4).
    for (size_t i = 0; i < records_.size(); ++i) {
      const RawRecord& r = records_[i];
      if (r.type() != "NR" || DigitsValue(r.Field("PART_SEQ")) != 1) continue;
      const int parts = DigitsValue(r.Field("PART_COUNT"));
      std::string bytes;
      for (int k = 0; k < parts; ++k) {
        const absl::string_view part =
            records_[i + static_cast<size_t>(k)].Field("TEXT");
        const absl::string_view used = k + 1 == parts ? TrimRight(part) : part;
        bytes.append(used.data(), used.size());
      }
      auto text = Tis620ToUtf8(bytes, /*allow_lf=*/true);
      if (!text.ok()) {
        return Reject(kInvalidCharacter, r.number, "NR.TEXT",
                      "the TIS-620 converter refused the text");
      }
      DecodedText decoded;
      decoded.topic = std::string(r.Field("TOPIC"));
      decoded.seq = DigitsValue(r.Field("TEXT_SEQ"));
      decoded.lang = std::string(r.Trimmed("LANG"));
      decoded.text = *std::move(text);
      decoded.first_record = r.number;
      frame->texts.push_back(std::move(decoded));
    }
    return std::nullopt;
  }

  absl::string_view body_;
  const ReaderOptions& options_;
  std::vector<RawRecord> records_;
  const crypto::Verifier* verifier_ = nullptr;
};

}  // namespace

const std::string& DecodedRecord::Get(const std::string& name) const {
  static const std::string* empty = new std::string();
  auto it = fields.find(name);
  return it == fields.end() ? *empty : it->second;
}

std::vector<const DecodedRecord*> DecodedFrame::Subjects() const {
  std::vector<const DecodedRecord*> subjects;
  for (const DecodedRecord& record : records) {
    if (record.type == "SB") subjects.push_back(&record);
  }
  return subjects;
}

std::vector<const DecodedRecord*> DecodedFrame::Documents(int subj_seq) const {
  std::vector<const DecodedRecord*> documents;
  for (const DecodedRecord& record : records) {
    if (record.type == "DO" && DigitsValue(record.Get("SUBJ_SEQ")) == subj_seq)
      documents.push_back(&record);
  }
  return documents;
}

ReadResult ReadFrame(absl::string_view body, const ReaderOptions& options) {
  return Reader(body, options).Run();
}

std::string EchoMessageId(absl::string_view body) {
  if (body.size() < 40) return "";
  const absl::string_view id = body.substr(4, 36);
  for (char c : id) {
    if (!IsPermittedAsciiByte(static_cast<uint8_t>(c))) return "";
  }
  return std::string(TrimRight(id));
}

}  // namespace gw::th_rtp_mock
