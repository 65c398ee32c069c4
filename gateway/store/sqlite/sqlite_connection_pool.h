// gateway/store/sqlite/sqlite_connection_pool.h
//
// ConnectionPool lends a fixed set of Connections (the store's read-only
// connections) to threads one at a time. Acquire() blocks while every
// connection is lent out; the Lease gives the connection back when destroyed.
//
// Threads: Acquire() may be called from any number of threads. A Lease is
// used by the thread that holds it. Ownership: the pool owns its
// connections; every Lease must be destroyed before the pool.
#ifndef GW_STORE_SQLITE_SQLITE_CONNECTION_POOL_H_
#define GW_STORE_SQLITE_SQLITE_CONNECTION_POOL_H_

#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gateway/store/sqlite/sqlite_connection.h"

namespace gw::store::sqlite {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (connection_ != nullptr) pool_->Release(std::move(connection_));
    }

    Connection* get() const { return connection_.get(); }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // REQUIRES: `connections` is not empty.
  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections)
      : idle_(std::move(connections)) {}

  // Waits for an idle connection and lends it out.
  Lease Acquire() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &ConnectionPool::HasIdle));
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(connection));
  }

 private:
  bool HasIdle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty();
  }
  void Release(std::unique_ptr<Connection> connection)
      ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(std::move(connection));
  }

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gw::store::sqlite

#endif  // GW_STORE_SQLITE_SQLITE_CONNECTION_POOL_H_
