// tools/partners/vn_mps_mock/cli.cc
#include "tools/partners/vn_mps_mock/cli.h"

#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "tools/partners/http_mock/partner_format.h"
#include "tools/partners/vn_mps_mock/vn_format.h"

namespace gw::vn_mps_mock {
namespace {

constexpr char kName[] = "vn-mps-mock";
constexpr char kDecisionPath[] = "/gw/vn/v1/repatriation-decisions";

constexpr char kBodyChecks[] =
    R"(     a  well-formed UTF-8 XML without DOCTYPE, refused at the DOCTYPE
        before any entity is read [400 MALFORMED_XML]
     b  every text and attribute value in Unicode NFC [400 NOT_NFC at the
        first element, in document order, whose text or attribute values
        are not NFC]
     c  valid against VN-MPS.xsd (libxml2) [400 SCHEMA_VIOLATION at the
        element where validation failed, as xmlGetNodePath writes it]
     d  the root is one of the four data messages [400 WRONG_ENDPOINT]
     e  tip:MessageID = Gw-Message-Id [400 HEADER_MISMATCH]
     f  the root fits the path [400 WRONG_ENDPOINT]
     g  tip:ScheduledHandover if and only if HANDOVER_SCHEDULED (ICD 4.4),
        included attachment content of the declared size and SHA-256
        [400 SCHEMA_VIOLATION]
     h  tip:SenderAgencyCode = the client certificate's agency and
        tip:RecipientAgencyCode = --agency [403 AGENCY_MISMATCH]
     Errors are tip:Rejection bodies (ICD 3.3 form) whose ErrorText never
     repeats a value of the body. received.jsonl notes for each accepted
     body whether it was byte for byte in the ICD 3.3 form
     ("exact_serialization"), which the gateway always writes.
)";

constexpr char kSamples[] =
    R"(  alert          (default) the alert of examples/VN-MPS/alert-outbound
                 turned around: from --agency to --peer-agency,
                 MISSING_PERSON, URGENT, H2, one VICTIM (Vietnamese name
                 Kiem Thi Thu with diacritics and without, born 2011-08-05),
                 last seen in Jinghong, narrative in English and Chinese
  repatriation_request
                 as examples/VN-MPS/repatriation-request-inbound (CESHI Hua
                 in Han and Latin script, passport, tracing note,
                 assessment in Vietnamese and English 2 days ago, handover
                 at Mong Cai - Dong Hung in 24 days)
  alert_nfd, repatriation_request_nfd
                 the same with every text in NFD (decomposed): the gateway
                 must accept them with NORMALIZED_NFC warnings (ICD 5.1)
  repatriation_decision
                 an APPROVED decision, to /gw/vn/v1/repatriation-decisions,
                 on request <agency>-RQ-<message id>: the gateway answers
                 422 UNKNOWN_REFERENCE unless it knows that request
  invalid_repatriation_decision
                 that decision without tip:DecidingAgencyCode: the gateway
                 must answer 400 SCHEMA_VIOLATION at
                 /tip:RepatriationDecisionMessage/tip:RepatriationDecision/
                 tip:DecisionDateTime (ICD section 10)
Ids: alert <agency>-AL-<message id>, request <agency>-RQ-<message id>,
case_ref --case-ref or <agency>-CASE-<year>-<6 digits of the message id>
(a new case per message); times from the clock. Bodies are in the
serialization of ICD section 3.3.
)";

// VnMpsFormat with MakeSample writing `sample_kind` whatever kind the
// shared command line asks for (it knows only the base kinds).
class SampleKindFormat final : public http_mock::PartnerFormat {
 public:
  SampleKindFormat(const VnMpsFormat* format, std::string sample_kind)
      : format_(format), sample_kind_(std::move(sample_kind)) {}

