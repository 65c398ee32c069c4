#include "gateway/delivery/dispatcher.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/utf8.h"
#include "gateway/util/uuid.h"

namespace gw::delivery {
namespace {

constexpr char kEngineRole[] = "gateway";
constexpr char kEngineUser[] = "delivery-engine";

// Failpoint for crash tests (tests/integration, tools/bench/crash):
// GW_FAILPOINT=delivery.before_record_ack kills the process after a partner
// acknowledged a delivery and before the acknowledgement is recorded, the
// worst moment for exactly-once delivery.
bool CrashBeforeRecordingAcknowledgement() {
  static const bool enabled = [] {
    const char* failpoint = std::getenv("GW_FAILPOINT");
    return failpoint != nullptr &&
           std::string(failpoint) == "delivery.before_record_ack";
  }();
  return enabled;
}

// "INVALID_ARGUMENT FIELD_INVALID payload.subjects: <partner's text>" ->
// "INVALID_ARGUMENT FIELD_INVALID payload.subjects": the codes and field a
// codec puts before the partner's own words.
std::string AuditableReason(absl::string_view reason) {
  const size_t colon = reason.find(": ");
  return util::ScrubUtf8(
      util::TruncateUtf8(reason.substr(0, std::min<size_t>(colon, 200)), 200));
}

// A partner's Retry-After is obeyed up to this long: it is not signed, and
// one absurd date must not park a case's messages for years. The partner
// is asked again at least this often and may say "later" again.
constexpr absl::Duration kMaxRetryAfter = absl::Hours(1);

bool IsPending(gw::v1::Delivery::State state) {
  return state == gw::v1::Delivery::QUEUED || state == gw::v1::Delivery::SENT ||
         state == gw::v1::Delivery::RETRYING;
}

// The outbound envelope: the author's signature checked again (it was
// verified at ingest; a store that was tampered with must not make us sign
// for it), then this gateway's countersignature.
absl::StatusOr<gw::v1::Envelope> CountersignedEnvelope(
    const gw::v1::AlertRecord& record, const crypto::Signer& signing_key) {
  gw::v1::Envelope envelope = record.envelope();
  if (envelope.signatures_size() == 0) {
    return absl::FailedPreconditionError(
        "envelope.signatures: the stored alert has no author signature");
  }
  auto author =
      crypto::Verifier::FromCertificateDer(envelope.signatures(0).cert_der());
  if (!author.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("envelope.signatures[0].", author.status().message()));
  }
  if (absl::Status s = crypto::VerifyEnvelopeSignature(envelope, 0, **author);
      !s.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored author signature does not verify: ", s.message()));
  }
  // Keep only the author's signature: a stored envelope never carries ours,
  // and a retry must produce the same bytes.
  while (envelope.signatures_size() > 1)
    envelope.mutable_signatures()->RemoveLast();
  if (absl::Status s = crypto::SignEnvelope(signing_key, &envelope); !s.ok())
    return s;
  return envelope;
}

}  // namespace

struct Dispatcher::Link {
  Link(std::string agency_in, std::unique_ptr<adapters::Adapter> adapter_in,
       CircuitBreaker::Options breaker_options, boost::asio::io_context& io)
      : agency(std::move(agency_in)),
        adapter(std::move(adapter_in)),
        breaker(breaker_options),
        timer(io) {}

  const std::string agency;
  const std::unique_ptr<adapters::Adapter> adapter;
  LinkQueue queue;
  CircuitBreaker breaker;
  boost::asio::steady_timer timer;
  // An operator asked for an attempt now: one send passes an open breaker.
  bool probe_now = false;
};

Dispatcher::Dispatcher(
    std::string local_agency, std::shared_ptr<const policy::Policy> policy,
    store::Store* store, ingest::Writer* writer,
    const crypto::Signer* signing_key,
    std::map<std::string, std::unique_ptr<adapters::Adapter>> links,
    DeliveryWatchers* watchers, DispatcherOptions options)
    : local_agency_(std::move(local_agency)),
      policy_(std::move(policy)),
      store_(store),
      writer_(writer),
      signing_key_(signing_key),
      watchers_(watchers),
      options_(std::move(options)),
      work_(boost::asio::make_work_guard(io_)) {
  for (auto& [agency, adapter] : links) {
    links_.emplace(agency, std::make_unique<Link>(agency, std::move(adapter),
                                                  options_.breaker, io_));
  }
}

