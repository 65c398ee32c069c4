// tools/gwctl/audit_commands.cc
#include "tools/gwctl/audit_commands.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gateway/audit/proof_verifier.h"
#include "gateway/audit/receipt.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "gateway/util/proto_time.h"
#include "gw/v1/audit.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tools/gwctl/checkpoint_state.h"
#include "tools/gwctl/command_support.h"
#include "tools/gwctl/error_sentence.h"
#include "tools/gwctl/log_replay.h"
#include "tools/gwctl/readable_output.h"
#include "tools/gwctl/receipt_file.h"

namespace gw::gwctl {
namespace {

using Stub = gw::v1::AuditService::Stub;

constexpr absl::Duration kProgressAfter = absl::Seconds(2);

// "gwctl: the log was altered: <what>; ..." and exit 1.
int LogAltered(const RunContext& context, absl::string_view what,
               const std::string& state_path) {
  *context.err << "gwctl: the log was altered: " << what << "; keep "
               << state_path
               << " as evidence and report this to the gateway's operator "
                  "and your auditor.\n";
  return kExitNotVerified;
}

std::string SigningCertPath(const Invocation& invocation) {
  return invocation.Flag(
      "signing-cert",
      absl::StrCat(invocation.global.pki_dir, "/",
                   invocation.global.server_agency, "/signing.crt"));
}

// The gateway's signing certificate as a Verifier whose subject names the
// agency; nullptr after printing why not (exit 3).
std::unique_ptr<crypto::Verifier> LoadSigningKey(const Invocation& invocation,
                                                 const RunContext& context,
                                                 int* exit_code) {
  const std::string path = SigningCertPath(invocation);
  *exit_code = kExitLocal;
  absl::StatusOr<std::string> pem = util::ReadFile(path);
  if (!pem.ok()) {
    *context.err << "gwctl: cannot read the gateway's signing certificate "
                 << (absl::IsNotFound(pem.status())
                         ? absl::StrCat(path, " (no such file)")
                         : std::string(pem.status().message()))
                 << ": pass it with --signing-cert FILE, or choose --pki DIR "
                    "and --server-agency AGENCY so that DIR/AGENCY/"
                    "signing.crt is the gateway's.\n";
    return nullptr;
  }
  absl::StatusOr<std::unique_ptr<crypto::Verifier>> key =
      crypto::Verifier::FromCertificatePem(*pem);
  absl::Status usable = key.status();
  if (key.ok()) usable = audit::GatewayLogOrigin(**key).status();
  if (!usable.ok()) {
    *context.err << "gwctl: " << path
                 << " is not a usable gateway signing certificate ("
                 << usable.message()
                 << "): pass the gateway's signing.crt with --signing-cert "
                    "FILE.\n";
    return nullptr;
  }
  *exit_code = kExitOk;
  return *std::move(key);
}

std::string LogOrigin(const crypto::Verifier& key) {
  absl::StatusOr<std::string> origin = audit::GatewayLogOrigin(key);
  return origin.ok() ? *origin : "";  // checked by LoadSigningKey
}

// GetCheckpoint, its note verified with `key`; nullopt after printing why
// not (and setting *exit_code).
std::optional<gw::v1::Checkpoint> FetchCheckpoint(Stub& stub,
                                                  const Invocation& invocation,
                                                  const RunContext& context,
                                                  const crypto::Verifier& key,
                                                  int* exit_code) {
  gw::v1::Checkpoint checkpoint;
  grpc::ClientContext call;
  SetDeadline(invocation.global.timeout, &call);
  const grpc::Status status =
      stub.GetCheckpoint(&call, gw::v1::GetCheckpointRequest(), &checkpoint);
  if (!status.ok()) {
    *exit_code = ReportFailure(context, invocation, status,
                               Operation::kGetCheckpoint, "");
    return std::nullopt;
  }
  absl::StatusOr<audit::CheckpointBody> body =
      audit::VerifySignedCheckpoint(checkpoint, key);
  if (!body.ok()) {
    *context.err << "gwctl: the gateway's checkpoint does not verify: "
                 << "checkpoint." << body.status().message()
                 << "; do not rely on this gateway's audit log, and check "
                    "that --signing-cert is the certificate of the gateway "
                    "at "
                 << invocation.global.server << ".\n";
    *exit_code = kExitNotVerified;
    return std::nullopt;
  }
  return checkpoint;
}

std::string GrpcStatusText(const grpc::Status& status) {
  return absl::StrCat(StatusCodeName(status.error_code()), ": ",
                      status.error_message());
}

// GetConsistencyProof(first, second) as proof hashes.
absl::StatusOr<std::vector<std::string>> FetchConsistencyProof(
    Stub& stub, absl::Duration timeout, uint64_t first, uint64_t second) {
  gw::v1::GetConsistencyProofRequest request;
  request.set_first(first);
  request.set_second(second);
  gw::v1::ConsistencyProof proof;
  grpc::ClientContext call;
  SetDeadline(timeout, &call);
  const grpc::Status status = stub.GetConsistencyProof(&call, request, &proof);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("GetConsistencyProof(", first, ", ",
                                     second, "): ", GrpcStatusText(status)));
  }
  if (proof.first() != first || proof.second() != second) {
    return absl::InvalidArgumentError(absl::StrCat(
        "GetConsistencyProof(", first, ", ", second,
        "): the gateway answered for ", proof.first(), "..", proof.second()));
  }
  return std::vector<std::string>(proof.hashes().begin(), proof.hashes().end());
}

