// tools/bench/sample_audit_entry.h
//
// SampleAuditEntry returns the audit entry the benchmarks append as leaf
// `index`: a realistic gw.v1.AuditEntry (CONTRACT.md §5) of the kind the
// ingest pipeline logs — an agency, role and user, an action name, one or
// two object ids, a payload digest, the decision and the policy version —
// about 260 bytes once serialized, the size of a production leaf (two hex
// digests alone are 128).
//
// Guarantees: deterministic in `index` across runs and builds (no absl::Hash,
// no clock), so a cached benchmark database stays valid; consecutive indexes
// vary every field the store indexes (actor, action, object ids, time).
// kSampleAuditEntryVersion changes whenever the entries do, and names the
// cache file. Thread safety: a pure function.
#ifndef GW_TOOLS_BENCH_SAMPLE_AUDIT_ENTRY_H_
#define GW_TOOLS_BENCH_SAMPLE_AUDIT_ENTRY_H_

#include <cstdint>

#include "gw/v1/audit.pb.h"

namespace gw::bench {

inline constexpr int kSampleAuditEntryVersion = 1;

gw::v1::AuditEntry SampleAuditEntry(uint64_t index);

}  // namespace gw::bench

#endif  // GW_TOOLS_BENCH_SAMPLE_AUDIT_ENTRY_H_
