// tools/partners/la_mps_mock/la_receiver.cc
#include "tools/partners/la_mps_mock/la_receiver.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/status_macros.h"
#include "tools/partners/la_mps_mock/la_files.h"
#include "tools/partners/la_mps_mock/la_formats.h"
#include "tools/partners/la_mps_mock/la_writer.h"

namespace gw::la_mps_mock {
namespace {

// message_type, case_ref and the business id, as far as they were read.
nlohmann::json Summary(const Examination& e) {
  nlohmann::json summary = nlohmann::json::object();
  for (const char* field :
       {"message_type", "case_ref", "alert_id", "request_id"}) {
    if (std::optional<std::string> value = e.Get(field)) {
      summary[field] = *value;
    }
  }
  return summary;
}

std::string Describe(const nlohmann::json& summary) {
  std::string out;
  if (summary.contains("message_type")) {
    absl::StrAppend(&out, " ", summary["message_type"].get<std::string>());
  }
  if (summary.contains("case_ref")) {
    absl::StrAppend(&out, " case_ref=", summary["case_ref"].get<std::string>());
  }
  return out;
}

}  // namespace

Receiver::Receiver(ReceiverOptions options, const crypto::Signer* signer,
                   MockStore* store, EventSink sink)
    : options_(std::move(options)),
      signer_(signer),
      store_(store),
      sink_(std::move(sink)),
      incoming_(options_.link_root + "/outbox"),
      outgoing_(options_.link_root + "/inbox") {}

void Receiver::Emit(Event event) {
  if (sink_) sink_(event);
}

std::string Receiver::FilesKey(const std::string& id) const {
  const std::string base = absl::StrCat(incoming_, "/", id);
  return absl::StrCat(StampOf(base + ".csv").ToString(), "|",
                      StampOf(base + ".sig").ToString(), "|",
                      StampOf(base + ".done").ToString());
}

absl::Status Receiver::PollOnce(absl::Time now) {
  GW_RETURN_IF_ERROR(MakeDirs(outgoing_));
  GW_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                      ListMessageIds(incoming_, "done"));
  for (const std::string& id : ids) {
    if (absl::Status s = HandleMessage(id, now); !s.ok()) {
      Emit(Event{true,
                 absl::StrCat("ERROR ", id, ": ", s.message()),
                 {{"event", "error"},
                  {"message_id", id},
                  {"error", std::string(s.message())}}});
    }
  }
  GW_ASSIGN_OR_RETURN(const std::vector<std::string> acks,
                      ListMessageIds(incoming_, "ack"));
  for (const std::string& id : acks) {
    if (absl::Status s = HandleReceipt(id); !s.ok()) {
      Emit(Event{true,
                 absl::StrCat("ERROR receipt ", id, ": ", s.message()),
                 {{"event", "error"},
                  {"ack_for", id},
                  {"error", std::string(s.message())}}});
    }
  }
  return absl::OkStatus();
}

absl::Status Receiver::HandleMessage(const std::string& id, absl::Time now) {
  const std::string files = FilesKey(id);
  const auto handled = handled_.find(id);
  if (handled != handled_.end() && handled->second == files) return {};
  const FinalState* final_state = store_->Lookup(id);
  if (handled == handled_.end() && final_state != nullptr &&
      final_state->files == files &&
      StampOf(absl::StrCat(outgoing_, "/", id, ".ack")).exists) {
    // A restarted mock: these very files were answered before.
    handled_[id] = files;
    return absl::OkStatus();
  }
  const std::string base = absl::StrCat(incoming_, "/", id);
  MessageFileBytes bytes;
  GW_ASSIGN_OR_RETURN(bytes.csv, ReadFileIfExists(base + ".csv"));
  GW_ASSIGN_OR_RETURN(bytes.sig, ReadFileIfExists(base + ".sig"));
  GW_ASSIGN_OR_RETURN(bytes.done, ReadFileIfExists(base + ".done"));
  const std::string reason = IncompleteReason(id, bytes);
  if (!reason.empty()) {
    handled_.erase(id);
    return HandleIncomplete(id, files, bytes, reason, now);
  }
  incomplete_.erase(id);  // the grace period ends when found complete
  const std::string csv_sha256 = crypto::Sha256Hex(*bytes.csv);
  if (final_state != nullptr) {
    GW_RETURN_IF_ERROR(HandleFinal(id, files, csv_sha256, *final_state));
  } else {
    GW_RETURN_IF_ERROR(HandleNew(id, files, bytes, now));
  }
  handled_[id] = files;
  return absl::OkStatus();
}

