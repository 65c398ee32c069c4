// tools/gwctl/delivery_output.cc
#include "tools/gwctl/delivery_output.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/util/proto_time.h"
#include "tools/gwctl/readable_output.h"
#include "tools/gwctl/text_table.h"

namespace gw::gwctl {
namespace {

bool IsUnset(const google::protobuf::Timestamp& ts) {
  return ts.seconds() == 0 && ts.nanos() == 0;
}

std::string OrDash(absl::string_view text) {
  return text.empty() ? "-" : std::string(text);
}

// "  label           value\n", as readable_output.cc lays out fields.
std::string Field(absl::string_view label, absl::string_view value) {
  std::string line = absl::StrCat("  ", label);
  line.append(label.size() < 16 ? 16 - label.size() : 1, ' ');
  absl::StrAppend(&line, value, "\n");
  return line;
}

std::string PadRight(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// The lowercase names of the states a user may ask for.
std::string StateNames() {
  std::vector<std::string> names;
  const auto* type = gw::v1::Delivery::State_descriptor();
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0) {
      names.push_back(absl::AsciiStrToLower(type->value(i)->name()));
    }
  }
  return absl::StrJoin(names, ", ");
}

// What a watch line says after the state.
std::string EventDetail(const gw::v1::Delivery& d, absl::TimeZone local) {
  switch (d.state()) {
    case gw::v1::Delivery::QUEUED:
      return d.message_id().empty() ? ""
                                    : absl::StrCat("message ", d.message_id());
    case gw::v1::Delivery::SENT:
      return absl::StrCat("attempt ", d.attempts(),
                          d.message_id().empty() ? "" : ", message ",
                          d.message_id());
    case gw::v1::Delivery::ACKNOWLEDGED: {
      if (!d.has_receipt()) return "no receipt";
      std::string text =
          absl::StrCat("receipt leaf ", d.receipt().leaf_index());
      if (d.receipt().warnings_size() > 0) {
        std::vector<std::string> codes;
        for (const gw::v1::ReceiptWarning& w : d.receipt().warnings()) {
          codes.push_back(w.code());
        }
        absl::StrAppend(&text, " (warnings: ", absl::StrJoin(codes, ", "), ")");
      }
      return text;
    }
    case gw::v1::Delivery::RETRYING: {
      std::string text = absl::StrCat("attempt ", d.attempts(), " failed");
      if (!d.reason().empty()) absl::StrAppend(&text, ": ", d.reason());
      if (!IsUnset(d.next_attempt_at())) {
        absl::StrAppend(
            &text, "; next attempt ",
            absl::FormatTime("%H:%M:%S",
                             util::FromTimestamp(d.next_attempt_at()), local));
      }
      return text;
    }
    case gw::v1::Delivery::FAILED:
      return absl::StrCat("after ", d.attempts(),
                          d.attempts() == 1 ? " attempt" : " attempts",
                          d.reason().empty() ? "" : ": ", d.reason());
    case gw::v1::Delivery::CANCELLED:
      return d.reason();
    default:
      return d.reason();
  }
}

}  // namespace

std::string FormatLocalTime(const google::protobuf::Timestamp& ts,
                            absl::TimeZone local) {
  if (IsUnset(ts)) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", util::FromTimestamp(ts), local);
}

std::string FormatDeliveryTable(
    const google::protobuf::RepeatedPtrField<gw::v1::DeliveryRecord>& records,
    absl::TimeZone local) {
  if (records.empty()) return "No deliveries.\n";
  TextTable table({"MESSAGE ID", "ALERT", "RECIPIENT", "STATE", "ATTEMPTS",
                   "NEXT ATTEMPT (LOCAL)", "REASON"});
  for (const gw::v1::DeliveryRecord& r : records) {
    const gw::v1::Delivery& d = r.delivery();
    table.AddRow({OrDash(d.message_id()), OrDash(r.alert_id()),
                  OrDash(d.recipient()), DeliveryStateName(d.state()),
                  absl::StrCat(d.attempts()),
                  FormatLocalTime(d.next_attempt_at(), local), d.reason()});
  }
  return table.Render();
}

