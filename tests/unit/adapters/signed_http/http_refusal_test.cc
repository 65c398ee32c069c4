// tests/unit/adapters/signed_http/http_refusal_test.cc
//
// Refusals on a status (adapters/signed_http/http_refusal.h): the payload
// survives any bytes, the status code follows the ICD's class, the ingest
// reason is the code; the pipeline's reasons and codes map to the ICD's
// (KH-CNP.md §8); what a sender retries (KH-CNP.md §7).
#include "adapters/signed_http/http_refusal.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "gateway/ingest/error_reason.h"
#include "gtest/gtest.h"

namespace gw::signed_http {
namespace {

HttpRefusal Make(int http_status, std::string code, std::string field = "",
                 std::string detail = "d") {
  HttpRefusal refusal;
  refusal.http_status = http_status;
  refusal.code = std::move(code);
  refusal.field = std::move(field);
  refusal.detail = std::move(detail);
  return refusal;
}

TEST(HttpRefusalTest, TravelsOnTheStatusUnchangedWhateverItsBytes) {
  HttpRefusal refusal;
  refusal.http_status = 400;
  refusal.code = "SCHEMA_VIOLATION";
  refusal.field = "/alert/subjects/0/person/names/1/full";
  refusal.detail = std::string("a,b:c\0d\n12:x,\xe1\x9e\x80 ", 17);
  refusal.message_id = "a8d6fcb5-bf2e-5b83-ab6e-0133ca1c180c";
  refusal.retry_after_seconds = 7;
  const absl::Status status = RefusalStatus(refusal);
  ASSERT_FALSE(status.ok());
  const std::optional<HttpRefusal> back = HttpRefusalOf(status);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->http_status, 400);
  EXPECT_EQ(back->code, refusal.code);
  EXPECT_EQ(back->field, refusal.field);
  EXPECT_EQ(back->detail, refusal.detail);
  EXPECT_EQ(back->message_id, refusal.message_id);
  EXPECT_EQ(back->retry_after_seconds, 7);

  // Empty members too.
  const std::optional<HttpRefusal> empty =
      HttpRefusalOf(RefusalStatus(Make(404, "WRONG_ENDPOINT", "", "")));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->field, "");
  EXPECT_EQ(empty->detail, "");
  EXPECT_EQ(empty->retry_after_seconds, 0);
}

TEST(HttpRefusalTest, MessageNamesCodeFieldAndDetail) {
  EXPECT_EQ(RefusalStatus(Make(400, "SCHEMA_VIOLATION", "/alert/kind",
                               "not an enumeration name"))
                .message(),
            "SCHEMA_VIOLATION /alert/kind: not an enumeration name");
  EXPECT_EQ(RefusalStatus(Make(415, "UNSUPPORTED_MEDIA_TYPE", "", "no type"))
                .message(),
            "UNSUPPORTED_MEDIA_TYPE: no type");
}

TEST(HttpRefusalTest, NoRefusalOnOtherStatuses) {
  EXPECT_FALSE(HttpRefusalOf(absl::OkStatus()).has_value());
  EXPECT_FALSE(HttpRefusalOf(absl::InvalidArgumentError("x")).has_value());
  for (const char* bad :
       {"", "3:400,", "x:400,16:SCHEMA_VIOLATION,0:,0:,0:,1:0,",
        "3:400,16:SCHEMA_VIOLATION,0:,0:,0:,1:0,extra",
        "3:abc,1:X,0:,0:,0:,1:0,"}) {
    absl::Status status = absl::InvalidArgumentError("x");
    status.SetPayload(kHttpRefusalPayloadUrl, absl::Cord(bad));
    EXPECT_FALSE(HttpRefusalOf(status).has_value()) << bad;
  }
}

struct ClassCase {
  int http_status;
  const char* code;
  absl::StatusCode expected;
};

TEST(HttpRefusalTest, StatusCodeFollowsTheClassAndReasonIsTheCode) {
  const std::vector<ClassCase> cases = {
      {400, "MALFORMED_JSON", absl::StatusCode::kInvalidArgument},
      {400, "MALFORMED_XML", absl::StatusCode::kInvalidArgument},
      {400, "SCHEMA_VIOLATION", absl::StatusCode::kInvalidArgument},
      {400, "HEADER_MISMATCH", absl::StatusCode::kInvalidArgument},
      {400, "WRONG_ENDPOINT", absl::StatusCode::kInvalidArgument},
      {404, "WRONG_ENDPOINT", absl::StatusCode::kInvalidArgument},
      {405, "WRONG_ENDPOINT", absl::StatusCode::kInvalidArgument},
      {415, "UNSUPPORTED_MEDIA_TYPE", absl::StatusCode::kInvalidArgument},
      {401, "SIGNATURE_MISSING", absl::StatusCode::kUnauthenticated},
      {401, "SIGNATURE_INVALID", absl::StatusCode::kUnauthenticated},
      {401, "DIGEST_MISMATCH", absl::StatusCode::kUnauthenticated},
      {401, "SIGNATURE_EXPIRED", absl::StatusCode::kUnavailable},
      {401, "UNKNOWN_KEY", absl::StatusCode::kUnavailable},
      {403, "AGENCY_MISMATCH", absl::StatusCode::kPermissionDenied},
      {403, "NOT_A_RECIPIENT", absl::StatusCode::kPermissionDenied},
      {409, "DUPLICATE_ID_CONFLICT", absl::StatusCode::kAlreadyExists},
      {413, "PAYLOAD_TOO_LARGE", absl::StatusCode::kResourceExhausted},
      {422, "UNKNOWN_REFERENCE", absl::StatusCode::kNotFound},
      {422, "WORKFLOW_STATE", absl::StatusCode::kFailedPrecondition},
      {429, "RATE_LIMITED", absl::StatusCode::kUnavailable},
      {500, "INTERNAL_ERROR", absl::StatusCode::kUnavailable},
      {503, "UNAVAILABLE", absl::StatusCode::kUnavailable},
  };
  for (const ClassCase& c : cases) {
    SCOPED_TRACE(c.code);
    const absl::Status status = RefusalStatus(Make(c.http_status, c.code));
    EXPECT_EQ(status.code(), c.expected) << status;
    EXPECT_EQ(ingest::ReasonOf(status), c.code);
  }
}

