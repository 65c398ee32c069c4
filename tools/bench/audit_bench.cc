// tools/bench/audit_bench.cc
//
// audit_bench: the figures of the tamper-evident audit log (CONTRACT.md §5,
// docs/PERFORMANCE.md "Audit log"), each reported as a ratio to raw SHA-256
// of one audit leaf measured in the same run:
//  * append throughput: CompactRange alone, and SqliteStore commits of 1000
//    AppendAudit writes with synchronous=FULL as in production;
//  * proof latency (mean, p99) at a log of --log_size leaves, from SQLite
//    and from memory;
//  * offline verification: inclusion proofs, and a whole-log replay as
//    `gwctl audit verify-log` does it; SqliteStore::VerifyAuditTree;
//  * checkpoint signing (Ed25519 signed note).
//
// Usage: audit_bench [--quick] [--log_size=N] [--benchmark_* flags]
//  --quick       a log of 100,000 leaves and --benchmark_min_time=0.1
//  --log_size=N  the log the proof benchmarks use (default
//                $GW_BENCH_LOG_SIZE, else 1,000,000)
// Environment: GW_BENCH_LOG_SIZE; GW_BENCH_CACHE_DIR, where the built log is
// cached (default: the build directory); GW_BENCH_TMPDIR (else TMPDIR, else
// /tmp), where the append benchmark writes: put it on the disk to measure.
// tools/bench/run-audit builds and runs it. Not part of the test suite.
#include <openssl/evp.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "benchmark/benchmark.h"
#include "gateway/audit/checkpoint_signer.h"
#include "gateway/audit/compact_range.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/log_origin.h"
#include "gateway/audit/proof_nodes.h"
#include "gateway/audit/proof_verifier.h"
#include "gateway/crypto/openssl_handles.h"
#include "gateway/crypto/sha256.h"
#include "gateway/store/audit_node_reader.h"
#include "gateway/store/sqlite/audit_leaf_data.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/store/store.h"
#include "tools/bench/audit_log_fixture.h"
#include "tools/bench/bench_signing_key.h"
#include "tools/bench/ratio_reporter.h"
#include "tools/bench/sample_audit_entry.h"

namespace gw::bench {
namespace {

constexpr uint64_t kDefaultLogSize = 1000000;
constexpr uint64_t kQuickLogSize = 100000;
constexpr size_t kLeafPoolSize = 65536;  // distinct leaves cycled through
constexpr size_t kAppendBatch = 1000;

struct BenchOptions {
  uint64_t log_size = kDefaultLogSize;
  bool quick = false;
  std::string cache_dir;    // where the large log is cached
  std::string scratch_dir;  // parent of temporary directories
};

// A new directory under `parent`, removed with its contents on destruction.
class ScratchDir {
 public:
  [[nodiscard]] static absl::StatusOr<ScratchDir> Create(
      const std::string& parent) {
    std::string name = parent + "/audit-bench-XXXXXX";
    if (mkdtemp(name.data()) == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("scratch_dir: cannot create a directory in ", parent));
    }
    return ScratchDir(std::move(name));
  }
  ScratchDir(ScratchDir&& other) : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ScratchDir& operator=(ScratchDir&&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }

  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// The large log, loaded by the first benchmark that needs it (before its
// timed loop), so that a --benchmark_filter without proofs never builds it.
class LazyLogFixture {
 public:
  LazyLogFixture(std::string cache_dir, uint64_t size)
      : cache_dir_(std::move(cache_dir)), size_(size) {}

  absl::StatusOr<const AuditLogFixture*> Get() {
    if (!fixture_.has_value()) {
      fixture_ = AuditLogFixture::Load(cache_dir_, size_);
    }
    if (!fixture_->ok()) return fixture_->status();
    return (**fixture_).get();
  }

