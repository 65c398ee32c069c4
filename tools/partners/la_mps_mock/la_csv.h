// tools/partners/la_mps_mock/la_csv.h
//
// The CSV layer of the LA-MPS file exchange (shared/partners/LA-MPS.md §3.3),
// written from the ICD alone, independent of the gateway's adapters/:
//  * ParseLaCsv reads a `.csv` or `.ack` file into its records, refusing
//    what §3.3 and §8 call MALFORMED_CSV (not UTF-8, not RFC 4180, header
//    record not exactly `field,value` unquoted, a record without CR LF, a
//    field path outside [a-z0-9_.], a duplicate path, CR inside a value) and
//    PAYLOAD_TOO_LARGE (more than 100,000 records after the header).
//    Quoting alone is never an error: a quoted path or value is read as its
//    content.
//  * EncodeLaCsv writes records by the ICD's quoting rules, so that the
//    bytes equal what a conforming writer produces.
// Refusal texts name record numbers and field paths, never values.
// Thread safety: pure functions.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_CSV_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_CSV_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gw::la_mps_mock {

// An `.ack` error: error_code, error_field ("" = none) and error_text.
struct Refusal {
  std::string code;
  std::string field;
  std::string text;
};

struct Record {
  std::string path;
  std::string value;
  // Byte offset of the record's first byte in the file (for `.ack`
  // signatures, which cover every byte before the `signature` record).
  size_t offset = 0;
};

inline constexpr size_t kMaxRecords = 100000;  // after the header record
inline constexpr size_t kMaxCsvBytes = 16u * 1024u * 1024u;

struct CsvParse {
  std::optional<Refusal> refusal;  // set: the file is refused
  std::vector<Record> records;     // without the header record
};

// Parses a whole file. The byte-size limit is the caller's (it applies to
// message `.csv` files before parsing).
CsvParse ParseLaCsv(absl::string_view bytes);

// `field,value` CR LF followed by one record per entry, each ending in CR LF,
// values quoted only where §3.3 says so.
std::string EncodeLaCsv(const std::vector<Record>& records);
// One record (path, value) ending in CR LF.
std::string EncodeLaCsvRecord(absl::string_view path, absl::string_view value);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_CSV_H_