Dispatcher::~Dispatcher() { Stop(); }

absl::Status Dispatcher::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (started_) return absl::OkStatus();
    started_ = true;
  }
  auto pending = store_->PendingDeliveries();
  if (!pending.ok()) {
    return absl::Status(
        pending.status().code(),
        absl::StrCat("loading the outbox: ", pending.status().message()));
  }
  std::map<std::string, int> unrouted;
  for (const store::DeliveryRow& row : *pending) {
    next_seq_ = std::max(next_seq_, row.seq + 1);
    if (FindLink(row.delivery.recipient()) == nullptr) {
      ++unrouted[row.delivery.recipient()];
      NoteUnrouted(row);
      continue;
    }
    Enqueue(row);
  }
  for (const auto& [agency, count] : unrouted) {
    options_.log(absl::StrCat(
        count, " deliveries to ", agency,
        " wait: no partner link is configured for it (add a `partners` "
        "entry to policies/ and restart)"));
  }
  if (!pending->empty()) {
    options_.log(
        absl::StrCat("resuming ", pending->size(), " pending deliveries"));
  }
  thread_ = std::thread([this] { io_.run(); });
  for (auto& [agency, link] : links_) {
    Link* l = link.get();
    boost::asio::post(io_, [this, l] { Pump(*l); });
  }
  return absl::OkStatus();
}

void Dispatcher::Stop(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
    const absl::Time deadline = absl::Now() + grace;
    auto idle = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return outstanding_ == 0;
    };
    if (started_) mu_.AwaitWithDeadline(absl::Condition(&idle), deadline);
  }
  for (auto& [agency, link] : links_) link->adapter->transport().Stop();
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&lifeline_->mu);
  lifeline_->open = false;
}

adapters::Adapter* Dispatcher::LinkFor(const std::string& agency) const {
  auto it = links_.find(agency);
  return it == links_.end() ? nullptr : it->second->adapter.get();
}

Dispatcher::Link* Dispatcher::FindLink(const std::string& agency) {
  auto it = links_.find(agency);
  return it == links_.end() ? nullptr : it->second.get();
}

void Dispatcher::OnBatchCommitted(absl::Span<store::Write* const> batch) {
  std::vector<store::DeliveryRow> rows;
  for (const store::Write* write : batch) {
    const auto* accept = std::get_if<store::AcceptAlert>(&write->op);
    if (accept == nullptr || !write->result.status.ok() ||
        write->result.duplicate) {
      continue;
    }
    const gw::v1::AlertRecord& record =
        write->result.alert.has_value() ? *write->result.alert : accept->record;
    for (const gw::v1::Delivery& delivery : record.deliveries()) {
      store::DeliveryRow row;
      row.alert_id = record.alert().alert_id();
      row.case_ref = record.alert().case_ref();
      row.origin_agency = record.alert().origin_agency();
      row.priority = record.alert().priority();
      row.delivery = delivery;
      rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) return;
  boost::asio::post(io_, [this, rows = std::move(rows)]() mutable {
    std::vector<Link*> touched;
    for (store::DeliveryRow& row : rows) {
      // Outbox order: the writer commits in acceptance order and this runs
      // in commit order, so local sequence numbers follow the store's.
      row.seq = next_seq_++;
      Link* link = FindLink(row.delivery.recipient());
      if (link == nullptr) {
        NoteUnrouted(row);
        continue;
      }
      Enqueue(row);
      if (std::find(touched.begin(), touched.end(), link) == touched.end())
        touched.push_back(link);
    }
    for (Link* link : touched) Pump(*link);
  });
}

void Dispatcher::NoteUnrouted(const store::DeliveryRow& row) {
  // Said on the delivery itself, so GetAlert and WatchDeliveries tell the
  // investigator why it waits, not only the operator's log.
  const std::string reason = absl::StrCat(
      "waiting: no partner link is configured for ", row.delivery.recipient(),
      " at this gateway (policies/partners.textproto)");
  if (row.delivery.state() != gw::v1::Delivery::QUEUED ||
      row.delivery.reason() == reason) {
    return;
  }
  store::UpdateDelivery update;
  update.message_id = row.delivery.message_id();
  update.at = options_.clock();
  update.delivery = row.delivery;
  update.delivery.set_reason(reason);
  const std::string alert_id = row.alert_id;
  Write(std::move(update), [this, alert_id](store::WriteResult& result) {
    if (result.status.ok() && result.delivery.has_value())
      Publish(alert_id, result.delivery->delivery);
  });
}

void Dispatcher::Enqueue(const store::DeliveryRow& row) {
  Link* link = FindLink(row.delivery.recipient());
  if (link == nullptr || !IsPending(row.delivery.state())) return;
  if (link->queue.Find(row.delivery.message_id()) != nullptr) return;
  QueuedDelivery d;
  d.seq = row.seq;
  d.message_id = row.delivery.message_id();
  d.alert_id = row.alert_id;
  d.case_ref = row.case_ref;
  d.priority = row.priority == gw::v1::CaseAlert::PRIORITY_UNSPECIFIED
                   ? gw::v1::CaseAlert::ROUTINE
                   : row.priority;
  d.attempts = row.delivery.attempts();
  if (row.delivery.has_next_attempt_at())
    d.not_before = util::FromTimestamp(row.delivery.next_attempt_at());
  link->queue.Add(std::move(d));
}

void Dispatcher::Pump(Link& link) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
  }
  const absl::Time now = options_.clock();
  const int max_in_flight = std::max(1, link.adapter->max_in_flight());
  while (static_cast<int>(link.queue.in_flight()) < max_in_flight) {
    const int in_flight = static_cast<int>(link.queue.in_flight());
    if (!link.breaker.MaySend(now, in_flight) &&
        !(link.probe_now && in_flight == 0)) {
      break;
    }
    std::optional<QueuedDelivery> next = link.queue.TakeNext(now);
    if (!next.has_value()) break;
    link.probe_now = false;
    if (!Send(link, *std::move(next))) break;
  }
  ArmTimer(link);
}

