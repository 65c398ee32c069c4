// adapters/la_mps/la_schema.h
//
// The field tables of LA-MPS.md §3.4-§3.7 as data (FieldSpec trees), and
// the reading of a file's records against one (BuildFieldTree).
//
// A FieldSpec lists a group's fields in the order of the ICD's table. A
// record's field path is walked through the tree: a name selects a field,
// a list (`names.{j}`) or leaf list (`recipients.{i}`) takes a 1-based index
// as its next segment. Each record gets a sort key (per segment: the
// field's position in its table, or the index), and the ICD's ordering
// rules (§3.3: table order, ascending indices, nested groups depth-first)
// are exactly "keys strictly increase from record to record".
//
// BuildFieldTree checks, record by record in file order: the path names a
// field of the table [unknown]; its key follows the previous record's
// [out of order]; indices are decimal without leading zeros, 1-based,
// contiguous and within the list's count limit; the value has the field's
// format (la_values.h). Then, in table order, every mandatory field of
// every group that is present [missing]. Each failure is the refusal
// SCHEMA_VIOLATION naming the record's path (for a missing field, the path
// it would have). Named sub-groups (`victim`, `last_seen`, ...) are present
// when any record is under them; a group marked mandatory (a subject's
// `person`) is required whenever its parent is present.
//
// Thread safety: specs are immutable; functions are pure.
#ifndef GW_ADAPTERS_LA_MPS_LA_SCHEMA_H_
#define GW_ADAPTERS_LA_MPS_LA_SCHEMA_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "adapters/la_mps/csv.h"

namespace gw::la_mps {

// Value formats of §3.3.
enum class Format {
  kText,           // one line
  kMultilineText,  // LF allowed (narratives, notes)
  kCode,           // ^[A-Z][A-Z0-9_]*$ (enumeration names, document types)
  kAgency,
  kIdentifier,
  kCountry,
  kScript,
  kLang,
  kDate,
  kPartialDate,
  kTimestamp,
  kYesNo,
  kInteger,
  kSha256,  // 64 lowercase hex digits (digests, key ids)
  kBase64,
  kMrz,
  kUuid,
  kMediaType,
};

struct FieldSpec {
  enum class Kind { kLeaf, kGroup, kList, kLeafList };
  std::string name;
  Kind kind = Kind::kLeaf;
  Format format = Format::kText;    // kLeaf, kLeafList
  bool mandatory = false;           // kLeafList: at least one entry
  size_t max_chars = 0;             // text formats; 0 = kMaxTextChars
  size_t max_count = 0;             // kList, kLeafList
  std::vector<FieldSpec> children;  // kGroup, kList
};

// Builders for readable tables.
FieldSpec Leaf(std::string name, Format format, bool mandatory,
               size_t max_chars = 0);
FieldSpec Group(std::string name, bool mandatory,
                std::vector<FieldSpec> children);
FieldSpec List(std::string name, size_t max_count,
               std::vector<FieldSpec> children);
FieldSpec LeafList(std::string name, Format format, bool mandatory,
                   size_t max_count);

// One present group of a file: its leaves, leaf lists, sub-groups and
// lists, by field name. The root group has path "".
class FieldGroup {
 public:
  explicit FieldGroup(std::string path) : path_(std::move(path)) {}
  FieldGroup(const FieldGroup&) = delete;
  FieldGroup& operator=(const FieldGroup&) = delete;
  FieldGroup(FieldGroup&&) = default;
  FieldGroup& operator=(FieldGroup&&) = default;

  const std::string& path() const { return path_; }
  // The path of field `name` of this group, e.g. "subjects.1.role".
  std::string PathOf(absl::string_view name) const;
  // nullptr when absent.
  const std::string* Leaf(absl::string_view name) const;
  const FieldGroup* Group(absl::string_view name) const;
  // Empty when absent.
  const std::vector<std::string>& LeafList(absl::string_view name) const;
  std::vector<const FieldGroup*> List(absl::string_view name) const;

 private:
  friend class FieldTreeBuilder;
  std::string path_;
  std::map<std::string, std::string, std::less<>> leaves_;
  std::map<std::string, std::vector<std::string>, std::less<>> leaf_lists_;
  std::map<std::string, std::unique_ptr<FieldGroup>, std::less<>> groups_;
  std::map<std::string, std::vector<std::unique_ptr<FieldGroup>>, std::less<>>
      lists_;
};

// Reads `records` (a file's records after any it handles itself, such as
// the seven header records) against the group `root` (see above).
// Errors: INVALID_ARGUMENT carrying the refusal SCHEMA_VIOLATION.
[[nodiscard]] absl::StatusOr<FieldGroup> BuildFieldTree(
    const FieldSpec& root, absl::Span<const CsvRecord> records);

// OK if `value` has `format` (and, for text, at most `max_chars`
// characters, 0 = kMaxTextChars); otherwise INVALID_ARGUMENT whose message
// states the rule. REQUIRES: valid UTF-8.
[[nodiscard]] absl::Status CheckFormat(Format format, absl::string_view value,
                                       size_t max_chars);

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_LA_SCHEMA_H_
