// tests/unit/tools/partners/la_mps_mock/la_receiver_test.cc
//
// `serve`'s polling logic (LA-MPS.md §7.2, §7.3) in process, with a
// controlled clock, on a temporary link root: the example messages answered
// with the example receipts byte for byte, duplicates and conflicts, the
// grace period of incomplete files (not restarted by rewrites; a new
// CORRUPT only when files change), held messages, a restarted mock that
// remembers, and the gateway's receipts for LA-MPS's own messages.
#include "tools/partners/la_mps_mock/la_receiver.h"

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/crypto/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "la_mock_test_util.h"
#include "nlohmann/json.hpp"
#include "tests/support/dev_pki.h"
#include "tools/partners/la_mps_mock/la_files.h"
#include "tools/partners/la_mps_mock/la_formats.h"
#include "tools/partners/la_mps_mock/la_writer.h"

namespace gw::la_mps_mock {
namespace {

using testing::DoneFor;
using ::testing::ElementsAre;
using testing::Example;
using testing::GatewaySigner;
using testing::GatewayVerifier;
using ::testing::HasSubstr;
using testing::kAlertId;
using testing::kRequestId;
using testing::kStatusId;
using testing::LaSigner;
using testing::Replace;
using testing::SigFor;

absl::Time At(const std::string& timestamp) {
  const std::optional<absl::Time> t = ParseTimestamp(timestamp);
  EXPECT_TRUE(t.has_value()) << timestamp;
  return t.value_or(absl::UnixEpoch());
}

class LaReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = gw::testing::MakeTempDir("la_root");
    store_dir_ = gw::testing::MakeTempDir("la_store") + "/store";
    ASSERT_TRUE(MakeDirs(root_ + "/outbox").ok());
  }

