// tools/gwctl/command_support.cc
#include "tools/gwctl/command_support.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "tools/gwctl/gateway_channel.h"
#include "tools/gwctl/readable_output.h"
#include "tools/gwctl/receipt_file.h"

namespace gw::gwctl {

int ReportFailure(const RunContext& context, const Invocation& invocation,
                  const grpc::Status& status, Operation operation,
                  const std::string& object_id) {
  FailedCall call;
  call.operation = operation;
  call.object_id = object_id;
  call.server = invocation.global.server;
  call.timeout = invocation.global.timeout;
  *context.err << ErrorSentence(status, call) << "\n";
  return ExitCodeFor(status.error_code());
}

int UsageError(const RunContext& context, absl::string_view command,
               absl::string_view problem) {
  *context.err << "gwctl: " << problem << "; run 'gwctl"
               << (command.empty() ? "" : " ") << command
               << " --help' for usage.\n";
  return kExitUsage;
}

std::optional<Identity> LoadUserIdentity(const Invocation& invocation,
                                         const RunContext& context,
                                         int* exit_code) {
  absl::StatusOr<IdentityFiles> files = IdentityFilesFor(invocation.global);
  if (!files.ok()) {
    *exit_code =
        UsageError(context, invocation.command, files.status().message());
    return std::nullopt;
  }
  absl::StatusOr<Identity> identity = LoadIdentity(*files);
  if (!identity.ok()) {
    *context.err << IdentitySentence(identity.status(), invocation.global)
                 << "\n";
    *exit_code = kExitLocal;
    return std::nullopt;
  }
  return *std::move(identity);
}

std::optional<GatewayConnection> ConnectToGateway(const Invocation& invocation,
                                                  const RunContext& context,
                                                  int* exit_code) {
  std::optional<Identity> identity =
      LoadUserIdentity(invocation, context, exit_code);
  if (!identity.has_value()) return std::nullopt;
  absl::StatusOr<IdentityFiles> files = IdentityFilesFor(invocation.global);
  absl::StatusOr<std::string> ca_pem =
      files.ok() ? LoadCaCertificate(*files) : files.status();
  if (!ca_pem.ok()) {
    *context.err << IdentitySentence(ca_pem.status(), invocation.global)
                 << "\n";
    *exit_code = kExitLocal;
    return std::nullopt;
  }
  GatewayConnection connection;
  connection.channel =
      GatewayChannel(invocation.global.server, *identity, *ca_pem);
  connection.identity = *std::move(identity);
  return connection;
}

void SetDeadline(absl::Duration timeout, grpc::ClientContext* call) {
  call->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

int PrintAnswer(const RunContext& context, const Invocation& invocation,
                const google::protobuf::Message& message,
                const std::string& readable) {
  if (!invocation.global.json) {
    *context.out << readable;
    context.out->flush();
    return kExitOk;
  }
  absl::StatusOr<std::string> json = ToJson(message, /*multiline=*/true);
  if (!json.ok()) {
    *context.err << "gwctl: the answer was received but "
                 << json.status().message()
                 << "; run the command again without --json.\n";
    return kExitLocal;
  }
  *context.out << *json;
  context.out->flush();
  return kExitOk;
}

int SaveReceiptIfAsked(const RunContext& context, const Invocation& invocation,
                       const std::optional<gw::v1::Receipt>& receipt,
                       absl::string_view what) {
  if (!invocation.Has("receipt")) return kExitOk;
  const std::string path = invocation.Flag("receipt");
  if (!receipt.has_value()) {
    *context.err << "gwctl: " << what
                 << " was accepted, but the gateway's answer carries no "
                    "receipt, so "
                 << path
                 << " was not written: ask the gateway's operator whether "
                    "this gateway issues receipts.\n";
    return kExitNotVerified;
  }
  if (absl::Status written = WriteReceiptFile(path, *receipt); !written.ok()) {
    *context.err << "gwctl: " << what
                 << " was accepted, but its receipt cannot be saved: cannot "
                    "write "
                 << written.message()
                 << "; run the same command again with a writable --receipt "
                    "FILE (resending the same request is safe).\n";
    return kExitLocal;
  }
  return kExitOk;
}

std::optional<int> ParseIntFlag(const RunContext& context,
                                const Invocation& invocation,
                                const std::string& flag, int min, int max,
                                int* exit_code) {
  const std::string text = invocation.Flag(flag);
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    *exit_code = UsageError(
        context, invocation.command,
        absl::StrCat("--", flag, " ", text, " is not a whole number from ", min,
                     " to ", max));
    return std::nullopt;
  }
  return value;
}

std::optional<int> ParseEnumFlag(const RunContext& context,
                                 const Invocation& invocation,
                                 const std::string& flag,
                                 const google::protobuf::EnumDescriptor* type,
                                 int* exit_code) {
  const std::string text = invocation.Flag(flag);
  const google::protobuf::EnumValueDescriptor* value =
      type->FindValueByName(absl::AsciiStrToUpper(text));
  if (value != nullptr && value->number() != 0) return value->number();
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0) names.push_back(type->value(i)->name());
  }
  *exit_code = UsageError(context, invocation.command,
                          absl::StrCat("--", flag, " ", text, " is not one of ",
                                       absl::StrJoin(names, ", ")));
  return std::nullopt;
}

}  // namespace gw::gwctl
