// tests/unit/adapters/transport/file_drop_test.cc
//
// FileDropTransport on a real temporary link directory, with a fake
// FileDropProtocol (in inbox/, .ack bytes "FINAL <id>" and "CORRUPT <id>"
// are valid receipts, anything else is ignored; in outbox/, "FINAL <id>
// <csv sha256>" is our own final receipt for that .csv, anything else is
// not), a fake AnswerEncoder, a fake
// receiver, a fake clock for every ICD rule (grace, redelivery, retention)
// and a 10 ms poll interval. Tests wait for conditions or for whole polls
// (CompletedPollsForTest), never for a length of time.
#include "adapters/transport/file_drop.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gateway/crypto/sha256.h"
#include "gtest/gtest.h"
#include "tests/support/scoped_temp_dir.h"

namespace gw::adapters {
namespace {

constexpr char kId[] = "c000a73d-0a25-5904-bedf-ad6b56692274";
constexpr char kOtherId[] = "7a630138-e7dc-5b5f-b065-0cfd0ac15e7c";
constexpr char kCsv[] = "field,value\nformat,MKG-LA-CSV/1\nmessage_id,c000\n";
constexpr char kSig[] = "c2lnbmF0dXJlIG92ZXIgdGhlIGNzdg==\n";

// A message id per test case number.
std::string IdNumber(int n) {
  return absl::StrFormat("00000000-0000-4000-8000-%012d", n);
}

std::string DoneFor(const std::string& id, const std::string& csv,
                    const std::string& sig) {
  return absl::StrCat(gw::crypto::Sha256Hex(csv), "  ", id, ".csv\n",
                      gw::crypto::Sha256Hex(sig), "  ", id, ".sig\n");
}

PartnerMessage Message(const std::string& id, const std::string& csv = kCsv,
                       const std::string& sig = kSig) {
  PartnerMessage message;
  message.message_id = id;
  message.content_type = "text/csv";
  message.bytes = csv;
  message.metadata = {{kSigFile, sig}, {kDoneFile, DoneFor(id, csv, sig)}};
  return message;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

ino_t Inode(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

mode_t Mode(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

// The partner's way of writing (§3.2), so that a poll never sees a file
// half-written by the test itself.
void PartnerWrite(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    ASSERT_TRUE(out.good()) << tmp;
  }
  ASSERT_EQ(::rename(tmp.c_str(), path.c_str()), 0) << path;
}

void SetMtime(const std::string& path, absl::Time mtime) {
  struct timespec times[2];
  times[0] = absl::ToTimespec(mtime);
  times[1] = absl::ToTimespec(mtime);
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

template <typename Predicate>
::testing::AssertionResult Eventually(Predicate predicate, const char* what) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!predicate()) {
    if (absl::Now() > deadline)
      return ::testing::AssertionFailure() << "timed out waiting for " << what;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return ::testing::AssertionSuccess();
}

class FakeClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ = absl::Now();
};

class FakeProtocol final : public FileDropProtocol {
 public:
  AckKind InspectAck(std::string_view message_id,
                     std::string_view ack_bytes) const override {
    inspections_.fetch_add(1);
    const std::string id(message_id);
    if (ack_bytes == "FINAL " + id) return AckKind::kFinal;
    if (ack_bytes == "CORRUPT " + id) return AckKind::kCorrupt;
    return AckKind::kIgnore;
  }
  OwnAckKind InspectOwnAck(std::string_view message_id,
                           std::string_view ack_bytes,
                           std::string_view csv_sha256) const override {
    own_inspections_.fetch_add(1);
    const std::string prefix = "FINAL " + std::string(message_id) + " ";
    const std::string ack(ack_bytes);
    if (ack.compare(0, prefix.size(), prefix) != 0) return OwnAckKind::kNone;
    return ack.substr(prefix.size()) == csv_sha256 ? OwnAckKind::kSameMessage
                                                   : OwnAckKind::kConflict;
  }
  absl::StatusOr<std::string> MakeIncompleteAck(
      std::string_view message_id, std::string_view csv_bytes,
      std::string_view what_is_wrong) const override {
    incomplete_acks_.fetch_add(1);
    return absl::StrCat("INCOMPLETE ", std::string(message_id), " ",
                        csv_bytes.size(), " ", std::string(what_is_wrong));
  }
  int inspections() const { return inspections_.load(); }
  int own_inspections() const { return own_inspections_.load(); }
  int incomplete_acks() const { return incomplete_acks_.load(); }

 private:
  mutable std::atomic<int> inspections_{0};
  mutable std::atomic<int> own_inspections_{0};
  mutable std::atomic<int> incomplete_acks_{0};
};

std::string AckFor(const std::string& id) { return "ACK " + id + " ACCEPTED"; }

// Our final (ACCEPTED or REJECTED) .ack for `csv` under `id`, as the fake
// protocol recognises it.
std::string OwnFinalAck(const std::string& id, const std::string& csv) {
  return absl::StrCat("FINAL ", id, " ", gw::crypto::Sha256Hex(csv));
}

class FakeEncoder final : public AnswerEncoder {
 public:
  absl::StatusOr<std::optional<PartnerMessage>> EncodeAnswer(
      const std::string& sender_agency, const PartnerMessage& received,
      const InboundAnswer& answer) const override {
    calls_.fetch_add(1);
    if (sender_agency != "LA-MPS" || !answer.status.ok())
      return absl::InternalError("unexpected answer");
    if (nullopt_remaining_.load() > 0) {
      nullopt_remaining_.fetch_sub(1);
      return std::nullopt;
    }
    PartnerMessage ack;
    ack.message_id = received.message_id;
    ack.bytes = final_acks_.load()
                    ? OwnFinalAck(received.message_id, received.bytes)
                    : AckFor(received.message_id);
    return ack;
  }
  void AnswerNothingTimes(int n) { nullopt_remaining_.store(n); }
  // Answers with .acks the protocol recognises as our final ones.
  void WriteFinalAcks() { final_acks_.store(true); }
  int calls() const { return calls_.load(); }

 private:
  mutable std::atomic<int> calls_{0};
  std::atomic<bool> final_acks_{false};
  mutable std::atomic<int> nullopt_remaining_{0};
};

class FakeReceiver final : public InboundReceiver {
 public:
  struct Received {
    std::string sender_agency;
    PartnerMessage message;
  };

  void Receive(const std::string& sender_agency, PartnerMessage received,
               std::function<void(InboundAnswer)> answer) override {
    {
      absl::MutexLock lock(&mu_);
      received_.push_back({sender_agency, std::move(received)});
      if (hold_) {
        held_.push_back(std::move(answer));
        return;
      }
    }
    InboundAnswer ok;
    ok.status = absl::OkStatus();
    answer(std::move(ok));
  }

  size_t count() const {
    absl::MutexLock lock(&mu_);
    return received_.size();
  }
  Received at(size_t i) const {
    absl::MutexLock lock(&mu_);
    return received_.at(i);
  }
  // Keeps the answer callbacks instead of answering.
  void Hold() {
    absl::MutexLock lock(&mu_);
    hold_ = true;
  }
  std::vector<std::function<void(InboundAnswer)>> TakeHeld() {
    absl::MutexLock lock(&mu_);
    return std::move(held_);
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Received> received_;
  bool hold_ = false;
  std::vector<std::function<void(InboundAnswer)>> held_;
};

// One Send's answer.
struct SendResult {
  absl::Notification done;
  PartnerAnswer answer;
  std::atomic<int> calls{0};

  Transport::SendDone Callback() {
    return [this](PartnerAnswer a) {
      if (calls.fetch_add(1) == 0) {
        answer = std::move(a);
        done.Notify();
      }
    };
  }
  bool Wait() { return done.WaitForNotificationWithTimeout(absl::Seconds(30)); }
};

class FileDropTest : public ::testing::Test {
 protected:
  FileDropOptions Options() {
    FileDropOptions options;
    options.link_root = root_;
    options.peer_agency = "LA-MPS";
    options.poll_interval = absl::Milliseconds(10);
    options.clock = [this] { return clock_.Now(); };
    options.log = [this](std::string_view line) {
      absl::MutexLock lock(&log_mu_);
      logs_.emplace_back(line);
    };
    return options;
  }

  std::unique_ptr<FileDropTransport> Make() {
    absl::StatusOr<std::unique_ptr<FileDropTransport>> transport =
        FileDropTransport::Create(Options(), &protocol_, &encoder_);
    EXPECT_TRUE(transport.ok()) << transport.status();
    return transport.ok() ? *std::move(transport) : nullptr;
  }

  // Returns once `n` whole polls have run after the call.
  void WaitPolls(const FileDropTransport& transport, uint64_t n = 2) {
    const uint64_t start = transport.CompletedPollsForTest();
    ASSERT_TRUE(Eventually(
        [&] { return transport.CompletedPollsForTest() >= start + n; },
        "polls"));
  }

  int LogsContaining(absl::string_view text) {
    absl::MutexLock lock(&log_mu_);
    int n = 0;
    for (const std::string& line : logs_)
      if (absl::StrContains(line, text)) ++n;
    return n;
  }

  std::string Outbox(const std::string& name) const {
    return absl::StrCat(root_, "/outbox/", name);
  }
  std::string Inbox(const std::string& name) const {
    return absl::StrCat(root_, "/inbox/", name);
  }

  // The partner's three files, by §3.2 (the .done last).
  void PartnerSends(const std::string& id, const std::string& csv = kCsv,
                    const std::string& sig = kSig) {
    PartnerWrite(Inbox(id + ".csv"), csv);
    PartnerWrite(Inbox(id + ".sig"), sig);
    PartnerWrite(Inbox(id + ".done"), DoneFor(id, csv, sig));
  }

  gw::testing::ScopedTempDir dir_;
  const std::string root_ = dir_.path() + "/link";
  FakeClock clock_;
  FakeProtocol protocol_;
  FakeEncoder encoder_;
  FakeReceiver receiver_;
  absl::Mutex log_mu_;
  std::vector<std::string> logs_ ABSL_GUARDED_BY(log_mu_);
};

// ---------------------------------------------------------------------------
// Create

TEST_F(FileDropTest, CreateMakesBothDirectoriesWithMode0750) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(Mode(root_ + "/outbox"), 0750u);
  EXPECT_EQ(Mode(root_ + "/inbox"), 0750u);
}

TEST_F(FileDropTest, CreateRejectsBadOptionsNamingThem) {
  struct Case {
    std::function<void(FileDropOptions&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](FileDropOptions& o) { o.link_root.clear(); }, "link_root"},
      {[](FileDropOptions& o) { o.peer_agency.clear(); }, "peer_agency"},
      {[](FileDropOptions& o) { o.poll_interval = absl::Milliseconds(1); },
       "poll_interval"},
      {[](FileDropOptions& o) { o.poll_interval = absl::Minutes(16); },
       "poll_interval"},
      {[](FileDropOptions& o) { o.incomplete_grace = absl::ZeroDuration(); },
       "incomplete_grace"},
      {[](FileDropOptions& o) { o.redelivery_interval = -absl::Hours(1); },
       "redelivery_interval"},
      {[](FileDropOptions& o) { o.clock = nullptr; }, "clock"},
  };
  for (const Case& c : cases) {
    FileDropOptions options = Options();
    c.change(options);
    absl::StatusOr<std::unique_ptr<FileDropTransport>> transport =
        FileDropTransport::Create(options, &protocol_, &encoder_);
    ASSERT_FALSE(transport.ok()) << c.field;
    EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(transport.status().message(), c.field + ":"))
        << transport.status();
  }
  EXPECT_FALSE(FileDropTransport::Create(Options(), nullptr, &encoder_).ok());
  EXPECT_FALSE(FileDropTransport::Create(Options(), &protocol_, nullptr).ok());
}

TEST_F(FileDropTest, CreateFailsWhenTheLinkRootIsAFile) {
  PartnerWrite(root_, "not a directory");
  absl::StatusOr<std::unique_ptr<FileDropTransport>> transport =
      FileDropTransport::Create(Options(), &protocol_, &encoder_);
  ASSERT_FALSE(transport.ok());
  EXPECT_EQ(transport.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(transport.status().message(), "link_root:"));
}

TEST_F(FileDropTest, OnlyOneTransportPerLinkRoot) {
  auto first = Make();
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<FileDropTransport>> second =
      FileDropTransport::Create(Options(), &protocol_, &encoder_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  first->Stop();  // releases the link root
  EXPECT_TRUE(FileDropTransport::Create(Options(), &protocol_, &encoder_).ok());
}

// ---------------------------------------------------------------------------
// Sending

TEST_F(FileDropTest, SendWritesCsvSigThenDoneEachByAtomicRename) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  const int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ASSERT_GE(watch, 0);
  ASSERT_GE(inotify_add_watch(watch, (root_ + "/outbox").c_str(),
                              IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO |
                                  IN_DELETE | IN_CLOSE_WRITE),
            0);

  transport->Send(Message(kId), result.Callback());
  ASSERT_TRUE(Eventually(
      [&] { return Exists(Outbox(std::string(kId) + ".done")); }, ".done"));

  // Every event up to the .done's rename is queued by now.
  std::vector<std::string> events;
  alignas(struct inotify_event) char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(watch, buffer, sizeof(buffer));
    if (n <= 0) break;
    for (ssize_t i = 0; i < n;) {
      const auto* event =
          reinterpret_cast<const struct inotify_event*>(buffer + i);
      const std::string name = event->len > 0 ? event->name : "";
      if (event->mask & IN_CREATE) events.push_back("create " + name);
      if (event->mask & IN_CLOSE_WRITE) events.push_back("written " + name);
      if (event->mask & IN_MOVED_FROM) events.push_back("from " + name);
      if (event->mask & IN_MOVED_TO) events.push_back("to " + name);
      if (event->mask & IN_DELETE) events.push_back("delete " + name);
      i += sizeof(struct inotify_event) + event->len;
    }
  }
  ::close(watch);
  std::vector<std::string> want;
  for (const char* ext : {".csv", ".sig", ".done"}) {
    const std::string name = std::string(kId) + ext;
    want.push_back("create " + name + ".tmp");
    want.push_back("written " + name + ".tmp");
    want.push_back("from " + name + ".tmp");
    want.push_back("to " + name);
  }
  EXPECT_EQ(events, want);

