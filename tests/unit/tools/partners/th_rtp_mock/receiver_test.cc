// tests/unit/tools/partners/th_rtp_mock/receiver_test.cc
//
// TH-RTP's receiving side without the network: §6 step 7 (duplicates,
// entitlement, the --refuse-case-prefix reference check), what is stored
// and logged, the duplicate memory across a restart, and the NK fields of
// §3.11 (echo rule, RETRYABLE, RECORD_NO, FIELD_NAME, blank ids for
// 100/101). Answers are read back with the mock's decoder as the gateway
// would read them.
#include "tools/partners/th_rtp_mock/receiver.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/rfc8032_keys.h"
#include "tests/support/scoped_temp_dir.h"
#include "tests/unit/tools/partners/th_rtp_mock/th_examples.h"
#include "tools/partners/th_rtp_mock/th_codes.h"
#include "tools/partners/th_rtp_mock/th_frame_writer.h"

namespace gw::th_rtp_mock {
namespace {

using testing::ExampleBody;
using testing::ExampleFile;
using testing::Patch;
using testing::PatchAndResign;

class ThReceiverTest : public ::testing::Test {
 protected:
  ThReceiverTest()
      : partner_signer_(gw::testing::Rfc8032Signer(2)),
        gateway_signer_(gw::testing::Rfc8032Signer(1)),
        gateway_key_(gw::testing::Rfc8032Verifier(1)),
        partner_key_(gw::testing::Rfc8032Verifier(2)) {}

  std::unique_ptr<Receiver> Open(const std::string& refuse_prefix = "") {
    ReceiverOptions options;
    options.store_dir = dir_.path() + "/store";
    options.refuse_case_prefix = refuse_prefix;
    options.peer_keys = {gateway_key_.get()};
    options.signer = partner_signer_.get();
    options.now = [this] { return now_; };
    options.new_message_id = [this] { return next_id_; };
    absl::StatusOr<std::unique_ptr<Receiver>> receiver =
        Receiver::Open(std::move(options));
    EXPECT_TRUE(receiver.ok()) << receiver.status();
    return receiver.ok() ? *std::move(receiver) : nullptr;
  }

  // The answer as the gateway reads it (must be valid).
  DecodedFrame ReadAnswer(const Answer& answer) {
    EXPECT_GT(answer.frame.size(), 4u);
    ReaderOptions at_gateway;
    at_gateway.own_agency = "CN-MPS";
    at_gateway.peer_agency = "TH-RTP";
    at_gateway.peer_keys = {partner_key_.get()};
    ReadResult result = ReadFrame(answer.frame.substr(4), at_gateway);
    EXPECT_TRUE(result.ok()) << "answer refused: " << result.rejection->code
                             << " " << result.rejection->field;
    return result.frame;
  }

  std::vector<nlohmann::json> LogLines() {
    std::vector<nlohmann::json> lines;
    std::ifstream in(dir_.path() + "/store/received.jsonl");
    std::string line;
    while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  gw::testing::ScopedTempDir dir_;
  std::unique_ptr<crypto::Signer> partner_signer_;
  std::unique_ptr<crypto::Signer> gateway_signer_;
  std::unique_ptr<crypto::Verifier> gateway_key_;
  std::unique_ptr<crypto::Verifier> partner_key_;
  // 2026-03-14T02:30:02Z = 25690314093002 in Thailand, B.E.
  absl::Time now_ = absl::FromUnixSeconds(1773455402);
  std::string next_id_ = "47c67bef-759b-56ce-8a3a-7ea556bda3c4";
};

TEST_F(ThReceiverTest, AcceptsTheAlertStoresItAndAcknowledges) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const Answer answer =
      receiver->HandleDataFrame(ExampleBody("alert-outbound.bin"), "CN-MPS");
  const DecodedFrame ak = ReadAnswer(answer);
  ASSERT_EQ(ak.header_type, "AK");
  EXPECT_EQ(ak.message_id, "47c67bef-759b-56ce-8a3a-7ea556bda3c4");
  EXPECT_EQ(ak.sender, "TH-RTP");
  EXPECT_EQ(ak.recipient, "CN-MPS");
  EXPECT_EQ(ak.header().Get("ACK_MESSAGE_ID"),
            "677639f9-139a-5217-ad22-4969550d608d");
  EXPECT_EQ(ak.header().Get("ACK_BODY_SHA256"),
            "162adfa2b61acd0c043eacbadc9c29f3cc726d48980d3c828ac11924787c043f");
  EXPECT_EQ(ak.header().Get("RECEIVED_AT"), "25690314093002");
  EXPECT_EQ(ak.header().Get("DUPLICATE"), "N");
  EXPECT_EQ(ak.header().Get("PARTNER_REF"), "RTP-IN-2569-000001");

