// gateway/policy/policy_parser.cc
#include "gateway/policy/policy_parser.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace gw::policy::internal {
namespace {

using gw::policy::v1::PolicySet;

// Records each error as "FILE:LINE:COL: message", 1-based (the parser
// reports 0-based positions). Warnings are not errors and are dropped.
class FileErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  // `errors` is not owned and must outlive the collector.
  FileErrorCollector(absl::string_view file, std::vector<std::string>* errors)
      : file_(file), errors_(errors) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (line < 0) {
      errors_->push_back(absl::StrCat(file_, ": ", message));
    } else {
      errors_->push_back(
          absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message));
    }
  }

 private:
  std::string file_;
  std::vector<std::string>* errors_;  // not owned
};

void AppendOrigins(const std::string& file, int count,
                   std::vector<ElementOrigin>* origins) {
  for (int i = 0; i < count; ++i) origins->push_back(ElementOrigin{file, i});
}

}  // namespace

absl::StatusOr<ParsedPolicySet> ParsePolicyFiles(
    const std::vector<std::pair<std::string, std::string>>& files) {
  ParsedPolicySet parsed;
  std::vector<std::string> errors;
  for (const auto& [name, content] : files) {
    FileErrorCollector collector(name, &errors);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.AllowUnknownField(false);
    parser.AllowUnknownExtension(false);
    PolicySet file_set;
    const size_t errors_before = errors.size();
    if (!parser.ParseFromString(content, &file_set)) {
      // TextFormat reports through the collector; make sure a failure
      // without a report still names the file.
      if (errors.size() == errors_before) {
        errors.push_back(absl::StrCat(name, ": does not parse as ",
                                      PolicySet::descriptor()->full_name()));
      }
      continue;
    }
    AppendOrigins(name, file_set.agencies_size(), &parsed.agencies);
    AppendOrigins(name, file_set.rpc_rules_size(), &parsed.rpc_rules);
    AppendOrigins(name, file_set.alert_routes_size(), &parsed.alert_routes);
    if (!file_set.label().empty()) parsed.label_files.push_back(name);
    if (file_set.has_limits()) parsed.limits_files.push_back(name);
    parsed.set.MergeFrom(file_set);
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  return parsed;
}

}  // namespace gw::policy::internal
