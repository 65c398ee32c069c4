// tools/gwctl/case_update.h
//
// The payload of `gwctl case update`: a gw.v1.CaseStatus carrying exactly
// the fields case.proto lists for a signed status update — case_ref,
// owner_agency (the certificate's O), state, update_id (the idempotency key;
// a new lowercase UUID v4 when the user gave none), updated_by (the
// certificate's CN) and, when a note was given, one note in `note_lang`.
// Everything else (updated_at, history, shared_with, ...) is the gateway's
// to fill and stays unset.
// Thread safety: pure function.
#ifndef GW_TOOLS_GWCTL_CASE_UPDATE_H_
#define GW_TOOLS_GWCTL_CASE_UPDATE_H_

#include <string>

#include "gw/v1/case.pb.h"
#include "tools/gwctl/certificate_subject.h"

namespace gw::gwctl {

struct CaseUpdate {
  std::string case_ref;
  gw::v1::CaseStatus::State state = gw::v1::CaseStatus::STATE_UNSPECIFIED;
  std::string note;              // "" = no note
  std::string note_lang = "en";  // BCP 47 tag of `note`
  std::string update_id;         // "" = a new UUID
};

gw::v1::CaseStatus CaseStatusUpdateFor(const CaseUpdate& update,
                                       const CertificateSubject& subject);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_CASE_UPDATE_H_