  // The whole frame is kept.
  absl::StatusOr<std::string> stored = util::ReadFile(
      dir_.path() + "/store/received/677639f9-139a-5217-ad22-4969550d608d.bin");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, ExampleFile("alert-outbound.bin"));

  const std::vector<nlohmann::json> lines = LogLines();
  ASSERT_EQ(lines.size(), 1u);
  const nlohmann::json& line = lines[0];
  EXPECT_EQ(line["message_id"], "677639f9-139a-5217-ad22-4969550d608d");
  EXPECT_EQ(line["type"], "AL");
  EXPECT_EQ(line["case_ref"], "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(line["alert_id"], "CNMPS-ALERT-2026-000731");
  EXPECT_EQ(line["received_at"], "25690314093002");
  EXPECT_EQ(line["received_at_utc"], "2026-03-14T02:30:02Z");
  EXPECT_EQ(line["duplicate"], false);
  EXPECT_EQ(line["answer"], "AK");
  EXPECT_EQ(line["partner_ref"], "RTP-IN-2569-000001");
  EXPECT_EQ(line["body_sha256"],
            "162adfa2b61acd0c043eacbadc9c29f3cc726d48980d3c828ac11924787c043f");
  ASSERT_EQ(line["subjects"].size(), 2u);
  const nlohmann::json& victim = line["subjects"][0];
  EXPECT_EQ(victim["role"], "VICTIM");
  ASSERT_EQ(victim["names"].size(), 2u);
  EXPECT_EQ(victim["names"][0]["script"], "Thai");
  EXPECT_EQ(victim["names"][0]["full"], "มาลี ทดสอบ");
  EXPECT_EQ(victim["names"][1]["script"], "Latn");
  EXPECT_EQ(victim["names"][1]["family"], "THOTSOP");
  // The suspect's Thai slot is blank: no Thai name entry.
  ASSERT_EQ(line["subjects"][1]["names"].size(), 1u);
  EXPECT_EQ(line["subjects"][1]["names"][0]["full"], "CESHI Qiang");
  EXPECT_EQ(line["narrative_langs"], nlohmann::json::array({"en"}));
}

TEST_F(ThReceiverTest, ExactDuplicateGetsTheFirstReceiptAgain) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body = ExampleBody("alert-outbound.bin");
  receiver->HandleDataFrame(body, "CN-MPS");
  now_ += absl::Minutes(5);
  next_id_ = "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11";
  const DecodedFrame again =
      ReadAnswer(receiver->HandleDataFrame(body, "CN-MPS"));
  ASSERT_EQ(again.header_type, "AK");
  EXPECT_EQ(again.message_id, "0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11");
  EXPECT_EQ(again.header().Get("DUPLICATE"), "Y");
  EXPECT_EQ(again.header().Get("RECEIVED_AT"), "25690314093002");
  EXPECT_EQ(again.header().Get("PARTNER_REF"), "RTP-IN-2569-000001");
  EXPECT_EQ(again.created_at, "25690314093502");
  const std::vector<nlohmann::json> lines = LogLines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["duplicate"], true);
  EXPECT_EQ(lines[1]["answer"], "AK");
}

TEST_F(ThReceiverTest, DuplicateMemorySurvivesARestart) {
  const std::string body = ExampleBody("alert-outbound.bin");
  {
    std::unique_ptr<Receiver> first = Open();
    ASSERT_NE(first, nullptr);
    first->HandleDataFrame(body, "CN-MPS");
  }
  now_ += absl::Hours(1);
  std::unique_ptr<Receiver> second = Open();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->accepted_count(), 1);
  const DecodedFrame again =
      ReadAnswer(second->HandleDataFrame(body, "CN-MPS"));
  EXPECT_EQ(again.header().Get("DUPLICATE"), "Y");
  EXPECT_EQ(again.header().Get("RECEIVED_AT"), "25690314093002");
  EXPECT_EQ(again.header().Get("PARTNER_REF"), "RTP-IN-2569-000001");
  // The counter goes on.
  const DecodedFrame next = ReadAnswer(second->HandleDataFrame(
      ExampleBody("case-status-outbound.bin"), "CN-MPS"));
  EXPECT_EQ(next.header().Get("PARTNER_REF"), "RTP-IN-2569-000002");
}

