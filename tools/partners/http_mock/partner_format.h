// tools/partners/http_mock/partner_format.h
//
// What a mock partner that speaks signed HTTPS (KH-CNP, VN-MPS) supplies to
// the shared mock server and client (tools/partners/http_mock/): its body
// format. The shared part does everything both ICDs have in common from the
// partner's side (KH-CNP.md §2, §6, §7; VN-MPS.md §2, §6, §7): mutual TLS,
// HTTP/1.1, endpoints and methods, size, media type, Content-Digest, the
// RFC 9421 signature (its own implementation, not the gateway's), duplicate
// memory, storing what was received, signing responses; `send` of an
// inbound message and reading the gateway's signed answer.
//
// A PartnerFormat does the body: step 11 of KH-CNP.md §6.4 (VN-MPS.md §6
// step 11: parse, NFC, schema/XSD, root/endpoint fit, id, agencies) and the
// writing of acknowledgement and error bodies in the partner's format.
// Nothing here comes from adapters/: the mocks check the gateway's adapters
// and must not share their mistakes.
//
// Thread safety: implementations are immutable after construction and
// safe to call from any thread.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_PARTNER_FORMAT_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_PARTNER_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace gw::http_mock {

// One endpoint: its path and the message kind it takes ("alert",
// "repatriation_request", "repatriation_decision", "case_status").
struct Endpoint {
  std::string path;
  std::string kind;
};

// A refusal in the ICD's terms (KH-CNP.md §8, VN-MPS.md §8).
struct Refusal {
  int http_status = 400;
  std::string code;        // "SCHEMA_VIOLATION", ...
  std::string location;    // JSON Pointer / XPath; "" if none
  std::string detail;      // English, one line
  std::string message_id;  // the refused message's id when known
};

// A body that passed step 11.
struct Accepted {
  std::string message_id;
  std::string kind;      // as Endpoint::kind
  std::string case_ref;  // for --refuse-case-prefix ("" if none)
  // What received.jsonl records about the message (ids, kind, counts,
  // names as received: the mock is test equipment, not a production store).
  nlohmann::json summary;
  // Added by helper "mockkh" (source-compatible: both have defaults).
  // The location (JSON Pointer / XPath) of case_ref, named by the 422
  // UNKNOWN_REFERENCE that --refuse-case-prefix answers ("" = none).
  std::string case_ref_location;
  // A business refusal of step 12 (e.g. 403 NOT_A_RECIPIENT: the mock's
  // own agency is not entitled to the message, README §2.10). The shared
  // server answers it only AFTER the duplicate check, as §6.4 step 12
  // orders; nullopt = none.
  std::optional<Refusal> business_refusal;
};

// One warning of an acknowledgement (VN-MPS Warning / KH-CNP warnings).
struct Warning {
  std::string code;
  std::string location;
};

struct AckFields {
  std::string message_id;      // acknowledged
  std::string sender;          // the acknowledging agency (the mock)
  std::string recipient;       // the agency whose message it was
  std::string payload_sha256;  // lowercase hex of the request body
  std::string received_at;     // RFC 3339, Z
  std::string partner_ref;     // "" for none
  std::vector<Warning> warnings;
};

// What the gateway answered to a message the mock sent.
struct AnswerSummary {
  bool acknowledged = false;   // an ack body with status ACCEPTED
  std::string message_id;      // acknowledged / rejected id
  std::string payload_sha256;  // ack only
  std::string received_at;
  std::string code;  // error body only
  std::string location;
  std::string detail;
  std::vector<Warning> warnings;
};

class PartnerFormat {
 public:
  virtual ~PartnerFormat() = default;

  // "KH-CNP" / "VN-MPS".
  virtual std::string agency() const = 0;
  // The Content-Type values a receiver accepts (compared without regard to
  // case) and the one this side writes.
  virtual std::vector<std::string> accepted_media_types() const = 0;
  virtual std::string media_type() const = 0;
  // The mock's own endpoints (where the gateway POSTs outbound messages)
  // and the gateway's (where `send` POSTs).
  virtual std::vector<Endpoint> partner_endpoints() const = 0;
  virtual std::vector<Endpoint> gateway_endpoints() const = 0;

  // Step 11 for a body POSTed to `endpoint` with Gw-Message-Id
  // `header_message_id`, by `peer_agency` (from its certificate) to
  // `own_agency`.
  virtual std::variant<Accepted, Refusal> CheckBody(
      const Endpoint& endpoint, std::string_view body,
      std::string_view header_message_id, std::string_view peer_agency,
      std::string_view own_agency) const = 0;

  // Response bodies, in the exact serialization of the ICD.
  virtual std::string MakeAck(const AckFields& ack) const = 0;
  virtual std::string MakeError(const Refusal& refusal, std::string_view sender,
                                std::string_view recipient,
                                std::string_view received_at) const = 0;

  // Reads the body of the gateway's signed answer (status already checked
  // by the caller). INVALID_ARGUMENT when it is neither an ack nor an error
  // body of this format.
  virtual absl::StatusOr<AnswerSummary> ReadAnswer(
      int http_status, std::string_view body) const = 0;

  // An inbound message for `send`: kind "alert" or "repatriation_request",
  // with these ids, agencies and creation time (RFC 3339, Z); content from
  // the ICD's examples, with `case_ref` when given.
  struct Sample {
    std::string kind;
    std::string message_id;
    std::string sender;
    std::string recipient;
    std::string created_at;
    std::string case_ref;
  };
  virtual absl::StatusOr<std::string> MakeSample(
      const Sample& sample) const = 0;

  // Added by helper "mockkh": the file name extension (without the dot)
  // of the stored bodies, DIR/received/<message_id>.<ext>.
  virtual std::string file_extension() const { return "body"; }
};

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_PARTNER_FORMAT_H_
