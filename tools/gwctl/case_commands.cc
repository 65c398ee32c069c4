// tools/gwctl/case_commands.cc
#include "tools/gwctl/case_commands.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gw/v1/case.grpc.pb.h"
#include "tools/gwctl/case_update.h"
#include "tools/gwctl/command_support.h"
#include "tools/gwctl/error_sentence.h"
#include "tools/gwctl/readable_output.h"
#include "tools/gwctl/receipt_file.h"
#include "tools/gwctl/signed_envelope.h"

namespace gw::gwctl {

int RunCaseGet(const Invocation& invocation, const RunContext& context) {
  const std::string& case_ref = invocation.args[0];
  int exit_code = kExitOk;
  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::CaseService::NewStub(connection->channel);
  gw::v1::GetCaseStatusRequest request;
  request.set_case_ref(case_ref);
  gw::v1::CaseStatus status;
  grpc::ClientContext call;
  SetDeadline(invocation.global.timeout, &call);
  const grpc::Status result = stub->GetCaseStatus(&call, request, &status);
  if (!result.ok()) {
    return ReportFailure(context, invocation, result, Operation::kGetCase,
                         case_ref);
  }
  return PrintAnswer(context, invocation, status,
                     FormatCaseStatus(status, context.local_zone));
}

int RunCaseList(const Invocation& invocation, const RunContext& context) {
  int exit_code = kExitOk;
  gw::v1::ListCasesRequest request;
  if (invocation.Has("page-size")) {
    std::optional<int> size =
        ParseIntFlag(context, invocation, "page-size", 1, 1000, &exit_code);
    if (!size.has_value()) return exit_code;
    request.set_page_size(*size);
  }
  if (invocation.Has("state")) {
    std::optional<int> state =
        ParseEnumFlag(context, invocation, "state",
                      gw::v1::CaseStatus::State_descriptor(), &exit_code);
    if (!state.has_value()) return exit_code;
    request.set_state(static_cast<gw::v1::CaseStatus::State>(*state));
  }
  request.set_page_token(invocation.Flag("page-token"));
  const bool all_pages = invocation.Has("all");

  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::CaseService::NewStub(connection->channel);
  gw::v1::ListCasesResponse combined;
  const grpc::Status result = FetchPages(
      invocation.global.timeout, all_pages, request, &combined,
      [&stub](grpc::ClientContext* call, const gw::v1::ListCasesRequest& r,
              gw::v1::ListCasesResponse* page) {
        return stub->ListCases(call, r, page);
      });
  if (!result.ok()) {
    return ReportFailure(context, invocation, result, Operation::kListCases,
                         "");
  }
  std::string readable = FormatCaseTable(combined.cases(), context.local_zone);
  if (!combined.next_page_token().empty()) {
    absl::StrAppend(&readable, "More: gwctl case list --page-token ",
                    combined.next_page_token(), " (or --all)\n");
  }
  return PrintAnswer(context, invocation, combined, readable);
}

int RunCaseUpdate(const Invocation& invocation, const RunContext& context) {
  int exit_code = kExitOk;
  CaseUpdate update;
  update.case_ref = invocation.args[0];
  if (!invocation.Has("state")) {
    return UsageError(context, invocation.command,
                      "case update needs --state STATE (e.g. --state "
                      "INVESTIGATING)");
  }
  std::optional<int> state =
      ParseEnumFlag(context, invocation, "state",
                    gw::v1::CaseStatus::State_descriptor(), &exit_code);
  if (!state.has_value()) return exit_code;
  update.state = static_cast<gw::v1::CaseStatus::State>(*state);
  update.note = invocation.Flag("note");
  update.note_lang = invocation.Flag("lang", "en");
  update.update_id = invocation.Flag("update-id");
  if (invocation.Has("lang") && update.note.empty()) {
    return UsageError(context, invocation.command,
                      "--lang tags the --note text: pass --note TEXT too, or "
                      "leave --lang out");
  }

  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  const gw::v1::CaseStatus payload =
      CaseStatusUpdateFor(update, connection->identity.subject);
  absl::StatusOr<gw::v1::Envelope> envelope = SignedEnvelopeFor(
      payload, kCaseStatusPayloadType, *connection->identity.signer);
  if (!envelope.ok()) {
    *context.err << "gwctl: cannot sign the case update: "
                 << envelope.status().message()
                 << "; check that your key is an Ed25519 or P-256 key.\n";
    return kExitLocal;
  }
  auto stub = gw::v1::CaseService::NewStub(connection->channel);
  gw::v1::UpdateCaseStatusRequest request;
  *request.mutable_envelope() = *std::move(envelope);
  gw::v1::CaseStatus status;
  grpc::ClientContext call;
  SetDeadline(invocation.global.timeout, &call);
  const grpc::Status result = stub->UpdateCaseStatus(&call, request, &status);
  if (!result.ok()) {
    return ReportFailure(context, invocation, result, Operation::kUpdateCase,
                         update.case_ref);
  }
  std::string readable =
      absl::StrCat("Case ", update.case_ref, " is now ",
                   gw::v1::CaseStatus::State_Name(status.state()), " (update ",
                   payload.update_id(), ")\n");
  // The receipt comes in a trailer (CaseStatus has no field for it).
  std::optional<gw::v1::Receipt> receipt =
      ReceiptInTrailers(call.GetServerTrailingMetadata());
  if (!receipt.has_value()) receipt = ReceiptIn(status);
  if (receipt.has_value()) readable += FormatReceiptLine(*receipt);
  readable += FormatCaseStatus(status, context.local_zone);
  const int printed = PrintAnswer(context, invocation, status, readable);
  if (printed != kExitOk) return printed;
  return SaveReceiptIfAsked(
      context, invocation, receipt,
      absl::StrCat("the update of case ", update.case_ref));
}

int RunCaseWatch(const Invocation& invocation, const RunContext& context) {
  const std::string& case_ref = invocation.args[0];
  int exit_code = kExitOk;
  int count = 0;  // 0 = until the stream ends
  if (invocation.Has("count")) {
    std::optional<int> n =
        ParseIntFlag(context, invocation, "count", 1, 1000000, &exit_code);
    if (!n.has_value()) return exit_code;
    count = *n;
  }
  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::CaseService::NewStub(connection->channel);
  gw::v1::WatchCaseRequest request;
  request.set_case_ref(case_ref);
  grpc::ClientContext call;  // no deadline: a watch lasts until stopped
  std::unique_ptr<grpc::ClientReader<gw::v1::CaseStatus>> stream =
      stub->WatchCase(&call, request);
  gw::v1::CaseStatus status;
  int received = 0;
  while (stream->Read(&status)) {
    if (invocation.global.json) {
      absl::StatusOr<std::string> json = ToJson(status, /*multiline=*/false);
      if (!json.ok()) {
        *context.err << "gwctl: " << json.status().message()
                     << "; run the command again without --json.\n";
        call.TryCancel();
        static_cast<void>(stream->Finish());  // cancelled by us
        return kExitLocal;
      }
      *context.out << *json;
    } else {
      *context.out << FormatCaseWatchLine(status, context.local_zone);
    }
    context.out->flush();
    if (count > 0 && ++received >= count) {
      call.TryCancel();
      static_cast<void>(stream->Finish());  // CANCELLED by us: done
      return kExitOk;
    }
  }
  const grpc::Status result = stream->Finish();
  if (!result.ok()) {
    return ReportFailure(context, invocation, result, Operation::kWatchCase,
                         case_ref);
  }
  return kExitOk;
}

}  // namespace gw::gwctl
