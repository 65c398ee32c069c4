// adapters/th_rtp/records.cc
//
// See records.h. The tables below transcribe TH-RTP.md §3.5-§3.18 in ICD
// order; offsets follow from the widths.
#include "adapters/th_rtp/records.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gw::th_rtp {
namespace {

using T = FieldType;

struct Row {
  absl::string_view name;
  size_t length;
  FieldType type;
  bool mandatory;
};

constexpr bool M = true;
constexpr bool O = false;

RecordSpec Make(RecordType type, absl::string_view code, size_t length,
                std::vector<Row> rows) {
  RecordSpec spec{type, code, length, {}};
  size_t offset = 0;
  for (const Row& row : rows) {
    spec.fields.push_back(
        FieldSpec{row.name, offset, row.length, row.type, row.mandatory});
    offset += row.length;
  }
  if (offset != length) {
    // A transcription error in the tables below: never ship it.
    std::abort();
  }
  return spec;
}

// §3.5: the 74-byte prefix of the seven header records.
std::vector<Row> Header(std::vector<Row> rest) {
  std::vector<Row> rows = {
      {"REC_TYPE", 2, T::kA, M},    {"FMT_VERSION", 2, T::kN, M},
      {"MESSAGE_ID", 36, T::kA, M}, {"SENDER", 10, T::kA, M},
      {"RECIPIENT", 10, T::kA, M},  {"CREATED_AT", 14, T::kTS, M},
  };
  rows.insert(rows.end(), rest.begin(), rest.end());
  return rows;
}

const std::vector<RecordSpec>& Tables() {
  static const auto* const kTables = new std::vector<RecordSpec>{
      Make(RecordType::kAL, "AL", 528,
           Header({{"ALERT_ID", 64, T::kA, M},
                   {"CASE_REF", 64, T::kA, M},
                   {"KIND", 20, T::kA, M},
                   {"PRIORITY", 8, T::kA, M},
                   {"HANDLING_CODE", 2, T::kA, M},
                   {"ORIGIN_AGENCY", 10, T::kA, M},
                   {"ORIGINATOR", 64, T::kT, M},
                   {"RECIPIENTS", 80, T::kA, M},
                   {"LAST_SEEN_AT", 14, T::kTS, O},
                   {"LAST_SEEN_PLACE", 120, T::kT, O},
                   {"LAST_SEEN_COUNTRY", 3, T::kA, O},
                   {"NARR_OMITTED", 2, T::kN, M},
                   {"TEXT_SUBST", 1, T::kA, M},
                   {"EOL", 2, T::kEol, O}})),
      Make(RecordType::kRQ, "RQ", 387,
           Header({{"REQUEST_ID", 64, T::kA, M},
                   {"CASE_REF", 64, T::kA, M},
                   {"REQUESTING_AGENCY", 10, T::kA, M},
                   {"RECEIVING_AGENCY", 10, T::kA, M},
                   {"IDENTITY_VERIFIED", 1, T::kA, M},
                   {"NATIONALITY_VERIFIED", 1, T::kA, M},
                   {"TRACING_RESULT", 12, T::kA, M},
                   {"BIA_OUTCOME", 12, T::kA, M},
                   {"BIA_DATE", 8, T::kD, O},
                   {"HANDOVER_POINT", 120, T::kT, O},
                   {"HANDOVER_DATE", 8, T::kD, O},
                   {"TEXT_SUBST", 1, T::kA, M},
                   {"EOL", 2, T::kEol, O}})),
      Make(RecordType::kRD, "RD", 377,
           Header({{"REQUEST_ID", 64, T::kA, M},
                   {"CASE_REF", 64, T::kA, M},
                   {"STATE", 20, T::kA, M},
                   {"DECIDED_BY", 10, T::kA, M},
                   {"DECIDED_AT", 14, T::kTS, M},
                   {"HANDOVER_POINT", 120, T::kT, O},
                   {"HANDOVER_DATE", 8, T::kD, O},
                   {"TEXT_SUBST", 1, T::kA, M},
                   {"EOL", 2, T::kEol, O}})),
      Make(RecordType::kCS, "CS", 261,
           Header({{"CASE_REF", 64, T::kA, M},
                   {"OWNER_AGENCY", 10, T::kA, M},
                   {"STATE", 16, T::kA, M},
                   {"UPDATED_AT", 14, T::kTS, M},
                   {"SHARED_WITH", 80, T::kA, O},
                   {"TEXT_SUBST", 1, T::kA, M},
                   {"EOL", 2, T::kEol, O}})),
      Make(RecordType::kAK, "AK", 221,
           Header({{"ACK_MESSAGE_ID", 36, T::kA, M},
                   {"ACK_BODY_SHA256", 64, T::kA, M},
                   {"RECEIVED_AT", 14, T::kTS, M},
                   {"DUPLICATE", 1, T::kA, M},
                   {"PARTNER_REF", 30, T::kA, O},
                   {"EOL", 2, T::kEol, O}})),
      Make(RecordType::kNK, "NK", 424,
           Header({{"NAK_MESSAGE_ID", 36, T::kA, O},
                   {"NAK_BODY_SHA256", 64, T::kA, O},
                   {"RECEIVED_AT", 14, T::kTS, M},
                   {"REASON_CODE", 3, T::kN, M},
                   {"RETRYABLE", 1, T::kA, M},
                   {"RECORD_NO", 6, T::kN, M},
                   {"FIELD_NAME", 24, T::kA, O},
                   {"REASON_TEXT", 200, T::kT, M},
                   {"EOL", 2, T::kEol, O}})),
      Make(RecordType::kHB, "HB", 76, Header({{"EOL", 2, T::kEol, O}})),
      Make(RecordType::kSB, "SB", 512,
           {{"REC_TYPE", 2, T::kA, M},
            {"SUBJ_SEQ", 3, T::kN, M},
            {"ROLE", 8, T::kA, M},
            {"SEX", 1, T::kA, M},
            {"BIRTH_DATE", 8, T::kD, O},
            {"AGE_ESTIMATE", 3, T::kNB, O},
            {"NATIONALITY", 3, T::kA, O},
            {"TH_GIVEN", 60, T::kT, O},
            {"TH_FAMILY", 60, T::kT, O},
            {"TH_FULL", 120, T::kT, O},
            {"LATN_GIVEN", 60, T::kA, O},
            {"LATN_FAMILY", 60, T::kA, O},
            {"LATN_FULL", 120, T::kA, O},
            {"NAME_FLAG", 1, T::kA, M},
            {"TRUNCATED", 1, T::kA, M},
            {"EOL", 2, T::kEol, O}}),
      Make(RecordType::kDO, "DO", 199,
           {{"REC_TYPE", 2, T::kA, M},
            {"SUBJ_SEQ", 3, T::kN, M},
            {"DOC_SEQ", 2, T::kN, M},
            {"DOC_USE", 1, T::kA, M},
            {"DOC_TYPE", 16, T::kA, M},
            {"DOC_NUMBER", 30, T::kA, M},
            {"ISSUING_STATE", 3, T::kA, O},
            {"EXPIRY", 8, T::kD, O},
            {"MRZ_1", 44, T::kA, O},
            {"MRZ_2", 44, T::kA, O},
            {"MRZ_3", 44, T::kA, O},
            {"EOL", 2, T::kEol, O}}),
      Make(RecordType::kNR, "NR", 1028,
           {{"REC_TYPE", 2, T::kA, M},
            {"TOPIC", 4, T::kA, M},
            {"TEXT_SEQ", 2, T::kN, M},
            {"PART_SEQ", 3, T::kN, M},
            {"PART_COUNT", 3, T::kN, M},
            {"LANG", 12, T::kA, M},
            {"TEXT", 1000, T::kT, M},
            {"EOL", 2, T::kEol, O}}),
      Make(RecordType::kAT, "AT", 245,
           {{"REC_TYPE", 2, T::kA, M},
            {"ATT_SEQ", 2, T::kN, M},
            {"NAME", 100, T::kT, M},
            {"MEDIA_TYPE", 60, T::kA, M},
            {"SIZE", 10, T::kN, M},
            {"SHA256", 64, T::kA, M},
            {"INCLUDED", 1, T::kA, M},
            {"CHUNK_COUNT", 4, T::kN, M},
            {"EOL", 2, T::kEol, O}}),
      Make(RecordType::kAD, "AD", 4110,
           {{"REC_TYPE", 2, T::kA, M},
            {"ATT_SEQ", 2, T::kN, M},
            {"CHUNK_SEQ", 4, T::kN, M},
            {"CHUNK_LEN", 4, T::kN, M},
            {"DATA", 4096, T::kBin, M},
            {"EOL", 2, T::kEol, O}}),
      Make(RecordType::kTR, "TR", 144,
           {{"REC_TYPE", 2, T::kA, M},
            {"RECORD_COUNT", 6, T::kN, M},
            {"KEY_ID", 64, T::kA, M},
            {"SIG_ALG", 8, T::kA, M},
            {"SIGNATURE", 64, T::kBin, M}}),
  };
  return *kTables;
}

}  // namespace