TEST(HttpRefusalTest, TransientCodesAreThoseOfTheIcd) {
  for (const char* code : {"SIGNATURE_EXPIRED", "UNKNOWN_KEY", "RATE_LIMITED",
                           "INTERNAL_ERROR", "UNAVAILABLE"}) {
    EXPECT_TRUE(IsTransientCode(code)) << code;
  }
  for (const char* code :
       {"MALFORMED_JSON", "MALFORMED_XML", "SCHEMA_VIOLATION",
        "HEADER_MISMATCH", "WRONG_ENDPOINT", "NOT_NFC", "SIGNATURE_MISSING",
        "SIGNATURE_INVALID", "DIGEST_MISMATCH", "AGENCY_MISMATCH",
        "NOT_A_RECIPIENT", "DUPLICATE_ID_CONFLICT", "PAYLOAD_TOO_LARGE",
        "UNSUPPORTED_MEDIA_TYPE", "UNKNOWN_REFERENCE", "WORKFLOW_STATE", "",
        "unknown_key"}) {
    EXPECT_FALSE(IsTransientCode(code)) << code;
  }
}

struct RetryCase {
  int http_status;
  const char* code;
  bool retried;
};

TEST(HttpRefusalTest, SenderRetriesServerErrorsRateLimitsAndTransientCodes) {
  const std::vector<RetryCase> cases = {
      {401, "SIGNATURE_EXPIRED", true},
      {401, "UNKNOWN_KEY", true},
      {429, "RATE_LIMITED", true},
      {429, "", true},
      {500, "INTERNAL_ERROR", true},
      {502, "", true},
      {503, "UNAVAILABLE", true},
      {504, "SCHEMA_VIOLATION", true},
      {400, "MALFORMED_JSON", false},
      {400, "SCHEMA_VIOLATION", false},
      {400, "HEADER_MISMATCH", false},
      {400, "NOT_NFC", false},
      {401, "SIGNATURE_MISSING", false},
      {401, "SIGNATURE_INVALID", false},
      {401, "DIGEST_MISMATCH", false},
      {403, "AGENCY_MISMATCH", false},
      {403, "NOT_A_RECIPIENT", false},
      {404, "WRONG_ENDPOINT", false},
      {405, "WRONG_ENDPOINT", false},
      {409, "DUPLICATE_ID_CONFLICT", false},
      {413, "PAYLOAD_TOO_LARGE", false},
      {415, "UNSUPPORTED_MEDIA_TYPE", false},
      {422, "UNKNOWN_REFERENCE", false},
      {422, "WORKFLOW_STATE", false},
      {400, "", false},
  };
  for (const RetryCase& c : cases) {
    EXPECT_EQ(IsRetriedRefusal(c.http_status, c.code), c.retried)
        << c.http_status << " " << c.code;
  }
}

struct MapCase {
  const char* name;
  absl::Status status;
  int http_status;
  const char* code;
  int retry_after_seconds;
};

