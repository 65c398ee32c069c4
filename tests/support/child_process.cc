#include "tests/support/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/support/dev_pki.h"

namespace gw::testing {
namespace {

// Forks and execs `binary` with its output appended to `log_path`.
pid_t Spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::string& log_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    const int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, STDIN_FILENO);
    std::vector<std::string> argv_strings = {binary};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Waits up to `seconds` for `pid` to exit; its wait status, or nullopt.
bool WaitFor(pid_t pid, int seconds, int* status) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  do {
    if (waitpid(pid, status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

int ExitCodeOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::string& binary,
                           std::vector<std::string> args,
                           const std::string& ready_marker, int seconds) {
  log_path_ = MakeTempDir("gw-test-child") + "/output.log";
  pid_ = Spawn(binary, args, log_path_);
  if (pid_ < 0) {
    error_ = "fork failed";
    return;
  }
  if (ready_marker.empty()) return;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (absl::StrContains(Output(), ready_marker)) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ =
          absl::StrCat(binary, " exited (code ", ExitCodeOf(status),
                       ") before '", ready_marker, "'; output: ", Output());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  error_ = absl::StrCat(binary, " did not print '", ready_marker, "' within ",
                        seconds, " s; output: ", Output());
}

ChildProcess::~ChildProcess() { Terminate(); }

std::string ChildProcess::Output() const { return ReadAll(log_path_); }

int ChildProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  if (!WaitFor(pid_, 20, &status)) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  return ExitCodeOf(status);
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string BuiltProgram(const std::string& relative_path) {
  return absl::StrCat(GW_BINARY_DIR, "/", relative_path);
}

ProgramResult RunProgram(const std::string& binary,
                         const std::vector<std::string>& args, int seconds) {
  ProgramResult result;
  const std::string log_path = MakeTempDir("gw-test-run") + "/output.log";
  const pid_t pid = Spawn(binary, args, log_path);
  if (pid < 0) return result;
  int status = 0;
  if (!WaitFor(pid, seconds, &status)) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    result.output = ReadAll(log_path);
    return result;
  }
  result.exit_code = ExitCodeOf(status);
  result.output = ReadAll(log_path);
  return result;
}

}  // namespace gw::testing
