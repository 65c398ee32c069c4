// Tests of ValidateCaseAlert / ValidatePerson
// (gateway/ingest/alert_validator.h): one case per rule, each asserting the
// code and the exact field path, plus the policy limits at their boundaries.
#include "gateway/ingest/alert_validator.h"

#include <cctype>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gateway/crypto/sha256.h"
#include "gateway/policy/policy.h"
#include "gateway/util/file.h"
#include "gtest/gtest.h"
#include "tests/support/test_client.h"

namespace gw::ingest {
namespace {

using gw::v1::CaseAlert;

const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 15, 10, 0, 0), absl::UTCTimeZone());
constexpr char kFamilyName[] = "TESTCASE";  // SampleAlert's subject

std::string FieldOf(const absl::Status& status) {
  const std::string message(status.message());
  return message.substr(0, message.find(": "));
}

// The real policy set, with `replacements` applied to rules.textproto (to
// move a limit).
std::shared_ptr<const policy::Policy> LoadPolicy(
    const std::vector<std::pair<std::string, std::string>>& replacements = {}) {
  const std::string dir = GW_SOURCE_DIR "/policies";
  auto agencies = util::ReadFile(dir + "/agencies.textproto");
  auto rules = util::ReadFile(dir + "/rules.textproto");
  EXPECT_TRUE(agencies.ok() && rules.ok());
  if (!agencies.ok() || !rules.ok()) return nullptr;
  std::string changed = *rules;
  for (const auto& [from, to] : replacements) {
    EXPECT_TRUE(absl::StrContains(changed, from)) << from;
    changed = absl::StrReplaceAll(changed, {{from, to}});
  }
  auto policy = policy::Policy::FromFiles(
      {{"agencies.textproto", *agencies}, {"rules.textproto", changed}});
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *std::move(policy) : nullptr;
}

CaseAlert ValidAlert() {
  CaseAlert alert =
      gw::testing::SampleAlert("ALERT-1", "CASE-1", {"TH-RTP", "VN-MPS"});
  alert.mutable_created_at()->set_seconds(absl::ToUnixSeconds(kNow) - 60);
  alert.mutable_created_at()->set_nanos(0);
  return alert;
}

gw::v1::Attachment MakeAttachment(size_t bytes) {
  gw::v1::Attachment attachment;
  attachment.set_name("photo.jpg");
  attachment.set_media_type("image/jpeg");
  attachment.set_content(std::string(bytes, '\x5a'));
  attachment.set_sha256(crypto::Sha256Hex(attachment.content()));
  return attachment;
}

gw::v1::Person* Person0(CaseAlert& a) {
  return a.mutable_subjects(0)->mutable_person();
}

struct Case {
  std::string name;
  std::function<void(CaseAlert&)> mutate;
  // kOk for a valid alert.
  absl::StatusCode want;
  std::string field;
};

class AlertValidatorTest : public ::testing::Test {
 protected:
  void RunCases(const std::vector<Case>& cases, const policy::Policy& policy) {
    for (const auto& c : cases) {
      SCOPED_TRACE(c.name);
      CaseAlert alert = ValidAlert();
      c.mutate(alert);
      const absl::Status status = ValidateCaseAlert(alert, policy, kNow);
      EXPECT_EQ(status.code(), c.want) << status;
      if (c.want == absl::StatusCode::kOk) continue;
      EXPECT_EQ(FieldOf(status), c.field) << status;
      EXPECT_FALSE(absl::StrContains(status.message(), kFamilyName)) << status;
    }
  }

  std::shared_ptr<const policy::Policy> policy_ = LoadPolicy();
};

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

TEST_F(AlertValidatorTest, SampleAlertIsValid) {
  ASSERT_NE(policy_, nullptr);
  EXPECT_TRUE(ValidateCaseAlert(ValidAlert(), *policy_, kNow).ok());
}

