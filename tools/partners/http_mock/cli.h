// tools/partners/http_mock/cli.h
//
// The command line every signed-HTTPS mock partner shares (kh-cnp-mock,
// vn-mps-mock): `serve`, `send`, `help`, flags as "--flag value" or
// "--flag=value", -h/--help anywhere. A mock's main() is one call:
//
//   return gw::http_mock::RunMockProgram(program, format, args, out, err);
//
// with its MockProgram (names, defaults, the paragraphs of its help that
// only it can write) and its PartnerFormat. Help texts (with examples) are
// generated from them; `<name> --help`, `<name> serve --help` and
// `<name> send --help` print them.
//
// Every failure is ONE sentence on `err` starting "<name>: " that says
// what to do next. Exit codes: 0 success (serve: stopped by SIGINT or
// SIGTERM; send: every answer an ack), 1 transport failure (cannot listen
// or connect, TLS failure, a missing, late, unsigned or badly signed
// answer), 2 send: a signed refusal, 3 usage or configuration error.
//
// serve prints "<name> listening on HOST:PORT" first on stdout (also with
// --json), then one line per answered request (no personal data);
// connection events go to stderr.
//
// Thread safety: one call at a time; serve blocks SIGINT and SIGTERM in
// the calling thread (and the server's) and waits for them.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_CLI_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_CLI_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/partners/http_mock/partner_format.h"

namespace gw::http_mock {

enum ExitCode : int {
  kExitOk = 0,
  kExitTransport = 1,
  kExitRefused = 2,
  kExitUsage = 3,
};

struct MockProgram {
  std::string name;     // "kh-cnp-mock"
  std::string partner;  // "the Cambodian National Police REST API (KH-CNP)"
  std::string icd;      // "ICD KH-CNP v1.1 (shared/partners/KH-CNP.md)"
  std::string default_base_uri;  // "https://cnp.partner.example"
  std::string default_gateway_base_uri = "https://gateway.mekong.example";
  std::string partner_ref_prefix;  // "CNP-INT"
  // serve --help: what step 11 checks, e.g. "the body parses as JSON
  // (MALFORMED_JSON), validates against KH-CNP.schema.json ...". Wrapped
  // text, lines of at most 78 columns, ending in a newline.
  std::string body_checks_help;
  // send --help: what --kind alert / repatriation_request send. Same form.
  std::string samples_help;
  std::string example_listen = "127.0.0.1:7460";   // serve examples
  std::string example_gateway = "127.0.0.1:7461";  // send examples
};

struct CommandLine {
  std::string command;                   // "serve", "send", "help" or ""
  std::vector<std::string> positionals;  // after the command
  std::map<std::string, std::vector<std::string>> flags;  // without "--"
  bool help = false;
};

// INVALID_ARGUMENT for a flag without its value or a stray "-x".
[[nodiscard]] absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args);

// The help texts.
std::string TopHelp(const MockProgram& program, const PartnerFormat& format);
std::string ServeHelp(const MockProgram& program, const PartnerFormat& format);
std::string SendHelp(const MockProgram& program, const PartnerFormat& format);

// Runs the program on `args` (argv without the program name); returns the
// exit code.
int RunMockProgram(const MockProgram& program, const PartnerFormat& format,
                   const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err);

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_CLI_H_
