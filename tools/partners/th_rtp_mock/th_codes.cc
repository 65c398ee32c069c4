// tools/partners/th_rtp_mock/th_codes.cc
#include "tools/partners/th_rtp_mock/th_codes.h"

namespace gw::th_rtp_mock {
namespace {

struct CodeInfo {
  int code;
  const char* name;
  bool retryable;
  const char* text;
};

// The 302 text is the one of examples/TH-RTP/nak-inbound.
constexpr CodeInfo kCodes[] = {
    {100, "FRAME_LENGTH", false,
     "ความยาวเฟรมไม่ถูกต้อง / frame length out of range"},
    {101, "RECORD_STRUCTURE", false,
     "โครงสร้างระเบียนไม่ถูกต้อง / record structure invalid"},
    {102, "RECORD_ORDER", false,
     "ลำดับระเบียนไม่ถูกต้อง / record order or sequence invalid"},
    {103, "RECORD_COUNT", false,
     "จำนวนระเบียนไม่ตรงกัน / record count does not match"},
    {110, "UNSUPPORTED_VERSION", false,
     "ไม่รองรับรุ่นของรูปแบบนี้ / format version not supported"},
    {120, "INVALID_VALUE", false, "ค่าข้อมูลไม่ถูกต้อง / invalid value"},
    {121, "MISSING_VALUE", false, "ไม่มีข้อมูลที่จำเป็น / missing value"},
    {122, "INVALID_CHARACTER", false, "พบอักขระที่ไม่อนุญาต / invalid character"},
    {130, "WRONG_PARTY", false, "ผู้ส่งหรือผู้รับไม่ถูกต้อง / wrong party"},
    {131, "NOT_PERMITTED", false, "ไม่ได้รับอนุญาต / not permitted"},
    {201, "SIGNATURE_INVALID", false, "ลายมือชื่อไม่ถูกต้อง / signature invalid"},
    {202, "UNKNOWN_KEY", true, "ไม่รู้จักกุญแจที่ใช้ลงนาม / unknown signing key"},
    {301, "DUPLICATE_CONFLICT", false,
     "เลขข้อความซ้ำแต่เนื้อหาต่างกัน / message id already received with other "
     "content"},
    {302, "UNKNOWN_REFERENCE", false,
     "ไม่พบเลขอ้างอิงคดีนี้ / case reference not known"},
    {303, "WORKFLOW_STATE", false,
     "สถานะของงานไม่สอดคล้อง / does not fit the workflow state"},
    {900, "BUSY", true, "ระบบไม่ว่าง / receiver busy"},
    {901, "INTERNAL_ERROR", true, "ระบบขัดข้อง / internal error"},
    {902, "WINDOW_EXCEEDED", true, "มีเฟรมรอคำตอบเกินกำหนด / window exceeded"},
};

const CodeInfo* Find(int code) {
  for (const CodeInfo& info : kCodes) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

}  // namespace

bool IsKnownReasonCode(int code) { return Find(code) != nullptr; }

const char* ReasonName(int code) {
  const CodeInfo* info = Find(code);
  return info == nullptr ? "UNKNOWN" : info->name;
}

bool IsRetryable(int code) {
  const CodeInfo* info = Find(code);
  return info != nullptr && info->retryable;
}

std::string ReasonText(int code) {
  const CodeInfo* info = Find(code);
  return info == nullptr ? "error" : info->text;
}

}  // namespace gw::th_rtp_mock
