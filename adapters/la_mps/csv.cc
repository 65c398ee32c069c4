// adapters/la_mps/csv.cc
//
// See csv.h for the contract.
#include "adapters/la_mps/csv.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "adapters/text/normalize.h"

namespace gw::la_mps {

namespace {

absl::Status Malformed(size_t record, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("record ", record, ": ", what, " (LA-MPS.md §3.3)"));
}

bool IsPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

// Reads one field starting at `*pos`, leaving `*pos` on the byte after it
// (a ',', the CR of CR LF, or the end). `record` is for messages only.
absl::Status ReadField(absl::string_view bytes, size_t record, size_t* pos,
                       std::string* field) {
  field->clear();
  size_t i = *pos;
  if (i < bytes.size() && bytes[i] == '"') {
    ++i;
    while (true) {
      if (i >= bytes.size()) {
        return Malformed(record, "quoted field not closed before the end");
      }
      const char c = bytes[i];
      if (c == '"') {
        if (i + 1 < bytes.size() && bytes[i + 1] == '"') {
          field->push_back('"');
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      // A CR inside a quoted value is RFC 4180; the field rules refuse it
      // ("CR never appears inside a value", §3.3) naming the field.
      field->push_back(c);
      ++i;
    }
    if (i < bytes.size() && bytes[i] != ',' && bytes[i] != '\r') {
      return Malformed(record, "text after the closing quote of a field");
    }
  } else {
    while (i < bytes.size() && bytes[i] != ',' && bytes[i] != '\r') {
      const char c = bytes[i];
      if (c == '"') return Malformed(record, "quote inside an unquoted field");
      if (c == '\n') return Malformed(record, "LF outside a quoted value");
      field->push_back(c);
      ++i;
    }
  }
  *pos = i;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ReadCsv(absl::string_view bytes,
                                               size_t max_records) {
  if (!text::IsValidUtf8(std::string_view(bytes.data(), bytes.size()))) {
    return absl::InvalidArgumentError("file: not valid UTF-8 (LA-MPS.md §3.3)");
  }
  if (bytes.substr(0, kCsvHeader.size()) != kCsvHeader) {
    return absl::InvalidArgumentError(
        "header record: not exactly `field,value` CR LF, unquoted, without a "
        "byte-order mark (LA-MPS.md §3.3)");
  }
  std::vector<CsvRecord> records;
  absl::flat_hash_set<std::string> paths;
  size_t pos = kCsvHeader.size();
  while (pos < bytes.size()) {
    const size_t number = records.size() + 1;
    if (number > max_records) {
      return absl::OutOfRangeError(
          absl::StrCat("file: more than ", max_records,
                       " records after the header record (LA-MPS.md §9)"));
    }
    CsvRecord record;
    record.offset = pos;
    std::vector<std::string> fields(1);
    absl::Status status = ReadField(bytes, number, &pos, &fields.back());
    if (!status.ok()) return status;
    while (pos < bytes.size() && bytes[pos] == ',') {
      // Refused at the third field, not at the end of the line: a hostile
      // line of commas must not become millions of strings.
      if (fields.size() == 2) {
        return Malformed(number, "more than 2 fields, want 2 (path, value)");
      }
      ++pos;
      fields.emplace_back();
      status = ReadField(bytes, number, &pos, &fields.back());
      if (!status.ok()) return status;
    }
    if (pos >= bytes.size()) {
      return Malformed(number, "the last record does not end with CR LF");
    }
    // ReadField stopped on a CR.
    if (pos + 1 >= bytes.size() || bytes[pos + 1] != '\n') {
      return Malformed(number, "CR not followed by LF");
    }
    pos += 2;
    if (fields.size() != 2) {
      return Malformed(
          number, absl::StrCat(fields.size(), " fields, want 2 (path, value)"));
    }
    record.path = std::move(fields[0]);
    record.value = std::move(fields[1]);
    if (record.path.empty()) return Malformed(number, "empty field path");
    for (char c : record.path) {
      if (!IsPathChar(c)) {
        return Malformed(number, "field path not ASCII [a-z0-9_.]");
      }
    }
    if (!paths.insert(record.path).second) {
      return Malformed(number,
                       absl::StrCat("field path ", record.path, " repeated"));
    }
    records.push_back(std::move(record));
  }
  return records;
}

bool NeedsQuoting(absl::string_view value) {
  if (value.empty()) return false;
  if (value.front() == ' ' || value.back() == ' ') return true;
  return value.find_first_of(",\"\r\n") != absl::string_view::npos;
}

void AppendCsvRecord(absl::string_view path, absl::string_view value,
                     std::string* out) {
  out->append(path.data(), path.size());
  out->push_back(',');
  if (NeedsQuoting(value)) {
    out->push_back('"');
    for (char c : value) {
      if (c == '"') out->push_back('"');
      out->push_back(c);
    }
    out->push_back('"');
  } else {
    out->append(value.data(), value.size());
  }
  out->append("\r\n");
}

std::string WriteCsv(const std::vector<CsvRecord>& records) {
  std::string out(kCsvHeader);
  for (const CsvRecord& record : records) {
    AppendCsvRecord(record.path, record.value, &out);
  }
  return out;
}

}  // namespace gw::la_mps
