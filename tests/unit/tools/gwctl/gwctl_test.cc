// tests/unit/tools/gwctl/gwctl_test.cc
//
// gwctl end to end against an in-process fake gateway: real mutual TLS with
// certificates from test_pki, real gRPC, fake AlertService / CaseService
// that record what they receive and answer from canned values.
#include "tools/gwctl/gwctl.h"

#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/dsse.h"
#include "gateway/crypto/verifier.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "gw/v1/alert.grpc.pb.h"
#include "gw/v1/case.grpc.pb.h"
#include "test_pki.h"
#include "tools/gwctl/exit_code.h"

namespace gw::gwctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The CN of the TLS peer, as the fake gateway sees it.
std::string PeerCommonName(const grpc::ServerContext& context) {
  auto values = context.auth_context()->FindPropertyValues("x509_common_name");
  return values.empty() ? "" : std::string(values[0].data(), values[0].size());
}

class FakeAlertService final : public gw::v1::AlertService::Service {
 public:
  grpc::Status SendAlert(grpc::ServerContext* context,
                         const gw::v1::SendAlertRequest* request,
                         gw::v1::SendAlertResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_send_ = *request;
    peer_ = PeerCommonName(*context);
    if (!send_status_.ok()) return send_status_;
    gw::v1::CaseAlert alert;
    alert.ParseFromString(request->envelope().payload());
    response->set_alert_id(alert.alert_id());
    response->mutable_received_at()->set_seconds(1795857302);
    response->set_payload_sha256("3f9a");
    for (const std::string& recipient : alert.recipients()) {
      auto* delivery = response->add_deliveries();
      delivery->set_recipient(recipient);
      delivery->set_state(gw::v1::Delivery::QUEUED);
      delivery->set_message_id(absl::StrCat("msg-", recipient));
    }
    return grpc::Status::OK;
  }

  grpc::Status GetAlert(grpc::ServerContext*,
                        const gw::v1::GetAlertRequest* request,
                        gw::v1::AlertRecord* record) override {
    if (request->alert_id() != "A-1") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "alert_id: not found");
    }
    record->mutable_alert()->set_alert_id("A-1");
    record->mutable_alert()->set_case_ref("C-1");
    return grpc::Status::OK;
  }

  // Three pages: "" -> "p2" -> "p3" -> end; one alert each.
  grpc::Status ListAlerts(grpc::ServerContext*,
                          const gw::v1::ListAlertsRequest* request,
                          gw::v1::ListAlertsResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    list_requests_.push_back(*request);
    const std::string& token = request->page_token();
    const std::string id = token.empty()   ? "A-1"
                           : token == "p2" ? "A-2"
                                           : "A-3";
    response->add_alerts()->mutable_alert()->set_alert_id(id);
    response->set_next_page_token(token.empty()   ? "p2"
                                  : token == "p2" ? "p3"
                                                  : "");
    return grpc::Status::OK;
  }

  void set_send_status(grpc::Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    send_status_ = std::move(status);
  }
  gw::v1::SendAlertRequest last_send() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_send_;
  }
  std::string peer() {
    std::lock_guard<std::mutex> lock(mu_);
    return peer_;
  }
  std::vector<gw::v1::ListAlertsRequest> list_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return list_requests_;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    send_status_ = grpc::Status::OK;
    list_requests_.clear();
  }

 private:
  std::mutex mu_;
  grpc::Status send_status_;
  gw::v1::SendAlertRequest last_send_;
  std::string peer_;
  std::vector<gw::v1::ListAlertsRequest> list_requests_;
};

class FakeCaseService final : public gw::v1::CaseService::Service {
 public:
  grpc::Status GetCaseStatus(grpc::ServerContext*,
                             const gw::v1::GetCaseStatusRequest* request,
                             gw::v1::CaseStatus* status) override {
    status->set_case_ref(request->case_ref());
    status->set_owner_agency("CN-MPS");
    status->set_state(gw::v1::CaseStatus::OPEN);
    return grpc::Status::OK;
  }