struct ReceiptCheck {
  std::string name;    // "signature", ...
  std::string detail;  // what was verified, or why it failed
  bool ok = false;
};

// The four checks of audit::VerifyReceipt, one by one, stopping at the
// first failure (returned).
absl::Status CheckReceipt(const gw::v1::Receipt& receipt,
                          const crypto::Verifier& key, absl::TimeZone local,
                          std::vector<ReceiptCheck>* checks) {
  auto record = [&](std::string name, const absl::Status& status,
                    std::string detail) {
    checks->push_back(
        {std::move(name),
         status.ok() ? std::move(detail) : std::string(status.message()),
         status.ok()});
    return status;
  };
  if (absl::Status s = record(
          "signature", audit::VerifyReceiptSignature(receipt, key),
          absl::StrCat("by the gateway key ",
                       receipt.signature().keyid().substr(0, 16), "..."));
      !s.ok()) {
    return s;
  }
  absl::Status checkpoint = absl::OkStatus();
  if (!receipt.has_checkpoint()) {
    checkpoint = absl::InvalidArgumentError("receipt.checkpoint: missing");
  } else if (absl::StatusOr<audit::CheckpointBody> body =
                 audit::VerifySignedCheckpoint(receipt.checkpoint(), key);
             !body.ok()) {
    checkpoint = absl::Status(
        body.status().code(),
        absl::StrCat("receipt.checkpoint.", body.status().message()));
  }
  if (absl::Status s = record(
          "checkpoint", checkpoint,
          absl::StrCat("size ", receipt.checkpoint().tree_size(), ", root ",
                       absl::BytesToHexString(receipt.checkpoint().root_hash()),
                       ", signed note of ", LogOrigin(key)));
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          record("inclusion", audit::VerifyReceiptInclusion(receipt),
                 absl::StrCat("leaf ", receipt.leaf_index(), " of ",
                              receipt.checkpoint().tree_size()));
      !s.ok()) {
    return s;
  }
  absl::StatusOr<gw::v1::AuditEntry> entry = audit::VerifyReceiptEntry(receipt);
  std::string detail;
  if (entry.ok()) {
    detail = absl::StrCat(entry->action(), " by ", entry->actor_agency(), "/",
                          entry->actor_user(), " at ",
                          FormatTimestampShort(entry->time(), local), ": ",
                          entry->decision(), " ", entry->outcome());
  }
  if (absl::Status s = record("audit entry", entry.status(), detail); !s.ok()) {
    return s;
  }
  // The library's own verdict decides, whatever the steps above said.
  return audit::VerifyReceipt(receipt, key);
}

// "2026-11-28T09:00:00Z" (RFC 3339, any offset) or "2026-11-28" (UTC).
std::optional<absl::Time> ParseTimeFlag(absl::string_view text) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error)) return t;
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &error)) {
    return t;
  }
  return std::nullopt;
}

}  // namespace

