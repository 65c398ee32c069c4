// adapters/kh_cnp/kh_http.cc
//
// See kh_http.h.
#include "adapters/kh_cnp/kh_http.h"

#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gw::kh_cnp {
namespace {

// The headers evidence keeps, in the order of the examples.
constexpr std::array<std::pair<const char*, const char*>, 5> kKeptHeaders = {{
    {"content-type", "Content-Type"},
    {"content-digest", "Content-Digest"},
    {"gw-message-id", "Gw-Message-Id"},
    {"signature-input", "Signature-Input"},
    {"signature", "Signature"},
}};

void AppendHeaders(const adapters::Metadata& metadata, absl::string_view body,
                   std::string* out) {
  auto append = [&](const char* name, const char* written) {
    for (const auto& [key, value] : metadata) {
      if (key == name) absl::StrAppend(out, written, ": ", value, "\r\n");
    }
  };
  append(kKeptHeaders[0].first, kKeptHeaders[0].second);
  absl::StrAppend(out, "Content-Length: ", body.size(), "\r\n");
  for (size_t i = 1; i < kKeptHeaders.size(); ++i) {
    append(kKeptHeaders[i].first, kKeptHeaders[i].second);
  }
  absl::StrAppend(out, "\r\n", body);
}

// "host[:port]" of "https://host[:port]/path".
std::string AuthorityOf(absl::string_view uri) {
  const size_t scheme = uri.find("://");
  if (scheme == absl::string_view::npos) return "";
  const absl::string_view rest = uri.substr(scheme + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

}  // namespace

std::optional<std::string> OneHeader(const adapters::Metadata& metadata,
                                     absl::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : metadata) {
    if (key != name) continue;
    if (found.has_value()) return std::nullopt;
    found = value;
  }
  return found;
}

adapters::Metadata HeadersOnly(const adapters::Metadata& metadata) {
  adapters::Metadata out;
  for (const auto& entry : metadata) {
    if (!entry.first.empty() && entry.first[0] != ':') out.push_back(entry);
  }
  return out;
}

std::string RequestEvidence(const adapters::PartnerMessage& request) {
  const std::string method =
      OneHeader(request.metadata, ":method").value_or("POST");
  const std::string path = OneHeader(request.metadata, ":path").value_or("");
  const std::string target =
      OneHeader(request.metadata, ":target-uri").value_or("");
  std::string out = absl::StrCat(
      method, " ", path, " HTTP/1.1\r\nHost: ", AuthorityOf(target), "\r\n");
  AppendHeaders(request.metadata, request.bytes, &out);
  return out;
}

std::string ResponseEvidence(int status, const adapters::Metadata& headers,
                             absl::string_view body) {
  std::string out =
      absl::StrCat("HTTP/1.1 ", status, " ", ReasonPhrase(status), "\r\n");
  AppendHeaders(headers, body, &out);
  return out;
}

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
      return "Status";
  }
}

std::optional<absl::Time> ParseRetryAfter(absl::string_view value,
                                          absl::Time now) {
  const std::string text(absl::StripAsciiWhitespace(value));
  if (text.empty()) return std::nullopt;
  if (absl::ascii_isdigit(static_cast<unsigned char>(text[0]))) {
    uint64_t seconds = 0;
    for (char c : text) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
        return std::nullopt;
      }
    }
    // Cap absurd values at a year: a Retry-After never parks a message for
    // ever (the operator alarm of README §2.4 still runs).
    if (!absl::SimpleAtoi(text, &seconds) || seconds > 366 * 24 * 3600) {
      seconds = 366 * 24 * 3600;
    }
    return now + absl::Seconds(static_cast<int64_t>(seconds));
  }
  // IMF-fixdate, RFC 850, asctime (RFC 9110 §5.6.7).
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT",
        "%a %b %e %H:%M:%S %Y"}) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &time, &error)) {
      return time;
    }
  }
  return std::nullopt;
}

}  // namespace gw::kh_cnp
