// tools/gwctl/help_text.h
//
// The text `--help` prints at each level of gwctl's command tree. Each ends
// in '\n'. The flags and exit codes documented here are a contract (e2e
// tests and scripts call gwctl with them).
#ifndef GW_TOOLS_GWCTL_HELP_TEXT_H_
#define GW_TOOLS_GWCTL_HELP_TEXT_H_

namespace gw::gwctl {

extern const char kTopHelp[];
extern const char kSendAlertHelp[];
extern const char kGetAlertHelp[];
extern const char kListAlertsHelp[];
extern const char kCaseHelp[];
extern const char kCaseGetHelp[];
extern const char kCaseListHelp[];
extern const char kCaseUpdateHelp[];
extern const char kCaseWatchHelp[];
extern const char kAuditHelp[];
extern const char kDeliveryHelp[];
extern const char kDeliveryListHelp[];
extern const char kDeliveryRetryHelp[];
extern const char kDeliveryCancelHelp[];
extern const char kWatchDeliveriesHelp[];
extern const char kAuditCheckpointHelp[];
extern const char kAuditVerifyReceiptHelp[];
extern const char kAuditVerifyLogHelp[];
extern const char kAuditSearchHelp[];

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_HELP_TEXT_H_
