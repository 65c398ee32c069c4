// tools/partners/th_rtp_mock/th_layout.h
//
// The record layouts of ICD TH-RTP v1.1 (shared/partners/TH-RTP.md §3),
// written out from the ICD's tables for the mock partner, independently of
// adapters/. Each record type has one fixed length; its fields are listed
// in offset order, from REC_TYPE to EOL (TR: to SIGNATURE), and cover the
// record exactly (tests/unit/tools/partners/th_rtp_mock checks this).
//
// Guarantees: the tables are immutable static data; lookups never allocate.
// Thread safety: everything here is safe from any thread.
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_LAYOUT_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_LAYOUT_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace gw::th_rtp_mock {

// §3.4 field types.
enum class FieldType { kA, kT, kN, kNB, kD, kTS, kBin, kEol };

struct FieldSpec {
  const char* name;  // "SUBJ_SEQ"
  size_t offset;     // 0-based from the start of the record
  size_t length;     // bytes
  FieldType type;
  bool mandatory;  // M in the ICD's M/O column
};

struct RecordSpec {
  const char* type;  // "AL"
  size_t length;     // bytes, EOL included
  std::vector<FieldSpec> fields;
};

// Body length limits (§2.3).
inline constexpr size_t kMinBodyLength = 220;
inline constexpr size_t kMaxBodyLength = 1048576;
// Unanswered data frames per connection (§7).
inline constexpr int kWindow = 32;
// TR.SIGNATURE is the last 64 bytes of every body (§6).
inline constexpr size_t kSignatureLength = 64;
inline constexpr absl::string_view kSigAlg = "ED25519 ";
inline constexpr absl::string_view kFormatVersion = "01";
// NR.TEXT width: every part of a text but the last holds exactly this many
// bytes (§3.15, §5.4).
inline constexpr size_t kTextPartLength = 1000;
inline constexpr size_t kChunkLength = 4096;

// The layout of `type` ("AL", "SB", ...), or null for an unknown type.
const RecordSpec* FindRecordSpec(absl::string_view type);
// The field `name` of `spec`, or null.
const FieldSpec* FindField(const RecordSpec& spec, absl::string_view name);
// Every record type of the ICD, in the order of §3.1.
const std::vector<const RecordSpec*>& AllRecordSpecs();

// AL, RQ, RD, CS: a frame whose first record is one of them is a data frame.
bool IsDataHeader(absl::string_view type);
// AK, NK, HB.
bool IsControlHeader(absl::string_view type);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_TH_LAYOUT_H_
