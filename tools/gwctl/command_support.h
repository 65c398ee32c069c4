// tools/gwctl/command_support.h
//
// Steps every gwctl command shares: reporting a usage error, loading the
// user's identity, opening the channel to the gateway, setting a call's
// deadline, printing an answer as text or JSON, and parsing flag values.
// Each function that can fail has already printed the one-sentence error on
// context.err when it returns the failure, and returns the exit code to use.
// Thread safety: none needed (one command per process).
#ifndef GW_TOOLS_GWCTL_COMMAND_SUPPORT_H_
#define GW_TOOLS_GWCTL_COMMAND_SUPPORT_H_

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "gw/v1/receipt.pb.h"
#include "tools/gwctl/error_sentence.h"
#include "tools/gwctl/exit_code.h"
#include "tools/gwctl/identity.h"
#include "tools/gwctl/invocation.h"

namespace gw::gwctl {

// Prints "gwctl: <problem>; run 'gwctl <command> --help' for usage." and
// returns kExitUsage.
int UsageError(const RunContext& context, absl::string_view command,
               absl::string_view problem);

// Prints the one-sentence explanation of a failed call (ErrorSentence) of
// `operation` on `object_id` to this gateway, and returns its exit code.
int ReportFailure(const RunContext& context, const Invocation& invocation,
                  const grpc::Status& status, Operation operation,
                  const std::string& object_id);

// The user's certificate, key and subject; nullopt after printing why not
// (and setting *exit_code).
std::optional<Identity> LoadUserIdentity(const Invocation& invocation,
                                         const RunContext& context,
                                         int* exit_code);

struct GatewayConnection {
  Identity identity;
  std::shared_ptr<grpc::Channel> channel;
};

// LoadUserIdentity + the gateway's CA + the mutual-TLS channel.
std::optional<GatewayConnection> ConnectToGateway(const Invocation& invocation,
                                                  const RunContext& context,
                                                  int* exit_code);

// A deadline of `timeout` from now for one unary call.
void SetDeadline(absl::Duration timeout, grpc::ClientContext* call);

// Prints `message` as indented JSON when --json was given, otherwise
// `readable`. Returns kExitOk (or kExitLocal if JSON printing fails).
int PrintAnswer(const RunContext& context, const Invocation& invocation,
                const google::protobuf::Message& message,
                const std::string& readable);

// For --receipt FILE: writes `receipt`, the one the gateway's answer
// carried (receipt_file.h), to FILE and returns kExitOk; if there was none,
// or FILE cannot be written, prints why (saying that `what`, e.g. "the
// alert", was accepted all the same) and returns kExitNotVerified /
// kExitLocal. Without --receipt it does nothing and returns kExitOk.
int SaveReceiptIfAsked(const RunContext& context, const Invocation& invocation,
                       const std::optional<gw::v1::Receipt>& receipt,
                       absl::string_view what);

// A whole number in [min, max] for --`flag`; nullopt after printing a usage
// error (and setting *exit_code).
std::optional<int> ParseIntFlag(const RunContext& context,
                                const Invocation& invocation,
                                const std::string& flag, int min, int max,
                                int* exit_code);

// An enum value by name, case-insensitively ("investigating" works); never
// the zero (UNSPECIFIED) value. nullopt after printing a usage error that
// lists the valid names.
std::optional<int> ParseEnumFlag(const RunContext& context,
                                 const Invocation& invocation,
                                 const std::string& flag,
                                 const google::protobuf::EnumDescriptor* type,
                                 int* exit_code);

// Calls `fetch(call, request, page)` (a stub's unary list RPC) for one
// page, or with `all_pages` for page after page, following
// next_page_token, into `combined`: the pages' items appended in order and
// the last page's next_page_token. A token already seen stops the loop (a
// gateway repeating itself would otherwise loop forever) and is left in
// `combined` for the user to see. Returns the first failed call's status.
template <typename Request, typename Response, typename Fetch>
grpc::Status FetchPages(absl::Duration timeout, bool all_pages, Request request,
                        Response* combined, Fetch fetch) {
  std::set<std::string> tokens_seen;
  while (true) {
    Response page;
    grpc::ClientContext call;
    SetDeadline(timeout, &call);
    const grpc::Status status = fetch(&call, request, &page);
    if (!status.ok()) return status;
    const std::string token = page.next_page_token();
    combined->MergeFrom(page);  // appends the items
    combined->set_next_page_token(token);
    if (!all_pages || token.empty() || !tokens_seen.insert(token).second) {
      return grpc::Status::OK;
    }
    request.set_page_token(token);
  }
}

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_COMMAND_SUPPORT_H_
