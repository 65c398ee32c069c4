// tools/partners/la_mps_mock/la_cli.h
//
// The command line of `la-mps-mock`, a mock of the Lao PDR Ministry of
// Public Security's store-and-forward system (shared/partners/LA-MPS.md),
// for tests and demos of the gateway's LA-MPS link:
//
//   la-mps-mock serve --link-root DIR --signing-key F --signing-cert F
//       --gateway-signing-cert F [...] --store DIR [--poll 60s] ...
//   la-mps-mock send --link-root DIR --signing-key F --signing-cert F
//       --gateway-signing-cert F --kind alert|repatriation-request ...
//   la-mps-mock [COMMAND] --help
//
// Flags are "--flag value" or "--flag=value", anywhere after the command.
// Failures print ONE sentence on stderr starting "la-mps-mock: " that says
// what to do next.
// Exit codes (never renumber: scripts depend on them):
//   0  serve stopped by SIGINT/SIGTERM (or --once done); send: ACCEPTED
//   1  send: no valid .ack in time
//   2  send: REJECTED, CORRUPT or ACK_DIGEST_MISMATCH
//   3  usage error, or a local file (key, certificate, directory) unusable
// Thread safety: RunLaMpsMock is called once per process (serve installs
// nothing itself; `stop` is polled between sleeps).
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_CLI_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_CLI_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace gw::la_mps_mock {

enum ExitCode : int {
  kExitOk = 0,
  kExitNoAck = 1,
  kExitRefused = 2,
  kExitUsage = 3,
};

struct CliContext {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // serve runs until this returns true (checked at least every 50 ms).
  std::function<bool()> stop = [] { return false; };
};

int RunLaMpsMock(const std::vector<std::string>& args,
                 const CliContext& context);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_CLI_H_
