// tests/unit/tools/partners/th_rtp_mock/mock_process.cc
#include "tests/unit/tools/partners/th_rtp_mock/mock_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/support/dev_pki.h"

namespace gw::th_rtp_mock::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Starts the binary with stdout/stderr into DIR/out and DIR/err.
pid_t Spawn(const std::vector<std::string>& args, const std::string& dir) {
  const std::string out = dir + "/out";
  const std::string err = dir + "/err";
  const pid_t pid = fork();
  if (pid == 0) {
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out_fd < 0 || err_fd < 0) _exit(126);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    std::vector<std::string> strings = {MockBinaryPath()};
    strings.insert(strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int WaitStatus(pid_t pid, int seconds) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

}  // namespace

std::string MockBinaryPath() {
  return absl::StrCat(GW_BINARY_DIR, "/tools/partners/th_rtp_mock/th-rtp-mock");
}

MockServer::MockServer(const std::vector<std::string>& args) {
  dir_ = gw::testing::MakeTempDir("th-rtp-mock-process");
  std::vector<std::string> all = {"serve"};
  all.insert(all.end(), args.begin(), args.end());
  pid_ = Spawn(all, dir_);
  const std::string marker = "th-rtp-mock listening on ";
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = Stdout();
    const size_t at = out.find(marker);
    const size_t end = out.find('\n', at);
    if (at != std::string::npos && end != std::string::npos) {
      const std::string address =
          out.substr(at + marker.size(), end - at - marker.size());
      port_ = address.substr(address.rfind(':') + 1);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  error_ = absl::StrCat("th-rtp-mock serve did not report listening; stdout: ",
                        Stdout(), " stderr: ", Stderr());
}

MockServer::~MockServer() { Stop(); }

int MockServer::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const int status = WaitStatus(pid_, 10);
  pid_ = -1;
  return status;
}

std::string MockServer::Stdout() const { return ReadAll(dir_ + "/out"); }
std::string MockServer::Stderr() const { return ReadAll(dir_ + "/err"); }

int RunMock(const std::vector<std::string>& args, std::string* out,
            std::string* err) {
  const std::string dir = gw::testing::MakeTempDir("th-rtp-mock-run");
  const pid_t pid = Spawn(args, dir);
  const int status = WaitStatus(pid, 120);
  if (out != nullptr) *out = ReadAll(dir + "/out");
  if (err != nullptr) *err = ReadAll(dir + "/err");
  return status;
}

}  // namespace gw::th_rtp_mock::testing
