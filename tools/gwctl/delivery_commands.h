// tools/gwctl/delivery_commands.h
//
// The delivery commands (proto/gw/v1/delivery.proto, and
// AlertService.WatchDeliveries):
//   delivery list [--recipient AGENCY] [--alert ID] [--state S1,S2,...]
//                 [--page-size N] [--page-token T] [--all]   ListDeliveries
//   delivery retry MESSAGE_ID                                RetryDelivery
//   delivery cancel MESSAGE_ID --reason TEXT                 CancelDelivery
//   watch-deliveries ALERT_ID                                WatchDeliveries
// The `delivery` commands are for the home agency's admins: without --as or
// GW_AS they speak as CN-MPS/admin/admin1 (the dispatcher sets that
// default). watch-deliveries reads the alert first (GetAlert) to learn its
// recipients, then prints each event until every delivery is final
// (ACKNOWLEDGED, FAILED or CANCELLED), the gateway ends the stream, or
// Ctrl-C.
// Each returns the process exit code (exit_code.h) after printing the
// answer on context.out, or one sentence on context.err.
// REQUIRES: invocation.args holds exactly the command's arguments and
// invocation.flags only its flags (the dispatcher checks both).
#ifndef GW_TOOLS_GWCTL_DELIVERY_COMMANDS_H_
#define GW_TOOLS_GWCTL_DELIVERY_COMMANDS_H_

#include "tools/gwctl/invocation.h"

namespace gw::gwctl {

// Who the `delivery` commands speak as unless --as or GW_AS says otherwise.
inline constexpr char kDeliveryDefaultIdentity[] = "CN-MPS/admin/admin1";

int RunDeliveryList(const Invocation& invocation, const RunContext& context);
int RunDeliveryRetry(const Invocation& invocation, const RunContext& context);
int RunDeliveryCancel(const Invocation& invocation, const RunContext& context);
int RunWatchDeliveries(const Invocation& invocation, const RunContext& context);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_DELIVERY_COMMANDS_H_
