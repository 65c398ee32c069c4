// tools/partners/la_mps_mock/la_files.cc
#include "tools/partners/la_mps_mock/la_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/partners/la_mps_mock/la_formats.h"

namespace gw::la_mps_mock {
namespace {

constexpr mode_t kFileMode = 0640;

absl::Status ErrnoStatus(const std::string& path, absl::string_view what,
                         int err) {
  const std::string message =
      absl::StrCat(path, ": ", what, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) {
    return absl::PermissionDeniedError(message);
  }
  return absl::UnavailableError(message);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the error close(2) gives (data not written).
  int Close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

absl::Status WriteAll(int fd, absl::string_view bytes,
                      const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "write", errno);
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status SyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus(dir, "open directory", errno);
  if (::fsync(fd.get()) != 0) return ErrnoStatus(dir, "fsync", errno);
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteFileAtomic(const std::string& dir, const std::string& name,
                             absl::string_view bytes) {
  const std::string final_path = absl::StrCat(dir, "/", name);
  const std::string tmp_path = absl::StrCat(final_path, ".tmp");
  {
    Fd fd(::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                 kFileMode));
    if (fd.get() < 0) return ErrnoStatus(tmp_path, "create", errno);
    // The umask may have taken bits away; §2.2 wants exactly 0640.
    if (::fchmod(fd.get(), kFileMode) != 0) {
      return ErrnoStatus(tmp_path, "chmod", errno);
    }
    if (absl::Status s = WriteAll(fd.get(), bytes, tmp_path); !s.ok()) {
      return s;
    }
    if (::fsync(fd.get()) != 0) return ErrnoStatus(tmp_path, "fsync", errno);
    if (fd.Close() != 0) return ErrnoStatus(tmp_path, "close", errno);
  }
  if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    return ErrnoStatus(final_path, "rename", errno);
  }
  return SyncDir(dir);
}

absl::StatusOr<std::optional<std::string>> ReadFileIfExists(
    const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return ErrnoStatus(path, "open", errno);
  }
  std::string bytes;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "read", errno);
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  return std::optional<std::string>(std::move(bytes));
}

absl::Status AppendLine(const std::string& path, absl::string_view line) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
               kFileMode));
  if (fd.get() < 0) return ErrnoStatus(path, "open", errno);
  if (absl::Status s = WriteAll(fd.get(), absl::StrCat(line, "\n"), path);
      !s.ok()) {
    return s;
  }
  if (::fsync(fd.get()) != 0) return ErrnoStatus(path, "fsync", errno);
  if (fd.Close() != 0) return ErrnoStatus(path, "close", errno);
  return absl::OkStatus();
}

absl::Status MakeDirs(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("empty directory path");
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    const std::string prefix = path.substr(0, pos);
    if (prefix.empty()) continue;
    if (::mkdir(prefix.c_str(), 0750) != 0 && errno != EEXIST) {
      return ErrnoStatus(prefix, "mkdir", errno);
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, "stat", errno);
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a directory"));
  }
  return absl::OkStatus();
}

std::string FileStamp::ToString() const {
  if (!exists) return "-";
  return absl::StrCat(mtime_ns, ":", size, ":", inode);
}

FileStamp StampOf(const std::string& path) {
  FileStamp stamp;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return stamp;
  stamp.exists = true;
  stamp.mtime_ns =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  stamp.size = static_cast<int64_t>(st.st_size);
  stamp.inode = static_cast<uint64_t>(st.st_ino);
  return stamp;
}

bool IsExchangeFileName(absl::string_view name) {
  if (name.size() < 37 || name[36] != '.') return false;
  if (!IsUuid(name.substr(0, 36))) return false;
  const absl::string_view ext = name.substr(37);
  return ext == "csv" || ext == "sig" || ext == "done" || ext == "ack";
}

absl::StatusOr<std::vector<std::string>> ListMessageIds(
    const std::string& dir, absl::string_view extension) {
  std::vector<std::string> ids;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return ids;
    return ErrnoStatus(dir, "opendir", errno);
  }
  struct DirCloser {
    DIR* d;
    ~DirCloser() { ::closedir(d); }
  } closer{d};
  const std::string suffix = absl::StrCat(".", extension);
  errno = 0;
  while (struct dirent* entry = ::readdir(d)) {
    const absl::string_view name(entry->d_name);
    if (IsExchangeFileName(name) && absl::EndsWith(name, suffix) &&
        name.size() == 36 + suffix.size()) {
      ids.emplace_back(name.substr(0, 36));
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace gw::la_mps_mock
