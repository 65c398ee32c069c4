// gateway/audit/receipt.h
//
// Signing and verifying gw.v1.Receipt (receipt.proto, CONTRACT.md §4-5): a
// gateway's signed statement that it accepted (or refused) a message, with
// the audit entry it logged (`leaf_data`), that entry's inclusion proof and
// the signed checkpoint the proof leads to. Anyone holding only the
// gateway's signing certificate (<AGENCY>/signing.crt) can verify it
// offline:
//
//   auto key = crypto::Verifier::FromCertificatePem(signing_crt_pem);
//   GW_RETURN_IF_ERROR(VerifyReceipt(receipt, **key));
//
// What is signed: PAE(kReceiptPayloadType, R) (DSSE, gateway/crypto/dsse.h),
// R being the receipt with `signature` cleared, serialized deterministically
// (fields in number order). The checkpoint note is a C2SP signed note whose
// origin and key name are both AuditLogOrigin(<subject O of the signing
// certificate>) (log_origin.h).
//
// VerifyReceipt runs four checks in this order and stops at the first
// failure; each is public so a tool can report them one by one:
//  1. VerifyReceiptSignature   the gateway signed this receipt
//  2. VerifySignedCheckpoint   its checkpoint note is signed by the same key
//                              for this gateway's log, and says the same
//                              tree_size / root_hash as the proto fields
//  3. VerifyReceiptInclusion   leaf_data is leaf `leaf_index` of that tree
//  4. VerifyReceiptEntry       leaf_data is a gw.v1.AuditEntry recording the
//                              receipt's payload_sha256
// Errors (messages "receipt.<field path>: reason", no personal data):
//  INVALID_ARGUMENT  a missing or malformed part, or parts that disagree
//                    (proof for another leaf or size, proto fields that are
//                    not what the signed note says, another payload digest);
//                    a signing certificate without subject O
//  UNAUTHENTICATED   a signature that does not verify or is by another key
//                    (receipt.signature.keyid / .sig, receipt.checkpoint.note)
//  DATA_LOSS         a well-formed inclusion proof that leads to another root
//                    than the signed one ("receipt.inclusion_proof: root
//                    mismatch: computed <hex>, want <hex>")
//  INTERNAL / RESOURCE_EXHAUSTED  OpenSSL itself failed
// The signature's cert_der is never trusted: the caller chooses the
// certificate `gateway_signing_key` was made from.
// Thread safety: pure functions; safe to call concurrently.
#ifndef GW_AUDIT_RECEIPT_H_
#define GW_AUDIT_RECEIPT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gateway/audit/checkpoint.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gw/v1/audit.pb.h"
#include "gw/v1/receipt.pb.h"

namespace gw::audit {

// The exact bytes a receipt signature covers (see the file comment). Total:
// any receipt gives bytes; `receipt.signature` does not affect them.
std::string ReceiptSigningBytes(const gw::v1::Receipt& receipt);

// Sets receipt->signature to {keyid, sig, cert_der} of `signer` over
// ReceiptSigningBytes(*receipt), replacing any earlier signature. Sign the
// receipt last: any later change to it breaks the signature.
// Errors: INTERNAL for a null receipt; INVALID_ARGUMENT "receipt: N bytes,
// too large to serialize"; the signer's own failure. On failure *receipt is
// unchanged. `receipt` is not owned.
[[nodiscard]] absl::Status SignReceipt(const crypto::Signer& signer,
                                       gw::v1::Receipt* receipt);

// The audit log origin (and note key name) of the gateway whose signing
// certificate `key` was made from: AuditLogOrigin(subject O).
// INVALID_ARGUMENT "gateway_signing_key.subject: ..." if the subject has no
// single O.
[[nodiscard]] absl::StatusOr<std::string> GatewayLogOrigin(
    const crypto::Verifier& key);

// Check 2 on its own, for any gw.v1.Checkpoint (gwctl audit checkpoint uses
// it too): `checkpoint.note` verifies as a signed checkpoint of the log
// GatewayLogOrigin(key) by `key`, and its size and root are the proto's
// tree_size and root_hash. Returns the note's body.
// Errors, field paths relative to the checkpoint:
//  INVALID_ARGUMENT  "note: ..." malformed note or checkpoint text, or
//                    another origin; "tree_size: ..." / "root_hash: ..."
//                    the proto field differs from the signed note
//  UNAUTHENTICATED   "note: ..." no valid signature by `key`
[[nodiscard]] absl::StatusOr<CheckpointBody> VerifySignedCheckpoint(
    const gw::v1::Checkpoint& checkpoint, const crypto::Verifier& key);

// Check 1: receipt.signature has `key`'s keyid and verifies over
// ReceiptSigningBytes. INVALID_ARGUMENT "receipt.signature: missing";
// UNAUTHENTICATED "receipt.signature.keyid: ..." or
// "receipt.signature.sig: signature does not verify".
[[nodiscard]] absl::Status VerifyReceiptSignature(
    const gw::v1::Receipt& receipt, const crypto::Verifier& key);

// Check 3, against receipt.checkpoint.root_hash as it stands (run check 2
// first to know that root is the signed one): inclusion_proof.leaf_index ==
// leaf_index, inclusion_proof.tree_size == checkpoint.tree_size, and
// HashLeaf(leaf_data) with the proof hashes gives the root.
// INVALID_ARGUMENT "receipt.inclusion_proof...: ..." or
// "receipt.leaf_data: empty"; DATA_LOSS "receipt.inclusion_proof: root
// mismatch: ...".
[[nodiscard]] absl::Status VerifyReceiptInclusion(
    const gw::v1::Receipt& receipt);

// Check 4: the audit entry in leaf_data. INVALID_ARGUMENT
// "receipt.leaf_data: not a gw.v1.AuditEntry" or "receipt.payload_sha256:
// the audit entry records another payload digest" (compared only when the
// receipt has a payload_sha256).
[[nodiscard]] absl::StatusOr<gw::v1::AuditEntry> VerifyReceiptEntry(
    const gw::v1::Receipt& receipt);

// Checks 1-4, in order.
[[nodiscard]] absl::Status VerifyReceipt(
    const gw::v1::Receipt& receipt,
    const crypto::Verifier& gateway_signing_key);

}  // namespace gw::audit

#endif  // GW_AUDIT_RECEIPT_H_
