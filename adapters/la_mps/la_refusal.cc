// adapters/la_mps/la_refusal.cc
//
// See la_refusal.h for the contract. The payload is the three strings
// joined by NUL bytes, which none of them contains (the texts are the
// codec's own, and field paths are ASCII).
#include "adapters/la_mps/la_refusal.h"

#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gateway/ingest/error_reason.h"

namespace gw::la_mps {

absl::Status RefusalStatus(absl::StatusCode code, const Refusal& refusal) {
  if (code == absl::StatusCode::kOk) code = absl::StatusCode::kUnknown;
  const std::string message =
      refusal.error_field.empty()
          ? absl::StrCat(refusal.error_code, ": ", refusal.error_text)
          : absl::StrCat(refusal.error_code, " ", refusal.error_field, ": ",
                         refusal.error_text);
  absl::Status status =
      ingest::WithReason(absl::Status(code, message), refusal.error_code);
  status.SetPayload(
      kRefusalTypeUrl,
      absl::Cord(absl::StrCat(refusal.error_code, std::string(1, '\0'),
                              refusal.error_field, std::string(1, '\0'),
                              refusal.error_text)));
  return status;
}

absl::Status SchemaViolation(absl::string_view field, absl::string_view text) {
  return RefusalStatus(
      absl::StatusCode::kInvalidArgument,
      Refusal{"SCHEMA_VIOLATION", std::string(field), std::string(text)});
}

std::optional<Refusal> RefusalOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kRefusalTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  const std::vector<std::string> parts =
      absl::StrSplit(std::string(*payload), '\0');
  if (parts.size() != 3 || parts[0].empty()) return std::nullopt;
  return Refusal{parts[0], parts[1], parts[2]};
}

}  // namespace gw::la_mps
