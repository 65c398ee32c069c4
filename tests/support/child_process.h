// tests/support/child_process.h
//
// Runs one of the project's programs (a mock partner, gwctl) as a child
// process, the way an operator does, for end-to-end tests.
//  * ChildProcess starts a long-running program and waits until its output
//    (stdout and stderr, both kept in one log file) contains a marker such
//    as "listening on"; the destructor stops it (SIGTERM, then SIGKILL).
//  * RunProgram runs a program to completion with a deadline and returns
//    its exit code and output.
#ifndef GW_TESTS_SUPPORT_CHILD_PROCESS_H_
#define GW_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace gw::testing {

class ChildProcess {
 public:
  // Starts `binary` with `args`; waits up to `seconds` for `ready_marker`
  // in its output ("" = do not wait). ok() is false if the process exited
  // or the marker did not appear; error() then says why, with the output.
  ChildProcess(const std::string& binary, std::vector<std::string> args,
               const std::string& ready_marker, int seconds = 30);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  pid_t pid() const { return pid_; }
  // Everything the process wrote so far.
  std::string Output() const;
  // SIGTERM and wait (SIGKILL after 20 s); the exit code or -1.
  int Terminate();
  void Kill();

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  std::string error_;
};

struct ProgramResult {
  int exit_code = -1;  // -1: killed by a signal or the deadline
  std::string output;  // stdout and stderr, interleaved
};

// Runs `binary` with `args` to completion, killing it after `seconds`.
ProgramResult RunProgram(const std::string& binary,
                         const std::vector<std::string>& args,
                         int seconds = 60);

// A loopback TCP port nobody listens on now (the kernel's choice for port
// 0), for a server a test starts next.
int FreeLoopbackPort();

// The path of a program this build produced, e.g. "tools/partners/
// th_rtp_mock/th-rtp-mock".
std::string BuiltProgram(const std::string& relative_path);

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_CHILD_PROCESS_H_
