// tools/gwctl/message_file.h
//
// Reads a human-written protobuf message (a CaseAlert for send-alert) from
// a file: protobuf text format if the name ends in .textproto, .txtpb or
// .pbtxt, otherwise JSON (the proto3 JSON mapping; proto field names such as
// "case_ref", and lowerCamel names, are accepted).
//
// Guarantees: unknown fields are refused, never dropped, in both formats,
// and every error names where the file is wrong:
//  * JSON syntax   "<name>:LINE:COLUMN: reason"   (strict RFC 8259)
//  * JSON fields   "<name>: field.path: reason", e.g.
//                  "a.json: subjects[0].person.nick: unknown field", or
//                  "a.json: kind: invalid value \"X\", want one of ..."
//  * text format   "<name>:LINE:COLUMN: reason"
// On failure `*message` is left in an unspecified (but valid) state.
// Errors: INVALID_ARGUMENT for all of the above; LoadMessageFile adds
// NOT_FOUND / PERMISSION_DENIED / UNAVAILABLE "<path>: ..." when the file
// cannot be read.
// Thread safety: pure functions; `message` is not owned.
#ifndef GW_TOOLS_GWCTL_MESSAGE_FILE_H_
#define GW_TOOLS_GWCTL_MESSAGE_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace gw::gwctl {

// True if `path` names a text-format file (.textproto, .txtpb, .pbtxt).
bool IsTextprotoPath(absl::string_view path);

// `name` only prefixes error messages (usually the file's path).
[[nodiscard]] absl::Status ParseJsonMessage(absl::string_view text,
                                            absl::string_view name,
                                            google::protobuf::Message* message);
[[nodiscard]] absl::Status ParseTextprotoMessage(
    absl::string_view text, absl::string_view name,
    google::protobuf::Message* message);

// Reads `path` and parses it in the format its name says.
[[nodiscard]] absl::Status LoadMessageFile(const std::string& path,
                                           google::protobuf::Message* message);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_MESSAGE_FILE_H_