absl::Status Receiver::HandleIncomplete(const std::string& id,
                                        const std::string& files,
                                        const MessageFileBytes& bytes,
                                        const std::string& reason,
                                        absl::Time now) {
  auto [it, first] = incomplete_.try_emplace(id);
  Incomplete& state = it->second;
  if (first) state.first_seen = now;
  const bool due = now - state.first_seen >= options_.grace;
  if (!due) {
    if (state.announced_files != files) {
      state.announced_files = files;
      Emit(Event{
          false,
          absl::StrCat("WAITING ", id, ": ", reason, "; CORRUPT if still so ",
                       absl::FormatDuration(options_.grace),
                       " after it was first seen"),
          {{"event", "waiting"}, {"message_id", id}, {"reason", reason}}});
    }
    return absl::OkStatus();
  }
  if (state.corrupt_written && state.corrupt_files == files) {
    return absl::OkStatus();  // nothing changed since the last CORRUPT
  }
  AckContent ack;
  ack.message_id = id;
  ack.sender = options_.policy.self;
  ack.recipient = options_.policy.peer;
  ack.status = "CORRUPT";
  ack.payload_sha256 = crypto::Sha256Hex(bytes.csv.value_or(""));
  ack.received_at = now;
  ack.error_code = "INCOMPLETE";
  ack.error_text = reason;
  GW_ASSIGN_OR_RETURN(const std::string ack_bytes, EncodeAck(ack, *signer_));
  GW_RETURN_IF_ERROR(WriteFileAtomic(outgoing_, id + ".ack", ack_bytes));
  state.corrupt_written = true;
  state.corrupt_files = files;
  nlohmann::json entry = {{"message_id", id},
                          {"status", "CORRUPT"},
                          {"error_code", "INCOMPLETE"},
                          {"error_text", reason},
                          {"duplicate", false},
                          {"received_at", FormatTimestamp(now)},
                          {"payload_sha256", ack.payload_sha256}};
  GW_RETURN_IF_ERROR(store_->Journal(entry));
  entry["event"] = "corrupt";
  Emit(Event{false, absl::StrCat("CORRUPT ", id, " INCOMPLETE: ", reason),
             entry});
  return absl::OkStatus();
}

absl::Status Receiver::HandleFinal(const std::string& id,
                                   const std::string& files,
                                   const std::string& csv_sha256,
                                   const FinalState& final_state) {
  nlohmann::json entry = final_state.summary;
  entry["message_id"] = id;
  entry["status"] = final_state.status;
  entry["duplicate"] = true;
  entry["received_at"] = final_state.received_at;
  entry["payload_sha256"] = csv_sha256;
  GW_ASSIGN_OR_RETURN(
      const std::optional<std::string> current,
      ReadFileIfExists(absl::StrCat(outgoing_, "/", id, ".ack")));
  if (final_state.csv_sha256 == csv_sha256) {
    GW_RETURN_IF_ERROR(
        WriteFileAtomic(outgoing_, id + ".ack", final_state.ack));
    GW_RETURN_IF_ERROR(store_->UpdateFiles(id, files));
    GW_RETURN_IF_ERROR(store_->Journal(entry));
    entry["event"] = "duplicate";
    Emit(Event{
        false,
        absl::StrCat("DUPLICATE ", id, Describe(final_state.summary),
                     ": wrote the stored ", final_state.status,
                     " .ack again (received_at ", final_state.received_at, ")"),
        entry});
    return absl::OkStatus();
  }
  // A conflict: the first message stands. Only a CORRUPT .ack written over
  // the stored one meanwhile is put back, so the sender sees the digest.
  if (!current.has_value() || *current != final_state.ack) {
    GW_RETURN_IF_ERROR(
        WriteFileAtomic(outgoing_, id + ".ack", final_state.ack));
  }
  GW_RETURN_IF_ERROR(store_->UpdateFiles(id, files));
  entry["conflict"] = true;
  GW_RETURN_IF_ERROR(store_->Journal(entry));
  entry["event"] = "conflict";
  Emit(Event{true,
             absl::StrCat("WARNING CONFLICT ", id,
                          ": the message id is final (", final_state.status,
                          ") with other .csv content; kept the stored .ack. "
                          "Operator: the gateway reused a message id for "
                          "different bytes; it will dead-letter the message "
                          "(ACK_DIGEST_MISMATCH)"),
             entry});
  return absl::OkStatus();
}

