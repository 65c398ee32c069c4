// adapters/la_mps/la_refusal.h
//
// An LA-MPS refusal (LA-MPS.md §8) carried on an absl::Status: the
// `error_code`, `error_field` and `error_text` that the gateway's REJECTED
// .ack for the message will hold. LaMpsCodec::Decode returns its refusals
// this way; EncodeAnswer writes them back unchanged. The refusal travels as
// a status payload (kRefusalTypeUrl), so it survives layers that only pass
// the status on; the status also carries the error code as its
// gateway/ingest/error_reason.h reason, for the audit entry.
//
// The status message is "<error_code> <error_field>: <error_text>" (without
// the field when there is none). Texts name fields and rules, never values.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_LA_MPS_LA_REFUSAL_H_
#define GW_ADAPTERS_LA_MPS_LA_REFUSAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gw::la_mps {

inline constexpr char kRefusalTypeUrl[] = "gw.adapters.la_mps/refusal";

struct Refusal {
  std::string error_code;   // e.g. "SCHEMA_VIOLATION"
  std::string error_field;  // field path, or "" when none applies
  std::string error_text;   // one line, English
};

// A non-OK status of `code` carrying `refusal`.
absl::Status RefusalStatus(absl::StatusCode code, const Refusal& refusal);

// INVALID_ARGUMENT SCHEMA_VIOLATION for `field`.
absl::Status SchemaViolation(absl::string_view field, absl::string_view text);

// The refusal `status` carries, if any.
std::optional<Refusal> RefusalOf(const absl::Status& status);

}  // namespace gw::la_mps

#endif  // GW_ADAPTERS_LA_MPS_LA_REFUSAL_H_