const FieldSpec* RecordSpec::Find(absl::string_view field) const {
  for (const FieldSpec& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

const std::vector<const RecordSpec*>& AllRecordSpecs() {
  static const auto* const kAll = [] {
    auto* all = new std::vector<const RecordSpec*>;
    for (const RecordSpec& spec : Tables()) all->push_back(&spec);
    return all;
  }();
  return *kAll;
}

const RecordSpec& Spec(RecordType type) {
  return Tables()[static_cast<size_t>(type)];
}

const RecordSpec* SpecForCode(absl::string_view code) {
  for (const RecordSpec& spec : Tables()) {
    if (spec.code == code) return &spec;
  }
  return nullptr;
}

bool IsHeader(RecordType type) {
  return IsDataHeader(type) || IsControlHeader(type);
}

bool IsDataHeader(RecordType type) {
  return type == RecordType::kAL || type == RecordType::kRQ ||
         type == RecordType::kRD || type == RecordType::kCS;
}

bool IsControlHeader(RecordType type) {
  return type == RecordType::kAK || type == RecordType::kNK ||
         type == RecordType::kHB;
}

absl::string_view TrimTrailingSpaces(absl::string_view value) {
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

bool AllDigits(absl::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

RecordWriter::RecordWriter(RecordType type)
    : spec_(Spec(type)), bytes_(spec_.length, ' ') {
  for (const FieldSpec& f : spec_.fields) {
    switch (f.type) {
      case FieldType::kN:
      case FieldType::kD:
      case FieldType::kTS:
        bytes_.replace(f.offset, f.length, f.length, '0');
        break;
      case FieldType::kBin:
        bytes_.replace(f.offset, f.length, f.length, '\0');
        break;
      case FieldType::kEol:
        bytes_.replace(f.offset, f.length, "\r\n");
        break;
      default:
        break;
    }
  }
  bytes_.replace(0, 2, spec_.code.data(), spec_.code.size());
}

const FieldSpec* RecordWriter::Field(absl::string_view field) {
  const FieldSpec* f = spec_.Find(field);
  if (f == nullptr && status_.ok()) {
    status_ = absl::InternalError(
        absl::StrCat(spec_.code, ".", field, ": no such field"));
  }
  return f;
}

RecordWriter& RecordWriter::Set(absl::string_view field,
                                absl::string_view bytes) {
  const FieldSpec* f = Field(field);
  if (f == nullptr) return *this;
  if (bytes.size() > f->length) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(spec_.code, ".", field, ": ", bytes.size(),
                       " bytes, wider than the field (", f->length, ")"));
    }
    return *this;
  }
  const char pad = f->type == FieldType::kBin ? '\0' : ' ';
  const auto start = bytes_.begin() + static_cast<std::ptrdiff_t>(f->offset);
  std::copy(bytes.begin(), bytes.end(), start);
  std::fill(start + static_cast<std::ptrdiff_t>(bytes.size()),
            start + static_cast<std::ptrdiff_t>(f->length), pad);
  return *this;
}

RecordWriter& RecordWriter::SetNumber(absl::string_view field, uint64_t value) {
  const FieldSpec* f = Field(field);
  if (f == nullptr) return *this;
  std::string digits = absl::StrCat(value);
  if (digits.size() > f->length) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(spec_.code, ".", field, ": ", digits.size(),
                       " digits, wider than the field (", f->length, ")"));
    }
    return *this;
  }
  digits.insert(0, f->length - digits.size(), '0');
  bytes_.replace(f->offset, f->length, digits);
  return *this;
}

absl::StatusOr<std::string> RecordWriter::Finish() && {
  if (!status_.ok()) return status_;
  return std::move(bytes_);
}

absl::string_view RecordView::Raw(absl::string_view field) const {
  const FieldSpec* f = spec_->Find(field);
  if (f == nullptr || f->offset + f->length > bytes_.size()) return {};
  return bytes_.substr(f->offset, f->length);
}

std::string RecordView::FieldName(absl::string_view field) const {
  return absl::StrCat(spec_->code, ".", field);
}

}  // namespace gw::th_rtp