  for (const char* ext : {".csv", ".sig", ".done"}) {
    const std::string path = Outbox(std::string(kId) + ext);
    EXPECT_EQ(Mode(path), 0640u) << path;
    EXPECT_FALSE(Exists(path + ".tmp")) << path;
  }
  const PartnerMessage sent = Message(kId);
  EXPECT_EQ(ReadFile(Outbox(std::string(kId) + ".csv")), sent.bytes);
  EXPECT_EQ(ReadFile(Outbox(std::string(kId) + ".sig")), kSig);
  EXPECT_EQ(ReadFile(Outbox(std::string(kId) + ".done")),
            sent.metadata[1].second);
  EXPECT_FALSE(result.done.HasBeenNotified());
}

TEST_F(FileDropTest, SendCompletesOnAFinalAckWithItsBytes) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), result.Callback());
  ASSERT_TRUE(Eventually(
      [&] { return Exists(Outbox(std::string(kId) + ".done")); }, ".done"));
  WaitPolls(*transport);
  EXPECT_FALSE(result.done.HasBeenNotified());

  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("FINAL ") + kId);
  ASSERT_TRUE(result.Wait());
  EXPECT_TRUE(result.answer.status.ok()) << result.answer.status;
  EXPECT_EQ(result.answer.bytes, std::string("FINAL ") + kId);
  WaitPolls(*transport);
  EXPECT_EQ(result.calls.load(), 1);
}

