#include "tests/unit/tools/gwctl/command_usage_cases.h"

#include <algorithm>
#include <sstream>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "tools/gwctl/exit_code.h"
#include "tools/gwctl/gwctl.h"

namespace gw::gwctl::usage_test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

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

}  // namespace
}  // namespace gw::gwctl::usage_test
