// tests/unit/tools/gwctl/error_sentence_test.cc
#include "tools/gwctl/error_sentence.h"

#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::gwctl {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct Case {
  std::string name;
  grpc::StatusCode code;
  std::string message;
  Operation operation;
  std::string want_start;  // what the sentence starts with
  std::string want_hint;   // what it must contain
  ExitCode want_exit;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

FailedCall CallFor(Operation operation) {
  FailedCall call;
  call.operation = operation;
  call.object_id = "ID-1";
  call.input_file = "examples/missing-child.json";
  call.server = "127.0.0.1:7443";
  call.timeout = absl::Seconds(30);
  return call;
}

class ErrorSentenceTest : public ::testing::TestWithParam<Case> {};

TEST_P(ErrorSentenceTest, SaysWhatHappenedAndWhatToDoNext) {
  const Case& c = GetParam();
  const std::string sentence =
      ErrorSentence(grpc::Status(c.code, c.message), CallFor(c.operation));
  EXPECT_THAT(sentence, StartsWith(c.want_start));
  EXPECT_THAT(sentence, HasSubstr(c.want_hint));
  EXPECT_THAT(sentence, EndsWith("."));
  EXPECT_THAT(sentence, Not(HasSubstr("\n")));
  EXPECT_THAT(sentence, Not(HasSubstr("..")));
  EXPECT_EQ(ExitCodeFor(c.code), c.want_exit);
}

constexpr char kRefusedAlert[] = "gwctl: the gateway refused the alert: ";

