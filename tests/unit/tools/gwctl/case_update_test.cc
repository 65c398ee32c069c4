// tests/unit/tools/gwctl/case_update_test.cc
#include "tools/gwctl/case_update.h"

#include "gtest/gtest.h"

namespace gw::gwctl {
namespace {

const CertificateSubject kSubject{"CN-MPS", "investigator", "investigator1"};

TEST(CaseUpdateTest, BuildsTheSignedUpdatePayloadFields) {
  CaseUpdate update;
  update.case_ref = "CN-YN-XSBN-2026-0042";
  update.state = gw::v1::CaseStatus::VICTIM_LOCATED;
  update.note = "Found in Mae Sai.";
  update.note_lang = "en";
  update.update_id = "xsbn-0042-upd-3";
  const gw::v1::CaseStatus status = CaseStatusUpdateFor(update, kSubject);

  gw::v1::CaseStatus want;
  want.set_case_ref("CN-YN-XSBN-2026-0042");
  want.set_owner_agency("CN-MPS");
  want.set_state(gw::v1::CaseStatus::VICTIM_LOCATED);
  want.set_update_id("xsbn-0042-upd-3");
  want.set_updated_by("investigator1");
  auto* note = want.add_note();
  note->set_lang("en");
  note->set_text("Found in Mae Sai.");
  // Exactly these fields: nothing the gateway fills.
  EXPECT_EQ(status.SerializeAsString(), want.SerializeAsString());
}

TEST(CaseUpdateTest, NoNoteMeansNoNoteAndANewUpdateId) {
  CaseUpdate update;
  update.case_ref = "C-1";
  update.state = gw::v1::CaseStatus::INVESTIGATING;
  const gw::v1::CaseStatus first = CaseStatusUpdateFor(update, kSubject);
  const gw::v1::CaseStatus second = CaseStatusUpdateFor(update, kSubject);
  EXPECT_EQ(first.note_size(), 0);
  EXPECT_EQ(first.update_id().size(), 36u);
  EXPECT_NE(first.update_id(), second.update_id());
  EXPECT_FALSE(first.has_updated_at());
  EXPECT_EQ(first.history_size(), 0);
  EXPECT_EQ(first.shared_with_size(), 0);
}

TEST(CaseUpdateTest, NoteKeepsItsLanguage) {
  CaseUpdate update;
  update.case_ref = "C-1";
  update.state = gw::v1::CaseStatus::CLOSED;
  update.note = "已结案";
  update.note_lang = "zh";
  const gw::v1::CaseStatus status = CaseStatusUpdateFor(update, kSubject);
  ASSERT_EQ(status.note_size(), 1);
  EXPECT_EQ(status.note(0).lang(), "zh");
  EXPECT_EQ(status.note(0).text(), "已结案");
}

}  // namespace
}  // namespace gw::gwctl
