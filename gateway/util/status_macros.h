// gateway/util/status_macros.h
//
// Early-return helpers for absl::Status and absl::StatusOr<T>. Our Abseil
// (20220623) has no public RETURN_IF_ERROR, so these are the project's own.
//
//   GW_RETURN_IF_ERROR(store->Commit(batch));
//   GW_ASSIGN_OR_RETURN(auto signer, Signer::FromPemFiles(key, cert));
#ifndef GW_UTIL_STATUS_MACROS_H_
#define GW_UTIL_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GW_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status gw_status_ = (expr);      \
    if (!gw_status_.ok()) return gw_status_; \
  } while (false)

#define GW_STATUS_MACROS_CONCAT_INNER_(x, y) x##y
#define GW_STATUS_MACROS_CONCAT_(x, y) GW_STATUS_MACROS_CONCAT_INNER_(x, y)

#define GW_ASSIGN_OR_RETURN(lhs, expr)                                        \
  GW_ASSIGN_OR_RETURN_IMPL_(GW_STATUS_MACROS_CONCAT_(gw_statusor_, __LINE__), \
                            lhs, expr)

#define GW_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) return statusor.status();        \
  lhs = *std::move(statusor)

#endif  // GW_UTIL_STATUS_MACROS_H_
