// tools/partners/kh_cnp_mock/main.cc
//
// kh-cnp-mock: all logic is in kh_cnp_mock_lib (cli.h) and http_mock_lib;
// this only wires the process to it.
#include <iostream>
#include <string>
#include <vector>

#include "tools/partners/kh_cnp_mock/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return gw::kh_cnp_mock::RunKhCnpMock(args, std::cout, std::cerr);
}
