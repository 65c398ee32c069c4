// gateway/api/delivery_watch_reactor.cc
#include "gateway/api/delivery_watch_reactor.h"

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gateway/api/status_conversion.h"

namespace gw::api {
namespace {

constexpr char kRpc[] = "gw.v1.AlertService/WatchDeliveries";
constexpr char kAction[] = "AlertService.WatchDeliveries";

bool IsUnset(const google::protobuf::Timestamp& ts) {
  return ts.seconds() == 0 && ts.nanos() == 0;
}

// Times compared to the microsecond: the store keeps whole microseconds, so
// a stored delivery and the event published for the same change may differ
// below that.
int64_t Micros(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

// True if `event` tells nothing newer than `known` about the same
// recipient. An event without a time is only dropped as an exact repeat:
// the engine's order is then all there is to go by.
bool NotNewer(const gw::v1::Delivery& event, const gw::v1::Delivery& known) {
  if (!IsUnset(event.updated_at()) && !IsUnset(known.updated_at()) &&
      Micros(event.updated_at()) < Micros(known.updated_at())) {
    return true;
  }
  return Micros(event.updated_at()) == Micros(known.updated_at()) &&
         event.state() == known.state() &&
         event.message_id() == known.message_id() &&
         event.attempts() == known.attempts();
}

// Keeps only the last event of each recipient, in the order of those last
// events (so each recipient's newest state survives and stays in order).
void CoalesceByRecipient(std::deque<gw::v1::DeliveryEvent>* events) {
  std::set<std::string> seen;
  std::vector<gw::v1::DeliveryEvent> kept;
  for (auto it = events->rbegin(); it != events->rend(); ++it) {
    if (seen.insert(it->delivery().recipient()).second) {
      kept.push_back(std::move(*it));
    }
  }
  events->assign(std::make_move_iterator(kept.rbegin()),
                 std::make_move_iterator(kept.rend()));
}

}  // namespace

DeliveryWatchReactor::DeliveryWatchReactor(
    grpc::CallbackServerContext* context,
    const gw::v1::WatchDeliveriesRequest& request, const Gatekeeper* gate,
    const workflow::Queries* queries, delivery::DeliveryWatchers* watchers)
    : alert_id_(request.alert_id()), watchers_(watchers) {
  {
    absl::MutexLock lock(&mu_);
    refusal_pending_ = true;
  }
  auto caller = gate->Admit(*context, kRpc, [this](const grpc::Status& s) {
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
  // Subscribe before reading, so no change between the read and the
  // subscription is missed; what arrives before the caller is cleared waits
  // in held_, and repeats of the snapshot are dropped by EnqueueLocked.
  subscription_ = watchers_->Subscribe(
      alert_id_, [this](const gw::v1::DeliveryEvent& event) { Offer(event); });
  absl::StatusOr<gw::v1::AlertRecord> record =
      queries->GetAlert(caller_, alert_id_);
  if (record.ok() && (record->redacted() ||
                      record->alert().origin_agency() != caller_.agency)) {
    // A recipient's copy: watching is the origin agency's alone, and the
    // answer must not tell a recipient more than an unknown id would.
    record = absl::NotFoundError("alert_id: no such alert");
  }
  if (!record.ok()) {
    watchers_->Unsubscribe(subscription_);
    subscription_ = 0;
    {
      absl::MutexLock lock(&mu_);
      held_.clear();
      refusal_pending_ = true;
    }
    gate->pipeline()->AuditRefusal(
        caller_, {kAction, {"alert:" + alert_id_.substr(0, 128)}, ""},
        record.status(), [this](absl::Status s) {
          {
            absl::MutexLock lock(&mu_);
            refusal_pending_ = false;
          }
          FinishOnce(ToGrpcStatus(s));
        });
    return;
  }
  absl::MutexLock lock(&mu_);
  if (finished_) return;  // cancelled meanwhile
  ready_ = true;
  for (const gw::v1::Delivery& delivery : record->deliveries()) {
    gw::v1::DeliveryEvent event;
    event.set_alert_id(alert_id_);
    *event.mutable_delivery() = delivery;
    EnqueueLocked(std::move(event));
  }
  while (!held_.empty()) {
    EnqueueLocked(std::move(held_.front()));
    held_.pop_front();
  }
  if (!writing_) StartNextWriteLocked();
}

void DeliveryWatchReactor::Offer(const gw::v1::DeliveryEvent& event) {
  absl::MutexLock lock(&mu_);
  if (finished_) return;
  if (!ready_) {
    held_.push_back(event);
    if (held_.size() > kMaxQueuedEvents) CoalesceByRecipient(&held_);
    return;
  }
  EnqueueLocked(event);
  if (!writing_) StartNextWriteLocked();
}

void DeliveryWatchReactor::EnqueueLocked(gw::v1::DeliveryEvent event) {
  const std::string& recipient = event.delivery().recipient();
  auto known = newest_.find(recipient);
  if (known != newest_.end() && NotNewer(event.delivery(), known->second)) {
    return;
  }
  newest_[recipient] = event.delivery();
  queue_.push_back(std::move(event));
  if (queue_.size() > kMaxQueuedEvents) CoalesceByRecipient(&queue_);
}

void DeliveryWatchReactor::StartNextWriteLocked() {
  if (queue_.empty() || finished_) return;
  in_flight_ = std::move(queue_.front());
  queue_.pop_front();
  writing_ = true;
  StartWrite(&in_flight_);
}

bool DeliveryWatchReactor::FinishLocked() {
  if (finished_) return false;
  finished_ = true;
  queue_.clear();
  held_.clear();
  return true;
}

void DeliveryWatchReactor::FinishOnce(const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (!FinishLocked()) return;
  }
  Finish(status);
}

void DeliveryWatchReactor::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (ok) {
      StartNextWriteLocked();
      return;
    }
  }
  // The stream is broken (caller gone); OnCancel/OnDone follow.
  FinishOnce(grpc::Status::CANCELLED);
}

void DeliveryWatchReactor::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    // The pending refusal's callback finishes the stream; finishing now
    // would let OnDone delete this before that callback runs.
    if (refusal_pending_) return;
  }
  FinishOnce(grpc::Status::CANCELLED);
}

void DeliveryWatchReactor::OnDone() {
  if (subscription_ != 0) watchers_->Unsubscribe(subscription_);
  delete this;
}

}  // namespace gw::api