TEST_F(AlertValidatorTest, HeaderFields) {
  ASSERT_NE(policy_, nullptr);
  RunCases(
      {
          {"alert_id missing", [](CaseAlert& a) { a.clear_alert_id(); },
           kInvalid, "payload.alert_id"},
          {"alert_id malformed", [](CaseAlert& a) { a.set_alert_id("a b"); },
           kInvalid, "payload.alert_id"},
          {"alert_id 129 chars",
           [](CaseAlert& a) { a.set_alert_id(std::string(129, 'a')); },
           kInvalid, "payload.alert_id"},
          {"alert_id 128 chars",
           [](CaseAlert& a) { a.set_alert_id(std::string(128, 'a')); }, kOk,
           ""},
          {"case_ref missing", [](CaseAlert& a) { a.clear_case_ref(); },
           kInvalid, "payload.case_ref"},
          {"kind unspecified",
           [](CaseAlert& a) { a.set_kind(CaseAlert::KIND_UNSPECIFIED); },
           kInvalid, "payload.kind"},
          {"kind unknown number",
           [](CaseAlert& a) { a.set_kind(static_cast<CaseAlert::Kind>(99)); },
           kInvalid, "payload.kind"},
          {"priority unspecified",
           [](CaseAlert& a) {
             a.set_priority(CaseAlert::PRIORITY_UNSPECIFIED);
           },
           kInvalid, "payload.priority"},
          {"handling_code unspecified",
           [](CaseAlert& a) {
             a.set_handling_code(CaseAlert::HANDLING_CODE_UNSPECIFIED);
           },
           kInvalid, "payload.handling_code"},
          {"H3 without restriction",
           [](CaseAlert& a) { a.set_handling_code(CaseAlert::H3); }, kInvalid,
           "payload.handling_restriction"},
          {"H3 with restriction",
           [](CaseAlert& a) {
             a.set_handling_code(CaseAlert::H3);
             a.set_handling_restriction("no onward sharing");
           },
           kOk, ""},
          {"origin_agency unknown",
           [](CaseAlert& a) { a.set_origin_agency("XX-XXX"); }, kInvalid,
           "payload.origin_agency"},
          {"origin_agency missing",
           [](CaseAlert& a) { a.clear_origin_agency(); }, kInvalid,
           "payload.origin_agency"},
          {"originator missing", [](CaseAlert& a) { a.clear_originator(); },
           kInvalid, "payload.originator"},
          {"originator 257 bytes",
           [](CaseAlert& a) { a.set_originator(std::string(257, 'u')); },
           kInvalid, "payload.originator"},
          {"created_at missing", [](CaseAlert& a) { a.clear_created_at(); },
           kInvalid, "payload.created_at"},
          {"created_at at the skew limit",
           [](CaseAlert& a) {
             a.mutable_created_at()->set_seconds(absl::ToUnixSeconds(kNow) +
                                                 300);
           },
           kOk, ""},
          {"created_at in the future",
           [](CaseAlert& a) {
             a.mutable_created_at()->set_seconds(absl::ToUnixSeconds(kNow) +
                                                 301);
           },
           kInvalid, "payload.created_at"},
      },
      *policy_);
}

TEST_F(AlertValidatorTest, Recipients) {
  ASSERT_NE(policy_, nullptr);
  RunCases(
      {
          {"none", [](CaseAlert& a) { a.clear_recipients(); }, kInvalid,
           "payload.recipients"},
          {"unknown agency second",
           [](CaseAlert& a) { a.set_recipients(1, "ZZ-ZZZ"); }, kInvalid,
           "payload.recipients[1]"},
          {"lower-case code",
           [](CaseAlert& a) { a.set_recipients(0, "th-rtp"); }, kInvalid,
           "payload.recipients[0]"},
          {"origin agency as recipient",
           [](CaseAlert& a) { a.set_recipients(1, "CN-MPS"); }, kInvalid,
           "payload.recipients[1]"},
          {"listed twice", [](CaseAlert& a) { a.set_recipients(1, "TH-RTP"); },
           kInvalid, "payload.recipients[1]"},
          {"every partner",
           [](CaseAlert& a) {
             a.clear_recipients();
             for (const char* r : {"TH-RTP", "VN-MPS", "KH-CNP", "LA-MPS",
                                   "MM-MPF", "CN-MFA"}) {
               a.add_recipients(r);
             }
           },
           kOk, ""},
      },
      *policy_);
}

TEST_F(AlertValidatorTest, MaxRecipientsBoundary) {
  // The real policy allows 10 recipients but knows only 7 agencies; move the
  // limit to 2 to reach both sides of it.
  auto policy = LoadPolicy({{"max_recipients: 10", "max_recipients: 2"}});
  ASSERT_NE(policy, nullptr);
  RunCases(
      {
          {"at the limit", [](CaseAlert&) {}, kOk, ""},
          {"limit + 1", [](CaseAlert& a) { a.add_recipients("KH-CNP"); },
           kInvalid, "payload.recipients"},
      },
      *policy);
}