void Dispatcher::ArmTimer(Link& link) {
  const absl::Time now = options_.clock();
  // Bug fix (busy loop): with every send slot taken, or the half-open
  // breaker's one probe out, nothing can start before an attempt ends, and
  // its end pumps the link. A timer for a head that is already due would
  // fire at once, again and again, for as long as the attempt lasts.
  const int in_flight = static_cast<int>(link.queue.in_flight());
  if (in_flight >= std::max(1, link.adapter->max_in_flight()) ||
      (in_flight > 0 &&
       link.breaker.StateAt(now) == CircuitBreaker::State::kHalfOpen)) {
    return;
  }
  std::optional<absl::Time> wake = link.queue.NextWakeup();
  if (link.queue.size() > link.queue.in_flight() &&
      link.breaker.StateAt(now) == CircuitBreaker::State::kOpen) {
    wake = wake.has_value() ? std::max(*wake, link.breaker.open_until())
                            : link.breaker.open_until();
  }
  if (!wake.has_value()) return;
  const absl::Duration delay = std::max(absl::ZeroDuration(), *wake - now);
  link.timer.expires_after(absl::ToChronoNanoseconds(delay));
  Link* l = &link;
  link.timer.async_wait([this, l](const boost::system::error_code& error) {
    if (!error) Pump(*l);
  });
}

