// tools/gwctl/error_sentence.cc
#include "tools/gwctl/error_sentence.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace gw::gwctl {
namespace {

// "the gateway refused <this>" for each operation.
std::string RefusedWhat(const FailedCall& call) {
  switch (call.operation) {
    case Operation::kSendAlert:
      return "the alert";
    case Operation::kGetAlert:
      return absl::StrCat("to show alert ", call.object_id);
    case Operation::kListAlerts:
      return "to list alerts";
    case Operation::kGetCase:
      return absl::StrCat("to show case ", call.object_id);
    case Operation::kListCases:
      return "to list cases";
    case Operation::kUpdateCase:
      return absl::StrCat("the update of case ", call.object_id);
    case Operation::kWatchCase:
      return absl::StrCat("to watch case ", call.object_id);
    case Operation::kGetCheckpoint:
      return "to show its audit checkpoint";
    case Operation::kGetEntries:
      return absl::StrCat("to list audit entries from leaf ", call.object_id);
    case Operation::kGetConsistencyProof:
      return absl::StrCat("a consistency proof ", call.object_id);
    case Operation::kSearchAudit:
      return "to search the audit log";
    case Operation::kListDeliveries:
      return "to list deliveries";
    case Operation::kRetryDelivery:
      return absl::StrCat("to retry delivery ", call.object_id);
    case Operation::kCancelDelivery:
      return absl::StrCat("to cancel delivery ", call.object_id);
    case Operation::kWatchDeliveries:
      return absl::StrCat("to watch the deliveries of alert ", call.object_id);
  }
  return "the request";
}

std::string InvalidArgumentHint(const FailedCall& call) {
  switch (call.operation) {
    case Operation::kSendAlert:
      return call.input_file.empty()
                 ? "fix the named field in the alert file and send it again"
                 : absl::StrCat("fix the named field in ", call.input_file,
                                " and send it again");
    case Operation::kUpdateCase:
      return "fix the named field (it comes from REF, --state, --note, "
             "--lang or --update-id) and try again";
    case Operation::kListAlerts:
    case Operation::kListCases:
    case Operation::kSearchAudit:
    case Operation::kListDeliveries:
      return "fix the named filter or --page-token (use the token the "
             "previous page printed) and try again";
    case Operation::kRetryDelivery:
    case Operation::kCancelDelivery:
      return "fix the named argument (MESSAGE_ID as gwctl delivery list "
             "prints it, or --reason) and try again";
    default:
      return "fix the named argument and try again";
  }
}

std::string NotFoundHint(const FailedCall& call) {
  switch (call.operation) {
    case Operation::kGetAlert:
      return "check the id (the alert may also exist but not be visible to "
             "your agency; gwctl list-alerts shows those you may see)";
    case Operation::kGetCase:
    case Operation::kWatchCase:
    case Operation::kUpdateCase:
      return "check the id (the case reference may also exist but not be "
             "visible to your agency; gwctl case list shows those you may "
             "see)";
    case Operation::kWatchDeliveries:
      return "check the id (only the agency that sent the alert may watch "
             "its deliveries; gwctl list-alerts shows the alerts you may see)";
    case Operation::kRetryDelivery:
    case Operation::kCancelDelivery:
      return "check the message id (a retried dead letter gets a new one; "
             "gwctl delivery list --alert ID shows the current ids)";
    default:
      return "check the id";
  }
}

std::string AlreadyExistsHint(const FailedCall& call) {
  if (call.operation == Operation::kUpdateCase) {
    return "that update id was used for a different update: pick a new "
           "--update-id, or leave it out and gwctl picks one";
  }
  return "that id was used for a different alert: pick a new alert_id (or "
         "remove it from the file and gwctl picks one; to resend the same "
         "alert, keep its alert_id and created_at unchanged)";
}

std::string HintFor(grpc::StatusCode code, const FailedCall& call) {
  switch (code) {
    case grpc::StatusCode::UNAUTHENTICATED:
      return "check --as or --cert/--key: the certificate may be expired or "
             "revoked, or the envelope was not signed with its key";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "your role may not do this (or the object is not your "
             "agency's): use an identity that may (--as AGENCY/ROLE/USER), or "
             "ask your gateway administrator";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return InvalidArgumentHint(call);
    case grpc::StatusCode::NOT_FOUND:
      return NotFoundHint(call);
    case grpc::StatusCode::ALREADY_EXISTS:
      return AlreadyExistsHint(call);
    case grpc::StatusCode::FAILED_PRECONDITION:
      if (call.operation == Operation::kRetryDelivery ||
          call.operation == Operation::kCancelDelivery) {
        return "the delivery's state does not allow this (an acknowledged "
               "delivery is final; one in flight can be changed once its "
               "attempt ends): check it with gwctl delivery list --alert ID";
      }
      return "the step is out of order for the current state: check it with "
             "gwctl case get REF (or get-alert ID) and do the step that comes "
             "next";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "ask for something the gateway already holds";
    case grpc::StatusCode::ABORTED:
      return "the gateway was busy with a conflicting change: run the same "
             "command again";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "the message is too large or the gateway is overloaded: shrink "
             "it (fewer or smaller attachments) or try again later";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "this gateway does not offer this call: check that --server "
             "points at a Mekong gateway of a matching version";
    case grpc::StatusCode::CANCELLED:
      return "the call was cancelled: run the command again";
    default:
      return "the gateway failed: try again later, and tell the gateway's "
             "operator if it keeps failing";
  }
}

// The gateway's message as one clause: no line breaks, no final period.
std::string OneLine(absl::string_view message) {
  std::string line = absl::StrReplaceAll(message, {{"\r", " "}, {"\n", " "}});
  absl::string_view trimmed = absl::StripAsciiWhitespace(line);
  absl::ConsumeSuffix(&trimmed, ".");
  return std::string(trimmed);
}

bool IsTlsProblem(absl::string_view message) {
  for (absl::string_view marker :
       {"andshake", "SSL", "ssl", "TLS", "tls", "ertificate"}) {
    if (absl::StrContains(message, marker)) return true;
  }
  return false;
}

// True if the server hung up while gRPC was connecting: with mutual TLS,
// what a gateway does to a client certificate it refuses.
bool IsClosedByPeer(absl::string_view message) {
  return absl::StrContains(message, "Socket closed") ||
         absl::StrContains(message, "onnection reset");
}

// True if gRPC itself failed to reach the server (as opposed to the server
// answering UNAVAILABLE).
bool IsConnectionProblem(absl::string_view message) {
  for (absl::string_view marker :
       {"failed to connect", "Failed to connect", "onnection refused",
        "DNS resolution", "backends failing", "No route to host", "unreachable",
        "Connection reset", "Broken pipe", "Timeout occurred"}) {
    if (absl::StrContains(message, marker)) return true;
  }
  return IsTlsProblem(message);
}

// A short reason for a connection failure, e.g. "connection refused".
std::string ConnectionDetail(absl::string_view message) {
  if (absl::StrContains(message, "onnection refused")) {
    return "connection refused";
  }
  if (absl::StrContains(message, "DNS resolution")) return "unknown host name";
  if (absl::StrContains(message, "No route to host")) return "no route to host";
  if (absl::StrContains(message, "unreachable")) return "network unreachable";
  const size_t last = message.rfind("last error: ");
  if (last != absl::string_view::npos) message.remove_prefix(last + 12);
  return OneLine(message);
}

}  // namespace

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return absl::StrCat("CODE_", static_cast<int>(code));
  }
}