  grpc::Status UpdateCaseStatus(grpc::ServerContext*,
                                const gw::v1::UpdateCaseStatusRequest* request,
                                gw::v1::CaseStatus* status) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_update_ = *request;
    gw::v1::CaseStatus update;
    update.ParseFromString(request->envelope().payload());
    status->set_case_ref(update.case_ref());
    status->set_owner_agency(update.owner_agency());
    status->set_state(update.state());
    return grpc::Status::OK;
  }

  // The case now, then two changes; then the stream ends.
  grpc::Status WatchCase(
      grpc::ServerContext*, const gw::v1::WatchCaseRequest* request,
      grpc::ServerWriter<gw::v1::CaseStatus>* writer) override {
    if (request->case_ref() == "missing") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "case_ref: not found");
    }
    const gw::v1::CaseStatus::State states[] = {
        gw::v1::CaseStatus::OPEN, gw::v1::CaseStatus::INVESTIGATING,
        gw::v1::CaseStatus::CLOSED};
    for (int i = 0; i < 3; ++i) {
      gw::v1::CaseStatus status;
      status.set_case_ref(request->case_ref());
      status.set_owner_agency("CN-MPS");
      status.set_updated_by("investigator1");
      status.set_state(states[i]);
      status.mutable_updated_at()->set_seconds(1795857302 + i);
      if (!writer->Write(status)) break;
    }
    return grpc::Status::OK;
  }

  gw::v1::UpdateCaseStatusRequest last_update() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_update_;
  }

 private:
  std::mutex mu_;
  gw::v1::UpdateCaseStatusRequest last_update_;
};

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

class GwctlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = testing::SharedPki().dir();
    grpc::SslServerCredentialsOptions tls(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = testing::ReadTextFile(dir + "/CN-MPS/ca.crt") +
                         testing::ReadTextFile(dir + "/TH-RTP/ca.crt");
    tls.pem_key_cert_pairs.push_back(
        {testing::ReadTextFile(dir + "/CN-MPS/gateway.key"),
         testing::ReadTextFile(dir + "/CN-MPS/gateway.crt")});
    alerts_ = new FakeAlertService();
    cases_ = new FakeCaseService();
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls),
                             &port);
    builder.RegisterService(alerts_);
    builder.RegisterService(cases_);
    server_ = builder.BuildAndStart().release();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    address_ = absl::StrCat("127.0.0.1:", port);
  }

  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->Shutdown();
    delete server_;
    delete alerts_;
    delete cases_;
    server_ = nullptr;
  }

  void SetUp() override { alerts_->Reset(); }

  // Runs gwctl as the e2e tests will: --server --pki --as first.
  static Result Gwctl(
      std::vector<std::string> args,
      const std::string& as = "CN-MPS/investigator/investigator1") {
    std::vector<std::string> full = {
        "--server", address_, "--pki", testing::SharedPki().dir(), "--as", as};
    full.insert(full.end(), args.begin(), args.end());
    return RunRaw(full);
  }

  static Result RunRaw(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    RunContext context;
    context.out = &out;
    context.err = &err;
    context.env = [](const std::string&) { return std::nullopt; };
    context.local_zone = absl::FixedTimeZone(8 * 3600);
    const int code = RunGwctl(args, context);
    return {code, out.str(), err.str()};
  }

  static std::string Example(const std::string& name) {
    return absl::StrCat(GW_SOURCE_DIR, "/tools/gwctl/examples/", name);
  }

  static FakeAlertService* alerts_;
  static FakeCaseService* cases_;
  static grpc::Server* server_;
  static std::string address_;
};

FakeAlertService* GwctlTest::alerts_ = nullptr;
FakeCaseService* GwctlTest::cases_ = nullptr;
grpc::Server* GwctlTest::server_ = nullptr;
std::string GwctlTest::address_;

