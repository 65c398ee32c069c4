// tests/unit/tools/partners/la_mps_mock/la_mps_mock_process_test.cc
//
// The built la-mps-mock binary as a child process, the way the gateway's
// integration tests and an operator run it, with the dev PKI's signing
// keys (LA-MPS/signing.* for the mock, CN-MPS/signing.* for the gateway):
//  * serve answers a valid message dropped into outbox/ (written here, not
//    with the mock's writer) with a verified ACCEPTED .ack in inbox/ and a
//    received.jsonl line; a truncated .csv gets CORRUPT after --grace; it
//    stops cleanly on SIGTERM;
//  * send writes its message into inbox/, and this test plays the gateway
//    answering it: ACCEPTED → exit 0, REJECTED → exit 2, a CORRUPT answer
//    to --corrupt-first → the files rewritten, then ACCEPTED; no answer →
//    exit 1 with one sentence.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/dev_pki.h"
#include "tools/partners/la_mps_mock/la_reader.h"
#include "tools/partners/la_mps_mock/la_writer.h"

namespace gw::la_mps_mock {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr auto kPatience = std::chrono::seconds(60);

class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    const std::string dir = gw::testing::MakeTempDir("la_child");
    out_path_ = dir + "/stdout";
    err_path_ = dir + "/stderr";
    args.insert(args.begin(), LA_MPS_MOCK_PATH);
    pid_ = fork();
    if (pid_ == 0) {
      const int out =
          open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err =
          open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, 1);
      dup2(err, 2);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && status_ < 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Exit code after waiting up to kPatience, -1 if it did not exit.
  int Wait() {
    const auto until = std::chrono::steady_clock::now() + kPatience;
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        return status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  int Terminate() {
    kill(pid_, SIGTERM);
    return Wait();
  }
  std::string Out() const { return Slurp(out_path_); }
  std::string Err() const { return Slurp(err_path_); }

 private:
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  pid_t pid_ = -1;
  int status_ = -1;
  std::string out_path_;
  std::string err_path_;
};

// Polls `ready` every 20 ms for up to kPatience.
bool WaitFor(const std::function<bool()>& ready) {
  const auto until = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < until) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ready();
}

