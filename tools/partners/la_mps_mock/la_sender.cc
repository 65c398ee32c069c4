// tools/partners/la_mps_mock/la_sender.cc
#include "tools/partners/la_mps_mock/la_sender.h"

#include <sys/stat.h>

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/status_macros.h"
#include "gateway/util/uuid.h"
#include "tools/partners/la_mps_mock/la_files.h"
#include "tools/partners/la_mps_mock/la_formats.h"
#include "tools/partners/la_mps_mock/la_reader.h"
#include "tools/partners/la_mps_mock/la_writer.h"

namespace gw::la_mps_mock {
namespace {

absl::Status WriteMessage(const std::string& dir, const std::string& id,
                          const EncodedMessage& message,
                          absl::string_view csv) {
  // §3.2: .csv, then .sig, then .done, the marker last.
  if (absl::Status s = WriteFileAtomic(dir, id + ".csv", csv); !s.ok()) {
    return s;
  }
  if (absl::Status s = WriteFileAtomic(dir, id + ".sig", message.sig);
      !s.ok()) {
    return s;
  }
  return WriteFileAtomic(dir, id + ".done", message.done);
}

// What a valid .ack means for this send.
SendResult Judge(const AckView& ack, const std::string& id,
                 const std::string& csv_sha256) {
  SendResult result;
  result.message_id = id;
  const bool digest_ok = ack.payload_sha256 == csv_sha256;
  result.json = {{"message_id", id},
                 {"status", ack.status},
                 {"received_at", ack.received_at},
                 {"payload_sha256_ok", digest_ok}};
  if (!ack.partner_ref.empty()) result.json["partner_ref"] = ack.partner_ref;
  if (!ack.error_code.empty()) result.json["error_code"] = ack.error_code;
  if (!ack.error_field.empty()) result.json["error_field"] = ack.error_field;
  if (!ack.error_text.empty()) result.json["error_text"] = ack.error_text;
  std::string warnings;  // e.g. " warnings=NORMALIZED_NFC:narrative.1.text"
  if (!ack.warnings.empty()) {
    result.json["warnings"] = nlohmann::json::array();
    for (const AckWarning& w : ack.warnings) {
      result.json["warnings"].push_back({{"code", w.code}, {"field", w.field}});
      absl::StrAppend(&warnings, warnings.empty() ? " warnings=" : ",", w.code,
                      w.field.empty() ? "" : ":", w.field);
    }
  }
  if (ack.status == "CORRUPT") {
    result.outcome = SendResult::Outcome::kRefused;
    result.line =
        absl::StrCat("CORRUPT ", id, " ", ack.error_code, ": ", ack.error_text);
    return result;
  }
  if (!digest_ok) {
    result.outcome = SendResult::Outcome::kRefused;
    result.json["error_code"] = "ACK_DIGEST_MISMATCH";
    result.line = absl::StrCat(
        "ACK_DIGEST_MISMATCH ", id, ": the ", ack.status,
        " .ack's payload_sha256 is not the SHA-256 of the .csv sent");
    return result;
  }
  if (ack.status == "ACCEPTED") {
    result.outcome = SendResult::Outcome::kAccepted;
    result.line = absl::StrCat(
        "ACCEPTED ", id, " received_at=", ack.received_at,
        " partner_ref=", ack.partner_ref.empty() ? "-" : ack.partner_ref,
        warnings);
    return result;
  }
  result.outcome = SendResult::Outcome::kRefused;
  result.line = absl::StrCat("REJECTED ", ack.error_code, " ",
                             ack.error_field.empty() ? "-" : ack.error_field,
                             ": ", ack.error_text);
  return result;
}

}  // namespace

absl::StatusOr<SendResult> SendAndWait(
    const SendOptions& options, const crypto::Signer& signer,
    const std::vector<const crypto::Verifier*>& gateway_keys,
    const SendClock& clock,
    const std::function<void(const std::string&)>& progress) {
  struct stat st;
  if (::stat(options.link_root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.link_root, ": not a directory"));
  }
  const std::string inbox = options.link_root + "/inbox";
  GW_RETURN_IF_ERROR(MakeDirs(inbox));
  const std::string id =
      options.message_id.empty() ? util::NewUuidV4() : options.message_id;
  if (!IsUuid(id)) {
    return absl::InvalidArgumentError(
        "--message-id: not a lowercase UUID (8-4-4-4-12 hex digits)");
  }
  const absl::Time now = clock.now();
  MessageHeader header;
  header.message_id = id;
  header.sender = options.self;
  header.recipient = options.peer;
  header.created_at = now;
  std::vector<Record> body;
  if (options.kind == "alert") {
    header.message_type = "ALERT";
    MockAlert alert;
    alert.alert_id = options.alert_id;
    alert.case_ref = options.case_ref;
    alert.origin_agency = options.self;
    alert.recipient = options.peer;
    alert.created_at = now;
    body = MockAlertBody(alert);
  } else {
    header.message_type = "REPATRIATION_REQUEST";
    MockRepatriationRequest request;
    request.request_id = options.request_id;
    request.case_ref = options.case_ref;
    request.requesting_agency = options.self;
    request.receiving_agency = options.peer;
    request.handover_date = options.handover_date;
    body = MockRepatriationRequestBody(request);
  }
  GW_ASSIGN_OR_RETURN(const EncodedMessage message,
                      EncodeMessage(header, body, signer));
  const std::string csv_sha256 = crypto::Sha256Hex(message.csv);
  const std::string path =
      absl::StrCat(options.link_root, "/outbox/", id, ".ack");

