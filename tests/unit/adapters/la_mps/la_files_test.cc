// tests/unit/adapters/la_mps/la_files_test.cc
//
// The .sig, .done and .ack files of LA-MPS.md §3.6, §3.7 and §6, against
// every example file: each parses, verifies with the RFC 8032 test keys, and
// is rebuilt byte for byte.
#include "adapters/la_mps/la_files.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gateway/crypto/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "la_examples.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::la_mps {
namespace {

using testing::Example;
using ::testing::HasSubstr;
using testing::kAlertId;
using testing::kRequestId;
using testing::kStatusId;

struct MessageFiles {
  const char* dir;
  const char* id;
};
const MessageFiles kMessages[] = {
    {"outbox", kAlertId}, {"outbox", kStatusId}, {"inbox", kRequestId}};

TEST(LaFilesTest, ExampleSigFilesAre89BytesOfBase64) {
  for (const MessageFiles& m : kMessages) {
    const std::string sig = Example(m.dir, absl::StrCat(m.id, ".sig"));
    EXPECT_EQ(sig.size(), kSigFileBytes);
    auto signature = ParseSigFile(sig);
    ASSERT_TRUE(signature.ok()) << m.id << ": " << signature.status();
    EXPECT_EQ(signature->size(), 64u);
    EXPECT_EQ(MakeSigFile(*signature), sig);
  }
}

TEST(LaFilesTest, SigFileRefusesOtherForms) {
  const std::string sig = Example("inbox", absl::StrCat(kRequestId, ".sig"));
  const std::string text = sig.substr(0, 88);
  for (const std::string& bad : {
           text,                                     // no LF
           absl::StrCat(text, "\r\n"),               // CR LF
           absl::StrCat(text, "\n\n"),               //
           absl::StrCat(text.substr(0, 86), "A\n"),  // 87 + LF
           absl::StrCat(absl::StrReplaceAll(text, {{"/", "_"}, {"+", "-"}}),
                        "\n"),    // URL-safe alphabet
           std::string(89, 'A'),  //
       }) {
    EXPECT_FALSE(ParseSigFile(bad).ok()) << bad;
  }
}

TEST(LaFilesTest, DoneFilesAreSha256sumOutput) {
  for (const MessageFiles& m : kMessages) {
    const std::string csv = Example(m.dir, absl::StrCat(m.id, ".csv"));
    const std::string sig = Example(m.dir, absl::StrCat(m.id, ".sig"));
    const std::string done = Example(m.dir, absl::StrCat(m.id, ".done"));
    EXPECT_EQ(MakeDoneFile(m.id, csv, sig), done) << m.id;
    EXPECT_TRUE(CheckDoneFile(m.id, done, csv, sig).ok()) << m.id;
  }
  // The ICD prints the alert's .done (§10).
  EXPECT_EQ(Example("outbox", absl::StrCat(kAlertId, ".done")),
            "f409c007acc7847aa21f9770e5a58645590078b50d511fe7a73c2c3c74f797b7"
            "  c000a73d-0a25-5904-bedf-ad6b56692274.csv\n"
            "e437f033309a7d549856e1591e992a74c822a107e64a18657790763deb62539e"
            "  c000a73d-0a25-5904-bedf-ad6b56692274.sig\n");
}

TEST(LaFilesTest, DoneFileFindsIncompleteTransfers) {
  const std::string csv = Example("inbox", absl::StrCat(kRequestId, ".csv"));
  const std::string sig = Example("inbox", absl::StrCat(kRequestId, ".sig"));
  const std::string done = Example("inbox", absl::StrCat(kRequestId, ".done"));
  struct Case {
    const char* name;
    std::string done, csv, sig;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"truncated csv", done, csv.substr(0, csv.size() - 10), sig, ".csv"},
      {"missing csv", done, "", sig, ".csv"},
      {"altered sig", done, csv, absl::StrCat("A", sig.substr(1)), ".sig"},
      {"truncated done", done.substr(0, done.size() - 1), csv, sig, ".done"},
      {"one space", absl::StrReplaceAll(done, {{"  ", " "}}), csv, sig,
       ".done"},
      {"upper-case hex", absl::StrCat("09C2", done.substr(4)), csv, sig,
       ".done"},
      {"CR LF lines", absl::StrReplaceAll(done, {{"\n", "\r\n"}}), csv, sig,
       ".done"},
      {"other id", absl::StrReplaceAll(done, {{kRequestId, kAlertId}}), csv,
       sig, ".done"},
      {"empty", "", csv, sig, ".done"},
  };
  for (const Case& c : cases) {
    const absl::Status status = CheckDoneFile(kRequestId, c.done, c.csv, c.sig);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << c.name;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message)) << c.name;
  }
}