TEST_F(ThReceiverTest, SameIdWithOtherBodyIs301) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body = ExampleBody("alert-outbound.bin");
  receiver->HandleDataFrame(body, "CN-MPS");
  const std::string changed = PatchAndResign(body, 1800, "X", *gateway_signer_);
  const DecodedFrame nk =
      ReadAnswer(receiver->HandleDataFrame(changed, "CN-MPS"));
  ASSERT_EQ(nk.header_type, "NK");
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "301");
  EXPECT_EQ(nk.header().Get("RETRYABLE"), "N");
  EXPECT_EQ(nk.header().Get("RECORD_NO"), "000001");
  EXPECT_EQ(nk.header().Get("FIELD_NAME"), "AL.MESSAGE_ID");
  EXPECT_EQ(nk.header().Get("NAK_MESSAGE_ID"),
            "677639f9-139a-5217-ad22-4969550d608d");
  EXPECT_NE(nk.header().Get("NAK_BODY_SHA256"),
            "162adfa2b61acd0c043eacbadc9c29f3cc726d48980d3c828ac11924787c043f");
  EXPECT_EQ(LogLines().back()["answer"], "NK 301");
}

TEST_F(ThReceiverTest, RefusedCaseReproducesTheNakInboundExample) {
  // The NK of nak-inbound.bin: same id, time and text, for the same frame.
  std::unique_ptr<Receiver> receiver = Open("CN-YN-XSBN-2026-0099");
  ASSERT_NE(receiver, nullptr);
  now_ = absl::FromUnixSeconds(1773536401);  // 2026-03-15T01:00:01Z
  next_id_ = "d74e3cfa-b647-5068-945c-b16d1b8369b7";
  const Answer answer = receiver->HandleDataFrame(
      ExampleBody("case-status-outbound.bin"), "CN-MPS");
  EXPECT_EQ(answer.frame, ExampleFile("nak-inbound.bin"));
  EXPECT_EQ(answer.report.Answer(), "NK 302");
  // Nothing is stored for a refused frame, but it is logged.
  EXPECT_FALSE(util::ReadFile(dir_.path() +
                              "/store/received/"
                              "79a79b79-bedf-5266-aef6-cec0dd834e32.bin")
                   .ok());
  const nlohmann::json line = LogLines().back();
  EXPECT_EQ(line["answer"], "NK 302");
  EXPECT_EQ(line["nk"]["field"], "CS.CASE_REF");
  EXPECT_EQ(line["case_ref"], "CN-YN-XSBN-2026-0099");
}

TEST_F(ThReceiverTest, AlertNotListingTheReceiverIs131) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body = PatchAndResign(ExampleBody("alert-outbound.bin"),
                                          306, "KH-CNP", *gateway_signer_);
  const DecodedFrame nk = ReadAnswer(receiver->HandleDataFrame(body, "CN-MPS"));
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "131");
  EXPECT_EQ(nk.header().Get("FIELD_NAME"), "AL.RECIPIENTS");
  EXPECT_EQ(nk.header().Get("RETRYABLE"), "N");
}

TEST_F(ThReceiverTest, CaseNotSharedWithTheReceiverIs131) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body = PatchAndResign(
      ExampleBody("case-status-outbound.bin"), 178, "LA-MPS", *gateway_signer_);
  const DecodedFrame nk = ReadAnswer(receiver->HandleDataFrame(body, "CN-MPS"));
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "131");
  EXPECT_EQ(nk.header().Get("FIELD_NAME"), "CS.SHARED_WITH");
}

TEST_F(ThReceiverTest, InvalidFrameIsAnsweredWithEchoAndLogged) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body =
      PatchAndResign(ExampleBody("alert-outbound.bin"), 528 + 14, "25540231",
                     *gateway_signer_);
  const Answer answer = receiver->HandleDataFrame(body, "CN-MPS");
  const DecodedFrame nk = ReadAnswer(answer);
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "120");
  EXPECT_EQ(nk.header().Get("RECORD_NO"), "000002");
  EXPECT_EQ(nk.header().Get("FIELD_NAME"), "SB.BIRTH_DATE");
  EXPECT_EQ(nk.header().Get("NAK_MESSAGE_ID"),
            "677639f9-139a-5217-ad22-4969550d608d");
  EXPECT_EQ(nk.header().Get("NAK_BODY_SHA256"), answer.report.body_sha256);
  EXPECT_THAT(nk.header().Get("REASON_TEXT"),
              ::testing::HasSubstr("invalid value"));
  const nlohmann::json line = LogLines().back();
  EXPECT_EQ(line["answer"], "NK 120");
  EXPECT_EQ(line["nk"]["record_no"], 2);
  // A rejected frame is not remembered: once corrected, its id is free.
  EXPECT_EQ(receiver->accepted_count(), 0);
}