absl::Status Receiver::HandleNew(const std::string& id,
                                 const std::string& files,
                                 const MessageFileBytes& bytes,
                                 absl::Time now) {
  const Examination e =
      ExamineMessage(id, *bytes.csv, *bytes.sig, options_.policy);
  const nlohmann::json summary = Summary(e);
  if (e.outcome == Examination::Outcome::kHeld) {
    nlohmann::json entry = summary;
    entry["event"] = "held";
    entry["message_id"] = id;
    entry["key_id"] = e.unknown_key_id;
    Emit(Event{
        true,
        absl::StrCat("WARNING HELD ", id, Describe(summary),
                     ": signed with key id ", e.unknown_key_id.substr(0, 64),
                     ", which is not registered to ", options_.policy.peer,
                     "; no .ack written. Pass its certificate with "
                     "--gateway-signing-cert and restart la-mps-mock"),
        entry});
    return absl::OkStatus();
  }
  const std::string csv_sha256 = crypto::Sha256Hex(*bytes.csv);
  AckContent ack;
  ack.message_id = id;
  ack.sender = options_.policy.self;
  ack.recipient = options_.policy.peer;
  ack.payload_sha256 = csv_sha256;
  ack.received_at = now;
  const bool accepted = e.outcome == Examination::Outcome::kAccepted;
  if (accepted) {
    const int year = absl::ToCivilYear(now, LaoTime()).year();
    GW_ASSIGN_OR_RETURN(const int number, store_->NextPartnerRefNumber(year));
    ack.status = "ACCEPTED";
    ack.partner_ref =
        absl::StrFormat("%s-IN-%d-%04d", options_.policy.self, year, number);
    GW_RETURN_IF_ERROR(
        store_->KeepReceived(id, *bytes.csv, *bytes.sig, *bytes.done));
  } else {
    ack.status = "REJECTED";
    ack.error_code = e.refusal.code;
    ack.error_field = e.refusal.field;
    ack.error_text = e.refusal.text;
  }
  GW_ASSIGN_OR_RETURN(const std::string ack_bytes, EncodeAck(ack, *signer_));
  FinalState state;
  state.csv_sha256 = csv_sha256;
  state.status = ack.status;
  state.received_at = FormatTimestamp(now);
  state.ack = ack_bytes;
  state.summary = summary;
  state.files = files;
  // Durable first, then the .ack: an .ack is never written for a message
  // the store would forget.
  GW_RETURN_IF_ERROR(store_->SaveFinal(id, state));
  GW_RETURN_IF_ERROR(WriteFileAtomic(outgoing_, id + ".ack", ack_bytes));

  nlohmann::json entry = summary;
  entry["message_id"] = id;
  entry["status"] = ack.status;
  entry["duplicate"] = false;
  entry["received_at"] = state.received_at;
  entry["payload_sha256"] = csv_sha256;
  if (accepted) {
    entry["partner_ref"] = ack.partner_ref;
  } else {
    entry["error_code"] = ack.error_code;
    if (!ack.error_field.empty()) entry["error_field"] = ack.error_field;
    entry["error_text"] = ack.error_text;
  }
  nlohmann::json event = entry;  // stdout: no names
  if (e.fields_valid) {
    nlohmann::json names = nlohmann::json::array();
    for (const NameEntry& name : DecodedNames(e.records)) {
      nlohmann::json n = {{"path", name.path}, {"script", name.script}};
      if (!name.family.empty()) n["family"] = name.family;
      if (!name.given.empty()) n["given"] = name.given;
      if (!name.full.empty()) n["full"] = name.full;
      names.push_back(n);
    }
    entry["names"] = names;
    const auto langs = TextLanguages(e.records);
    const auto narrative = langs.find("narrative");
    entry["narrative_langs"] = narrative == langs.end()
                                   ? nlohmann::json::array()
                                   : nlohmann::json(narrative->second);
    entry["text_langs"] = langs;
  }
  GW_RETURN_IF_ERROR(store_->Journal(entry));
  event["event"] = accepted ? "accepted" : "rejected";
  std::string line = absl::StrCat(ack.status, " ", id, Describe(summary));
  if (accepted) {
    absl::StrAppend(&line, " partner_ref=", ack.partner_ref);
  } else {
    absl::StrAppend(&line, " ", ack.error_code,
                    ack.error_field.empty() ? "" : " ", ack.error_field, ": ",
                    ack.error_text);
  }
  Emit(Event{false, line, event});
  return absl::OkStatus();
}

