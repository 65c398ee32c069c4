// adapters/signed_http/http_refusal.cc
//
// See http_refusal.h for the contract. The payload is the six members of
// the HttpRefusal as netstrings ("<length>:<bytes>,"), so a detail or field
// may hold any byte (NUL, comma, colon) and still come back unchanged; a
// payload that does not parse exactly is ignored (HttpRefusalOf: nullopt).
#include "adapters/signed_http/http_refusal.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gateway/ingest/error_reason.h"

namespace gw::signed_http {
namespace {

// Retry-After the gateway gives with its own 429 and 503 (KH-CNP.md §2.3
// wants one on both): long enough for an overload or a restart to pass,
// short against the backoff ceiling of 300 s (partners/README.md §2.4).
constexpr int kGatewayRetryAfterSeconds = 30;

// The ICD's codes with the HTTP status each one has (KH-CNP.md §8;
// WRONG_ENDPOINT is 400 when the body does not fit the path, the only use
// a status without a path can mean).
struct CodeStatus {
  std::string_view code;
  int http_status;
};
constexpr CodeStatus kIcdCodes[] = {
    {"MALFORMED_JSON", 400},    {"MALFORMED_XML", 400},
    {"SCHEMA_VIOLATION", 400},  {"HEADER_MISMATCH", 400},
    {"WRONG_ENDPOINT", 400},    {"NOT_NFC", 400},
    {"SIGNATURE_MISSING", 401}, {"SIGNATURE_INVALID", 401},
    {"DIGEST_MISMATCH", 401},   {"SIGNATURE_EXPIRED", 401},
    {"UNKNOWN_KEY", 401},       {"AGENCY_MISMATCH", 403},
    {"NOT_A_RECIPIENT", 403},   {"DUPLICATE_ID_CONFLICT", 409},
    {"PAYLOAD_TOO_LARGE", 413}, {"UNSUPPORTED_MEDIA_TYPE", 415},
    {"UNKNOWN_REFERENCE", 422}, {"WORKFLOW_STATE", 422},
    {"RATE_LIMITED", 429},      {"INTERNAL_ERROR", 500},
    {"UNAVAILABLE", 503},
};

// Ingest reasons (gateway/ingest/pipeline.h) that say the message's content
// is wrong: the ICD's SCHEMA_VIOLATION.
constexpr std::string_view kPayloadReasons[] = {
    "FIELD_INVALID", "PAYLOAD_UNPARSEABLE", "UNKNOWN_PAYLOAD_TYPE"};

absl::StatusCode StatusCodeFor(const HttpRefusal& refusal) {
  const int http = refusal.http_status;
  if (IsTransientCode(refusal.code) || http == 429 || http >= 500) {
    return absl::StatusCode::kUnavailable;
  }
  switch (http) {
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 409:
      return absl::StatusCode::kAlreadyExists;
    case 413:
      return absl::StatusCode::kResourceExhausted;
    case 422:
      return refusal.code == "UNKNOWN_REFERENCE"
                 ? absl::StatusCode::kNotFound
                 : absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInvalidArgument;
  }
}

void AppendNetstring(std::string_view value, std::string* out) {
  absl::StrAppend(out, value.size(), ":");
  out->append(value.data(), value.size());
  out->push_back(',');
}

// Reads one netstring from the front of `*in`; false if there is none.
bool ReadNetstring(std::string_view* in, std::string* value) {
  const size_t colon = in->find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 10) {
    return false;
  }
  size_t length = 0;
  for (char c : in->substr(0, colon)) {
    if (c < '0' || c > '9') return false;
    length = length * 10 + static_cast<size_t>(c - '0');
  }
  const std::string_view rest = in->substr(colon + 1);
  if (rest.size() < length + 1 || rest[length] != ',') return false;
  value->assign(rest.data(), length);
  in->remove_prefix(colon + 1 + length + 1);
  return true;
}

HttpRefusal Refusal(int http_status, std::string code, std::string detail,
                    int retry_after_seconds = 0) {
  HttpRefusal refusal;
  refusal.http_status = http_status;
  refusal.code = std::move(code);
  refusal.detail = std::move(detail);
  refusal.retry_after_seconds = retry_after_seconds;
  return refusal;
}

int RetryAfterFor(int http_status) {
  return http_status == 429 || http_status == 503 ? kGatewayRetryAfterSeconds
                                                  : 0;
}

}  // namespace

bool IsTransientCode(std::string_view code) {
  return code == "SIGNATURE_EXPIRED" || code == "UNKNOWN_KEY" ||
         code == "RATE_LIMITED" || code == "INTERNAL_ERROR" ||
         code == "UNAVAILABLE";
}

