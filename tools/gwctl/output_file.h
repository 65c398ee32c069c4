// tools/gwctl/output_file.h
//
// Writing a whole file that gwctl keeps (a receipt, the remembered audit
// checkpoint) so that a crash or a full disk never leaves half a file:
// the bytes go to "<path>.tmp", are flushed, and the temporary file is
// renamed over `path`. Missing parent directories are created.
//
// Errors (messages name the path, fit to print after "cannot write "):
//  PERMISSION_DENIED  "<path>: Permission denied"
//  UNAVAILABLE        any other I/O error ("<path>: No space left on device")
// On failure `path` is unchanged (the temporary file is removed).
// Thread safety: one writer per path at a time.
#ifndef GW_TOOLS_GWCTL_OUTPUT_FILE_H_
#define GW_TOOLS_GWCTL_OUTPUT_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gw::gwctl {

[[nodiscard]] absl::Status WriteFileAtomically(const std::string& path,
                                               absl::string_view bytes);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_OUTPUT_FILE_H_
