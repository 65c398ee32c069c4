// tests/unit/gateway/api/in_process_gateway.h
//
// InProcessGateway serves the real AlertService and DeliveryService in the
// test process, over real mutual TLS with the dev PKI (tests/support) and
// the project's policies/, on a FakeStore with the real Writer, Pipeline,
// Queries and Gatekeeper: what a caller sees, including audited refusals,
// without gatewayd. The delivery engine is replaced by FakeOperations
// (records each call) and the test publishes delivery events itself through
// delivery_watchers().
// Failures to start are test failures; address() is then empty.
// Thread safety: accessors may be used from the test thread while calls run.
#ifndef GW_TESTS_UNIT_GATEWAY_API_IN_PROCESS_GATEWAY_H_
#define GW_TESTS_UNIT_GATEWAY_API_IN_PROCESS_GATEWAY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/delivery/delivery_operations.h"
#include "gateway/delivery/delivery_watchers.h"
#include "gw/v1/alert.pb.h"
#include "tests/support/fake_store.h"

namespace gw::api::testing {

// A DeliveryOperations that records every call and answers from the store:
// Retry gives the delivery as stored; Cancel stores it CANCELLED with the
// reason (as the engine would) and publishes the event. fail_with(status)
// makes every call answer that status instead. `done` runs on another
// thread, as the engine's would.
class FakeOperations final : public delivery::DeliveryOperations {
 public:
  struct Call {
    std::string action;  // "retry" or "cancel"
    std::string actor;   // AGENCY/ROLE/USER
    std::string message_id;
    std::string reason;
  };

  FakeOperations(gw::testing::FakeStore* store,
                 delivery::DeliveryWatchers* watchers)
      : store_(store), watchers_(watchers) {}
  ~FakeOperations() override;

  void Retry(const identity::Principal& actor, const std::string& message_id,
             Done done) override;
  void Cancel(const identity::Principal& actor, const std::string& message_id,
              const std::string& reason, Done done) override;

  void fail_with(absl::Status status);
  std::vector<Call> calls();

 private:
  absl::StatusOr<store::DeliveryRow> Answer(const Call& call);
  void Later(std::function<void()> work);

  gw::testing::FakeStore* const store_;         // not owned
  delivery::DeliveryWatchers* const watchers_;  // not owned
  absl::Mutex mu_;
  absl::Status fail_with_ ABSL_GUARDED_BY(mu_);
  std::vector<Call> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

class InProcessGateway {
 public:
  InProcessGateway();
  ~InProcessGateway();
  InProcessGateway(const InProcessGateway&) = delete;
  InProcessGateway& operator=(const InProcessGateway&) = delete;

  const std::string& address() const { return address_; }
  // A channel presenting the dev PKI's AGENCY/ROLE/USER certificate.
  std::shared_ptr<grpc::Channel> ChannelAs(const std::string& agency,
                                           const std::string& role,
                                           const std::string& user) const;

  // Stores an alert from CN-MPS investigator1 to `recipients`, each
  // delivery QUEUED with a new message id; returns the stored record.
  gw::v1::AlertRecord AddAlert(const std::string& alert_id,
                               const std::vector<std::string>& recipients);
  // Stores an alert received from `partner` and addressed to CN-MPS.
  void AddInboundAlert(const std::string& alert_id, const std::string& partner);

  // Stops the server: open streams end, with `grace` to finish first.
  void Shutdown(absl::Duration grace);

  gw::testing::FakeStore& store();
  delivery::DeliveryWatchers& delivery_watchers();
  FakeOperations& operations();
  // The audit entries with `action`, in log order.
  std::vector<gw::v1::AuditEntry> AuditEntries(const std::string& action);

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
  std::string address_;
};

}  // namespace gw::api::testing

#endif  // GW_TESTS_UNIT_GATEWAY_API_IN_PROCESS_GATEWAY_H_
