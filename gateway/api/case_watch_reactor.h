// gateway/api/case_watch_reactor.h
//
// CaseWatchReactor serves one WatchCase stream: it admits the caller, sends
// the case as it is now, then every committed change of it, in order, until
// the caller cancels or the server shuts down. A caller that may not see
// the case gets NOT_FOUND (audited), exactly as GetCaseStatus answers.
//
// Guarantees: updates are sent in commit order, none twice (a status is
// sent only if its history is longer than the last one sent); only one
// write is in flight at a time; if the caller reads slowly, intermediate
// states are coalesced into the latest (a watcher wants the current state,
// and the history field carries every step).
// Lifetime: deletes itself in OnDone, after unsubscribing.
#ifndef GW_API_CASE_WATCH_REACTOR_H_
#define GW_API_CASE_WATCH_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <optional>

#include "absl/synchronization/mutex.h"
#include "gateway/api/gatekeeper.h"
#include "gateway/ingest/case_watchers.h"
#include "gateway/workflow/queries.h"
#include "gw/v1/case.pb.h"

namespace gw::api {

class CaseWatchReactor final
    : public grpc::ServerWriteReactor<gw::v1::CaseStatus> {
 public:
  CaseWatchReactor(grpc::CallbackServerContext* context,
                   const gw::v1::WatchCaseRequest& request,
                   const Gatekeeper* gate, const workflow::Queries* queries,
                   ingest::CaseWatchers* watchers);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;
  // Finishes with `status` unless already finished.
  void FinishOnce(const grpc::Status& status) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Queues `status` if it is newer than what was sent; starts a write if
  // none is in flight.
  void Offer(const gw::v1::CaseStatus& status);
  void StartNextWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  identity::Principal caller_;
  ingest::CaseWatchers* const watchers_;  // not owned
  uint64_t subscription_ = 0;

  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // A refusal is being audited; its callback finishes the stream, so a
  // cancellation meanwhile must not (this must outlive that callback).
  bool refusal_pending_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  int sent_history_size_ ABSL_GUARDED_BY(mu_) = -1;
  std::optional<gw::v1::CaseStatus> pending_ ABSL_GUARDED_BY(mu_);
  gw::v1::CaseStatus in_flight_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gw::api

#endif  // GW_API_CASE_WATCH_REACTOR_H_
