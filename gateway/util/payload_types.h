// gateway/util/payload_types.h
//
// The DSSE payload types of the canonical messages (CONTRACT.md §3): what
// envelope.payload_type says a payload is. One definition for the ingest
// pipeline and every partner codec, so that they cannot drift apart.
#ifndef GW_UTIL_PAYLOAD_TYPES_H_
#define GW_UTIL_PAYLOAD_TYPES_H_

namespace gw::util {

inline constexpr char kCaseAlertPayloadType[] =
    "application/vnd.gw.v1.CaseAlert+proto";
inline constexpr char kCaseStatusPayloadType[] =
    "application/vnd.gw.v1.CaseStatus+proto";
inline constexpr char kRepatriationRequestPayloadType[] =
    "application/vnd.gw.v1.RepatriationRequest+proto";
inline constexpr char kRepatriationRecordPayloadType[] =
    "application/vnd.gw.v1.RepatriationRecord+proto";

}  // namespace gw::util

#endif  // GW_UTIL_PAYLOAD_TYPES_H_
