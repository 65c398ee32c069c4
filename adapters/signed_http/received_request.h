// adapters/signed_http/received_request.h
//
// The checks every signed-HTTP receiver makes before it reads a body
// (KH-CNP.md §6.4 steps 2 to 10, VN-MPS.md §6), on a request as the HTTPS
// transport hands it over (adapters/transport/https_link.h, "Inbound
// request"). The link's codec supplies its endpoints and media types, then
// parses the body itself (step 11).
//
// Order and refusals (HttpRefusal on the status, no field, no message id):
//   2  ":path" is one of `endpoints` exactly (a query string or any other
//      path: 404 WRONG_ENDPOINT); ":method" is POST (405 WRONG_ENDPOINT);
//   3  ":body-too-large" absent (413 PAYLOAD_TOO_LARGE);
//   4  exactly one Content-Type, equal without regard to case to one of
//      `media_types`, and no Content-Encoding (415 UNSUPPORTED_MEDIA_TYPE);
//   5-10  HttpSignatureProfile::VerifyRequest over ":method",
//      ":target-uri", the headers and the body (no ":target-uri", which
//      the transport always sets: 500 INTERNAL_ERROR).
// Pseudo-entries and headers are read from received.metadata only
// (received.message_id and content_type are not consulted).
// Thread safety: pure apart from the profile's replay memory.
#ifndef GW_ADAPTERS_SIGNED_HTTP_RECEIVED_REQUEST_H_
#define GW_ADAPTERS_SIGNED_HTTP_RECEIVED_REQUEST_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/adapter.h"
#include "adapters/signed_http/http_signature.h"

namespace gw::signed_http {

// One inbound endpoint: the path and what it takes (the codec's own name,
// e.g. "alert" or "tip:CaseAlertMessage").
struct Endpoint {
  std::string path;
  std::string message_kind;
};

struct CheckedRequest {
  const Endpoint* endpoint = nullptr;  // points into `endpoints`
  std::string message_id;              // the single Gw-Message-Id
  VerifiedSignature signature;
};

// The value of header `name` (lowercase) when it occurs exactly once,
// without surrounding SP/HTAB.
std::optional<std::string> SingleHeader(const Headers& headers,
                                        std::string_view name);

[[nodiscard]] absl::StatusOr<CheckedRequest> CheckReceivedRequest(
    const adapters::PartnerMessage& received,
    const std::vector<Endpoint>& endpoints,
    const std::vector<std::string>& media_types,
    const HttpSignatureProfile& profile);

}  // namespace gw::signed_http

#endif  // GW_ADAPTERS_SIGNED_HTTP_RECEIVED_REQUEST_H_
