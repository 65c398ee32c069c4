// tests/unit/gateway/delivery/dispatcher_test.cc
//
// The delivery engine (gateway/delivery/dispatcher.h) as gatewayd wires it:
// a real SqliteStore in a temporary directory, the real ingest Writer whose
// after-commit hook feeds Dispatcher::OnBatchCommitted, this gateway's real
// signing key (dev PKI, CN-MPS/signing.key) and alerts genuinely signed by
// CN-MPS investigator1. Only the partner is fake: FakePartner scripts the
// answer to each attempt (acknowledge, refuse, fail, or hold it until the
// test releases it) and records every message put on the wire.
//
// What is asserted is what users depend on: each alert reaches the partner
// once, countersigned, with the receipt and audit entry on record; failures
// are retried with the same id and bytes; refusals are dead-lettered; per
// case order and URGENT priority hold; nothing pending is lost across a
// restart; operators' Retry/Cancel do what DeliveryService promises.
// Waits are bounded polls (kWait); no assertion depends on how fast the
// machine is. Tests that need to control time use FakeClock, which drives
// the backoff and the circuit breaker without sleeping.
#include "gateway/delivery/dispatcher.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/ingest/pipeline.h"
#include "gateway/ingest/writer.h"
#include "gateway/policy/policy.h"
#include "gateway/store/sqlite/sqlite_store.h"
#include "gateway/store/store.h"
#include "gateway/util/proto_time.h"
#include "gateway/util/uuid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"
#include "tests/support/scoped_temp_dir.h"
#include "tests/support/test_client.h"

