// tools/gwctl/json_syntax.h
//
// A strict RFC 8259 syntax check that says WHERE a JSON text is broken.
// Protobuf's JSON parser reports a syntax error without a line or column
// (and accepts some non-JSON, such as a trailing comma), so gwctl checks the
// syntax first with nlohmann/json's SAX parser and lets protobuf judge only
// the fields.
//
// Guarantees: OK exactly when `text` is one JSON value (surrounded by
// optional whitespace; a UTF-8 byte order mark is allowed at the start).
// Nesting deeper than kMaxJsonDepth is refused (reported at 1:1).
// Errors: INVALID_ARGUMENT "LINE:COLUMN: reason", both 1-based, at the
// character that broke the syntax, the column counted in characters (UTF-8
// code points) of that line; the reason is nlohmann/json's.
// Thread safety: pure function.
#ifndef GW_TOOLS_GWCTL_JSON_SYNTAX_H_
#define GW_TOOLS_GWCTL_JSON_SYNTAX_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gw::gwctl {

inline constexpr int kMaxJsonDepth = 100;

[[nodiscard]] absl::Status CheckJsonSyntax(absl::string_view text);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_JSON_SYNTAX_H_
