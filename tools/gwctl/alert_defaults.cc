// tools/gwctl/alert_defaults.cc
#include "tools/gwctl/alert_defaults.h"

#include "gateway/util/proto_time.h"
#include "gateway/util/uuid.h"

namespace gw::gwctl {

void FillAlertDefaults(const CertificateSubject& subject, absl::Time now,
                       gw::v1::CaseAlert* alert) {
  if (alert->alert_id().empty()) alert->set_alert_id(util::NewUuidV4());
  if (alert->origin_agency().empty()) alert->set_origin_agency(subject.agency);
  if (alert->originator().empty()) alert->set_originator(subject.user);
  if (!alert->has_created_at()) {
    *alert->mutable_created_at() = util::ToTimestamp(now);
  }
}

}  // namespace gw::gwctl
