// tools/gwctl/case_update.cc
#include "tools/gwctl/case_update.h"

#include "gateway/util/uuid.h"

namespace gw::gwctl {

gw::v1::CaseStatus CaseStatusUpdateFor(const CaseUpdate& update,
                                       const CertificateSubject& subject) {
  gw::v1::CaseStatus status;
  status.set_case_ref(update.case_ref);
  status.set_owner_agency(subject.agency);
  status.set_state(update.state);
  status.set_update_id(update.update_id.empty() ? util::NewUuidV4()
                                                : update.update_id);
  status.set_updated_by(subject.user);
  if (!update.note.empty()) {
    gw::v1::LanguageText* note = status.add_note();
    note->set_lang(update.note_lang);
    note->set_text(update.note);
  }
  return status;
}

}  // namespace gw::gwctl
