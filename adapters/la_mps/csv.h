// adapters/la_mps/csv.h
//
// The CSV container of every LA-MPS .csv and .ack file (LA-MPS.md §3.3):
// RFC 4180, UTF-8 without a byte-order mark, every record (the last
// included) ended by CR LF, two columns, the header record exactly
// `field,value` unquoted, then one record per field path and value.
//
//  * ReadCsv accepts any RFC 4180 quoting: a path or value enclosed in `"`
//    although the writing rules would leave it bare is read as its content
//    ("quoting alone is never a reason to reject a file"). It refuses, with
//    INVALID_ARGUMENT (the ICD's MALFORMED_CSV), bytes that are not UTF-8,
//    a header record that is not exactly `field,value` CR LF, a quote inside
//    a bare field or text after a closing quote, a CR outside a quoted value
//    that does not start a record-ending CR LF, an LF outside a quoted
//    value, a record without exactly two fields, a last record not
//    ended by CR LF, a field path that is empty or not ASCII `[a-z0-9_.]`,
//    and a path that appears twice. More than `max_records` records after
//    the header is OUT_OF_RANGE (the ICD's PAYLOAD_TOO_LARGE), reported as
//    soon as the record after the limit starts.
//    Values are returned exactly as they are, never trimmed or normalised:
//    an empty value, or a CR inside a quoted value, is returned as such and
//    the field rules refuse it (SCHEMA_VIOLATION naming the field).
//  * WriteCsv writes records by the rules: a value is quoted only if it
//    contains `,`, `"`, CR or LF or begins or ends with a space, each `"`
//    doubled. Paths are written bare; the caller gives valid paths.
//
// Error messages name the record number (1 = the first record after the
// header) and the rule, never a value (values may be personal data).
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_LA_MPS_CSV_H_
#define GW_ADAPTERS_LA_MPS_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::la_mps {

// The header record, CR LF included.
inline constexpr absl::string_view kCsvHeader = "field,value\r\n";
// Records after the header, at most (LA-MPS.md §9).
inline constexpr size_t kMaxCsvRecords = 100000;

struct CsvRecord {
  std::string path;
  std::string value;
  // Byte offset in the file of the record's first byte (for the .ack
  // signature, which covers every byte before its record, §6.2).
  size_t offset = 0;
};

[[nodiscard]] absl::StatusOr<std::vector<CsvRecord>> ReadCsv(
    absl::string_view bytes, size_t max_records = kMaxCsvRecords);

// True if `value` must be enclosed in quotes when written (§3.3).
bool NeedsQuoting(absl::string_view value);

// One record, CR LF included.
void AppendCsvRecord(absl::string_view path, absl::string_view value,
                     std::string* out);

// The header followed by `records` (their offsets are ignored).
std::string WriteCsv(const std::vector<CsvRecord>& records);

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_CSV_H_
