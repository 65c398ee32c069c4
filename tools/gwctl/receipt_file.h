// tools/gwctl/receipt_file.h
//
// Receipts (gw.v1.Receipt, CONTRACT.md §4-5) as gwctl keeps them: proto3
// JSON files that `gwctl send-alert --receipt FILE` / `case update --receipt
// FILE` write and `gwctl audit verify-receipt FILE` reads back, offline.
//
// A receipt file holds either a Receipt itself, or a whole answer that
// carries one in a top-level "receipt" member (what `gwctl --json
// send-alert` prints, a SendAlertResponse); the other members of such an
// answer are ignored.
//
// Errors (messages name the file and, for field errors, the field path):
//  INVALID_ARGUMENT   not JSON ("<name>:LINE:COLUMN: ..."), not a Receipt
//                     ("<name>: checkpoint.size: unknown field"), or an
//                     answer whose "receipt" is not an object
//  NOT_FOUND / PERMISSION_DENIED / UNAVAILABLE  the file cannot be read
//  (WriteReceiptFile: see output_file.h)
// Thread safety: pure functions over the file system.
#ifndef GW_TOOLS_GWCTL_RECEIPT_FILE_H_
#define GW_TOOLS_GWCTL_RECEIPT_FILE_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/string_ref.h"
#include "gw/v1/receipt.pb.h"

namespace gw::gwctl {

// `name` only prefixes error messages. On failure *receipt is unspecified.
[[nodiscard]] absl::Status ParseReceiptJson(absl::string_view text,
                                            absl::string_view name,
                                            gw::v1::Receipt* receipt);
[[nodiscard]] absl::Status LoadReceiptFile(const std::string& path,
                                           gw::v1::Receipt* receipt);

// Writes `receipt` as indented proto3 JSON (proto field names).
[[nodiscard]] absl::Status WriteReceiptFile(const std::string& path,
                                            const gw::v1::Receipt& receipt);

// The receipt an answer carries: its field "receipt" of type gw.v1.Receipt,
// if the message type has one and it is set; nullopt otherwise. Found by
// field name, so any answer that gains such a field is covered.
std::optional<gw::v1::Receipt> ReceiptIn(
    const google::protobuf::Message& answer);

// The receipt in `trailers` (grpc::ClientContext::GetServerTrailingMetadata)
// under audit::kReceiptTrailer (audit/log_origin.h); nullopt if absent or not
// a gw.v1.Receipt.
std::optional<gw::v1::Receipt> ReceiptInTrailers(
    const std::multimap<grpc::string_ref, grpc::string_ref>& trailers);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_RECEIPT_FILE_H_
