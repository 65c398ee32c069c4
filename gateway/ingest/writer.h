// gateway/ingest/writer.h
//
// Writer is the one thread that writes to the Store. Callers on any thread
// Submit() a write with a completion callback; the writer takes everything
// that is queued (up to kMaxBatch writes), commits it as one transaction
// (group commit: one fsync for many messages) and then runs each write's
// callback with its result. A caller is answered only once its write is
// durable.
//
// Guarantees:
//  * Every submitted write's callback runs exactly once, on the writer
//    thread, after its batch committed or failed. If the whole transaction
//    failed, result.status carries that error (ABORTED / UNAVAILABLE /
//    INTERNAL) for every write of the batch.
//  * Writes commit in submission order.
//  * Stop() (and the destructor) finishes every write already submitted;
//    Submit() after Stop() runs the callback at once with UNAVAILABLE.
// Callbacks must not block: they finish RPCs or queue more work.
// Ownership: `store` is not owned and must outlive the writer.
#ifndef GW_INGEST_WRITER_H_
#define GW_INGEST_WRITER_H_

#include <deque>
#include <functional>
#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "gateway/store/store.h"

namespace gw::ingest {

class Writer {
 public:
  using Done = std::function<void(store::Write& write)>;
  // Runs on the writer thread after a batch committed, before the writes'
  // callbacks (the audit log signs its checkpoint and receipts here).
  using AfterCommit =
      std::function<void(absl::Span<store::Write* const> batch)>;
  static constexpr size_t kMaxBatch = 1024;

  explicit Writer(store::Store* store);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Submit(std::unique_ptr<store::Write> write, Done done);
  void Stop();
  // REQUIRES: called before the first Submit().
  void SetAfterCommit(AfterCommit after_commit);

 private:
  struct Pending {
    std::unique_ptr<store::Write> write;
    Done done;
  };
  void Run();

  store::Store* const store_;  // not owned
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  AfterCommit after_commit_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace gw::ingest

#endif  // GW_INGEST_WRITER_H_
