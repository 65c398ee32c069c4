#include "tests/support/gateway_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tests/support/dev_pki.h"

namespace gw::testing {

std::string GatewaydPath() {
  return absl::StrCat(GW_BINARY_DIR, "/gateway/gatewayd");
}

GatewayProcess::GatewayProcess(std::vector<std::string> args,
                               std::vector<std::string> env) {
  bool has_listen = false;
  for (const auto& arg : args) has_listen |= absl::StartsWith(arg, "--listen");
  if (!has_listen) args.push_back("--listen=127.0.0.1:0");
  stderr_path_ = MakeTempDir("gw-test-stderr") + "/gatewayd.stderr";

  int out[2];
  if (pipe(out) != 0) {
    error_ = "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    const int err =
        open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err >= 0) dup2(err, STDERR_FILENO);
    close(out[0]);
    std::vector<std::string> argv_strings = {GatewaydPath()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& entry : env) putenv(entry.data());
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  // Read the first line, with a deadline.
  std::string line;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out[0], POLLIN, 0};
    if (poll(&pfd, 1, 200) <= 0) continue;
    char c;
    const ssize_t n = read(out[0], &c, 1);
    if (n <= 0) break;
    if (c == '\n') break;
    line.push_back(c);
  }
  close(out[0]);
  absl::string_view rest = line;
  if (absl::ConsumePrefix(&rest, "gatewayd listening on ")) {
    address_ = std::string(rest);
  } else {
    error_ = absl::StrCat("gatewayd did not report listening (first line: '",
                          line, "'); stderr: ", Stderr());
  }
}

GatewayProcess::~GatewayProcess() {
  if (pid_ > 0) Terminate();
}

int GatewayProcess::WaitForExit() {
  int status = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

int GatewayProcess::WaitExited(int seconds) {
  if (pid_ <= 0) return -1;
  int status = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

int GatewayProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  return WaitForExit();
}

void GatewayProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  WaitForExit();
}

std::string GatewayProcess::Stderr() const {
  std::ifstream in(stderr_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace gw::testing