ExitCode ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitLocal;
    default:
      return kExitRefused;
  }
}

std::string ErrorSentence(const grpc::Status& status, const FailedCall& call) {
  const grpc::StatusCode code = status.error_code();
  const std::string message = status.error_message();
  if (code == grpc::StatusCode::OK) {
    return absl::StrCat("gwctl: the call to ", call.server,
                        " succeeded: nothing needs to be done.");
  }
  if (code == grpc::StatusCode::UNAVAILABLE && IsTlsProblem(message)) {
    return absl::StrCat(
        "gwctl: the TLS handshake with the gateway at ", call.server,
        " failed (", ConnectionDetail(message),
        "): check --as or --cert/--key (your certificate may be expired, "
        "revoked or not issued by your agency's CA) and --pki/"
        "--server-agency (the CA that issued the gateway's certificate).");
  }
  if (code == grpc::StatusCode::UNAVAILABLE && IsClosedByPeer(message)) {
    return absl::StrCat(
        "gwctl: the gateway at ", call.server,
        " closed the connection, most likely refusing your certificate: "
        "check --as or --cert/--key (it may be expired, revoked or not issued "
        "by a CA the gateway trusts), and that --server is the gateway's TLS "
        "port.");
  }
  if (code == grpc::StatusCode::UNAVAILABLE && IsConnectionProblem(message)) {
    return absl::StrCat("gwctl: cannot reach the gateway at ", call.server,
                        " (", ConnectionDetail(message),
                        "): start it with tools/run-gateway, or pass "
                        "--server HOST:PORT.");
  }
  if (code == grpc::StatusCode::UNAVAILABLE) {
    return absl::StrCat("gwctl: the gateway at ", call.server,
                        " is unavailable: UNAVAILABLE: ", OneLine(message),
                        "; try again in a moment.");
  }
  if (code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::StrCat(
        "gwctl: the gateway at ", call.server, " did not answer within ",
        absl::FormatDuration(call.timeout),
        ": check that it is running and reachable, or allow more time with "
        "--timeout.");
  }
  std::string sentence =
      absl::StrCat("gwctl: the gateway refused ", RefusedWhat(call), ": ",
                   StatusCodeName(code));
  if (!OneLine(message).empty())
    absl::StrAppend(&sentence, ": ", OneLine(message));
  absl::StrAppend(&sentence, "; ", HintFor(code, call), ".");
  return sentence;
}

}  // namespace gw::gwctl
