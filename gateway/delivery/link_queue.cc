#include "gateway/delivery/link_queue.h"

#include <utility>

namespace gw::delivery {

void LinkQueue::Add(QueuedDelivery delivery) {
  const std::string id = delivery.message_id;
  const std::string case_ref = delivery.case_ref;
  CaseFifo& fifo = cases_[case_ref];
  const CaseKey key(delivery.seq, id);
  // A new delivery that becomes the head displaces the old head (unless
  // that one is in flight: then nothing of the case goes until it ends).
  if (!fifo.empty() && key < *fifo.begin()) {
    const QueuedDelivery& old_head = by_id_.at(fifo.begin()->second);
    if (!old_head.in_flight) Unschedule(old_head);
  }
  delivery.in_flight = false;
  fifo.insert(key);
  by_id_.emplace(id, std::move(delivery));
  Schedule(case_ref);
}

void LinkQueue::Schedule(const std::string& case_ref) {
  auto it = cases_.find(case_ref);
  if (it == cases_.end() || it->second.empty()) return;
  // One delivery of a case at a time (partners/README.md §2.5), even when
  // an earlier one (a re-queued dead letter) arrived while it was out.
  if (auto busy = cases_in_flight_.find(case_ref);
      busy != cases_in_flight_.end() && busy->second > 0) {
    return;
  }
  const QueuedDelivery& head = by_id_.at(it->second.begin()->second);
  if (head.in_flight || head.held) return;
  waiting_.emplace(head.not_before, head.seq, head.message_id);
}

void LinkQueue::Unschedule(const QueuedDelivery& delivery) {
  waiting_.erase(
      WaitKey(delivery.not_before, delivery.seq, delivery.message_id));
  ready_.erase(ReadyKey(-static_cast<int>(delivery.priority), delivery.seq,
                        delivery.message_id));
}

void LinkQueue::PromoteDue(absl::Time now) {
  while (!waiting_.empty() && std::get<0>(*waiting_.begin()) <= now) {
    const std::string id = std::get<2>(*waiting_.begin());
    waiting_.erase(waiting_.begin());
    const QueuedDelivery& d = by_id_.at(id);
    ready_.emplace(-static_cast<int>(d.priority), d.seq, id);
  }
}

std::optional<QueuedDelivery> LinkQueue::TakeNext(absl::Time now) {
  PromoteDue(now);
  if (ready_.empty()) return std::nullopt;
  const std::string id = std::get<2>(*ready_.begin());
  ready_.erase(ready_.begin());
  QueuedDelivery& d = by_id_.at(id);
  d.in_flight = true;
  ++in_flight_;
  ++cases_in_flight_[d.case_ref];
  return d;
}

void LinkQueue::Reschedule(const std::string& message_id, uint32_t attempts,
                           absl::Time not_before) {
  auto it = by_id_.find(message_id);
  if (it == by_id_.end()) return;
  QueuedDelivery& d = it->second;
  if (d.in_flight) {
    d.in_flight = false;
    --in_flight_;
    EndFlight(d.case_ref);
  } else {
    Unschedule(d);
  }
  d.attempts = attempts;
  d.not_before = not_before;
  Schedule(d.case_ref);
}

void LinkQueue::EndFlight(const std::string& case_ref) {
  auto it = cases_in_flight_.find(case_ref);
  if (it != cases_in_flight_.end() && --it->second <= 0)
    cases_in_flight_.erase(it);
}

void LinkQueue::Remove(const std::string& message_id) {
  auto it = by_id_.find(message_id);
  if (it == by_id_.end()) return;
  const QueuedDelivery d = it->second;
  if (d.in_flight) {
    --in_flight_;
    EndFlight(d.case_ref);
  } else {
    Unschedule(d);
  }
  by_id_.erase(it);
  auto fifo = cases_.find(d.case_ref);
  if (fifo != cases_.end()) {
    fifo->second.erase(CaseKey(d.seq, d.message_id));
    if (fifo->second.empty()) {
      cases_.erase(fifo);
    } else {
      Schedule(d.case_ref);
    }
  }
}

void LinkQueue::MakeDue(const std::string& message_id) {
  auto it = by_id_.find(message_id);
  if (it == by_id_.end() || it->second.in_flight || it->second.held) return;
  QueuedDelivery& d = it->second;
  const bool scheduled =
      waiting_.count(WaitKey(d.not_before, d.seq, d.message_id)) > 0;
  if (scheduled) waiting_.erase(WaitKey(d.not_before, d.seq, d.message_id));
  d.not_before = absl::InfinitePast();
  if (scheduled) waiting_.emplace(d.not_before, d.seq, d.message_id);
}

void LinkQueue::MakeAllDue() {
  std::set<WaitKey> due;
  for (const WaitKey& key : waiting_) {
    QueuedDelivery& d = by_id_.at(std::get<2>(key));
    d.not_before = absl::InfinitePast();
    due.emplace(d.not_before, d.seq, d.message_id);
  }
  waiting_ = std::move(due);
}

bool LinkQueue::Hold(const std::string& message_id) {
  auto it = by_id_.find(message_id);
  if (it == by_id_.end() || it->second.in_flight) return false;
  Unschedule(it->second);
  it->second.held = true;
  return true;
}

void LinkQueue::Unhold(const std::string& message_id) {
  auto it = by_id_.find(message_id);
  if (it == by_id_.end() || !it->second.held) return;
  it->second.held = false;
  Schedule(it->second.case_ref);
}

const QueuedDelivery* LinkQueue::Find(const std::string& message_id) const {
  auto it = by_id_.find(message_id);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::optional<absl::Time> LinkQueue::NextWakeup() const {
  if (waiting_.empty()) return std::nullopt;
  return std::get<0>(*waiting_.begin());
}

}  // namespace gw::delivery