namespace gw::delivery {
namespace {

using ::gw::v1::CaseAlert;
using ::gw::v1::Delivery;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Two partner links and one agency without a link.
constexpr char kPartner[] = "VN-MPS";
constexpr char kOtherPartner[] = "TH-RTP";
constexpr char kUnlinked[] = "MM-MPF";

// The longest any condition may take to come true.
constexpr absl::Duration kWait = absl::Seconds(10);

// Metadata key the fake codec uses to tell the fake partner which alert a
// message carries, so answers can be scripted per alert before its message
// id exists.
constexpr char kAlertIdHeader[] = "x-test-alert-id";

bool WaitFor(const std::function<bool()>& condition) {
  const absl::Time deadline = absl::Now() + kWait;
  while (!condition()) {
    if (absl::Now() >= deadline) return condition();
    absl::SleepFor(absl::Milliseconds(2));
  }
  return true;
}

// A small valid policy set: the dispatcher only records its version.
std::shared_ptr<const policy::Policy> TestPolicy() {
  auto policy = policy::Policy::FromFiles(
      {{"agencies.textproto",
        R"pb(agencies {
               code: "CN-MPS"
               side: HOME
               roles: [ "investigator", "admin" ]
               trust { ca_file: "CN-MPS/ca.crt" crl_file: "CN-MPS/crl.pem" }
             }
             agencies {
               code: "VN-MPS"
               side: PARTNER
               roles: [ "liaison" ]
               trust { ca_file: "VN-MPS/ca.crt" crl_file: "VN-MPS/crl.pem" }
             }
        )pb"},
       {"rules.textproto", R"pb(
          rpc_rules {
            rpc: "gw.v1.AlertService/SendAlert"
            roles: [ "investigator" ]
          }
          alert_routes {
            recipient: "VN-MPS"
            kinds: [ MISSING_PERSON ]
          }
        )pb"}});
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

// ---------------------------------------------------------------------------
// The fake partner.

// What the partner does with one attempt.
enum class Answer {
  kAck,           // a (fake) signed acknowledgement: delivered
  kRefuse,        // a signed refusal: permanent failure
  kFail,          // connection refused: transient failure
  kBusy,          // "busy, call again in an hour" (Retry-After): transient
  kBusyForAYear,  // a Retry-After a year away: transient
  kRefuseInBrokenUtf8,  // a refusal whose text ends in half a character
  kHold,                // no answer until the test releases it
};

struct SentMessage {
  std::string message_id;
  std::string alert_id;
  std::string bytes;
};

// The partner's side of one link: shared by the fake codec and transport
// (owned by the dispatcher) and the test, and it outlives dispatchers so a
// restarted gateway talks to the same partner.
class FakePartner {
 public:
  // The answers to the next attempts carrying `alert_id`, then `then`.
  void Script(const std::string& alert_id, std::vector<Answer> first,
              std::optional<Answer> then = std::nullopt) {
    absl::MutexLock lock(&mu_);
    Plan& plan = plans_[alert_id];
    plan.first.assign(first.begin(), first.end());
    plan.then = then;
  }
  // The answer to attempts without a script.
  void SetDefault(Answer answer) {
    absl::MutexLock lock(&mu_);
    default_ = answer;
  }

  // Transport::Send.
  void Send(const adapters::PartnerMessage& message,
            adapters::Transport::SendDone done) {
    std::string alert_id;
    for (const auto& [key, value] : message.metadata) {
      if (key == kAlertIdHeader) alert_id = value;
    }
    Answer answer;
    {
      absl::MutexLock lock(&mu_);
      sends_.push_back({message.message_id, alert_id, message.bytes});
      answer = default_;
      auto plan = plans_.find(alert_id);
      if (plan != plans_.end()) {
        if (!plan->second.first.empty()) {
          answer = plan->second.first.front();
          plan->second.first.pop_front();
        } else if (plan->second.then.has_value()) {
          answer = *plan->second.then;
        }
      }
      if (answer == Answer::kHold) {
        held_.push_back({alert_id, std::move(done)});
        return;
      }
    }
    done(AnswerFor(answer));
  }

  // Transport::Stop: every held attempt is answered UNAVAILABLE (the
  // contract of adapters/adapter.h).
  void Stop() {
    std::vector<Held> held;
    {
      absl::MutexLock lock(&mu_);
      ++stops_;
      held.swap(held_);
    }
    for (Held& h : held) {
      adapters::PartnerAnswer answer;
      answer.status = absl::UnavailableError("transport stopped");
      h.done(std::move(answer));
    }
  }

  // Answers the held attempt of `alert_id`; false if none is held.
  bool Release(const std::string& alert_id, Answer answer) {
    adapters::Transport::SendDone done;
    {
      absl::MutexLock lock(&mu_);
      auto it = std::find_if(held_.begin(), held_.end(), [&](const Held& h) {
        return h.alert_id == alert_id;
      });
      if (it == held_.end()) return false;
      done = std::move(it->done);
      held_.erase(it);
    }
    done(AnswerFor(answer));
    return true;
  }

  std::vector<SentMessage> sends() {
    absl::MutexLock lock(&mu_);
    return sends_;
  }
  // The alert ids of the messages sent, in sending order.
  std::vector<std::string> sent_alerts() {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> ids;
    for (const SentMessage& s : sends_) ids.push_back(s.alert_id);
    return ids;
  }
  std::vector<SentMessage> SendsOf(const std::string& alert_id) {
    absl::MutexLock lock(&mu_);
    std::vector<SentMessage> out;
    for (const SentMessage& s : sends_) {
      if (s.alert_id == alert_id) out.push_back(s);
    }
    return out;
  }
  std::vector<std::string> held_alerts() {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> ids;
    for (const Held& h : held_) ids.push_back(h.alert_id);
    return ids;
  }
  bool IsHeld(const std::string& alert_id) {
    std::vector<std::string> held = held_alerts();
    return std::find(held.begin(), held.end(), alert_id) != held.end();
  }
  int stops() {
    absl::MutexLock lock(&mu_);
    return stops_;
  }

  // Codec::Encode records what the engine handed over.
  void RecordEncoded(const adapters::OutboundMessage& message) {
    absl::MutexLock lock(&mu_);
    encoded_.push_back(message);
  }
  std::vector<adapters::OutboundMessage> encoded() {
    absl::MutexLock lock(&mu_);
    return encoded_;
  }

 private:
  struct Plan {
    std::deque<Answer> first;
    std::optional<Answer> then;
  };
  struct Held {
    std::string alert_id;
    adapters::Transport::SendDone done;
  };

  static adapters::PartnerAnswer AnswerFor(Answer answer) {
    adapters::PartnerAnswer out;
    switch (answer) {
      case Answer::kAck:
        out.bytes = "ACK";
        break;
      case Answer::kRefuse:
        out.bytes = "NK ID_NOT_REPRESENTABLE: case_ref too long";
        break;
      case Answer::kBusy:
        out.bytes = "BUSY";
        break;
      case Answer::kBusyForAYear:
        out.bytes = "BUSY FOR A YEAR";
        break;
      case Answer::kRefuseInBrokenUtf8:
        out.bytes = "NK UNKNOWN_REFERENCE case_ref: Ki\xE1\xBB";
        break;
      case Answer::kFail:
      case Answer::kHold:
        out.status = absl::UnavailableError("connection refused");
        break;
    }
    return out;
  }

  absl::Mutex mu_;
  Answer default_ ABSL_GUARDED_BY(mu_) = Answer::kAck;
  std::map<std::string, Plan> plans_ ABSL_GUARDED_BY(mu_);
  std::vector<SentMessage> sends_ ABSL_GUARDED_BY(mu_);
  std::vector<Held> held_ ABSL_GUARDED_BY(mu_);
  std::vector<adapters::OutboundMessage> encoded_ ABSL_GUARDED_BY(mu_);
  int stops_ ABSL_GUARDED_BY(mu_) = 0;
};

// Encode: the countersigned envelope, serialized. ReadAnswer: "ACK" is
// delivered (with a receipt naming the message and payload), "NK ..." a
// permanent refusal with the partner's reason, a failed status transient.
class FakeCodec final : public adapters::Codec {
 public:
  explicit FakeCodec(std::shared_ptr<FakePartner> partner)
      : partner_(std::move(partner)) {}

  absl::StatusOr<adapters::PartnerMessage> Encode(
      const adapters::OutboundMessage& message) const override {
    partner_->RecordEncoded(message);
    adapters::PartnerMessage out;
    out.message_id = message.message_id;
    out.content_type = "application/vnd.gw.v1.Envelope+proto";
    if (!message.envelope.SerializeToString(&out.bytes)) {
      return absl::InternalError("envelope: cannot serialize");
    }
    out.metadata.emplace_back(kAlertIdHeader, message.alert_id);
    return out;
  }

  adapters::DeliveryOutcome ReadAnswer(
      const adapters::OutboundMessage& message,
      const adapters::PartnerMessage& /*sent*/,
      const adapters::PartnerAnswer& answer) const override {
    if (!answer.status.ok()) {
      return adapters::DeliveryOutcome::Transient(
          absl::StrCat("transport: ", answer.status.message()));
    }
    if (answer.bytes == "ACK") {
      gw::v1::Receipt receipt;
      receipt.set_message_id(message.message_id);
      receipt.set_payload_sha256(message.payload_sha256);
      receipt.set_recipient(message.recipient);
      receipt.set_status(gw::v1::Receipt::ACCEPTED);
      return adapters::DeliveryOutcome::Delivered(std::move(receipt),
                                                  answer.bytes);
    }
    if (answer.bytes == "BUSY") {
      auto outcome = adapters::DeliveryOutcome::Transient("partner busy");
      outcome.retry_after = absl::Now() + absl::Hours(1);
      return outcome;
    }
    if (answer.bytes == "BUSY FOR A YEAR") {
      auto outcome = adapters::DeliveryOutcome::Transient("partner busy");
      outcome.retry_after = absl::Now() + absl::Hours(24 * 365);
      return outcome;
    }
    if (absl::StartsWith(answer.bytes, "NK ")) {
      return adapters::DeliveryOutcome::Permanent(answer.bytes.substr(3),
                                                  answer.bytes);
    }
    return adapters::DeliveryOutcome::Transient("unreadable answer");
  }

  absl::StatusOr<adapters::InboundMessage> Decode(
      const std::string& /*sender_agency*/,
      const adapters::PartnerMessage& /*received*/) const override {
    return absl::UnimplementedError("the fake partner sends nothing");
  }

 private:
  std::shared_ptr<FakePartner> partner_;
};

class FakeTransport final : public adapters::Transport {
 public:
  explicit FakeTransport(std::shared_ptr<FakePartner> partner)
      : partner_(std::move(partner)) {}
  void Send(const adapters::PartnerMessage& message, SendDone done) override {
    partner_->Send(message, std::move(done));
  }
  absl::Status StartReceiving(
      adapters::InboundReceiver* /*receiver*/) override {
    return absl::OkStatus();
  }
  void Stop() override { partner_->Stop(); }

 private:
  std::shared_ptr<FakePartner> partner_;
};

class FakeAdapter final : public adapters::Adapter {
 public:
  FakeAdapter(std::shared_ptr<FakePartner> partner, int max_in_flight)
      : codec_(partner), transport_(partner), max_in_flight_(max_in_flight) {}
  const adapters::Codec& codec() const override { return codec_; }
  adapters::Transport& transport() override { return transport_; }
  int max_in_flight() const override { return max_in_flight_; }

 private:
  FakeCodec codec_;
  FakeTransport transport_;
  const int max_in_flight_;
};

// A clock that moves only when the test says so, and counts its readings.
// PauseNextRead() makes the next reading wait for Resume(): the test can
// stop the dispatcher thread at a chosen point (every Pump() reads it).
class FakeClock {
 public:
  absl::Time Now() {
    absl::MutexLock lock(&mu_);
    ++reads_;
    if (gate_ == Gate::kArmed) {
      gate_ = Gate::kPaused;
      auto resumed = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return gate_ != Gate::kPaused;
      };
      mu_.AwaitWithTimeout(absl::Condition(&resumed), kWait);
      gate_ = Gate::kOpen;
    }
    return now_;
  }
  void PauseNextRead() {
    absl::MutexLock lock(&mu_);
    gate_ = Gate::kArmed;
  }
  bool WaitUntilPaused() {
    absl::MutexLock lock(&mu_);
    auto paused = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return gate_ == Gate::kPaused;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&paused), kWait);
  }
  void Resume() {
    absl::MutexLock lock(&mu_);
    gate_ = Gate::kOpen;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  int64_t reads() {
    absl::MutexLock lock(&mu_);
    return reads_;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_) = absl::FromUnixSeconds(1'800'000'000);
  int64_t reads_ ABSL_GUARDED_BY(mu_) = 0;
  enum class Gate { kOpen, kArmed, kPaused };
  Gate gate_ ABSL_GUARDED_BY(mu_) = Gate::kOpen;
};

// The events WatchDeliveries would stream for one alert.
class EventLog {
 public:
  EventLog(DeliveryWatchers* watchers, const std::string& alert_id)
      : watchers_(watchers) {
    id_ =
        watchers_->Subscribe(alert_id, [this](const gw::v1::DeliveryEvent& e) {
          absl::MutexLock lock(&mu_);
          events_.push_back(e);
        });
  }
  ~EventLog() { watchers_->Unsubscribe(id_); }

  std::vector<gw::v1::DeliveryEvent> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  // The states published for `message_id`, in order.
  std::vector<Delivery::State> StatesOf(const std::string& message_id) {
    absl::MutexLock lock(&mu_);
    std::vector<Delivery::State> states;
    for (const auto& e : events_) {
      if (e.delivery().message_id() == message_id)
        states.push_back(e.delivery().state());
    }
    return states;
  }

 private:
  DeliveryWatchers* const watchers_;
  uint64_t id_ = 0;
  absl::Mutex mu_;
  std::vector<gw::v1::DeliveryEvent> events_ ABSL_GUARDED_BY(mu_);
};

// ---------------------------------------------------------------------------
// The fixture: one gateway's store, writer and delivery engine.

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    policy_ = TestPolicy();
    ASSERT_NE(policy_, nullptr);
    const std::string cn = gw::testing::DevPki::Get().dir() + "/CN-MPS";
    auto signer =
        crypto::Signer::FromPemFiles(cn + "/signing.key", cn + "/signing.crt");
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
    auto verifier = crypto::Verifier::FromCertificatePem(
        gw::testing::ReadFileForTest(cn + "/signing.crt"));
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    gateway_verifier_ = *std::move(verifier);
    auto author = crypto::Verifier::FromCertificatePem(
        gw::testing::ReadFileForTest(AuthorCertBase() + ".crt"));
    ASSERT_TRUE(author.ok()) << author.status();
    author_verifier_ = *std::move(author);

    partners_[kPartner] = std::make_shared<FakePartner>();
    partners_[kOtherPartner] = std::make_shared<FakePartner>();
    options_.backoff.first = absl::Milliseconds(10);
    options_.backoff.max = absl::Milliseconds(50);
    // Breakers stay out of the way unless a test is about them.
    options_.breaker.failures_to_open = 1000;
    options_.breaker.first_open = absl::Milliseconds(50);
    options_.breaker.max_open = absl::Milliseconds(100);
    options_.log = [this](const std::string& line) {
      absl::MutexLock lock(&log_mu_);
      log_.push_back(line);
    };
    OpenStore();
  }

  void TearDown() override { CloseGateway(); }

  static std::string AuthorCertBase() {
    return gw::testing::UserCertBase("CN-MPS", "investigator", "investigator1");
  }

