// tools/partners/la_mps_mock/la_writer.cc
#include "tools/partners/la_mps_mock/la_writer.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/status_macros.h"
#include "tools/partners/la_mps_mock/la_formats.h"
#include "tools/partners/la_mps_mock/la_schema.h"

namespace gw::la_mps_mock {

absl::StatusOr<std::string> EncodeAck(const AckContent& ack,
                                      const crypto::Signer& signer) {
  std::vector<Record> records = {
      {"format", kFormatName},
      {"message_type", "ACK"},
      {"message_id", ack.message_id},
      {"sender", ack.sender},
      {"recipient", ack.recipient},
      {"status", ack.status},
      {"payload_sha256", ack.payload_sha256},
      {"received_at", FormatTimestamp(ack.received_at)},
  };
  if (!ack.partner_ref.empty())
    records.push_back({"partner_ref", ack.partner_ref});
  for (size_t i = 0; i < ack.warnings.size(); ++i) {
    records.push_back(
        {absl::StrCat("warning.", i + 1, ".code"), ack.warnings[i].code});
    if (!ack.warnings[i].field.empty()) {
      records.push_back(
          {absl::StrCat("warning.", i + 1, ".field"), ack.warnings[i].field});
    }
  }
  if (!ack.error_code.empty())
    records.push_back({"error_code", ack.error_code});
  if (!ack.error_field.empty()) {
    records.push_back({"error_field", ack.error_field});
  }
  if (!ack.error_text.empty())
    records.push_back({"error_text", ack.error_text});
  records.push_back({"key_id", signer.key_id_hex()});
  std::string bytes = EncodeLaCsv(records);
  GW_ASSIGN_OR_RETURN(const std::string signature, signer.Sign(bytes));
  bytes += EncodeLaCsvRecord("signature", absl::Base64Escape(signature));
  return bytes;
}

absl::StatusOr<EncodedMessage> EncodeMessage(const MessageHeader& header,
                                             const std::vector<Record>& body,
                                             const crypto::Signer& signer) {
  std::vector<Record> records = {
      {"format", kFormatName},
      {"message_type", header.message_type},
      {"message_id", header.message_id},
      {"sender", header.sender},
      {"recipient", header.recipient},
      {"message_created_at", FormatTimestamp(header.created_at)},
      {"key_id", signer.key_id_hex()},
  };
  records.insert(records.end(), body.begin(), body.end());
  EncodedMessage out;
  out.csv = EncodeLaCsv(records);
  GW_ASSIGN_OR_RETURN(const std::string signature, signer.Sign(out.csv));
  out.sig = absl::StrCat(absl::Base64Escape(signature), "\n");
  out.done = absl::StrCat(crypto::Sha256Hex(out.csv), "  ", header.message_id,
                          ".csv\n", crypto::Sha256Hex(out.sig), "  ",
                          header.message_id, ".sig\n");
  return out;
}

std::vector<Record> MockAlertBody(const MockAlert& alert) {
  // A fictional missing Lao girl (shared/partners/README.md §4): the Lao
  // name given name first (LA-MPS.md §5.2), the Latin one as on Lao
  // identity documents, a partial date of birth (day unknown).
  return {
      {"alert_id", alert.alert_id},
      {"case_ref", alert.case_ref},
      {"kind", "MISSING_PERSON"},
      {"priority", "URGENT"},
      {"handling_code", "H1"},
      {"origin_agency", alert.origin_agency},
      {"originator", "la-inv-0007"},
      {"recipients.1", alert.recipient},
      {"subjects.1.role", "VICTIM"},
      {"subjects.1.person.names.1.script", "Laoo"},
      {"subjects.1.person.names.1.family", "ທົດລອງ"},
      {"subjects.1.person.names.1.given", "ມະລິ"},
      {"subjects.1.person.names.1.full", "ມະລິ ທົດລອງ"},
      {"subjects.1.person.names.2.script", "Latn"},
      {"subjects.1.person.names.2.family", "THOTLONG"},
      {"subjects.1.person.names.2.given", "Mali"},
      {"subjects.1.person.names.2.full", "Mali THOTLONG"},
      {"subjects.1.person.sex", "FEMALE"},
      {"subjects.1.person.date_of_birth", "00/08/2011"},
      {"subjects.1.person.age_estimate", "14"},
      {"subjects.1.person.nationality", "LAO"},
      {"last_seen.place", "Boten bus station, Luang Namtha"},
      {"last_seen.country", "LAO"},
      {"narrative.1.lang", "lo"},
      {"narrative.1.text",
       "ບັນທຶກທົດລອງ. ເດັກຍິງອາຍຸ 14 ປີ ຫາຍສາບສູນ; "
       "ຂໍ້ມູນບໍ່ແມ່ນຂໍ້ມູນຈິງ."},
      {"narrative.2.lang", "en"},
      {"narrative.2.text",
       "FICTIONAL TEST RECORD. Girl aged 14 missing from Luang Namtha; "
       "believed to have crossed into Yunnan with an adult male."},
      {"created_at", FormatTimestamp(alert.created_at)},
  };
}

std::vector<Record> MockRepatriationRequestBody(
    const MockRepatriationRequest& request) {
  // shared/partners/examples/LA-MPS/inbox/3a0fe15e-....csv: the return of a
  // fictional 15-year-old Chinese girl (测试花 / CESHI Hua).
  return {
      {"request_id", request.request_id},
      {"case_ref", request.case_ref},
      {"victim.names.1.script", "Hani"},
      {"victim.names.1.family", "测试"},
      {"victim.names.1.given", "花"},
      {"victim.names.1.full", "测试花"},
      {"victim.names.2.script", "Latn"},
      {"victim.names.2.family", "CESHI"},
      {"victim.names.2.given", "Hua"},
      {"victim.names.2.full", "CESHI Hua"},
      {"victim.sex", "FEMALE"},
      {"victim.date_of_birth", "20/11/2010"},
      {"victim.age_estimate", "15"},
      {"victim.nationality", "CHN"},
      {"requesting_agency", request.requesting_agency},
      {"receiving_agency", request.receiving_agency},
      {"identity_verified", "Y"},
      {"nationality_verified", "N"},
      {"travel_document.type", "PASSPORT"},
      {"travel_document.number", "E00000001"},
      {"travel_document.issuing_state", "CHN"},
      {"travel_document.expiry", "31/05/2030"},
      {"travel_document.mrz.1", "P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"},
      {"travel_document.mrz.2", "E000000019CHN1011201F3005316<<<<<<<<<<<<<<08"},
      {"guardian.tracing_result", "IN_PROGRESS"},
      {"guardian.notes.1.lang", "en"},
      {"guardian.notes.1.text",
       "Mother reported to live in Yunnan; family tracing requested from "
       "CN-MPS."},
      {"best_interests_assessment.outcome", "RETURN"},
      {"best_interests_assessment.completed_on", "12/03/2026"},
      {"best_interests_assessment.summary.1.lang", "lo"},
      {"best_interests_assessment.summary.1.text", "ເດັກຢາກກັບຄືນໄປຫາຄອບຄົວ"},
      {"best_interests_assessment.summary.2.lang", "en"},
      {"best_interests_assessment.summary.2.text",
       "The child wishes to return to her family."},
      {"proposed_handover.border_point",
       "Boten - Mohan international border checkpoint"},
      {"proposed_handover.date", FormatDate(request.handover_date)},
  };
}

}  // namespace gw::la_mps_mock
