// tools/partners/th_rtp_mock/tls_client.h
//
// A blocking mutual-TLS client for TH-RTP frames, each step bounded by a
// timeout (ICD TH-RTP §2.1: connect 10 s, TLS handshake 10 s). Used by
// `th-rtp-mock send` and by tests that play the gateway against `serve`.
// After the handshake the server certificate must carry O=<peer agency>,
// OU=gateway and match the expected server name.
//
// Errors: UNAVAILABLE for connection and TLS failures, DEADLINE_EXCEEDED for
// timeouts, DATA_LOSS for a LEN outside 220..1,048,576; each message is a
// sentence fragment naming what failed.
// Thread safety: one thread at a time; the object owns its io_context.
#ifndef GW_TOOLS_PARTNERS_TH_RTP_MOCK_TLS_CLIENT_H_
#define GW_TOOLS_PARTNERS_TH_RTP_MOCK_TLS_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/partners/th_rtp_mock/tls.h"

namespace gw::th_rtp_mock {

class TlsClient {
 public:
  // INVALID_ARGUMENT "--flag FILE: ..." if a TLS file is unusable.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TlsClient>> Create(
      const TlsFiles& files);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  absl::Status Connect(const std::string& host, const std::string& port,
                       const std::string& server_name,
                       const std::string& peer_agency);
  // Writes raw bytes (normally LEN + body).
  absl::Status Write(const std::string& bytes,
                     std::chrono::milliseconds timeout);
  // The body of the next frame.
  absl::StatusOr<std::string> ReadFrame(std::chrono::milliseconds timeout);
  void Close();

 private:
  struct Impl;
  explicit TlsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gw::th_rtp_mock

#endif  // GW_TOOLS_PARTNERS_TH_RTP_MOCK_TLS_CLIENT_H_