TEST_F(AlertValidatorTest, Subjects) {
  ASSERT_NE(policy_, nullptr);
  const uint32_t max_subjects = policy_->limits().max_subjects();
  auto fill_subjects = [](uint32_t n) {
    return [n](CaseAlert& a) {
      const gw::v1::Subject first = a.subjects(0);
      a.clear_subjects();
      for (uint32_t i = 0; i < n; ++i) *a.add_subjects() = first;
    };
  };
  RunCases(
      {
          {"none for MISSING_PERSON", [](CaseAlert& a) { a.clear_subjects(); },
           kInvalid, "payload.subjects"},
          {"none for ROUTE_INTELLIGENCE",
           [](CaseAlert& a) {
             a.clear_subjects();
             a.set_kind(CaseAlert::ROUTE_INTELLIGENCE);
           },
           kOk, ""},
          {"at max_subjects", fill_subjects(max_subjects), kOk, ""},
          {"max_subjects + 1", fill_subjects(max_subjects + 1), kInvalid,
           "payload.subjects"},
          {"role unspecified",
           [](CaseAlert& a) {
             a.mutable_subjects(0)->set_role(gw::v1::Subject::ROLE_UNSPECIFIED);
           },
           kInvalid, "payload.subjects[0].role"},
          {"no person",
           [](CaseAlert& a) { a.mutable_subjects(0)->clear_person(); },
           kInvalid, "payload.subjects[0].person"},
          {"second subject bad",
           [](CaseAlert& a) {
             *a.add_subjects() = a.subjects(0);
             a.mutable_subjects(1)->mutable_person()->set_nationality("XXX");
           },
           kInvalid, "payload.subjects[1].person.nationality"},
      },
      *policy_);
}

TEST_F(AlertValidatorTest, Person) {
  ASSERT_NE(policy_, nullptr);
  RunCases(
      {
          {"nothing identifying",
           [](CaseAlert& a) {
             gw::v1::Person* p = Person0(a);
             p->clear_names();
             p->clear_date_of_birth();
             p->clear_documents();
             p->set_age_estimate(0);
           },
           kInvalid, "payload.subjects[0].person"},
          {"only an age estimate",
           [](CaseAlert& a) {
             gw::v1::Person* p = Person0(a);
             p->clear_names();
             p->clear_date_of_birth();
             p->set_age_estimate(14);
           },
           kOk, ""},
          {"script lower case",
           [](CaseAlert& a) {
             Person0(a)->mutable_names(0)->set_script("latn");
           },
           kInvalid, "payload.subjects[0].person.names[0].script"},
          {"name without parts",
           [](CaseAlert& a) {
             gw::v1::PersonName* n = Person0(a)->mutable_names(0);
             n->clear_family();
             n->clear_given();
             n->clear_full();
           },
           kInvalid, "payload.subjects[0].person.names[0]"},
          {"family 512 bytes",
           [](CaseAlert& a) {
             Person0(a)->mutable_names(0)->set_family(std::string(512, 'F'));
           },
           kOk, ""},
          {"family 513 bytes",
           [](CaseAlert& a) {
             Person0(a)->mutable_names(0)->set_family(std::string(513, 'F'));
           },
           kInvalid, "payload.subjects[0].person.names[0].family"},
          {"full 513 bytes on the second name",
           [](CaseAlert& a) {
             gw::v1::PersonName* n = Person0(a)->add_names();
             n->set_script("Hani");
             n->set_full(std::string(513, 'F'));
           },
           kInvalid, "payload.subjects[0].person.names[1].full"},
          {"sex unspecified",
           [](CaseAlert& a) {
             Person0(a)->set_sex(gw::v1::Person::SEX_UNSPECIFIED);
           },
           kInvalid, "payload.subjects[0].person.sex"},
          {"sex unknown number",
           [](CaseAlert& a) {
             Person0(a)->set_sex(static_cast<gw::v1::Person::Sex>(42));
           },
           kInvalid, "payload.subjects[0].person.sex"},
          {"date_of_birth 2011-02-29",
           [](CaseAlert& a) { Person0(a)->set_date_of_birth("2011-02-29"); },
           kInvalid, "payload.subjects[0].person.date_of_birth"},
          {"date_of_birth 2012-02-29",
           [](CaseAlert& a) { Person0(a)->set_date_of_birth("2012-02-29"); },
           kOk, ""},
          {"date_of_birth 1899",
           [](CaseAlert& a) { Person0(a)->set_date_of_birth("1899"); },
           kInvalid, "payload.subjects[0].person.date_of_birth"},
          {"date_of_birth 1900",
           [](CaseAlert& a) { Person0(a)->set_date_of_birth("1900"); }, kOk,
           ""},
          {"date_of_birth 2011-13",
           [](CaseAlert& a) { Person0(a)->set_date_of_birth("2011-13"); },
           kInvalid, "payload.subjects[0].person.date_of_birth"},
          {"date_of_birth in the future",
           [](CaseAlert& a) { Person0(a)->set_date_of_birth("2026-11-16"); },
           kInvalid, "payload.subjects[0].person.date_of_birth"},
          {"date_of_birth today",
           [](CaseAlert& a) { Person0(a)->set_date_of_birth("2026-11-15"); },
           kOk, ""},
          {"age_estimate 130",
           [](CaseAlert& a) { Person0(a)->set_age_estimate(130); }, kOk, ""},
          {"age_estimate 131",
           [](CaseAlert& a) { Person0(a)->set_age_estimate(131); }, kInvalid,
           "payload.subjects[0].person.age_estimate"},
          {"nationality alpha-2",
           [](CaseAlert& a) { Person0(a)->set_nationality("CN"); }, kInvalid,
           "payload.subjects[0].person.nationality"},
          {"nationality lower case",
           [](CaseAlert& a) { Person0(a)->set_nationality("chn"); }, kInvalid,
           "payload.subjects[0].person.nationality"},
          {"nationality absent",
           [](CaseAlert& a) { Person0(a)->clear_nationality(); }, kOk, ""},
      },
      *policy_);
}

