// tools/bench/audit_log_fixture.cc
#include "tools/bench/audit_log_fixture.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/util/status_macros.h"
#include "tools/bench/sample_audit_entry.h"

namespace gw::bench {
namespace {

constexpr uint64_t kBuildBatch = 10000;
constexpr uint64_t kReplayChunk = 10000;

std::string CachePath(const std::string& cache_dir, uint64_t size) {
  return absl::StrCat(cache_dir, "/audit-log-", size, "-v",
                      kSampleAuditEntryVersion, ".sqlite");
}

// Removes `path` and its -wal and -shm files, if present.
void RemoveDatabase(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

// Appends SampleAuditEntry(0 .. size-1) to a new database at `path`.
absl::Status BuildLog(const std::string& path, uint64_t size) {
  RemoveDatabase(path);
  store::SqliteStore::Options options;
  options.synchronous_full = false;
  GW_ASSIGN_OR_RETURN(std::unique_ptr<store::SqliteStore> log,
                      store::SqliteStore::Open(path, options));
  const absl::Time start = absl::Now();
  for (uint64_t first = 0; first < size; first += kBuildBatch) {
    const uint64_t count = std::min(kBuildBatch, size - first);
    std::vector<store::Write> writes(count);
    std::vector<store::Write*> batch;
    batch.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      writes[i].op = store::AppendAudit{SampleAuditEntry(first + i)};
      batch.push_back(&writes[i]);
    }
    GW_RETURN_IF_ERROR(log->Commit(batch));
    for (const store::Write& write : writes) {
      GW_RETURN_IF_ERROR(write.result.status);
    }
    const uint64_t done = first + count;
    std::fprintf(stderr,
                 "\rbuilding the %llu-leaf audit log: %llu (%.0f%%), %.0f s",
                 static_cast<unsigned long long>(size),
                 static_cast<unsigned long long>(done), 100.0 * done / size,
                 absl::ToDoubleSeconds(absl::Now() - start));
  }
  std::fprintf(stderr, "\n");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditLogFixture>> AuditLogFixture::Load(
    const std::string& cache_dir, uint64_t size) {
  const std::string path = CachePath(cache_dir, size);
  auto fixture = std::unique_ptr<AuditLogFixture>(new AuditLogFixture());

  // The cached file, if it holds the right number of leaves.
  if (std::filesystem::exists(path)) {
    GW_ASSIGN_OR_RETURN(fixture->store_, store::SqliteStore::Open(path));
    GW_ASSIGN_OR_RETURN(fixture->head_, fixture->store_->AuditHead());
    if (fixture->head_.size == size) {
      std::fprintf(stderr, "audit log: %s (cached)\n", path.c_str());
    } else {
      fixture->store_.reset();
      RemoveDatabase(path);
    }
  }
  if (fixture->store_ == nullptr) {
    const std::string partial = path + ".partial";
    GW_RETURN_IF_ERROR(BuildLog(partial, size));
    std::error_code error;
    std::filesystem::rename(partial, path, error);
    if (error || std::filesystem::exists(partial + "-wal")) {
      return absl::UnavailableError(
          absl::StrCat("cache: cannot move ", partial, " into place"));
    }
    GW_ASSIGN_OR_RETURN(fixture->store_, store::SqliteStore::Open(path));
    GW_ASSIGN_OR_RETURN(fixture->head_, fixture->store_->AuditHead());
  }

  // Replay the stored leaves into memory, as an auditor would.
  std::fprintf(stderr, "audit log: replaying %llu leaves into memory\n",
               static_cast<unsigned long long>(size));
  audit::CompactRange range;
  absl::Status put = absl::OkStatus();
  const auto visit = [&](audit::NodeId id, absl::string_view hash) {
    if (put.ok()) put = fixture->memory_nodes_.Put(id, hash);
  };
  for (uint64_t first = 0; first < size; first += kReplayChunk) {
    GW_ASSIGN_OR_RETURN(std::vector<store::AuditLeaf> leaves,
                        fixture->store_->ReadAuditLog(first, kReplayChunk));
    for (store::AuditLeaf& leaf : leaves) {
      GW_RETURN_IF_ERROR(range.Append(audit::HashLeaf(leaf.leaf_data), visit));
      GW_RETURN_IF_ERROR(put);
      if (fixture->leading_leaves_.size() < kLeadingLeaves) {
        fixture->leading_leaves_.push_back(std::move(leaf.leaf_data));
      }
    }
  }
  if (range.size() != size || range.Root() != fixture->head_.root_hash) {
    return absl::DataLossError(absl::StrCat(
        "cache: ", path, ": replayed root ",
        absl::BytesToHexString(range.Root()), " at size ", range.size(),
        ", store head ", absl::BytesToHexString(fixture->head_.root_hash),
        " at size ", fixture->head_.size, "; delete the file"));
  }

  std::mt19937_64 random(42);
  std::uniform_int_distribution<uint64_t> any_leaf(0, size - 1);
  for (size_t i = 0; i < kSampleLeaves; ++i) {
    GW_ASSIGN_OR_RETURN(std::vector<store::AuditLeaf> leaf,
                        fixture->store_->ReadAuditLog(any_leaf(random), 1));
    if (leaf.size() != 1) {
      return absl::DataLossError(
          absl::StrCat("cache: ", path, ": leaf missing"));
    }
    fixture->sample_leaves_.push_back(std::move(leaf[0]));
  }
  return fixture;
}

}  // namespace gw::bench
