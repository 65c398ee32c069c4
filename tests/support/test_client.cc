#include "tests/support/test_client.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/signer.h"
#include "gtest/gtest.h"
#include "tests/support/dev_pki.h"

namespace gw::testing {

std::string ReadFileForTest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<grpc::ClientContext> CallContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

std::string PolicyDirWithPartners(const std::string& source_dir,
                                  const std::string& partners_textproto) {
  const std::string dir = MakeTempDir("gw-test-policies");
  for (const auto& entry : std::filesystem::directory_iterator(source_dir)) {
    const std::string name = entry.path().filename().string();
    if (!absl::EndsWith(name, ".textproto") || name == "partners.textproto")
      continue;
    std::filesystem::copy_file(entry.path(), dir + "/" + name);
  }
  if (!partners_textproto.empty()) {
    std::ofstream(dir + "/partners.textproto") << partners_textproto;
  }
  return dir;
}

std::vector<std::string> GatewayArgs(const std::string& data_dir) {
  // The project's policies without its partner links: a test gateway must
  // never reach a real (or demo) peer on a fixed port.
  static const std::string* const policies = new std::string(
      PolicyDirWithPartners(absl::StrCat(GW_SOURCE_DIR, "/policies"), ""));
  return {"--data=" + data_dir, "--pki=" + DevPki::Get().dir(),
          "--policies=" + *policies};
}

std::string UserCertBase(const std::string& agency, const std::string& role,
                         const std::string& user) {
  return absl::StrCat(DevPki::Get().dir(), "/", agency, "/", role, "/", user);
}

std::shared_ptr<grpc::Channel> ChannelWithCert(const std::string& address,
                                               const std::string& cert_base,
                                               const std::string& server_agency,
                                               const std::string& pki_dir) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileForTest(
      pki_dir.empty() ? DevPki::Get().CaCert(server_agency)
                      : absl::StrCat(pki_dir, "/", server_agency, "/ca.crt"));
  ssl.pem_private_key = ReadFileForTest(cert_base + ".key");
  ssl.pem_cert_chain = ReadFileForTest(cert_base + ".crt");
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
}

std::shared_ptr<grpc::Channel> ChannelAs(const std::string& address,
                                         const std::string& agency,
                                         const std::string& role,
                                         const std::string& user) {
  return ChannelWithCert(address, UserCertBase(agency, role, user));
}

gw::v1::Envelope SignedEnvelope(const std::string& payload_type,
                                const google::protobuf::Message& payload,
                                const std::string& cert_base) {
  return SignedEnvelopeBytes(payload_type, payload.SerializeAsString(),
                             cert_base);
}

gw::v1::Envelope SignedEnvelopeBytes(const std::string& payload_type,
                                     const std::string& payload,
                                     const std::string& cert_base) {
  gw::v1::Envelope envelope;
  envelope.set_payload_type(payload_type);
  envelope.set_payload(payload);
  auto signer =
      crypto::Signer::FromPemFiles(cert_base + ".key", cert_base + ".crt");
  if (!signer.ok()) {
    ADD_FAILURE() << signer.status();
    return envelope;
  }
  absl::Status signed_status = crypto::SignEnvelope(**signer, &envelope);
  if (!signed_status.ok()) ADD_FAILURE() << signed_status;
  return envelope;
}

gw::v1::CaseAlert SampleAlert(const std::string& alert_id,
                              const std::string& case_ref,
                              const std::vector<std::string>& recipients) {
  gw::v1::CaseAlert alert;
  alert.set_alert_id(alert_id);
  alert.set_case_ref(case_ref);
  alert.set_kind(gw::v1::CaseAlert::MISSING_PERSON);
  alert.set_priority(gw::v1::CaseAlert::URGENT);
  alert.set_handling_code(gw::v1::CaseAlert::H2);
  alert.set_origin_agency("CN-MPS");
  alert.set_originator("investigator1");
  for (const auto& r : recipients) alert.add_recipients(r);
  gw::v1::Subject* subject = alert.add_subjects();
  subject->set_role(gw::v1::Subject::VICTIM);
  gw::v1::Person* person = subject->mutable_person();
  gw::v1::PersonName* name = person->add_names();
  name->set_script("Latn");
  name->set_family("TESTCASE");
  name->set_given("Fictional");
  person->set_sex(gw::v1::Person::FEMALE);
  person->set_date_of_birth("2012-05");
  person->set_nationality("CHN");
  gw::v1::LanguageText* narrative = alert.add_narrative();
  narrative->set_lang("en");
  narrative->set_text(
      "FICTIONAL TEST RECORD. Girl aged 14 last seen at a bus station.");
  alert.mutable_created_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) -
                                          60);
  return alert;
}

}  // namespace gw::testing
