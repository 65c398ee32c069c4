// tools/bench/audit_log_fixture.h
//
// AuditLogFixture is the large audit log that the proof and verification
// benchmarks run against: a SqliteStore holding SampleAuditEntry(0 .. size-1)
// as its leaves, the same tree's nodes in memory (MemoryNodeReader), and some
// leaves with their bytes.
//
// Building a million leaves takes minutes, so the database file is cached
// under `cache_dir`, keyed by size and by kSampleAuditEntryVersion. Load
// opens the cached file if it holds exactly `size` leaves. Otherwise it
// builds the log under a ".partial" name (batches of 10,000 writes,
// synchronous=NORMAL since durability does not matter here, a progress line
// on stderr) and renames it into place only once complete, so an
// interrupted build is never taken for a cache. Then it replays the stored
// leaves into memory and checks the root it computes against the store's
// head.
//
// Errors: the store's own (UNAVAILABLE for a cache directory that cannot be
// created, ...); UNAVAILABLE "cache: ..." if the finished file cannot be
// renamed; DATA_LOSS "cache: ..." if the replayed root differs from the
// store's head (a stale cache from other code: delete it).
// Ownership: the fixture owns its store. Thread safety: after Load, the
// accessors are const and the store's reads may run concurrently.
#ifndef GW_TOOLS_BENCH_AUDIT_LOG_FIXTURE_H_
#define GW_TOOLS_BENCH_AUDIT_LOG_FIXTURE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/store/store.h"
#include "tools/bench/memory_node_reader.h"

namespace gw::bench {

class AuditLogFixture {
 public:
  // Leaves kept with their bytes, at random indexes (fixed seed).
  static constexpr size_t kSampleLeaves = 4096;
  // The leaves kept from the start of the log, for replay benchmarks.
  static constexpr size_t kLeadingLeaves = 65536;

  // See the file comment. REQUIRES: size > 0.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuditLogFixture>> Load(
      const std::string& cache_dir, uint64_t size);

  AuditLogFixture(const AuditLogFixture&) = delete;
  AuditLogFixture& operator=(const AuditLogFixture&) = delete;

  store::SqliteStore* store() const { return store_.get(); }
  const store::AuditTreeHead& head() const { return head_; }
  const MemoryNodeReader& memory_nodes() const { return memory_nodes_; }
  const std::vector<store::AuditLeaf>& sample_leaves() const {
    return sample_leaves_;
  }
  // The bytes of leaves 0, 1, ... (at most kLeadingLeaves of them).
  const std::vector<std::string>& leading_leaves() const {
    return leading_leaves_;
  }

 private:
  AuditLogFixture() = default;

  std::unique_ptr<store::SqliteStore> store_;
  store::AuditTreeHead head_;
  MemoryNodeReader memory_nodes_;
  std::vector<store::AuditLeaf> sample_leaves_;
  std::vector<std::string> leading_leaves_;
};

}  // namespace gw::bench

#endif  // GW_TOOLS_BENCH_AUDIT_LOG_FIXTURE_H_