TEST_F(AlertValidatorTest, Documents) {
  ASSERT_NE(policy_, nullptr);
  auto with_document =
      [](std::function<void(gw::v1::IdentityDocument&)> change) {
        return [change](CaseAlert& a) {
          gw::v1::IdentityDocument* d = Person0(a)->add_documents();
          d->set_type("PASSPORT");
          d->set_number("E00000000");
          d->set_issuing_state("CHN");
          d->set_expiry("2030-01-31");
          d->add_mrz(std::string(44, '<'));
          d->add_mrz(std::string(44, '<'));
          change(*d);
        };
      };
  RunCases(
      {
          {"valid document", with_document([](gw::v1::IdentityDocument&) {}),
           kOk, ""},
          {"type missing",
           with_document([](gw::v1::IdentityDocument& d) { d.clear_type(); }),
           kInvalid, "payload.subjects[0].person.documents[0].type"},
          {"number missing",
           with_document([](gw::v1::IdentityDocument& d) { d.clear_number(); }),
           kInvalid, "payload.subjects[0].person.documents[0].number"},
          {"issuing_state alpha-2",
           with_document(
               [](gw::v1::IdentityDocument& d) { d.set_issuing_state("TH"); }),
           kInvalid, "payload.subjects[0].person.documents[0].issuing_state"},
          {"expiry not a date", with_document([](gw::v1::IdentityDocument& d) {
             d.set_expiry("2030-02-30");
           }),
           kInvalid, "payload.subjects[0].person.documents[0].expiry"},
          {"expiry partial", with_document([](gw::v1::IdentityDocument& d) {
             d.set_expiry("2030-02");
           }),
           kInvalid, "payload.subjects[0].person.documents[0].expiry"},
          {"mrz line 64 chars", with_document([](gw::v1::IdentityDocument& d) {
             d.set_mrz(1, std::string(64, '<'));
           }),
           kOk, ""},
          {"mrz line 65 chars", with_document([](gw::v1::IdentityDocument& d) {
             d.set_mrz(1, std::string(65, '<'));
           }),
           kInvalid, "payload.subjects[0].person.documents[0].mrz[1]"},
      },
      *policy_);
}

TEST_F(AlertValidatorTest, LastSeenAndNarrative) {
  ASSERT_NE(policy_, nullptr);
  const size_t max_text = policy_->limits().max_text_bytes();
  RunCases(
      {
          {"last_seen.at in the future",
           [](CaseAlert& a) {
             a.mutable_last_seen()->mutable_at()->set_seconds(
                 absl::ToUnixSeconds(kNow) + 3600);
           },
           kInvalid, "payload.last_seen.at"},
          {"last_seen.at in the past",
           [](CaseAlert& a) {
             a.mutable_last_seen()->mutable_at()->set_seconds(
                 absl::ToUnixSeconds(kNow) - 3600);
           },
           kOk, ""},
          {"last_seen.country alpha-2",
           [](CaseAlert& a) { a.mutable_last_seen()->set_country("TH"); },
           kInvalid, "payload.last_seen.country"},
          {"last_seen.place at the limit",
           [max_text](CaseAlert& a) {
             a.mutable_last_seen()->set_place(std::string(max_text, 'p'));
           },
           kOk, ""},
          {"last_seen.place limit + 1",
           [max_text](CaseAlert& a) {
             a.mutable_last_seen()->set_place(std::string(max_text + 1, 'p'));
           },
           kInvalid, "payload.last_seen.place"},
          {"narrative lang missing",
           [](CaseAlert& a) { a.mutable_narrative(0)->clear_lang(); }, kInvalid,
           "payload.narrative[0].lang"},
          {"narrative text missing",
           [](CaseAlert& a) { a.mutable_narrative(0)->clear_text(); }, kInvalid,
           "payload.narrative[0].text"},
          {"narrative text at the limit",
           [max_text](CaseAlert& a) {
             a.mutable_narrative(0)->set_text(std::string(max_text, 't'));
           },
           kOk, ""},
          {"second narrative text limit + 1",
           [max_text](CaseAlert& a) {
             gw::v1::LanguageText* t = a.add_narrative();
             t->set_lang("th");
             t->set_text(std::string(max_text + 1, 't'));
           },
           kInvalid, "payload.narrative[1].text"},
      },
      *policy_);
}

