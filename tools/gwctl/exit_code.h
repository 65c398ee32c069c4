// tools/gwctl/exit_code.h
//
// gwctl's exit codes, documented in `gwctl --help`. Scripts (and the e2e
// tests) depend on these numbers: never renumber them.
#ifndef GW_TOOLS_GWCTL_EXIT_CODE_H_
#define GW_TOOLS_GWCTL_EXIT_CODE_H_

namespace gw::gwctl {

enum ExitCode : int {
  kExitOk = 0,
  // The gateway answered with an error status (it refused the request).
  kExitRefused = 1,
  // A verification failed (audit commands): a signature, a proof, the log.
  kExitNotVerified = 1,
  // The command line is wrong (unknown command or flag, missing argument).
  kExitUsage = 2,
  // gwctl could not reach the gateway, or a local file (certificate, key,
  // CA, alert file) is missing or unusable.
  kExitLocal = 3,
};

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_EXIT_CODE_H_