TEST_F(FileDropTest, AckAlreadyPresentCompletesTheSendAtOnce) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("FINAL ") + kId);
  transport->Send(Message(kId), result.Callback());
  ASSERT_TRUE(result.Wait());
  EXPECT_TRUE(result.answer.status.ok());
  EXPECT_EQ(result.answer.bytes, std::string("FINAL ") + kId);
}

TEST_F(FileDropTest,
       InvalidAckIsInspectedOnceUntilItChangesThenValidOneCompletes) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), result.Callback());
  ASSERT_TRUE(Eventually(
      [&] { return Exists(Outbox(std::string(kId) + ".done")); }, ".done"));

  PartnerWrite(Inbox(std::string(kId) + ".ack"), "FINAL half-cop");
  ASSERT_TRUE(Eventually([&] { return protocol_.inspections() == 1; },
                         "first inspection"));
  WaitPolls(*transport, 3);
  EXPECT_EQ(protocol_.inspections(), 1);
  EXPECT_FALSE(result.done.HasBeenNotified());

  // Still invalid after 6 h: one operator line, not one per poll.
  clock_.Advance(absl::Hours(6) + absl::Minutes(1));
  ASSERT_TRUE(Eventually(
      [&] { return LogsContaining("still not a valid receipt") == 1; }, "log"));
  WaitPolls(*transport, 3);
  EXPECT_EQ(LogsContaining("still not a valid receipt"), 1);

  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("FINAL ") + kId);
  ASSERT_TRUE(result.Wait());
  EXPECT_TRUE(result.answer.status.ok());
  EXPECT_EQ(result.answer.bytes, std::string("FINAL ") + kId);
}

TEST_F(FileDropTest, CorruptAckRewritesTheThreeFilesAtOnceAndOnlyOnce) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), result.Callback());
  const std::string done = Outbox(std::string(kId) + ".done");
  ASSERT_TRUE(Eventually([&] { return Exists(done); }, ".done"));
  const ino_t csv_before = Inode(Outbox(std::string(kId) + ".csv"));
  const ino_t sig_before = Inode(Outbox(std::string(kId) + ".sig"));
  const ino_t done_before = Inode(done);

  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("CORRUPT ") + kId);
  ASSERT_TRUE(
      Eventually([&] { return Inode(done) != done_before && Inode(done) != 0; },
                 "rewritten .done"));
  EXPECT_NE(Inode(Outbox(std::string(kId) + ".csv")), csv_before);
  EXPECT_NE(Inode(Outbox(std::string(kId) + ".sig")), sig_before);
  EXPECT_EQ(ReadFile(Outbox(std::string(kId) + ".csv")), kCsv);
  EXPECT_EQ(ReadFile(done), DoneFor(kId, kCsv, kSig));
  EXPECT_FALSE(result.done.HasBeenNotified());

  // The same CORRUPT .ack is answered once, not at every poll.
  const ino_t done_after = Inode(done);
  WaitPolls(*transport, 3);
  EXPECT_EQ(Inode(done), done_after);

  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("FINAL ") + kId);
  ASSERT_TRUE(result.Wait());
  EXPECT_TRUE(result.answer.status.ok());
}

