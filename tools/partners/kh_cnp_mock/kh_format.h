// tools/partners/kh_cnp_mock/kh_format.h
//
// The KH-CNP body format from KH-CNP's side (KH-CNP.md §3-§5, §8): a
// gw::http_mock::PartnerFormat for the shared mock server and client.
// JSON is parsed by gw_json's ParseStrictJson (a library, not the gateway's
// KH-CNP adapter) and validated against the embedded KH-CNP.schema.json;
// the rules beyond the schema are kh_rules.h.
//
// CheckBody (§6.4 step 11), first failure answered:
//   1 ParseStrictJson [400 MALFORMED_JSON]; a number that is not an
//     integer in 0..2^53-1 is [400 SCHEMA_VIOLATION] at its pointer (§3.2)
//   2 the schema's root (oneOf over every message) [400 SCHEMA_VIOLATION,
//     pointer and rule of the first failure]
//   3 kh_rules.h in this order: NOT_NFC, zero-width characters in names,
//     calendar dates and instants, the handover rule, attachment content
//   4 message_id = Gw-Message-Id [400 HEADER_MISMATCH /message_id]
//   5 message_type = the endpoint's kind [400 WRONG_ENDPOINT /message_type]
//   6 sender = the client certificate's agency, recipient = this side
//     [403 AGENCY_MISMATCH /sender, /recipient]
// An accepted body also carries the step-12 business check (README §2.10):
// an alert whose recipients, a request whose requesting_agency and
// receiving_agency, or a case status whose owner_agency and shared_with do
// not name this side -> 403 NOT_A_RECIPIENT (at /alert/recipients,
// /repatriation_request/receiving_agency, /case_status/shared_with).
// Error bodies name the body's message_id when it is a valid id, else the
// Gw-Message-Id when that is one (§8).
//
// MakeAck / MakeError write RFC 8785 (JCS) bytes, omitting empty members
// (§3.2); error.detail is cut to 500 characters (README §2.11).
//
// Thread safety: immutable after Create; safe from any thread.
#ifndef GW_TOOLS_PARTNERS_KH_CNP_MOCK_KH_FORMAT_H_
#define GW_TOOLS_PARTNERS_KH_CNP_MOCK_KH_FORMAT_H_

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/json/json_schema.h"
#include "tools/partners/http_mock/partner_format.h"

namespace gw::kh_cnp_mock {

class KhCnpFormat : public http_mock::PartnerFormat {
 public:
  // Loads the embedded schema; INTERNAL if it does not load (a build
  // problem).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<KhCnpFormat>> Create();

  std::string agency() const override { return "KH-CNP"; }
  std::vector<std::string> accepted_media_types() const override;
  std::string media_type() const override { return "application/json"; }
  std::vector<http_mock::Endpoint> partner_endpoints() const override;
  std::vector<http_mock::Endpoint> gateway_endpoints() const override;
  std::string file_extension() const override { return "json"; }

  std::variant<http_mock::Accepted, http_mock::Refusal> CheckBody(
      const http_mock::Endpoint& endpoint, std::string_view body,
      std::string_view header_message_id, std::string_view peer_agency,
      std::string_view own_agency) const override;

  std::string MakeAck(const http_mock::AckFields& ack) const override;
  std::string MakeError(const http_mock::Refusal& refusal,
                        std::string_view sender, std::string_view recipient,
                        std::string_view received_at) const override;

  // Strict JSON, valid against the schema, message_type ack (200/202) or
  // error (4xx/5xx).
  absl::StatusOr<http_mock::AnswerSummary> ReadAnswer(
      int http_status, std::string_view body) const override;

  // alert: the ICD's alert example turned inbound (KH-CNP -> CN-MPS,
  // origin KH-CNP, the same fictional girl, last seen two days before
  // created_at in Phnom Penh, narrative in Khmer and English);
  // repatriation_request: the ICD's inbound example with the given ids,
  // assessment completed 2 days and handover 26 days after created_at.
  // Defaults: alert_id CNP-AL-<year>-<6 digits>, request_id
  // CNP-RQ-<year>-<4 digits> (digits from the message id), case_ref
  // KH-CNP-<year>-<4 digits>. INVALID_ARGUMENT for another kind, a bad
  // created_at or a case_ref that is not an identifier (README §2.8).
  absl::StatusOr<std::string> MakeSample(const Sample& sample) const override;

 private:
  explicit KhCnpFormat(std::unique_ptr<json::JsonSchema> schema);
  std::unique_ptr<json::JsonSchema> schema_;
};

}  // namespace gw::kh_cnp_mock

#endif  // GW_TOOLS_PARTNERS_KH_CNP_MOCK_KH_FORMAT_H_
