// adapters/la_mps/la_files.cc
//
// See la_files.h for the contract.
#include "adapters/la_mps/la_files.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "adapters/la_mps/csv.h"
#include "adapters/la_mps/la_fields.h"
#include "adapters/la_mps/la_schema.h"
#include "adapters/la_mps/la_values.h"
#include "adapters/text/normalize.h"
#include "gateway/crypto/sha256.h"

namespace gw::la_mps {

namespace {

constexpr size_t kUnlimited = 1000000;

const FieldSpec& AckSpec() {
  static const FieldSpec* const kSpec =
      new FieldSpec(Group("", true,
                          {Leaf("format", Format::kText, true),
                           Leaf("message_type", Format::kCode, true),
                           Leaf("message_id", Format::kUuid, true),
                           Leaf("sender", Format::kAgency, true),
                           Leaf("recipient", Format::kAgency, true),
                           Leaf("status", Format::kCode, true),
                           Leaf("payload_sha256", Format::kSha256, true),
                           Leaf("received_at", Format::kTimestamp, true),
                           Leaf("partner_ref", Format::kText, false),
                           List("warning", kUnlimited,
                                {Leaf("code", Format::kCode, true),
                                 Leaf("field", Format::kText, false)}),
                           Leaf("error_code", Format::kCode, false),
                           Leaf("error_field", Format::kText, false),
                           Leaf("error_text", Format::kMultilineText, false),
                           Leaf("key_id", Format::kSha256, true),
                           Leaf("signature", Format::kBase64, true)}));
  return *kSpec;
}

std::string Value(const FieldGroup& group, absl::string_view name) {
  const std::string* value = group.Leaf(name);
  return value == nullptr ? std::string() : *value;
}

absl::Status AckError(absl::string_view field, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(".ack ", field, ": ", text));
}

// NFC, cleaned text for a receipt value ("" stays "").
absl::StatusOr<std::string> AckText(absl::string_view field,
                                    absl::string_view value) {
  if (value.empty()) return std::string();
  absl::StatusOr<std::string> nfc =
      text::ToNfc(std::string_view(value.data(), value.size()));
  if (!nfc.ok()) return AckError(field, "not valid UTF-8");
  return CleanText(*nfc);
}

}  // namespace

std::string MakeSigFile(absl::string_view signature) {
  return absl::StrCat(Base64Encode(signature), "\n");
}

absl::StatusOr<std::string> ParseSigFile(absl::string_view sig) {
  if (sig.size() != kSigFileBytes || sig.back() != '\n') {
    return absl::InvalidArgumentError(
        ".sig: not 88 base64 characters and LF, 89 bytes (LA-MPS.md §6.1)");
  }
  absl::StatusOr<std::string> signature =
      Base64DecodeStrict(sig.substr(0, kSigFileBytes - 1));
  if (!signature.ok() || signature->size() != 64) {
    return absl::InvalidArgumentError(
        ".sig: not the base64 of a 64-byte Ed25519 signature (LA-MPS.md "
        "§6.1)");
  }
  return signature;
}

std::string MakeDoneFile(absl::string_view message_id, absl::string_view csv,
                         absl::string_view sig) {
  return absl::StrCat(crypto::Sha256Hex(csv), "  ", message_id, ".csv\n",
                      crypto::Sha256Hex(sig), "  ", message_id, ".sig\n");
}

absl::Status CheckDoneFile(absl::string_view message_id, absl::string_view done,
                           absl::string_view csv, absl::string_view sig) {
  // Each line: 64 hex digits, two spaces, the file name, LF.
  const std::string csv_tail = absl::StrCat("  ", message_id, ".csv\n");
  const std::string sig_tail = absl::StrCat("  ", message_id, ".sig\n");
  const size_t csv_line = 64 + csv_tail.size();
  const size_t sig_line = 64 + sig_tail.size();
  if (done.size() != csv_line + sig_line ||
      !IsLowerHex(done.substr(0, 64), 64) ||
      done.substr(64, csv_tail.size()) != csv_tail ||
      !IsLowerHex(done.substr(csv_line, 64), 64) ||
      done.substr(csv_line + 64) != sig_tail) {
    return absl::FailedPreconditionError(
        ".done: not exactly the two lines of LA-MPS.md §3.6");
  }
  if (done.substr(0, 64) != crypto::Sha256Hex(csv)) {
    return absl::FailedPreconditionError(
        ".csv: SHA-256 differs from the one in .done (incomplete transfer)");
  }
  if (done.substr(csv_line, 64) != crypto::Sha256Hex(sig)) {
    return absl::FailedPreconditionError(
        ".sig: SHA-256 differs from the one in .done (incomplete transfer)");
  }
  return absl::OkStatus();
}

