// tests/unit/tools/partners/th_rtp_mock/mock_process.h
//
// Runs the built th-rtp-mock binary as a child process the way tools and
// integration tests do. For `serve`, waits (up to 30 s) for its first
// stdout line "th-rtp-mock listening on HOST:PORT". stdout and stderr go to
// files, so the child never blocks on a full pipe. The destructor stops it
// (SIGTERM, then SIGKILL after 10 s).
#ifndef GW_TESTS_UNIT_TOOLS_PARTNERS_TH_RTP_MOCK_MOCK_PROCESS_H_
#define GW_TESTS_UNIT_TOOLS_PARTNERS_TH_RTP_MOCK_MOCK_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace gw::th_rtp_mock::testing {

// GW_BINARY_DIR/tools/partners/th_rtp_mock/th-rtp-mock.
std::string MockBinaryPath();

class MockServer {
 public:
  // `args` follow "serve".
  explicit MockServer(const std::vector<std::string>& args);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  bool ok() const { return !port_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& port() const { return port_; }
  std::string Stdout() const;
  std::string Stderr() const;
  // SIGTERM and wait; the exit status (-1 if killed).
  int Stop();

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string port_;
  std::string error_;
};

// Runs th-rtp-mock with `args` to completion; its exit status, and its
// stdout and stderr.
int RunMock(const std::vector<std::string>& args, std::string* out,
            std::string* err);

}  // namespace gw::th_rtp_mock::testing

#endif  // GW_TESTS_UNIT_TOOLS_PARTNERS_TH_RTP_MOCK_MOCK_PROCESS_H_
