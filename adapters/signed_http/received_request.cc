// adapters/signed_http/received_request.cc
//
// See received_request.h for the contract.
#include "adapters/signed_http/received_request.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/signed_http/http_refusal.h"

namespace gw::signed_http {
namespace {

absl::Status Refuse(int http_status, const char* code, std::string detail) {
  HttpRefusal refusal;
  refusal.http_status = http_status;
  refusal.code = code;
  refusal.detail = std::move(detail);
  return RefusalStatus(refusal);
}

// Our Abseil's string_view is its own type, not std::string_view.
absl::string_view Av(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

std::string_view TrimOws(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return value;
}

bool HasHeader(const Headers& headers, std::string_view name) {
  for (const auto& entry : headers) {
    if (absl::EqualsIgnoreCase(entry.first, Av(name))) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> SingleHeader(const Headers& headers,
                                        std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : headers) {
    if (!absl::EqualsIgnoreCase(key, Av(name))) continue;
    if (found.has_value()) return std::nullopt;
    found = std::string(TrimOws(value));
  }
  return found;
}

absl::StatusOr<CheckedRequest> CheckReceivedRequest(
    const adapters::PartnerMessage& received,
    const std::vector<Endpoint>& endpoints,
    const std::vector<std::string>& media_types,
    const HttpSignatureProfile& profile) {
  const Headers& headers = received.metadata;

  // Step 2: the endpoint, compared exactly (a query string is another
  // path, KH-CNP.md §2.2), then the method.
  const std::optional<std::string> path = SingleHeader(headers, ":path");
  const Endpoint* endpoint = nullptr;
  if (path.has_value()) {
    for (const Endpoint& candidate : endpoints) {
      if (candidate.path == *path) {
        endpoint = &candidate;
        break;
      }
    }
  }
  if (endpoint == nullptr) {
    return Refuse(404, "WRONG_ENDPOINT", "path: not an endpoint of this link");
  }
  const std::optional<std::string> method = SingleHeader(headers, ":method");
  if (!method.has_value() || *method != "POST") {
    return Refuse(405, "WRONG_ENDPOINT",
                  absl::StrCat("method: ", endpoint->path, " takes POST only"));
  }

  // Step 3: the body size (the transport did not read a larger body).
  if (HasHeader(headers, ":body-too-large")) {
    return Refuse(413, "PAYLOAD_TOO_LARGE", "body: larger than the limit");
  }

  // Step 4: the media type.
  const std::optional<std::string> content_type =
      SingleHeader(headers, "content-type");
  bool media_type_ok = false;
  if (content_type.has_value()) {
    for (const std::string& accepted : media_types) {
      if (absl::EqualsIgnoreCase(*content_type, accepted)) {
        media_type_ok = true;
        break;
      }
    }
  }
  if (!media_type_ok) {
    return Refuse(415, "UNSUPPORTED_MEDIA_TYPE",
                  "content-type: want exactly one of the link's media types");
  }
  if (HasHeader(headers, "content-encoding")) {
    return Refuse(415, "UNSUPPORTED_MEDIA_TYPE",
                  "content-encoding: not used on this link");
  }

  // Steps 5 to 10.
  const std::optional<std::string> target_uri =
      SingleHeader(headers, ":target-uri");
  if (!target_uri.has_value()) {
    // The transport always sets it (https_link.h); without it nothing
    // can be verified, and the fault is ours.
    HttpRefusal refusal;
    refusal.http_status = 500;
    refusal.code = "INTERNAL_ERROR";
    refusal.detail = "the request reached the codec without its target URI";
    return RefusalStatus(refusal);
  }
  absl::StatusOr<VerifiedSignature> signature =
      profile.VerifyRequest(*method, *target_uri, headers, received.bytes);
  if (!signature.ok()) return signature.status();

  CheckedRequest checked;
  checked.endpoint = endpoint;
  // VerifyRequest has made sure there is exactly one.
  checked.message_id = SingleHeader(headers, "gw-message-id").value_or("");
  checked.signature = *std::move(signature);
  return checked;
}

}  // namespace gw::signed_http