absl::string_view AckStatusName(AckStatus status) {
  switch (status) {
    case AckStatus::kAccepted:
      return "ACCEPTED";
    case AckStatus::kRejected:
      return "REJECTED";
    case AckStatus::kCorrupt:
      return "CORRUPT";
  }
  return "";
}

absl::StatusOr<std::string> BuildAck(const Ack& ack,
                                     const crypto::Signer& signer) {
  absl::StatusOr<std::string> received_at = TimeToLa(ack.received_at);
  if (!received_at.ok()) return AckError("received_at", "out of range");
  std::string out(kCsvHeader);
  AppendCsvRecord("format", kFormatName, &out);
  AppendCsvRecord("message_type", "ACK", &out);
  AppendCsvRecord("message_id", ack.message_id, &out);
  AppendCsvRecord("sender", ack.sender, &out);
  AppendCsvRecord("recipient", ack.recipient, &out);
  AppendCsvRecord("status", AckStatusName(ack.status), &out);
  AppendCsvRecord("payload_sha256", ack.payload_sha256, &out);
  AppendCsvRecord("received_at", *received_at, &out);
  absl::StatusOr<std::string> partner_ref =
      AckText("partner_ref", ack.partner_ref);
  if (!partner_ref.ok()) return partner_ref.status();
  if (!partner_ref->empty()) {
    AppendCsvRecord("partner_ref", *partner_ref, &out);
  }
  for (size_t i = 0; i < ack.warnings.size(); ++i) {
    const std::string prefix = absl::StrCat("warning.", i + 1);
    AppendCsvRecord(absl::StrCat(prefix, ".code"), ack.warnings[i].code, &out);
    absl::StatusOr<std::string> field =
        AckText(absl::StrCat(prefix, ".field"), ack.warnings[i].field);
    if (!field.ok()) return field.status();
    if (!field->empty()) {
      AppendCsvRecord(absl::StrCat(prefix, ".field"), *field, &out);
    }
  }
  if (ack.status != AckStatus::kAccepted) {
    AppendCsvRecord("error_code", ack.error_code, &out);
    absl::StatusOr<std::string> field = AckText("error_field", ack.error_field);
    if (!field.ok()) return field.status();
    if (!field->empty()) AppendCsvRecord("error_field", *field, &out);
    absl::StatusOr<std::string> text = AckText("error_text", ack.error_text);
    if (!text.ok()) return text.status();
    AppendCsvRecord("error_text", *text, &out);
  }
  AppendCsvRecord("key_id", signer.key_id_hex(), &out);
  absl::StatusOr<std::string> signature = signer.Sign(out);
  if (!signature.ok()) return signature.status();
  AppendCsvRecord("signature", Base64Encode(*signature), &out);
  // Never write a receipt that a reader refuses.
  absl::StatusOr<Ack> reread = ParseAck(out);
  if (!reread.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write this receipt: ", reread.status().message()));
  }
  return out;
}

