#include "gateway/api/case_watch_reactor.h"

#include <utility>

#include "gateway/api/status_conversion.h"

namespace gw::api {

CaseWatchReactor::CaseWatchReactor(grpc::CallbackServerContext* context,
                                   const gw::v1::WatchCaseRequest& request,
                                   const Gatekeeper* gate,
                                   const workflow::Queries* queries,
                                   ingest::CaseWatchers* watchers)
    : watchers_(watchers) {
  {
    absl::MutexLock lock(&mu_);
    refusal_pending_ = true;
  }
  auto caller = gate->Admit(*context, "gw.v1.CaseService/WatchCase",
                            [this](const grpc::Status& s) {
                              {
                                absl::MutexLock lock(&mu_);
                                refusal_pending_ = false;
                              }
                              FinishOnce(s);
                            });
  if (!caller) return;
  {
    absl::MutexLock lock(&mu_);
    refusal_pending_ = false;
  }
  caller_ = *std::move(caller);
  const std::string case_ref = request.case_ref();
  // Subscribe before reading, so no change between the read and the
  // subscription is missed; Offer() drops anything not newer.
  subscription_ =
      watchers_->Subscribe(case_ref, [this](const gw::v1::CaseStatus& status) {
        if (workflow::Queries::MaySeeCase(caller_, status)) Offer(status);
      });
  auto now = queries->GetCase(caller_, case_ref);
  if (!now.ok()) {
    watchers_->Unsubscribe(subscription_);
    subscription_ = 0;
    {
      absl::MutexLock lock(&mu_);
      refusal_pending_ = true;
    }
    gate->pipeline()->AuditRefusal(
        caller_,
        {"CaseService.WatchCase", {"case:" + case_ref.substr(0, 128)}, ""},
        now.status(), [this](absl::Status s) {
          {
            absl::MutexLock lock(&mu_);
            refusal_pending_ = false;
          }
          FinishOnce(ToGrpcStatus(s));
        });
    return;
  }
  Offer(*now);
}

void CaseWatchReactor::Offer(const gw::v1::CaseStatus& status) {
  absl::MutexLock lock(&mu_);
  if (finished_) return;
  const int size = status.history_size();
  const int newest_known =
      pending_.has_value() ? pending_->history_size() : sent_history_size_;
  if (size <= newest_known) return;
  pending_ = status;
  if (!writing_) StartNextWriteLocked();
}

void CaseWatchReactor::StartNextWriteLocked() {
  if (!pending_.has_value()) return;
  in_flight_ = *std::move(pending_);
  pending_.reset();
  sent_history_size_ = in_flight_.history_size();
  writing_ = true;
  StartWrite(&in_flight_);
}

void CaseWatchReactor::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (ok) {
      if (!finished_) StartNextWriteLocked();
      return;
    }
  }
  // The stream is broken (caller gone); OnCancel/OnDone follow.
  FinishOnce(grpc::Status::CANCELLED);
}

void CaseWatchReactor::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    // The pending refusal's callback finishes the stream; finishing now
    // would let OnDone delete this before that callback runs.
    if (refusal_pending_) return;
  }
  FinishOnce(grpc::Status::CANCELLED);
}

void CaseWatchReactor::FinishOnce(const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
  }
  // Outside mu_: once finished, OnDone may delete this at any moment.
  Finish(status);
}

void CaseWatchReactor::OnDone() {
  if (subscription_ != 0) watchers_->Unsubscribe(subscription_);
  delete this;
}

}  // namespace gw::api