  void Start(std::vector<std::string> refuse = {},
             absl::Duration grace = absl::Hours(6)) {
    receiver_.reset();
    absl::StatusOr<std::unique_ptr<MockStore>> store =
        MockStore::Open(store_dir_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ReceiverOptions options;
    options.link_root = root_;
    options.grace = grace;
    options.policy.peer_keys = {&GatewayVerifier()};
    options.policy.refuse_case_prefixes = std::move(refuse);
    receiver_ = std::make_unique<Receiver>(
        options, &LaSigner(), store_.get(),
        [this](const Event& event) { events_.push_back(event); });
  }

  void Poll(absl::Time now) {
    const absl::Status s = receiver_->PollOnce(now);
    ASSERT_TRUE(s.ok()) << s;
  }

  void PutOutbox(const std::string& name, const std::string& bytes) {
    ASSERT_TRUE(WriteFileAtomic(root_ + "/outbox", name, bytes).ok());
  }

  // The example message `id` from examples/LA-MPS/outbox.
  void PutExample(const std::string& id) {
    for (const char* ext : {".csv", ".sig", ".done"}) {
      PutOutbox(id + ext, Example("outbox", id + ext));
    }
  }

  std::optional<std::string> Inbox(const std::string& name) {
    absl::StatusOr<std::optional<std::string>> bytes =
        ReadFileIfExists(absl::StrCat(root_, "/inbox/", name));
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : std::nullopt;
  }

  std::vector<nlohmann::json> Journal() {
    std::vector<nlohmann::json> lines;
    std::ifstream in(store_dir_ + "/received.jsonl");
    std::string line;
    while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  std::vector<std::string> EventKinds() const {
    std::vector<std::string> kinds;
    for (const Event& e : events_) kinds.push_back(e.json.value("event", ""));
    return kinds;
  }

  void PresetPartnerRef(int year, int last) {
    ASSERT_TRUE(MakeDirs(store_dir_).ok());
    ASSERT_TRUE(WriteFileAtomic(
                    store_dir_, "partner_ref.json",
                    absl::StrCat("{\"year\":", year, ",\"last\":", last, "}"))
                    .ok());
  }

  std::string root_;
  std::string store_dir_;
  std::unique_ptr<MockStore> store_;
  std::unique_ptr<Receiver> receiver_;
  std::vector<Event> events_;
};

TEST_F(LaReceiverTest, AnswersTheExampleAlertWithTheExampleReceipt) {
  PresetPartnerRef(2026, 187);
  Start();
  PutExample(kAlertId);
  Poll(At("14/03/2026 15:12:40+07:00"));
  EXPECT_EQ(Inbox(absl::StrCat(kAlertId, ".ack")),
            Example("inbox", absl::StrCat(kAlertId, ".ack")));
  struct stat st;
  ASSERT_EQ(stat(absl::StrCat(root_, "/inbox/", kAlertId, ".ack").c_str(), &st),
            0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  // No temporary file is left behind.
  EXPECT_FALSE(Inbox(absl::StrCat(kAlertId, ".ack.tmp")).has_value());

  // Kept what it received.
  for (const char* ext : {".csv", ".sig", ".done"}) {
    absl::StatusOr<std::optional<std::string>> kept =
        ReadFileIfExists(absl::StrCat(store_dir_, "/received/", kAlertId, ext));
    ASSERT_TRUE(kept.ok() && kept->has_value()) << ext;
    EXPECT_EQ(**kept, Example("outbox", absl::StrCat(kAlertId, ext)));
  }
  const std::vector<nlohmann::json> journal = Journal();
  ASSERT_EQ(journal.size(), 1u);
  const nlohmann::json& j = journal[0];
  EXPECT_EQ(j["message_id"], kAlertId);
  EXPECT_EQ(j["message_type"], "ALERT");
  EXPECT_EQ(j["case_ref"], "CN-YN-XSBN-2026-0042");
  EXPECT_EQ(j["alert_id"], "CNMPS-ALERT-2026-000734");
  EXPECT_EQ(j["status"], "ACCEPTED");
  EXPECT_EQ(j["duplicate"], false);
  EXPECT_EQ(j["received_at"], "14/03/2026 15:12:40+07:00");
  EXPECT_EQ(j["partner_ref"], "LA-MPS-IN-2026-0188");
  ASSERT_EQ(j["names"].size(), 2u);
  EXPECT_EQ(j["names"][0]["script"], "Laoo");
  EXPECT_EQ(j["names"][0]["given"], "ມະລິ");
  EXPECT_EQ(j["names"][0]["family"], "ທົດລອງ");
  EXPECT_EQ(j["names"][1]["full"], "Mali THOTLONG");
  EXPECT_EQ(j["narrative_langs"], nlohmann::json({"en", "zh"}));
  // Names stay out of what is printed.
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_FALSE(events_[0].json.contains("names"));
  EXPECT_THAT(events_[0].line, HasSubstr("ACCEPTED"));
  EXPECT_EQ(events_[0].line.find("THOTLONG"), std::string::npos);
}

TEST_F(LaReceiverTest, AnswersARefusedCaseWithTheExampleRejection) {
  Start({"CN-YN-XSBN-2026-0099"});
  PutExample(kStatusId);
  Poll(At("16/03/2026 14:45:00+07:00"));
  EXPECT_EQ(Inbox(absl::StrCat(kStatusId, ".ack")),
            Example("inbox", absl::StrCat(kStatusId, ".ack")));
  const std::vector<nlohmann::json> journal = Journal();
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0]["status"], "REJECTED");
  EXPECT_EQ(journal[0]["error_code"], "UNKNOWN_REFERENCE");
  EXPECT_EQ(journal[0]["error_field"], "case_ref");
  // Rejected messages are not kept as received.
  EXPECT_FALSE(
      StampOf(absl::StrCat(store_dir_, "/received/", kStatusId, ".csv"))
          .exists);
}

TEST_F(LaReceiverTest, PartnerRefsCountUpAndSurviveARestart) {
  Start();
  PutExample(kAlertId);
  PutExample(kStatusId);
  Poll(At("16/03/2026 14:45:00+07:00"));
  Start();
  const std::string id3 = "00000000-0000-4000-8000-000000000003";
  const std::string csv = Replace(
      Example("outbox", absl::StrCat(kStatusId, ".csv")), kStatusId, id3);
  const std::string sig = SigFor(csv);
  PutOutbox(id3 + ".csv", csv);
  PutOutbox(id3 + ".sig", sig);
  PutOutbox(id3 + ".done", DoneFor(id3, csv, sig));
  Poll(At("17/03/2026 10:00:00+07:00"));
  std::vector<std::string> refs;
  for (const nlohmann::json& j : Journal()) refs.push_back(j["partner_ref"]);
  EXPECT_THAT(refs, ElementsAre("LA-MPS-IN-2026-0001", "LA-MPS-IN-2026-0002",
                                "LA-MPS-IN-2026-0003"));
}

TEST_F(LaReceiverTest, ExactDuplicateGetsTheStoredReceiptAgain) {
  Start();
  PutExample(kAlertId);
  Poll(At("14/03/2026 15:12:40+07:00"));
  const std::optional<std::string> first =
      Inbox(absl::StrCat(kAlertId, ".ack"));
  ASSERT_TRUE(first.has_value());
  // Unchanged files are not answered again.
  Poll(At("14/03/2026 15:20:00+07:00"));
  EXPECT_EQ(Journal().size(), 1u);

  // The gateway rewrites the same bytes (§7.3 redelivery), the .ack is gone.
  ASSERT_EQ(unlink(absl::StrCat(root_, "/inbox/", kAlertId, ".ack").c_str()),
            0);
  PutExample(kAlertId);
  Poll(At("15/03/2026 15:12:40+07:00"));
  EXPECT_EQ(Inbox(absl::StrCat(kAlertId, ".ack")), first);
  const std::vector<nlohmann::json> journal = Journal();
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[1]["duplicate"], true);
  EXPECT_EQ(journal[1]["status"], "ACCEPTED");
  EXPECT_EQ(journal[1]["received_at"], "14/03/2026 15:12:40+07:00");
  EXPECT_EQ(journal[1]["message_type"], "ALERT");
}