absl::StatusOr<Ack> ParseAck(absl::string_view bytes) {
  absl::StatusOr<std::vector<CsvRecord>> records = ReadCsv(bytes);
  if (!records.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(".ack: ", records.status().message()));
  }
  absl::StatusOr<FieldGroup> tree = BuildFieldTree(AckSpec(), *records);
  if (!tree.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(".ack: ", tree.status().message()));
  }
  if (Value(*tree, "format") != kFormatName) {
    return AckError("format", "not MKG-LA-CSV/1");
  }
  if (Value(*tree, "message_type") != "ACK") {
    return AckError("message_type", "not ACK");
  }
  Ack ack;
  const std::string status = Value(*tree, "status");
  if (status == "ACCEPTED") {
    ack.status = AckStatus::kAccepted;
  } else if (status == "REJECTED") {
    ack.status = AckStatus::kRejected;
  } else if (status == "CORRUPT") {
    ack.status = AckStatus::kCorrupt;
  } else {
    return AckError("status", "not ACCEPTED, REJECTED or CORRUPT");
  }
  ack.message_id = Value(*tree, "message_id");
  ack.sender = Value(*tree, "sender");
  ack.recipient = Value(*tree, "recipient");
  ack.payload_sha256 = Value(*tree, "payload_sha256");
  absl::StatusOr<absl::Time> received_at =
      LaToTime(Value(*tree, "received_at"));
  if (!received_at.ok()) return AckError("received_at", "not a timestamp");
  ack.received_at = *received_at;
  ack.partner_ref = Value(*tree, "partner_ref");
  for (const FieldGroup* warning : tree->List("warning")) {
    ack.warnings.push_back(
        AckWarning{Value(*warning, "code"), Value(*warning, "field")});
  }
  ack.error_code = Value(*tree, "error_code");
  ack.error_field = Value(*tree, "error_field");
  ack.error_text = Value(*tree, "error_text");
  if (ack.status != AckStatus::kAccepted) {
    if (ack.error_code.empty()) {
      return AckError("error_code", "mandatory for REJECTED and CORRUPT");
    }
    if (ack.error_text.empty()) {
      return AckError("error_text", "mandatory for REJECTED and CORRUPT");
    }
  }
  ack.key_id = Value(*tree, "key_id");
  absl::StatusOr<std::string> signature =
      Base64DecodeStrict(Value(*tree, "signature"));
  if (!signature.ok() || signature->size() != 64) {
    return AckError("signature", "not the base64 of a 64-byte signature");
  }
  ack.signature = *std::move(signature);
  // BuildFieldTree put `signature` last (table order).
  ack.signed_bytes = records->back().offset;
  return ack;
}

absl::Status VerifyAck(const Ack& ack, absl::string_view bytes,
                       const crypto::Verifier& key) {
  if (ack.signed_bytes > bytes.size()) {
    return absl::UnauthenticatedError(".ack signature: does not verify");
  }
  absl::Status status =
      key.Verify(bytes.substr(0, ack.signed_bytes), ack.signature);
  if (!status.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat(".ack signature: ", status.message()));
  }
  return absl::OkStatus();
}

std::string MakeEvidence(absl::string_view message_id,
                         const EvidenceFiles& files) {
  std::string out;
  for (const auto& [suffix, bytes] :
       {std::pair<absl::string_view, const std::string*>{".csv", &files.csv},
        {".sig", &files.sig},
        {".done", &files.done}}) {
    absl::StrAppend(&out, message_id, suffix, " ", bytes->size(), "\n", *bytes,
                    "\n");
  }
  return out;
}

absl::StatusOr<EvidenceFiles> ParseEvidence(absl::string_view message_id,
                                            absl::string_view evidence) {
  EvidenceFiles files;
  for (const auto& [suffix, bytes] :
       {std::pair<absl::string_view, std::string*>{".csv", &files.csv},
        {".sig", &files.sig},
        {".done", &files.done}}) {
    const std::string head = absl::StrCat(message_id, suffix, " ");
    const size_t eol = evidence.find('\n');
    if (evidence.substr(0, head.size()) != head ||
        eol == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("evidence: no ", suffix, " file line"));
    }
    absl::StatusOr<uint64_t> size = ParseInteger(
        evidence.substr(head.size(), eol - head.size()), evidence.size());
    if (!size.ok() || eol + 1 + *size + 1 > evidence.size() ||
        evidence[eol + 1 + *size] != '\n') {
      return absl::InvalidArgumentError(
          absl::StrCat("evidence: ", suffix, " file truncated"));
    }
    *bytes = std::string(evidence.substr(eol + 1, *size));
    evidence.remove_prefix(eol + 1 + *size + 1);
  }
  if (!evidence.empty()) {
    return absl::InvalidArgumentError("evidence: bytes after the .done file");
  }
  return files;
}

}  // namespace gw::la_mps
