// tools/partners/kh_cnp_mock/cli.h
//
// The kh-cnp-mock command line: the shared command line of the
// signed-HTTPS mocks (tools/partners/http_mock/cli.h: `serve`, `send`,
// `help`, flags, exit codes 0/1/2/3, help texts with examples) with the
// KH-CNP body format (kh_format.h) and KH-CNP's names and defaults: base
// URI https://cnp.partner.example (the ICD's), the gateway's
// https://gateway.mekong.example, partner references CNP-INT-<year>-<n>.
//
// Thread safety: one call at a time (serve runs until a signal).
#ifndef GW_TOOLS_PARTNERS_KH_CNP_MOCK_CLI_H_
#define GW_TOOLS_PARTNERS_KH_CNP_MOCK_CLI_H_

#include <ostream>
#include <string>
#include <vector>

#include "tools/partners/http_mock/cli.h"

namespace gw::kh_cnp_mock {

// kh-cnp-mock's names, defaults and help paragraphs.
http_mock::MockProgram KhCnpProgram();

// Runs kh-cnp-mock on `args` (argv without the program name); returns the
// exit code.
int RunKhCnpMock(const std::vector<std::string>& args, std::ostream& out,
                 std::ostream& err);

}  // namespace gw::kh_cnp_mock

#endif  // GW_TOOLS_PARTNERS_KH_CNP_MOCK_CLI_H_