std::string ReadOrEmpty(const std::string& path) {
  absl::StatusOr<std::string> bytes = util::ReadFile(path);
  return bytes.ok() ? *bytes : std::string();
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// Writes `bytes` to DIR/NAME through NAME.tmp and rename, as a peer does.
void Drop(const std::string& dir, const std::string& name,
          const std::string& bytes) {
  const std::string tmp = dir + "/" + name + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  ASSERT_EQ(rename(tmp.c_str(), (dir + "/" + name).c_str()), 0);
}

class LaMpsMockProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = gw::testing::DevPki::Get().dir();
    root_ = gw::testing::MakeTempDir("la_link");
    store_ = gw::testing::MakeTempDir("la_store");
    ASSERT_EQ(mkdir((root_ + "/outbox").c_str(), 0750), 0);
    auto gateway = crypto::Signer::FromPemFiles(pki_ + "/CN-MPS/signing.key",
                                                pki_ + "/CN-MPS/signing.crt");
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
    auto la = crypto::Verifier::FromCertificatePem(
        ReadOrEmpty(pki_ + "/LA-MPS/signing.crt"));
    ASSERT_TRUE(la.ok()) << la.status();
    la_ = *std::move(la);
  }

  std::vector<std::string> Keys() const {
    return {"--link-root",
            root_,
            "--signing-key",
            pki_ + "/LA-MPS/signing.key",
            "--signing-cert",
            pki_ + "/LA-MPS/signing.crt",
            "--gateway-signing-cert",
            pki_ + "/CN-MPS/signing.crt"};
  }

  // A CASE_STATUS from the gateway, written out by hand (CR LF records).
  std::string StatusCsv(const std::string& id) const {
    return absl::StrCat(
        "field,value\r\n", "format,MKG-LA-CSV/1\r\n",
        "message_type,CASE_STATUS\r\n", "message_id,", id, "\r\n",
        "sender,CN-MPS\r\n", "recipient,LA-MPS\r\n",
        "message_created_at,16/03/2026 08:00:00+07:00\r\n", "key_id,",
        gateway_->key_id_hex(), "\r\n", "case_ref,CN-YN-XSBN-2026-0099\r\n",
        "owner_agency,CN-MPS\r\n", "state,VICTIM_LOCATED\r\n",
        "updated_at,16/03/2026 08:00:00+07:00\r\n", "shared_with.1,LA-MPS\r\n",
        "note.1.lang,en\r\n",
        "note.1.text,\"Located, in good health.\nFICTIONAL.\"\r\n");
  }

  std::string SigOf(const std::string& csv) const {
    absl::StatusOr<std::string> signature = gateway_->Sign(csv);
    EXPECT_TRUE(signature.ok());
    return absl::Base64Escape(signature.value_or("")) + "\n";
  }

  static std::string DoneOf(const std::string& id, const std::string& csv,
                            const std::string& sig) {
    return absl::StrCat(crypto::Sha256Hex(csv), "  ", id, ".csv\n",
                        crypto::Sha256Hex(sig), "  ", id, ".sig\n");
  }

  // The gateway's receipt for LA-MPS's message `id`.
  void Answer(const std::string& id, const std::string& csv,
              const std::string& status, const std::string& code = "",
              const std::string& field = "",
              std::vector<AckWarning> warnings = {}) {
    AckContent ack;
    ack.message_id = id;
    ack.sender = "CN-MPS";
    ack.recipient = "LA-MPS";
    ack.status = status;
    ack.payload_sha256 = crypto::Sha256Hex(csv);
    ack.received_at = absl::Now();
    ack.error_code = code;
    ack.error_field = field;
    ack.warnings = std::move(warnings);
    if (!code.empty()) ack.error_text = "refused by the test gateway";
    absl::StatusOr<std::string> bytes = EncodeAck(ack, *gateway_);
    ASSERT_TRUE(bytes.ok());
    Drop(root_ + "/outbox", id + ".ack", *bytes);
  }

  std::string pki_;
  std::string root_;
  std::string store_;
  std::unique_ptr<crypto::Signer> gateway_;
  std::unique_ptr<crypto::Verifier> la_;
};