INSTANTIATE_TEST_SUITE_P(
    ErrorSentenceTest, ErrorSentenceTest,
    ::testing::Values(
        Case{"ConnectionRefused", grpc::StatusCode::UNAVAILABLE,
             "failed to connect to all addresses; last error: UNKNOWN: "
             "ipv4:127.0.0.1:7443: Failed to connect to remote host: "
             "Connection refused",
             Operation::kSendAlert,
             "gwctl: cannot reach the gateway at 127.0.0.1:7443 (connection "
             "refused): ",
             "start it with tools/run-gateway, or pass --server HOST:PORT.",
             kExitLocal},
        Case{"UnknownHost", grpc::StatusCode::UNAVAILABLE,
             "DNS resolution failed for nowhere.invalid:7443",
             Operation::kGetCase,
             "gwctl: cannot reach the gateway at 127.0.0.1:7443 (unknown host "
             "name)",
             "--server HOST:PORT", kExitLocal},
        Case{"TlsHandshake", grpc::StatusCode::UNAVAILABLE,
             "failed to connect to all addresses; last error: UNKNOWN: "
             "ipv4:127.0.0.1:7443: Ssl handshake failed: SSL_ERROR_SSL: "
             "CERTIFICATE_VERIFY_FAILED",
             Operation::kGetAlert,
             "gwctl: the TLS handshake with the gateway at 127.0.0.1:7443 "
             "failed",
             "may be expired, revoked", kExitLocal},
        Case{"ClosedWhileConnecting", grpc::StatusCode::UNAVAILABLE,
             "failed to connect to all addresses; last error: UNAVAILABLE: "
             "ipv4:127.0.0.1:7443: Socket closed",
             Operation::kGetCase,
             "gwctl: the gateway at 127.0.0.1:7443 closed the connection, most "
             "likely refusing your certificate: ",
             "it may be expired, revoked", kExitLocal},
        Case{"ServerSaysUnavailable", grpc::StatusCode::UNAVAILABLE,
             "store is shutting down", Operation::kSendAlert,
             "gwctl: the gateway at 127.0.0.1:7443 is unavailable: "
             "UNAVAILABLE: store is shutting down",
             "try again", kExitLocal},
        Case{"Deadline", grpc::StatusCode::DEADLINE_EXCEEDED,
             "Deadline Exceeded", Operation::kListAlerts,
             "gwctl: the gateway at 127.0.0.1:7443 did not answer within 30s",
             "--timeout", kExitLocal},
        Case{"PermissionDenied", grpc::StatusCode::PERMISSION_DENIED,
             "payload.recipients[1]: KH-CNP may not receive H3 alerts",
             Operation::kSendAlert,
             "gwctl: the gateway refused the alert: PERMISSION_DENIED: "
             "payload.recipients[1]: KH-CNP may not receive H3 alerts; ",
             "your role may not do this", kExitRefused},
        Case{"Unauthenticated", grpc::StatusCode::UNAUTHENTICATED,
             "envelope.signatures[0].sig: signature does not verify",
             Operation::kSendAlert,
             "gwctl: the gateway refused the alert: "
             "UNAUTHENTICATED: envelope.signatures[0].sig",
             "check --as or --cert/--key: the certificate may be expired or "
             "revoked",
             kExitRefused},
        Case{"InvalidArgumentNamesTheFile", grpc::StatusCode::INVALID_ARGUMENT,
             "payload.subjects[0].person.date_of_birth: is in the future.",
             Operation::kSendAlert,
             "gwctl: the gateway refused the alert: INVALID_ARGUMENT: "
             "payload.subjects[0].person.date_of_birth: is in the future; ",
             "fix the named field in examples/missing-child.json",
             kExitRefused},
        Case{"InvalidArgumentOfCaseUpdate", grpc::StatusCode::INVALID_ARGUMENT,
             "payload.note[0].lang: want a BCP 47 language tag",
             Operation::kUpdateCase,
             "gwctl: the gateway refused the update of case ID-1: "
             "INVALID_ARGUMENT: payload.note[0].lang",
             "fix the named field", kExitRefused},
        Case{"NotFoundAlert", grpc::StatusCode::NOT_FOUND,
             "alert_id: not found", Operation::kGetAlert,
             "gwctl: the gateway refused to show alert ID-1: NOT_FOUND: ",
             "check the id", kExitRefused},
        Case{"NotFoundCase", grpc::StatusCode::NOT_FOUND, "case_ref: not found",
             Operation::kWatchCase,
             "gwctl: the gateway refused to watch case ID-1: NOT_FOUND: ",
             "check the id", kExitRefused},
        Case{"AlreadyExistsAlert", grpc::StatusCode::ALREADY_EXISTS,
             "payload.alert_id: used by a different alert",
             Operation::kSendAlert, kRefusedAlert,
             "that id was used for a different alert: pick a new alert_id",
             kExitRefused},
        Case{"AlreadyExistsUpdate", grpc::StatusCode::ALREADY_EXISTS,
             "payload.update_id: used by a different update",
             Operation::kUpdateCase, "gwctl: the gateway refused the update",
             "pick a new --update-id", kExitRefused},
        Case{"FailedPrecondition", grpc::StatusCode::FAILED_PRECONDITION,
             "payload.state: CLOSED case cannot change", Operation::kUpdateCase,
             "gwctl: the gateway refused the update of case ID-1: "
             "FAILED_PRECONDITION: ",
             "out of order", kExitRefused},
        Case{"ResourceExhausted", grpc::StatusCode::RESOURCE_EXHAUSTED,
             "envelope: 9000000 bytes, at most 8388608", Operation::kSendAlert,
             kRefusedAlert, "shrink it", kExitRefused},
        Case{"Aborted", grpc::StatusCode::ABORTED, "busy",
             Operation::kUpdateCase, "gwctl: the gateway refused", "again",
             kExitRefused},
        Case{"Unimplemented", grpc::StatusCode::UNIMPLEMENTED, "",
             Operation::kListCases,
             "gwctl: the gateway refused to list cases: UNIMPLEMENTED; ",
             "does not offer this call", kExitRefused},
        Case{"Internal", grpc::StatusCode::INTERNAL, "internal error",
             Operation::kListAlerts,
             "gwctl: the gateway refused to list alerts: INTERNAL: internal "
             "error; ",
             "tell the gateway's operator", kExitRefused},
        Case{"MultiLineMessageBecomesOneLine", grpc::StatusCode::INTERNAL,
             "line one\nline two", Operation::kGetCase,
             "gwctl: the gateway refused to show case ID-1: INTERNAL: line one "
             "line two; ",
             "try again later", kExitRefused}),
    [](const auto& info) { return info.param.name; });

TEST(ErrorSentenceTest, OkExitsZero) {
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::OK), kExitOk);
}

TEST(ErrorSentenceTest, CodeNames) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::PERMISSION_DENIED),
            "PERMISSION_DENIED");
  EXPECT_EQ(StatusCodeName(static_cast<grpc::StatusCode>(99)), "CODE_99");
}

}  // namespace
}  // namespace gw::gwctl