TEST_F(FileDropTest, RewritesTheSameBytesEveryRedeliveryInterval) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), result.Callback());
  const std::string done = Outbox(std::string(kId) + ".done");
  ASSERT_TRUE(Eventually([&] { return Exists(done); }, ".done"));
  // The redelivery clock starts once the Send is taken up completely.
  WaitPolls(*transport);
  const ino_t first = Inode(done);

  clock_.Advance(absl::Hours(23));
  WaitPolls(*transport, 3);
  EXPECT_EQ(Inode(done), first);

  clock_.Advance(absl::Hours(1) + absl::Seconds(1));
  ASSERT_TRUE(
      Eventually([&] { return Inode(done) != first && Inode(done) != 0; },
                 "first redelivery"));
  WaitPolls(*transport);
  const ino_t second = Inode(done);
  EXPECT_EQ(ReadFile(Outbox(std::string(kId) + ".csv")), kCsv);
  EXPECT_EQ(ReadFile(done), DoneFor(kId, kCsv, kSig));

  clock_.Advance(absl::Hours(24) + absl::Seconds(1));
  ASSERT_TRUE(
      Eventually([&] { return Inode(done) != second && Inode(done) != 0; },
                 "second redelivery"));
  EXPECT_FALSE(result.done.HasBeenNotified());
}

TEST_F(FileDropTest, RestartWithIdenticalFreshFilesDoesNotRewriteThem) {
  const std::string done = Outbox(std::string(kId) + ".done");
  {
    SendResult result;
    auto before_restart = Make();
    ASSERT_NE(before_restart, nullptr);
    before_restart->Send(Message(kId), result.Callback());
    ASSERT_TRUE(Eventually([&] { return Exists(done); }, ".done"));
    before_restart.reset();
    ASSERT_TRUE(result.Wait());
    EXPECT_EQ(result.answer.status.code(), absl::StatusCode::kUnavailable);
  }
  const ino_t csv = Inode(Outbox(std::string(kId) + ".csv"));
  const ino_t done_inode = Inode(done);

  SendResult resent;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), resent.Callback());
  WaitPolls(*transport, 3);
  EXPECT_EQ(Inode(Outbox(std::string(kId) + ".csv")), csv);
  EXPECT_EQ(Inode(done), done_inode);
  EXPECT_FALSE(resent.done.HasBeenNotified());

  // The redelivery clock runs from when the files were written, not from
  // the restart.
  clock_.Advance(absl::Hours(24) + absl::Seconds(1));
  ASSERT_TRUE(
      Eventually([&] { return Inode(done) != done_inode && Inode(done) != 0; },
                 "redelivery"));
}

TEST_F(FileDropTest, ResendWithOtherBytesRewritesAndSupersedesTheEarlierSend) {
  SendResult first;
  SendResult second;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), first.Callback());
  const std::string done = Outbox(std::string(kId) + ".done");
  ASSERT_TRUE(Eventually([&] { return Exists(done); }, ".done"));

  const std::string csv = std::string(kCsv) + "note,other\n";
  transport->Send(Message(kId, csv), second.Callback());
  ASSERT_TRUE(first.Wait());
  EXPECT_EQ(first.answer.status.code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(Eventually(
      [&] { return ReadFile(done) == DoneFor(kId, csv, kSig); }, "new .done"));
  EXPECT_EQ(ReadFile(Outbox(std::string(kId) + ".csv")), csv);

  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("FINAL ") + kId);
  ASSERT_TRUE(second.Wait());
  EXPECT_TRUE(second.answer.status.ok());
}

TEST_F(FileDropTest, RestartWithFilesOlderThanTheRedeliveryIntervalRewrites) {
  {
    SendResult result;
    auto before_restart = Make();
    ASSERT_NE(before_restart, nullptr);
    before_restart->Send(Message(kId), result.Callback());
    ASSERT_TRUE(Eventually(
        [&] { return Exists(Outbox(std::string(kId) + ".done")); }, ".done"));
  }
  const std::string done = Outbox(std::string(kId) + ".done");
  const ino_t done_inode = Inode(done);
  clock_.Advance(absl::Hours(25));
  SendResult resent;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), resent.Callback());
  ASSERT_TRUE(
      Eventually([&] { return Inode(done) != done_inode && Inode(done) != 0; },
                 "rewrite"));
}

TEST_F(FileDropTest, InvalidSendAnswersInvalidArgumentAtOnceAndWritesNothing) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);

  PartnerMessage upper = Message(kId);
  upper.message_id = "C000A73D-0A25-5904-BEDF-AD6B56692274";
  PartnerMessage no_sig = Message(kId);
  no_sig.metadata.erase(no_sig.metadata.begin());
  PartnerMessage wrong_done = Message(kId);
  wrong_done.metadata[1].second = DoneFor(kId, "other bytes", kSig);

  for (const auto& [message, field] :
       std::vector<std::pair<PartnerMessage, std::string>>{
           {upper, "message_id"},
           {no_sig, "metadata[sig]"},
           {wrong_done, "metadata[done]"}}) {
    SendResult result;
    transport->Send(message, result.Callback());
    ASSERT_TRUE(result.Wait()) << field;
    EXPECT_EQ(result.answer.status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(result.answer.status.message(), field + ":"))
        << result.answer.status;
  }
  WaitPolls(*transport);
  EXPECT_FALSE(Exists(Outbox(std::string(kId) + ".csv")));
  EXPECT_FALSE(Exists(Outbox(std::string(kId) + ".done")));
}

TEST_F(FileDropTest, WriteFailureAnswersUnavailableNamingThePath) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  // Running as root defeats permission bits; a directory where the .tmp
  // must go fails the same way a read-only directory would.
  const std::string blocker = Outbox(std::string(kId) + ".csv.tmp");
  ASSERT_EQ(::mkdir(blocker.c_str(), 0700), 0);

  transport->Send(Message(kId), result.Callback());
  ASSERT_TRUE(result.Wait());
  EXPECT_EQ(result.answer.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(result.answer.status.message(), blocker))
      << result.answer.status;
  EXPECT_TRUE(absl::StrContains(result.answer.status.message(),
                                "check the link directory"));
  EXPECT_FALSE(Exists(Outbox(std::string(kId) + ".done")));
}

TEST_F(FileDropTest, StopAnswersPendingSendsUnavailableAndIsIdempotent) {
  SendResult first, second;
  SendResult late;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), first.Callback());
  transport->Send(Message(kOtherId), second.Callback());
  ASSERT_TRUE(Eventually(
      [&] { return Exists(Outbox(std::string(kOtherId) + ".done")); },
      ".done"));

  transport->Stop();
  ASSERT_TRUE(first.done.HasBeenNotified());
  ASSERT_TRUE(second.done.HasBeenNotified());
  EXPECT_EQ(first.answer.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(second.answer.status.code(), absl::StatusCode::kUnavailable);
  transport->Stop();

  transport->Send(Message(kId), late.Callback());
  ASSERT_TRUE(late.done.HasBeenNotified());
  EXPECT_EQ(late.answer.status.code(), absl::StatusCode::kUnavailable);
  transport.reset();
  EXPECT_EQ(first.calls.load(), 1);
  EXPECT_EQ(second.calls.load(), 1);
}

