// adapters/vn_mps/vn_http.cc
//
// See vn_http.h for the contract.
#include "adapters/vn_mps/vn_http.h"

#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gw::vn_mps {
namespace {

struct Spelled {
  const char* key;   // lowercase, as in the metadata
  const char* name;  // as the examples write it
};

void AppendHeaders(const adapters::Metadata& headers,
                   std::initializer_list<Spelled> names, size_t body_size,
                   std::string* out) {
  for (const Spelled& spelled : names) {
    if (absl::string_view(spelled.key) == "content-length") {
      absl::StrAppend(out, spelled.name, ": ", body_size, "\r\n");
      continue;
    }
    for (const auto& [key, value] : headers) {
      if (key == spelled.key)
        absl::StrAppend(out, spelled.name, ": ", value, "\r\n");
    }
  }
}

}  // namespace

absl::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string RequestEvidence(const adapters::PartnerMessage& request) {
  std::string out = absl::StrCat(
      OneHeader(request.metadata, ":method").value_or("POST"), " ",
      OneHeader(request.metadata, ":path").value_or("/"), " HTTP/1.1\r\n");
  AppendHeaders(request.metadata,
                {{"host", "Host"},
                 {"content-type", "Content-Type"},
                 {"content-length", "Content-Length"},
                 {"content-digest", "Content-Digest"},
                 {"gw-message-id", "Gw-Message-Id"},
                 {"signature-input", "Signature-Input"},
                 {"signature", "Signature"}},
                request.bytes.size(), &out);
  out.append("\r\n");
  out.append(request.bytes);
  return out;
}

std::string ResponseEvidence(int status, const adapters::Metadata& headers,
                             absl::string_view body) {
  std::string out = absl::StrCat("HTTP/1.1 ", status);
  const absl::string_view phrase = ReasonPhrase(status);
  if (!phrase.empty()) absl::StrAppend(&out, " ", phrase);
  out.append("\r\n");
  AppendHeaders(headers,
                {{"content-type", "Content-Type"},
                 {"content-length", "Content-Length"},
                 {"content-digest", "Content-Digest"},
                 {"gw-message-id", "Gw-Message-Id"},
                 {"signature-input", "Signature-Input"},
                 {"signature", "Signature"},
                 {"retry-after", "Retry-After"}},
                body.size(), &out);
  out.append("\r\n");
  absl::StrAppend(&out, body);
  return out;
}

std::optional<std::string> OneHeader(const adapters::Metadata& headers,
                                     absl::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : headers) {
    if (key != name) continue;
    if (found.has_value()) return std::nullopt;
    found = value;
  }
  return found;
}

std::optional<absl::Time> RetryAfter(const adapters::Metadata& headers,
                                     absl::Time now) {
  std::optional<std::string> value = OneHeader(headers, "retry-after");
  if (!value.has_value()) return std::nullopt;
  const absl::string_view text = absl::StripAsciiWhitespace(*value);
  uint32_t seconds = 0;
  if (!text.empty() &&
      absl::ascii_isdigit(static_cast<unsigned char>(text[0])) &&
      absl::SimpleAtoi(text, &seconds)) {
    return now + absl::Seconds(seconds);
  }
  absl::Time at;
  std::string error;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", std::string(text),
                      absl::UTCTimeZone(), &at, &error)) {
    return at;
  }
  return std::nullopt;
}

}  // namespace gw::vn_mps