int RunAuditCheckpoint(const Invocation& invocation,
                       const RunContext& context) {
  int exit_code = kExitOk;
  std::unique_ptr<crypto::Verifier> key =
      LoadSigningKey(invocation, context, &exit_code);
  if (key == nullptr) return exit_code;
  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::AuditService::NewStub(connection->channel);
  std::optional<gw::v1::Checkpoint> checkpoint =
      FetchCheckpoint(*stub, invocation, context, *key, &exit_code);
  if (!checkpoint.has_value()) return exit_code;
  return PrintAnswer(
      context, invocation, *checkpoint,
      FormatCheckpoint(*checkpoint, LogOrigin(*key), context.local_zone));
}

int RunAuditVerifyReceipt(const Invocation& invocation,
                          const RunContext& context) {
  const std::string& file = invocation.args[0];
  int exit_code = kExitOk;
  std::unique_ptr<crypto::Verifier> key =
      LoadSigningKey(invocation, context, &exit_code);
  if (key == nullptr) return exit_code;
  gw::v1::Receipt receipt;
  if (absl::Status loaded = LoadReceiptFile(file, &receipt); !loaded.ok()) {
    *context.err << "gwctl: cannot use the receipt file: " << loaded.message()
                 << "; pass a file written by gwctl send-alert --receipt "
                    "FILE (or printed by gwctl --json send-alert).\n";
    return kExitLocal;
  }
  std::vector<ReceiptCheck> checks;
  const absl::Status verified =
      CheckReceipt(receipt, *key, context.local_zone, &checks);

  if (invocation.global.json) {
    nlohmann::json answer;
    answer["verified"] = verified.ok();
    answer["checks"] = nlohmann::json::array();
    for (const ReceiptCheck& check : checks) {
      answer["checks"].push_back(
          {{"check", check.name}, {"ok", check.ok}, {"detail", check.detail}});
    }
    if (!verified.ok()) answer["error"] = std::string(verified.message());
    *context.out << answer.dump(2) << "\n";
  } else {
    std::string out = absl::StrCat(
        "Receipt for message ",
        receipt.message_id().empty() ? "-" : receipt.message_id(), ": ",
        gw::v1::Receipt::Status_Name(receipt.status()), ", received ",
        FormatTimestamp(receipt.received_at(), context.local_zone), "\n");
    for (const ReceiptCheck& check : checks) {
      std::string line = absl::StrCat("  ", check.name);
      line.append(check.name.size() < 16 ? 16 - check.name.size() : 1, ' ');
      absl::StrAppend(&line, check.ok ? "verified: " : "FAILED: ", check.detail,
                      "\n");
      out += line;
    }
    if (verified.ok()) out += "receipt verified\n";
    *context.out << out;
  }
  context.out->flush();
  if (!verified.ok()) {
    *context.err << "gwctl: the receipt does not verify: " << verified.message()
                 << "; it is no proof that the gateway logged this message "
                    "(check that --signing-cert is the certificate of the "
                    "gateway that issued it).\n";
    return kExitNotVerified;
  }
  return kExitOk;
}