bool Dispatcher::Send(Link& link, QueuedDelivery delivery) {
  {
    absl::MutexLock lock(&mu_);
    // Bug fix: Stop() may have begun after Pump() looked, and seen nothing
    // outstanding; an attempt started now would go out unrecorded while
    // the transport stops. It waits for the next start instead.
    if (stopping_) {
      link.queue.Reschedule(delivery.message_id, delivery.attempts,
                            delivery.not_before);
      return false;
    }
    ++outstanding_;
  }
  gw::v1::Delivery sent_event;
  sent_event.set_recipient(link.agency);
  sent_event.set_state(gw::v1::Delivery::SENT);
  sent_event.set_message_id(delivery.message_id);
  sent_event.set_attempts(delivery.attempts + 1);
  *sent_event.mutable_updated_at() = util::ToTimestamp(options_.clock());
  Publish(delivery.alert_id, sent_event);

  auto record = store_->GetAlert(delivery.alert_id);
  if (!record.ok()) {
    Record(link, std::move(delivery),
           adapters::DeliveryOutcome::Transient(
               absl::StrCat("cannot read the alert from the store: ",
                            record.status().message())));
    return true;
  }
  auto message = std::make_shared<adapters::OutboundMessage>();
  message->message_id = delivery.message_id;
  message->recipient = link.agency;
  message->payload_sha256 = record->payload_sha256();
  message->alert_id = delivery.alert_id;
  message->case_ref = delivery.case_ref;
  message->priority = delivery.priority;
  auto envelope = CountersignedEnvelope(*record, *signing_key_);
  if (!envelope.ok()) {
    Record(link, std::move(delivery),
           adapters::DeliveryOutcome::Permanent(
               std::string(envelope.status().message())));
    return true;
  }
  message->envelope = *std::move(envelope);
  auto encoded = link.adapter->codec().Encode(*message);
  if (!encoded.ok()) {
    // Only INVALID_ARGUMENT says the message can never be carried
    // (adapter.h); any other failure is this gateway's (a schema that did
    // not load, a misconfigured key) and waits for an operator, retried.
    Record(link, std::move(delivery),
           absl::IsInvalidArgument(encoded.status())
               ? adapters::DeliveryOutcome::Permanent(
                     absl::StrCat("cannot be expressed in ", link.agency,
                                  "'s format: ", encoded.status().message()))
               : adapters::DeliveryOutcome::Transient(absl::StrCat(
                     "could not be encoded for ", link.agency, " (",
                     absl::StatusCodeToString(encoded.status().code()),
                     "): ", encoded.status().message())));
    return true;
  }
  auto sent = std::make_shared<adapters::PartnerMessage>(*std::move(encoded));
  Link* l = &link;
  link.adapter->transport().Send(*sent, [this, l, delivery, message,
                                         sent](adapters::PartnerAnswer answer) {
    boost::asio::post(io_, [this, l, delivery, message, sent,
                            answer = std::move(answer)]() mutable {
      OnAnswer(*l, std::move(delivery), *message, *sent, answer);
    });
  });
  return true;
}

void Dispatcher::OnAnswer(Link& link, QueuedDelivery delivery,
                          const adapters::OutboundMessage& message,
                          const adapters::PartnerMessage& sent,
                          const adapters::PartnerAnswer& answer) {
  adapters::DeliveryOutcome outcome =
      link.adapter->codec().ReadAnswer(message, sent, answer);
  if (outcome.kind == adapters::DeliveryOutcome::Kind::kDelivered &&
      !outcome.receipt.has_value()) {
    outcome = adapters::DeliveryOutcome::Transient(
        "the adapter reported delivery without a receipt");
  }
  if (outcome.kind == adapters::DeliveryOutcome::Kind::kDelivered &&
      CrashBeforeRecordingAcknowledgement()) {
    // Crash tests: the partner has the message, we have no record of it.
    std::raise(SIGKILL);
  }
  Record(link, std::move(delivery), std::move(outcome));
}