  // The store and writer, as gatewayd opens them at start.
  void OpenStore() {
    auto store = store::SqliteStore::Open(dir_.path() + "/var/gateway.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    writer_ = std::make_unique<ingest::Writer>(store_.get());
    writer_->SetAfterCommit([this](absl::Span<store::Write* const> batch) {
      absl::MutexLock lock(&hook_mu_);
      if (hooked_ != nullptr) hooked_->OnBatchCommitted(batch);
    });
  }

  // A dispatcher with a link to each partner (max_in_flight_ sends each).
  void StartDispatcher() {
    std::map<std::string, std::unique_ptr<adapters::Adapter>> links;
    for (const auto& [agency, partner] : partners_) {
      links.emplace(agency,
                    std::make_unique<FakeAdapter>(partner, max_in_flight_));
    }
    dispatcher_ = std::make_unique<Dispatcher>(
        "CN-MPS", policy_, store_.get(), writer_.get(), signer_.get(),
        std::move(links), &watchers_, options_);
    {
      absl::MutexLock lock(&hook_mu_);
      hooked_ = dispatcher_.get();
    }
    ASSERT_TRUE(dispatcher_->Start().ok());
  }

  // As gatewayd shuts down: the engine first, then the writer.
  void StopDispatcher(absl::Duration grace = absl::Seconds(5)) {
    {
      absl::MutexLock lock(&hook_mu_);
      hooked_ = nullptr;
    }
    if (dispatcher_ != nullptr) dispatcher_->Stop(grace);
    dispatcher_.reset();
  }

  void CloseGateway() {
    StopDispatcher();
    if (writer_ != nullptr) writer_->Stop();
    writer_.reset();
    store_.reset();
  }

  // A gatewayd restart on the same database and partners.
  void Restart() {
    CloseGateway();
    OpenStore();
    StartDispatcher();
  }

  // Accepts an alert signed by CN-MPS investigator1, as the ingest pipeline
  // does; returns the stored record once durable.
  gw::v1::AlertRecord Accept(
      const std::string& alert_id, const std::string& case_ref,
      const std::vector<std::string>& recipients,
      CaseAlert::Priority priority = CaseAlert::ROUTINE) {
    CaseAlert alert = gw::testing::SampleAlert(alert_id, case_ref, recipients);
    alert.set_priority(priority);
    store::AcceptAlert accept;
    gw::v1::AlertRecord& record = accept.record;
    *record.mutable_envelope() = gw::testing::SignedEnvelope(
        ingest::kCaseAlertPayloadType, alert, AuthorCertBase());
    *record.mutable_received_at() = util::ToTimestamp(absl::Now());
    record.set_payload_sha256(crypto::Sha256Hex(record.envelope().payload()));
    for (const std::string& recipient : recipients) {
      Delivery* d = record.add_deliveries();
      d->set_recipient(recipient);
      d->set_state(Delivery::QUEUED);
      d->set_message_id(util::NewUuidV4());
      *d->mutable_updated_at() = record.received_at();
    }
    *record.mutable_alert() = alert;
    accept.audit.set_actor_agency("CN-MPS");
    accept.audit.set_actor_role("investigator");
    accept.audit.set_actor_user("investigator1");
    accept.audit.set_action("AlertService.SendAlert");
    accept.audit.add_object_ids("alert:" + alert_id);
    accept.audit.add_object_ids("case:" + case_ref);
    accept.audit.set_payload_sha256(record.payload_sha256());
    accept.audit.set_decision("ALLOW");
    accept.audit.set_outcome("OK");
    auto write = std::make_unique<store::Write>();
    write->op = std::move(accept);
    auto done = std::make_shared<absl::Notification>();
    auto result = std::make_shared<store::WriteResult>();
    writer_->Submit(std::move(write), [done, result](store::Write& w) {
      *result = w.result;
      done->Notify();
    });
    EXPECT_TRUE(done->WaitForNotificationWithTimeout(kWait));
    EXPECT_TRUE(result->status.ok()) << result->status;
    EXPECT_TRUE(result->alert.has_value());
    return result->alert.value_or(gw::v1::AlertRecord());
  }

  // The message id of `record`'s delivery to `recipient`.
  static std::string IdTo(const gw::v1::AlertRecord& record,
                          const std::string& recipient = kPartner) {
    for (const Delivery& d : record.deliveries()) {
      if (d.recipient() == recipient) return d.message_id();
    }
    ADD_FAILURE() << "no delivery to " << recipient;
    return "";
  }

  Delivery Stored(const std::string& message_id) {
    auto row = store_->GetDelivery(message_id);
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() ? row->delivery : Delivery();
  }

  // Waits until the store shows `state`, then until the engine has taken
  // note of the write that recorded it (its callback runs on the dispatcher
  // thread after the commit), so the test may act on that state.
  bool WaitForState(const std::string& message_id, Delivery::State state) {
    const bool reached = WaitFor([&] {
      auto row = store_->GetDelivery(message_id);
      return row.ok() && row->delivery.state() == state;
    });
    if (reached && dispatcher_ != nullptr) {
      WriterBarrier();
      Barrier();
    }
    return reached;
  }

  // The audit entries with `action` about `object_id`, in log order.
  std::vector<gw::v1::AuditEntry> Audits(const std::string& action,
                                         const std::string& object_id) {
    store::AuditQuery query;
    query.action = action;
    query.object_id = object_id;
    auto page = store_->SearchAudit(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<gw::v1::AuditEntry> entries;
    if (!page.ok()) return entries;
    for (const store::AuditLeaf& leaf : page->leaves) {
      gw::v1::AuditEntry entry;
      EXPECT_TRUE(entry.ParseFromString(leaf.leaf_data));
      entries.push_back(entry);
    }
    return entries;
  }

  static identity::Principal Admin() {
    identity::Principal admin;
    admin.agency = "CN-MPS";
    admin.role = "admin";
    admin.user = "admin1";
    return admin;
  }

  absl::StatusOr<store::DeliveryRow> Retry(const std::string& message_id) {
    return Operate([&](DeliveryOperations::Done done) {
      dispatcher_->Retry(Admin(), message_id, std::move(done));
    });
  }
  absl::StatusOr<store::DeliveryRow> Cancel(const std::string& message_id,
                                            const std::string& reason) {
    return Operate([&](DeliveryOperations::Done done) {
      dispatcher_->Cancel(Admin(), message_id, reason, std::move(done));
    });
  }
  absl::StatusOr<store::DeliveryRow> Operate(
      const std::function<void(DeliveryOperations::Done)>& call) {
    auto done = std::make_shared<absl::Notification>();
    auto result = std::make_shared<absl::StatusOr<store::DeliveryRow>>(
        absl::UnknownError("no answer"));
    auto calls = std::make_shared<std::atomic<int>>(0);
    call([done, result, calls](absl::StatusOr<store::DeliveryRow> r) {
      if (calls->fetch_add(1) == 0) {
        *result = std::move(r);
        done->Notify();
      } else {
        ADD_FAILURE() << "done ran twice";
      }
    });
    if (!done->WaitForNotificationWithTimeout(kWait))
      return absl::DeadlineExceededError("the operation never answered");
    return *result;
  }

  // Returns once every write submitted before it is durable (the writer
  // commits in submission order).
  void WriterBarrier() {
    auto write = std::make_unique<store::Write>();
    store::AppendAudit append;
    append.audit.set_action("Test.Barrier");
    write->op = std::move(append);
    absl::Notification done;
    writer_->Submit(std::move(write),
                    [&done](store::Write&) { done.Notify(); });
    EXPECT_TRUE(done.WaitForNotificationWithTimeout(kWait));
  }

  // Returns once everything posted to the dispatcher thread before it has
  // run (handlers run in posting order): an operator call on an unknown id
  // is answered on that thread.
  void Barrier() {
    EXPECT_EQ(Retry("no-such-message").status().code(),
              absl::StatusCode::kNotFound);
  }

  std::vector<std::string> Log() {
    absl::MutexLock lock(&log_mu_);
    return log_;
  }

  FakePartner& partner(const std::string& agency = kPartner) {
    return *partners_.at(agency);
  }

  gw::testing::ScopedTempDir dir_;
  std::shared_ptr<const policy::Policy> policy_;
  std::unique_ptr<crypto::Signer> signer_;
  std::unique_ptr<crypto::Verifier> gateway_verifier_;
  std::unique_ptr<crypto::Verifier> author_verifier_;
  std::map<std::string, std::shared_ptr<FakePartner>> partners_;
  int max_in_flight_ = 4;
  DispatcherOptions options_;
  DeliveryWatchers watchers_;
  absl::Mutex log_mu_;
  std::vector<std::string> log_ ABSL_GUARDED_BY(log_mu_);

  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<ingest::Writer> writer_;
  absl::Mutex hook_mu_;
  Dispatcher* hooked_ ABSL_GUARDED_BY(hook_mu_) = nullptr;
  std::unique_ptr<Dispatcher> dispatcher_;
};

// ---------------------------------------------------------------------------
// 1. The happy path.

TEST_F(DispatcherTest, DeliversOnceCountersignedAndRecordsTheReceipt) {
  EventLog events(&watchers_, "A-1");
  StartDispatcher();
  const gw::v1::AlertRecord record = Accept("A-1", "CASE-1", {kPartner});
  const std::string id = IdTo(record);

  ASSERT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  const Delivery stored = Stored(id);
  EXPECT_EQ(stored.attempts(), 1u);
  EXPECT_EQ(stored.receipt().message_id(), id);
  EXPECT_EQ(stored.receipt().payload_sha256(), record.payload_sha256());
  EXPECT_EQ(stored.receipt().status(), gw::v1::Receipt::ACCEPTED);
  EXPECT_FALSE(stored.has_next_attempt_at());

  // Once on the wire, under the delivery's id.
  const std::vector<SentMessage> sends = partner().sends();
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].message_id, id);