std::string FormatDeliveryRecord(const gw::v1::DeliveryRecord& record,
                                 absl::TimeZone local) {
  const gw::v1::Delivery& d = record.delivery();
  std::string out = absl::StrCat("Delivery ", OrDash(d.message_id()), "\n");
  out += Field("alert", OrDash(record.alert_id()));
  out += Field("case", OrDash(record.case_ref()));
  out += Field("recipient", OrDash(d.recipient()));
  out += Field("state", DeliveryStateName(d.state()));
  out += Field("attempts", absl::StrCat(d.attempts()));
  if (!IsUnset(d.next_attempt_at())) {
    out += Field("next attempt", FormatTimestamp(d.next_attempt_at(), local));
  }
  out += Field("updated", FormatTimestamp(d.updated_at(), local));
  if (!d.reason().empty()) out += Field("reason", d.reason());
  if (d.has_receipt()) {
    out += Field("receipt", absl::StrCat("leaf ", d.receipt().leaf_index()));
  }
  return out;
}

std::string FormatDeliveryEventLine(const gw::v1::DeliveryEvent& event,
                                    absl::TimeZone local) {
  const gw::v1::Delivery& d = event.delivery();
  const std::string clock =
      IsUnset(d.updated_at())
          ? "--:--:--"
          : absl::FormatTime("%H:%M:%S", util::FromTimestamp(d.updated_at()),
                             local);
  // Agency codes are 6 characters and "acknowledged" the longest state:
  // padding to those keeps the usual lines aligned.
  std::string line =
      absl::StrCat(clock, "  ", PadRight(OrDash(d.recipient()), 6), "  ");
  const std::string detail = EventDetail(d, local);
  if (detail.empty()) {
    absl::StrAppend(&line, DeliveryStateName(d.state()));
  } else {
    absl::StrAppend(&line, PadRight(DeliveryStateName(d.state()), 12), "  ",
                    detail);
  }
  return line + "\n";
}

absl::StatusOr<std::vector<gw::v1::Delivery::State>> ParseDeliveryStates(
    absl::string_view text) {
  std::vector<gw::v1::Delivery::State> states;
  for (absl::string_view word :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    word = absl::StripAsciiWhitespace(word);
    gw::v1::Delivery::State state = gw::v1::Delivery::STATE_UNSPECIFIED;
    if (!gw::v1::Delivery::State_Parse(absl::AsciiStrToUpper(word), &state) ||
        state == gw::v1::Delivery::STATE_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("--state: ", word, " is not one of ", StateNames(),
                       " (separate several with commas)"));
    }
    states.push_back(state);
  }
  if (states.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--state needs one or more of ", StateNames(), ", comma-separated"));
  }
  return states;
}

bool IsFinalDeliveryState(gw::v1::Delivery::State state) {
  return state == gw::v1::Delivery::ACKNOWLEDGED ||
         state == gw::v1::Delivery::FAILED ||
         state == gw::v1::Delivery::CANCELLED;
}

DeliveryProgress::DeliveryProgress(
    const google::protobuf::RepeatedPtrField<gw::v1::Delivery>& deliveries) {
  // Not seen on the stream yet: the record may be older than the stream's
  // first events, so only the stream decides when all are final.
  for (const gw::v1::Delivery& d : deliveries) {
    state_[d.recipient()] = gw::v1::Delivery::STATE_UNSPECIFIED;
  }
}

void DeliveryProgress::Apply(const gw::v1::DeliveryEvent& event) {
  state_[event.delivery().recipient()] = event.delivery().state();
}

bool DeliveryProgress::AllFinal() const {
  if (state_.empty()) return false;
  for (const auto& [recipient, state] : state_) {
    if (!IsFinalDeliveryState(state)) return false;
  }
  return true;
}

}  // namespace gw::gwctl
