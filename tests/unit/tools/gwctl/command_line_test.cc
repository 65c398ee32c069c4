// tests/unit/tools/gwctl/command_line_test.cc
#include "tools/gwctl/command_line.h"

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::gwctl {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(CommandLineTest, DefaultsWithoutFlagsOrEnvironment) {
  auto line = ParseCommandLine({"case", "get", "C-1"}, Env({}));
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->global.server, "127.0.0.1:7443");
  EXPECT_EQ(line->global.pki_dir, "var/pki");
  EXPECT_EQ(line->global.identity, "CN-MPS/investigator/investigator1");
  EXPECT_EQ(line->global.server_agency, "CN-MPS");
  EXPECT_EQ(line->global.timeout, absl::Seconds(30));
  EXPECT_FALSE(line->global.json);
  EXPECT_THAT(line->positionals, ::testing::ElementsAre("case", "get", "C-1"));
}

TEST(CommandLineTest, EnvironmentThenFlagsOverride) {
  auto env = Env({{"GW_SERVER", "gw:1"},
                  {"GW_PKI", "/p"},
                  {"GW_AS", "TH-RTP/liaison/l1"}});
  auto from_env = ParseCommandLine({"list-alerts"}, env);
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->global.server, "gw:1");
  EXPECT_EQ(from_env->global.pki_dir, "/p");
  EXPECT_EQ(from_env->global.identity, "TH-RTP/liaison/l1");
  auto from_flags = ParseCommandLine(
      {"--server", "gw:2", "--pki=/q", "list-alerts", "--as", "A/B/C"}, env);
  ASSERT_TRUE(from_flags.ok());
  EXPECT_EQ(from_flags->global.server, "gw:2");
  EXPECT_EQ(from_flags->global.pki_dir, "/q");
  EXPECT_EQ(from_flags->global.identity, "A/B/C");
}

// The delivery commands default to an admin identity only when the user
// chose none (gwctl.cc), so the parser says whether --as or GW_AS did.
TEST(CommandLineTest, SaysWhetherTheIdentityIsTheBuiltInDefault) {
  auto plain = ParseCommandLine({"delivery", "list"}, Env({}));
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->global.identity_is_default);
  auto from_env =
      ParseCommandLine({"delivery", "list"},
                       Env({{"GW_AS", "CN-MPS/investigator/investigator1"}}));
  ASSERT_TRUE(from_env.ok());
  EXPECT_FALSE(from_env->global.identity_is_default);
  auto empty_env = ParseCommandLine({"delivery", "list"}, Env({{"GW_AS", ""}}));
  ASSERT_TRUE(empty_env.ok());
  EXPECT_TRUE(empty_env->global.identity_is_default);
  auto from_flag = ParseCommandLine(
      {"--as", "CN-MPS/investigator/investigator1", "delivery", "list"},
      Env({}));
  ASSERT_TRUE(from_flag.ok());
  EXPECT_FALSE(from_flag->global.identity_is_default);
}

TEST(CommandLineTest, GlobalAndCommandFlagsAnywhere) {
  auto line = ParseCommandLine(
      {"--json", "case", "update", "C-1", "--state", "OPEN", "--note=a b",
       "--timeout", "2m", "--cert", "c.crt", "--key", "c.key", "--all"},
      Env({}));
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_TRUE(line->global.json);
  EXPECT_EQ(line->global.timeout, absl::Minutes(2));
  EXPECT_EQ(line->global.cert_path, "c.crt");
  EXPECT_EQ(line->global.key_path, "c.key");
  EXPECT_THAT(line->positionals,
              ::testing::ElementsAre("case", "update", "C-1"));
  EXPECT_EQ(line->flags.at("state"), "OPEN");
  EXPECT_EQ(line->flags.at("note"), "a b");
  EXPECT_EQ(line->flags.at("all"), "");
}

TEST(CommandLineTest, ValuesMayStartWithADashAndDoubleDashEndsFlags) {
  auto line = ParseCommandLine(
      {"case", "update", "--note", "-5 C", "--", "--odd"}, Env({}));
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->flags.at("note"), "-5 C");
  EXPECT_THAT(line->positionals,
              ::testing::ElementsAre("case", "update", "--odd"));
}

TEST(CommandLineTest, HelpAnywhere) {
  for (const char* flag : {"--help", "-h"}) {
    auto line = ParseCommandLine({"case", flag}, Env({}));
    ASSERT_TRUE(line.ok());
    EXPECT_TRUE(line->help);
  }
}

struct BadCase {
  std::string name;
  std::vector<std::string> args;
  std::string want;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadCommandLineTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadCommandLineTest, IsAUsageError) {
  auto line = ParseCommandLine(GetParam().args, Env({}));
  EXPECT_EQ(line.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(line.status().message()),
              ::testing::HasSubstr(GetParam().want));
}

INSTANTIATE_TEST_SUITE_P(
    CommandLineTest, BadCommandLineTest,
    ::testing::Values(
        BadCase{"UnknownFlag", {"--frobnicate"}, "unknown flag --frobnicate"},
        BadCase{"SingleDash", {"-x"}, "unknown flag -x"},
        BadCase{
            "MissingValue", {"list-alerts", "--kind"}, "--kind needs a value"},
        BadCase{
            "EmptyServer", {"--server="}, "--server needs a non-empty value"},
        BadCase{"BoolWithValue", {"--json=true"}, "--json takes no value"},
        BadCase{"BadTimeout",
                {"--timeout", "soon"},
                "--timeout soon is not a duration"},
        BadCase{
            "ZeroTimeout", {"--timeout", "0"}, "--timeout must be positive"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gw::gwctl
