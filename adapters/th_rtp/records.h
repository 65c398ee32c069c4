// adapters/th_rtp/records.h
//
// The fixed-width record set of TH-RTP (partners/TH-RTP.md §3): one table
// per record type giving each field's name, offset, width, type (§3.4) and
// M/O flag, plus a writer that fills a record field by field and a read-only
// view that reads fields by name. The tables are the single source of every
// width and offset in the adapter; offsets are computed from the widths in
// ICD order, and a unit test checks them against the ICD.
//
// Guarantees: RecordWriter produces exactly RecordSpec::length bytes with
// REC_TYPE set and the CR LF of every record but TR in place; A/T values are
// left-aligned and space-padded, N values right-aligned and zero-padded.
// RecordWriter never truncates: a value wider than its field is an error
// (INVALID_ARGUMENT naming "<REC>.<FIELD>"), as is an unknown field name
// (INTERNAL: a programming error). Errors never contain field values.
// RecordView does not check anything; it assumes the bytes have the record's
// length (frame.h checks that first).
// Thread safety: the tables are immutable; writers and views are values.
#ifndef GW_ADAPTERS_TH_RTP_RECORDS_H_
#define GW_ADAPTERS_TH_RTP_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::th_rtp {

enum class RecordType {
  kAL,
  kRQ,
  kRD,
  kCS,
  kAK,
  kNK,
  kHB,
  kSB,
  kDO,
  kNR,
  kAT,
  kAD,
  kTR
};

// §3.4 field types.
enum class FieldType { kA, kT, kN, kNB, kD, kTS, kBin, kEol };

struct FieldSpec {
  absl::string_view name;
  size_t offset = 0;
  size_t length = 0;
  FieldType type = FieldType::kA;
  bool mandatory = false;
};

struct RecordSpec {
  RecordType type;
  absl::string_view code;  // "AL", "SB", ...
  size_t length = 0;
  std::vector<FieldSpec> fields;

  // nullptr if the record has no such field.
  const FieldSpec* Find(absl::string_view field) const;
};

// Every record type, in §3.1 order.
const std::vector<const RecordSpec*>& AllRecordSpecs();
const RecordSpec& Spec(RecordType type);
// The spec whose two-character code is `code`; nullptr for an unknown one.
const RecordSpec* SpecForCode(absl::string_view code);

// Header records (§3.5) and the data/control split (§1).
bool IsHeader(RecordType type);
bool IsDataHeader(RecordType type);     // AL RQ RD CS
bool IsControlHeader(RecordType type);  // AK NK HB

// Permitted bytes (§5.1).
inline bool IsAsciiFieldByte(unsigned char b) { return b >= 0x20 && b <= 0x7E; }
inline bool IsThaiFieldByte(unsigned char b) {
  return IsAsciiFieldByte(b) || (b >= 0xA1 && b <= 0xDA) ||
         (b >= 0xDF && b <= 0xFB);
}
// Above/below vowels and tone marks that follow their base consonant
// (§5.1, §5.3 step 6): D1, D4-DA, E7-EE.
inline bool IsThaiCombiningByte(unsigned char b) {
  return b == 0xD1 || (b >= 0xD4 && b <= 0xDA) || (b >= 0xE7 && b <= 0xEE);
}

// `value` without trailing spaces (§5.2: readers remove trailing spaces).
absl::string_view TrimTrailingSpaces(absl::string_view value);
// True if every byte of `value` is an ASCII digit (and it is not empty).
bool AllDigits(absl::string_view value);

// Builds one record. Fields not set stay blank: spaces for A/T/NB, zeros
// for N/D/TS, 00 bytes for BIN.
class RecordWriter {
 public:
  explicit RecordWriter(RecordType type);

  // A, T, D, TS, BIN fields: `bytes` left-aligned, padded with spaces (00
  // for BIN). D and TS values must have the full width.
  RecordWriter& Set(absl::string_view field, absl::string_view bytes);
  // N and NB fields: `value` in decimal, right-aligned, zero-padded.
  RecordWriter& SetNumber(absl::string_view field, uint64_t value);

  // The record, or the first error of a Set/SetNumber call.
  [[nodiscard]] absl::StatusOr<std::string> Finish() &&;

 private:
  const FieldSpec* Field(absl::string_view field);

  const RecordSpec& spec_;
  std::string bytes_;
  absl::Status status_;
};

// One record of a received body. `number` is its 1-based place in the body
// (NK RECORD_NO).
class RecordView {
 public:
  RecordView(const RecordSpec& spec, absl::string_view bytes, int number)
      : spec_(&spec), bytes_(bytes), number_(number) {}

  RecordType type() const { return spec_->type; }
  const RecordSpec& spec() const { return *spec_; }
  absl::string_view bytes() const { return bytes_; }
  int number() const { return number_; }

  // The field's bytes as written; empty for an unknown name.
  absl::string_view Raw(absl::string_view field) const;
  // Raw without trailing spaces.
  absl::string_view Value(absl::string_view field) const {
    return TrimTrailingSpaces(Raw(field));
  }
  // "<REC>.<FIELD>", the NK FIELD_NAME form (§8).
  std::string FieldName(absl::string_view field) const;

 private:
  const RecordSpec* spec_;
  absl::string_view bytes_;
  int number_;
};

}  // namespace gw::th_rtp

#endif  // GW_ADAPTERS_TH_RTP_RECORDS_H_