  // Reads the .ack if it changed since `*last`; nullopt if there is
  // nothing new or it is not valid (then *problem says why).
  FileStamp last = StampOf(path);
  const FileStamp before = last;
  std::string problem;
  auto poll_ack = [&]() -> absl::StatusOr<std::optional<AckView>> {
    const FileStamp stamp = StampOf(path);
    if (!stamp.exists || stamp == last) return std::optional<AckView>();
    last = stamp;
    GW_ASSIGN_OR_RETURN(const std::optional<std::string> bytes,
                        ReadFileIfExists(path));
    if (!bytes.has_value()) return std::optional<AckView>();
    absl::StatusOr<AckView> ack =
        ReadAck(*bytes, id, options.peer, options.self, gateway_keys);
    if (!ack.ok()) {
      problem = std::string(ack.status().message());
      return std::optional<AckView>();
    }
    problem.clear();
    return std::optional<AckView>(*std::move(ack));
  };

  if (options.corrupt_first) {
    const std::string truncated = message.csv.substr(0, message.csv.size() / 2);
    GW_RETURN_IF_ERROR(WriteMessage(inbox, id, message, truncated));
    progress(absl::StrCat(
        "wrote ", id, " with a truncated .csv (", truncated.size(), " of ",
        message.csv.size(), " bytes); the correct one follows after ",
        absl::FormatDuration(options.corrupt_for), " or a CORRUPT .ack"));
    const absl::Time until = clock.now() + options.corrupt_for;
    while (clock.now() < until) {
      GW_ASSIGN_OR_RETURN(const std::optional<AckView> ack, poll_ack());
      if (ack.has_value() && ack->status == "CORRUPT") {
        progress(absl::StrCat("the gateway answered CORRUPT ", ack->error_code,
                              ": ", ack->error_text));
        break;
      }
      clock.sleep(options.poll);
    }
  }
  GW_RETURN_IF_ERROR(WriteMessage(inbox, id, message, message.csv));
  progress(absl::StrCat("wrote ", header.message_type, " ", id, " to ", inbox,
                        "; waiting up to ", absl::FormatDuration(options.wait),
                        " for ", path));
  // An .ack that was there before these files counts only as the receipt
  // of an exact duplicate; one from the truncated attempt does not count.
  const FileStamp baseline = options.corrupt_first ? StampOf(path) : before;
  last = FileStamp();  // read whatever is there once
  const absl::Time deadline = clock.now() + options.wait;
  while (true) {
    GW_ASSIGN_OR_RETURN(const std::optional<AckView> ack, poll_ack());
    if (ack.has_value()) {
      const bool stale = baseline.exists && last == baseline;
      const bool counts = !stale || (ack->status != "CORRUPT" &&
                                     ack->payload_sha256 == csv_sha256);
      if (counts) return Judge(*ack, id, csv_sha256);
    }
    if (clock.now() >= deadline) break;
    clock.sleep(options.poll);
  }
  SendResult result;
  result.message_id = id;
  result.outcome = SendResult::Outcome::kNoAck;
  result.line = absl::StrCat(
      "la-mps-mock: no valid .ack for ", id, " in ", options.link_root,
      "/outbox after ", absl::FormatDuration(options.wait),
      problem.empty()
          ? ""
          : absl::StrCat(" (the .ack there was ignored: ", problem, ")"),
      "; check that the gateway runs with its LA-MPS link root at ",
      options.link_root,
      " and polls it (its interval may be up to 15 min), or pass a longer "
      "--wait.");
  result.json = {{"message_id", id}, {"status", "NO_ACK"}};
  if (!problem.empty()) result.json["ignored_ack"] = problem;
  return result;
}

}  // namespace gw::la_mps_mock
