// tools/gwctl/main.cc
//
// gwctl, the command-line client of the Mekong Gateway. All logic is in
// gwctl_lib (tools/gwctl/gwctl.h); this file only wires the process to it.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/gwctl/gwctl.h"

int main(int argc, char** argv) {
  gw::gwctl::RunContext context;
  context.out = &std::cout;
  context.err = &std::cerr;
  context.env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  context.local_zone = absl::LocalTimeZone();
  const std::vector<std::string> args(argv + 1, argv + argc);
  return gw::gwctl::RunGwctl(args, context);
}
