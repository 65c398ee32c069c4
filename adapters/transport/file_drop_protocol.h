// adapters/transport/file_drop_protocol.h
//
// What the store-and-forward directory transport (file_drop.h) must know
// about the files it moves, supplied by the partner's codec so that the
// transport stays free of any file format (LA-MPS.md §2, §3, §7).
//
// A message is three files named after its message id: <id>.csv (the
// PartnerMessage bytes), <id>.sig and <id>.done (PartnerMessage metadata
// entries "sig" and "done", see kSigFile / kDoneFile). A receipt is one file,
// <id>.ack. Implementations are immutable after construction and safe to
// call from any thread.
#ifndef GW_ADAPTERS_TRANSPORT_FILE_DROP_PROTOCOL_H_
#define GW_ADAPTERS_TRANSPORT_FILE_DROP_PROTOCOL_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::adapters {

// PartnerMessage::metadata keys of a message's second and third files.
inline constexpr char kSigFile[] = "sig";
inline constexpr char kDoneFile[] = "done";

class FileDropProtocol {
 public:
  virtual ~FileDropProtocol() = default;

  // How the sender treats an <id>.ack found in the partner's directory
  // (LA-MPS.md §7.3).
  enum class AckKind {
    // Not (yet) a valid receipt for this message: partly copied, bad
    // signature, another message id or recipient. Read again when it
    // changes.
    kIgnore,
    // A valid final receipt (ACCEPTED or REJECTED): hand it to the codec.
    kFinal,
    // A valid CORRUPT receipt: rewrite the message's three files now.
    kCorrupt,
  };
  virtual AckKind InspectAck(std::string_view message_id,
                             std::string_view ack_bytes) const = 0;

  // What the receiver's own outbox/<id>.ack says about a complete inbound
  // message whose .csv has SHA-256 `csv_sha256` (lowercase hex), before the
  // message is handed to the gateway (LA-MPS.md §7.2 step 4: an id in a
  // final state is never processed again).
  enum class OwnAckKind {
    // Not a final receipt of ours for this id: partly written, another
    // message id, sender or recipient, a signature that does not verify
    // with our own key, or a CORRUPT receipt (never final, §7.2 step 3).
    // The message is processed as usual.
    kNone,
    // Our valid ACCEPTED or REJECTED receipt for this id and exactly this
    // .csv digest: an exact duplicate. The transport writes the same .ack
    // bytes again and does not hand the message over.
    kSameMessage,
    // Our valid ACCEPTED or REJECTED receipt for this id, but for another
    // .csv digest: a conflicting reuse of the id. The .ack stays as it is,
    // the new files are not examined, an operator is alerted.
    kConflict,
  };
  // An empty `csv_sha256` asks only whether `ack_bytes` is a final .ack of
  // ours for the id: kConflict if it is, kNone if not.
  virtual OwnAckKind InspectOwnAck(std::string_view message_id,
                                   std::string_view ack_bytes,
                                   std::string_view csv_sha256) const = 0;

  // The receiver's signed CORRUPT receipt (error INCOMPLETE) for a message
  // whose files stayed incomplete past the grace period (LA-MPS.md §7.2
  // step 3). `csv_bytes` is what <id>.csv holds now (empty if missing);
  // `what_is_wrong` is one line for the partner's operators.
  [[nodiscard]] virtual absl::StatusOr<std::string> MakeIncompleteAck(
      std::string_view message_id, std::string_view csv_bytes,
      std::string_view what_is_wrong) const = 0;
};

}  // namespace gw::adapters

#endif  // GW_ADAPTERS_TRANSPORT_FILE_DROP_PROTOCOL_H_
