// gateway/audit/checkpoint.cc
#include "gateway/audit/checkpoint.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/note_format.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {
namespace {

// A non-empty line of note text: no newline, no control character.
absl::Status CheckLine(absl::string_view field, absl::string_view line) {
  if (line.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": empty"));
  }
  if (line.find('\n') != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": has a newline"));
  }
  return CheckNoteCharacters(field, line);
}

absl::StatusOr<uint64_t> ParseTreeSize(absl::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) {
    return absl::InvalidArgumentError(
        "tree_size: want decimal digits without leading zeros");
  }
  uint64_t size = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) {
      return absl::InvalidArgumentError("tree_size: want decimal digits");
    }
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (size > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return absl::InvalidArgumentError("tree_size: over 2^64-1");
    }
    size = size * 10 + digit;
  }
  return size;
}

absl::StatusOr<std::string> ParseRootHash(absl::string_view text) {
  std::string root;
  if (!absl::Base64Unescape(text, &root) || absl::Base64Escape(root) != text) {
    return absl::InvalidArgumentError("root_hash: not canonical base64");
  }
  if (root.size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("root_hash: ", root.size(), " bytes, want ", kHashSize));
  }
  return root;
}

}  // namespace

absl::StatusOr<std::string> FormatCheckpointBody(
    const CheckpointBody& checkpoint) {
  GW_RETURN_IF_ERROR(CheckLine("origin", checkpoint.origin));
  if (checkpoint.root_hash.size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("root_hash: ", checkpoint.root_hash.size(),
                     " bytes, want ", kHashSize));
  }
  std::string body =
      absl::StrCat(checkpoint.origin, "\n", checkpoint.tree_size, "\n",
                   absl::Base64Escape(checkpoint.root_hash), "\n");
  for (size_t i = 0; i < checkpoint.extensions.size(); ++i) {
    GW_RETURN_IF_ERROR(CheckLine(absl::StrCat("extensions[", i, "]"),
                                 checkpoint.extensions[i]));
    absl::StrAppend(&body, checkpoint.extensions[i], "\n");
  }
  return body;
}

absl::StatusOr<CheckpointBody> ParseCheckpointBody(absl::string_view body) {
  if (body.empty() || body.back() != '\n') {
    return absl::InvalidArgumentError("body: want text ending in a newline");
  }
  body.remove_suffix(1);
  const std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: ", lines.size(), " lines, want at least 3"));
  }
  CheckpointBody checkpoint;
  GW_RETURN_IF_ERROR(CheckLine("origin", lines[0]));
  checkpoint.origin = std::string(lines[0]);
  GW_ASSIGN_OR_RETURN(checkpoint.tree_size, ParseTreeSize(lines[1]));
  GW_ASSIGN_OR_RETURN(checkpoint.root_hash, ParseRootHash(lines[2]));
  for (size_t i = 3; i < lines.size(); ++i) {
    GW_RETURN_IF_ERROR(
        CheckLine(absl::StrCat("extensions[", i - 3, "]"), lines[i]));
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

}  // namespace gw::audit