TEST_F(LaReceiverTest, RestartedMockAnswersDuplicatesTheSameWay) {
  Start();
  PutExample(kAlertId);
  Poll(At("14/03/2026 15:12:40+07:00"));
  const std::optional<std::string> first =
      Inbox(absl::StrCat(kAlertId, ".ack"));

  Start();  // a new process on the same store
  Poll(At("14/03/2026 16:00:00+07:00"));
  EXPECT_EQ(Journal().size(), 1u) << "same files answered twice";
  PutExample(kAlertId);  // rewritten
  Poll(At("15/03/2026 16:00:00+07:00"));
  EXPECT_EQ(Inbox(absl::StrCat(kAlertId, ".ack")), first);
  ASSERT_EQ(Journal().size(), 2u);
  EXPECT_EQ(Journal()[1]["duplicate"], true);
}

TEST_F(LaReceiverTest, ConflictKeepsTheReceiptAndWarns) {
  Start();
  PutExample(kAlertId);
  Poll(At("14/03/2026 15:12:40+07:00"));
  const std::optional<std::string> first =
      Inbox(absl::StrCat(kAlertId, ".ack"));
  const std::string csv = Replace(
      Example("outbox", absl::StrCat(kAlertId, ".csv")), "URGENT", "HIGH");
  const std::string sig = SigFor(csv);
  PutOutbox(absl::StrCat(kAlertId, ".csv"), csv);
  PutOutbox(absl::StrCat(kAlertId, ".sig"), sig);
  PutOutbox(absl::StrCat(kAlertId, ".done"), DoneFor(kAlertId, csv, sig));
  Poll(At("14/03/2026 16:00:00+07:00"));
  EXPECT_EQ(Inbox(absl::StrCat(kAlertId, ".ack")), first);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_TRUE(events_[1].warning);
  EXPECT_EQ(events_[1].json["event"], "conflict");
  EXPECT_THAT(events_[1].line, HasSubstr("CONFLICT"));
  EXPECT_EQ(Journal().back()["conflict"], true);
}