TEST_F(AlertValidatorTest, Attachments) {
  ASSERT_NE(policy_, nullptr);
  const size_t max_bytes = policy_->limits().max_attachment_bytes();
  const uint32_t max_count = policy_->limits().max_attachments();
  RunCases(
      {
          {"content at max_attachment_bytes",
           [max_bytes](CaseAlert& a) {
             *a.add_attachments() = MakeAttachment(max_bytes);
           },
           kOk, ""},
          {"content max_attachment_bytes + 1",
           [max_bytes](CaseAlert& a) {
             *a.add_attachments() = MakeAttachment(max_bytes + 1);
           },
           kInvalid, "payload.attachments[0].content"},
          {"max_attachments",
           [max_count](CaseAlert& a) {
             for (uint32_t i = 0; i < max_count; ++i)
               *a.add_attachments() = MakeAttachment(16);
           },
           kOk, ""},
          {"max_attachments + 1",
           [max_count](CaseAlert& a) {
             for (uint32_t i = 0; i <= max_count; ++i)
               *a.add_attachments() = MakeAttachment(16);
           },
           kInvalid, "payload.attachments"},
          {"name missing",
           [](CaseAlert& a) {
             *a.add_attachments() = MakeAttachment(16);
             a.mutable_attachments(0)->clear_name();
           },
           kInvalid, "payload.attachments[0].name"},
          {"media_type without slash",
           [](CaseAlert& a) {
             *a.add_attachments() = MakeAttachment(16);
             a.mutable_attachments(0)->set_media_type("jpeg");
           },
           kInvalid, "payload.attachments[0].media_type"},
          {"sha256 upper case",
           [](CaseAlert& a) {
             gw::v1::Attachment* at = a.add_attachments();
             *at = MakeAttachment(16);
             std::string upper = at->sha256();
             for (char& ch : upper)
               ch = static_cast<char>(
                   std::toupper(static_cast<unsigned char>(ch)));
             at->set_sha256(upper);
           },
           kInvalid, "payload.attachments[0].sha256"},
          {"sha256 63 digits",
           [](CaseAlert& a) {
             gw::v1::Attachment* at = a.add_attachments();
             *at = MakeAttachment(16);
             at->set_sha256(at->sha256().substr(1));
           },
           kInvalid, "payload.attachments[0].sha256"},
          {"sha256 of other bytes on the second attachment",
           [](CaseAlert& a) {
             *a.add_attachments() = MakeAttachment(16);
             gw::v1::Attachment* at = a.add_attachments();
             *at = MakeAttachment(16);
             at->set_sha256(crypto::Sha256Hex("other bytes"));
           },
           kInvalid, "payload.attachments[1].sha256"},
      },
      *policy_);
}

TEST_F(AlertValidatorTest, FirstProblemInFieldOrderIsReported) {
  ASSERT_NE(policy_, nullptr);
  CaseAlert alert = ValidAlert();
  Person0(alert)->set_date_of_birth("1899");
  alert.clear_created_at();
  alert.set_recipients(1, "ZZ-ZZZ");
  const absl::Status status = ValidateCaseAlert(alert, *policy_, kNow);
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_EQ(FieldOf(status), "payload.recipients[1]");
}

TEST_F(AlertValidatorTest, ValidatePersonUsesTheGivenPath) {
  ASSERT_NE(policy_, nullptr);
  gw::v1::Person person = ValidAlert().subjects(0).person();
  EXPECT_TRUE(ValidatePerson("request.victim", person, *policy_, kNow).ok());
  person.set_date_of_birth("2011-00");
  const absl::Status status =
      ValidatePerson("request.victim", person, *policy_, kNow);
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_EQ(FieldOf(status), "request.victim.date_of_birth");
  EXPECT_FALSE(absl::StrContains(status.message(), "2011-00")) << status;
}

}  // namespace
}  // namespace gw::ingest
