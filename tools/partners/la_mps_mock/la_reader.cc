// tools/partners/la_mps_mock/la_reader.cc
#include "tools/partners/la_mps_mock/la_reader.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "tools/partners/la_mps_mock/la_formats.h"
#include "tools/partners/la_mps_mock/la_schema.h"

namespace gw::la_mps_mock {

const char kUnknownReferenceText[] =
    "\xE0\xBA\x9A\xE0\xBB\x8D\xE0\xBB\x88\xE0\xBA\x9E\xE0\xBA\xBB\xE0\xBA\x9A"
    "\xE0\xBB\x80\xE0\xBA\xA5\xE0\xBA\x81\xE0\xBA\xAD\xE0\xBB\x89\xE0\xBA\xB2"
    "\xE0\xBA\x87\xE0\xBA\xAD\xE0\xBA\xB5\xE0\xBA\x87\xE0\xBA\x84\xE0\xBA\xB0"
    "\xE0\xBA\x94\xE0\xBA\xB5 / case reference not known";

namespace {

constexpr size_t kSigFileSize = 89;  // 88 base64 characters and LF

Examination Reject(Examination e, std::string code, std::string field,
                   std::string text) {
  e.outcome = Examination::Outcome::kRejected;
  e.refusal = Refusal{std::move(code), std::move(field), std::move(text)};
  return e;
}

const crypto::Verifier* FindKey(
    const std::vector<const crypto::Verifier*>& keys,
    absl::string_view key_id) {
  for (const crypto::Verifier* key : keys) {
    if (key != nullptr && key->key_id_hex() == key_id) return key;
  }
  return nullptr;
}

bool HasValue(const std::vector<Record>& records, absl::string_view prefix,
              absl::string_view value) {
  for (const Record& r : records) {
    if (absl::StartsWith(r.path, prefix) && r.value == value) return true;
  }
  return false;
}

std::optional<std::string> Find(const std::vector<Record>& records,
                                absl::string_view path) {
  for (const Record& r : records) {
    if (r.path == path) return r.value;
  }
  return std::nullopt;
}

// Business rules of step 7 (after the fields are valid).
std::optional<Refusal> BusinessCheck(const std::vector<Record>& records,
                                     const ReceiverPolicy& policy) {
  const std::string type = Find(records, "message_type").value_or("");
  const std::string case_ref = Find(records, "case_ref").value_or("");
  for (const std::string& prefix : policy.refuse_case_prefixes) {
    if (!prefix.empty() && absl::StartsWith(case_ref, prefix)) {
      return Refusal{"UNKNOWN_REFERENCE", "case_ref", kUnknownReferenceText};
    }
  }
  if (type == "ALERT" && !HasValue(records, "recipients.", policy.self)) {
    return Refusal{
        "NOT_A_RECIPIENT", "recipients",
        absl::StrCat(policy.self, " is not among the alert's recipients")};
  }
  if (type == "CASE_STATUS" &&
      Find(records, "owner_agency").value_or("") != policy.self &&
      !HasValue(records, "shared_with.", policy.self)) {
    return Refusal{"NOT_A_RECIPIENT", "shared_with",
                   absl::StrCat("the case is neither owned by nor shared with ",
                                policy.self)};
  }
  if (type == "REPATRIATION_REQUEST" &&
      Find(records, "requesting_agency").value_or("") != policy.self &&
      Find(records, "receiving_agency").value_or("") != policy.self) {
    return Refusal{
        "NOT_A_RECIPIENT", "receiving_agency",
        absl::StrCat(policy.self, " is not a party to this request")};
  }
  return std::nullopt;
}

}  // namespace

std::optional<DoneMarker> ParseDoneMarker(absl::string_view bytes,
                                          absl::string_view id) {
  const std::string line1_tail = absl::StrCat("  ", id, ".csv\n");
  const std::string line2_tail = absl::StrCat("  ", id, ".sig\n");
  const size_t line1 = 64 + line1_tail.size();
  const size_t line2 = 64 + line2_tail.size();
  if (bytes.size() != line1 + line2) return std::nullopt;
  const absl::string_view csv_hex = bytes.substr(0, 64);
  const absl::string_view sig_hex = bytes.substr(line1, 64);
  if (!IsLowerHex(csv_hex, 64) || !IsLowerHex(sig_hex, 64) ||
      bytes.substr(64, line1_tail.size()) != line1_tail ||
      bytes.substr(line1 + 64) != line2_tail) {
    return std::nullopt;
  }
  return DoneMarker{std::string(csv_hex), std::string(sig_hex)};
}

std::string IncompleteReason(absl::string_view id,
                             const MessageFileBytes& files) {
  if (!files.done.has_value()) return absl::StrCat(id, ".done is missing");
  const std::optional<DoneMarker> done = ParseDoneMarker(*files.done, id);
  if (!done.has_value()) {
    return absl::StrCat(id, ".done is not the two sha256sum lines of ICD §3.6");
  }
  if (!files.csv.has_value() && !files.sig.has_value()) {
    return absl::StrCat(id, ".csv and ", id, ".sig are missing");
  }
  if (!files.csv.has_value()) return absl::StrCat(id, ".csv is missing");
  if (!files.sig.has_value()) return absl::StrCat(id, ".sig is missing");
  const bool csv_ok = crypto::Sha256Hex(*files.csv) == done->csv_sha256;
  const bool sig_ok = crypto::Sha256Hex(*files.sig) == done->sig_sha256;
  if (!csv_ok && !sig_ok) {
    return absl::StrCat("the SHA-256 of ", id, ".csv and of ", id,
                        ".sig differ from ", id, ".done");
  }
  if (!csv_ok) {
    return absl::StrCat("the SHA-256 of ", id, ".csv (", files.csv->size(),
                        " bytes) differs from ", id, ".done");
  }
  if (!sig_ok) {
    return absl::StrCat("the SHA-256 of ", id, ".sig (", files.sig->size(),
                        " bytes) differs from ", id, ".done");
  }
  return "";
}

std::optional<std::string> Examination::Get(absl::string_view path) const {
  return Find(records, path);
}

Examination ExamineMessage(absl::string_view id, absl::string_view csv,
                           absl::string_view sig,
                           const ReceiverPolicy& policy) {
  Examination e;
  // Step 5: size, parse, header records, agencies.
  if (csv.size() > kMaxCsvBytes) {
    return Reject(std::move(e), "PAYLOAD_TOO_LARGE", "",
                  absl::StrCat(id, ".csv has ", csv.size(),
                               " bytes; at most 16 MiB (16777216)"));
  }
  CsvParse parse = ParseLaCsv(csv);
  if (parse.refusal.has_value()) {
    e.outcome = Examination::Outcome::kRejected;
    e.refusal = *parse.refusal;
    return e;
  }
  e.records = std::move(parse.records);
  const std::vector<std::string>& header = HeaderFields();
  for (size_t i = 0; i < header.size(); ++i) {
    if (i >= e.records.size() || e.records[i].path != header[i]) {
      return Reject(std::move(e), "HEADER_MISMATCH", header[i],
                    absl::StrCat("record ", i + 2, " must be ", header[i],
                                 " (the seven header records of ICD §3.4 "
                                 "come first, in order)"));
    }
  }
  if (e.records[0].value != kFormatName) {
    return Reject(std::move(e), "HEADER_MISMATCH", "format",
                  absl::StrCat("format is not ", kFormatName));
  }
  if (e.records[2].value != id) {
    return Reject(std::move(e), "HEADER_MISMATCH", "message_id",
                  "message_id differs from the file name");
  }
  if (e.records[3].value != policy.peer) {
    return Reject(std::move(e), "AGENCY_MISMATCH", "sender",
                  absl::StrCat("sender is not ", policy.peer,
                               ", the agency at the other end of this link"));
  }
  if (e.records[4].value != policy.self) {
    return Reject(std::move(e), "AGENCY_MISMATCH", "recipient",
                  absl::StrCat("recipient is not ", policy.self));
  }

  // Step 6: the key and the signature.
  const std::string& key_id = e.records[6].value;
  const crypto::Verifier* key = FindKey(policy.peer_keys, key_id);
  if (key == nullptr) {
    e.outcome = Examination::Outcome::kHeld;
    e.unknown_key_id = key_id.substr(0, 64);  // junk stays short in logs
    return e;
  }
  std::string signature;
  if (sig.size() != kSigFileSize || sig.back() != '\n' ||
      !IsBase64(sig.substr(0, kSigFileSize - 1)) ||
      !absl::Base64Unescape(sig.substr(0, kSigFileSize - 1), &signature) ||
      signature.size() != 64) {
    return Reject(std::move(e), "SIGNATURE_INVALID", "",
                  absl::StrCat(id,
                               ".sig is not a 64-byte signature in base64 "
                               "(88 characters and LF)"));
  }
  if (!key->Verify(csv, signature).ok()) {
    return Reject(std::move(e), "SIGNATURE_INVALID", "",
                  absl::StrCat(id, ".sig does not verify over ", id,
                               ".csv with key ", key_id));
  }

  // Step 7: NFC, the field tables, the business rules.
  for (const Record& r : e.records) {
    if (!IsNfc(r.value)) {
      return Reject(std::move(e), "NOT_NFC", r.path,
                    absl::StrCat(r.path, ": text not in Unicode NFC"));
    }
  }
  if (std::optional<Refusal> refusal = ValidateMessage(e.records)) {
    e.outcome = Examination::Outcome::kRejected;
    e.refusal = *std::move(refusal);
    return e;
  }
  e.fields_valid = true;
  if (std::optional<Refusal> refusal = BusinessCheck(e.records, policy)) {
    e.outcome = Examination::Outcome::kRejected;
    e.refusal = *std::move(refusal);
    return e;
  }
  e.outcome = Examination::Outcome::kAccepted;
  return e;
}

std::vector<NameEntry> DecodedNames(const std::vector<Record>& records) {
  std::vector<NameEntry> names;
  for (const Record& r : records) {
    const size_t at = r.path.find("names.");
    if (at == std::string::npos || (at != 0 && r.path[at - 1] != '.')) {
      continue;
    }
    const size_t dot = r.path.find('.', at + 6);
    if (dot == std::string::npos) continue;
    const std::string group = r.path.substr(0, dot);
    const std::string part = r.path.substr(dot + 1);
    if (names.empty() || names.back().path != group) {
      names.push_back(NameEntry{group, "", "", "", ""});
    }
    NameEntry& entry = names.back();
    if (part == "script") entry.script = r.value;
    if (part == "family") entry.family = r.value;
    if (part == "given") entry.given = r.value;
    if (part == "full") entry.full = r.value;
  }
  return names;
}

std::map<std::string, std::vector<std::string>> TextLanguages(
    const std::vector<Record>& records) {
  std::map<std::string, std::vector<std::string>> langs;
  for (const Record& r : records) {
    if (!absl::EndsWith(r.path, ".lang")) continue;
    const std::string element = r.path.substr(0, r.path.size() - 5);
    const size_t dot = element.rfind('.');
    if (dot == std::string::npos) continue;
    langs[element.substr(0, dot)].push_back(r.value);
  }
  return langs;
}

absl::StatusOr<AckView> ReadAck(
    absl::string_view bytes, absl::string_view id,
    absl::string_view expected_sender, absl::string_view expected_recipient,
    const std::vector<const crypto::Verifier*>& keys) {
  CsvParse parse = ParseLaCsv(bytes);
  if (parse.refusal.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        id, ".ack is not a CSV file by ICD §3.3 (", parse.refusal->text, ")"));
  }
  const std::vector<Record>& records = parse.records;
  if (records.size() < 2 || records.back().path != "signature" ||
      records[records.size() - 2].path != "key_id") {
    return absl::InvalidArgumentError(absl::StrCat(
        id, ".ack does not end with the key_id and signature records"));
  }
  const std::string& key_id = records[records.size() - 2].value;
  const crypto::Verifier* key = FindKey(keys, key_id);
  if (key == nullptr) {
    return absl::UnauthenticatedError(
        absl::StrCat(id, ".ack is signed with key id ", key_id.substr(0, 64),
                     ", not a registered key of ", expected_sender));
  }
  std::string signature;
  if (!IsBase64(records.back().value) ||
      !absl::Base64Unescape(records.back().value, &signature) ||
      signature.size() != 64 ||
      !key->Verify(bytes.substr(0, records.back().offset), signature).ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat(id, ".ack: the signature record does not verify"));
  }
  for (const Record& r : records) {
    if (!IsNfc(r.value)) {
      return absl::FailedPreconditionError(
          absl::StrCat(id, ".ack: ", r.path, ": text not in Unicode NFC"));
    }
  }
  if (std::optional<Refusal> refusal = ValidateAck(records)) {
    return absl::FailedPreconditionError(
        absl::StrCat(id, ".ack breaks ICD §3.7: ", refusal->text));
  }
  AckView ack;
  ack.message_id = Find(records, "message_id").value_or("");
  ack.sender = Find(records, "sender").value_or("");
  ack.recipient = Find(records, "recipient").value_or("");
  if (ack.message_id != id) {
    return absl::FailedPreconditionError(
        absl::StrCat(id, ".ack: message_id differs from the file name"));
  }
  if (ack.sender != expected_sender) {
    return absl::FailedPreconditionError(
        absl::StrCat(id, ".ack: sender is not ", expected_sender));
  }
  if (ack.recipient != expected_recipient) {
    return absl::FailedPreconditionError(
        absl::StrCat(id, ".ack: recipient is not ", expected_recipient));
  }
  ack.status = Find(records, "status").value_or("");
  ack.payload_sha256 = Find(records, "payload_sha256").value_or("");
  ack.received_at = Find(records, "received_at").value_or("");
  ack.partner_ref = Find(records, "partner_ref").value_or("");
  ack.error_code = Find(records, "error_code").value_or("");
  ack.error_field = Find(records, "error_field").value_or("");
  ack.error_text = Find(records, "error_text").value_or("");
  ack.key_id = key_id;
  for (int i = 1;; ++i) {
    std::optional<std::string> code =
        Find(records, absl::StrCat("warning.", i, ".code"));
    if (!code.has_value()) break;
    ack.warnings.push_back(AckWarning{
        *code,
        Find(records, absl::StrCat("warning.", i, ".field")).value_or("")});
  }
  return ack;
}

}  // namespace gw::la_mps_mock
