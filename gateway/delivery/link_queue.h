// gateway/delivery/link_queue.h
//
// LinkQueue holds the pending deliveries of one partner link and decides
// which goes next (partners/README.md §2.5 and issue "URGENT overtakes"):
//  * per case, first in first out: only the oldest pending delivery of a
//    case (its head) may be sent, and only when it is not in flight; the
//    next one waits until the head is delivered, dead-lettered or cancelled
//    (Remove);
//  * among the heads that are due (not_before <= now), the highest priority
//    goes first, then the oldest (lowest seq): an URGENT alert overtakes
//    every queued ROUTINE one.
// Operations are O(log n). No I/O, no clock: the caller passes `now`.
// Thread safety: none; the dispatcher's thread owns it.
#ifndef GW_DELIVERY_LINK_QUEUE_H_
#define GW_DELIVERY_LINK_QUEUE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "gw/v1/alert.pb.h"

namespace gw::delivery {

struct QueuedDelivery {
  int64_t seq = 0;
  std::string message_id;
  std::string alert_id;
  std::string case_ref;
  gw::v1::CaseAlert::Priority priority = gw::v1::CaseAlert::ROUTINE;
  uint32_t attempts = 0;
  // Not sent before this time (backoff, Retry-After).
  absl::Time not_before = absl::InfinitePast();
  bool in_flight = false;
  // An operator's change to it is being recorded (LinkQueue::Hold).
  bool held = false;
};

class LinkQueue {
 public:
  // Adds a delivery. REQUIRES: its message id is not queued.
  void Add(QueuedDelivery delivery);
  // The delivery to send next at `now`, marked in flight; nullopt if no
  // head is due.
  std::optional<QueuedDelivery> TakeNext(absl::Time now);
  // The attempt of `message_id` ended without delivery: it waits until
  // `not_before` and stays the head of its case.
  void Reschedule(const std::string& message_id, uint32_t attempts,
                  absl::Time not_before);
  // Delivered, dead-lettered or cancelled: gone, and the next delivery of
  // its case becomes the head.
  void Remove(const std::string& message_id);
  // Makes a waiting head due now (operator retry, partner recovered).
  void MakeDue(const std::string& message_id);
  void MakeAllDue();
  // Bug fix (operator change racing an attempt): keeps a queued delivery
  // that is not in flight from being taken, and MakeDue/MakeAllDue from
  // making it due, until Unhold or Remove; it stays in its case's order, so
  // the next delivery of its case keeps waiting too. Returns false if it is
  // not queued or is in flight.
  bool Hold(const std::string& message_id);
  void Unhold(const std::string& message_id);

  // nullptr if not queued.
  const QueuedDelivery* Find(const std::string& message_id) const;
  // The earliest not_before among waiting heads; nullopt if none waits.
  std::optional<absl::Time> NextWakeup() const;
  size_t size() const { return by_id_.size(); }
  size_t in_flight() const { return in_flight_; }

 private:
  // (priority descending, seq ascending).
  using ReadyKey = std::tuple<int, int64_t, std::string>;
  // (not_before, seq).
  using WaitKey = std::tuple<absl::Time, int64_t, std::string>;
  // Puts the head of `case_ref` (if any, and not in flight) in waiting_;
  // PromoteDue moves it to ready_ once due.
  void Schedule(const std::string& case_ref);
  void Unschedule(const QueuedDelivery& delivery);
  void PromoteDue(absl::Time now);
  void EndFlight(const std::string& case_ref);

  // Every queued delivery by message id; the case lists hold seqs.
  absl::flat_hash_map<std::string, QueuedDelivery> by_id_;
  // A case's deliveries in order: (seq, message id), so two deliveries
  // with the same seq (store and local numbering) never collide.
  using CaseKey = std::pair<int64_t, std::string>;
  using CaseFifo = std::set<CaseKey>;
  absl::flat_hash_map<std::string, CaseFifo> cases_;
  // Deliveries in flight per case: while one is, no other of the case is
  // scheduled.
  absl::flat_hash_map<std::string, int> cases_in_flight_;
  std::set<ReadyKey> ready_;
  std::set<WaitKey> waiting_;
  size_t in_flight_ = 0;
};

}  // namespace gw::delivery

#endif  // GW_DELIVERY_LINK_QUEUE_H_