  // The author's signature, then this gateway's, both over the PAE of the
  // payload as accepted.
  gw::v1::Envelope sent;
  ASSERT_TRUE(sent.ParseFromString(sends[0].bytes));
  EXPECT_EQ(sent.payload(), record.envelope().payload());
  EXPECT_EQ(sent.payload_type(), ingest::kCaseAlertPayloadType);
  ASSERT_EQ(sent.signatures_size(), 2);
  EXPECT_EQ(sent.signatures(0).SerializeAsString(),
            record.envelope().signatures(0).SerializeAsString());
  EXPECT_TRUE(crypto::VerifyEnvelopeSignature(sent, 0, *author_verifier_).ok());
  EXPECT_TRUE(
      crypto::VerifyEnvelopeSignature(sent, 1, *gateway_verifier_).ok());
  EXPECT_EQ(sent.signatures(1).cert_der(), signer_->cert_der());

  // The codec was told which alert and bytes it carries.
  const std::vector<adapters::OutboundMessage> encoded = partner().encoded();
  ASSERT_EQ(encoded.size(), 1u);
  EXPECT_EQ(encoded[0].recipient, kPartner);
  EXPECT_EQ(encoded[0].alert_id, "A-1");
  EXPECT_EQ(encoded[0].case_ref, "CASE-1");
  EXPECT_EQ(encoded[0].payload_sha256, record.payload_sha256());

  // On record in the audit log, by the engine, without personal data.
  const auto audits = Audits("Delivery.Acknowledged", "message:" + id);
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].actor_agency(), "CN-MPS");
  EXPECT_EQ(audits[0].decision(), "ALLOW");
  EXPECT_EQ(audits[0].outcome(), "OK");
  EXPECT_EQ(audits[0].payload_sha256(), record.payload_sha256());
  EXPECT_EQ(audits[0].policy_version(), policy_->version());
  EXPECT_THAT(audits[0].object_ids(), Contains("alert:A-1"));
  EXPECT_THAT(audits[0].object_ids(), Contains("case:CASE-1"));
  EXPECT_THAT(audits[0].SerializeAsString(), Not(HasSubstr("TESTCASE")));

  // Watchers saw the attempt start, then the acknowledgement with receipt.
  ASSERT_TRUE(WaitFor([&] { return events.StatesOf(id).size() >= 2; }));
  EXPECT_THAT(events.StatesOf(id),
              ElementsAre(Delivery::SENT, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(events.events().back().alert_id(), "A-1");
  EXPECT_EQ(events.events().back().delivery().receipt().message_id(), id);
}

TEST_F(DispatcherTest, EachRecipientGetsItsOwnDelivery) {
  StartDispatcher();
  const gw::v1::AlertRecord record =
      Accept("A-1", "CASE-1", {kPartner, kOtherPartner});
  ASSERT_TRUE(WaitForState(IdTo(record, kPartner), Delivery::ACKNOWLEDGED));
  ASSERT_TRUE(
      WaitForState(IdTo(record, kOtherPartner), Delivery::ACKNOWLEDGED));
  ASSERT_EQ(partner(kPartner).sends().size(), 1u);
  ASSERT_EQ(partner(kOtherPartner).sends().size(), 1u);
  EXPECT_EQ(partner(kPartner).sends()[0].message_id, IdTo(record, kPartner));
  EXPECT_EQ(partner(kOtherPartner).sends()[0].message_id,
            IdTo(record, kOtherPartner));
}

// ---------------------------------------------------------------------------
// 2. Transient failures.

TEST_F(DispatcherTest, TransientFailuresAreRetriedWithTheSameIdAndBytes) {
  EventLog events(&watchers_, "A-1");
  partner().Script("A-1", {Answer::kFail, Answer::kFail, Answer::kHold});
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));

  // The third attempt is in flight: the store shows the second failure.
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));
  const Delivery waiting = Stored(id);
  EXPECT_EQ(waiting.state(), Delivery::RETRYING);
  EXPECT_EQ(waiting.attempts(), 2u);
  EXPECT_TRUE(waiting.has_next_attempt_at());
  EXPECT_THAT(waiting.reason(), HasSubstr("connection refused"));

  ASSERT_TRUE(partner().Release("A-1", Answer::kAck));
  ASSERT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  const Delivery done = Stored(id);
  EXPECT_EQ(done.attempts(), 3u);
  EXPECT_FALSE(done.has_next_attempt_at());

  const std::vector<SentMessage> sends = partner().sends();
  ASSERT_EQ(sends.size(), 3u);
  for (const SentMessage& s : sends) {
    EXPECT_EQ(s.message_id, id);
    EXPECT_EQ(s.bytes, sends[0].bytes);
  }

  ASSERT_TRUE(WaitFor([&] { return events.StatesOf(id).size() >= 6; }));
  EXPECT_THAT(
      events.StatesOf(id),
      ElementsAre(Delivery::SENT, Delivery::RETRYING, Delivery::SENT,
                  Delivery::RETRYING, Delivery::SENT, Delivery::ACKNOWLEDGED));
  for (const auto& e : events.events()) {
    if (e.delivery().state() == Delivery::RETRYING) {
      EXPECT_TRUE(e.delivery().has_next_attempt_at());
    }
  }
  // Retry bookkeeping is not audited; the acknowledgement is, once.
  const auto audits = Audits("", "message:" + id);
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].action(), "Delivery.Acknowledged");
}

TEST_F(DispatcherTest, RetryAfterIsHonouredWhileOtherDeliveriesSucceed) {
  // One stray failure is not a failing link: another delivery's success
  // must not cut short the time the partner asked for.
  partner().Script("A-1", {Answer::kBusy}, Answer::kAck);
  StartDispatcher();
  const std::string busy = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(busy, Delivery::RETRYING));
  EXPECT_GT(util::FromTimestamp(Stored(busy).next_attempt_at()),
            absl::Now() + absl::Minutes(30));
  const std::string other = IdTo(Accept("A-2", "CASE-2", {kPartner}));
  ASSERT_TRUE(WaitForState(other, Delivery::ACKNOWLEDGED));
  Barrier();
  WriterBarrier();
  EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
  EXPECT_EQ(Stored(busy).state(), Delivery::RETRYING);
}

TEST_F(DispatcherTest, RetryAfterIsObeyedForAnHourAtMost) {
  // The header is not signed: an absurd date must not park the case.
  partner().Script("A-1", {Answer::kBusyForAYear}, Answer::kAck);
  StartDispatcher();
  const std::string busy = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(busy, Delivery::RETRYING));
  const absl::Time next = util::FromTimestamp(Stored(busy).next_attempt_at());
  EXPECT_GT(next, absl::Now() + absl::Minutes(30));
  EXPECT_LE(next, absl::Now() + absl::Hours(1));
}

TEST_F(DispatcherTest, PartnerTextInBrokenUtf8IsStoredReadable) {
  // A delivery whose reason is not UTF-8 could not be read back (proto3).
  partner().Script("A-1", {Answer::kRefuseInBrokenUtf8}, Answer::kAck);
  StartDispatcher();
  const std::string refused = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(refused, Delivery::FAILED));
  const Delivery stored = Stored(refused);
  EXPECT_EQ(stored.reason(),
            "UNKNOWN_REFERENCE case_ref: Ki\xEF\xBF\xBD\xEF\xBF\xBD");
  std::string bytes;
  ASSERT_TRUE(stored.SerializeToString(&bytes));
  Delivery back;
  EXPECT_TRUE(back.ParseFromString(bytes));
}

TEST_F(DispatcherTest, DeliveryWithoutReceiptIsNotAcknowledged) {
  // A codec bug (delivered without a receipt) must not pass for proof of
  // delivery: a codec that always says so keeps the delivery retrying.
  class NoReceiptCodec final : public adapters::Codec {
   public:
    absl::StatusOr<adapters::PartnerMessage> Encode(
        const adapters::OutboundMessage& m) const override {
      adapters::PartnerMessage out;
      out.message_id = m.message_id;
      out.metadata.emplace_back(kAlertIdHeader, m.alert_id);
      return out;
    }
    adapters::DeliveryOutcome ReadAnswer(
        const adapters::OutboundMessage&, const adapters::PartnerMessage&,
        const adapters::PartnerAnswer&) const override {
      adapters::DeliveryOutcome outcome;
      outcome.kind = adapters::DeliveryOutcome::Kind::kDelivered;
      return outcome;
    }
    absl::StatusOr<adapters::InboundMessage> Decode(
        const std::string&, const adapters::PartnerMessage&) const override {
      return absl::UnimplementedError("");
    }
  };
  class NoReceiptAdapter final : public adapters::Adapter {
   public:
    explicit NoReceiptAdapter(std::shared_ptr<FakePartner> p)
        : transport_(std::move(p)) {}
    const adapters::Codec& codec() const override { return codec_; }
    adapters::Transport& transport() override { return transport_; }
    int max_in_flight() const override { return 1; }

   private:
    NoReceiptCodec codec_;
    FakeTransport transport_;
  };
  std::map<std::string, std::unique_ptr<adapters::Adapter>> links;
  links.emplace(kPartner,
                std::make_unique<NoReceiptAdapter>(partners_[kPartner]));
  dispatcher_ = std::make_unique<Dispatcher>(
      "CN-MPS", policy_, store_.get(), writer_.get(), signer_.get(),
      std::move(links), &watchers_, options_);
  {
    absl::MutexLock lock(&hook_mu_);
    hooked_ = dispatcher_.get();
  }
  ASSERT_TRUE(dispatcher_->Start().ok());
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return Stored(id).attempts() >= 2; }));
  EXPECT_NE(Stored(id).state(), Delivery::ACKNOWLEDGED);
  EXPECT_THAT(Stored(id).reason(), HasSubstr("receipt"));
}