absl::Status Receiver::HandleReceipt(const std::string& id) {
  const std::string our_csv_path = absl::StrCat(outgoing_, "/", id, ".csv");
  const std::string ack_path = absl::StrCat(incoming_, "/", id, ".ack");
  const std::string stamp = StampOf(ack_path).ToString();
  const auto seen = receipt_stamps_.find(id);
  if (seen != receipt_stamps_.end() && seen->second == stamp) return {};
  GW_ASSIGN_OR_RETURN(const std::optional<std::string> our_csv,
                      ReadFileIfExists(our_csv_path));
  if (!our_csv.has_value()) return absl::OkStatus();  // not our message
  GW_ASSIGN_OR_RETURN(const std::optional<std::string> bytes,
                      ReadFileIfExists(ack_path));
  if (!bytes.has_value()) return absl::OkStatus();
  receipt_stamps_[id] = stamp;
  const std::string ack_sha256 = crypto::Sha256Hex(*bytes);
  if (store_->ReceiptSeen(id, ack_sha256)) return absl::OkStatus();

  const absl::StatusOr<AckView> ack =
      ReadAck(*bytes, id, options_.policy.peer, options_.policy.self,
              options_.policy.peer_keys);
  if (!ack.ok()) {
    if (ack.status().code() != absl::StatusCode::kFailedPrecondition) {
      // Possibly still being copied (§7.3): read again when it changes.
      Emit(Event{
          false,
          absl::StrCat("IGNORED receipt ", id, ": ", ack.status().message()),
          {{"event", "receipt_ignored"},
           {"ack_for", id},
           {"reason", std::string(ack.status().message())}}});
      return absl::OkStatus();
    }
    nlohmann::json entry = {{"ack_for", id},
                            {"valid", false},
                            {"problem", std::string(ack.status().message())}};
    GW_RETURN_IF_ERROR(store_->Journal(entry));
    GW_RETURN_IF_ERROR(store_->MarkReceiptSeen(id, ack_sha256));
    entry["event"] = "receipt_invalid";
    Emit(Event{
        true,
        absl::StrCat("WARNING BAD RECEIPT ", id, ": ", ack.status().message()),
        entry});
    return absl::OkStatus();
  }
  const bool digest_ok = ack->payload_sha256 == crypto::Sha256Hex(*our_csv);
  nlohmann::json entry = {{"ack_for", id},
                          {"valid", true},
                          {"status", ack->status},
                          {"received_at", ack->received_at},
                          {"payload_sha256_ok", digest_ok}};
  if (!ack->partner_ref.empty()) entry["partner_ref"] = ack->partner_ref;
  if (!ack->error_code.empty()) entry["error_code"] = ack->error_code;
  if (!ack->error_field.empty()) entry["error_field"] = ack->error_field;
  if (!ack->error_text.empty()) entry["error_text"] = ack->error_text;
  if (!ack->warnings.empty()) {
    nlohmann::json warnings = nlohmann::json::array();
    for (const AckWarning& w : ack->warnings) {
      warnings.push_back({{"code", w.code}, {"field", w.field}});
    }
    entry["warnings"] = warnings;
  }
  GW_RETURN_IF_ERROR(store_->Journal(entry));
  GW_RETURN_IF_ERROR(store_->MarkReceiptSeen(id, ack_sha256));
  entry["event"] = "receipt";
  std::string line =
      absl::StrCat("RECEIPT ", id, " ", ack->status, " from ", ack->sender,
                   " received_at=", ack->received_at);
  if (!ack->error_code.empty()) {
    absl::StrAppend(&line, " ", ack->error_code, " ", ack->error_field);
  }
  const bool mismatch = !digest_ok && ack->status != "CORRUPT";
  if (mismatch) {
    absl::StrAppend(&line,
                    " ACK_DIGEST_MISMATCH: payload_sha256 is not the "
                    "SHA-256 of the .csv sent");
  }
  Emit(Event{mismatch, line, entry});
  return absl::OkStatus();
}

}  // namespace gw::la_mps_mock
