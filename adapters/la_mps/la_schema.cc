// adapters/la_mps/la_schema.cc
//
// See la_schema.h for the contract.
#include "adapters/la_mps/la_schema.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "adapters/la_mps/la_refusal.h"
#include "adapters/la_mps/la_values.h"
#include "gateway/util/uuid.h"

namespace gw::la_mps {

FieldSpec Leaf(std::string name, Format format, bool mandatory,
               size_t max_chars) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.kind = FieldSpec::Kind::kLeaf;
  spec.format = format;
  spec.mandatory = mandatory;
  spec.max_chars = max_chars;
  return spec;
}

FieldSpec Group(std::string name, bool mandatory,
                std::vector<FieldSpec> children) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.kind = FieldSpec::Kind::kGroup;
  spec.mandatory = mandatory;
  spec.children = std::move(children);
  return spec;
}

FieldSpec List(std::string name, size_t max_count,
               std::vector<FieldSpec> children) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.kind = FieldSpec::Kind::kList;
  spec.max_count = max_count;
  spec.children = std::move(children);
  return spec;
}

FieldSpec LeafList(std::string name, Format format, bool mandatory,
                   size_t max_count) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.kind = FieldSpec::Kind::kLeafList;
  spec.format = format;
  spec.mandatory = mandatory;
  spec.max_count = max_count;
  return spec;
}

std::string FieldGroup::PathOf(absl::string_view name) const {
  return path_.empty() ? std::string(name) : absl::StrCat(path_, ".", name);
}

const std::string* FieldGroup::Leaf(absl::string_view name) const {
  auto it = leaves_.find(name);
  return it == leaves_.end() ? nullptr : &it->second;
}

const FieldGroup* FieldGroup::Group(absl::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : it->second.get();
}

const std::vector<std::string>& FieldGroup::LeafList(
    absl::string_view name) const {
  static const std::vector<std::string>* const kEmpty =
      new std::vector<std::string>();
  auto it = leaf_lists_.find(name);
  return it == leaf_lists_.end() ? *kEmpty : it->second;
}

std::vector<const FieldGroup*> FieldGroup::List(absl::string_view name) const {
  std::vector<const FieldGroup*> out;
  auto it = lists_.find(name);
  if (it == lists_.end()) return out;
  for (const auto& entry : it->second) out.push_back(entry.get());
  return out;
}

absl::Status CheckFormat(Format format, absl::string_view value,
                         size_t max_chars) {
  const size_t limit = max_chars == 0 ? kMaxTextChars : max_chars;
  const auto want = [](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("want ", what));
  };
  if (value.empty()) {
    return absl::InvalidArgumentError(
        "empty value; an absent field has no record (LA-MPS.md §3.3)");
  }
  switch (format) {
    case Format::kText:
      return CheckText(value, limit, /*multiline=*/false);
    case Format::kMultilineText:
      return CheckText(value, limit, /*multiline=*/true);
    case Format::kCode:
      return IsCode(value) ? absl::OkStatus()
                           : want("an upper-case code ^[A-Z][A-Z0-9_]*$");
    case Format::kAgency:
      return IsAgencyCode(value) ? absl::OkStatus()
                                 : want("an agency code ^[A-Z]{2}-[A-Z]{2,7}$");
    case Format::kIdentifier:
      return IsIdentifier(value)
                 ? absl::OkStatus()
                 : want("an identifier ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$");
    case Format::kCountry:
      return IsCountryShape(value) ? absl::OkStatus()
                                   : want("an ISO 3166-1 alpha-3 country code");
    case Format::kScript:
      return IsScriptCode(value) ? absl::OkStatus()
                                 : want("an ISO 15924 script code");
    case Format::kLang:
      return IsLanguageTag(value) ? absl::OkStatus()
                                  : want("a BCP 47 language tag");
    case Format::kDate:
      return LaDateToIso(value).status();
    case Format::kPartialDate:
      return LaPartialDateToIso(value).status();
    case Format::kTimestamp:
      return LaToTime(value).status();
    case Format::kYesNo:
      return value == "Y" || value == "N" ? absl::OkStatus() : want("Y or N");
    case Format::kInteger:
      return ParseInteger(value, std::numeric_limits<uint32_t>::max()).status();
    case Format::kSha256:
      return IsLowerHex(value, 64) ? absl::OkStatus()
                                   : want("64 lowercase hex digits");
    case Format::kBase64:
      return Base64DecodeStrict(value).status();
    case Format::kMrz:
      return IsMrzLine(value) ? absl::OkStatus()
                              : want("an MRZ line [A-Z0-9<]{30,44}");
    case Format::kUuid:
      return util::IsLowercaseUuid(value) ? absl::OkStatus()
                                          : want("a lowercase UUID");
    case Format::kMediaType:
      return IsMediaType(value) ? absl::OkStatus()
                                : want("a media type type/subtype");
  }
  return absl::InternalError("unknown format");
}

