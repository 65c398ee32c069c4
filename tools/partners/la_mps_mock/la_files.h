// tools/partners/la_mps_mock/la_files.h
//
// File-system side of the LA-MPS exchange (shared/partners/LA-MPS.md §2, §3):
//  * WriteFileAtomic: the write protocol of §3.2 — `<name>.tmp` in the same
//    directory, all bytes written, fsync, rename(2) over `<name>`, fsync of
//    the directory; files get mode 0640 whatever the umask.
//  * FileStamp: what "the files changed" means in §7.2 (a newer
//    modification time; size and inode catch a rewrite within the same
//    clock tick).
//  * ListMessageIds: the ids of files named by §3.1's pattern with one
//    extension; every other name (including `*.tmp`) is ignored.
// Errors: absl::Status naming the path (NOT_FOUND, PERMISSION_DENIED,
// UNAVAILABLE for other I/O errors). Every descriptor is closed on every
// path (RAII). Thread safety: functions only; concurrent writers of the
// same name are the caller's problem.
#ifndef GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_FILES_H_
#define GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_FILES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gw::la_mps_mock {

absl::Status WriteFileAtomic(const std::string& dir, const std::string& name,
                             absl::string_view bytes);

// The bytes of `path`, nullopt if it does not exist.
absl::StatusOr<std::optional<std::string>> ReadFileIfExists(
    const std::string& path);

// Appends `line` and LF, then fsyncs (creating the file, mode 0640).
absl::Status AppendLine(const std::string& path, absl::string_view line);

// mkdir -p, mode 0750.
absl::Status MakeDirs(const std::string& path);

struct FileStamp {
  bool exists = false;
  int64_t mtime_ns = 0;
  int64_t size = 0;
  uint64_t inode = 0;

  bool operator==(const FileStamp& o) const {
    return exists == o.exists && mtime_ns == o.mtime_ns && size == o.size &&
           inode == o.inode;
  }
  bool operator!=(const FileStamp& o) const { return !(*this == o); }
  std::string ToString() const;  // "mtime_ns:size:inode" or "-"
};

FileStamp StampOf(const std::string& path);

// True if `name` matches ^<lowercase uuid>\.(csv|sig|done|ack)$.
bool IsExchangeFileName(absl::string_view name);

// Sorted ids `<id>` of the files `<id>.<extension>` in `dir` whose names
// match §3.1. A missing directory is an empty list.
absl::StatusOr<std::vector<std::string>> ListMessageIds(
    const std::string& dir, absl::string_view extension);

}  // namespace gw::la_mps_mock

#endif  // GW_TOOLS_PARTNERS_LA_MPS_MOCK_LA_FILES_H_