struct AckFile {
  const char* dir;
  const char* id;
  int key;  // RFC 8032 test key that signed it
};
const AckFile kAcks[] = {
    {"inbox", kAlertId, 2}, {"inbox", kStatusId, 2}, {"outbox", kRequestId, 1}};

TEST(LaFilesTest, ExampleAcksParseVerifyAndRebuild) {
  for (const AckFile& a : kAcks) {
    const std::string bytes = Example(a.dir, absl::StrCat(a.id, ".ack"));
    auto ack = ParseAck(bytes);
    ASSERT_TRUE(ack.ok()) << a.id << ": " << ack.status();
    EXPECT_EQ(ack->message_id, a.id);
    EXPECT_EQ(ack->key_id, a.key == 1 ? gw::testing::kRfc8032Test1KeyId
                                      : gw::testing::kRfc8032Test2KeyId);
    EXPECT_TRUE(
        VerifyAck(*ack, bytes, *gw::testing::Rfc8032Verifier(a.key)).ok())
        << a.id;
    EXPECT_FALSE(
        VerifyAck(*ack, bytes, *gw::testing::Rfc8032Verifier(3 - a.key)).ok())
        << a.id;
    auto rebuilt = BuildAck(*ack, *gw::testing::Rfc8032Signer(a.key));
    ASSERT_TRUE(rebuilt.ok()) << a.id << ": " << rebuilt.status();
    EXPECT_EQ(*rebuilt, bytes) << a.id;
  }
}

TEST(LaFilesTest, ExampleAckFields) {
  auto accepted = ParseAck(Example("inbox", absl::StrCat(kAlertId, ".ack")));
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->status, AckStatus::kAccepted);
  EXPECT_EQ(accepted->sender, "LA-MPS");
  EXPECT_EQ(accepted->recipient, "CN-MPS");
  EXPECT_EQ(accepted->partner_ref, "LA-MPS-IN-2026-0188");
  EXPECT_EQ(accepted->payload_sha256,
            "f409c007acc7847aa21f9770e5a58645590078b50d511fe7a73c2c3c74f797b7");
  EXPECT_EQ(accepted->received_at,
            absl::FromCivil(absl::CivilSecond(2026, 3, 14, 8, 12, 40),
                            absl::UTCTimeZone()));
  auto rejected = ParseAck(Example("inbox", absl::StrCat(kStatusId, ".ack")));
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->status, AckStatus::kRejected);
  EXPECT_EQ(rejected->error_code, "UNKNOWN_REFERENCE");
  EXPECT_EQ(rejected->error_field, "case_ref");
  EXPECT_THAT(rejected->error_text, HasSubstr("case reference not known"));
}

