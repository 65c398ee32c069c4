// tools/gwctl/invocation.h
//
// What every gwctl command handler receives: the parsed global options,
// its own arguments and flags (already checked against the command's
// specification by the dispatcher), and where to write.
#ifndef GW_TOOLS_GWCTL_INVOCATION_H_
#define GW_TOOLS_GWCTL_INVOCATION_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/gwctl/command_line.h"

namespace gw::gwctl {

// Where a run of gwctl writes and what it reads from its surroundings;
// tests substitute every part. The streams are not owned and must outlive
// the run.
struct RunContext {
  std::ostream* out = nullptr;  // results
  std::ostream* err = nullptr;  // the one-sentence errors
  EnvLookup env;                // GW_SERVER, GW_PKI, GW_AS
  absl::TimeZone local_zone;    // for "local" times
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

struct Invocation {
  std::string command;  // "send-alert", "case update", ...
  GlobalOptions global;
  std::vector<std::string> args;             // after the command words
  std::map<std::string, std::string> flags;  // command flags, without "--"

  bool Has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::string Flag(const std::string& flag,
                   const std::string& fallback = "") const {
    auto it = flags.find(flag);
    return it == flags.end() ? fallback : it->second;
  }
};

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_INVOCATION_H_
