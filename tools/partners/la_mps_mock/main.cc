// tools/partners/la_mps_mock/main.cc
//
// la-mps-mock: a mock of LA-MPS's store-and-forward system. All logic is in
// la_mps_mock_lib (la_cli.h); this file wires the process to it and turns
// SIGINT/SIGTERM into a clean stop of `serve`.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "tools/partners/la_mps_mock/la_cli.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void OnStopSignal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  gw::la_mps_mock::CliContext context;
  context.out = &std::cout;
  context.err = &std::cerr;
  context.stop = [] { return g_stop != 0; };
  const std::vector<std::string> args(argv + 1, argv + argc);
  return gw::la_mps_mock::RunLaMpsMock(args, context);
}
