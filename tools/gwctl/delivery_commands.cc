// tools/gwctl/delivery_commands.cc
#include "tools/gwctl/delivery_commands.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/delivery.grpc.pb.h"
#include "tools/gwctl/command_support.h"
#include "tools/gwctl/delivery_output.h"
#include "tools/gwctl/error_sentence.h"
#include "tools/gwctl/readable_output.h"

namespace gw::gwctl {

int RunDeliveryList(const Invocation& invocation, const RunContext& context) {
  int exit_code = kExitOk;
  gw::v1::ListDeliveriesRequest request;
  if (invocation.Has("page-size")) {
    std::optional<int> size =
        ParseIntFlag(context, invocation, "page-size", 1, 1000, &exit_code);
    if (!size.has_value()) return exit_code;
    request.set_page_size(*size);
  }
  if (invocation.Has("state")) {
    absl::StatusOr<std::vector<gw::v1::Delivery::State>> states =
        ParseDeliveryStates(invocation.Flag("state"));
    if (!states.ok()) {
      return UsageError(context, invocation.command, states.status().message());
    }
    for (gw::v1::Delivery::State state : *states) request.add_states(state);
  }
  request.set_recipient(invocation.Flag("recipient"));
  request.set_alert_id(invocation.Flag("alert"));
  request.set_page_token(invocation.Flag("page-token"));
  const bool all_pages = invocation.Has("all");

  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::DeliveryService::NewStub(connection->channel);
  gw::v1::ListDeliveriesResponse combined;
  const grpc::Status result = FetchPages(
      invocation.global.timeout, all_pages, request, &combined,
      [&stub](grpc::ClientContext* call, const gw::v1::ListDeliveriesRequest& r,
              gw::v1::ListDeliveriesResponse* page) {
        return stub->ListDeliveries(call, r, page);
      });
  if (!result.ok()) {
    return ReportFailure(context, invocation, result,
                         Operation::kListDeliveries, "");
  }
  std::string readable =
      FormatDeliveryTable(combined.deliveries(), context.local_zone);
  if (!combined.next_page_token().empty()) {
    absl::StrAppend(&readable,
                    "More: gwctl delivery list (same filters) --page-token ",
                    combined.next_page_token(), " (or --all)\n");
  }
  return PrintAnswer(context, invocation, combined, readable);
}

int RunDeliveryRetry(const Invocation& invocation, const RunContext& context) {
  const std::string& message_id = invocation.args[0];
  int exit_code = kExitOk;
  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::DeliveryService::NewStub(connection->channel);
  gw::v1::RetryDeliveryRequest request;
  request.set_message_id(message_id);
  gw::v1::DeliveryRecord record;
  grpc::ClientContext call;
  SetDeadline(invocation.global.timeout, &call);
  const grpc::Status result = stub->RetryDelivery(&call, request, &record);
  if (!result.ok()) {
    return ReportFailure(context, invocation, result, Operation::kRetryDelivery,
                         message_id);
  }
  std::string readable;
  if (record.delivery().message_id() != message_id) {
    // A dead letter or cancelled delivery goes again under a new id
    // (partners/README.md §2.4): the old one stays in the audit log.
    readable =
        absl::StrCat("Queued again as a new message (was ", message_id, ").\n");
  } else {
    readable = "Next attempt now.\n";
  }
  readable += FormatDeliveryRecord(record, context.local_zone);
  return PrintAnswer(context, invocation, record, readable);
}

int RunDeliveryCancel(const Invocation& invocation, const RunContext& context) {
  const std::string& message_id = invocation.args[0];
  const std::string reason = invocation.Flag("reason");
  if (absl::StripAsciiWhitespace(reason).empty()) {
    return UsageError(context, invocation.command,
                      "delivery cancel needs --reason TEXT (why, for the "
                      "audit log and the originator; no personal data)");
  }
  int exit_code = kExitOk;
  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::DeliveryService::NewStub(connection->channel);
  gw::v1::CancelDeliveryRequest request;
  request.set_message_id(message_id);
  request.set_reason(reason);
  gw::v1::DeliveryRecord record;
  grpc::ClientContext call;
  SetDeadline(invocation.global.timeout, &call);
  const grpc::Status result = stub->CancelDelivery(&call, request, &record);
  if (!result.ok()) {
    return ReportFailure(context, invocation, result,
                         Operation::kCancelDelivery, message_id);
  }
  return PrintAnswer(
      context, invocation, record,
      "Cancelled.\n" + FormatDeliveryRecord(record, context.local_zone));
}

int RunWatchDeliveries(const Invocation& invocation,
                       const RunContext& context) {
  const std::string& alert_id = invocation.args[0];
  int exit_code = kExitOk;
  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::AlertService::NewStub(connection->channel);

  // The recipients, so gwctl knows when every delivery is final.
  gw::v1::GetAlertRequest get;
  get.set_alert_id(alert_id);
  gw::v1::AlertRecord record;
  {
    grpc::ClientContext call;
    SetDeadline(invocation.global.timeout, &call);
    const grpc::Status status = stub->GetAlert(&call, get, &record);
    if (!status.ok()) {
      return ReportFailure(context, invocation, status,
                           Operation::kWatchDeliveries, alert_id);
    }
  }
  DeliveryProgress progress(record.deliveries());
  if (progress.empty()) {
    if (!invocation.global.json) {
      *context.out << "Alert " << alert_id << " has no deliveries.\n";
    }
    return kExitOk;
  }

  gw::v1::WatchDeliveriesRequest request;
  request.set_alert_id(alert_id);
  grpc::ClientContext call;  // no deadline: a watch lasts until stopped
  std::unique_ptr<grpc::ClientReader<gw::v1::DeliveryEvent>> stream =
      stub->WatchDeliveries(&call, request);
  gw::v1::DeliveryEvent event;
  while (stream->Read(&event)) {
    if (invocation.global.json) {
      absl::StatusOr<std::string> json = ToJson(event, /*multiline=*/false);
      if (!json.ok()) {
        *context.err << "gwctl: " << json.status().message()
                     << "; run the command again without --json.\n";
        call.TryCancel();
        static_cast<void>(stream->Finish());  // cancelled by us
        return kExitLocal;
      }
      *context.out << *json;
    } else {
      *context.out << FormatDeliveryEventLine(event, context.local_zone);
    }
    context.out->flush();
    progress.Apply(event);
    if (progress.AllFinal()) {
      call.TryCancel();
      static_cast<void>(stream->Finish());  // CANCELLED by us: done
      return kExitOk;
    }
  }
  const grpc::Status result = stream->Finish();
  if (!result.ok()) {
    return ReportFailure(context, invocation, result,
                         Operation::kWatchDeliveries, alert_id);
  }
  return kExitOk;
}

}  // namespace gw::gwctl
