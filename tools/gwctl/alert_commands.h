// tools/gwctl/alert_commands.h
//
// The AlertService commands (proto/gw/v1/alert.proto):
//   send-alert FILE [--dry-run] [--receipt FILE]
//                                   SendAlert with a signed CaseAlert;
//                                   --receipt writes the answer's receipt
//   get-alert ID                    GetAlert
//   list-alerts [--case REF] [--kind KIND] [--origin AGENCY]
//               [--page-size N] [--page-token T] [--all]   ListAlerts
// Each returns the process exit code (exit_code.h) after printing the
// answer on context.out, or one sentence on context.err.
// REQUIRES: invocation.args holds exactly the command's arguments and
// invocation.flags only its flags (the dispatcher checks both).
#ifndef GW_TOOLS_GWCTL_ALERT_COMMANDS_H_
#define GW_TOOLS_GWCTL_ALERT_COMMANDS_H_

#include "tools/gwctl/invocation.h"

namespace gw::gwctl {

int RunSendAlert(const Invocation& invocation, const RunContext& context);
int RunGetAlert(const Invocation& invocation, const RunContext& context);
int RunListAlerts(const Invocation& invocation, const RunContext& context);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_ALERT_COMMANDS_H_
