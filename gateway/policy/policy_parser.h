// gateway/policy/policy_parser.h
//
// Internal to gw_policy. ParsePolicyFiles turns the text of the policy files
// into one merged PolicySet and remembers, for every repeated element, which
// file it came from and its index there, so that later checks can name
// "agencies.textproto: agencies[2].code" rather than an index into the merge.
//
// Each file is parsed on its own with google::protobuf::TextFormat::Parser
// (unknown fields and extensions are errors) and the results are merged with
// MergeFrom in the order given. The caller sorts the files.
// Errors: INVALID_ARGUMENT with every syntax error of every file, one per
// line, "FILE:LINE:COL: message" with 1-based line and column (a file stops
// at its first error, as TextFormat does).
// Thread safety: pure function, safe from any thread.
#ifndef GW_POLICY_POLICY_PARSER_H_
#define GW_POLICY_POLICY_PARSER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gw/policy/v1/policy.pb.h"

namespace gw::policy::internal {

// Where one element of a repeated field of the merged set was written.
struct ElementOrigin {
  std::string file;  // the file's name, as given
  int index = 0;     // index of the element among those of its file
};

struct ParsedPolicySet {
  gw::policy::v1::PolicySet set;  // every file, merged in order
  // One entry per element of set.agencies / rpc_rules / alert_routes.
  std::vector<ElementOrigin> agencies;
  std::vector<ElementOrigin> rpc_rules;
  std::vector<ElementOrigin> alert_routes;
  // The files that set label, and those that set limits, in order.
  std::vector<std::string> label_files;
  std::vector<std::string> limits_files;
};

// `files` holds (name, content) pairs.
[[nodiscard]] absl::StatusOr<ParsedPolicySet> ParsePolicyFiles(
    const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace gw::policy::internal

#endif  // GW_POLICY_POLICY_PARSER_H_