// A codec that cannot encode: `status` for every message.
class FailingEncodeAdapter final : public adapters::Adapter {
 public:
  FailingEncodeAdapter(std::shared_ptr<FakePartner> partner,
                       absl::Status status)
      : codec_(std::move(status)), transport_(std::move(partner)) {}
  const adapters::Codec& codec() const override { return codec_; }
  adapters::Transport& transport() override { return transport_; }
  int max_in_flight() const override { return 1; }

 private:
  class Codec final : public adapters::Codec {
   public:
    explicit Codec(absl::Status status) : status_(std::move(status)) {}
    absl::StatusOr<adapters::PartnerMessage> Encode(
        const adapters::OutboundMessage&) const override {
      return status_;
    }
    adapters::DeliveryOutcome ReadAnswer(
        const adapters::OutboundMessage&, const adapters::PartnerMessage&,
        const adapters::PartnerAnswer&) const override {
      return adapters::DeliveryOutcome::Transient("never sent");
    }
    absl::StatusOr<adapters::InboundMessage> Decode(
        const std::string&, const adapters::PartnerMessage&) const override {
      return absl::UnimplementedError("");
    }

   private:
    absl::Status status_;
  };
  Codec codec_;
  FakeTransport transport_;
};

// INVALID_ARGUMENT: the message cannot be expressed in the partner's
// format, now or later (adapter.h): a dead letter. Anything else (a schema
// that did not load, a key of the wrong kind) is the gateway's own trouble:
// retried until an operator mends it, never dead-lettered.
struct EncodeError {
  absl::StatusCode code;
  const char* message;
  Delivery::State want;
};

class DispatcherEncodeErrorTest
    : public DispatcherTest,
      public ::testing::WithParamInterface<EncodeError> {};

TEST_P(DispatcherEncodeErrorTest, OnlyWhatThePartnerCannotCarryIsDeadLettered) {
  const absl::Status status(GetParam().code, GetParam().message);
  std::map<std::string, std::unique_ptr<adapters::Adapter>> links;
  links.emplace(kPartner, std::make_unique<FailingEncodeAdapter>(
                              partners_[kPartner], status));
  dispatcher_ = std::make_unique<Dispatcher>(
      "CN-MPS", policy_, store_.get(), writer_.get(), signer_.get(),
      std::move(links), &watchers_, options_);
  {
    absl::MutexLock lock(&hook_mu_);
    hooked_ = dispatcher_.get();
  }
  ASSERT_TRUE(dispatcher_->Start().ok());
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(id, GetParam().want));
  EXPECT_THAT(Stored(id).reason(), HasSubstr(GetParam().message));
  EXPECT_TRUE(partner().SendsOf("A-1").empty());
}

INSTANTIATE_TEST_SUITE_P(
    Codes, DispatcherEncodeErrorTest,
    ::testing::Values(EncodeError{absl::StatusCode::kInvalidArgument,
                                  "case_ref: ID_NOT_REPRESENTABLE",
                                  Delivery::FAILED},
                      EncodeError{absl::StatusCode::kInternal,
                                  "schema did not load", Delivery::RETRYING},
                      EncodeError{absl::StatusCode::kFailedPrecondition,
                                  "link key is not Ed25519",
                                  Delivery::RETRYING}),
    [](const ::testing::TestParamInfo<EncodeError>& info) {
      return absl::StrReplaceAll(absl::StatusCodeToString(info.param.code),
                                 {{"_", ""}});
    });

// ---------------------------------------------------------------------------
// 3. Permanent refusal.

TEST_F(DispatcherTest, PermanentRefusalIsDeadLetteredAndNeverSentAgain) {
  EventLog events(&watchers_, "A-1");
  partner().Script("A-1", {Answer::kRefuse}, Answer::kAck);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));

  ASSERT_TRUE(WaitForState(id, Delivery::FAILED));
  const Delivery failed = Stored(id);
  EXPECT_EQ(failed.reason(), "ID_NOT_REPRESENTABLE: case_ref too long");
  EXPECT_EQ(failed.attempts(), 1u);
  EXPECT_FALSE(failed.has_next_attempt_at());

  const auto audits = Audits("Delivery.DeadLettered", "message:" + id);
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].decision(), "DENY");
  // The audit log keeps the code, not the free text after it.
  EXPECT_EQ(audits[0].reason(), "ID_NOT_REPRESENTABLE");
  EXPECT_THAT(audits[0].object_ids(), Contains("alert:A-1"));

  ASSERT_TRUE(WaitFor([&] { return events.StatesOf(id).size() >= 2; }));
  EXPECT_THAT(events.StatesOf(id),
              ElementsAre(Delivery::SENT, Delivery::FAILED));

  // Later traffic goes through; the dead letter stays where it is, also
  // across a restart.
  const std::string later = IdTo(Accept("A-2", "CASE-2", {kPartner}));
  ASSERT_TRUE(WaitForState(later, Delivery::ACKNOWLEDGED));
  Restart();
  const std::string after_restart = IdTo(Accept("A-3", "CASE-3", {kPartner}));
  ASSERT_TRUE(WaitForState(after_restart, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
  EXPECT_EQ(Stored(id).state(), Delivery::FAILED);
}

TEST_F(DispatcherTest, TamperedAuthorSignatureIsDeadLetteredNotSent) {
  // The engine re-verifies the author's signature: a stored envelope whose
  // payload no longer matches it must not go out under our countersignature.
  StartDispatcher();
  CaseAlert alert = gw::testing::SampleAlert("A-1", "CASE-1", {kPartner});
  gw::v1::Envelope envelope = gw::testing::SignedEnvelope(
      ingest::kCaseAlertPayloadType, alert, AuthorCertBase());
  alert.set_case_ref("CASE-X");  // changed after signing
  envelope.set_payload(alert.SerializeAsString());
  store::AcceptAlert accept;
  *accept.record.mutable_alert() = alert;
  *accept.record.mutable_envelope() = envelope;
  accept.record.set_payload_sha256(crypto::Sha256Hex(envelope.payload()));
  Delivery* d = accept.record.add_deliveries();
  d->set_recipient(kPartner);
  d->set_state(Delivery::QUEUED);
  d->set_message_id(util::NewUuidV4());
  const std::string id = d->message_id();
  accept.audit.set_action("AlertService.SendAlert");
  auto write = std::make_unique<store::Write>();
  write->op = std::move(accept);
  absl::Notification committed;
  writer_->Submit(std::move(write), [&](store::Write& w) {
    EXPECT_TRUE(w.result.status.ok()) << w.result.status;
    committed.Notify();
  });
  ASSERT_TRUE(committed.WaitForNotificationWithTimeout(kWait));

  ASSERT_TRUE(WaitForState(id, Delivery::FAILED));
  EXPECT_THAT(Stored(id).reason(), HasSubstr("author signature"));
  EXPECT_THAT(partner().sends(), IsEmpty());
}

// ---------------------------------------------------------------------------
// 4. Per-case order.

TEST_F(DispatcherTest, NextDeliveryOfACaseWaitsForTheAcknowledgement) {
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  const std::string first = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));
  const std::string second = IdTo(Accept("A-2", "CASE-1", {kPartner}));
  // Another case is not held up: once it is sent, A-2 has been queued.
  Accept("A-3", "CASE-2", {kPartner});
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-3"); }));
  Barrier();
  EXPECT_THAT(partner().sent_alerts(), ElementsAre("A-1", "A-3"));
  EXPECT_EQ(Stored(second).state(), Delivery::QUEUED);

  ASSERT_TRUE(partner().Release("A-1", Answer::kAck));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-2"); }));
  EXPECT_EQ(Stored(first).state(), Delivery::ACKNOWLEDGED);
  EXPECT_THAT(partner().sent_alerts(), ElementsAre("A-1", "A-3", "A-2"));
  ASSERT_TRUE(partner().Release("A-2", Answer::kAck));
  ASSERT_TRUE(partner().Release("A-3", Answer::kAck));
  EXPECT_TRUE(WaitForState(second, Delivery::ACKNOWLEDGED));
}

TEST_F(DispatcherTest, DeadLetteredDeliveryReleasesTheNextOfItsCase) {
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  const std::string first = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));
  const std::string second = IdTo(Accept("A-2", "CASE-1", {kPartner}));
  Barrier();
  EXPECT_THAT(partner().sent_alerts(), ElementsAre("A-1"));

  ASSERT_TRUE(partner().Release("A-1", Answer::kRefuse));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-2"); }));
  EXPECT_EQ(Stored(first).state(), Delivery::FAILED);
  ASSERT_TRUE(partner().Release("A-2", Answer::kAck));
  EXPECT_TRUE(WaitForState(second, Delivery::ACKNOWLEDGED));
}

