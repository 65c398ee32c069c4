// tools/gwctl/delivery_output.h
//
// What the delivery commands print and parse (delivery_commands.h):
//  * the `delivery list` table, one row per delivery:
//      MESSAGE ID  ALERT  RECIPIENT  STATE  ATTEMPTS  NEXT ATTEMPT (LOCAL)
//      REASON
//    or "No deliveries.\n";
//  * the answer of `delivery retry|cancel` (one delivery, field per line);
//  * one `watch-deliveries` line per event, the time in `local`:
//      "HH:MM:SS  TH-RTP  acknowledged  receipt leaf 12"
//  * --state lists ("queued,retrying,failed", case-insensitive);
//  * DeliveryProgress, which tells watch-deliveries when every delivery of
//    the alert has reached a final state (ACKNOWLEDGED, FAILED, CANCELLED).
// Guarantees: formatting is total (any message gives text, unset times
// print as "-", texts end in '\n'); nothing here validates what the
// gateway sent.
// Thread safety: pure functions; DeliveryProgress is a value type.
#ifndef GW_TOOLS_GWCTL_DELIVERY_OUTPUT_H_
#define GW_TOOLS_GWCTL_DELIVERY_OUTPUT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/delivery.pb.h"

namespace gw::gwctl {

// "2026-11-28 17:15:02" in `local`, or "-" when unset.
std::string FormatLocalTime(const google::protobuf::Timestamp& ts,
                            absl::TimeZone local);

std::string FormatDeliveryTable(
    const google::protobuf::RepeatedPtrField<gw::v1::DeliveryRecord>& records,
    absl::TimeZone local);

// retry / cancel: "Delivery MESSAGE_ID" then alert, case, recipient, state,
// attempts, next attempt, reason, receipt (those that are set).
std::string FormatDeliveryRecord(const gw::v1::DeliveryRecord& record,
                                 absl::TimeZone local);

std::string FormatDeliveryEventLine(const gw::v1::DeliveryEvent& event,
                                    absl::TimeZone local);

// "queued,RETRYING, failed" -> {QUEUED, RETRYING, FAILED}. INVALID_ARGUMENT
// (a message fit for "gwctl: ") naming the first word that is not a state.
[[nodiscard]] absl::StatusOr<std::vector<gw::v1::Delivery::State>>
ParseDeliveryStates(absl::string_view text);

// ACKNOWLEDGED, FAILED or CANCELLED: nothing happens to it unless an
// operator steps in.
bool IsFinalDeliveryState(gw::v1::Delivery::State state);

// The newest known state of each recipient of one alert.
class DeliveryProgress {
 public:
  // The deliveries the alert has (GetAlert's record).
  explicit DeliveryProgress(
      const google::protobuf::RepeatedPtrField<gw::v1::Delivery>& deliveries);

  void Apply(const gw::v1::DeliveryEvent& event);
  // True when there is at least one delivery and every one is final.
  bool AllFinal() const;
  bool empty() const { return state_.empty(); }

 private:
  std::map<std::string, gw::v1::Delivery::State> state_;  // by recipient
};

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_DELIVERY_OUTPUT_H_