TEST_F(GwctlTest, SendAlertSignsFillsAndPrintsDeliveries) {
  const Result r = Gwctl({"send-alert", Example("missing-child.json")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(
      r.out,
      HasSubstr(
          " accepted at 2026-11-28 09:15:02 UTC (17:15:02 +08:00 local)\n"));
  EXPECT_THAT(r.out, HasSubstr("  case            CN-YN-XSBN-2026-0042\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  TH-RTP          queued   message msg-TH-RTP\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  MM-MPF          queued   message msg-MM-MPF\n"));

  EXPECT_EQ(alerts_->peer(), "investigator1");
  const gw::v1::Envelope envelope = alerts_->last_send().envelope();
  EXPECT_EQ(envelope.payload_type(), "application/vnd.gw.v1.CaseAlert+proto");
  ASSERT_EQ(envelope.signatures_size(), 1);
  auto verifier =
      crypto::Verifier::FromCertificateDer(envelope.signatures(0).cert_der());
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE(crypto::VerifyEnvelopeSignature(envelope, 0, **verifier).ok());
  gw::v1::CaseAlert alert;
  ASSERT_TRUE(alert.ParseFromString(envelope.payload()));
  EXPECT_EQ(alert.origin_agency(), "CN-MPS");
  EXPECT_EQ(alert.originator(), "investigator1");
  EXPECT_EQ(alert.alert_id().size(), 36u);
  EXPECT_TRUE(alert.has_created_at());
  EXPECT_THAT(
      r.out, StartsWith(absl::StrCat("Alert ", alert.alert_id(), " accepted")));
}

TEST_F(GwctlTest, SendAlertJsonPrintsTheResponse) {
  const Result r =
      Gwctl({"--json", "send-alert", Example("suspect-wanted.textproto")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"payload_sha256\": \"3f9a\""));
  EXPECT_THAT(r.out, HasSubstr("\"recipient\": \"VN-MPS\""));
  EXPECT_THAT(r.out, HasSubstr("\"state\": \"QUEUED\""));
}

TEST_F(GwctlTest, DryRunPrintsTheEnvelopeAndSendsNothing) {
  const Result r =
      RunRaw({"--server", "127.0.0.1:1", "--pki", testing::SharedPki().dir(),
              "send-alert", "--dry-run", Example("missing-child.json")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr("\"payload_type\": \"application/vnd.gw.v1.CaseAlert+proto\""));
  EXPECT_THAT(r.out, HasSubstr("\"keyid\""));
}

TEST_F(GwctlTest, RefusalIsOneSentenceAndExitOne) {
  alerts_->set_send_status(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                   "payload.recipients[1]: not allowed for H2"));
  const Result r = Gwctl({"send-alert", Example("missing-child.json")});
  EXPECT_EQ(r.exit_code, kExitRefused);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(
      r.err,
      StartsWith("gwctl: the gateway refused the alert: PERMISSION_DENIED: "
                 "payload.recipients[1]: not allowed for H2; your role "
                 "may not do this"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST_F(GwctlTest, BadAlertFileIsALocalProblemNamingTheField) {
  testing::TestPki scratch;
  ASSERT_TRUE(
      scratch.Run("printf '{\"case_ref\": \"x\", \"nick\": 1}' > bad.json"));
  const Result r = Gwctl({"send-alert", scratch.dir() + "/bad.json"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_THAT(r.err, HasSubstr("bad.json: nick: unknown field; fix it"));
}

TEST_F(GwctlTest, GetAlertNotFoundHintsToCheckTheId) {
  const Result r = Gwctl({"get-alert", "nope"});
  EXPECT_EQ(r.exit_code, kExitRefused);
  EXPECT_THAT(r.err,
              HasSubstr("refused to show alert nope: NOT_FOUND: alert_id: not "
                        "found; check the id"));
}

TEST_F(GwctlTest, ListAlertsAllFollowsPageTokens) {
  const Result r = Gwctl(
      {"list-alerts", "--all", "--kind", "missing_person", "--page-size", "1"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("A-1"));
  EXPECT_THAT(r.out, HasSubstr("A-2"));
  EXPECT_THAT(r.out, HasSubstr("A-3"));
  const auto requests = alerts_->list_requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].page_token(), "p3");
  EXPECT_EQ(requests[0].kind(), gw::v1::CaseAlert::MISSING_PERSON);
  EXPECT_EQ(requests[0].page_size(), 1);
}

TEST_F(GwctlTest, ListAlertsOnePageShowsTheNextToken) {
  const Result r = Gwctl({"list-alerts"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("More: gwctl list-alerts --page-token p2"));
  EXPECT_EQ(alerts_->list_requests().size(), 1u);
}

TEST_F(GwctlTest, CaseUpdateSendsASignedCaseStatus) {
  const Result r = Gwctl({"case", "update", "CN-YN-XSBN-2026-0042", "--state",
                          "investigating", "--note", "Bus ticket traced.",
                          "--update-id", "upd-1"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(
      r.out,
      StartsWith(
          "Case CN-YN-XSBN-2026-0042 is now INVESTIGATING (update upd-1)\n"));
  const gw::v1::Envelope envelope = cases_->last_update().envelope();
  EXPECT_EQ(envelope.payload_type(), "application/vnd.gw.v1.CaseStatus+proto");
  auto verifier =
      crypto::Verifier::FromCertificateDer(envelope.signatures(0).cert_der());
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE(crypto::VerifyEnvelopeSignature(envelope, 0, **verifier).ok());
  gw::v1::CaseStatus update;
  ASSERT_TRUE(update.ParseFromString(envelope.payload()));
  EXPECT_EQ(update.case_ref(), "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(update.owner_agency(), "CN-MPS");
  EXPECT_EQ(update.updated_by(), "investigator1");
  EXPECT_EQ(update.update_id(), "upd-1");
  EXPECT_EQ(update.state(), gw::v1::CaseStatus::INVESTIGATING);
  ASSERT_EQ(update.note_size(), 1);
  EXPECT_EQ(update.note(0).lang(), "en");
}

TEST_F(GwctlTest, CaseGetAsAPartnerLiaison) {
  const Result r = Gwctl({"case", "get", "C-9"}, "TH-RTP/liaison/liaison1");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Case C-9\n  state           OPEN\n"));
}

TEST_F(GwctlTest, CaseWatchPrintsOneLinePerUpdate) {
  const Result all = Gwctl({"case", "watch", "C-1"});
  ASSERT_EQ(all.exit_code, kExitOk) << all.err;
  EXPECT_EQ(all.out,
            "17:15:02  C-1  OPEN  by CN-MPS/investigator1\n"
            "17:15:03  C-1  INVESTIGATING  by CN-MPS/investigator1\n"
            "17:15:04  C-1  CLOSED  by CN-MPS/investigator1\n");
  const Result two = Gwctl({"--json", "case", "watch", "C-1", "--count", "2"});
  ASSERT_EQ(two.exit_code, kExitOk) << two.err;
  EXPECT_EQ(std::count(two.out.begin(), two.out.end(), '\n'), 2);
  EXPECT_THAT(two.out, HasSubstr("\"state\":\"INVESTIGATING\""));
  const Result missing = Gwctl({"case", "watch", "missing"});
  EXPECT_EQ(missing.exit_code, kExitRefused);
  EXPECT_THAT(missing.err,
              HasSubstr("refused to watch case missing: NOT_FOUND"));
}

TEST_F(GwctlTest, NoGatewayListeningIsExitThree) {
  const Result r = RunRaw({"--server", "127.0.0.1:1", "--pki",
                           testing::SharedPki().dir(), "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_EQ(
      r.err,
      "gwctl: cannot reach the gateway at 127.0.0.1:1 (connection refused): "
      "start it with tools/run-gateway, or pass --server HOST:PORT.\n");
}

TEST_F(GwctlTest, GatewayFromAnotherCaFailsTheHandshake) {
  const Result r = Gwctl({"--server-agency", "TH-RTP", "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_THAT(r.err,
              StartsWith("gwctl: the TLS handshake with the gateway at "));
}

TEST_F(GwctlTest, UntrustedClientCertificateIsRefused) {
  const std::string dir = testing::SharedPki().dir();
  const Result r = Gwctl({"--cert", dir + "/self.crt", "--key",
                          dir + "/self.key", "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal) << r.err;
  EXPECT_THAT(r.err, StartsWith(absl::StrCat(
                         "gwctl: the gateway at ", address_,
                         " closed the connection, most likely refusing your "
                         "certificate: check --as or --cert/--key")));
}

TEST_F(GwctlTest, MissingCertificateNamesThePathAndMakeDevPki) {
  const Result r = RunRaw({"--pki", "/nonexistent/pki", "case", "get", "C-1"});
  EXPECT_EQ(r.exit_code, kExitLocal);
  EXPECT_EQ(
      r.err,
      "gwctl: cannot read your certificate "
      "/nonexistent/pki/CN-MPS/investigator/investigator1.crt (no such "
      "file): create the development PKI with certs/make-dev-pki "
      "/nonexistent/pki, or choose the files with --pki DIR, --as "
      "AGENCY/ROLE/USER, --server-agency AGENCY or --cert FILE --key FILE.\n");
}

struct UsageCase {
  std::string name;
  std::vector<std::string> args;
  std::string want_err;
};

void PrintTo(const UsageCase& c, std::ostream* os) { *os << c.name; }

class GwctlUsageTest : public ::testing::TestWithParam<UsageCase> {};

TEST_P(GwctlUsageTest, IsExitTwoWithOneSentence) {
  std::ostringstream out;
  std::ostringstream err;
  RunContext context;
  context.out = &out;
  context.err = &err;
  context.local_zone = absl::UTCTimeZone();
  EXPECT_EQ(RunGwctl(GetParam().args, context), kExitUsage);
  EXPECT_EQ(out.str(), "");
  const std::string sentence = err.str();
  EXPECT_THAT(sentence, StartsWith("gwctl: "));
  EXPECT_THAT(sentence, HasSubstr(GetParam().want_err));
  EXPECT_EQ(std::count(sentence.begin(), sentence.end(), '\n'), 1);
}

INSTANTIATE_TEST_SUITE_P(
    GwctlTest, GwctlUsageTest,
    ::testing::Values(
        UsageCase{"NoCommand", {}, "no command given"},
        UsageCase{"UnknownCommand", {"frob"}, "there is no command 'frob'"},
        UsageCase{"UnknownCaseCommand",
                  {"case", "close", "C"},
                  "no command 'case close'"},
        UsageCase{"CaseAlone", {"case"}, "case needs a command"},
        UsageCase{"MissingFile", {"send-alert"}, "send-alert needs FILE"},
        UsageCase{"ExtraArgument",
                  {"get-alert", "A", "B"},
                  "takes only ID, but got 'B'"},
        UsageCase{"FlagOfAnotherCommand",
                  {"get-alert", "A", "--all"},
                  "get-alert does not take --all"},
        UsageCase{"UpdateWithoutState",
                  {"case", "update", "C"},
                  "needs --state STATE"},
        UsageCase{"BadState",
                  {"case", "update", "C", "--state", "DONE"},
                  "--state DONE is not one of OPEN, INVESTIGATING"},
        UsageCase{"UnspecifiedStateRefused",
                  {"case", "list", "--state", "STATE_UNSPECIFIED"},
                  "is not one of"},
        UsageCase{"BadKind",
                  {"list-alerts", "--kind", "LOST"},
                  "--kind LOST is not one of"},
        UsageCase{"PageSizeTooBig",
                  {"list-alerts", "--page-size", "1001"},
                  "--page-size 1001 is not a whole number from 1 to 1000"},
        UsageCase{
            "CountZero", {"case", "watch", "C", "--count", "0"}, "--count 0"},
        UsageCase{"LangWithoutNote",
                  {"case", "update", "C", "--state", "OPEN", "--lang", "zh"},
                  "--lang tags the --note text"},
        UsageCase{"BadAs",
                  {"--as", "CN-MPS/investigator", "get-alert", "A"},
                  "is not AGENCY/ROLE/USER"},
        UsageCase{"CertWithoutKey",
                  {"--cert", "a.crt", "get-alert", "A"},
                  "--cert and --key go together"},
        UsageCase{"UnknownFlag",
                  {"--verbose", "get-alert", "A"},
                  "unknown flag --verbose"},
        UsageCase{"HelpForNothing", {"help", "frob"}, "no command 'frob'"}),
    [](const auto& info) { return info.param.name; });

struct HelpCase {
  std::string name;
  std::vector<std::string> args;
  std::string want;
};

void PrintTo(const HelpCase& c, std::ostream* os) { *os << c.name; }

class GwctlHelpTest : public ::testing::TestWithParam<HelpCase> {};

TEST_P(GwctlHelpTest, PrintsHelpWithExamplesAndExitsZero) {
  std::ostringstream out;
  std::ostringstream err;
  RunContext context;
  context.out = &out;
  context.err = &err;
  EXPECT_EQ(RunGwctl(GetParam().args, context), kExitOk);
  EXPECT_EQ(err.str(), "");
  EXPECT_THAT(out.str(), HasSubstr(GetParam().want));
  EXPECT_THAT(out.str(), HasSubstr("Examples:"));
}

INSTANTIATE_TEST_SUITE_P(
    GwctlTest, GwctlHelpTest,
    ::testing::Values(
        HelpCase{"Top", {"--help"}, "Exit codes:\n  0  success"},
        HelpCase{"TopShort", {"-h"}, "--server HOST:PORT"},
        HelpCase{"HelpCommand", {"help"}, "send-alert FILE"},
        HelpCase{"SendAlert", {"send-alert", "--help"}, "--dry-run"},
        HelpCase{"HelpSendAlert", {"help", "send-alert"}, "created_at"},
        HelpCase{"GetAlert", {"get-alert", "-h"}, "Usage: gwctl get-alert ID"},
        HelpCase{"ListAlerts", {"list-alerts", "--help"}, "--page-token T"},
        HelpCase{"Case", {"case", "--help"}, "case watch REF"},
        HelpCase{
            "CaseGet", {"case", "get", "--help"}, "Usage: gwctl case get REF"},
        HelpCase{"CaseList", {"case", "list", "--help"}, "--state STATE"},
        HelpCase{"CaseUpdate", {"case", "update", "--help"}, "--update-id ID"},
        HelpCase{"CaseWatch", {"--help", "case", "watch"}, "--count N"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gw::gwctl
