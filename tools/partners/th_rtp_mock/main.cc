// tools/partners/th_rtp_mock/main.cc
//
// th-rtp-mock: all logic is in th_rtp_mock_lib (cli.h); this only wires the
// process to it.
#include <iostream>
#include <string>
#include <vector>

#include "tools/partners/th_rtp_mock/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return gw::th_rtp_mock::RunMock(args, std::cout, std::cerr);
}
