// Tests of the group-commit Writer (gateway/ingest/writer.h) over a
// FakeStore whose commits can be paused and made to fail.
#include "gateway/ingest/writer.h"

#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fake_store.h"

namespace gw::ingest {
namespace {

using ::testing::ElementsAre;

// An audit-only write whose action names its number.
std::unique_ptr<store::Write> AuditWrite(int n) {
  auto write = std::make_unique<store::Write>();
  gw::v1::AuditEntry entry;
  entry.set_action(absl::StrCat("write-", n));
  write->op = store::AppendAudit{entry};
  return write;
}

int NumberOf(const store::Write& write) {
  const std::string& action =
      std::get<store::AppendAudit>(write.op).audit.action();
  return std::stoi(action.substr(action.find('-') + 1));
}

// Collects what the callbacks saw, from the writer thread.
class Results {
 public:
  Writer::Done Callback() {
    return [this](store::Write& write) {
      absl::MutexLock lock(&mu_);
      numbers_.push_back(NumberOf(write));
      codes_.push_back(write.result.status.code());
      threads_.push_back(std::this_thread::get_id());
    };
  }
  std::vector<int> numbers() {
    absl::MutexLock lock(&mu_);
    return numbers_;
  }
  std::vector<absl::StatusCode> codes() {
    absl::MutexLock lock(&mu_);
    return codes_;
  }
  std::vector<std::thread::id> threads() {
    absl::MutexLock lock(&mu_);
    return threads_;
  }
  // Blocks until `n` callbacks ran.
  void WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    want_ = n;
    mu_.Await(absl::Condition(this, &Results::Enough));
  }

 private:
  bool Enough() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return numbers_.size() >= want_;
  }

  absl::Mutex mu_;
  std::vector<int> numbers_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::StatusCode> codes_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread::id> threads_ ABSL_GUARDED_BY(mu_);
  size_t want_ ABSL_GUARDED_BY(mu_) = 0;
};

std::vector<int> Iota(int n) {
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

size_t Sum(const std::vector<size_t>& v) {
  return std::accumulate(v.begin(), v.end(), size_t{0});
}

TEST(WriterTest, EveryCallbackRunsOnceInSubmissionOrderOnTheWriterThread) {
  gw::testing::FakeStore store;
  Results results;
  constexpr int kWrites = 500;
  {
    Writer writer(&store);
    for (int i = 0; i < kWrites; ++i)
      writer.Submit(AuditWrite(i), results.Callback());
    writer.Stop();
  }
  EXPECT_EQ(results.numbers(), Iota(kWrites));
  for (absl::StatusCode code : results.codes())
    EXPECT_EQ(code, absl::StatusCode::kOk);
  for (std::thread::id id : results.threads())
    EXPECT_NE(id, std::this_thread::get_id());
  // Committed in submission order too.
  const std::vector<gw::v1::AuditEntry> entries = store.audit_entries();
  ASSERT_EQ(entries.size(), static_cast<size_t>(kWrites));
  for (int i = 0; i < kWrites; ++i)
    EXPECT_EQ(entries[i].action(), absl::StrCat("write-", i));
}

TEST(WriterTest, CallbackSeesItsOwnResult) {
  gw::testing::FakeStore store;
  std::vector<uint64_t> leaves;
  absl::Mutex mu;
  {
    Writer writer(&store);
    for (int i = 0; i < 3; ++i) {
      writer.Submit(AuditWrite(i), [&](store::Write& w) {
        absl::MutexLock lock(&mu);
        leaves.push_back(w.result.audit_leaf_index);
      });
    }
  }  // the destructor stops and drains
  EXPECT_THAT(leaves, ElementsAre(0, 1, 2));
}

TEST(WriterTest, WritesQueuedBehindACommitGoInOneBatch) {
  gw::testing::FakeStore store;
  Results results;
  Writer writer(&store);
  store.PauseCommits();
  writer.Submit(AuditWrite(0), results.Callback());
  store.WaitForPausedCommit();  // batch {0} is being committed

  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        writer.Submit(AuditWrite(1 + t * kPerThread + i), results.Callback());
      }
    });
  }
  for (auto& s : submitters) s.join();
  store.ResumeCommits();
  writer.Stop();

  EXPECT_THAT(store.batch_sizes(), ElementsAre(1, kThreads * kPerThread));
  EXPECT_EQ(results.numbers().size(),
            static_cast<size_t>(1 + kThreads * kPerThread));
  // Each thread's writes keep their order.
  std::vector<int> last(kThreads, 0);
  for (int n : results.numbers()) {
    if (n == 0) continue;
    const int t = (n - 1) / kPerThread;
    EXPECT_GT(n, last[t]);
    last[t] = n;
  }
}