// ---------------------------------------------------------------------------
// Receiving

TEST_F(FileDropTest, CompleteMessageReachesTheReceiverOnceAndIsAcked) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);

  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  EXPECT_EQ(ReadFile(ack), AckFor(kId));
  EXPECT_EQ(Mode(ack), 0640u);
  EXPECT_FALSE(Exists(ack + ".tmp"));
  ASSERT_EQ(receiver_.count(), 1u);
  const FakeReceiver::Received got = receiver_.at(0);
  EXPECT_EQ(got.sender_agency, "LA-MPS");
  EXPECT_EQ(got.message.message_id, kId);
  EXPECT_EQ(got.message.content_type, "text/csv");
  EXPECT_EQ(got.message.bytes, kCsv);
  const Metadata want = {{kSigFile, kSig},
                         {kDoneFile, DoneFor(kId, kCsv, kSig)}};
  EXPECT_EQ(got.message.metadata, want);

  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
  // The partner's directory is only read.
  EXPECT_TRUE(Exists(Inbox(std::string(kId) + ".csv")));
  EXPECT_TRUE(Exists(Inbox(std::string(kId) + ".done")));
}

TEST_F(FileDropTest, RewrittenFilesWithoutAFinalAckOfOursAreHandedOverAgain) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  const ino_t first_ack = Inode(ack);

  // The protocol does not call this .ack a final one of ours (kNone): the
  // resent files go to the gateway again, which answers again.
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 2; }, "resend"));
  ASSERT_TRUE(Eventually(
      [&] { return Inode(ack) != first_ack && Inode(ack) != 0; }, "new .ack"));
  EXPECT_GE(protocol_.own_inspections(), 1);
}

// §7.2 step 4: an id in a final state is never processed again.

TEST_F(FileDropTest, AnsweredMessageIsNotHandedOverAgainAfterARestart) {
  encoder_.WriteFinalAcks();
  const std::string ack = Outbox(std::string(kId) + ".ack");
  {
    auto before_restart = Make();
    ASSERT_NE(before_restart, nullptr);
    ASSERT_TRUE(before_restart->StartReceiving(&receiver_).ok());
    PartnerSends(kId);
    ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  }
  ASSERT_EQ(receiver_.count(), 1u);
  const std::string bytes = ReadFile(ack);
  ASSERT_EQ(bytes, OwnFinalAck(kId, kCsv));
  const ino_t inode = Inode(ack);

  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  WaitPolls(*transport, 3);
  EXPECT_GE(protocol_.own_inspections(), 1);
  EXPECT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(encoder_.calls(), 1);
  // Untouched: the partner's files are older than the .ack, so they are not
  // a resend.
  EXPECT_EQ(Inode(ack), inode);
  EXPECT_EQ(ReadFile(ack), bytes);
  EXPECT_EQ(LogsContaining("written again"), 0);
}

TEST_F(FileDropTest, FilesRewrittenWhileTheGatewayWasDownGetTheAckAgain) {
  encoder_.WriteFinalAcks();
  const std::string ack = Outbox(std::string(kId) + ".ack");
  {
    auto before_restart = Make();
    ASSERT_NE(before_restart, nullptr);
    ASSERT_TRUE(before_restart->StartReceiving(&receiver_).ok());
    PartnerSends(kId);
    ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  }
  // The partner's files are now newer than our .ack: it resent them.
  SetMtime(ack, absl::Now() - absl::Hours(1));
  const std::string bytes = ReadFile(ack);
  const ino_t inode = Inode(ack);

  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  ASSERT_TRUE(Eventually([&] { return Inode(ack) != inode && Inode(ack) != 0; },
                         "new .ack"));
  EXPECT_EQ(ReadFile(ack), bytes);
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(FileDropTest, ExactDuplicateGetsTheSameAckWrittenAgainOnly) {
  encoder_.WriteFinalAcks();
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  const std::string bytes = ReadFile(ack);
  const ino_t first = Inode(ack);

  // The partner has not seen our .ack and writes the same files again.
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return Inode(ack) != first && Inode(ack) != 0; },
                         "new .ack"));
  // Byte for byte, by the write protocol.
  EXPECT_EQ(ReadFile(ack), bytes);
  EXPECT_EQ(Mode(ack), 0640u);
  EXPECT_FALSE(Exists(ack + ".tmp"));
  // Once per rewrite by the partner, not at every poll.
  const ino_t second = Inode(ack);
  WaitPolls(*transport, 3);
  EXPECT_EQ(Inode(ack), second);
  EXPECT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(encoder_.calls(), 1);
  EXPECT_EQ(LogsContaining(std::string(kId) + ": exact duplicate"), 1);
}

