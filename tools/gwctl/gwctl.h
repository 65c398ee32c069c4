// tools/gwctl/gwctl.h
//
// gwctl as a function: parses `args` (argv without the program name), runs
// one command, and returns the process exit code (exit_code.h). main.cc is
// only this call; tests call it with their own streams, environment and
// time zone.
//
// Guarantees: a result goes to context.out; a failure prints exactly one
// line, "gwctl: ... ." saying what to do next, on context.err. `--help` /
// `-h` / `help` at any level print that level's help on context.out and
// return 0; a usage error returns 2 without contacting the gateway.
// Thread safety: one call at a time per RunContext.
#ifndef GW_TOOLS_GWCTL_GWCTL_H_
#define GW_TOOLS_GWCTL_GWCTL_H_

#include <string>
#include <vector>

#include "tools/gwctl/invocation.h"

namespace gw::gwctl {

int RunGwctl(const std::vector<std::string>& args, const RunContext& context);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_GWCTL_H_
