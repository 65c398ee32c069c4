// tools/partners/th_rtp_mock/th_layout.cc
//
// Transcribed from the tables of TH-RTP.md §3.6-§3.18. Keep each table in
// the ICD's row order so a reviewer can compare them line by line.
#include "tools/partners/th_rtp_mock/th_layout.h"

namespace gw::th_rtp_mock {
namespace {

using T = FieldType;
constexpr bool M = true;
constexpr bool O = false;

// The 74-byte prefix shared by the seven header records (§3.5).
std::vector<FieldSpec> HeaderPrefix() {
  return {
      {"REC_TYPE", 0, 2, T::kA, M},    {"FMT_VERSION", 2, 2, T::kN, M},
      {"MESSAGE_ID", 4, 36, T::kA, M}, {"SENDER", 40, 10, T::kA, M},
      {"RECIPIENT", 50, 10, T::kA, M}, {"CREATED_AT", 60, 14, T::kTS, M},
  };
}

RecordSpec Header(const char* type, size_t length,
                  std::vector<FieldSpec> rest) {
  RecordSpec spec{type, length, HeaderPrefix()};
  spec.fields.insert(spec.fields.end(), rest.begin(), rest.end());
  return spec;
}

std::vector<RecordSpec>* MakeSpecs() {
  auto* specs = new std::vector<RecordSpec>();
  specs->push_back(Header("AL", 528,
                          {
                              {"ALERT_ID", 74, 64, T::kA, M},
                              {"CASE_REF", 138, 64, T::kA, M},
                              {"KIND", 202, 20, T::kA, M},
                              {"PRIORITY", 222, 8, T::kA, M},
                              {"HANDLING_CODE", 230, 2, T::kA, M},
                              {"ORIGIN_AGENCY", 232, 10, T::kA, M},
                              {"ORIGINATOR", 242, 64, T::kT, M},
                              {"RECIPIENTS", 306, 80, T::kA, M},
                              {"LAST_SEEN_AT", 386, 14, T::kTS, O},
                              {"LAST_SEEN_PLACE", 400, 120, T::kT, O},
                              {"LAST_SEEN_COUNTRY", 520, 3, T::kA, O},
                              {"NARR_OMITTED", 523, 2, T::kN, M},
                              {"TEXT_SUBST", 525, 1, T::kA, M},
                              {"EOL", 526, 2, T::kEol, O},
                          }));
  specs->push_back(Header("RQ", 387,
                          {
                              {"REQUEST_ID", 74, 64, T::kA, M},
                              {"CASE_REF", 138, 64, T::kA, M},
                              {"REQUESTING_AGENCY", 202, 10, T::kA, M},
                              {"RECEIVING_AGENCY", 212, 10, T::kA, M},
                              {"IDENTITY_VERIFIED", 222, 1, T::kA, M},
                              {"NATIONALITY_VERIFIED", 223, 1, T::kA, M},
                              {"TRACING_RESULT", 224, 12, T::kA, M},
                              {"BIA_OUTCOME", 236, 12, T::kA, M},
                              {"BIA_DATE", 248, 8, T::kD, O},
                              {"HANDOVER_POINT", 256, 120, T::kT, O},
                              {"HANDOVER_DATE", 376, 8, T::kD, O},
                              {"TEXT_SUBST", 384, 1, T::kA, M},
                              {"EOL", 385, 2, T::kEol, O},
                          }));
  specs->push_back(Header("RD", 377,
                          {
                              {"REQUEST_ID", 74, 64, T::kA, M},
                              {"CASE_REF", 138, 64, T::kA, M},
                              {"STATE", 202, 20, T::kA, M},
                              {"DECIDED_BY", 222, 10, T::kA, M},
                              {"DECIDED_AT", 232, 14, T::kTS, M},
                              {"HANDOVER_POINT", 246, 120, T::kT, O},
                              {"HANDOVER_DATE", 366, 8, T::kD, O},
                              {"TEXT_SUBST", 374, 1, T::kA, M},
                              {"EOL", 375, 2, T::kEol, O},
                          }));
  specs->push_back(Header("CS", 261,
                          {
                              {"CASE_REF", 74, 64, T::kA, M},
                              {"OWNER_AGENCY", 138, 10, T::kA, M},
                              {"STATE", 148, 16, T::kA, M},
                              {"UPDATED_AT", 164, 14, T::kTS, M},
                              {"SHARED_WITH", 178, 80, T::kA, O},
                              {"TEXT_SUBST", 258, 1, T::kA, M},
                              {"EOL", 259, 2, T::kEol, O},
                          }));
  specs->push_back(Header("AK", 221,
                          {
                              {"ACK_MESSAGE_ID", 74, 36, T::kA, M},
                              {"ACK_BODY_SHA256", 110, 64, T::kA, M},
                              {"RECEIVED_AT", 174, 14, T::kTS, M},
                              {"DUPLICATE", 188, 1, T::kA, M},
                              {"PARTNER_REF", 189, 30, T::kA, O},
                              {"EOL", 219, 2, T::kEol, O},
                          }));
  specs->push_back(Header("NK", 424,
                          {
                              {"NAK_MESSAGE_ID", 74, 36, T::kA, O},
                              {"NAK_BODY_SHA256", 110, 64, T::kA, O},
                              {"RECEIVED_AT", 174, 14, T::kTS, M},
                              {"REASON_CODE", 188, 3, T::kN, M},
                              {"RETRYABLE", 191, 1, T::kA, M},
                              {"RECORD_NO", 192, 6, T::kN, M},
                              {"FIELD_NAME", 198, 24, T::kA, O},
                              {"REASON_TEXT", 222, 200, T::kT, M},
                              {"EOL", 422, 2, T::kEol, O},
                          }));
  specs->push_back(Header("HB", 76, {{"EOL", 74, 2, T::kEol, O}}));
  specs->push_back({"SB",
                    512,
                    {
                        {"REC_TYPE", 0, 2, T::kA, M},
                        {"SUBJ_SEQ", 2, 3, T::kN, M},
                        {"ROLE", 5, 8, T::kA, M},
                        {"SEX", 13, 1, T::kA, M},
                        {"BIRTH_DATE", 14, 8, T::kD, O},
                        {"AGE_ESTIMATE", 22, 3, T::kNB, O},
                        {"NATIONALITY", 25, 3, T::kA, O},
                        {"TH_GIVEN", 28, 60, T::kT, O},
                        {"TH_FAMILY", 88, 60, T::kT, O},
                        {"TH_FULL", 148, 120, T::kT, O},
                        {"LATN_GIVEN", 268, 60, T::kA, O},
                        {"LATN_FAMILY", 328, 60, T::kA, O},
                        {"LATN_FULL", 388, 120, T::kA, O},
                        {"NAME_FLAG", 508, 1, T::kA, M},
                        {"TRUNCATED", 509, 1, T::kA, M},
                        {"EOL", 510, 2, T::kEol, O},
                    }});
  specs->push_back({"DO",
                    199,
                    {
                        {"REC_TYPE", 0, 2, T::kA, M},
                        {"SUBJ_SEQ", 2, 3, T::kN, M},
                        {"DOC_SEQ", 5, 2, T::kN, M},
                        {"DOC_USE", 7, 1, T::kA, M},
                        {"DOC_TYPE", 8, 16, T::kA, M},
                        {"DOC_NUMBER", 24, 30, T::kA, M},
                        {"ISSUING_STATE", 54, 3, T::kA, O},
                        {"EXPIRY", 57, 8, T::kD, O},
                        {"MRZ_1", 65, 44, T::kA, O},
                        {"MRZ_2", 109, 44, T::kA, O},
                        {"MRZ_3", 153, 44, T::kA, O},
                        {"EOL", 197, 2, T::kEol, O},
                    }});
  specs->push_back({"NR",
                    1028,
                    {
                        {"REC_TYPE", 0, 2, T::kA, M},
                        {"TOPIC", 2, 4, T::kA, M},
                        {"TEXT_SEQ", 6, 2, T::kN, M},
                        {"PART_SEQ", 8, 3, T::kN, M},
                        {"PART_COUNT", 11, 3, T::kN, M},
                        {"LANG", 14, 12, T::kA, M},
                        {"TEXT", 26, 1000, T::kT, M},
                        {"EOL", 1026, 2, T::kEol, O},
                    }});
  specs->push_back({"AT",
                    245,
                    {
                        {"REC_TYPE", 0, 2, T::kA, M},
                        {"ATT_SEQ", 2, 2, T::kN, M},
                        {"NAME", 4, 100, T::kT, M},
                        {"MEDIA_TYPE", 104, 60, T::kA, M},
                        {"SIZE", 164, 10, T::kN, M},
                        {"SHA256", 174, 64, T::kA, M},
                        {"INCLUDED", 238, 1, T::kA, M},
                        {"CHUNK_COUNT", 239, 4, T::kN, M},
                        {"EOL", 243, 2, T::kEol, O},
                    }});
  specs->push_back({"AD",
                    4110,
                    {
                        {"REC_TYPE", 0, 2, T::kA, M},
                        {"ATT_SEQ", 2, 2, T::kN, M},
                        {"CHUNK_SEQ", 4, 4, T::kN, M},
                        {"CHUNK_LEN", 8, 4, T::kN, M},
                        {"DATA", 12, 4096, T::kBin, M},
                        {"EOL", 4108, 2, T::kEol, O},
                    }});
  specs->push_back({"TR",
                    144,
                    {
                        {"REC_TYPE", 0, 2, T::kA, M},
                        {"RECORD_COUNT", 2, 6, T::kN, M},
                        {"KEY_ID", 8, 64, T::kA, M},
                        {"SIG_ALG", 72, 8, T::kA, M},
                        {"SIGNATURE", 80, 64, T::kBin, M},
                    }});
  return specs;
}

const std::vector<RecordSpec>& Specs() {
  static const std::vector<RecordSpec>* specs = MakeSpecs();
  return *specs;
}

}  // namespace

const RecordSpec* FindRecordSpec(absl::string_view type) {
  for (const RecordSpec& spec : Specs()) {
    if (type == spec.type) return &spec;
  }
  return nullptr;
}

const FieldSpec* FindField(const RecordSpec& spec, absl::string_view name) {
  for (const FieldSpec& field : spec.fields) {
    if (name == field.name) return &field;
  }
  return nullptr;
}

const std::vector<const RecordSpec*>& AllRecordSpecs() {
  static const auto* all = [] {
    auto* list = new std::vector<const RecordSpec*>();
    for (const RecordSpec& spec : Specs()) list->push_back(&spec);
    return list;
  }();
  return *all;
}

bool IsDataHeader(absl::string_view type) {
  return type == "AL" || type == "RQ" || type == "RD" || type == "CS";
}

bool IsControlHeader(absl::string_view type) {
  return type == "AK" || type == "NK" || type == "HB";
}

}  // namespace gw::th_rtp_mock