TEST_F(LaMpsMockProcessTest, ServeAnswersMessagesDroppedIntoOutbox) {
  std::vector<std::string> args = {"serve", "--store", store_, "--poll",
                                   "100ms", "--grace", "1s",   "--json"};
  for (const std::string& k : Keys()) args.push_back(k);
  Child serve(args);

  const std::string id = "6f1c2b7e-3d4a-4c5b-9e8f-0a1b2c3d4e5f";
  const std::string csv = StatusCsv(id);
  const std::string sig = SigOf(csv);
  Drop(root_ + "/outbox", id + ".csv", csv);
  Drop(root_ + "/outbox", id + ".sig", sig);
  Drop(root_ + "/outbox", id + ".done", DoneOf(id, csv, sig));

  const std::string ack_path = root_ + "/inbox/" + id + ".ack";
  ASSERT_TRUE(WaitFor([&] { return Exists(ack_path); }))
      << serve.Out() << serve.Err();
  const absl::StatusOr<AckView> ack =
      ReadAck(ReadOrEmpty(ack_path), id, "LA-MPS", "CN-MPS", {la_.get()});
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->status, "ACCEPTED");
  EXPECT_EQ(ack->payload_sha256, crypto::Sha256Hex(csv));
  EXPECT_THAT(ack->partner_ref, StartsWith("LA-MPS-IN-"));
  EXPECT_EQ(ack->key_id, la_->key_id_hex());

  const std::string journal_path = store_ + "/received.jsonl";
  ASSERT_TRUE(WaitFor(
      [&] { return absl::StrContains(ReadOrEmpty(journal_path), id); }));
  const nlohmann::json line = nlohmann::json::parse(
      ReadOrEmpty(journal_path)
          .substr(0, ReadOrEmpty(journal_path).find('\n')));
  EXPECT_EQ(line["message_id"], id);
  EXPECT_EQ(line["status"], "ACCEPTED");
  EXPECT_EQ(line["message_type"], "CASE_STATUS");
  EXPECT_EQ(line["text_langs"]["note"], nlohmann::json({"en"}));
  EXPECT_EQ(ReadOrEmpty(store_ + "/received/" + id + ".csv"), csv);

  // A truncated .csv: CORRUPT INCOMPLETE after the 1 s grace.
  const std::string id2 = "6f1c2b7e-3d4a-4c5b-9e8f-0a1b2c3d4e60";
  const std::string csv2 = StatusCsv(id2);
  const std::string sig2 = SigOf(csv2);
  Drop(root_ + "/outbox", id2 + ".csv", csv2.substr(0, csv2.size() - 30));
  Drop(root_ + "/outbox", id2 + ".sig", sig2);
  Drop(root_ + "/outbox", id2 + ".done", DoneOf(id2, csv2, sig2));
  const std::string ack2_path = root_ + "/inbox/" + id2 + ".ack";
  ASSERT_TRUE(WaitFor([&] { return Exists(ack2_path); }))
      << serve.Out() << serve.Err();
  const absl::StatusOr<AckView> ack2 =
      ReadAck(ReadOrEmpty(ack2_path), id2, "LA-MPS", "CN-MPS", {la_.get()});
  ASSERT_TRUE(ack2.ok()) << ack2.status();
  EXPECT_EQ(ack2->status, "CORRUPT");
  EXPECT_EQ(ack2->error_code, "INCOMPLETE");

  EXPECT_EQ(serve.Terminate(), 0) << serve.Err();
  const std::string out = serve.Out();
  EXPECT_THAT(out, HasSubstr("\"event\":\"started\""));
  EXPECT_THAT(out, HasSubstr("\"event\":\"accepted\""));
  EXPECT_THAT(out, HasSubstr("\"event\":\"corrupt\""));
}

