// tools/partners/th_rtp_mock/help_text.h
//
// The help texts of th-rtp-mock (its whole user documentation).
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_HELP_TEXT_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_HELP_TEXT_H_

namespace gw::th_rtp_mock {

extern const char kTopHelp[];
extern const char kServeHelp[];
extern const char kSendHelp[];

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_HELP_TEXT_H_
