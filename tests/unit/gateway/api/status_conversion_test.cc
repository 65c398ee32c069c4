// Tests of ToGrpcStatus (gateway/api/status_conversion.h): codes carry over
// unchanged; INTERNAL, UNKNOWN and DATA_LOSS lose their text.
#include "gateway/api/status_conversion.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace gw::api {
namespace {

TEST(ToGrpcStatusTest, OkIsOk) {
  const grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OK);
  EXPECT_TRUE(status.error_message().empty());
}

TEST(ToGrpcStatusTest, EveryCodeKeepsItsNumberAndOnlyInternalTextIsHidden) {
  struct Case {
    absl::StatusCode code;
    grpc::StatusCode want;
    bool hides_text;
  };
  const std::vector<Case> cases = {
      {absl::StatusCode::kCancelled, grpc::StatusCode::CANCELLED, false},
      {absl::StatusCode::kUnknown, grpc::StatusCode::UNKNOWN, true},
      {absl::StatusCode::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT,
       false},
      {absl::StatusCode::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED,
       false},
      {absl::StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND, false},
      {absl::StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS,
       false},
      {absl::StatusCode::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED,
       false},
      {absl::StatusCode::kResourceExhausted,
       grpc::StatusCode::RESOURCE_EXHAUSTED, false},
      {absl::StatusCode::kFailedPrecondition,
       grpc::StatusCode::FAILED_PRECONDITION, false},
      {absl::StatusCode::kAborted, grpc::StatusCode::ABORTED, false},
      {absl::StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE, false},
      {absl::StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED,
       false},
      {absl::StatusCode::kInternal, grpc::StatusCode::INTERNAL, true},
      {absl::StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE, false},
      {absl::StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS, true},
      {absl::StatusCode::kUnauthenticated, grpc::StatusCode::UNAUTHENTICATED,
       false},
  };
  const std::string secret =
      "sqlite3_step: /var/gw/gateway.db: disk I/O error at page 42";
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StatusCodeToString(c.code));
    const grpc::Status status = ToGrpcStatus(absl::Status(c.code, secret));
    EXPECT_EQ(status.error_code(), c.want);
    if (c.hides_text) {
      EXPECT_FALSE(absl::StrContains(status.error_message(), "sqlite3"))
          << status.error_message();
      EXPECT_FALSE(absl::StrContains(status.error_message(), "/var/gw"))
          << status.error_message();
      EXPECT_FALSE(status.error_message().empty());
    } else {
      EXPECT_EQ(status.error_message(), secret);
    }
  }
}

TEST(ToGrpcStatusTest, FieldPathReachesTheCaller) {
  const grpc::Status status = ToGrpcStatus(absl::InvalidArgumentError(
      "payload.subjects[0].person.date_of_birth: want a partial ISO date"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      status.error_message(),
      "payload.subjects[0].person.date_of_birth: want a partial ISO date");
}

}  // namespace
}  // namespace gw::api
