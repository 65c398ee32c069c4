// tools/partners/http_mock/store.cc
#include "tools/partners/http_mock/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "tools/partners/http_mock/views.h"

namespace gw::http_mock {
namespace {

constexpr char kSeenFile[] = "seen.jsonl";
constexpr char kLogFile[] = "received.jsonl";
constexpr char kReceivedDir[] = "received";

std::string ErrnoText() { return std::strerror(errno); }

absl::Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::UnavailableError(absl::StrCat(path, ": not a directory"));
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status AppendLine(const std::string& path, std::string_view line) {
  const int fd =
      open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
  }
  absl::Status status = WriteAll(fd, absl::StrCat(Av(line), "\n"), path);
  if (status.ok() && fsync(fd) != 0) {
    status =
        absl::UnavailableError(absl::StrCat(path, ": fsync: ", ErrnoText()));
  }
  close(fd);
  return status;
}

// Whole file or none: temp file, fsync, rename, fsync of the directory.
absl::Status WriteFileDurably(const std::string& dir, const std::string& name,
                              std::string_view data) {
  const std::string path = absl::StrCat(dir, "/", name);
  const std::string temp = absl::StrCat(path, ".tmp");
  const int fd =
      open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat(temp, ": ", ErrnoText()));
  }
  absl::Status status = WriteAll(fd, data, temp);
  if (status.ok() && fsync(fd) != 0) {
    status =
        absl::UnavailableError(absl::StrCat(temp, ": fsync: ", ErrnoText()));
  }
  close(fd);
  if (!status.ok()) return status;
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
  }
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

std::string Key(std::string_view sender, std::string_view message_id) {
  return absl::StrCat(Av(sender), " ", Av(message_id));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& dir) {
  if (dir.empty()) {
    return absl::InvalidArgumentError("the store needs a directory");
  }
  std::unique_ptr<Store> store(new Store(dir));
  absl::Status status = MakeDir(dir);
  if (status.ok()) status = MakeDir(absl::StrCat(dir, "/", kReceivedDir));
  if (status.ok()) status = store->Load();
  if (!status.ok()) return status;
  return store;
}

absl::Status Store::Load() {
  const std::string path = absl::StrCat(dir_, "/", kSeenFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::OkStatus();  // a new store
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      if (in.peek() == EOF) break;  // cut by a crash before its ack
      return absl::UnavailableError(absl::StrCat(
          path, ": line ", number, " is not JSON; repair or remove the file"));
    }
    auto text = [&json](const char* key) {
      auto it = json.find(key);
      return it != json.end() && it->is_string() ? it->get<std::string>()
                                                 : std::string();
    };
    SeenMessage seen{text("sender"),      text("message_id"),
                     text("body_sha256"), text("received_at"),
                     text("partner_ref"), text("kind"),
                     text("ack_body")};
    seen_[Key(seen.sender, seen.message_id)] = std::move(seen);
  }
  return absl::OkStatus();
}

const SeenMessage* Store::Find(std::string_view sender,
                               std::string_view message_id) const {
  auto it = seen_.find(Key(sender, message_id));
  return it == seen_.end() ? nullptr : &it->second;
}

absl::StatusOr<std::string> Store::Keep(const SeenMessage& seen,
                                        std::string_view body,
                                        std::string_view extension) {
  const std::string name = absl::StrCat(seen.message_id, ".", Av(extension));
  absl::Status status =
      WriteFileDurably(absl::StrCat(dir_, "/", kReceivedDir), name, body);
  if (!status.ok()) return status;
  const nlohmann::json line = {
      {"sender", seen.sender},           {"message_id", seen.message_id},
      {"body_sha256", seen.body_sha256}, {"received_at", seen.received_at},
      {"partner_ref", seen.partner_ref}, {"kind", seen.kind},
      {"ack_body", seen.ack_body}};
  std::string text;
  try {
    text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::exception&) {
    // Only ids and the mock's own ack reach here; all are UTF-8.
    return absl::InternalError("a seen.jsonl line is not valid UTF-8");
  }
  status = AppendLine(absl::StrCat(dir_, "/", kSeenFile), text);
  if (!status.ok()) return status;
  seen_[Key(seen.sender, seen.message_id)] = seen;
  return absl::StrCat(kReceivedDir, "/", name);
}

absl::Status Store::Log(std::string_view json_line) {
  return AppendLine(absl::StrCat(dir_, "/", kLogFile), json_line);
}

}  // namespace gw::http_mock