// Walks records into a FieldGroup tree (see the header).
class FieldTreeBuilder {
 public:
  static absl::StatusOr<FieldGroup> Build(const FieldSpec& root,
                                          absl::Span<const CsvRecord> records) {
    FieldGroup tree("");
    std::vector<uint32_t> previous_key;
    for (const CsvRecord& record : records) {
      std::vector<uint32_t> key;
      absl::Status status = Resolve(root, record.path, &key);
      if (!status.ok()) return status;
      if (!previous_key.empty() && !(previous_key < key)) {
        return SchemaViolation(
            record.path,
            "field out of order: records follow the order of the ICD's "
            "tables, indices ascending, groups depth-first (LA-MPS.md §3.3)");
      }
      status = Insert(root, record, &tree);
      if (!status.ok()) return status;
      previous_key = std::move(key);
    }
    absl::Status status = CheckMandatory(root, tree);
    if (!status.ok()) return status;
    return tree;
  }

 private:
  static const FieldSpec* Child(const FieldSpec& spec, absl::string_view name,
                                uint32_t* position) {
    for (size_t i = 0; i < spec.children.size(); ++i) {
      if (spec.children[i].name == name) {
        *position = static_cast<uint32_t>(i);
        return &spec.children[i];
      }
    }
    return nullptr;
  }

