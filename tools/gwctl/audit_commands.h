// tools/gwctl/audit_commands.h
//
// The audit commands (AuditService, proto/gw/v1/audit.proto; CONTRACT.md
// §5). Everything the gateway sends is checked against the gateway's
// signing certificate (--signing-cert FILE, default
// <PKI>/<server agency>/signing.crt), never taken on trust:
//   audit checkpoint                 GetCheckpoint, its signed note verified
//   audit verify-receipt FILE        OFFLINE: audit::VerifyReceipt on FILE
//   audit verify-log [--state FILE]  GetCheckpoint + GetEntries (pages of
//                                    1000) + GetConsistencyProof: recompute
//                                    the tree, compare with the signed root
//                                    and with the checkpoint remembered in
//                                    FILE, then remember the new one
//   audit search [--actor AGENCY[/USER]] [--action A] [--object ID]
//                [--since T] [--until T] [--page-size N] [--page-token T]
//                [--all]             SearchAudit, as a table
// Exit codes (exit_code.h): 0 verified / answered; 1 a verification failed
// (kExitNotVerified) or the gateway refused; 2 usage; 3 the gateway is
// unreachable or a local file (certificate, receipt, state) is unusable.
// verify-log prints progress lines ("gwctl: fetched N of M entries") on
// context.err when it runs for more than about 2 s (by context.now).
// REQUIRES: invocation.args holds exactly the command's arguments and
// invocation.flags only its flags (the dispatcher checks both).
#ifndef GW_TOOLS_GWCTL_AUDIT_COMMANDS_H_
#define GW_TOOLS_GWCTL_AUDIT_COMMANDS_H_

#include <cstdint>

#include "tools/gwctl/invocation.h"

namespace gw::gwctl {

// Entries per GetEntries call in verify-log.
inline constexpr uint32_t kAuditEntriesPage = 1000;

int RunAuditCheckpoint(const Invocation& invocation, const RunContext& context);
int RunAuditVerifyReceipt(const Invocation& invocation,
                          const RunContext& context);
int RunAuditVerifyLog(const Invocation& invocation, const RunContext& context);
int RunAuditSearch(const Invocation& invocation, const RunContext& context);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_AUDIT_COMMANDS_H_