TEST(LaFilesTest, MalformedAcksAreRefused) {
  const std::string bytes = Example("inbox", absl::StrCat(kAlertId, ".ack"));
  const size_t signature_at = bytes.find("signature,");
  struct Case {
    const char* name;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"partly copied", bytes.substr(0, bytes.size() / 2)},
      {"signature record cut", bytes.substr(0, bytes.size() - 5)},
      {"no signature record", bytes.substr(0, signature_at)},
      {"record after the signature", absl::StrCat(bytes, "extra,1\r\n")},
      {"other message type",
       absl::StrReplaceAll(bytes,
                           {{"message_type,ACK", "message_type,ALERT"}})},
      {"other format",
       absl::StrReplaceAll(bytes, {{"MKG-LA-CSV/1", "MKG-LA-CSV/2"}})},
      {"unknown status",
       absl::StrReplaceAll(bytes, {{"status,ACCEPTED", "status,OK"}})},
      {"REJECTED without error",
       absl::StrReplaceAll(bytes, {{"status,ACCEPTED", "status,REJECTED"}})},
      {"empty", ""},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(ParseAck(c.bytes).ok()) << c.name;
  }
  // One changed byte in the signed part: parses, does not verify.
  const std::string altered = absl::StrReplaceAll(
      bytes, {{"LA-MPS-IN-2026-0188", "LA-MPS-IN-2026-0189"}});
  auto ack = ParseAck(altered);
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(VerifyAck(*ack, altered, *gw::testing::Rfc8032Verifier(2)).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(LaFilesTest, BuildAckWritesWarningsAndQuotesText) {
  Ack ack;
  ack.message_id = kRequestId;
  ack.sender = "CN-MPS";
  ack.recipient = "LA-MPS";
  ack.status = AckStatus::kRejected;
  ack.payload_sha256 = crypto::Sha256Hex("");
  ack.received_at = absl::FromUnixSeconds(1773464400);
  ack.warnings = {{"NORMALIZED_NFC", "guardian.notes.1.text"},
                  {"NORMALIZED_NFC", ""}};
  ack.error_code = "SCHEMA_VIOLATION";
  ack.error_field = "victim.sex";
  ack.error_text = "victim.sex: want FEMALE, MALE, UNKNOWN";
  auto bytes = BuildAck(ack, *gw::testing::Rfc8032Signer(1));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_THAT(*bytes, HasSubstr("received_at,14/03/2026 12:00:00+07:00\r\n"
                                "warning.1.code,NORMALIZED_NFC\r\n"
                                "warning.1.field,guardian.notes.1.text\r\n"
                                "warning.2.code,NORMALIZED_NFC\r\n"
                                "error_code,SCHEMA_VIOLATION\r\n"
                                "error_field,victim.sex\r\n"
                                "error_text,\"victim.sex: want FEMALE, MALE, "
                                "UNKNOWN\"\r\nkey_id,"));
  auto parsed = ParseAck(*bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->warnings.size(), 2u);
  EXPECT_TRUE(
      VerifyAck(*parsed, *bytes, *gw::testing::Rfc8032Verifier(1)).ok());

  ack.error_code = "";
  EXPECT_EQ(BuildAck(ack, *gw::testing::Rfc8032Signer(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LaFilesTest, EvidenceKeepsTheThreeFiles) {
  EvidenceFiles files{"field,value\r\na,\"1\n2\"\r\n", "sig\n", "done\n"};
  const std::string evidence = MakeEvidence(kRequestId, files);
  EXPECT_EQ(evidence,
            absl::StrCat(kRequestId, ".csv 22\n", files.csv, "\n", kRequestId,
                         ".sig 4\nsig\n\n", kRequestId, ".done 5\ndone\n\n"));
  auto back = ParseEvidence(kRequestId, evidence);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->csv, files.csv);
  EXPECT_EQ(back->sig, files.sig);
  EXPECT_EQ(back->done, files.done);
  EXPECT_FALSE(ParseEvidence(kRequestId, evidence.substr(1)).ok());
  EXPECT_FALSE(ParseEvidence(kAlertId, evidence).ok());
  EXPECT_FALSE(ParseEvidence(kRequestId, absl::StrCat(evidence, "x")).ok());
}

}  // namespace
}  // namespace gw::la_mps
