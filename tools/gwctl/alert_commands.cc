// tools/gwctl/alert_commands.cc
#include "tools/gwctl/alert_commands.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gw/v1/alert.grpc.pb.h"
#include "tools/gwctl/alert_defaults.h"
#include "tools/gwctl/command_support.h"
#include "tools/gwctl/error_sentence.h"
#include "tools/gwctl/message_file.h"
#include "tools/gwctl/readable_output.h"
#include "tools/gwctl/receipt_file.h"
#include "tools/gwctl/signed_envelope.h"

namespace gw::gwctl {
namespace {

std::string AlertFileSentence(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return absl::StrCat(
        "gwctl: the alert file is not a valid CaseAlert: ", status.message(),
        "; fix it and run the command again ('gwctl send-alert --help' "
        "describes the format).");
  }
  return absl::StrCat("gwctl: cannot read the alert file ", status.message(),
                      "; check the path and that the file is readable.");
}

FailedCall CallOf(const Invocation& invocation, Operation operation,
                  std::string object_id) {
  FailedCall call;
  call.operation = operation;
  call.object_id = std::move(object_id);
  call.server = invocation.global.server;
  call.timeout = invocation.global.timeout;
  return call;
}

int ReportFailure(const RunContext& context, const grpc::Status& status,
                  const FailedCall& call) {
  *context.err << ErrorSentence(status, call) << "\n";
  return ExitCodeFor(status.error_code());
}

}  // namespace

int RunSendAlert(const Invocation& invocation, const RunContext& context) {
  const std::string& file = invocation.args[0];
  gw::v1::CaseAlert alert;
  if (absl::Status loaded = LoadMessageFile(file, &alert); !loaded.ok()) {
    *context.err << AlertFileSentence(loaded) << "\n";
    return kExitLocal;
  }
  int exit_code = kExitOk;
  std::optional<Identity> identity =
      LoadUserIdentity(invocation, context, &exit_code);
  if (!identity.has_value()) return exit_code;
  FillAlertDefaults(identity->subject, context.now(), &alert);
  absl::StatusOr<gw::v1::Envelope> envelope =
      SignedEnvelopeFor(alert, kCaseAlertPayloadType, *identity->signer);
  if (!envelope.ok()) {
    *context.err << "gwctl: cannot sign the alert: "
                 << envelope.status().message()
                 << "; check that your key is an Ed25519 or P-256 key.\n";
    return kExitLocal;
  }
  if (invocation.Has("dry-run")) {
    absl::StatusOr<std::string> json = ToJson(*envelope, /*multiline=*/true);
    if (!json.ok()) {
      *context.err << "gwctl: " << json.status().message()
                   << "; this is a bug in gwctl, please report it.\n";
      return kExitLocal;
    }
    *context.out << *json;
    return kExitOk;
  }

  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::AlertService::NewStub(connection->channel);
  gw::v1::SendAlertRequest request;
  *request.mutable_envelope() = *std::move(envelope);
  gw::v1::SendAlertResponse response;
  grpc::ClientContext call;
  SetDeadline(invocation.global.timeout, &call);
  const grpc::Status status = stub->SendAlert(&call, request, &response);
  if (!status.ok()) {
    FailedCall failed =
        CallOf(invocation, Operation::kSendAlert, alert.alert_id());
    failed.input_file = file;
    return ReportFailure(context, status, failed);
  }
  const int printed =
      PrintAnswer(context, invocation, response,
                  FormatSendAlertResponse(response, alert, context.local_zone));
  if (printed != kExitOk) return printed;
  return SaveReceiptIfAsked(context, invocation, ReceiptIn(response),
                            "the alert");
}

int RunGetAlert(const Invocation& invocation, const RunContext& context) {
  const std::string& alert_id = invocation.args[0];
  int exit_code = kExitOk;
  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::AlertService::NewStub(connection->channel);
  gw::v1::GetAlertRequest request;
  request.set_alert_id(alert_id);
  gw::v1::AlertRecord record;
  grpc::ClientContext call;
  SetDeadline(invocation.global.timeout, &call);
  const grpc::Status status = stub->GetAlert(&call, request, &record);
  if (!status.ok()) {
    return ReportFailure(context, status,
                         CallOf(invocation, Operation::kGetAlert, alert_id));
  }
  return PrintAnswer(context, invocation, record,
                     FormatAlertRecord(record, context.local_zone));
}

int RunListAlerts(const Invocation& invocation, const RunContext& context) {
  int exit_code = kExitOk;
  gw::v1::ListAlertsRequest request;
  if (invocation.Has("page-size")) {
    std::optional<int> size =
        ParseIntFlag(context, invocation, "page-size", 1, 1000, &exit_code);
    if (!size.has_value()) return exit_code;
    request.set_page_size(*size);
  }
  if (invocation.Has("kind")) {
    std::optional<int> kind =
        ParseEnumFlag(context, invocation, "kind",
                      gw::v1::CaseAlert::Kind_descriptor(), &exit_code);
    if (!kind.has_value()) return exit_code;
    request.set_kind(static_cast<gw::v1::CaseAlert::Kind>(*kind));
  }
  request.set_case_ref(invocation.Flag("case"));
  request.set_origin_agency(invocation.Flag("origin"));
  request.set_page_token(invocation.Flag("page-token"));
  const bool all_pages = invocation.Has("all");

  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::AlertService::NewStub(connection->channel);
  gw::v1::ListAlertsResponse combined;
  const grpc::Status status = FetchPages(
      invocation.global.timeout, all_pages, request, &combined,
      [&stub](grpc::ClientContext* call, const gw::v1::ListAlertsRequest& r,
              gw::v1::ListAlertsResponse* page) {
        return stub->ListAlerts(call, r, page);
      });
  if (!status.ok()) {
    return ReportFailure(context, status,
                         CallOf(invocation, Operation::kListAlerts, ""));
  }
  std::string readable =
      FormatAlertTable(combined.alerts(), context.local_zone);
  if (!combined.next_page_token().empty()) {
    absl::StrAppend(&readable, "More: gwctl list-alerts --page-token ",
                    combined.next_page_token(), " (or --all)\n");
  }
  return PrintAnswer(context, invocation, combined, readable);
}

}  // namespace gw::gwctl
