// tools/partners/la_mps_mock/la_receiver.h
//
// The polling side of `la-mps-mock serve`: LA-MPS receiving the gateway's
// messages and receipts (shared/partners/LA-MPS.md §7.2, §7.3).
//
// The mock shares the gateway's link root: it READS <root>/outbox (the
// gateway's messages and its receipts for LA-MPS messages) and WRITES
// <root>/inbox (LA-MPS's receipts), creating only `.ack` files there.
//
// PollOnce(now), for each <id>.done in <root>/outbox whose files changed
// since they were last handled:
//  * incomplete (§7.2 steps 1-2): waits; the grace period runs from the
//    first poll that found it incomplete and is not restarted by rewrites.
//    After the grace, one CORRUPT INCOMPLETE .ack, and a new one only when
//    the files change again while still incomplete;
//  * complete, id final with the same .csv digest: the stored original
//    .ack rewritten byte for byte; with another digest: the .ack left as
//    stored and an operator warning (a "conflict" event);
//  * otherwise examined (la_reader.h ExamineMessage): unknown key → held
//    without .ack (a warning); else ACCEPTED (partner_ref
//    "<self>-IN-<year>-<NNNN>", files kept under <store>/received/) or
//    REJECTED, made final in the store BEFORE the .ack is written.
// Then, for each <id>.ack in <root>/outbox for which <root>/inbox/<id>.csv
// exists (a message this mock sent): verified as §7.3 says and journaled
// once per distinct content as {"ack_for": id, ...}.
// Every processed message is journaled in <store>/received.jsonl and
// reported through the EventSink (no personal data in events: names go to
// the journal only).
// Errors: PollOnce fails only if a directory cannot be listed; a failure on
// one message is reported as an "error" event and retried next poll.
// Thread safety: not thread-safe; one Receiver per link root and store.
// Ownership: signer, store and the verifiers in the policy are not owned.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_RECEIVER_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_RECEIVER_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "nlohmann/json.hpp"
#include "tools/partners/la_mps_mock/la_reader.h"
#include "tools/partners/la_mps_mock/la_store.h"

namespace gw::la_mps_mock {

struct ReceiverOptions {
  std::string link_root;
  absl::Duration grace = absl::Hours(6);
  ReceiverPolicy policy;
};

struct Event {
  bool warning = false;  // needs an operator
  std::string line;      // one human-readable line
  nlohmann::json json;   // the same as an object with "event"
};
using EventSink = std::function<void(const Event&)>;

class Receiver {
 public:
  Receiver(ReceiverOptions options, const crypto::Signer* signer,
           MockStore* store, EventSink sink);

  absl::Status PollOnce(absl::Time now);

 private:
  struct Incomplete {
    absl::Time first_seen;
    std::string announced_files;  // stamps when "waiting" was last reported
    bool corrupt_written = false;
    std::string corrupt_files;  // stamps when the last CORRUPT was written
  };

  absl::Status HandleMessage(const std::string& id, absl::Time now);
  absl::Status HandleIncomplete(const std::string& id, const std::string& files,
                                const MessageFileBytes& bytes,
                                const std::string& reason, absl::Time now);
  absl::Status HandleFinal(const std::string& id, const std::string& files,
                           const std::string& csv_sha256,
                           const FinalState& final_state);
  absl::Status HandleNew(const std::string& id, const std::string& files,
                         const MessageFileBytes& bytes, absl::Time now);
  absl::Status HandleReceipt(const std::string& id);
  std::string FilesKey(const std::string& id) const;
  void Emit(Event event);

  ReceiverOptions options_;
  const crypto::Signer* signer_;
  MockStore* store_;
  EventSink sink_;
  std::string incoming_;  // <root>/outbox
  std::string outgoing_;  // <root>/inbox
  std::map<std::string, Incomplete> incomplete_;
  std::map<std::string, std::string> handled_;  // id → stamps handled
  std::map<std::string, std::string> receipt_stamps_;
};

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_RECEIVER_H_
