// gateway/audit/signed_note.cc
#include "gateway/audit/signed_note.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/note_format.h"
#include "gateway/audit/note_key.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {
namespace {

// One signature line, split but not yet checked against any key.
struct SignatureLine {
  absl::string_view key_name;
  uint32_t key_id = 0;
  std::string signature;  // without the key id
};

std::string KeyIdBytes(uint32_t key_id) {
  std::string bytes(kKeyIdSize, '\0');
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    bytes[i] = static_cast<char>(key_id >> (8 * (kKeyIdSize - 1 - i)));
  }
  return bytes;
}

absl::Status CheckBody(absl::string_view body) {
  if (body.empty() || body.back() != '\n') {
    return absl::InvalidArgumentError("body: want text ending in a newline");
  }
  return CheckNoteCharacters("body", body);
}

// Parses "— <name> <base64>" (the newline already removed).
absl::StatusOr<SignatureLine> ParseSignatureLine(absl::string_view field,
                                                 absl::string_view line) {
  if (!absl::ConsumePrefix(&line, kSignatureLinePrefix)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": want em dash and space first"));
  }
  const size_t space = line.find(' ');
  if (space == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": want a space after the key name"));
  }
  SignatureLine parsed;
  parsed.key_name = line.substr(0, space);
  GW_RETURN_IF_ERROR(
      CheckKeyName(absl::StrCat(field, ".key_name"), parsed.key_name));
  const absl::string_view encoded = line.substr(space + 1);
  std::string decoded;
  if (!absl::Base64Unescape(encoded, &decoded) ||
      absl::Base64Escape(decoded) != encoded) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": signature is not canonical base64"));
  }
  if (decoded.size() <= kKeyIdSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", decoded.size(), " signature bytes, want more than 4"));
  }
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    parsed.key_id = (parsed.key_id << 8) | static_cast<uint8_t>(decoded[i]);
  }
  parsed.signature = decoded.substr(kKeyIdSize);
  return parsed;
}

}  // namespace

absl::StatusOr<std::string> SignNote(absl::string_view body,
                                     absl::string_view key_name,
                                     const crypto::Signer& signer) {
  GW_RETURN_IF_ERROR(CheckBody(body));
  GW_ASSIGN_OR_RETURN(NoteKey key,
                      NoteKey::FromCertificateDer(key_name, signer.cert_der()));
  GW_ASSIGN_OR_RETURN(std::string signature, signer.Sign(body));
  return absl::StrCat(
      body, "\n", kSignatureLinePrefix, key.name(), " ",
      absl::Base64Escape(absl::StrCat(KeyIdBytes(key.key_id()), signature)),
      "\n");
}

absl::StatusOr<std::string> VerifyNote(absl::string_view note,
                                       absl::string_view key_name,
                                       const crypto::Verifier& verifier) {
  GW_ASSIGN_OR_RETURN(
      NoteKey key, NoteKey::FromCertificateDer(key_name, verifier.cert_der()));
  GW_RETURN_IF_ERROR(CheckNoteCharacters("note", note));
  // The text ends at the last blank line; signature lines follow it.
  const size_t blank = note.rfind("\n\n");
  if (blank == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "note: no blank line before the signatures");
  }
  const absl::string_view text = note.substr(0, blank + 1);
  absl::string_view signatures = note.substr(blank + 2);
  if (signatures.empty() || !absl::ConsumeSuffix(&signatures, "\n")) {
    return absl::InvalidArgumentError(
        "note: want signature lines ending in a newline");
  }
  const std::vector<absl::string_view> lines = absl::StrSplit(signatures, '\n');
  if (lines.size() > kMaxNoteSignatures) {
    return absl::InvalidArgumentError(absl::StrCat(
        "note: ", lines.size(), " signatures, at most ", kMaxNoteSignatures));
  }
  size_t verified = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string field = absl::StrCat("note.signatures[", i, "]");
    GW_ASSIGN_OR_RETURN(SignatureLine line,
                        ParseSignatureLine(field, lines[i]));
    if (line.key_name != key.name() || line.key_id != key.key_id()) continue;
    const absl::Status status = verifier.Verify(text, line.signature);
    if (absl::IsUnauthenticated(status)) {
      return absl::UnauthenticatedError(
          absl::StrCat(field, ": signature does not verify"));
    }
    GW_RETURN_IF_ERROR(status);  // OpenSSL itself failed
    ++verified;
  }
  if (verified == 0) {
    return absl::UnauthenticatedError(
        absl::StrCat("note: no signature by key ", key.VerifierKey()));
  }
  return std::string(text);
}

}  // namespace gw::audit