absl::Status RefusalStatus(const HttpRefusal& refusal) {
  std::string message = refusal.code;
  if (!refusal.field.empty()) absl::StrAppend(&message, " ", refusal.field);
  absl::StrAppend(&message, ": ", refusal.detail);
  absl::Status status = ingest::WithReason(
      absl::Status(StatusCodeFor(refusal), message), refusal.code);
  std::string payload;
  AppendNetstring(absl::StrCat(refusal.http_status), &payload);
  AppendNetstring(refusal.code, &payload);
  AppendNetstring(refusal.field, &payload);
  AppendNetstring(refusal.detail, &payload);
  AppendNetstring(refusal.message_id, &payload);
  AppendNetstring(absl::StrCat(refusal.retry_after_seconds), &payload);
  status.SetPayload(kHttpRefusalPayloadUrl, absl::Cord(payload));
  return status;
}

std::optional<HttpRefusal> HttpRefusalOf(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  const auto payload = status.GetPayload(kHttpRefusalPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  const std::string flat(*payload);
  std::string_view in = flat;
  std::string http_status, retry_after;
  HttpRefusal refusal;
  if (!ReadNetstring(&in, &http_status) || !ReadNetstring(&in, &refusal.code) ||
      !ReadNetstring(&in, &refusal.field) ||
      !ReadNetstring(&in, &refusal.detail) ||
      !ReadNetstring(&in, &refusal.message_id) ||
      !ReadNetstring(&in, &retry_after) || !in.empty()) {
    return std::nullopt;
  }
  if (!absl::SimpleAtoi(http_status, &refusal.http_status) ||
      !absl::SimpleAtoi(retry_after, &refusal.retry_after_seconds)) {
    return std::nullopt;
  }
  return refusal;
}

HttpRefusal MapGatewayRefusal(const absl::Status& status) {
  if (std::optional<HttpRefusal> carried = HttpRefusalOf(status)) {
    return *std::move(carried);
  }
  // One line: the status message names fields and rules (never values),
  // but may span lines.
  std::string detail = absl::StrReplaceAll(
      status.message(), {{"\r\n", " "}, {"\n", " "}, {"\r", " "}});
  const std::string reason = ingest::ReasonOf(status);

  if (reason == "DUPLICATE_ID_CONFLICT") {
    return Refusal(409, reason, std::move(detail));
  }
  if (reason == "NOT_A_RECIPIENT") {
    return Refusal(403, reason, std::move(detail));
  }
  if (reason == "AUTHOR_AGENCY_MISMATCH") {
    return Refusal(403, "AGENCY_MISMATCH", std::move(detail));
  }
  if (reason == "SIGNATURE_INVALID" || reason == "UNKNOWN_KEY") {
    return Refusal(401, reason, std::move(detail));
  }
  if (reason == "UNKNOWN_REFERENCE" || reason == "WORKFLOW_STATE") {
    return Refusal(422, reason, std::move(detail));
  }
  if (reason == "MISSING_MESSAGE_ID") {
    // The pipeline's check of Gw-Message-Id (not a lowercase UUID).
    return Refusal(400, "HEADER_MISMATCH", std::move(detail));
  }
  for (const CodeStatus& known : kIcdCodes) {
    // A reason that already is one of the ICD's codes (e.g. a codec's
    // refusal whose payload was lost on the way) keeps its code.
    if (reason == known.code) {
      return Refusal(known.http_status, reason, std::move(detail),
                     RetryAfterFor(known.http_status));
    }
  }
  for (std::string_view payload_reason : kPayloadReasons) {
    if (reason == payload_reason) {
      return Refusal(400, "SCHEMA_VIOLATION", std::move(detail));
    }
  }

  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return Refusal(400, "SCHEMA_VIOLATION", std::move(detail));
    case absl::StatusCode::kPermissionDenied:
      return Refusal(403, "NOT_A_RECIPIENT", std::move(detail));
    case absl::StatusCode::kUnauthenticated:
      return Refusal(401, "SIGNATURE_INVALID", std::move(detail));
    case absl::StatusCode::kAlreadyExists:
      return Refusal(409, "DUPLICATE_ID_CONFLICT", std::move(detail));
    case absl::StatusCode::kNotFound:
      return Refusal(422, "UNKNOWN_REFERENCE", std::move(detail));
    case absl::StatusCode::kFailedPrecondition:
      return Refusal(422, "WORKFLOW_STATE", std::move(detail));
    case absl::StatusCode::kResourceExhausted:
      return Refusal(429, "RATE_LIMITED", std::move(detail),
                     kGatewayRetryAfterSeconds);
    case absl::StatusCode::kUnavailable:
      return Refusal(503, "UNAVAILABLE", std::move(detail),
                     kGatewayRetryAfterSeconds);
    default:
      return Refusal(500, "INTERNAL_ERROR", std::move(detail));
  }
}

bool IsRetriedRefusal(int http_status, std::string_view code) {
  return http_status >= 500 || http_status == 429 || IsTransientCode(code);
}

}  // namespace gw::signed_http
