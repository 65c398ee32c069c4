// tools/partners/la_mps_mock/la_csv.cc
#include "tools/partners/la_mps_mock/la_csv.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "tools/partners/la_mps_mock/la_formats.h"

namespace gw::la_mps_mock {
namespace {

constexpr absl::string_view kHeaderRecord = "field,value\r\n";

Refusal Malformed(std::string text, std::string field = "") {
  return Refusal{"MALFORMED_CSV", std::move(field), std::move(text)};
}

bool IsPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

// Reads one field starting at *pos. On success *pos is at the byte after
// the field (',' or CR or the end).
std::optional<std::string> ReadField(absl::string_view bytes, size_t* pos,
                                     size_t record_number,
                                     std::optional<Refusal>* refusal) {
  std::string out;
  size_t i = *pos;
  if (i < bytes.size() && bytes[i] == '"') {
    ++i;
    while (true) {
      if (i >= bytes.size()) {
        *refusal = Malformed(absl::StrCat("record ", record_number,
                                          ": quoted value is not closed"));
        return std::nullopt;
      }
      const char c = bytes[i];
      if (c == '"') {
        if (i + 1 < bytes.size() && bytes[i + 1] == '"') {
          out.push_back('"');
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      if (c == '\r') {
        *refusal = Malformed(absl::StrCat(
            "record ", record_number,
            ": CR inside a quoted value (a line break in a value is LF)"));
        return std::nullopt;
      }
      out.push_back(c);
      ++i;
    }
    if (i < bytes.size() && bytes[i] != ',' && bytes[i] != '\r') {
      *refusal = Malformed(
          absl::StrCat("record ", record_number,
                       ": text after the closing quote of a quoted value"));
      return std::nullopt;
    }
    *pos = i;
    return out;
  }
  while (i < bytes.size() && bytes[i] != ',' && bytes[i] != '\r') {
    const char c = bytes[i];
    if (c == '"') {
      *refusal = Malformed(absl::StrCat(
          "record ", record_number,
          ": '\"' inside an unquoted value (RFC 4180 needs quoting)"));
      return std::nullopt;
    }
    if (c == '\n') {
      *refusal = Malformed(absl::StrCat(
          "record ", record_number,
          ": LF outside quotes (records end in CR LF; a line break in a "
          "value needs quoting)"));
      return std::nullopt;
    }
    out.push_back(c);
    ++i;
  }
  *pos = i;
  return out;
}

bool NeedsQuoting(absl::string_view value) {
  if (value.empty()) return false;
  if (value.front() == ' ' || value.back() == ' ') return true;
  return value.find_first_of(",\"\r\n") != absl::string_view::npos;
}

}  // namespace

CsvParse ParseLaCsv(absl::string_view bytes) {
  CsvParse result;
  size_t bad_offset = 0;
  if (!IsValidUtf8(bytes, &bad_offset)) {
    result.refusal =
        Malformed(absl::StrCat("not UTF-8 (byte offset ", bad_offset, ")"));
    return result;
  }
  if (bytes.substr(0, kHeaderRecord.size()) != kHeaderRecord) {
    result.refusal = Malformed(
        "the first record is not exactly field,value (unquoted, no byte-order "
        "mark, ending in CR LF)");
    return result;
  }
  std::set<std::string> seen;
  size_t pos = kHeaderRecord.size();
  size_t record_number = 1;  // the header is record 1
  while (pos < bytes.size()) {
    ++record_number;
    const size_t start = pos;
    std::vector<std::string> fields;
    while (true) {
      std::optional<std::string> field =
          ReadField(bytes, &pos, record_number, &result.refusal);
      if (!field.has_value()) return result;
      fields.push_back(*std::move(field));
      if (pos >= bytes.size()) {
        result.refusal = Malformed(absl::StrCat("record ", record_number,
                                                ": does not end with CR LF"));
        return result;
      }
      if (bytes[pos] == ',') {
        ++pos;
        continue;
      }
      // bytes[pos] == '\r'
      if (pos + 1 >= bytes.size() || bytes[pos + 1] != '\n') {
        result.refusal = Malformed(
            absl::StrCat("record ", record_number, ": CR not followed by LF"));
        return result;
      }
      pos += 2;
      break;
    }
    if (fields.size() != 2) {
      result.refusal = Malformed(absl::StrCat(
          "record ", record_number, " has ", fields.size(), " fields; want 2"));
      return result;
    }
    const std::string& path = fields[0];
    bool path_ok = !path.empty();
    for (char c : path) path_ok = path_ok && IsPathChar(c);
    if (!path_ok) {
      result.refusal = Malformed(absl::StrCat(
          "record ", record_number, ": field path is not [a-z0-9_.]+"));
      return result;
    }
    if (!seen.insert(path).second) {
      result.refusal = Malformed(
          absl::StrCat("record ", record_number, ": duplicate field path"),
          path);
      return result;
    }
    if (result.records.size() == kMaxRecords) {
      result.refusal =
          Refusal{"PAYLOAD_TOO_LARGE", "",
                  absl::StrCat("more than ", kMaxRecords,
                               " records after the header record field,value")};
      return result;
    }
    result.records.push_back(Record{path, std::move(fields[1]), start});
  }
  return result;
}

std::string EncodeLaCsvRecord(absl::string_view path, absl::string_view value) {
  std::string out(path);
  out.push_back(',');
  if (NeedsQuoting(value)) {
    out.push_back('"');
    for (char c : value) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  } else {
    out.append(value.data(), value.size());
  }
  out.append("\r\n");
  return out;
}

std::string EncodeLaCsv(const std::vector<Record>& records) {
  std::string out(kHeaderRecord);
  for (const Record& r : records) out += EncodeLaCsvRecord(r.path, r.value);
  return out;
}

}  // namespace gw::la_mps_mock
