// tools/partners/vn_mps_mock/main.cc
//
// vn-mps-mock: all logic is in vn_mps_mock_cli (cli.h) and the libraries
// under it; this only wires the process to it.
#include <iostream>
#include <string>
#include <vector>

#include "tools/partners/vn_mps_mock/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return gw::vn_mps_mock::RunVnMpsMock(args, std::cout, std::cerr);
}