void Dispatcher::Record(Link& link, QueuedDelivery delivery,
                        adapters::DeliveryOutcome outcome) {
  const absl::Time now = options_.clock();
  const uint32_t attempts = delivery.attempts + 1;
  store::UpdateDelivery update;
  update.message_id = delivery.message_id;
  update.at = now;
  gw::v1::Delivery& d = update.delivery;
  d.set_recipient(link.agency);
  d.set_message_id(delivery.message_id);
  d.set_attempts(attempts);
  std::string payload_sha256;
  if (outcome.receipt.has_value())
    payload_sha256 = outcome.receipt->payload_sha256();

  absl::Time next_attempt = now;
  // Bug fix: "a failing link recovers" means its breaker had tripped (open
  // or half-open). RecordSuccess() also reports failures below the
  // threshold, and making every waiting delivery due on the first success
  // after one stray failure threw away their backoff and the partner's
  // Retry-After (partners/README.md 2.4).
  const bool link_recovers =
      link.breaker.StateAt(now) != CircuitBreaker::State::kClosed;
  switch (outcome.kind) {
    case adapters::DeliveryOutcome::Kind::kDelivered:
      d.set_state(gw::v1::Delivery::ACKNOWLEDGED);
      *d.mutable_receipt() = *outcome.receipt;
      update.audit =
          EngineAudit("Delivery.Acknowledged", delivery, payload_sha256);
      link.breaker.RecordSuccess();
      if (link_recovers) link.queue.MakeAllDue();
      break;
    case adapters::DeliveryOutcome::Kind::kPermanentFailure:
      d.set_state(gw::v1::Delivery::FAILED);
      // Partners' words: proto3 strings must stay valid UTF-8 to be read.
      d.set_reason(util::ScrubUtf8(outcome.reason));
      update.audit = EngineAudit("Delivery.DeadLettered", delivery, "");
      update.audit->set_decision("DENY");
      update.audit->set_outcome("FAILED_PRECONDITION");
      // Only the partner's code, reason and field: its free text stays
      // with the delivery, out of the immutable audit log (CONTRACT.md §5).
      update.audit->set_reason(AuditableReason(outcome.reason));
      // A refusal is an answer: the link works.
      link.breaker.RecordSuccess();
      if (link_recovers) link.queue.MakeAllDue();
      break;
    case adapters::DeliveryOutcome::Kind::kTransientFailure: {
      d.set_state(gw::v1::Delivery::RETRYING);
      d.set_reason(util::ScrubUtf8(outcome.reason));
      const double u = absl::Uniform(random_, 0.0, 1.0);
      next_attempt = now + RetryDelay(options_.backoff, attempts + 1, u);
      if (outcome.retry_after.has_value()) {
        next_attempt = std::max(
            next_attempt, std::min(*outcome.retry_after, now + kMaxRetryAfter));
      }
      *d.mutable_next_attempt_at() = util::ToTimestamp(next_attempt);
      link.breaker.RecordFailure(now);
      break;
    }
  }
  const auto kind = outcome.kind;
  Link* l = &link;
  Write(std::move(update), [this, l, delivery, kind, next_attempt, attempts,
                            warnings = std::move(outcome.warnings)](
                               store::WriteResult& result) {
    if (!result.status.ok()) {
      if (absl::IsNotFound(result.status) ||
          absl::IsFailedPrecondition(result.status)) {
        // Gone or already final in the store: nothing more to send.
        l->queue.Remove(delivery.message_id);
      } else {
        // Not recorded: try again later. If it was delivered, the
        // partner answers the resend with the same receipt.
        options_.log(absl::StrCat(
            "delivery ", delivery.message_id,
            ": recording its outcome failed: ", result.status.message()));
        const double u = absl::Uniform(random_, 0.0, 1.0);
        l->queue.Reschedule(
            delivery.message_id, attempts,
            options_.clock() + RetryDelay(options_.backoff, attempts + 1, u));
      }
      Pump(*l);
      return;
    }
    if (kind == adapters::DeliveryOutcome::Kind::kTransientFailure) {
      l->queue.Reschedule(delivery.message_id, attempts, next_attempt);
    } else {
      l->queue.Remove(delivery.message_id);
    }
    if (result.delivery.has_value())
      Publish(delivery.alert_id, result.delivery->delivery, warnings);
    Pump(*l);
  });
  // Bug fix: the attempt stays outstanding until its write is (Write()
  // above), so Stop() never sees zero in between and ends its grace with
  // the outcome not yet submitted.
  absl::MutexLock lock(&mu_);
  --outstanding_;
}

void Dispatcher::Write(store::UpdateDelivery update,
                       std::function<void(store::WriteResult&)> then) {
  {
    absl::MutexLock lock(&mu_);
    ++outstanding_;
  }
  auto write = std::make_unique<store::Write>();
  write->op = std::move(update);
  // Bug fix (use after free): see lifeline_.
  writer_->Submit(
      std::move(write), [this, lifeline = lifeline_,
                         then = std::move(then)](store::Write& done) mutable {
        absl::MutexLock alive(&lifeline->mu);
        if (!lifeline->open) return;
        auto result =
            std::make_shared<store::WriteResult>(std::move(done.result));
        boost::asio::post(io_, [this, then = std::move(then), result] {
          then(*result);
          absl::MutexLock lock(&mu_);
          --outstanding_;
        });
      });
}

gw::v1::AuditEntry Dispatcher::EngineAudit(
    const std::string& action, const QueuedDelivery& delivery,
    const std::string& payload_sha256) const {
  gw::v1::AuditEntry entry;
  *entry.mutable_time() = util::ToTimestamp(options_.clock());
  entry.set_actor_agency(local_agency_);
  entry.set_actor_role(kEngineRole);
  entry.set_actor_user(kEngineUser);
  entry.set_action(action);
  entry.add_object_ids("alert:" + delivery.alert_id);
  entry.add_object_ids("case:" + delivery.case_ref);
  entry.add_object_ids("message:" + delivery.message_id);
  entry.set_payload_sha256(payload_sha256);
  entry.set_decision("ALLOW");
  entry.set_outcome("OK");
  entry.set_policy_version(policy_->version());
  return entry;
}

