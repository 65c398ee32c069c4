#include "gateway/ingest/writer.h"

#include <utility>
#include <vector>

namespace gw::ingest {

Writer::Writer(store::Store* store)
    : store_(store), thread_([this] { Run(); }) {}

Writer::~Writer() { Stop(); }

void Writer::Submit(std::unique_ptr<store::Write> write, Done done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(write), std::move(done)});
      return;
    }
  }
  write->result.status =
      absl::UnavailableError("the gateway is shutting down; retry shortly");
  done(*write);
}

void Writer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Writer::SetAfterCommit(AfterCommit after_commit) {
  absl::MutexLock lock(&mu_);
  after_commit_ = std::move(after_commit);
}

void Writer::Run() {
  std::vector<Pending> batch;
  std::vector<store::Write*> writes;
  AfterCommit after_commit;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](Writer* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
            return w->stopping_ || !w->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and everything is written
      if (!after_commit && after_commit_) after_commit = after_commit_;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    writes.clear();
    for (auto& pending : batch) writes.push_back(pending.write.get());
    const absl::Status status = store_->Commit(writes);
    if (status.ok() && after_commit) after_commit(writes);
    for (auto& pending : batch) {
      if (!status.ok()) pending.write->result.status = status;
      pending.done(*pending.write);
    }
    batch.clear();
  }
}

}  // namespace gw::ingest
