// tools/partners/http_mock/store.h
//
// What a mock partner keeps under its --store DIR (created if missing):
//   received/<message_id>.<ext>  each accepted body, byte for byte, written
//                                (temp file, fsync, rename) before its ack
//   seen.jsonl                   the duplicate memory (KH-CNP.md §7): one
//                                line per accepted message {sender,
//                                message_id, body_sha256, received_at,
//                                partner_ref, kind, ack_body}, fsynced
//                                before the ack is sent and read back by
//                                Open, so a restarted mock answers
//                                duplicates with the same ack bytes
//   received.jsonl               one line per answered request (see
//                                RequestReport::ToJson in receiver.h)
//
// Errors: UNAVAILABLE "<path>: <reason>".
// Thread safety: none; the Receiver serializes access.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_STORE_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_STORE_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gw::http_mock {

struct SeenMessage {
  std::string sender;
  std::string message_id;
  std::string body_sha256;  // lowercase hex
  std::string received_at;  // RFC 3339, Z: the first receipt
  std::string partner_ref;
  std::string kind;
  std::string ack_body;  // the ack exactly as first sent
};

class Store {
 public:
  // Creates DIR and DIR/received, loads seen.jsonl. A last line cut by a
  // crash is ignored (its ack was never sent); a bad line elsewhere is
  // UNAVAILABLE.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& dir);

  const SeenMessage* Find(std::string_view sender,
                          std::string_view message_id) const;
  // Writes the body to received/<message_id>.<extension>, then appends and
  // fsyncs the seen.jsonl line; remembers it only when both worked.
  // Returns the stored file's path relative to DIR.
  [[nodiscard]] absl::StatusOr<std::string> Keep(const SeenMessage& seen,
                                                 std::string_view body,
                                                 std::string_view extension);
  // Appends one line to received.jsonl (fsynced).
  absl::Status Log(std::string_view json_line);

  int accepted_count() const { return static_cast<int>(seen_.size()); }
  const std::string& dir() const { return dir_; }

 private:
  explicit Store(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Load();

  std::string dir_;
  std::map<std::string, SeenMessage> seen_;  // key: sender + " " + id
};

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_STORE_H_