TEST_F(LaReceiverTest, IncompleteMessageGetsCorruptOnlyAfterTheGrace) {
  Start({}, absl::Hours(6));
  const std::string id = kAlertId;
  const std::string csv = Example("outbox", id + ".csv");
  const std::string sig = Example("outbox", id + ".sig");
  const std::string done = Example("outbox", id + ".done");
  const absl::Time t0 = At("14/03/2026 09:00:00+07:00");
  PutOutbox(id + ".csv", csv.substr(0, 200));
  PutOutbox(id + ".sig", sig);
  PutOutbox(id + ".done", done);
  Poll(t0);
  EXPECT_FALSE(Inbox(id + ".ack").has_value());
  EXPECT_THAT(EventKinds(), ElementsAre("waiting"));

  // A rewrite (still partial) does not restart the grace period.
  PutOutbox(id + ".csv", csv.substr(0, 400));
  Poll(t0 + absl::Hours(1));
  Poll(t0 + absl::Hours(6) - absl::Seconds(1));
  EXPECT_FALSE(Inbox(id + ".ack").has_value());
  Poll(t0 + absl::Hours(6));
  const std::optional<std::string> corrupt = Inbox(id + ".ack");
  ASSERT_TRUE(corrupt.has_value());
  absl::StatusOr<AckView> ack =
      ReadAck(*corrupt, id, "LA-MPS", "CN-MPS", {&testing::LaVerifier()});
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->status, "CORRUPT");
  EXPECT_EQ(ack->error_code, "INCOMPLETE");
  EXPECT_EQ(ack->payload_sha256, crypto::Sha256Hex(csv.substr(0, 400)));
  EXPECT_EQ(ack->received_at, FormatTimestamp(t0 + absl::Hours(6)));
  EXPECT_THAT(ack->error_text, HasSubstr(".csv (400 bytes) differs"));

  // Nothing changed: no new CORRUPT.
  Poll(t0 + absl::Hours(7));
  EXPECT_EQ(Journal().size(), 1u);
  // Changed but still incomplete: a new CORRUPT at once.
  PutOutbox(id + ".csv", csv.substr(0, 600));
  Poll(t0 + absl::Hours(7) + absl::Minutes(1));
  ASSERT_EQ(Journal().size(), 2u);
  EXPECT_EQ(Journal()[1]["status"], "CORRUPT");
  ack = ReadAck(*Inbox(id + ".ack"), id, "LA-MPS", "CN-MPS",
                {&testing::LaVerifier()});
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->payload_sha256, crypto::Sha256Hex(csv.substr(0, 600)));

  // Complete at last: processed from step 1, ACCEPTED.
  PutOutbox(id + ".csv", csv);
  Poll(t0 + absl::Hours(8));
  ack = ReadAck(*Inbox(id + ".ack"), id, "LA-MPS", "CN-MPS",
                {&testing::LaVerifier()});
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->status, "ACCEPTED");
  EXPECT_EQ(ack->received_at, FormatTimestamp(t0 + absl::Hours(8)));
}

TEST_F(LaReceiverTest, MissingFilesAndBadMarkerAreIncompleteToo) {
  Start({}, absl::ZeroDuration());
  const std::string id = kAlertId;
  PutOutbox(id + ".done", "not a marker\n");
  Poll(At("14/03/2026 09:00:00+07:00"));
  absl::StatusOr<AckView> ack = ReadAck(*Inbox(id + ".ack"), id, "LA-MPS",
                                        "CN-MPS", {&testing::LaVerifier()});
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->status, "CORRUPT");
  // The SHA-256 of zero bytes: the .csv is missing.
  EXPECT_EQ(ack->payload_sha256, crypto::Sha256Hex(""));
}

