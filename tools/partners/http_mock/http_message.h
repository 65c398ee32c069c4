// tools/partners/http_mock/http_message.h
//
// Plain HTTP/1.1 messages as the mock partners see them: a request or a
// response with its header fields in the order they came (names as
// written; several fields of one name kept apart, because the ICDs' checks
// count them: KH-CNP.md §6.4 steps 4-6) and the exact body bytes.
//
// Also reads the ICD example files (examples/*/*.http): start line, header
// lines, an empty line, then the body exactly as signed. Line ends in the
// head may be CRLF or LF; the body is everything after the empty line and
// must be Content-Length bytes long when that header is present.
//
// Errors: INVALID_ARGUMENT naming the line that does not parse.
// Thread safety: plain values and pure functions.
#ifndef GW_TOOLS_PARTNERS_HTTP_MOCK_HTTP_MESSAGE_H_
#define GW_TOOLS_PARTNERS_HTTP_MOCK_HTTP_MESSAGE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace gw::http_mock {

// (name, value) in arrival order; values as received (not trimmed).
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "POST"
  std::string target;  // request-target as sent: "/cnp/v1/alerts"
  HeaderList headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string reason;  // "Accepted"; informational only
  HeaderList headers;
  std::string body;
};

// `value` without leading and trailing SP and HTAB (RFC 9110 OWS), as
// RFC 9421 §2.1 takes header values.
std::string_view TrimOws(std::string_view value);

// Every value of the fields named `name` (compared without regard to
// case), trimmed, in order.
std::vector<std::string> HeaderValues(const HeaderList& headers,
                                      std::string_view name);

// The reason phrase of the statuses the ICDs use ("Accepted", "Conflict",
// ...); "Status" for others.
std::string ReasonPhrase(int status);

[[nodiscard]] absl::StatusOr<HttpRequest> ParseRequestText(
    std::string_view text);
[[nodiscard]] absl::StatusOr<HttpResponse> ParseResponseText(
    std::string_view text);

}  // namespace gw::http_mock

#endif  // GW_TOOLS_PARTNERS_HTTP_MOCK_HTTP_MESSAGE_H_
