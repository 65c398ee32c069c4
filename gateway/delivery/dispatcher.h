// gateway/delivery/dispatcher.h
//
// Dispatcher is the delivery engine (DESIGN.md): it works through the
// durable outbox, which the ingest transaction wrote, and gets each
// delivery to its partner through the partner's adapter, exactly once in
// effect.
//
// Guarantees:
//  * At start it resumes every pending delivery (QUEUED, SENT, RETRYING)
//    from the store; afterwards OnBatchCommitted adds the deliveries of each
//    newly accepted alert. Nothing pending is forgotten across restarts: a
//    delivery whose acknowledgement was not yet recorded when the gateway
//    stopped is sent again with the same message id and the same bytes, and
//    the partner deduplicates it (partners/README.md §2.2).
//  * Before sending, the author's DSSE signature is checked again and this
//    gateway's signature is added (CONTRACT.md §3); Ed25519 is
//    deterministic, so every retry carries the same bytes.
//  * ACKNOWLEDGED only on a verified signed acknowledgement (the codec's
//    verdict, adapters/adapter.h); recorded with the partner's receipt and an
//    audit entry in one store write. A permanent refusal goes to FAILED
//    (dead letter) with the partner's reason, audited. A transport failure
//    goes to RETRYING with the next attempt time (README §2.4 backoff with
//    jitter; Retry-After honoured), stored without an audit entry.
//  * Order (LinkQueue): per case and partner, a delivery goes only after the
//    previous one of that case is delivered, dead-lettered or cancelled;
//    URGENT before HIGH before ROUTINE, then oldest first.
//  * Per partner: at most Adapter::max_in_flight sends outstanding, and a
//    circuit breaker (circuit_breaker.h) that pauses a link that keeps
//    failing. When a failing link recovers, its waiting deliveries are
//    tried at once rather than at the end of their backoff.
//  * Every change is published to WatchDeliveries (DeliveryWatchers) once
//    durable; SENT (not stored) when an attempt starts.
//  * Deliveries to an agency with no partner link stay QUEUED, with a
//    reason saying so (and are reported once at start); they go when a
//    link is configured.
// Threading: one Boost.Asio thread owns all delivery state; public methods
// post to it and may be called from any thread. Store writes go through the
// ingest Writer (the one writer thread).
// Ownership: pointers are not owned and must outlive the dispatcher.
#ifndef GW_DELIVERY_DISPATCHER_H_
#define GW_DELIVERY_DISPATCHER_H_

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "adapters/adapter.h"
#include "gateway/crypto/signer.h"
#include "gateway/delivery/backoff.h"
#include "gateway/delivery/circuit_breaker.h"
#include "gateway/delivery/delivery_operations.h"
#include "gateway/delivery/delivery_watchers.h"
#include "gateway/delivery/link_queue.h"
#include "gateway/ingest/writer.h"
#include "gateway/policy/policy.h"
#include "gateway/store/store.h"

namespace gw::delivery {

struct DispatcherOptions {
  BackoffPolicy backoff;
  CircuitBreaker::Options breaker;
  // Returns the time; tests may pin it.
  std::function<absl::Time()> clock = absl::Now;
  // Where to report things operators must know (stderr in gatewayd).
  std::function<void(const std::string&)> log = [](const std::string&) {};
};

class Dispatcher final : public DeliveryOperations {
 public:
  // `links`: one adapter per partner agency (adapters/registry.h). The
  // dispatcher owns them.
  Dispatcher(std::string local_agency,
             std::shared_ptr<const policy::Policy> policy, store::Store* store,
             ingest::Writer* writer, const crypto::Signer* signing_key,
             std::map<std::string, std::unique_ptr<adapters::Adapter>> links,
             DeliveryWatchers* watchers, DispatcherOptions options = {});
  ~Dispatcher() override;
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Loads the pending deliveries and starts sending. Errors: the store's.
  [[nodiscard]] absl::Status Start();
  // Stops sending, waits (up to `grace`) for attempts in flight and their
  // store writes, then stops the thread. Idempotent. A write still in the
  // writer when the grace ran out is stored, but nothing follows it (no
  // event; an operator's `done` does not run): after Stop() returns, no
  // callback reaches the dispatcher.
  void Stop(absl::Duration grace = absl::Seconds(5));

  // Writer hook (runs on the writer thread after a batch is durable): queues
  // the deliveries of every newly accepted alert of the batch.
  void OnBatchCommitted(absl::Span<store::Write* const> batch);

  // DeliveryOperations.
  void Retry(const identity::Principal& actor, const std::string& message_id,
             Done done) override;
  void Cancel(const identity::Principal& actor, const std::string& message_id,
              const std::string& reason, Done done) override;

  // The adapter of a partner link; nullptr if none. For the inbound path.
  adapters::Adapter* LinkFor(const std::string& agency) const;

 private:
  struct Link;

  // All private methods run on the dispatcher thread.
  void Enqueue(const store::DeliveryRow& row);
  // Records on a QUEUED delivery that no partner link reaches its
  // recipient (no audit entry: nothing happened to it).
  void NoteUnrouted(const store::DeliveryRow& row);
  void Pump(Link& link);
  void ArmTimer(Link& link);
  // False if no attempt started (the dispatcher is stopping).
  bool Send(Link& link, QueuedDelivery delivery);
  void OnAnswer(Link& link, QueuedDelivery delivery,
                const adapters::OutboundMessage& message,
                const adapters::PartnerMessage& sent,
                const adapters::PartnerAnswer& answer);
  void Record(Link& link, QueuedDelivery delivery,
              adapters::DeliveryOutcome outcome);
  void RetryOnThread(const identity::Principal& actor,
                     const std::string& message_id, Done done);
  void CancelOnThread(const identity::Principal& actor,
                      const std::string& message_id, const std::string& reason,
                      Done done);
  // Submits `update` through the writer; `then` runs on the dispatcher
  // thread with the write's result.
  void Write(store::UpdateDelivery update,
             std::function<void(store::WriteResult&)> then);
  gw::v1::AuditEntry EngineAudit(const std::string& action,
                                 const QueuedDelivery& delivery,
                                 const std::string& payload_sha256) const;
  void Publish(const std::string& alert_id, const gw::v1::Delivery& delivery,
               const std::vector<gw::v1::ReceiptWarning>& warnings = {});
  Link* FindLink(const std::string& agency);

  const std::string local_agency_;
  const std::shared_ptr<const policy::Policy> policy_;
  store::Store* const store_;                // not owned
  ingest::Writer* const writer_;             // not owned
  const crypto::Signer* const signing_key_;  // not owned
  DeliveryWatchers* const watchers_;         // not owned
  const DispatcherOptions options_;

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
      work_;
  std::map<std::string, std::unique_ptr<Link>> links_;
  absl::BitGen random_;   // dispatcher thread only
  int64_t next_seq_ = 1;  // dispatcher thread only
  std::thread thread_;

  // Bug fix (use after free): shared with the writer callbacks of Write(),
  // which may run after the dispatcher is gone when Stop()'s grace ran
  // out. They reach io_ only while `open`; Stop() closes it once the thread
  // has ended.
  struct Lifeline {
    absl::Mutex mu;
    bool open ABSL_GUARDED_BY(mu) = true;
  };
  const std::shared_ptr<Lifeline> lifeline_ = std::make_shared<Lifeline>();

  // Attempts and writes not finished yet; Stop waits for zero.
  absl::Mutex mu_;
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gw::delivery

#endif  // GW_DELIVERY_DISPATCHER_H_