void Dispatcher::Publish(const std::string& alert_id,
                         const gw::v1::Delivery& delivery,
                         const std::vector<gw::v1::ReceiptWarning>& warnings) {
  gw::v1::DeliveryEvent event;
  event.set_alert_id(alert_id);
  *event.mutable_delivery() = delivery;
  for (const auto& w : warnings) *event.add_warnings() = w;
  watchers_->Publish(event);
}

// Operators ------------------------------------------------------------------

void Dispatcher::Retry(const identity::Principal& actor,
                       const std::string& message_id, Done done) {
  boost::asio::post(io_, [this, actor, message_id, done = std::move(done)] {
    RetryOnThread(actor, message_id, done);
  });
}

void Dispatcher::Cancel(const identity::Principal& actor,
                        const std::string& message_id,
                        const std::string& reason, Done done) {
  boost::asio::post(io_,
                    [this, actor, message_id, reason, done = std::move(done)] {
                      CancelOnThread(actor, message_id, reason, done);
                    });
}

namespace {

gw::v1::AuditEntry OperatorAudit(const identity::Principal& actor,
                                 const std::string& action,
                                 const store::DeliveryRow& row,
                                 const std::string& policy_version,
                                 absl::Time now) {
  gw::v1::AuditEntry entry;
  *entry.mutable_time() = util::ToTimestamp(now);
  entry.set_actor_agency(actor.agency);
  entry.set_actor_role(actor.role);
  entry.set_actor_user(actor.user);
  entry.set_action(action);
  entry.add_object_ids("alert:" + row.alert_id);
  entry.add_object_ids("case:" + row.case_ref);
  entry.add_object_ids("message:" + row.delivery.message_id());
  entry.set_decision("ALLOW");
  entry.set_outcome("OK");
  entry.set_policy_version(policy_version);
  return entry;
}

}  // namespace

void Dispatcher::RetryOnThread(const identity::Principal& actor,
                               const std::string& message_id, Done done) {
  auto row = store_->GetDelivery(message_id);
  if (!row.ok()) {
    done(row.status());
    return;
  }
  const absl::Time now = options_.clock();
  Link* link = FindLink(row->delivery.recipient());
  const QueuedDelivery* queued =
      link == nullptr ? nullptr : link->queue.Find(message_id);
  if (queued != nullptr && queued->in_flight) {
    done(absl::FailedPreconditionError(
        absl::StrCat("message_id: delivery ", message_id,
                     " has an attempt in flight; retry when it has ended")));
    return;
  }
  if (queued != nullptr && queued->held) {
    done(absl::FailedPreconditionError(
        absl::StrCat("message_id: another change to delivery ", message_id,
                     " is being recorded; retry when it has ended")));
    return;
  }
  store::UpdateDelivery update;
  update.message_id = message_id;
  update.at = now;
  update.delivery = row->delivery;
  update.delivery.clear_next_attempt_at();
  update.audit = OperatorAudit(actor, "DeliveryService.RetryDelivery", *row,
                               policy_->version(), now);
  bool requeue = false;
  switch (row->delivery.state()) {
    case gw::v1::Delivery::ACKNOWLEDGED:
      done(absl::FailedPreconditionError(
          absl::StrCat("message_id: delivery ", message_id,
                       " is already acknowledged; there is nothing to retry")));
      return;
    case gw::v1::Delivery::FAILED: {
      // The partner refused these bytes under this id for good: a new
      // attempt is a new message (partners/README.md §2.4).
      const std::string new_id = util::NewUuidV4();
      update.delivery.set_message_id(new_id);
      update.delivery.set_state(gw::v1::Delivery::QUEUED);
      update.delivery.set_attempts(0);
      update.delivery.clear_reason();
      update.delivery.clear_receipt();
      update.audit->add_object_ids("message:" + new_id);
      update.audit->set_reason(absl::StrCat("re-queued as message ", new_id));
      requeue = true;
      break;
    }
    case gw::v1::Delivery::CANCELLED:
      // Withdrawn by an operator, perhaps after an attempt that did reach
      // the partner: the same bytes go again under the SAME id, so a
      // partner that has them deduplicates (README §2.2).
      update.delivery.set_state(gw::v1::Delivery::QUEUED);
      update.delivery.clear_reason();
      update.audit->set_reason("re-queued under the same message id");
      requeue = true;
      break;
    default:
      if (queued == nullptr) {
        done(absl::FailedPreconditionError(absl::StrCat(
            "message_id: no partner link is configured for ",
            row->delivery.recipient(),
            "; add a `partners` entry to policies/ and restart the gateway")));
        return;
      }
      update.audit->set_reason("next attempt now");
      break;
  }
  // Bug fix (operator change racing an attempt): not sent, nor changed by
  // another operator, while this change is being recorded; an attempt
  // started meanwhile would be overwritten by this stale copy of the row.
  if (queued != nullptr) link->queue.Hold(message_id);
  Write(std::move(update), [this, link, requeue, message_id, row = *row,
                            done](store::WriteResult& result) {
    if (link != nullptr) link->queue.Unhold(message_id);
    if (!result.status.ok() || !result.delivery.has_value()) {
      if (link != nullptr) Pump(*link);
      done(result.status.ok() ? absl::InternalError("no delivery returned")
                              : result.status);
      return;
    }
    // Bug fix (event order): published before Pump() publishes SENT for
    // the same delivery, so watchers see QUEUED (or RETRYING), then SENT.
    Publish(result.delivery->alert_id, result.delivery->delivery);
    if (link != nullptr) {
      if (requeue) {
        store::DeliveryRow fresh = *result.delivery;
        fresh.seq = row.seq;
        Enqueue(fresh);
      } else {
        link->queue.MakeDue(message_id);
      }
      link->probe_now = true;
      Pump(*link);
    }
    done(*result.delivery);
  });
}

