#include "gateway/ingest/case_watchers.h"

#include <utility>

namespace gw::ingest {

uint64_t CaseWatchers::Subscribe(absl::string_view case_ref,
                                 Callback callback) {
  absl::MutexLock lock(&mu_);
  const uint64_t id = next_id_++;
  subscribers_.emplace(id,
                       Subscriber{std::string(case_ref), std::move(callback)});
  return id;
}

void CaseWatchers::Unsubscribe(uint64_t id) {
  absl::MutexLock lock(&mu_);
  subscribers_.erase(id);
}

void CaseWatchers::Publish(const gw::v1::CaseStatus& status) {
  absl::MutexLock lock(&mu_);
  for (auto& [id, subscriber] : subscribers_) {
    if (subscriber.case_ref == status.case_ref()) subscriber.callback(status);
  }
}

}  // namespace gw::ingest