TEST_F(DispatcherTest, RetryingDeliveryKeepsTheNextOfItsCaseWaiting) {
  // Backoff long enough that the first stays RETRYING for the whole test.
  options_.backoff.first = absl::Hours(1);
  options_.backoff.max = absl::Hours(1);
  partner().Script("A-1", {Answer::kFail});
  StartDispatcher();
  const std::string first = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(first, Delivery::RETRYING));
  const std::string second = IdTo(Accept("A-2", "CASE-1", {kPartner}));
  const std::string other = IdTo(Accept("A-3", "CASE-2", {kPartner}));
  ASSERT_TRUE(WaitForState(other, Delivery::ACKNOWLEDGED));
  Barrier();
  EXPECT_THAT(partner().sent_alerts(), ElementsAre("A-1", "A-3"));
  EXPECT_EQ(Stored(second).state(), Delivery::QUEUED);
}

// ---------------------------------------------------------------------------
// 5. Priority.

TEST_F(DispatcherTest, UrgentOvertakesQueuedRoutineTraffic) {
  max_in_flight_ = 1;
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  Accept("R-0", "CASE-R0", {kPartner});
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("R-0"); }));
  Accept("R-1", "CASE-R1", {kPartner});
  Accept("R-2", "CASE-R2", {kPartner});
  Accept("H-1", "CASE-H1", {kPartner}, CaseAlert::HIGH);
  Accept("R-3", "CASE-R3", {kPartner});
  Accept("U-1", "CASE-U1", {kPartner}, CaseAlert::URGENT);
  Barrier();
  // One at a time on this link.
  EXPECT_THAT(partner().sent_alerts(), ElementsAre("R-0"));

  // Each release lets exactly the next one go.
  const std::vector<std::string> want = {"R-0", "U-1", "H-1",
                                         "R-1", "R-2", "R-3"};
  for (size_t i = 0; i + 1 < want.size(); ++i) {
    ASSERT_TRUE(partner().Release(want[i], Answer::kAck)) << want[i];
    ASSERT_TRUE(WaitFor([&] { return partner().sends().size() == i + 2; }))
        << "after releasing " << want[i];
    ASSERT_EQ(partner().held_alerts().size(), 1u);
  }
  EXPECT_EQ(partner().sent_alerts(), want);
  ASSERT_TRUE(partner().Release("R-3", Answer::kAck));
}

TEST_F(DispatcherTest, SaturatedLinkWaitsWithoutBusyLooping) {
  // While the only send slot is taken and another delivery is due, the
  // engine has nothing to do until the attempt ends; it must not spin (a
  // spinning delivery thread takes a core from the rest of the gateway).
  auto clock = std::make_shared<FakeClock>();
  options_.clock = [clock] { return clock->Now(); };
  max_in_flight_ = 1;
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  Accept("A-1", "CASE-1", {kPartner});
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));
  Accept("A-2", "CASE-2", {kPartner});
  Barrier();
  const int64_t before = clock->reads();
  absl::SleepFor(absl::Milliseconds(300));
  Barrier();
  // Idle, the engine reads the clock a handful of times at most; a busy
  // loop reads it thousands of times in 300 ms.
  EXPECT_LT(clock->reads() - before, 100);
  partner().SetDefault(Answer::kAck);
  ASSERT_TRUE(partner().Release("A-1", Answer::kAck));
  ASSERT_TRUE(WaitFor([&] { return partner().sends().size() == 2; }));
}

// ---------------------------------------------------------------------------
// 6. Restart.

TEST_F(DispatcherTest, RestartResumesPendingDeliveriesAndSkipsAcknowledged) {
  partner().Script("A-RETRY", {}, Answer::kFail);
  StartDispatcher();
  const std::string acked = IdTo(Accept("A-ACK", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(acked, Delivery::ACKNOWLEDGED));
  const std::string retrying = IdTo(Accept("A-RETRY", "CASE-2", {kPartner}));
  ASSERT_TRUE(WaitFor([&] {
    const Delivery d = Stored(retrying);
    return d.state() == Delivery::RETRYING && d.attempts() >= 2;
  }));
  // Accepted while the engine was already stopped: QUEUED in the outbox.
  StopDispatcher();
  const std::string queued = IdTo(Accept("A-QUEUED", "CASE-3", {kPartner}));
  const std::vector<SentMessage> before = partner().SendsOf("A-RETRY");
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(Stored(retrying).attempts(), before.size());
  EXPECT_EQ(Stored(queued).state(), Delivery::QUEUED);

  partner().Script("A-RETRY", {}, Answer::kAck);
  Restart();
  ASSERT_TRUE(WaitForState(retrying, Delivery::ACKNOWLEDGED));
  ASSERT_TRUE(WaitForState(queued, Delivery::ACKNOWLEDGED));

  // The retried delivery kept its id and bytes, and counts every attempt.
  const std::vector<SentMessage> all = partner().SendsOf("A-RETRY");
  ASSERT_EQ(all.size(), before.size() + 1);
  EXPECT_EQ(all.back().message_id, retrying);
  EXPECT_EQ(all.back().bytes, before.front().bytes);
  EXPECT_EQ(Stored(retrying).attempts(), all.size());
  EXPECT_EQ(partner().SendsOf("A-QUEUED").size(), 1u);
  // Acknowledged before the restart: never sent again.
  EXPECT_EQ(partner().SendsOf("A-ACK").size(), 1u);
}

TEST_F(DispatcherTest, RestartKeepsPerCaseOrder) {
  // Two deliveries of one case pending at start: the older goes first and
  // the younger waits for its acknowledgement.
  partner().SetDefault(Answer::kHold);
  const std::string first = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  const std::string second = IdTo(Accept("A-2", "CASE-1", {kPartner}));
  StartDispatcher();
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));
  Barrier();
  EXPECT_THAT(partner().sent_alerts(), ElementsAre("A-1"));
  ASSERT_TRUE(partner().Release("A-1", Answer::kAck));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-2"); }));
  EXPECT_EQ(Stored(first).state(), Delivery::ACKNOWLEDGED);
  ASSERT_TRUE(partner().Release("A-2", Answer::kAck));
  EXPECT_TRUE(WaitForState(second, Delivery::ACKNOWLEDGED));
}

// ---------------------------------------------------------------------------
// 7. Operators.

TEST_F(DispatcherTest, RetryOfDeadLetterSendsItAgainUnderANewId) {
  EventLog events(&watchers_, "A-1");
  partner().Script("A-1", {Answer::kRefuse}, Answer::kAck);
  StartDispatcher();
  const std::string old_id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(old_id, Delivery::FAILED));

  auto retried = Retry(old_id);
  ASSERT_TRUE(retried.ok()) << retried.status();
  const std::string new_id = retried->delivery.message_id();
  EXPECT_NE(new_id, old_id);
  EXPECT_FALSE(new_id.empty());
  EXPECT_EQ(retried->delivery.state(), Delivery::QUEUED);
  EXPECT_EQ(retried->delivery.attempts(), 0u);
  EXPECT_EQ(retried->alert_id, "A-1");

  ASSERT_TRUE(WaitForState(new_id, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(Stored(new_id).attempts(), 1u);
  EXPECT_EQ(Stored(new_id).receipt().message_id(), new_id);
  const std::vector<SentMessage> sends = partner().SendsOf("A-1");
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].message_id, old_id);
  EXPECT_EQ(sends[1].message_id, new_id);
  // The delivery now goes by its new id only.
  EXPECT_EQ(store_->GetDelivery(old_id).status().code(),
            absl::StatusCode::kNotFound);

  const auto audits =
      Audits("DeliveryService.RetryDelivery", "message:" + old_id);
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].actor_user(), "admin1");
  EXPECT_EQ(audits[0].actor_role(), "admin");
  EXPECT_THAT(audits[0].object_ids(), Contains("message:" + new_id));
  EXPECT_THAT(audits[0].object_ids(), Contains("alert:A-1"));
  EXPECT_THAT(audits[0].reason(), HasSubstr(new_id));

  ASSERT_TRUE(WaitFor([&] { return events.StatesOf(new_id).size() >= 3; }));
  EXPECT_THAT(
      events.StatesOf(new_id),
      ElementsAre(Delivery::QUEUED, Delivery::SENT, Delivery::ACKNOWLEDGED));
}

TEST_F(DispatcherTest, RetryOfAcknowledgedDeliveryIsRefused) {
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  auto retried = Retry(id);
  EXPECT_EQ(retried.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(retried.status().message(), HasSubstr("acknowledged"));
  auto cancelled = Cancel(id, "too late");
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kFailedPrecondition);
  Barrier();
  EXPECT_EQ(partner().sends().size(), 1u);
  EXPECT_EQ(Stored(id).state(), Delivery::ACKNOWLEDGED);
  EXPECT_THAT(Audits("DeliveryService.RetryDelivery", "message:" + id),
              IsEmpty());
}

TEST_F(DispatcherTest, RetryOfRetryingDeliverySendsNow) {
  options_.backoff.first = absl::Hours(1);
  options_.backoff.max = absl::Hours(1);
  partner().Script("A-1", {Answer::kFail}, Answer::kAck);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(id, Delivery::RETRYING));
  const Delivery waiting = Stored(id);
  ASSERT_TRUE(waiting.has_next_attempt_at());
  EXPECT_GT(util::FromTimestamp(waiting.next_attempt_at()),
            absl::Now() + absl::Minutes(30));

  auto retried = Retry(id);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->delivery.message_id(), id);
  ASSERT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(Stored(id).attempts(), 2u);
  const std::vector<SentMessage> sends = partner().SendsOf("A-1");
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[1].message_id, id);
  EXPECT_EQ(sends[1].bytes, sends[0].bytes);
  const auto audits = Audits("DeliveryService.RetryDelivery", "message:" + id);
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].actor_user(), "admin1");
}

