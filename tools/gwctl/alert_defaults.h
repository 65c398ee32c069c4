// tools/gwctl/alert_defaults.h
//
// Fills the CaseAlert fields a person writing an alert file need not type:
//  * alert_id       a new lowercase UUID v4 (OpenSSL RAND_bytes) if empty
//  * origin_agency  the certificate's O if empty
//  * originator     the certificate's CN if empty
//  * created_at     `now` if unset
// Guarantees: a field that is already set is never changed, so a file that
// sets alert_id and created_at yields the same payload every time (SendAlert
// is idempotent on identical payloads only). Nothing else is touched.
// REQUIRES: alert != nullptr; not owned. Thread safety: pure function.
#ifndef GW_TOOLS_GWCTL_ALERT_DEFAULTS_H_
#define GW_TOOLS_GWCTL_ALERT_DEFAULTS_H_

#include "absl/time/time.h"
#include "gw/v1/alert.pb.h"
#include "tools/gwctl/certificate_subject.h"

namespace gw::gwctl {

void FillAlertDefaults(const CertificateSubject& subject, absl::Time now,
                       gw::v1::CaseAlert* alert);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_ALERT_DEFAULTS_H_