int RunAuditVerifyLog(const Invocation& invocation, const RunContext& context) {
  int exit_code = kExitOk;
  std::unique_ptr<crypto::Verifier> key =
      LoadSigningKey(invocation, context, &exit_code);
  if (key == nullptr) return exit_code;
  const std::string state_path = invocation.Flag(
      "state", DefaultCheckpointStatePath(invocation.global.server_agency));
  absl::StatusOr<std::optional<gw::v1::Checkpoint>> remembered =
      LoadCheckpointState(state_path);
  absl::Status state_ok = remembered.status();
  if (remembered.ok() && remembered->has_value()) {
    state_ok = audit::VerifySignedCheckpoint(**remembered, *key).status();
  }
  if (!state_ok.ok()) {
    *context.err << "gwctl: cannot use the checkpoint remembered in "
                 << state_path << ": " << state_ok.message()
                 << "; if it is not the file gwctl wrote for this gateway, "
                    "pass the right one with --state FILE (moving it away "
                    "starts afresh, trusting the gateway's checkpoint as it "
                    "is).\n";
    return kExitLocal;
  }

  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::AuditService::NewStub(connection->channel);
  std::optional<gw::v1::Checkpoint> checkpoint =
      FetchCheckpoint(*stub, invocation, context, *key, &exit_code);
  if (!checkpoint.has_value()) return exit_code;
  const uint64_t tree_size = checkpoint->tree_size();
  const std::string& root = checkpoint->root_hash();
  const absl::Duration timeout = invocation.global.timeout;

  // 1. The new checkpoint extends the remembered one (RFC 9162 §2.1.4).
  std::string consistency_line =
      absl::StrCat("  no earlier checkpoint remembered in ", state_path, "\n");
  const std::optional<gw::v1::Checkpoint> old = *std::move(remembered);
  if (old.has_value()) {
    const uint64_t old_size = old->tree_size();
    if (old_size > tree_size) {
      return LogAltered(
          context,
          absl::StrCat("it now has ", tree_size, " entries, fewer than the ",
                       old_size, " remembered in ", state_path),
          state_path);
    }
    if (old_size == tree_size && old->root_hash() != root) {
      return LogAltered(
          context,
          absl::StrCat("the checkpoint of size ", tree_size,
                       " has another root than the one remembered in ",
                       state_path),
          state_path);
    }
    if (old_size > 0 && old_size < tree_size) {
      absl::StatusOr<std::vector<std::string>> proof =
          FetchConsistencyProof(*stub, timeout, old_size, tree_size);
      if (!proof.ok()) {
        *context.err << "gwctl: cannot get the consistency proof from the "
                        "remembered checkpoint: "
                     << proof.status().message()
                     << "; run the command again, and tell the gateway's "
                        "operator if it keeps failing.\n";
        return proof.status().code() == absl::StatusCode::kUnavailable ||
                       proof.status().code() ==
                           absl::StatusCode::kDeadlineExceeded
                   ? kExitLocal
                   : kExitNotVerified;
      }
      if (absl::Status consistent = audit::VerifyConsistency(
              old_size, tree_size, *proof, old->root_hash(), root);
          !consistent.ok()) {
        return LogAltered(
            context,
            absl::StrCat("the checkpoint of size ", tree_size,
                         " is not consistent with the one of size ", old_size,
                         " remembered in ", state_path, " (",
                         consistent.message(), ")"),
            state_path);
      }
    }
    consistency_line =
        absl::StrCat("  consistent with the checkpoint of size ", old_size,
                     " remembered in ", state_path, "\n");
  }

  // 2. Every entry, its leaf hash, and the root.
  LogReplay replay;
  const absl::Time started = context.now();
  absl::Time last_progress = started;
  while (replay.size() < tree_size) {
    const uint64_t start = replay.size();
    gw::v1::GetEntriesRequest request;
    request.set_start(start);
    request.set_count(static_cast<uint32_t>(
        std::min<uint64_t>(kAuditEntriesPage, tree_size - start)));
    gw::v1::Entries page;
    grpc::ClientContext call;
    SetDeadline(timeout, &call);
    const grpc::Status status = stub->GetEntries(&call, request, &page);
    if (!status.ok()) {
      return ReportFailure(context, invocation, status, Operation::kGetEntries,
                           absl::StrCat(start));
    }
    if (page.entries().empty()) {
      return LogAltered(
          context,
          absl::StrCat("the gateway serves no entry at leaf ", start,
                       " although its checkpoint has ", tree_size),
          state_path);
    }
    for (const gw::v1::LogEntry& entry : page.entries()) {
      if (replay.size() >= tree_size) break;
      if (absl::Status added = replay.Add(entry); !added.ok()) {
        return LogAltered(context, added.message(), state_path);
      }
    }
    const absl::Time now = context.now();
    if (now - started > kProgressAfter &&
        now - last_progress >= kProgressAfter) {
      *context.err << "gwctl: fetched " << replay.size() << " of " << tree_size
                   << " entries\n";
      last_progress = now;
    }
  }
  if (replay.Root() != root) {
    absl::StatusOr<uint64_t> leaf = FirstAlteredLeaf(
        replay, tree_size, root, [&](uint64_t first, uint64_t second) {
          return FetchConsistencyProof(*stub, timeout, first, second);
        });
    if (leaf.ok()) {
      return LogAltered(
          context,
          absl::StrCat("leaf ", *leaf,
                       " is not the entry the signed checkpoint of size ",
                       tree_size, " committed to"),
          state_path);
    }
    return LogAltered(
        context,
        absl::StrCat("the ", tree_size, " entries recompute to root ",
                     absl::BytesToHexString(replay.Root()),
                     ", but the signed checkpoint says ",
                     absl::BytesToHexString(root),
                     " (the first altered leaf could not be located: ",
                     leaf.status().message(), ")"),
        state_path);
  }
  if (old.has_value() && replay.RootAt(old->tree_size()) != old->root_hash()) {
    return LogAltered(
        context,
        absl::StrCat("the first ", old->tree_size(),
                     " entries are not those remembered in ", state_path),
        state_path);
  }

  // 3. Remember the verified checkpoint for the next run.
  if (absl::Status saved = SaveCheckpointState(state_path, *checkpoint);
      !saved.ok()) {
    *context.err << "gwctl: the log verified, but the checkpoint cannot be "
                    "remembered: cannot write "
                 << saved.message()
                 << "; pass a writable file with --state FILE.\n";
    return kExitLocal;
  }
  if (invocation.global.json) {
    nlohmann::json answer;
    answer["verified"] = true;
    answer["origin"] = LogOrigin(*key);
    answer["tree_size"] = tree_size;
    answer["root_hash"] = absl::BytesToHexString(root);
    if (old.has_value()) answer["previous_tree_size"] = old->tree_size();
    answer["state_file"] = state_path;
    *context.out << answer.dump(2) << "\n";
  } else {
    *context.out << "Checkpoint of " << LogOrigin(*key) << ": size "
                 << tree_size << ", root " << absl::BytesToHexString(root)
                 << ", signature verified\n"
                 << consistency_line << "  " << tree_size
                 << " entries fetched: every leaf hash and the root "
                    "recomputed, and they match\n"
                 << "log verified; checkpoint remembered in " << state_path
                 << "\n";
  }
  context.out->flush();
  return kExitOk;
}