void Dispatcher::CancelOnThread(const identity::Principal& actor,
                                const std::string& message_id,
                                const std::string& reason, Done done) {
  auto row = store_->GetDelivery(message_id);
  if (!row.ok()) {
    done(row.status());
    return;
  }
  Link* link = FindLink(row->delivery.recipient());
  const QueuedDelivery* queued =
      link == nullptr ? nullptr : link->queue.Find(message_id);
  if (queued != nullptr && queued->in_flight) {
    done(absl::FailedPreconditionError(absl::StrCat(
        "message_id: delivery ", message_id,
        " has an attempt in flight; cancel again when it has ended")));
    return;
  }
  if (queued != nullptr && queued->held) {
    done(absl::FailedPreconditionError(
        absl::StrCat("message_id: another change to delivery ", message_id,
                     " is being recorded; cancel again when it has ended")));
    return;
  }
  const gw::v1::Delivery::State state = row->delivery.state();
  if (state == gw::v1::Delivery::ACKNOWLEDGED ||
      state == gw::v1::Delivery::CANCELLED) {
    done(absl::FailedPreconditionError(
        absl::StrCat("message_id: delivery ", message_id, " is already ",
                     state == gw::v1::Delivery::ACKNOWLEDGED ? "acknowledged"
                                                             : "cancelled")));
    return;
  }
  const absl::Time now = options_.clock();
  store::UpdateDelivery update;
  update.message_id = message_id;
  update.at = now;
  update.delivery = row->delivery;
  update.delivery.set_state(gw::v1::Delivery::CANCELLED);
  update.delivery.clear_next_attempt_at();
  update.delivery.set_reason(absl::StrCat("cancelled by ", actor.agency, "/",
                                          actor.user, ": ", reason));
  update.audit = OperatorAudit(actor, "DeliveryService.CancelDelivery", *row,
                               policy_->version(), now);
  // The operator's words stay with the delivery, not in the audit log,
  // which must never hold personal data (CONTRACT.md §5).
  update.audit->set_reason("cancelled by an operator");
  // Bug fix (operator change racing an attempt): a delivery waiting for a
  // send slot, its backoff or a Retry's probe could be sent while its
  // cancellation was being recorded, and the attempt's outcome then
  // overwrote CANCELLED in the store. Held, it is not sent meanwhile.
  if (queued != nullptr) link->queue.Hold(message_id);
  Write(std::move(update), [this, link, message_id,
                            done](store::WriteResult& result) {
    if (!result.status.ok() || !result.delivery.has_value()) {
      if (link != nullptr) {
        link->queue.Unhold(message_id);
        Pump(*link);
      }
      done(result.status.ok() ? absl::InternalError("no delivery returned")
                              : result.status);
      return;
    }
    // Published first: the cancellation comes before whatever the
    // next delivery of its case, which Pump() may now send, publishes.
    Publish(result.delivery->alert_id, result.delivery->delivery);
    if (link != nullptr) {
      link->queue.Remove(message_id);
      Pump(*link);
    }
    done(*result.delivery);
  });
}

}  // namespace gw::delivery
