// tools/partners/http_mock/http_message.cc
#include "tools/partners/http_mock/http_message.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/partners/http_mock/views.h"

namespace gw::http_mock {
namespace {

struct Head {
  std::string start_line;
  HeaderList headers;
  std::string body;
};

absl::StatusOr<Head> SplitMessage(std::string_view text) {
  size_t head_end = text.find("\r\n\r\n");
  size_t body_start = head_end == std::string_view::npos ? 0 : head_end + 4;
  const size_t lf_end = text.find("\n\n");
  if (lf_end != std::string_view::npos &&
      (head_end == std::string_view::npos || lf_end < head_end)) {
    head_end = lf_end;
    body_start = lf_end + 2;
  }
  if (head_end == std::string_view::npos) {
    return absl::InvalidArgumentError(
        "no empty line between the header fields and the body");
  }
  Head head;
  head.body = std::string(text.substr(body_start));
  std::vector<absl::string_view> lines =
      absl::StrSplit(Av(text.substr(0, head_end)), '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line(lines[i].data(), lines[i].size());
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (i == 0) {
      head.start_line = std::string(line);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", i + 1, " is not a header field"));
    }
    head.headers.emplace_back(std::string(line.substr(0, colon)),
                              std::string(TrimOws(line.substr(colon + 1))));
  }
  const std::vector<std::string> length =
      HeaderValues(head.headers, "content-length");
  if (!length.empty()) {
    size_t expected = 0;
    if (length.size() != 1 || !absl::SimpleAtoi(length[0], &expected) ||
        expected != head.body.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Content-Length does not match the ", head.body.size(),
                       "-byte body"));
    }
  }
  return head;
}

}  // namespace

std::string_view TrimOws(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return value;
}

std::vector<std::string> HeaderValues(const HeaderList& headers,
                                      std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [field, value] : headers) {
    if (absl::EqualsIgnoreCase(field, Av(name))) {
      values.emplace_back(TrimOws(value));
    }
  }
  return values;
}

std::string ReasonPhrase(int status) {
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
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

absl::StatusOr<HttpRequest> ParseRequestText(std::string_view text) {
  absl::StatusOr<Head> head = SplitMessage(text);
  if (!head.ok()) return head.status();
  std::vector<std::string> parts = absl::StrSplit(head->start_line, ' ');
  if (parts.size() != 3 || !absl::StartsWith(parts[2], "HTTP/")) {
    return absl::InvalidArgumentError(
        "line 1 is not a request line (METHOD TARGET HTTP/1.1)");
  }
  HttpRequest request;
  request.method = parts[0];
  request.target = parts[1];
  request.headers = std::move(head->headers);
  request.body = std::move(head->body);
  return request;
}

absl::StatusOr<HttpResponse> ParseResponseText(std::string_view text) {
  absl::StatusOr<Head> head = SplitMessage(text);
  if (!head.ok()) return head.status();
  std::vector<std::string> parts =
      absl::StrSplit(head->start_line, absl::MaxSplits(' ', 2));
  HttpResponse response;
  if (parts.size() < 2 || !absl::StartsWith(parts[0], "HTTP/") ||
      parts[1].size() != 3 || !absl::SimpleAtoi(parts[1], &response.status)) {
    return absl::InvalidArgumentError(
        "line 1 is not a status line (HTTP/1.1 CODE REASON)");
  }
  response.reason = parts.size() == 3 ? parts[2] : "";
  response.headers = std::move(head->headers);
  response.body = std::move(head->body);
  return response;
}

}  // namespace gw::http_mock