int RunAuditSearch(const Invocation& invocation, const RunContext& context) {
  int exit_code = kExitOk;
  gw::v1::SearchAuditRequest request;
  if (invocation.Has("actor")) {
    const std::vector<std::string> parts =
        absl::StrSplit(invocation.Flag("actor"), '/');
    bool valid = parts.size() <= 2;
    for (const std::string& part : parts) valid = valid && !part.empty();
    if (!valid) {
      return UsageError(context, invocation.command,
                        absl::StrCat("--actor ", invocation.Flag("actor"),
                                     " is not AGENCY or AGENCY/USER"));
    }
    request.set_actor_agency(parts[0]);
    if (parts.size() == 2) request.set_actor_user(parts[1]);
  }
  for (const char* flag : {"since", "until"}) {
    if (!invocation.Has(flag)) continue;
    std::optional<absl::Time> t = ParseTimeFlag(invocation.Flag(flag));
    if (!t.has_value()) {
      return UsageError(
          context, invocation.command,
          absl::StrCat("--", flag, " ", invocation.Flag(flag),
                       " is not a time: pass RFC 3339 "
                       "(2026-11-28T09:00:00Z) or a date (2026-11-28, UTC)"));
    }
    *(std::string(flag) == "since" ? request.mutable_since()
                                   : request.mutable_until()) =
        util::ToTimestamp(*t);
  }
  if (invocation.Has("page-size")) {
    std::optional<int> size =
        ParseIntFlag(context, invocation, "page-size", 1, 1000, &exit_code);
    if (!size.has_value()) return exit_code;
    request.set_page_size(*size);
  }
  request.set_action(invocation.Flag("action"));
  request.set_object_id(invocation.Flag("object"));
  request.set_page_token(invocation.Flag("page-token"));
  const bool all_pages = invocation.Has("all");

  std::optional<GatewayConnection> connection =
      ConnectToGateway(invocation, context, &exit_code);
  if (!connection.has_value()) return exit_code;
  auto stub = gw::v1::AuditService::NewStub(connection->channel);
  gw::v1::Entries combined;
  const grpc::Status status = FetchPages(
      invocation.global.timeout, all_pages, request, &combined,
      [&stub](grpc::ClientContext* call, const gw::v1::SearchAuditRequest& r,
              gw::v1::Entries* page) {
        return stub->SearchAudit(call, r, page);
      });
  if (!status.ok()) {
    return ReportFailure(context, invocation, status, Operation::kSearchAudit,
                         "");
  }
  std::string readable =
      FormatAuditTable(combined.entries(), context.local_zone);
  if (!combined.next_page_token().empty()) {
    absl::StrAppend(&readable,
                    "More: gwctl audit search (same filters) --page-token ",
                    combined.next_page_token(), " (or --all)\n");
  }
  return PrintAnswer(context, invocation, combined, readable);
}

}  // namespace gw::gwctl