TEST_F(LaMpsMockProcessTest, SendPrintsAcceptedWhenTheGatewayAccepts) {
  const std::string id = "0b7f3c2a-1111-4a2b-8c3d-4e5f60718293";
  std::vector<std::string> args = {"send",         "--kind", "alert",
                                   "--message-id", id,       "--wait",
                                   "60s",          "--poll", "50ms"};
  for (const std::string& k : Keys()) args.push_back(k);
  Child send(args);
  const std::string inbox = root_ + "/inbox/";
  ASSERT_TRUE(WaitFor([&] { return Exists(inbox + id + ".done"); }))
      << send.Err();
  const std::string csv = ReadOrEmpty(inbox + id + ".csv");
  const std::string sig = ReadOrEmpty(inbox + id + ".sig");
  EXPECT_EQ(ReadOrEmpty(inbox + id + ".done"), DoneOf(id, csv, sig));
  std::string signature;
  ASSERT_TRUE(absl::Base64Unescape(sig.substr(0, sig.size() - 1), &signature));
  EXPECT_TRUE(la_->Verify(csv, signature).ok());
  EXPECT_THAT(csv, HasSubstr("\r\nsender,LA-MPS\r\nrecipient,CN-MPS\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\nrecipients.1,CN-MPS\r\n"));
  struct stat st;
  ASSERT_EQ(stat((inbox + id + ".csv").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);

  Answer(id, csv, "ACCEPTED", "", "", {{"NORMALIZED_NFC", "narrative.1.text"}});
  EXPECT_EQ(send.Wait(), 0) << send.Err();
  EXPECT_THAT(send.Out(), StartsWith("ACCEPTED " + id + " received_at="));
  EXPECT_THAT(
      send.Out(),
      HasSubstr(" partner_ref=- warnings=NORMALIZED_NFC:narrative.1.text"));
}

TEST_F(LaMpsMockProcessTest, SendExitsTwoWhenTheGatewayRejects) {
  const std::string id = "0b7f3c2a-2222-4a2b-8c3d-4e5f60718293";
  std::vector<std::string> args = {"send",
                                   "--kind",
                                   "repatriation-request",
                                   "--message-id",
                                   id,
                                   "--request-id",
                                   "LA-MPS-RQ-2026-0009",
                                   "--case-ref",
                                   "LA-MPS-CASE-2026-0021",
                                   "--poll",
                                   "50ms",
                                   "--json"};
  for (const std::string& k : Keys()) args.push_back(k);
  Child send(args);
  const std::string inbox = root_ + "/inbox/";
  ASSERT_TRUE(WaitFor([&] { return Exists(inbox + id + ".done"); }))
      << send.Err();
  const std::string csv = ReadOrEmpty(inbox + id + ".csv");
  EXPECT_THAT(csv, HasSubstr("\r\nrequest_id,LA-MPS-RQ-2026-0009\r\n"));
  Answer(id, csv, "REJECTED", "SCHEMA_VIOLATION", "victim.sex");
  EXPECT_EQ(send.Wait(), 2) << send.Err();
  const nlohmann::json result = nlohmann::json::parse(send.Out());
  EXPECT_EQ(result["status"], "REJECTED");
  EXPECT_EQ(result["error_code"], "SCHEMA_VIOLATION");
  EXPECT_EQ(result["error_field"], "victim.sex");
}

TEST_F(LaMpsMockProcessTest, SendRewritesAfterCorrupt) {
  const std::string id = "0b7f3c2a-3333-4a2b-8c3d-4e5f60718293";
  std::vector<std::string> args = {
      "send",   "--kind", "alert",           "--message-id",  id,
      "--poll", "50ms",   "--corrupt-first", "--corrupt-for", "60s"};
  for (const std::string& k : Keys()) args.push_back(k);
  Child send(args);
  const std::string inbox = root_ + "/inbox/";
  ASSERT_TRUE(WaitFor([&] { return Exists(inbox + id + ".done"); }))
      << send.Err();
  // The gateway's view: the .csv does not match the .done.
  const std::string partial = ReadOrEmpty(inbox + id + ".csv");
  const std::string done = ReadOrEmpty(inbox + id + ".done");
  ASSERT_NE(done.substr(0, 64), crypto::Sha256Hex(partial));
  Answer(id, partial, "CORRUPT", "INCOMPLETE");
  // Rewritten at once, complete this time.
  ASSERT_TRUE(WaitFor([&] {
    return ReadOrEmpty(inbox + id + ".done").substr(0, 64) ==
           crypto::Sha256Hex(ReadOrEmpty(inbox + id + ".csv"));
  })) << send.Err();
  Answer(id, ReadOrEmpty(inbox + id + ".csv"), "ACCEPTED");
  EXPECT_EQ(send.Wait(), 0) << send.Err();
  EXPECT_THAT(send.Out(), StartsWith("ACCEPTED " + id));
}

TEST_F(LaMpsMockProcessTest, SendWithoutAnswerExitsOne) {
  std::vector<std::string> args = {"send", "--kind", "alert", "--wait",
                                   "1s",   "--poll", "100ms"};
  for (const std::string& k : Keys()) args.push_back(k);
  Child send(args);
  EXPECT_EQ(send.Wait(), 1);
  EXPECT_EQ(send.Out(), "");
  const std::string err = send.Err();
  const std::string last =
      err.substr(err.rfind('\n', err.size() - 2) + 1);  // the final sentence
  EXPECT_THAT(last, StartsWith("la-mps-mock: no valid .ack"));
  EXPECT_THAT(last, HasSubstr("--wait"));
}

}  // namespace
}  // namespace gw::la_mps_mock
