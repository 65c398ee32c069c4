// tools/partners/vn_mps_mock/cli.h
//
// The vn-mps-mock command line: the shared command line of the signed-HTTPS
// mocks (tools/partners/http_mock/cli.h: `serve`, `send`, `help`, the same
// flags and exit codes as kh-cnp-mock) with the VN-MPS body format
// (vn_format.h) and VN-MPS's names and defaults (VnMpsProgram).
//
// vn-mps-mock adds sample kinds to `send --kind` (the shared line knows
// alert and repatriation_request): alert_nfd, repatriation_request_nfd,
// repatriation_decision and invalid_repatriation_decision (vn_format.h).
// They are handed to the shared line as the base kind (decisions: as
// repatriation_request with --path /gw/vn/v1/repatriation-decisions unless
// --path is given), and the body is then made for the kind asked for.
//
// Thread safety: one call at a time (serve runs until a signal).
#ifndef GW_TOOLS_PARTNERS_VN_MPS_MOCK_CLI_H_
#define GW_TOOLS_PARTNERS_VN_MPS_MOCK_CLI_H_

#include <ostream>
#include <string>
#include <vector>

#include "tools/partners/http_mock/cli.h"

namespace gw::vn_mps_mock {

// vn-mps-mock's names, defaults and help paragraphs.
http_mock::MockProgram VnMpsProgram();

// Runs vn-mps-mock on `args` (argv without the program name); returns the
// exit code of http_mock/cli.h (0, 1, 2, 3).
int RunVnMpsMock(const std::vector<std::string>& args, std::ostream& out,
                 std::ostream& err);

}  // namespace gw::vn_mps_mock

#endif  // GW_TOOLS_PARTNERS_VN_MPS_MOCK_CLI_H_