TEST_F(DispatcherTest, CancelOfRetryingDeliveryReleasesTheNextOfItsCase) {
  options_.backoff.first = absl::Hours(1);
  options_.backoff.max = absl::Hours(1);
  partner().Script("A-1", {Answer::kFail}, Answer::kAck);
  StartDispatcher();
  EventLog events(&watchers_, "A-1");
  const std::string first = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(first, Delivery::RETRYING));
  const std::string second = IdTo(Accept("A-2", "CASE-1", {kPartner}));
  Barrier();
  EXPECT_EQ(Stored(second).state(), Delivery::QUEUED);

  auto cancelled = Cancel(first, "sent by fax instead");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->delivery.state(), Delivery::CANCELLED);
  EXPECT_THAT(cancelled->delivery.reason(), HasSubstr("sent by fax instead"));
  EXPECT_THAT(cancelled->delivery.reason(), HasSubstr("admin1"));
  EXPECT_EQ(Stored(first).state(), Delivery::CANCELLED);
  EXPECT_FALSE(Stored(first).has_next_attempt_at());

  const auto audits =
      Audits("DeliveryService.CancelDelivery", "message:" + first);
  ASSERT_EQ(audits.size(), 1u);
  // The operator's words stay with the delivery, out of the audit log.
  EXPECT_EQ(audits[0].reason(), "cancelled by an operator");
  EXPECT_EQ(audits[0].actor_user(), "admin1");
  ASSERT_TRUE(WaitFor([&] {
    return !events.StatesOf(first).empty() &&
           events.StatesOf(first).back() == Delivery::CANCELLED;
  }));

  ASSERT_TRUE(WaitForState(second, Delivery::ACKNOWLEDGED));
  // Never sent again, also not after a restart.
  Restart();
  const std::string later = IdTo(Accept("A-3", "CASE-2", {kPartner}));
  ASSERT_TRUE(WaitForState(later, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
  EXPECT_EQ(Stored(first).state(), Delivery::CANCELLED);

  // Cancelling twice is refused.
  EXPECT_EQ(Cancel(first, "again").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(DispatcherTest, CancelOfDeadLetter) {
  partner().Script("A-1", {Answer::kRefuse}, Answer::kAck);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(id, Delivery::FAILED));
  auto cancelled = Cancel(id, "withdrawn");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(Stored(id).state(), Delivery::CANCELLED);
  Barrier();
  EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
}

TEST_F(DispatcherTest, OperatorsCannotChangeADeliveryInFlight) {
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));

  auto cancelled = Cancel(id, "changed my mind");
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(cancelled.status().message(), HasSubstr("in flight"));
  auto retried = Retry(id);
  EXPECT_EQ(retried.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(retried.status().message(), HasSubstr("in flight"));

  ASSERT_TRUE(partner().Release("A-1", Answer::kAck));
  ASSERT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  EXPECT_THAT(Audits("DeliveryService.CancelDelivery", "message:" + id),
              IsEmpty());
}

TEST_F(DispatcherTest, UnknownMessageIdIsNotFound) {
  StartDispatcher();
  EXPECT_EQ(Retry(util::NewUuidV4()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Cancel(util::NewUuidV4(), "why").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(DispatcherTest, CancelRightAfterRetryNeverLeavesItHalfCancelled) {
  // Retry asks for an attempt now. A Cancel that comes right after is
  // either refused (the retry is still being recorded, or its attempt is in
  // flight) or it wins: then the delivery is not sent again and stays
  // CANCELLED in the store.
  options_.backoff.first = absl::Hours(1);
  options_.backoff.max = absl::Hours(1);
  partner().Script("A-1", {Answer::kFail}, Answer::kAck);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(id, Delivery::RETRYING));

  auto retry_done = std::make_shared<absl::Notification>();
  dispatcher_->Retry(Admin(), id,
                     [retry_done](absl::StatusOr<store::DeliveryRow> r) {
                       EXPECT_TRUE(r.ok()) << r.status();
                       retry_done->Notify();
                     });
  auto cancelled = Cancel(id, "withdrawn");
  ASSERT_TRUE(retry_done->WaitForNotificationWithTimeout(kWait));
  if (!cancelled.ok()) {
    EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
    return;
  }
  // Any attempt that started has been answered (the fake partner answers
  // at once) and its outcome submitted; wait until that is durable.
  Barrier();
  WriterBarrier();
  EXPECT_EQ(Stored(id).state(), Delivery::CANCELLED);
  EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
}

TEST_F(DispatcherTest, RetryRightAfterCancelNeverLeavesItStranded) {
  // The opposite order: the Retry is refused while the cancellation is
  // being recorded, or it re-queues the cancelled delivery under its own
  // id (an earlier attempt may have reached the partner, which then
  // deduplicates).
  // Either way nothing ends up pending in the store without the engine
  // working on it.
  options_.backoff.first = absl::Hours(1);
  options_.backoff.max = absl::Hours(1);
  partner().Script("A-1", {Answer::kFail}, Answer::kAck);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(id, Delivery::RETRYING));

  auto cancel_done = std::make_shared<absl::Notification>();
  dispatcher_->Cancel(Admin(), id, "withdrawn",
                      [cancel_done](absl::StatusOr<store::DeliveryRow> r) {
                        EXPECT_TRUE(r.ok()) << r.status();
                        cancel_done->Notify();
                      });
  auto retried = Retry(id);
  ASSERT_TRUE(cancel_done->WaitForNotificationWithTimeout(kWait));
  if (!retried.ok()) {
    EXPECT_EQ(retried.status().code(), absl::StatusCode::kFailedPrecondition);
    Barrier();
    WriterBarrier();
    EXPECT_EQ(Stored(id).state(), Delivery::CANCELLED);
    EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
    return;
  }
  const std::string now_id = retried->delivery.message_id();
  EXPECT_EQ(now_id, id);
  EXPECT_TRUE(WaitForState(now_id, Delivery::ACKNOWLEDGED))
      << Delivery::State_Name(Stored(now_id).state());
}

TEST_F(DispatcherTest, CancelOfDeliveryWaitingForASendSlotWins) {
  // A-2 waits for the link's only send slot. The slot frees up while its
  // cancellation is being recorded: A-2 must not go out.
  max_in_flight_ = 1;
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  const std::string first = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));
  const std::string second = IdTo(Accept("A-2", "CASE-2", {kPartner}));
  Barrier();
  partner().SetDefault(Answer::kAck);

  ASSERT_TRUE(partner().Release("A-1", Answer::kAck));
  auto cancelled = Cancel(second, "withdrawn");
  ASSERT_TRUE(WaitForState(first, Delivery::ACKNOWLEDGED));
  if (!cancelled.ok()) {
    // A-2 had been sent already: refused, and it is delivered.
    EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(WaitForState(second, Delivery::ACKNOWLEDGED));
    return;
  }
  Barrier();
  WriterBarrier();
  EXPECT_EQ(Stored(second).state(), Delivery::CANCELLED);
  EXPECT_THAT(partner().sent_alerts(), ElementsAre("A-1"));
}

// ---------------------------------------------------------------------------
// 8. No link.