 private:
  const std::string cache_dir_;
  const uint64_t size_;
  std::optional<absl::StatusOr<std::unique_ptr<AuditLogFixture>>> fixture_;
};

// Ends the benchmark with `status` as its error if it is not OK.
bool Failed(benchmark::State& state, const absl::Status& status) {
  if (status.ok()) return false;
  state.SkipWithError(status.ToString().c_str());
  return true;
}

double Percentile(std::vector<double> samples, double fraction) {
  if (samples.empty()) return 0;
  const size_t rank = std::min(samples.size() - 1,
                               static_cast<size_t>(fraction * samples.size()));
  std::nth_element(samples.begin(), samples.begin() + rank, samples.end());
  return samples[rank];
}

// Sets mean_us, p50_us and p99_us from per-iteration times in seconds.
void ReportLatency(benchmark::State& state,
                   const std::vector<double>& seconds) {
  double total = 0;
  for (double s : seconds) total += s;
  const double mean = seconds.empty() ? 0 : total / seconds.size();
  state.counters["mean_us"] = mean * 1e6;
  state.counters["p50_us"] = Percentile(seconds, 0.50) * 1e6;
  state.counters["p99_us"] = Percentile(seconds, 0.99) * 1e6;
}

// ---------------------------------------------------------------------------
// 1. Baseline: SHA-256 of one serialized audit entry.

void BM_Sha256(benchmark::State& state,
               const std::vector<std::string>* leaves) {
  size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        crypto::Sha256((*leaves)[next++ % leaves->size()]));
  }
  state.SetItemsProcessed(state.iterations());
  double bytes = 0;
  for (const std::string& leaf : *leaves) bytes += leaf.size();
  state.counters["mean_leaf_bytes"] = bytes / leaves->size();
}

// The same digest with the EVP_MD fetched once and the context reused: how
// much of the baseline is OpenSSL's per-call setup (not used for ratios).
void BM_Sha256ReusedContext(benchmark::State& state,
                            const std::vector<std::string>* leaves) {
  using EvpMdPtr =
      std::unique_ptr<EVP_MD, crypto::OpensslDeleter<EVP_MD, EVP_MD_free>>;
  const EvpMdPtr sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  const crypto::EvpMdCtxPtr context(EVP_MD_CTX_new());
  if (sha256 == nullptr || context == nullptr) {
    state.SkipWithError("openssl: cannot fetch SHA256");
    return;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  size_t next = 0;
  for (auto _ : state) {
    const std::string& leaf = (*leaves)[next++ % leaves->size()];
    if (EVP_DigestInit_ex2(context.get(), sha256.get(), nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), leaf.data(), leaf.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest, &digest_size) != 1) {
      state.SkipWithError("openssl: digest failed");
      break;
    }
    benchmark::DoNotOptimize(digest);
  }
  state.SetItemsProcessed(state.iterations());
}

// ---------------------------------------------------------------------------
// 2. CompactRange::Append, the in-memory part of every append.

void BM_CompactRangeAppend(benchmark::State& state,
                           const std::vector<std::string>* leaves,
                           bool prehashed) {
  std::vector<std::string> leaf_hashes;
  if (prehashed) {
    for (const std::string& leaf : *leaves) {
      leaf_hashes.push_back(audit::HashLeaf(leaf));
    }
  }
  audit::CompactRange range;
  uint64_t nodes = 0;
  const auto count = [&nodes](audit::NodeId, absl::string_view) { ++nodes; };
  size_t next = 0;
  for (auto _ : state) {
    const size_t i = next++ % leaves->size();
    const absl::Status appended =
        prehashed ? range.Append(leaf_hashes[i], count)
                  : range.Append(audit::HashLeaf((*leaves)[i]), count);
    if (Failed(state, appended)) break;
  }
  benchmark::DoNotOptimize(range.Root());
  state.SetItemsProcessed(state.iterations());
  state.counters["nodes_per_leaf"] =
      static_cast<double>(nodes) / std::max<int64_t>(1, state.iterations());
}

// ---------------------------------------------------------------------------
// 3. SqliteStore: Commit batches of AppendAudit writes, synchronous=FULL.

