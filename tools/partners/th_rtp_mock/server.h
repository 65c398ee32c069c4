// tools/partners/th_rtp_mock/server.h
//
// `th-rtp-mock serve`: the TLS server the gateway connects to to deliver
// its outbound TH-RTP frames (ICD TH-RTP §2, §7). Per connection:
//  * mutual TLS (tls.h); the client certificate must be O=<peer agency>,
//    OU=gateway, else the connection is closed right after the handshake
//    (10 s handshake timeout);
//  * frames are read as LEN + body; a LEN outside 220..1,048,576 gets NK 100
//    and the connection is closed;
//  * data frames (any frame that is not AK/NK/HB) go through the window:
//    one that arrives while 32 are unanswered gets NK 902 at once, is not
//    decoded and not counted; the others are answered by the Receiver,
//    after `hold_answers` when set (which is what lets the window fill);
//  * an HB from the client is verified (an invalid one closes the
//    connection); an AK or NK from the client closes it (§2.1);
//  * an HB is sent after `heartbeat_interval` without sending anything; the
//    connection is closed after `dead_peer_timeout` without a complete
//    frame.
// Closing is graceful when possible: the answers already queued are sent,
// then the write side is shut and the rest of the peer's bytes drained, so
// the client can still read the last NK.
//
// Output (stdout): first "th-rtp-mock listening on HOST:PORT" (with --json:
// {"event":"listening","address":...}), then one line per data frame
// (FrameReport::ToLine / ToJson without personal data) and connection
// events. Errors of single connections go to stderr and never stop the
// server.
//
// Thread safety: Run() drives everything on one thread.
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_SERVER_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_SERVER_H_

#include <chrono>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "tools/partners/th_rtp_mock/receiver.h"
#include "tools/partners/th_rtp_mock/tls.h"

namespace gw::th_rtp_mock {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::string port = "0";  // 0: any free port (printed)
  TlsFiles tls;
  std::string peer_agency = "CN-MPS";
  std::chrono::milliseconds hold_answers{0};
  std::chrono::milliseconds heartbeat_interval{30000};
  std::chrono::milliseconds dead_peer_timeout{90000};
  bool json = false;
};

// Serves until SIGINT or SIGTERM (returns OK) or until the listening socket
// cannot be set up (UNAVAILABLE "cannot listen on HOST:PORT: ..."). TLS file
// problems: INVALID_ARGUMENT from ConfigureTls.
absl::Status RunServer(const ServerOptions& options, Receiver& receiver,
                       std::ostream& out, std::ostream& err);

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_SERVER_H_