TEST_F(FileDropTest, IncompleteFilesUnderAnAnsweredIdKeepOurFinalAck) {
  encoder_.WriteFinalAcks();
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  const std::string bytes = ReadFile(ack);

  // The partner's redelivery arrives truncated and stays so past the
  // grace period: no CORRUPT .ack replaces the final one.
  const std::string whole = kCsv;
  PartnerWrite(Inbox(std::string(kId) + ".csv"), whole.substr(0, 10));
  WaitPolls(*transport, 3);
  clock_.Advance(absl::Hours(6) + absl::Minutes(1));
  WaitPolls(*transport, 3);
  EXPECT_EQ(ReadFile(ack), bytes);
  EXPECT_EQ(LogsContaining("our final .ack is kept"), 1);

  // Complete again: the stored .ack is written again, nothing handed over.
  PartnerSends(kId);
  WaitPolls(*transport, 3);
  EXPECT_EQ(ReadFile(ack), bytes);
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(FileDropTest, ConflictingReuseOfAnIdKeepsTheAckAndAlertsOnce) {
  encoder_.WriteFinalAcks();
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  const std::string bytes = ReadFile(ack);
  const ino_t inode = Inode(ack);

  // Other content under the same id.
  const std::string other = std::string(kCsv) + "victim.family_name,X\n";
  PartnerSends(kId, other);
  const std::string alert =
      absl::StrCat("conflicting reuse of message id ", kId, ": ");
  ASSERT_TRUE(
      Eventually([&] { return LogsContaining(alert) == 1; }, "alert line"));
  EXPECT_EQ(LogsContaining("operator attention"), 1);
  WaitPolls(*transport, 3);
  EXPECT_EQ(LogsContaining(alert), 1);
  EXPECT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(encoder_.calls(), 1);
  EXPECT_EQ(Inode(ack), inode);
  EXPECT_EQ(ReadFile(ack), bytes);
  // No file content in the log.
  EXPECT_EQ(LogsContaining("victim"), 0);

  // Another version of the conflicting files: one more line.
  PartnerSends(kId, other);
  ASSERT_TRUE(
      Eventually([&] { return LogsContaining(alert) == 2; }, "second alert"));
  EXPECT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(Inode(ack), inode);

  // The original files again: an exact duplicate.
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return Inode(ack) != inode && Inode(ack) != 0; },
                         "new .ack"));
  EXPECT_EQ(ReadFile(ack), bytes);
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(FileDropTest, LinksAndFifosInTheInboxAreNeverRead) {
  // Whoever writes inbox/ must not make the gateway read one of its own
  // files (a symbolic link, whose digest a CORRUPT .ack would reveal) or
  // block its only thread (a FIFO).
  const std::string secret = dir_.path() + "/secret";
  { std::ofstream(secret) << "not for the partner"; }
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  const std::string other = "7d4f3a2b-1c0e-4f9a-8b7c-6d5e4f3a2b1c";
  ASSERT_EQ(::symlink(secret.c_str(), Inbox(std::string(kId) + ".csv").c_str()),
            0);
  PartnerWrite(Inbox(std::string(kId) + ".sig"), kSig);
  PartnerWrite(Inbox(std::string(kId) + ".done"),
               DoneFor(kId, "not for the partner", kSig));
  ASSERT_EQ(::mkfifo(Inbox(other + ".csv").c_str(), 0640), 0);
  PartnerWrite(Inbox(other + ".sig"), kSig);
  PartnerWrite(Inbox(other + ".done"), DoneFor(other, kCsv, kSig));

  WaitPolls(*transport, 3);
  clock_.Advance(absl::Hours(7));
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 0u);
  EXPECT_FALSE(Exists(Outbox(std::string(kId) + ".ack")));
  EXPECT_FALSE(Exists(Outbox(other + ".ack")));
  EXPECT_EQ(LogsContaining("symbolic link"), 1);
  EXPECT_EQ(LogsContaining("not a regular file"), 1);
  // The thread was never blocked: a message next to them still goes through.
  const std::string third = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  PartnerSends(third);
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 1; }, "hand-over"));
}

TEST_F(FileDropTest, CorruptAckOfOursIsNotAFinalState) {
  // A CORRUPT .ack of ours from an earlier run (the files were incomplete
  // then); now the message is complete: it is processed.
  encoder_.WriteFinalAcks();
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  {
    std::ofstream out(ack, std::ios::binary);
    out << "INCOMPLETE " << kId << " 10 .csv does not match .done";
  }
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 1; }, "hand-over"));
  ASSERT_TRUE(Eventually(
      [&] { return ReadFile(ack) == OwnFinalAck(kId, kCsv); }, "final .ack"));
}

TEST_F(FileDropTest,
       TruncatedCsvIsNotHandedOverThenCorruptAfterGraceThenFixed) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  const std::string whole = kCsv;
  PartnerWrite(Inbox(std::string(kId) + ".csv"), whole.substr(0, 10));
  PartnerWrite(Inbox(std::string(kId) + ".sig"), kSig);
  PartnerWrite(Inbox(std::string(kId) + ".done"), DoneFor(kId, whole, kSig));
  const std::string ack = Outbox(std::string(kId) + ".ack");

  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 0u);
  EXPECT_FALSE(Exists(ack));

  // A rewrite by the sender does not restart the grace period.
  clock_.Advance(absl::Hours(5));
  PartnerWrite(Inbox(std::string(kId) + ".csv"), whole.substr(0, 20));
  WaitPolls(*transport, 3);
  EXPECT_FALSE(Exists(ack));
  clock_.Advance(absl::Hours(1) + absl::Minutes(1));
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, "CORRUPT .ack"));
  const std::string corrupt = ReadFile(ack);
  EXPECT_TRUE(
      absl::StartsWith(corrupt, absl::StrCat("INCOMPLETE ", kId, " 20 ")))
      << corrupt;
  EXPECT_TRUE(absl::StrContains(corrupt, ".csv")) << corrupt;
  EXPECT_EQ(Mode(ack), 0640u);
  EXPECT_EQ(receiver_.count(), 0u);

  // Unchanged files: no new CORRUPT .ack.
  WaitPolls(*transport, 3);
  EXPECT_EQ(protocol_.incomplete_acks(), 1);

  // Changed but still incomplete: a new CORRUPT .ack at once.
  PartnerWrite(Inbox(std::string(kId) + ".csv"), whole.substr(0, 30));
  ASSERT_TRUE(Eventually([&] { return protocol_.incomplete_acks() == 2; },
                         "second CORRUPT .ack"));
  EXPECT_EQ(receiver_.count(), 0u);

  // Complete at last: processed, and the CORRUPT .ack replaced.
  PartnerWrite(Inbox(std::string(kId) + ".csv"), whole);
  ASSERT_TRUE(
      Eventually([&] { return ReadFile(ack) == AckFor(kId); }, "final .ack"));
  ASSERT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(receiver_.at(0).message.bytes, whole);
}

