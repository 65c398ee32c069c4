// gateway/audit/receipt.cc
#include "gateway/audit/receipt.h"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include <climits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gateway/audit/checkpoint_verifier.h"
#include "gateway/audit/hasher.h"
#include "gateway/audit/log_origin.h"
#include "gateway/audit/proof_verifier.h"
#include "gateway/crypto/dsse.h"
#include "gateway/util/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace gw::audit {
namespace {

// The same status with `prefix` put before its message.
absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

// VerifyInclusion's messages name its own arguments ("proof[2]: ...",
// "root mismatch: ..."); these are their paths in a receipt.
absl::Status InclusionError(const absl::Status& status) {
  struct Rename {
    absl::string_view from;
    absl::string_view to;
  };
  static constexpr Rename kRenames[] = {
      {"proof:", "receipt.inclusion_proof.hashes:"},
      {"proof[", "receipt.inclusion_proof.hashes["},
      {"leaf_index:", "receipt.inclusion_proof.leaf_index:"},
      {"root:", "receipt.checkpoint.root_hash:"},
      {"root mismatch", "receipt.inclusion_proof: root mismatch"},
  };
  absl::string_view message = status.message();
  for (const Rename& rename : kRenames) {
    if (absl::ConsumePrefix(&message, rename.from)) {
      return absl::Status(status.code(), absl::StrCat(rename.to, message));
    }
  }
  return Prefixed("receipt.inclusion_proof: ", status);
}

}  // namespace

std::string ReceiptSigningBytes(const gw::v1::Receipt& receipt) {
  gw::v1::Receipt unsigned_receipt = receipt;
  unsigned_receipt.clear_signature();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    // Fails only above 2 GiB (SignReceipt refuses those first); the bytes
    // written so far are then still a deterministic function of the receipt.
    static_cast<void>(unsigned_receipt.SerializeToCodedStream(&coded));
  }
  return crypto::PreAuthEncoding(kReceiptPayloadType, bytes);
}

absl::Status SignReceipt(const crypto::Signer& signer,
                         gw::v1::Receipt* receipt) {
  if (receipt == nullptr) return absl::InternalError("receipt: null");
  const size_t size = receipt->ByteSizeLong();
  if (size > INT_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat("receipt: ", size, " bytes, too large to serialize"));
  }
  GW_ASSIGN_OR_RETURN(std::string sig,
                      signer.Sign(ReceiptSigningBytes(*receipt)));
  gw::v1::Signature* signature = receipt->mutable_signature();
  signature->set_keyid(signer.key_id_hex());
  signature->set_sig(std::move(sig));
  signature->set_cert_der(signer.cert_der());
  return absl::OkStatus();
}

absl::StatusOr<std::string> GatewayLogOrigin(const crypto::Verifier& key) {
  X509_NAME* subject = X509_get_subject_name(key.certificate());
  const int first = subject == nullptr ? -1
                                       : X509_NAME_get_index_by_NID(
                                             subject, NID_organizationName, -1);
  if (first < 0 ||
      X509_NAME_get_index_by_NID(subject, NID_organizationName, first) >= 0) {
    return absl::InvalidArgumentError(
        "gateway_signing_key.subject: want exactly one O naming the agency");
  }
  const ASN1_STRING* value =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, first));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, value);
  if (length <= 0) {
    OPENSSL_free(utf8);
    return absl::InvalidArgumentError(
        "gateway_signing_key.subject: O is empty or not a string");
  }
  std::string agency(reinterpret_cast<const char*>(utf8),
                     static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return AuditLogOrigin(agency);
}

absl::StatusOr<CheckpointBody> VerifySignedCheckpoint(
    const gw::v1::Checkpoint& checkpoint, const crypto::Verifier& key) {
  GW_ASSIGN_OR_RETURN(const std::string origin, GatewayLogOrigin(key));
  absl::StatusOr<CheckpointBody> body =
      VerifyCheckpoint(checkpoint.note(), origin, origin, key);
  if (!body.ok()) return Prefixed("note: ", body.status());
  if (body->tree_size != checkpoint.tree_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree_size: ", checkpoint.tree_size(),
                     ", but the signed note says ", body->tree_size));
  }
  if (body->root_hash != checkpoint.root_hash()) {
    return absl::InvalidArgumentError(
        "root_hash: differs from the root in the signed note");
  }
  return body;
}

