// tools/gwctl/error_sentence.h
//
// Turns a failed gRPC call into the ONE sentence gwctl prints on stderr,
// saying what went wrong and what to do next, and into the exit code.
//
//   gwctl: cannot reach the gateway at 127.0.0.1:7443 (connection refused):
//     start it with tools/run-gateway, or pass --server HOST:PORT.
//   gwctl: the gateway refused the alert: PERMISSION_DENIED:
//     payload.recipients[1]: ...; your role may not do this: ...
//
// Guarantees: the sentence starts with "gwctl: ", ends with ".", has no line
// break, and (for an answer from the gateway) carries the code name and the
// gateway's message unchanged, followed by the hint for that code.
// Exit codes (exit_code.h): OK 0; UNAVAILABLE and DEADLINE_EXCEEDED (no
// answer) 3; every other code (the gateway said no) 1.
// Thread safety: pure functions.
#ifndef GW_TOOLS_GWCTL_ERROR_SENTENCE_H_
#define GW_TOOLS_GWCTL_ERROR_SENTENCE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "tools/gwctl/exit_code.h"

namespace gw::gwctl {

// The RPC that failed; it chooses the wording and some hints.
enum class Operation {
  kSendAlert,
  kGetAlert,
  kListAlerts,
  kGetCase,
  kListCases,
  kUpdateCase,
  kWatchCase,
  kGetCheckpoint,
  kGetEntries,
  kGetConsistencyProof,
  kSearchAudit,
  kListDeliveries,
  kRetryDelivery,
  kCancelDelivery,
  kWatchDeliveries,
};

struct FailedCall {
  Operation operation = Operation::kSendAlert;
  std::string object_id;   // alert id, case ref or message id, if any
  std::string input_file;  // send-alert's FILE
  std::string server;      // HOST:PORT
  absl::Duration timeout = absl::Seconds(30);
};

// REQUIRES: !status.ok() (for OK the sentence says nothing went wrong).
std::string ErrorSentence(const grpc::Status& status, const FailedCall& call);

ExitCode ExitCodeFor(grpc::StatusCode code);

// "INVALID_ARGUMENT", "PERMISSION_DENIED", ... ("CODE_17" if unknown).
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_ERROR_SENTENCE_H_