TEST_F(FileDropTest, MalformedDoneIsIncomplete) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  std::vector<std::string> ids;
  auto add = [&](const std::function<std::string(const std::string&)>& done) {
    const std::string id = IdNumber(static_cast<int>(ids.size()) + 1);
    ids.push_back(id);
    PartnerWrite(Inbox(id + ".csv"), kCsv);
    PartnerWrite(Inbox(id + ".sig"), kSig);
    PartnerWrite(Inbox(id + ".done"), done(id));
  };
  const std::string csv_hex = gw::crypto::Sha256Hex(kCsv);
  const std::string sig_hex = gw::crypto::Sha256Hex(kSig);
  add([&](const std::string& id) {  // one space
    return absl::StrCat(csv_hex, " ", id, ".csv\n", sig_hex, " ", id, ".sig\n");
  });
  add([&](const std::string& id) {  // uppercase hex
    std::string done = DoneFor(id, kCsv, kSig);
    for (size_t i = 0; i < 64; ++i)
      done[i] = static_cast<char>(toupper(done[i]));
    return done;
  });
  add([&](const std::string& id) {  // no final LF
    std::string done = DoneFor(id, kCsv, kSig);
    done.pop_back();
    return done;
  });
  add([&](const std::string& id) {  // a third line
    return DoneFor(id, kCsv, kSig) + "\n";
  });
  add([&](const std::string& id) {  // lines swapped
    return absl::StrCat(sig_hex, "  ", id, ".sig\n", csv_hex, "  ", id,
                        ".csv\n");
  });
  add([&](const std::string& id) {  // CRLF
    return absl::StrCat(csv_hex, "  ", id, ".csv\r\n", sig_hex, "  ", id,
                        ".sig\r\n");
  });
  add([](const std::string&) {  // another message's names
    return DoneFor(kOtherId, kCsv, kSig);
  });

  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 0u);
  clock_.Advance(absl::Hours(6) + absl::Minutes(1));
  for (const std::string& id : ids) {
    const std::string ack = Outbox(id + ".ack");
    ASSERT_TRUE(Eventually([&] { return Exists(ack); }, "CORRUPT .ack")) << id;
    EXPECT_TRUE(absl::StrContains(ReadFile(ack), id + ".done: "))
        << ReadFile(ack);
  }
  EXPECT_EQ(receiver_.count(), 0u);
}

TEST_F(FileDropTest, MissingCsvIsIncompleteWithAnEmptyCsv) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerWrite(Inbox(std::string(kId) + ".sig"), kSig);
  PartnerWrite(Inbox(std::string(kId) + ".done"), DoneFor(kId, kCsv, kSig));
  WaitPolls(*transport, 2);
  clock_.Advance(absl::Hours(6));
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, "CORRUPT .ack"));
  EXPECT_EQ(ReadFile(ack),
            absl::StrCat("INCOMPLETE ", kId, " 0 ", kId, ".csv: missing"));
}

TEST_F(FileDropTest, NamesOutsideThePatternAndTmpFilesAreIgnored) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  const std::string id = kId;
  const std::string upper = "C000A73D-0A25-5904-BEDF-AD6B56692274";
  // Complete messages, but under names the ICD tells readers to ignore.
  for (const auto& [name, bytes] :
       std::vector<std::pair<std::string, std::string>>{
           {id + ".csv.tmp", kCsv},
           {id + ".sig.tmp", kSig},
           {id + ".done.tmp", DoneFor(id, kCsv, kSig)},
           {upper + ".csv", kCsv},
           {upper + ".sig", kSig},
           {upper + ".done", DoneFor(upper, kCsv, kSig)},
           {"readme.done", "x"},
           {id + ".done.bak", DoneFor(id, kCsv, kSig)},
           {"{" + id + "}.done", DoneFor(id, kCsv, kSig)}}) {
    std::ofstream out(Inbox(name), std::ios::binary);
    out << bytes;
  }
  // .csv and .sig without .done: waiting for the marker.
  PartnerWrite(Inbox(std::string(kOtherId) + ".csv"), kCsv);
  PartnerWrite(Inbox(std::string(kOtherId) + ".sig"), kSig);

  WaitPolls(*transport, 3);
  clock_.Advance(absl::Hours(24 * 7) + absl::Minutes(1));
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 0u);
  EXPECT_EQ(protocol_.incomplete_acks(), 0);
  EXPECT_FALSE(Exists(Outbox(id + ".ack")));
  EXPECT_FALSE(Exists(Outbox(std::string(kOtherId) + ".ack")));
  // §7.4: logged once after 7 days.
  EXPECT_EQ(LogsContaining(std::string(kOtherId) +
                           ": .csv/.sig in inbox/ without a .done"),
            1);
  WaitPolls(*transport, 3);
  EXPECT_EQ(LogsContaining(std::string(kOtherId) +
                           ": .csv/.sig in inbox/ without a .done"),
            1);
  // Nothing in the partner's directory was touched.
  EXPECT_TRUE(Exists(Inbox(id + ".csv.tmp")));
  EXPECT_TRUE(Exists(Inbox(upper + ".done")));
}

TEST_F(FileDropTest, NoAnswerPrescribedIsHandedOverAgainAtALaterPoll) {
  encoder_.AnswerNothingTimes(2);
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 1; }, "hand-over"));
  // Not again before one poll interval has passed...
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
  clock_.Advance(absl::Milliseconds(10));
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 2; }, "again"));
  // ...then after twice as long: a held message is not refused (and
  // audited) at every poll for days.
  clock_.Advance(absl::Milliseconds(10));
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 2u);
  clock_.Advance(absl::Milliseconds(10));
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  EXPECT_EQ(receiver_.count(), 3u);
  EXPECT_EQ(ReadFile(ack), AckFor(kId));
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 3u);
}

TEST_F(FileDropTest, UnansweredMessageWhoseFilesChangeIsHandedOverAtOnce) {
  encoder_.AnswerNothingTimes(1);
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 1; }, "hand-over"));
  WaitPolls(*transport, 2);
  PartnerSends(kId);  // the partner writes the files again
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  EXPECT_EQ(receiver_.count(), 2u);
}

TEST_F(FileDropTest, AtMostOneHandOverInFlightPerMessage) {
  receiver_.Hold();
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 1; }, "hand-over"));
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  EXPECT_FALSE(Exists(ack));

  // The answer may come on any thread.
  std::vector<std::function<void(InboundAnswer)>> held = receiver_.TakeHeld();
  ASSERT_EQ(held.size(), 1u);
  std::thread answering([&] {
    InboundAnswer ok;
    ok.status = absl::OkStatus();
    held[0](std::move(ok));
  });
  answering.join();
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(FileDropTest, AnswerAfterStopOrDestructionIsDropped) {
  receiver_.Hold();
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  ASSERT_TRUE(Eventually([&] { return receiver_.count() == 1; }, "hand-over"));
  transport->Stop();
  std::vector<std::function<void(InboundAnswer)>> held = receiver_.TakeHeld();
  ASSERT_EQ(held.size(), 1u);
  InboundAnswer ok;
  ok.status = absl::OkStatus();
  held[0](ok);
  transport.reset();
  held[0](ok);  // misbehaving caller, after destruction: still harmless
  EXPECT_FALSE(Exists(Outbox(std::string(kId) + ".ack")));
  EXPECT_EQ(encoder_.calls(), 0);
}

