// tests/support/gateway_process.h
//
// GatewayProcess runs the real gatewayd binary as a child process, the way
// an operator does, and reads the address from its "gatewayd listening on"
// line. The destructor stops it (SIGTERM, then SIGKILL after 20 s).
#ifndef GW_TESTS_SUPPORT_GATEWAY_PROCESS_H_
#define GW_TESTS_SUPPORT_GATEWAY_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace gw::testing {

class GatewayProcess {
 public:
  // Starts gatewayd with `args` (plus --listen 127.0.0.1:0 unless given) and
  // waits up to 60 s for its listening line. On failure, `ok()` is false and
  // error() says why (with the process's stderr). `env` entries
  // ("NAME=value") are added to the child's environment.
  explicit GatewayProcess(std::vector<std::string> args,
                          std::vector<std::string> env = {});
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  bool ok() const { return !address_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // SIGTERM and wait; returns the exit status (or -1 if killed by a signal).
  int Terminate();
  // SIGKILL and wait.
  void Kill();
  // Waits up to `seconds` for the process to exit on its own; its wait
  // status, or -1 if it is still running (then it is left running).
  int WaitExited(int seconds);
  // Everything the process wrote to stderr so far (after it exited).
  std::string Stderr() const;

 private:
  int WaitForExit();

  pid_t pid_ = -1;
  std::string address_;
  std::string error_;
  std::string stderr_path_;
};

// The path of the built gatewayd.
std::string GatewaydPath();

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_GATEWAY_PROCESS_H_