TEST_F(LaReceiverTest, UnknownKeyIsHeldWithoutReceipt) {
  Start();
  const std::string id = kAlertId;
  const std::string csv =
      Replace(Example("outbox", id + ".csv"), gw::testing::kRfc8032Test1KeyId,
              gw::testing::kRfc8032Test2KeyId);
  const std::string sig = SigFor(csv, LaSigner());
  PutOutbox(id + ".csv", csv);
  PutOutbox(id + ".sig", sig);
  PutOutbox(id + ".done", DoneFor(id, csv, sig));
  Poll(At("14/03/2026 09:00:00+07:00"));
  Poll(At("14/03/2026 09:01:00+07:00"));
  EXPECT_FALSE(Inbox(id + ".ack").has_value());
  ASSERT_EQ(events_.size(), 1u);  // warned once
  EXPECT_TRUE(events_[0].warning);
  EXPECT_EQ(events_[0].json["event"], "held");
  EXPECT_THAT(events_[0].line, HasSubstr(gw::testing::kRfc8032Test2KeyId));
  EXPECT_TRUE(Journal().empty());
}

TEST_F(LaReceiverTest, IgnoresNamesOutsideThePattern) {
  Start({}, absl::ZeroDuration());
  PutOutbox(absl::StrCat(kAlertId, ".done.tmp"), "x");
  PutOutbox("C000A73D-0A25-5904-BEDF-AD6B56692274.done", "x");
  PutOutbox("notes.done", "x");
  Poll(At("14/03/2026 09:00:00+07:00"));
  EXPECT_TRUE(events_.empty());
  EXPECT_TRUE(Journal().empty());
}

TEST_F(LaReceiverTest, RecordsTheGatewaysReceiptForItsOwnMessage) {
  Start();
  // LA-MPS's request in its outgoing directory, the gateway's receipt in
  // the gateway's: the example pair.
  ASSERT_TRUE(MakeDirs(root_ + "/inbox").ok());
  for (const char* ext : {".csv", ".sig", ".done"}) {
    ASSERT_TRUE(WriteFileAtomic(root_ + "/inbox", kRequestId + std::string(ext),
                                Example("inbox", kRequestId + std::string(ext)))
                    .ok());
  }
  PutOutbox(absl::StrCat(kRequestId, ".ack"),
            Example("outbox", absl::StrCat(kRequestId, ".ack")));
  Poll(At("14/03/2026 16:05:00+07:00"));
  Poll(At("14/03/2026 16:06:00+07:00"));
  std::vector<nlohmann::json> journal = Journal();
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0]["ack_for"], kRequestId);
  EXPECT_EQ(journal[0]["status"], "ACCEPTED");
  EXPECT_EQ(journal[0]["received_at"], "14/03/2026 16:01:15+07:00");
  EXPECT_EQ(journal[0]["payload_sha256_ok"], true);

  // The same bytes again (rewritten) are not journaled twice, even after a
  // restart.
  Start();
  PutOutbox(absl::StrCat(kRequestId, ".ack"),
            Example("outbox", absl::StrCat(kRequestId, ".ack")));
  Poll(At("14/03/2026 16:07:00+07:00"));
  EXPECT_EQ(Journal().size(), 1u);

  // A receipt with a bad signature is ignored (it may still be copying).
  PutOutbox(absl::StrCat(kRequestId, ".ack"),
            Replace(Example("outbox", absl::StrCat(kRequestId, ".ack")),
                    "16:01:15", "16:01:16"));
  Poll(At("14/03/2026 16:08:00+07:00"));
  EXPECT_EQ(Journal().size(), 1u);
  EXPECT_EQ(events_.back().json["event"], "receipt_ignored");
}

TEST_F(LaReceiverTest, ReceiptForAMessageItDidNotSendIsNotItsBusiness) {
  Start();
  PutOutbox(absl::StrCat(kRequestId, ".ack"),
            Example("outbox", absl::StrCat(kRequestId, ".ack")));
  Poll(At("14/03/2026 16:05:00+07:00"));
  EXPECT_TRUE(Journal().empty());
  EXPECT_TRUE(events_.empty());
}

}  // namespace
}  // namespace gw::la_mps_mock