  // A 1-based index segment, or 0 if `segment` is not one.
  static uint32_t Index(absl::string_view segment) {
    if (segment.empty() || segment.size() > 6 || segment[0] == '0') return 0;
    uint32_t value = 0;
    for (char c : segment) {
      if (c < '0' || c > '9') return 0;
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    return value;
  }

  static absl::Status Unknown(absl::string_view path) {
    return SchemaViolation(path,
                           "unknown field: not in the ICD's tables (LA-MPS.md "
                           "§3.4, §3.5, §3.7)");
  }

  // The record's sort key, or the refusal for an unknown path.
  static absl::Status Resolve(const FieldSpec& root, absl::string_view path,
                              std::vector<uint32_t>* key) {
    const std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
    const FieldSpec* spec = &root;
    for (size_t i = 0; i < segments.size(); ++i) {
      uint32_t position = 0;
      const FieldSpec* child = Child(*spec, segments[i], &position);
      if (child == nullptr) return Unknown(path);
      key->push_back(position);
      const bool last = i + 1 == segments.size();
      switch (child->kind) {
        case FieldSpec::Kind::kLeaf:
          if (!last) return Unknown(path);
          break;
        case FieldSpec::Kind::kGroup:
          if (last) return Unknown(path);
          break;
        case FieldSpec::Kind::kList:
        case FieldSpec::Kind::kLeafList: {
          if (last) return Unknown(path);
          const uint32_t index = Index(segments[++i]);
          if (index == 0) {
            return SchemaViolation(
                path,
                "index not a decimal number from 1 without leading zeros "
                "(LA-MPS.md §3.3)");
          }
          key->push_back(index);
          const bool ends = i + 1 == segments.size();
          if ((child->kind == FieldSpec::Kind::kLeafList) != ends) {
            return Unknown(path);
          }
          break;
        }
      }
      spec = child;
    }
    return absl::OkStatus();
  }

  static absl::Status CheckIndex(absl::string_view path, const FieldSpec& spec,
                                 size_t index, size_t size) {
    if (index != size && index != size + 1) {
      return SchemaViolation(
          path, absl::StrCat("indices not contiguous: entry ", size + 1, " of ",
                             spec.name, " is missing (LA-MPS.md §3.3)"));
    }
    if (index > spec.max_count) {
      return SchemaViolation(
          path, absl::StrCat("more than ", spec.max_count, " entries of ",
                             spec.name, " (LA-MPS.md §9)"));
    }
    return absl::OkStatus();
  }

  static absl::Status CheckValue(const FieldSpec& spec,
                                 const CsvRecord& record) {
    absl::Status status =
        CheckFormat(spec.format, record.value, spec.max_chars);
    if (status.ok()) return status;
    return SchemaViolation(record.path, status.message());
  }

  // Stores the record (its path resolved already).
  static absl::Status Insert(const FieldSpec& root, const CsvRecord& record,
                             FieldGroup* tree) {
    const std::vector<absl::string_view> segments =
        absl::StrSplit(record.path, '.');
    const FieldSpec* spec = &root;
    FieldGroup* group = tree;
    for (size_t i = 0; i < segments.size(); ++i) {
      uint32_t position = 0;
      const FieldSpec* child = Child(*spec, segments[i], &position);
      const std::string name(segments[i]);
      switch (child->kind) {
        case FieldSpec::Kind::kLeaf: {
          absl::Status status = CheckValue(*child, record);
          if (!status.ok()) return status;
          group->leaves_[name] = record.value;
          return absl::OkStatus();
        }
        case FieldSpec::Kind::kGroup: {
          std::unique_ptr<FieldGroup>& sub = group->groups_[name];
          if (sub == nullptr) {
            sub = std::make_unique<FieldGroup>(group->PathOf(name));
          }
          group = sub.get();
          break;
        }
        case FieldSpec::Kind::kList: {
          const uint32_t index = Index(segments[++i]);
          auto& entries = group->lists_[name];
          absl::Status status =
              CheckIndex(record.path, *child, index, entries.size());
          if (!status.ok()) return status;
          if (index == entries.size() + 1) {
            entries.push_back(std::make_unique<FieldGroup>(
                absl::StrCat(group->PathOf(name), ".", index)));
          }
          group = entries.back().get();
          break;
        }
        case FieldSpec::Kind::kLeafList: {
          const uint32_t index = Index(segments[++i]);
          auto& entries = group->leaf_lists_[name];
          absl::Status status =
              CheckIndex(record.path, *child, index, entries.size());
          if (!status.ok()) return status;
          status = CheckValue(*child, record);
          if (!status.ok()) return status;
          entries.push_back(record.value);
          return absl::OkStatus();
        }
      }
      spec = child;
    }
    return absl::OkStatus();
  }

  // The path of the first mandatory leaf of an absent group.
  static std::string FirstMandatoryPath(const FieldSpec& spec,
                                        const std::string& path) {
    for (const FieldSpec& child : spec.children) {
      const std::string child_path = absl::StrCat(path, ".", child.name);
      if (child.kind == FieldSpec::Kind::kLeaf && child.mandatory) {
        return child_path;
      }
      if (child.kind == FieldSpec::Kind::kLeafList && child.mandatory) {
        return absl::StrCat(child_path, ".1");
      }
      if (child.kind == FieldSpec::Kind::kGroup && child.mandatory) {
        return FirstMandatoryPath(child, child_path);
      }
    }
    return path;
  }

  static absl::Status Missing(absl::string_view path) {
    return SchemaViolation(path,
                           "mandatory field missing (LA-MPS.md §3.4, §3.5, "
                           "§3.7)");
  }

  static absl::Status CheckMandatory(const FieldSpec& spec,
                                     const FieldGroup& group) {
    for (const FieldSpec& child : spec.children) {
      switch (child.kind) {
        case FieldSpec::Kind::kLeaf:
          if (child.mandatory && group.Leaf(child.name) == nullptr) {
            return Missing(group.PathOf(child.name));
          }
          break;
        case FieldSpec::Kind::kLeafList:
          if (child.mandatory && group.LeafList(child.name).empty()) {
            return Missing(absl::StrCat(group.PathOf(child.name), ".1"));
          }
          break;
        case FieldSpec::Kind::kGroup: {
          const FieldGroup* sub = group.Group(child.name);
          if (sub != nullptr) {
            absl::Status status = CheckMandatory(child, *sub);
            if (!status.ok()) return status;
          } else if (child.mandatory) {
            return Missing(FirstMandatoryPath(child, group.PathOf(child.name)));
          }
          break;
        }
        case FieldSpec::Kind::kList:
          for (const FieldGroup* entry : group.List(child.name)) {
            absl::Status status = CheckMandatory(child, *entry);
            if (!status.ok()) return status;
          }
          break;
      }
    }
    return absl::OkStatus();
  }
};

absl::StatusOr<FieldGroup> BuildFieldTree(const FieldSpec& root,
                                          absl::Span<const CsvRecord> records) {
  return FieldTreeBuilder::Build(root, records);
}

}  // namespace gw::la_mps