TEST_F(DispatcherTest, RecipientWithoutALinkStaysQueued) {
  StartDispatcher();
  const gw::v1::AlertRecord record =
      Accept("A-1", "CASE-1", {kUnlinked, kPartner});
  ASSERT_TRUE(WaitForState(IdTo(record, kPartner), Delivery::ACKNOWLEDGED));
  Barrier();
  WriterBarrier();
  const Delivery unlinked = Stored(IdTo(record, kUnlinked));
  EXPECT_EQ(unlinked.state(), Delivery::QUEUED);
  EXPECT_EQ(unlinked.attempts(), 0u);
  // The investigator can read why it waits.
  EXPECT_THAT(unlinked.reason(),
              HasSubstr("no partner link is configured for MM-MPF"));
  for (const auto& [agency, p] : partners_) {
    for (const SentMessage& s : p->sends())
      EXPECT_NE(s.message_id, IdTo(record, kUnlinked)) << agency;
  }

  // At the next start it is reported, by agency and count only.
  Restart();
  ASSERT_TRUE(WaitFor([&] {
    for (const std::string& line : Log()) {
      if (absl::StrContains(line, kUnlinked)) return true;
    }
    return false;
  }));
  for (const std::string& line : Log()) {
    EXPECT_THAT(line, Not(HasSubstr("TESTCASE")));
    EXPECT_THAT(line, Not(HasSubstr("Fictional")));
  }
  EXPECT_EQ(Stored(IdTo(record, kUnlinked)).state(), Delivery::QUEUED);

  // An operator retry cannot help and says why.
  auto retried = Retry(IdTo(record, kUnlinked));
  EXPECT_EQ(retried.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(retried.status().message(), HasSubstr(kUnlinked));
}

// ---------------------------------------------------------------------------
// 9. Circuit breaker.

TEST_F(DispatcherTest, BreakerPausesAFailingLinkThenProbesAndDrains) {
  // Time stands still unless the test moves it: backoff (10 min) and the
  // breaker's cool-down (1 min) pass only when the test says so.
  auto clock = std::make_shared<FakeClock>();
  options_.clock = [clock] { return clock->Now(); };
  options_.backoff.first = absl::Minutes(10);
  options_.backoff.max = absl::Minutes(10);
  options_.backoff.jitter = 0;
  options_.breaker.failures_to_open = 3;
  options_.breaker.first_open = absl::Minutes(1);
  options_.breaker.max_open = absl::Minutes(5);
  partner().SetDefault(Answer::kFail);
  StartDispatcher();

  std::vector<std::string> failed;
  for (int i = 1; i <= 3; ++i) {
    const std::string id = IdTo(
        Accept(absl::StrCat("B-", i), absl::StrCat("CASE-", i), {kPartner}));
    ASSERT_TRUE(WaitForState(id, Delivery::RETRYING));
    failed.push_back(id);
  }
  ASSERT_EQ(partner().sends().size(), 3u);

  // Open: a new delivery is not even tried.
  clock->Advance(absl::Seconds(30));
  const std::string during = IdTo(Accept("B-4", "CASE-4", {kPartner}));
  Barrier();
  EXPECT_EQ(partner().sends().size(), 3u);
  EXPECT_EQ(Stored(during).state(), Delivery::QUEUED);

  // Cool-down over: exactly one probe goes, although more are due.
  partner().SetDefault(Answer::kHold);
  clock->Advance(absl::Seconds(31));
  const std::string poke = IdTo(Accept("B-5", "CASE-5", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return partner().sends().size() == 4; }));
  Barrier();
  EXPECT_EQ(partner().sends().size(), 4u);
  EXPECT_THAT(partner().held_alerts(), ElementsAre("B-4"));

  // The probe is acknowledged: everything waiting goes at once, including
  // the deliveries whose backoff (10 min) has not run out.
  partner().SetDefault(Answer::kAck);
  ASSERT_TRUE(partner().Release("B-4", Answer::kAck));
  for (const std::string& id : failed) {
    EXPECT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED)) << id;
    EXPECT_EQ(Stored(id).attempts(), 2u);
  }
  EXPECT_TRUE(WaitForState(during, Delivery::ACKNOWLEDGED));
  EXPECT_TRUE(WaitForState(poke, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(partner().sends().size(), 8u);
}

TEST_F(DispatcherTest, FailedProbeReopensTheBreaker) {
  auto clock = std::make_shared<FakeClock>();
  options_.clock = [clock] { return clock->Now(); };
  options_.backoff.first = absl::Minutes(10);
  options_.backoff.max = absl::Minutes(10);
  options_.backoff.jitter = 0;
  options_.breaker.failures_to_open = 2;
  options_.breaker.first_open = absl::Minutes(1);
  options_.breaker.max_open = absl::Minutes(5);
  partner().SetDefault(Answer::kFail);
  StartDispatcher();
  for (int i = 1; i <= 2; ++i) {
    const std::string id = IdTo(
        Accept(absl::StrCat("B-", i), absl::StrCat("CASE-", i), {kPartner}));
    ASSERT_TRUE(WaitForState(id, Delivery::RETRYING));
  }
  clock->Advance(absl::Seconds(61));
  const std::string probe = IdTo(Accept("B-3", "CASE-3", {kPartner}));
  ASSERT_TRUE(WaitForState(probe, Delivery::RETRYING));
  EXPECT_EQ(partner().sends().size(), 3u);
  // Open again (for longer): the next new delivery waits.
  clock->Advance(absl::Seconds(61));
  const std::string waiting = IdTo(Accept("B-4", "CASE-4", {kPartner}));
  Barrier();
  EXPECT_EQ(partner().sends().size(), 3u);
  EXPECT_EQ(Stored(waiting).state(), Delivery::QUEUED);
}

TEST_F(DispatcherTest, OperatorRetryPassesAnOpenBreakerOnce) {
  auto clock = std::make_shared<FakeClock>();
  options_.clock = [clock] { return clock->Now(); };
  options_.backoff.first = absl::Minutes(10);
  options_.backoff.max = absl::Minutes(10);
  options_.breaker.failures_to_open = 1;
  options_.breaker.first_open = absl::Minutes(5);
  partner().SetDefault(Answer::kFail);
  StartDispatcher();
  const std::string id = IdTo(Accept("B-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitForState(id, Delivery::RETRYING));
  partner().SetDefault(Answer::kAck);
  ASSERT_TRUE(Retry(id).ok());
  EXPECT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(partner().sends().size(), 2u);
}

// ---------------------------------------------------------------------------
// 10. Stopping.

TEST_F(DispatcherTest, StopWithAnAttemptInFlightReturnsAndLosesNothing) {
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));

  // Stop returns although the partner never answers: the grace is bounded
  // and the transport is stopped.
  auto stopped = std::async(
      std::launch::async, [this] { StopDispatcher(absl::Milliseconds(200)); });
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_GE(partner().stops(), 1);

  // Still pending in the store, and delivered after a restart with the same
  // id and bytes.
  const Delivery::State state = Stored(id).state();
  EXPECT_TRUE(state == Delivery::QUEUED || state == Delivery::RETRYING)
      << Delivery::State_Name(state);
  partner().SetDefault(Answer::kAck);
  Restart();
  ASSERT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  const std::vector<SentMessage> sends = partner().SendsOf("A-1");
  ASSERT_GE(sends.size(), 2u);
  EXPECT_EQ(sends.back().message_id, id);
  EXPECT_EQ(sends.back().bytes, sends.front().bytes);
}

TEST_F(DispatcherTest, StopWhileTheStoreIsSlowReturnsAndLosesNothing) {
  // The disk stalls at shutdown: the acknowledgement's write is still in
  // the writer when Stop()'s grace runs out and the engine is destroyed.
  // When the write completes, its callback must not reach the destroyed
  // engine, and the acknowledgement is on record all the same.
  partner().SetDefault(Answer::kHold);
  StartDispatcher();
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(WaitFor([&] { return partner().IsHeld("A-1"); }));

  absl::Notification stalled;
  absl::Notification resume;
  auto stall = std::make_unique<store::Write>();
  store::AppendAudit append;
  append.audit.set_action("Test.Stall");
  stall->op = std::move(append);
  writer_->Submit(std::move(stall), [&](store::Write&) {
    stalled.Notify();
    resume.WaitForNotificationWithTimeout(kWait);
  });
  ASSERT_TRUE(stalled.WaitForNotificationWithTimeout(kWait));

  // Acknowledged; recording it waits behind the stalled write.
  ASSERT_TRUE(partner().Release("A-1", Answer::kAck));
  Barrier();
  StopDispatcher(absl::Milliseconds(100));
  resume.Notify();
  WriterBarrier();

  EXPECT_EQ(Stored(id).state(), Delivery::ACKNOWLEDGED);
  partner().SetDefault(Answer::kAck);
  Restart();
  const std::string later = IdTo(Accept("A-2", "CASE-2", {kPartner}));
  ASSERT_TRUE(WaitForState(later, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
}

TEST_F(DispatcherTest, NoAttemptStartsOnceStopHasBegun) {
  // A new delivery is being pumped when Stop() begins: Stop() sees nothing
  // in flight and stops the transport. The delivery must then not go out
  // (its outcome would never be recorded); it waits for the next start.
  auto clock = std::make_shared<FakeClock>();
  options_.clock = [clock] { return clock->Now(); };
  StartDispatcher();
  Barrier();
  clock->PauseNextRead();  // the Pump() for A-1, after its stop check
  const std::string id = IdTo(Accept("A-1", "CASE-1", {kPartner}));
  ASSERT_TRUE(clock->WaitUntilPaused());
  auto stopped = std::async(std::launch::async, [this] { StopDispatcher(); });
  ASSERT_TRUE(WaitFor([&] { return partner().stops() > 0; }));
  clock->Resume();
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_THAT(partner().sends(), IsEmpty());
  EXPECT_EQ(Stored(id).state(), Delivery::QUEUED);

  Restart();
  ASSERT_TRUE(WaitForState(id, Delivery::ACKNOWLEDGED));
  EXPECT_EQ(partner().SendsOf("A-1").size(), 1u);
}

TEST_F(DispatcherTest, StopIsIdempotentAndDestructionWithoutStartIsClean) {
  StartDispatcher();
  dispatcher_->Stop(absl::Milliseconds(100));
  dispatcher_->Stop(absl::Milliseconds(100));
  StopDispatcher();
  // Never started: destroying it must not hang or crash.
  std::map<std::string, std::unique_ptr<adapters::Adapter>> links;
  links.emplace(kPartner,
                std::make_unique<FakeAdapter>(partners_[kPartner], 1));
  auto idle = std::make_unique<Dispatcher>(
      "CN-MPS", policy_, store_.get(), writer_.get(), signer_.get(),
      std::move(links), &watchers_, options_);
  idle.reset();
}

}  // namespace
}  // namespace gw::delivery
