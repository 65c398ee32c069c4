// tools/gwctl/command_line.h
//
// gwctl's command line: global flags (connection and identity, output
// format) and the words and flags of one command, e.g.
//
//   gwctl --server 127.0.0.1:7443 --as CN-MPS/investigator/investigator1
//       --json case update CN-YN-XSBN-2026-0042 --state INVESTIGATING
//
// Flags may come before or after the command words; "--flag value" and
// "--flag=value" are the same; "--" ends the flags. Global flags fall back
// to the environment, then to the built-in defaults:
//   --server         GW_SERVER, else 127.0.0.1:7443
//   --pki            GW_PKI, else var/pki
//   --as             GW_AS, else CN-MPS/investigator/investigator1 (a
//                    command may have its own default instead, e.g. the
//                    delivery commands CN-MPS/admin/admin1: the dispatcher
//                    applies it when identity_is_default)
//   --server-agency  CN-MPS;  --timeout 30s
// Which command flags a command accepts is the dispatcher's business
// (gwctl.h): this parser only knows every flag's name and whether it takes
// a value.
//
// Errors: INVALID_ARGUMENT with a message fit to print after "gwctl: " (an
// unknown flag, a flag missing its value, a bad --timeout).
// Thread safety: pure function.
#ifndef GW_TOOLS_GWCTL_COMMAND_LINE_H_
#define GW_TOOLS_GWCTL_COMMAND_LINE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gw::gwctl {

inline constexpr absl::string_view kDefaultServer = "127.0.0.1:7443";
inline constexpr absl::string_view kDefaultPkiDir = "var/pki";
inline constexpr absl::string_view kDefaultIdentity =
    "CN-MPS/investigator/investigator1";
inline constexpr absl::string_view kDefaultServerAgency = "CN-MPS";
inline constexpr absl::Duration kDefaultTimeout = absl::Seconds(30);

// Returns the value of an environment variable, or nullopt if unset.
using EnvLookup =
    std::function<std::optional<std::string>(const std::string& name)>;

struct GlobalOptions {
  std::string server;
  std::string pki_dir;
  std::string identity;  // --as AGENCY/ROLE/USER
  // True when neither --as nor GW_AS chose `identity` (the built-in default).
  bool identity_is_default = true;
  std::string cert_path;      // --cert ("" = from --pki and --as)
  std::string key_path;       // --key
  std::string server_agency;  // whose CA to trust for the gateway
  std::string ca_path;        // --ca ("" = PKI/<server_agency>/ca.crt)
  absl::Duration timeout = kDefaultTimeout;
  bool json = false;
};

struct CommandLine {
  GlobalOptions global;
  // Command words and their arguments, in order: {"case", "get", "REF"}.
  std::vector<std::string> positionals;
  // Command flags as given, without "--": {"state": "OPEN", "all": ""}.
  // A flag given twice keeps its last value.
  std::map<std::string, std::string> flags;
  bool help = false;  // --help or -h anywhere
};

[[nodiscard]] absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const EnvLookup& env);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_COMMAND_LINE_H_
