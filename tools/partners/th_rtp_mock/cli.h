// tools/partners/th_rtp_mock/cli.h
//
// The th-rtp-mock command line: `serve`, `send`, `help`, with flags as
// "--flag value" or "--flag=value" (help text: help_text.cc). Every failure
// is ONE sentence on `err` starting "th-rtp-mock: " that says what to do
// next; exit codes are those of `th-rtp-mock --help` (0, 1, 2, 3).
//
// Thread safety: one call at a time (serve runs until a signal).
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_CLI_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_CLI_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gw::th_rtp_mock {

enum ExitCode : int {
  kExitOk = 0,
  kExitTransport = 1,
  kExitRejected = 2,
  kExitUsage = 3,
};

struct CommandLine {
  std::string command;                   // "serve", "send", "help" or ""
  std::vector<std::string> positionals;  // after the command
  std::map<std::string, std::vector<std::string>> flags;  // without "--"
  bool help = false;  // -h or --help anywhere
};

// Splits `args` (argv without the program name). INVALID_ARGUMENT for a
// flag without its value or a stray "-x".
[[nodiscard]] absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args);

// Runs th-rtp-mock; returns the exit code.
int RunMock(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_CLI_H_
