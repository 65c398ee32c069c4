// gateway/ingest/case_watchers.h
//
// CaseWatchers tells the WatchCase streams of a case about each committed
// change of it. The pipeline calls Publish() after the write is durable;
// each subscriber's callback then runs on the publishing thread and must not
// block (a stream reactor queues the update and returns).
//
// Guarantees: after Unsubscribe(id) returns, that callback is not running
// and will not run again. Subscribers see changes in commit order.
// Thread safety: all methods may be called concurrently.
#ifndef GW_INGEST_CASE_WATCHERS_H_
#define GW_INGEST_CASE_WATCHERS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "gw/v1/case.pb.h"

namespace gw::ingest {

class CaseWatchers {
 public:
  using Callback = std::function<void(const gw::v1::CaseStatus&)>;

  // Returns an id for Unsubscribe.
  uint64_t Subscribe(absl::string_view case_ref, Callback callback);
  void Unsubscribe(uint64_t id);
  void Publish(const gw::v1::CaseStatus& status);

 private:
  struct Subscriber {
    std::string case_ref;
    Callback callback;
  };
  // Held while callbacks run, so Unsubscribe waits for a running callback.
  absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  absl::flat_hash_map<uint64_t, Subscriber> subscribers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gw::ingest

#endif  // GW_INGEST_CASE_WATCHERS_H_