TEST(WriterTest, BatchesAreCutAtMaxBatch) {
  gw::testing::FakeStore store;
  Results results;
  Writer writer(&store);
  store.PauseCommits();
  writer.Submit(AuditWrite(0), results.Callback());
  store.WaitForPausedCommit();
  const int queued = static_cast<int>(Writer::kMaxBatch) * 2 + 1;
  for (int i = 1; i <= queued; ++i)
    writer.Submit(AuditWrite(i), results.Callback());
  store.ResumeCommits();
  writer.Stop();
  EXPECT_THAT(store.batch_sizes(),
              ElementsAre(1, Writer::kMaxBatch, Writer::kMaxBatch, 1));
  EXPECT_EQ(results.numbers(), Iota(queued + 1));
}

TEST(WriterTest, FailedCommitFailsEveryWriteOfThatBatchOnly) {
  gw::testing::FakeStore store;
  Results results;
  Writer writer(&store);
  store.PauseCommits();
  writer.Submit(AuditWrite(0), results.Callback());
  store.WaitForPausedCommit();
  for (int i = 1; i <= 5; ++i) writer.Submit(AuditWrite(i), results.Callback());
  // Batch {0} fails when resumed; so does {1..5}, queued meanwhile.
  store.FailCommitsWith(absl::UnavailableError("disk full"));
  store.ResumeCommits();
  results.WaitFor(6);
  store.FailCommitsWith(absl::OkStatus());
  writer.Submit(AuditWrite(6), results.Callback());
  writer.Stop();

  EXPECT_EQ(results.numbers(), Iota(7));
  EXPECT_THAT(results.codes(), ElementsAre(absl::StatusCode::kUnavailable,
                                           absl::StatusCode::kUnavailable,
                                           absl::StatusCode::kUnavailable,
                                           absl::StatusCode::kUnavailable,
                                           absl::StatusCode::kUnavailable,
                                           absl::StatusCode::kUnavailable,
                                           absl::StatusCode::kOk));
  EXPECT_EQ(Sum(store.batch_sizes()), 7u);
  // Nothing of the failed batches reached the log.
  ASSERT_EQ(store.audit_entries().size(), 1u);
  EXPECT_EQ(store.audit_entries()[0].action(), "write-6");
}

TEST(WriterTest, StopFinishesEverythingAlreadySubmitted) {
  gw::testing::FakeStore store;
  Results results;
  Writer writer(&store);
  store.PauseCommits();
  writer.Submit(AuditWrite(0), results.Callback());
  store.WaitForPausedCommit();
  for (int i = 1; i < 10; ++i) writer.Submit(AuditWrite(i), results.Callback());

  absl::Notification stopped;
  std::thread stopper([&] {
    writer.Stop();
    stopped.Notify();
  });
  // Stop() waits for the paused commit and the queue behind it.
  EXPECT_FALSE(stopped.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  store.ResumeCommits();
  stopper.join();
  EXPECT_EQ(results.numbers(), Iota(10));
  for (absl::StatusCode code : results.codes())
    EXPECT_EQ(code, absl::StatusCode::kOk);
  EXPECT_EQ(store.audit_entries().size(), 10u);
}

TEST(WriterTest, SubmitAfterStopAnswersUnavailableAtOnce) {
  gw::testing::FakeStore store;
  Writer writer(&store);
  writer.Stop();
  bool called = false;
  absl::Status status;
  std::thread::id thread;
  writer.Submit(AuditWrite(0), [&](store::Write& w) {
    called = true;
    status = w.result.status;
    thread = std::this_thread::get_id();
  });
  ASSERT_TRUE(called);  // before Submit returned
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(thread, std::this_thread::get_id());
  EXPECT_TRUE(store.batch_sizes().empty());
  writer.Stop();  // a second Stop is harmless
}

}  // namespace
}  // namespace gw::ingest
