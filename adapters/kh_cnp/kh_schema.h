// adapters/kh_cnp/kh_schema.h
//
// KH-CNP.schema.json (KH-CNP.md §3), compiled into the program
// (schemas/embedded.h) and loaded once per process, on first use.
// A schema that does not load is a build defect: it is reported as
// INTERNAL by every call that needs it, never a crash.
// Thread safety: the first call loads under a C++ static-initialisation
// guard; the schema is immutable afterwards and may be shared.
#ifndef GW_ADAPTERS_KH_CNP_KH_SCHEMA_H_
#define GW_ADAPTERS_KH_CNP_KH_SCHEMA_H_

#include "absl/status/statusor.h"
#include "adapters/json/json_schema.h"

namespace gw::kh_cnp {

// The loaded schema (owned by the process, never freed), or INTERNAL.
[[nodiscard]] absl::StatusOr<const json::JsonSchema*> KhCnpSchema();

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_SCHEMA_H_
