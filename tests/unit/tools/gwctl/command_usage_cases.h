// tests/unit/tools/gwctl/command_usage_cases.h
//
// Two table-driven checks every gwctl command must pass, shared by the
// command groups' tests (each instantiates them with its own cases):
//  * GwctlUsageTest: a usage error exits 2 with exactly one sentence,
//    "gwctl: ...", containing `want_err`, and prints nothing on stdout;
//  * GwctlHelpTest: --help / help COMMAND exits 0, prints `want` and an
//    "Examples:" section, and nothing on stderr.
#ifndef GW_TESTS_UNIT_TOOLS_GWCTL_COMMAND_USAGE_CASES_H_
#define GW_TESTS_UNIT_TOOLS_GWCTL_COMMAND_USAGE_CASES_H_

#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gw::gwctl::usage_test {

struct UsageCase {
  std::string name;
  std::vector<std::string> args;
  std::string want_err;
};

inline void PrintTo(const UsageCase& c, std::ostream* os) { *os << c.name; }

class GwctlUsageTest : public ::testing::TestWithParam<UsageCase> {};

struct HelpCase {
  std::string name;
  std::vector<std::string> args;
  std::string want;
};

inline void PrintTo(const HelpCase& c, std::ostream* os) { *os << c.name; }

class GwctlHelpTest : public ::testing::TestWithParam<HelpCase> {};

}  // namespace gw::gwctl::usage_test

#endif  // GW_TESTS_UNIT_TOOLS_GWCTL_COMMAND_USAGE_CASES_H_