absl::Status VerifyReceiptSignature(const gw::v1::Receipt& receipt,
                                    const crypto::Verifier& key) {
  if (!receipt.has_signature()) {
    return absl::InvalidArgumentError("receipt.signature: missing");
  }
  if (receipt.signature().keyid() != key.key_id_hex()) {
    return absl::UnauthenticatedError(
        "receipt.signature.keyid: not the key of the gateway signing "
        "certificate");
  }
  absl::Status verified =
      key.Verify(ReceiptSigningBytes(receipt), receipt.signature().sig());
  if (absl::IsUnauthenticated(verified)) {
    return absl::UnauthenticatedError(
        "receipt.signature.sig: signature does not verify");
  }
  return verified;  // OK, or OpenSSL itself failed
}

absl::Status VerifyReceiptInclusion(const gw::v1::Receipt& receipt) {
  if (!receipt.has_inclusion_proof()) {
    return absl::InvalidArgumentError("receipt.inclusion_proof: missing");
  }
  if (receipt.leaf_data().empty()) {
    return absl::InvalidArgumentError("receipt.leaf_data: empty");
  }
  const gw::v1::InclusionProof& proof = receipt.inclusion_proof();
  if (proof.leaf_index() != receipt.leaf_index()) {
    return absl::InvalidArgumentError(
        absl::StrCat("receipt.inclusion_proof.leaf_index: ", proof.leaf_index(),
                     ", want receipt.leaf_index ", receipt.leaf_index()));
  }
  if (proof.tree_size() != receipt.checkpoint().tree_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("receipt.inclusion_proof.tree_size: ", proof.tree_size(),
                     ", want receipt.checkpoint.tree_size ",
                     receipt.checkpoint().tree_size()));
  }
  const std::vector<std::string> hashes(proof.hashes().begin(),
                                        proof.hashes().end());
  absl::Status included = VerifyInclusion(
      HashLeaf(receipt.leaf_data()), proof.leaf_index(), proof.tree_size(),
      hashes, receipt.checkpoint().root_hash());
  if (!included.ok()) return InclusionError(included);
  return absl::OkStatus();
}

absl::StatusOr<gw::v1::AuditEntry> VerifyReceiptEntry(
    const gw::v1::Receipt& receipt) {
  gw::v1::AuditEntry entry;
  if (!entry.ParseFromString(receipt.leaf_data())) {
    return absl::InvalidArgumentError(
        "receipt.leaf_data: not a gw.v1.AuditEntry");
  }
  if (!receipt.payload_sha256().empty() &&
      entry.payload_sha256() != receipt.payload_sha256()) {
    return absl::InvalidArgumentError(
        "receipt.payload_sha256: the audit entry records another payload "
        "digest");
  }
  return entry;
}

absl::Status VerifyReceipt(const gw::v1::Receipt& receipt,
                           const crypto::Verifier& gateway_signing_key) {
  GW_RETURN_IF_ERROR(VerifyReceiptSignature(receipt, gateway_signing_key));
  // Its own error path ("gateway_signing_key.subject: ..."), unprefixed.
  GW_RETURN_IF_ERROR(GatewayLogOrigin(gateway_signing_key).status());
  if (!receipt.has_checkpoint()) {
    return absl::InvalidArgumentError("receipt.checkpoint: missing");
  }
  absl::StatusOr<CheckpointBody> checkpoint =
      VerifySignedCheckpoint(receipt.checkpoint(), gateway_signing_key);
  if (!checkpoint.ok()) {
    return Prefixed("receipt.checkpoint.", checkpoint.status());
  }
  GW_RETURN_IF_ERROR(VerifyReceiptInclusion(receipt));
  return VerifyReceiptEntry(receipt).status();
}

}  // namespace gw::audit
