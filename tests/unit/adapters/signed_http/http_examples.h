// tests/unit/adapters/signed_http/http_examples.h
//
// The .http examples of shared/partners/examples/{KH-CNP,VN-MPS}: complete
// HTTP/1.1 messages (request or status line, headers, a blank line, the
// exact body) with CR LF or LF line ends, parsed for the signed-HTTP tests.
// Test support only: parse failures are test failures.
#ifndef GW_TESTS_UNIT_ADAPTERS_SIGNED_HTTP_HTTP_EXAMPLES_H_
#define GW_TESTS_UNIT_ADAPTERS_SIGNED_HTTP_HTTP_EXAMPLES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/signed_http/http_signature.h"

namespace gw::signed_http::testing {

struct HttpExample {
  std::string file;  // e.g. "KH-CNP/alert-outbound.http"
  bool is_request = false;
  std::string method;  // requests
  std::string path;    // requests
  int status = 0;      // responses
  Headers headers;     // names lowercased, values as written
  std::string body;
};

// Parses one whole message. INVALID_ARGUMENT naming what is wrong.
absl::StatusOr<HttpExample> ParseHttpExample(std::string_view bytes);

// The file's bytes; fails the test if it cannot be read.
std::string ReadExampleFile(const std::string& relative_path);

// "KH-CNP/....http" for every .http file under the partner's examples dir,
// sorted.
std::vector<std::string> HttpExampleFiles(const std::string& partner);

// The value of `name` if it occurs exactly once.
std::optional<std::string> HeaderOf(const Headers& headers,
                                    std::string_view name);

// The absolute target URI a request example was signed over: the base URI
// of the endpoint's owner (KH-CNP.md §2.1, VN-MPS.md §2.1) + the path.
std::string TargetUriOf(const HttpExample& request);

// The RFC 8032 test key (1: gateway, 2: partner) whose key id the
// example's Signature-Input names; 0 if neither.
int SigningTestKeyOf(const HttpExample& example);

}  // namespace gw::signed_http::testing

#endif  // GW_TESTS_UNIT_ADAPTERS_SIGNED_HTTP_HTTP_EXAMPLES_H_