void BM_StoreAppendBatched(benchmark::State& state,
                           const BenchOptions* options) {
  absl::StatusOr<ScratchDir> dir = ScratchDir::Create(options->scratch_dir);
  if (Failed(state, dir.status())) return;
  absl::StatusOr<std::unique_ptr<store::SqliteStore>> log =
      store::SqliteStore::Open(dir->path() + "/audit.sqlite");
  if (Failed(state, log.status())) return;

  uint64_t next_entry = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<store::Write> writes(kAppendBatch);
    std::vector<store::Write*> batch;
    for (store::Write& write : writes) {
      write.op = store::AppendAudit{SampleAuditEntry(next_entry++)};
      batch.push_back(&write);
    }
    state.ResumeTiming();
    if (Failed(state, (*log)->Commit(batch))) break;
    if (Failed(state, writes.back().result.status)) break;
  }
  state.SetItemsProcessed(state.iterations() * kAppendBatch);
  state.counters["commits_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// ---------------------------------------------------------------------------
// 4. Inclusion proofs at the large log: plan, one node read, combine.

void BM_InclusionProof(benchmark::State& state, LazyLogFixture* lazy,
                       bool from_sqlite) {
  absl::StatusOr<const AuditLogFixture*> fixture = lazy->Get();
  if (Failed(state, fixture.status())) return;
  const store::StoreNodeReader sqlite_nodes((*fixture)->store());
  const audit::NodeReader& nodes =
      from_sqlite ? static_cast<const audit::NodeReader&>(sqlite_nodes)
                  : (*fixture)->memory_nodes();
  const std::vector<store::AuditLeaf>& leaves = (*fixture)->sample_leaves();
  const uint64_t tree_size = (*fixture)->head().size;

  std::vector<double> seconds;
  seconds.reserve(std::min<size_t>(state.max_iterations, 1 << 22));
  size_t next = 0;
  size_t proof_hashes = 0;
  for (auto _ : state) {
    const uint64_t leaf_index = leaves[next++ % leaves.size()].leaf_index;
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<audit::ProofPlan> plan =
        audit::InclusionProofNodes(leaf_index, tree_size);
    if (Failed(state, plan.status())) break;
    absl::StatusOr<std::vector<std::string>> proof =
        audit::BuildProof(*plan, nodes);
    const std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    if (Failed(state, proof.status())) break;
    proof_hashes = proof->size();
    state.SetIterationTime(elapsed.count());
    seconds.push_back(elapsed.count());
  }
  ReportLatency(state, seconds);
  state.counters["hashes_per_proof"] = proof_hashes;
}

// ---------------------------------------------------------------------------
// 5. Offline verification.

// (a) What a partner does with a receipt: hash the leaf bytes, walk the
// proof to the root, compare with the signed root.
void BM_VerifyInclusion(benchmark::State& state, LazyLogFixture* lazy) {
  absl::StatusOr<const AuditLogFixture*> fixture = lazy->Get();
  if (Failed(state, fixture.status())) return;
  const store::AuditTreeHead& head = (*fixture)->head();
  const std::vector<store::AuditLeaf>& leaves = (*fixture)->sample_leaves();
  std::vector<std::vector<std::string>> proofs;
  for (const store::AuditLeaf& leaf : leaves) {
    absl::StatusOr<audit::ProofPlan> plan =
        audit::InclusionProofNodes(leaf.leaf_index, head.size);
    if (Failed(state, plan.status())) return;
    absl::StatusOr<std::vector<std::string>> proof =
        audit::BuildProof(*plan, (*fixture)->memory_nodes());
    if (Failed(state, proof.status())) return;
    proofs.push_back(*std::move(proof));
  }

  size_t next = 0;
  for (auto _ : state) {
    const size_t i = next++ % leaves.size();
    if (Failed(state,
               audit::VerifyInclusion(audit::HashLeaf(leaves[i].leaf_data),
                                      leaves[i].leaf_index, head.size,
                                      proofs[i], head.root_hash))) {
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hashes_per_proof"] = proofs[0].size();
}

// (b) What `gwctl audit verify-log` does per entry served by GetEntries:
// optionally decode it as a gw.v1.AuditEntry, hash it, append the hash to a
// CompactRange; the root is compared with the checkpoint once at the end.
void BM_VerifyLog(benchmark::State& state,
                  const std::vector<std::string>* leaves, bool parse) {
  audit::CompactRange range;
  const auto ignore = [](audit::NodeId, absl::string_view) {};
  size_t next = 0;
  for (auto _ : state) {
    const std::string& leaf = (*leaves)[next++ % leaves->size()];
    if (parse) {
      gw::v1::AuditEntry entry;
      if (!entry.ParseFromString(leaf)) {
        state.SkipWithError("leaf_data: not a gw.v1.AuditEntry");
        break;
      }
    }
    if (Failed(state, range.Append(audit::HashLeaf(leaf), ignore))) break;
  }
  benchmark::DoNotOptimize(range.Root());
  state.SetItemsProcessed(state.iterations());
}

// The store's own check (gatewayd runs it at start-up): stream every leaf
// and node of the large log, recompute, compare.
void BM_StoreVerifyAuditTree(benchmark::State& state, LazyLogFixture* lazy) {
  absl::StatusOr<const AuditLogFixture*> fixture = lazy->Get();
  if (Failed(state, fixture.status())) return;
  for (auto _ : state) {
    if (Failed(state, (*fixture)->store()->VerifyAuditTree(nullptr))) break;
  }
  state.SetItemsProcessed(state.iterations() * (*fixture)->head().size);
}

// ---------------------------------------------------------------------------
// 6. Checkpoint signing: the C2SP signed note over an Ed25519 signature.

void BM_CheckpointSign(benchmark::State& state, const BenchOptions* options) {
  absl::StatusOr<ScratchDir> dir = ScratchDir::Create(options->scratch_dir);
  if (Failed(state, dir.status())) return;
  absl::StatusOr<BenchSigningKey> key =
      LoadBenchSigningKey(GW_SOURCE_DIR, dir->path());
  if (Failed(state, key.status())) return;
  const std::string origin = audit::AuditLogOrigin(key->agency);
  absl::StatusOr<std::unique_ptr<audit::CheckpointSigner>> signer =
      audit::CheckpointSigner::Create(origin, origin, key->signer.get());
  if (Failed(state, signer.status())) return;
  const std::string root = crypto::Sha256("audit_bench root");

  uint64_t tree_size = options->log_size;
  for (auto _ : state) {
    absl::StatusOr<std::string> note = (*signer)->Sign(tree_size++, root);
    if (Failed(state, note.status())) break;
    benchmark::DoNotOptimize(*note);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(key->source);
}

// ---------------------------------------------------------------------------

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// Reads our flags (after benchmark::Initialize took its own) and the
// environment. Returns false after printing the problem for a bad flag.
bool ParseOptions(int argc, char** argv, BenchOptions* options) {
  std::optional<uint64_t> log_size;
  if (const char* env = std::getenv("GW_BENCH_LOG_SIZE"); env != nullptr) {
    uint64_t size = 0;
    if (!absl::SimpleAtoi(env, &size) || size == 0) {
      std::fprintf(stderr, "GW_BENCH_LOG_SIZE: want a positive integer\n");
      return false;
    }
    log_size = size;
  }
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    uint64_t size = 0;
    if (arg == "--quick") {
      options->quick = true;
    } else if (absl::ConsumePrefix(&arg, "--log_size=") ||
               absl::ConsumePrefix(&arg, "--log-size=")) {
      if (!absl::SimpleAtoi(arg, &size) || size == 0) {
        std::fprintf(stderr, "--log_size: want a positive integer\n");
        return false;
      }
      log_size = size;
    } else {
      std::fprintf(stderr,
                   "%s: unknown flag\nusage: audit_bench [--quick] "
                   "[--log_size=N] [--benchmark_* flags]\n",
                   argv[i]);
      return false;
    }
  }
  options->log_size =
      log_size.value_or(options->quick ? kQuickLogSize : kDefaultLogSize);
  options->cache_dir = EnvOr("GW_BENCH_CACHE_DIR", GW_BENCH_CACHE_DIR);
  options->scratch_dir = EnvOr("GW_BENCH_TMPDIR", EnvOr("TMPDIR", "/tmp"));
  return true;
}

// kLeafPoolSize distinct leaves: the bytes the store would keep.
absl::StatusOr<std::vector<std::string>> MakeLeafPool() {
  std::vector<std::string> leaves;
  leaves.reserve(kLeafPoolSize);
  for (uint64_t i = 0; i < kLeafPoolSize; ++i) {
    absl::StatusOr<std::string> leaf =
        store::AuditLeafDataFromEntry(SampleAuditEntry(i));
    if (!leaf.ok()) return leaf.status();
    leaves.push_back(*std::move(leaf));
  }
  return leaves;
}

int Main(int argc, char** argv) {
  // --quick shortens every benchmark; put first so an explicit
  // --benchmark_min_time given by the user still wins.
  std::vector<char*> args(argv, argv + argc);
  const bool quick = std::find_if(args.begin(), args.end(), [](char* arg) {
                       return absl::string_view(arg) == "--quick";
                     }) != args.end();
  std::string quick_min_time = "--benchmark_min_time=0.1";
  if (quick) args.insert(args.begin() + 1, quick_min_time.data());
  int arg_count = static_cast<int>(args.size());
  benchmark::Initialize(&arg_count, args.data());

  BenchOptions options;
  if (!ParseOptions(arg_count, args.data(), &options)) return 2;
  absl::StatusOr<std::vector<std::string>> leaves = MakeLeafPool();
  if (!leaves.ok()) {
    std::fprintf(stderr, "%s\n", leaves.status().ToString().c_str());
    return 1;
  }
  LazyLogFixture log(options.cache_dir, options.log_size);
  const std::string n = absl::StrCat(options.log_size);
  const std::string at_n = absl::StrCat("at ", options.log_size, " leaves");

  std::vector<Figure> figures;
  const auto rate = [&figures](std::string label, std::string name,
                               std::string unit) {
    figures.push_back({std::move(label), std::move(name), "items_per_second",
                       Figure::Kind::kRate, std::move(unit)});
  };
  const auto latency = [&figures](std::string label, std::string name) {
    figures.push_back(
        {label + ", mean", name, "mean_us", Figure::Kind::kMicros, "us"});
    figures.push_back(
        {label + ", p99", name, "p99_us", Figure::Kind::kMicros, "us"});
  };
  using benchmark::RegisterBenchmark;

  // The baseline runs first and again last; the table shows the drift.
  RegisterBenchmark("BM_Sha256/leaf", BM_Sha256, &*leaves);
  rate("SHA-256 of one leaf (baseline)", "BM_Sha256/leaf", "hashes/s");
  RegisterBenchmark("BM_Sha256/reused_context", BM_Sha256ReusedContext,
                    &*leaves);
  rate("SHA-256, EVP context reused", "BM_Sha256/reused_context", "hashes/s");

  RegisterBenchmark("BM_CompactRangeAppend/prehashed", BM_CompactRangeAppend,
                    &*leaves, true);
  rate("CompactRange append, leaf pre-hashed",
       "BM_CompactRangeAppend/prehashed", "leaves/s");
  RegisterBenchmark("BM_CompactRangeAppend/hash_leaf", BM_CompactRangeAppend,
                    &*leaves, false);
  rate("CompactRange append, HashLeaf included",
       "BM_CompactRangeAppend/hash_leaf", "leaves/s");

  RegisterBenchmark("BM_StoreAppendBatched/1000", BM_StoreAppendBatched,
                    &options)
      ->UseRealTime();
  rate("SqliteStore append, 1000/commit, sync FULL",
       "BM_StoreAppendBatched/1000", "entries/s");

  const std::string proof_sqlite = "BM_InclusionProof/sqlite/" + n;
  const std::string proof_memory = "BM_InclusionProof/memory/" + n;
  RegisterBenchmark(proof_sqlite.c_str(), BM_InclusionProof, &log, true)
      ->UseManualTime();
  latency("inclusion proof " + at_n + ", SQLite", proof_sqlite);
  RegisterBenchmark(proof_memory.c_str(), BM_InclusionProof, &log, false)
      ->UseManualTime();
  latency("inclusion proof " + at_n + ", in memory", proof_memory);

  const std::string verify_inclusion = "BM_VerifyInclusion/" + n;
  RegisterBenchmark(verify_inclusion.c_str(), BM_VerifyInclusion, &log);
  rate("verify inclusion proof " + at_n, verify_inclusion, "proofs/s");
  RegisterBenchmark("BM_VerifyLog/hash_and_range", BM_VerifyLog, &*leaves,
                    false);
  rate("verify log: HashLeaf + CompactRange", "BM_VerifyLog/hash_and_range",
       "entries/s");
  RegisterBenchmark("BM_VerifyLog/parse_hash_and_range", BM_VerifyLog, &*leaves,
                    true);
  rate("verify log: + parse AuditEntry (gwctl)",
       "BM_VerifyLog/parse_hash_and_range", "entries/s");
  const std::string verify_tree = "BM_StoreVerifyAuditTree/" + n;
  RegisterBenchmark(verify_tree.c_str(), BM_StoreVerifyAuditTree, &log)
      ->UseRealTime();
  rate("SqliteStore::VerifyAuditTree " + at_n, verify_tree, "entries/s");

  RegisterBenchmark("BM_CheckpointSign", BM_CheckpointSign, &options);
  rate("checkpoint sign (Ed25519 signed note)", "BM_CheckpointSign", "notes/s");

  RegisterBenchmark("BM_Sha256/leaf_again", BM_Sha256, &*leaves);

  RatioReporter reporter("SHA-256 of one audit leaf",
                         {"BM_Sha256/leaf", "BM_Sha256/leaf_again"},
                         std::move(figures));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace gw::bench

int main(int argc, char** argv) { return gw::bench::Main(argc, argv); }
