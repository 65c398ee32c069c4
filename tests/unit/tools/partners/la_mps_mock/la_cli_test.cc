// tests/unit/tools/partners/la_mps_mock/la_cli_test.cc
//
// la-mps-mock's command line in process: help with examples, and usage
// errors that are one sentence saying what to do, with exit code 3.
#include "tools/partners/la_mps_mock/la_cli.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/dev_pki.h"
#include "tools/partners/la_mps_mock/la_files.h"

namespace gw::la_mps_mock {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun RunCli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliContext context;
  context.out = &out;
  context.err = &err;
  CliRun run;
  run.code = RunLaMpsMock(args, context);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// One sentence: "la-mps-mock: ...", one line, ending with ".".
void ExpectOneSentence(const std::string& err) {
  EXPECT_THAT(err, StartsWith("la-mps-mock: "));
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
  EXPECT_TRUE(absl::EndsWith(err, ".\n")) << err;
}

TEST(LaCliTest, HelpHasCommandsAndExamples) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"-h"}, {"help"}}) {
    const CliRun run = RunCli(args);
    EXPECT_EQ(run.code, kExitOk);
    EXPECT_THAT(run.out, HasSubstr("serve"));
    EXPECT_THAT(run.out, HasSubstr("send"));
    EXPECT_THAT(run.out, HasSubstr("Examples:"));
  }
  const CliRun serve = RunCli({"serve", "--help"});
  EXPECT_EQ(serve.code, kExitOk);
  EXPECT_THAT(serve.out, HasSubstr("--refuse-case-prefix"));
  EXPECT_THAT(serve.out, HasSubstr("Examples:"));
  const CliRun send = RunCli({"help", "send"});
  EXPECT_EQ(send.code, kExitOk);
  EXPECT_THAT(send.out, HasSubstr("--corrupt-first"));
  EXPECT_THAT(send.out, HasSubstr("Examples:"));
}

struct UsageCase {
  std::string name;
  std::vector<std::string> args;
  std::string mention;
};

void PrintTo(const UsageCase& c, std::ostream* os) { *os << c.name; }

class LaCliUsageTest : public ::testing::TestWithParam<UsageCase> {};

TEST_P(LaCliUsageTest, FailsWithOneSentence) {
  const CliRun run = RunCli(GetParam().args);
  EXPECT_EQ(run.code, kExitUsage);
  ExpectOneSentence(run.err);
  EXPECT_THAT(run.err, HasSubstr(GetParam().mention));
  EXPECT_EQ(run.out, "");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LaCliUsageTest,
    ::testing::Values(
        UsageCase{"NoCommand", {}, "la-mps-mock --help"},
        UsageCase{"UnknownCommand", {"serv"}, "serve and send"},
        UsageCase{"UnknownFlag", {"serve", "--pol", "1s"}, "serve --help"},
        UsageCase{"FlagWithoutValue", {"serve", "--poll"}, "--poll"},
        UsageCase{"MissingLinkRoot", {"serve"}, "--link-root"},
        UsageCase{"MissingStore",
                  {"serve", "--link-root", "/tmp", "--signing-key", "k",
                   "--signing-cert", "c", "--gateway-signing-cert", "g"},
                  "--store"},
        UsageCase{"PollTooShort",
                  {"serve", "--link-root", "/tmp", "--store", "/tmp/x",
                   "--signing-key", "k", "--signing-cert", "c",
                   "--gateway-signing-cert", "g", "--poll", "50ms"},
                  "100ms"},
        UsageCase{"BadAgency",
                  {"serve", "--link-root", "/tmp", "--store", "/tmp/x",
                   "--signing-key", "k", "--signing-cert", "c",
                   "--gateway-signing-cert", "g", "--agency", "LAMPS"},
                  "--agency"},
        UsageCase{"MissingKeyFile",
                  {"serve", "--link-root", "/tmp", "--store", "/tmp/x",
                   "--signing-key", "/nonexistent/k", "--signing-cert",
                   "/nonexistent/c", "--gateway-signing-cert", "g"},
                  "--signing-key"},
        UsageCase{"LinkRootMissing",
                  {"serve", "--link-root", "/nonexistent/root", "--store",
                   "/tmp/x", "--signing-key", "k", "--signing-cert", "c",
                   "--gateway-signing-cert", "g"},
                  "/nonexistent/root"},
        UsageCase{"BadKind",
                  {"send", "--link-root", "/tmp", "--signing-key", "k",
                   "--signing-cert", "c", "--gateway-signing-cert", "g",
                   "--kind", "decision"},
                  "--kind"},
        UsageCase{"AlertIdForRequest",
                  {"send", "--link-root", "/tmp", "--signing-key", "k",
                   "--signing-cert", "c", "--gateway-signing-cert", "g",
                   "--kind", "repatriation-request", "--alert-id", "A"},
                  "--request-id"},
        UsageCase{"BadMessageId",
                  {"send", "--link-root", "/tmp", "--signing-key", "k",
                   "--signing-cert", "c", "--gateway-signing-cert", "g",
                   "--kind", "alert", "--message-id", "NOT-A-UUID"},
                  "--message-id"},
        UsageCase{"BadCaseRef",
                  {"send", "--link-root", "/tmp", "--signing-key", "k",
                   "--signing-cert", "c", "--gateway-signing-cert", "g",
                   "--kind", "alert", "--case-ref", "-bad ref"},
                  "--case-ref"},
        UsageCase{
            "StoreTwice", {"serve", "--store", "a", "--store", "b"}, "twice"}),
    [](const ::testing::TestParamInfo<UsageCase>& info) {
      return info.param.name;
    });

TEST(LaCliTest, ServeOnceStartsAndStops) {
  const std::string pki = gw::testing::DevPki::Get().dir();
  const std::string root = gw::testing::MakeTempDir("la_cli_root");
  const std::string store = gw::testing::MakeTempDir("la_cli_store");
  const CliRun run =
      RunCli({"serve", "--link-root", root, "--store", store, "--signing-key",
              pki + "/LA-MPS/signing.key", "--signing-cert",
              pki + "/LA-MPS/signing.crt", "--gateway-signing-cert",
              pki + "/CN-MPS/signing.crt", "--once", "--json"});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  const nlohmann::json started = nlohmann::json::parse(run.out);
  EXPECT_EQ(started["event"], "started");
  EXPECT_EQ(started["agency"], "LA-MPS");
  EXPECT_EQ(started["peer"], "CN-MPS");
  EXPECT_EQ(started["poll_ms"], 60000);
  // It made its own outgoing directory, nothing in the gateway's.
  EXPECT_TRUE(StampOf(root + "/inbox").exists);
}

TEST(LaCliTest, GatewayCertificateThatIsNotACertificateIsRefused) {
  const std::string pki = gw::testing::DevPki::Get().dir();
  const std::string root = gw::testing::MakeTempDir("la_cli_root");
  const CliRun run =
      RunCli({"serve", "--link-root", root, "--store", root + "/store",
              "--signing-key", pki + "/LA-MPS/signing.key", "--signing-cert",
              pki + "/LA-MPS/signing.crt", "--gateway-signing-cert",
              pki + "/CN-MPS/signing.key"});
  EXPECT_EQ(run.code, kExitUsage);
  ExpectOneSentence(run.err);
  EXPECT_THAT(run.err, HasSubstr("--gateway-signing-cert"));
}

}  // namespace
}  // namespace gw::la_mps_mock