TEST_F(ThReceiverTest, UnreadableFrameHasBlankIds) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body = Patch(ExampleBody("alert-outbound.bin"), 528, "XX");
  const DecodedFrame nk = ReadAnswer(receiver->HandleDataFrame(body, "CN-MPS"));
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "101");
  EXPECT_EQ(nk.header().Get("NAK_MESSAGE_ID"), "");
  EXPECT_EQ(nk.header().Get("NAK_BODY_SHA256"), "");
  EXPECT_EQ(nk.header().Get("RECORD_NO"), "000002");
}

TEST_F(ThReceiverTest, UnknownKeyIsRetryable) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const std::string body = PatchAndResign(ExampleBody("alert-outbound.bin"), 0,
                                          "AL", *partner_signer_);
  const DecodedFrame nk = ReadAnswer(receiver->HandleDataFrame(body, "CN-MPS"));
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "202");
  EXPECT_EQ(nk.header().Get("RETRYABLE"), "Y");
  EXPECT_EQ(nk.header().Get("FIELD_NAME"), "TR.KEY_ID");
}

TEST_F(ThReceiverTest, SenderOtherThanTheTlsPeerIs130) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const DecodedFrame nk = ReadAnswer(
      receiver->HandleDataFrame(ExampleBody("alert-outbound.bin"), "KH-CNP"));
  EXPECT_EQ(nk.header().Get("REASON_CODE"), "130");
  EXPECT_EQ(nk.header().Get("FIELD_NAME"), "AL.SENDER");
}

TEST_F(ThReceiverTest, WindowAndLengthAnswers) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  const DecodedFrame busy =
      ReadAnswer(receiver->WindowExceeded(ExampleBody("alert-outbound.bin")));
  EXPECT_EQ(busy.header().Get("REASON_CODE"), "902");
  EXPECT_EQ(busy.header().Get("RETRYABLE"), "Y");
  EXPECT_EQ(busy.header().Get("RECORD_NO"), "000000");
  EXPECT_EQ(busy.header().Get("FIELD_NAME"), "");
  EXPECT_EQ(busy.header().Get("NAK_MESSAGE_ID"),
            "677639f9-139a-5217-ad22-4969550d608d");

  const DecodedFrame length = ReadAnswer(receiver->FrameLength(12));
  EXPECT_EQ(length.header().Get("REASON_CODE"), "100");
  EXPECT_EQ(length.header().Get("RETRYABLE"), "N");
  EXPECT_EQ(length.header().Get("NAK_MESSAGE_ID"), "");
  EXPECT_EQ(length.header().Get("NAK_BODY_SHA256"), "");
  // Neither was accepted.
  EXPECT_EQ(receiver->accepted_count(), 0);
}

TEST_F(ThReceiverTest, HeartbeatsAreSignedAndChecked) {
  std::unique_ptr<Receiver> receiver = Open();
  ASSERT_NE(receiver, nullptr);
  absl::StatusOr<std::string> heartbeat = receiver->Heartbeat();
  ASSERT_TRUE(heartbeat.ok()) << heartbeat.status();
  Answer wrapped;
  wrapped.frame = *heartbeat;
  EXPECT_EQ(ReadAnswer(wrapped).header_type, "HB");

  EXPECT_TRUE(
      receiver->CheckHeartbeat(ExampleBody("heartbeat.bin"), "CN-MPS").ok());
  EXPECT_FALSE(receiver
                   ->CheckHeartbeat(
                       Patch(ExampleBody("heartbeat.bin"), 10, "0"), "CN-MPS")
                   .ok());
  EXPECT_FALSE(
      receiver->CheckHeartbeat(ExampleBody("ack-outbound.bin"), "CN-MPS").ok());
}

}  // namespace
}  // namespace gw::th_rtp_mock