  std::string agency() const override { return format_->agency(); }
  std::vector<std::string> accepted_media_types() const override {
    return format_->accepted_media_types();
  }
  std::string media_type() const override { return format_->media_type(); }
  std::vector<http_mock::Endpoint> partner_endpoints() const override {
    return format_->partner_endpoints();
  }
  std::vector<http_mock::Endpoint> gateway_endpoints() const override {
    return format_->gateway_endpoints();
  }
  std::string file_extension() const override {
    return format_->file_extension();
  }
  std::variant<http_mock::Accepted, http_mock::Refusal> CheckBody(
      const http_mock::Endpoint& endpoint, std::string_view body,
      std::string_view header_message_id, std::string_view peer_agency,
      std::string_view own_agency) const override {
    return format_->CheckBody(endpoint, body, header_message_id, peer_agency,
                              own_agency);
  }
  std::string MakeAck(const http_mock::AckFields& ack) const override {
    return format_->MakeAck(ack);
  }
  std::string MakeError(const http_mock::Refusal& refusal,
                        std::string_view sender, std::string_view recipient,
                        std::string_view received_at) const override {
    return format_->MakeError(refusal, sender, recipient, received_at);
  }
  absl::StatusOr<http_mock::AnswerSummary> ReadAnswer(
      int http_status, std::string_view body) const override {
    return format_->ReadAnswer(http_status, body);
  }
  absl::StatusOr<std::string> MakeSample(const Sample& sample) const override {
    Sample made = sample;
    if (!sample_kind_.empty()) made.kind = sample_kind_;
    return format_->MakeSample(made);
  }

 private:
  const VnMpsFormat* format_;  // not owned
  std::string sample_kind_;    // "" = as asked
};

// For `send --kind K` with a kind only vn-mps-mock knows: rewrites `args`
// for the shared command line and returns K; "" otherwise.
std::string TakeExtraKind(std::vector<std::string>* args) {
  absl::StatusOr<http_mock::CommandLine> line =
      http_mock::ParseCommandLine(*args);
  if (!line.ok() || line->command != "send") return "";
  for (size_t i = 0; i < args->size(); ++i) {
    std::string* value = nullptr;
    if ((*args)[i] == "--kind" && i + 1 < args->size()) {
      value = &(*args)[i + 1];
    } else if (absl::StartsWith((*args)[i], "--kind=")) {
      value = &(*args)[i];
    } else {
      continue;
    }
    const bool inline_form = value == &(*args)[i];
    const std::string kind = absl::StrReplaceAll(
        inline_form ? value->substr(7) : *value, {{"-", "_"}});
    std::string base = EndpointKindOfSample(kind);
    if (base.empty() || base == kind) return "";
    const bool decision = base == "repatriation_decision";
    if (decision) base = "repatriation_request";  // the shared line's kinds
    *value = inline_form ? "--kind=" + base : base;
    if (decision && line->flags.count("path") == 0) {
      args->push_back("--path");
      args->push_back(kDecisionPath);
    }
    return kind;
  }
  return "";
}

}  // namespace

http_mock::MockProgram VnMpsProgram() {
  http_mock::MockProgram program;
  program.name = kName;
  program.partner =
      "the Viet Nam Ministry of Public Security XML interface (VN-MPS)";
  program.icd = "ICD VN-MPS v1.1 (shared/partners/VN-MPS.md)";
  program.default_base_uri = "https://tip.partner.example";
  program.default_gateway_base_uri = "https://gateway.mekong.example";
  program.partner_ref_prefix = "VN-MPS-IN";
  program.body_checks_help = kBodyChecks;
  program.samples_help = kSamples;
  program.example_listen = "127.0.0.1:7470";
  program.example_gateway = "127.0.0.1:7471";
  return program;
}

int RunVnMpsMock(const std::vector<std::string>& args, std::ostream& out,
                 std::ostream& err) {
  absl::StatusOr<std::unique_ptr<VnMpsFormat>> format = VnMpsFormat::Create();
  if (!format.ok()) {
    err << kName << ": " << format.status().message()
        << "; this build of vn-mps-mock is broken, rebuild it." << std::endl;
    return http_mock::kExitUsage;
  }
  std::vector<std::string> shared_args = args;
  const std::string sample_kind = TakeExtraKind(&shared_args);
  const SampleKindFormat plugged(format->get(), sample_kind);
  return http_mock::RunMockProgram(VnMpsProgram(), plugged, shared_args, out,
                                   err);
}

}  // namespace gw::vn_mps_mock
