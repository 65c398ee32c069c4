// tools/partners/kh_cnp_mock/cli.cc
#include "tools/partners/kh_cnp_mock/cli.h"

#include <memory>

#include "tools/partners/kh_cnp_mock/kh_format.h"

namespace gw::kh_cnp_mock {

http_mock::MockProgram KhCnpProgram() {
  http_mock::MockProgram program;
  program.name = "kh-cnp-mock";
  program.partner = "the Cambodian National Police REST API (KH-CNP)";
  program.icd = "ICD KH-CNP v1.1 (shared/partners/KH-CNP.md)";
  program.default_base_uri = "https://cnp.partner.example";
  program.default_gateway_base_uri = "https://gateway.mekong.example";
  program.partner_ref_prefix = "CNP-INT";
  program.body_checks_help =
      R"(     a  strict JSON (UTF-8, no BOM, no duplicate member, integers
        only) [400 MALFORMED_JSON; a number outside 0..2^53-1 or not an
        integer: 400 SCHEMA_VIOLATION at its pointer]
     b  valid against KH-CNP.schema.json [400 SCHEMA_VIOLATION, field = the
        JSON Pointer of the first failing member]
     c  every string in NFC [400 NOT_NFC] (KH-CNP rejects, section 5.1)
     d  no U+200B/U+200C in family, given or full [400 SCHEMA_VIOLATION]
     e  real calendar dates and instants (section 5.3), handover present
        if and only if state is HANDOVER_SCHEDULED (section 4.4),
        attachment content of its size and SHA-256 [400 SCHEMA_VIOLATION]
     f  message_id = Gw-Message-Id [400 HEADER_MISMATCH], message_type
        fits the path [400 WRONG_ENDPOINT], sender = the certificate's
        agency and recipient = KH-CNP [403 AGENCY_MISMATCH]
)";
  program.samples_help =
      R"(  alert                 the ICD's alert example turned inbound: from
                        KH-CNP to CN-MPS, MISSING_PERSON, URGENT, H2,
                        origin KH-CNP, originator cnp-pp-inv-0031, one
                        VICTIM (Khmer name សាកល្បង ស្រីពៅ, Latin SAKALBANG
                        Srey Pov, born 2011-08-05), last seen 2 days ago in
                        Phnom Penh, narrative in Khmer and English;
                        alert_id CNP-AL-<year>-<6 digits>
  repatriation_request  examples/KH-CNP/repatriation-request-inbound
                        (victim CESHI Hua, passport, assessment in Khmer and
                        English) with request_id CNP-RQ-<year>-<4 digits>,
                        assessment 2 days ago, handover in 26 days
Default case_ref: KH-CNP-<year>-<4 digits>. Bodies are RFC 8785 (JCS).
)";
  program.example_listen = "127.0.0.1:7460";
  program.example_gateway = "127.0.0.1:7461";
  return program;
}

int RunKhCnpMock(const std::vector<std::string>& args, std::ostream& out,
                 std::ostream& err) {
  absl::StatusOr<std::unique_ptr<KhCnpFormat>> format = KhCnpFormat::Create();
  if (!format.ok()) {
    err << "kh-cnp-mock: " << format.status().message()
        << "; rebuild kh-cnp-mock (the schema is compiled in)." << std::endl;
    return http_mock::kExitUsage;
  }
  return http_mock::RunMockProgram(KhCnpProgram(), **format, args, out, err);
}

}  // namespace gw::kh_cnp_mock