TEST_F(FileDropTest, StartReceivingTwiceOrAfterStopFails) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(transport->StartReceiving(nullptr).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  EXPECT_EQ(transport->StartReceiving(&receiver_).code(),
            absl::StatusCode::kFailedPrecondition);
  transport.reset();

  auto stopped = Make();
  ASSERT_NE(stopped, nullptr);
  stopped->Stop();
  EXPECT_EQ(stopped->StartReceiving(&receiver_).code(),
            absl::StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------
// Clean-up (§7.5)

TEST_F(FileDropTest, OwnMessageFilesAreDeletedSevenDaysAfterTheFinalAck) {
  SendResult result;
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  transport->Send(Message(kId), result.Callback());
  ASSERT_TRUE(Eventually(
      [&] { return Exists(Outbox(std::string(kId) + ".done")); }, ".done"));
  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("FINAL ") + kId);
  ASSERT_TRUE(result.Wait());

  clock_.Advance(absl::Hours(24 * 7) - absl::Minutes(1));
  WaitPolls(*transport, 3);
  EXPECT_TRUE(Exists(Outbox(std::string(kId) + ".csv")));

  clock_.Advance(absl::Minutes(2));
  ASSERT_TRUE(Eventually(
      [&] {
        return !Exists(Outbox(std::string(kId) + ".csv")) &&
               !Exists(Outbox(std::string(kId) + ".sig")) &&
               !Exists(Outbox(std::string(kId) + ".done"));
      },
      "clean-up"));
  EXPECT_TRUE(Exists(Inbox(std::string(kId) + ".ack")));
}

TEST_F(FileDropTest, AfterARestartFilesWithAFinalAckAreStillCleanedUp) {
  {
    SendResult result;
    auto before_restart = Make();
    ASSERT_NE(before_restart, nullptr);
    before_restart->Send(Message(kId), result.Callback());
    ASSERT_TRUE(Eventually(
        [&] { return Exists(Outbox(std::string(kId) + ".done")); }, ".done"));
  }
  // A message with no receipt at all is kept.
  {
    const PartnerMessage other = Message(kOtherId);
    PartnerWrite(Outbox(std::string(kOtherId) + ".csv"), other.bytes);
    PartnerWrite(Outbox(std::string(kOtherId) + ".sig"), kSig);
    PartnerWrite(Outbox(std::string(kOtherId) + ".done"),
                 other.metadata[1].second);
  }
  PartnerWrite(Inbox(std::string(kId) + ".ack"), std::string("FINAL ") + kId);
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  clock_.Advance(absl::Hours(24 * 7) + absl::Minutes(1));
  ASSERT_TRUE(Eventually(
      [&] {
        return !Exists(Outbox(std::string(kId) + ".done")) &&
               !Exists(Outbox(std::string(kId) + ".csv")) &&
               !Exists(Outbox(std::string(kId) + ".sig"));
      },
      "clean-up"));
  WaitPolls(*transport, 3);
  EXPECT_TRUE(Exists(Outbox(std::string(kOtherId) + ".done")));
}

TEST_F(FileDropTest, OwnAcksAreDeletedThirtyDaysAfterWritingAndTmpAtOnce) {
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  const std::string stale_tmp = Outbox(std::string(kOtherId) + ".csv.tmp");
  const std::string foreign = Outbox("operator-notes.txt");
  std::ofstream(stale_tmp, std::ios::binary) << "half";
  PartnerWrite(foreign, "kept");
  ASSERT_TRUE(Eventually([&] { return !Exists(stale_tmp); }, "stale .tmp"));

  PartnerSends(kId);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  SetMtime(ack, clock_.Now());

  clock_.Advance(absl::Hours(24 * 30) - absl::Minutes(1));
  WaitPolls(*transport, 3);
  EXPECT_TRUE(Exists(ack));
  clock_.Advance(absl::Minutes(2));
  ASSERT_TRUE(Eventually([&] { return !Exists(ack); }, ".ack clean-up"));
  // The partner's files and names we do not own stay.
  EXPECT_TRUE(Exists(Inbox(std::string(kId) + ".csv")));
  EXPECT_TRUE(Exists(foreign));
  // Unchanged files are not handed over again because their .ack is gone.
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
}

TEST_F(FileDropTest, FinalAcksLeaveTheOutboxButTheIdStaysFinalFor400Days) {
  encoder_.WriteFinalAcks();
  auto transport = Make();
  ASSERT_NE(transport, nullptr);
  ASSERT_TRUE(transport->StartReceiving(&receiver_).ok());
  PartnerSends(kId);
  const std::string ack = Outbox(std::string(kId) + ".ack");
  ASSERT_TRUE(Eventually([&] { return Exists(ack); }, ".ack"));
  const std::string bytes = ReadFile(ack);
  SetMtime(ack, clock_.Now());

  // §7.5: gone from outbox/ after 30 days, kept beside it.
  const std::string kept = root_ + "/receipts/" + kId + ".ack";
  clock_.Advance(absl::Hours(24 * 30) + absl::Minutes(1));
  ASSERT_TRUE(Eventually([&] { return !Exists(ack); }, ".ack clean-up"));
  EXPECT_EQ(ReadFile(kept), bytes);

  // The partner sends the same files again: the stored .ack is written
  // again (the fake clock being 30 days ahead of the file times, the next
  // clean-up moves it straight back), and nothing is handed over.
  PartnerSends(kId);
  ASSERT_TRUE(Eventually(
      [&] {
        return LogsContaining(std::string(kId) + ": exact duplicate") == 1;
      },
      "the stored .ack again"));
  EXPECT_EQ(receiver_.count(), 1u);
  ASSERT_TRUE(Eventually([&] { return ReadFile(kept) == bytes; }, "kept"));
  // Other content under the id is still a conflict, not a new message.
  PartnerSends(kId, std::string(kCsv) + "x,y\r\n");
  ASSERT_TRUE(Eventually(
      [&] { return LogsContaining("conflicting reuse of message id") == 1; },
      "conflict"));
  WaitPolls(*transport, 3);
  EXPECT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(ReadFile(kept), bytes);

  // After 400 days the id is forgotten.
  SetMtime(kept, clock_.Now());
  clock_.Advance(absl::Hours(24 * 400) + absl::Minutes(1));
  ASSERT_TRUE(Eventually([&] { return !Exists(kept); }, "kept .ack"));
}

}  // namespace
}  // namespace gw::adapters
