// tools/partners/http_mock/receiver.h
//
// The receiving side of a signed-HTTPS mock partner (KH-CNP.md §6.4, §7,
// §8; VN-MPS.md §6-§8), without the network: one received request in, one
// signed response out. The checks, in the ICD's order, first failure
// answered:
//   (--fail-first N: the first N requests get 503 UNAVAILABLE with
//    Retry-After: 1, before any check, for "partner down" tests)
//   2  path is one of format.partner_endpoints() exactly (no query)
//      [404 WRONG_ENDPOINT]; method POST [405 WRONG_ENDPOINT, Allow: POST]
//   3  body at most max_body (8 MiB) [413 PAYLOAD_TOO_LARGE]
//   4  exactly one Content-Type, one of format.accepted_media_types()
//      (compared without regard to case), no Content-Encoding
//      [415 UNSUPPORTED_MEDIA_TYPE]
//   5-10 signature profile, headers, key, time, digest, signature
//      (http_signature.h), over @target-uri = base_uri + path
//   11 format.CheckBody
//   12 duplicates by (peer agency, message id): same digest -> 200 with the
//      stored ack body byte for byte (same received_at), freshly signed;
//      other digest -> 409 DUPLICATE_ID_CONFLICT; then
//      Accepted::business_refusal; then --refuse-case-prefix -> 422
//      UNKNOWN_REFERENCE at Accepted::case_ref_location
//   then the body is stored (store.h) and answered 202 with a signed ack
//   (partner_ref "<prefix>-<YYYY>-<NNNN>", NNNN = accepted count). A store
//   failure answers 500 INTERNAL_ERROR, never an ack.
// Every response is signed with the response profile: it echoes
// Gw-Message-Id when the request had exactly one, and then covers it.
// Error bodies carry message_id only from step 11 on (KH-CNP.md §8).
//
// Thread safety: Handle() may be called from several threads (one lock).
// The format, signer and keys are not owned and must outlive the receiver.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_RECEIVER_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_RECEIVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "nlohmann/json.hpp"
#include "tools/partners/http_mock/http_message.h"
#include "tools/partners/http_mock/partner_format.h"
#include "tools/partners/http_mock/store.h"

namespace gw::http_mock {

inline constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;  // KH-CNP.md §9

struct ReceivedRequest {
  HttpRequest request;
  // The body was not read because it is larger than max_body (the server
  // saw it from Content-Length or while reading a chunked body).
  bool body_too_large = false;
  std::string peer_agency;  // O= of the verified client certificate
};

struct ReceiverOptions {
  std::string own_agency;  // default: format.agency()
  std::string peer_agency = "CN-MPS";
  std::string
      base_uri;  // this mock's base URI, e.g. https://cnp.partner.example
  std::string store_dir;
  std::string refuse_case_prefix;                  // "" = refuse nothing
  std::string partner_ref_prefix;                  // e.g. "CNP-INT"
  std::vector<const crypto::Verifier*> peer_keys;  // registered to peer_agency
  const crypto::Signer* signer = nullptr;
  int fail_first = 0;
  size_t max_body = kMaxBodyBytes;
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// What happened to one request.
struct RequestReport {
  std::string time;  // RFC 3339, when answered
  std::string method;
  std::string path;
  int status = 0;
  std::string code;  // error code ("" for 200/202)
  std::string location;
  std::string detail;
  std::string message_id;  // "" when unknown
  std::string kind;
  std::string case_ref;
  std::string body_sha256;
  std::string key_id;
  bool duplicate = false;   // answered 200 with the stored ack
  std::string received_at;  // acks: the first receipt
  std::string partner_ref;  // acks
  std::string stored_file;  // "received/<id>.<ext>" when stored now
  nlohmann::json summary;   // Accepted::summary (personal data)

  // The received.jsonl line: every member above; summary only with
  // `personal_data`.
  nlohmann::json ToJson(bool personal_data) const;
  // One stdout line without personal data, e.g. "202 POST /cnp/v1/alerts
  // alert 1c48... case_ref=... partner_ref=CNP-INT-2026-0001".
  std::string ToLine() const;
};

struct Reply {
  HttpResponse response;
  bool close_connection = false;  // after a 413 whose body was not read
  RequestReport report;
};

// RFC 3339 in UTC with Z and whole seconds.
std::string FormatTimestamp(absl::Time time);

class Receiver {
 public:
  // Opens the store (store.h). INVALID_ARGUMENT without a signer, a base
  // URI or a store dir; the store's errors otherwise.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Receiver>> Open(
      const PartnerFormat& format, ReceiverOptions options);

  // Answers one request and appends its report to received.jsonl.
  Reply Handle(const ReceivedRequest& received);

  int accepted_count() const;
  const ReceiverOptions& options() const { return options_; }

 private:
  Receiver(const PartnerFormat& format, ReceiverOptions options,
           std::unique_ptr<Store> store);
  Reply HandleLocked(const ReceivedRequest& received, RequestReport report);
  Reply Refuse(const ReceivedRequest& received, RequestReport report,
               const Refusal& refusal);
  Reply Acknowledge(const ReceivedRequest& received, RequestReport report,
                    int status, const std::string& ack_body);
  Reply Finish(const ReceivedRequest& received, RequestReport report,
               int status, std::string body, HeaderList extra_headers);

  const PartnerFormat& format_;
  ReceiverOptions options_;
  std::unique_ptr<Store> store_;
  std::mutex mu_;
  int requests_seen_ = 0;
};

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_RECEIVER_H_