TEST(MapGatewayRefusalTest, MapsIngestReasonsThenCodes) {
  using ingest::WithReason;
  const std::vector<MapCase> cases = {
      // By reason (gateway/ingest/pipeline.h), whatever the code.
      {"duplicate",
       WithReason(absl::AlreadyExistsError("m"), "DUPLICATE_ID_CONFLICT"), 409,
       "DUPLICATE_ID_CONFLICT", 0},
      {"not a recipient",
       WithReason(absl::PermissionDeniedError("m"), "NOT_A_RECIPIENT"), 403,
       "NOT_A_RECIPIENT", 0},
      {"author agency",
       WithReason(absl::PermissionDeniedError("m"), "AUTHOR_AGENCY_MISMATCH"),
       403, "AGENCY_MISMATCH", 0},
      {"signature invalid (INVALID_ARGUMENT)",
       WithReason(absl::InvalidArgumentError("m"), "SIGNATURE_INVALID"), 401,
       "SIGNATURE_INVALID", 0},
      {"unknown key (UNAVAILABLE)",
       WithReason(absl::UnavailableError("m"), "UNKNOWN_KEY"), 401,
       "UNKNOWN_KEY", 0},
      {"unknown reference",
       WithReason(absl::NotFoundError("m"), "UNKNOWN_REFERENCE"), 422,
       "UNKNOWN_REFERENCE", 0},
      {"workflow state",
       WithReason(absl::FailedPreconditionError("m"), "WORKFLOW_STATE"), 422,
       "WORKFLOW_STATE", 0},
      {"missing message id",
       WithReason(absl::InvalidArgumentError("m"), "MISSING_MESSAGE_ID"), 400,
       "HEADER_MISMATCH", 0},
      {"field invalid",
       WithReason(absl::InvalidArgumentError("m"), "FIELD_INVALID"), 400,
       "SCHEMA_VIOLATION", 0},
      {"payload unparseable",
       WithReason(absl::InvalidArgumentError("m"), "PAYLOAD_UNPARSEABLE"), 400,
       "SCHEMA_VIOLATION", 0},
      {"unknown payload type",
       WithReason(absl::InvalidArgumentError("m"), "UNKNOWN_PAYLOAD_TYPE"), 400,
       "SCHEMA_VIOLATION", 0},
      {"an ICD code as reason",
       WithReason(absl::InvalidArgumentError("m"), "NOT_NFC"), 400, "NOT_NFC",
       0},
      // Reasons that are not about the payload: by code.
      {"not supported yet",
       WithReason(absl::UnavailableError("m"), "NOT_SUPPORTED_YET"), 503,
       "UNAVAILABLE", 30},
      {"internal", WithReason(absl::InternalError("m"), "INTERNAL"), 500,
       "INTERNAL_ERROR", 0},
      {"unavailable", WithReason(absl::UnavailableError("m"), "UNAVAILABLE"),
       503, "UNAVAILABLE", 30},
      // No reason: by code.
      {"INVALID_ARGUMENT", absl::InvalidArgumentError("m"), 400,
       "SCHEMA_VIOLATION", 0},
      {"PERMISSION_DENIED", absl::PermissionDeniedError("m"), 403,
       "NOT_A_RECIPIENT", 0},
      {"UNAUTHENTICATED", absl::UnauthenticatedError("m"), 401,
       "SIGNATURE_INVALID", 0},
      {"ALREADY_EXISTS", absl::AlreadyExistsError("m"), 409,
       "DUPLICATE_ID_CONFLICT", 0},
      {"NOT_FOUND", absl::NotFoundError("m"), 422, "UNKNOWN_REFERENCE", 0},
      {"FAILED_PRECONDITION", absl::FailedPreconditionError("m"), 422,
       "WORKFLOW_STATE", 0},
      {"RESOURCE_EXHAUSTED", absl::ResourceExhaustedError("m"), 429,
       "RATE_LIMITED", 30},
      {"UNAVAILABLE", absl::UnavailableError("m"), 503, "UNAVAILABLE", 30},
      {"INTERNAL", absl::InternalError("m"), 500, "INTERNAL_ERROR", 0},
      {"DEADLINE_EXCEEDED", absl::DeadlineExceededError("m"), 500,
       "INTERNAL_ERROR", 0},
      {"ABORTED", absl::AbortedError("m"), 500, "INTERNAL_ERROR", 0},
      {"UNKNOWN", absl::UnknownError("m"), 500, "INTERNAL_ERROR", 0},
  };
  for (const MapCase& c : cases) {
    SCOPED_TRACE(c.name);
    const HttpRefusal refusal = MapGatewayRefusal(c.status);
    EXPECT_EQ(refusal.http_status, c.http_status);
    EXPECT_EQ(refusal.code, c.code);
    EXPECT_EQ(refusal.retry_after_seconds, c.retry_after_seconds);
    EXPECT_EQ(refusal.detail, "m");
    EXPECT_EQ(refusal.field, "");
  }
}

TEST(MapGatewayRefusalTest, DetailIsOneLine) {
  const HttpRefusal refusal = MapGatewayRefusal(
      absl::InvalidArgumentError("payload.subjects[0]: bad\nsecond line\r\n"));
  EXPECT_EQ(refusal.detail, "payload.subjects[0]: bad second line ");
}

TEST(MapGatewayRefusalTest, KeepsARefusalTheStatusAlreadyCarries) {
  HttpRefusal carried = Make(400, "NOT_NFC", "/alert/narrative/0/text", "x");
  carried.message_id = "a8d6fcb5-bf2e-5b83-ab6e-0133ca1c180c";
  const HttpRefusal refusal = MapGatewayRefusal(RefusalStatus(carried));
  EXPECT_EQ(refusal.code, "NOT_NFC");
  EXPECT_EQ(refusal.field, carried.field);
  EXPECT_EQ(refusal.message_id, carried.message_id);
}

}  // namespace
}  // namespace gw::signed_http
