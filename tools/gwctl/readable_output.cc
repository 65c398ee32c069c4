// tools/gwctl/readable_output.cc
#include "tools/gwctl/readable_output.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/util/proto_time.h"
#include "google/protobuf/util/json_util.h"
#include "tools/gwctl/text_table.h"

namespace gw::gwctl {
namespace {

bool IsUnset(const google::protobuf::Timestamp& ts) {
  return ts.seconds() == 0 && ts.nanos() == 0;
}

// "  label           value\n": labels padded to 16 columns, like the
// send-alert example in the gwctl brief.
std::string Field(absl::string_view label, absl::string_view value) {
  std::string line = absl::StrCat("  ", label);
  line.append(label.size() < 16 ? 16 - label.size() : 1, ' ');
  absl::StrAppend(&line, value, "\n");
  return line;
}

std::string OrDash(absl::string_view text) {
  return text.empty() ? "-" : std::string(text);
}

std::string JoinOrDash(
    const google::protobuf::RepeatedPtrField<std::string>& items) {
  return items.empty() ? "-" : absl::StrJoin(items, ", ");
}

std::string PersonSummary(const gw::v1::Person& person) {
  std::vector<std::string> parts;
  std::vector<std::string> names;
  for (const gw::v1::PersonName& name : person.names()) {
    std::string text = name.full();
    if (text.empty()) text = absl::StrCat(name.family(), " ", name.given());
    text = std::string(absl::StripAsciiWhitespace(text));
    if (!name.script().empty())
      absl::StrAppend(&text, " (", name.script(), ")");
    names.push_back(text);
  }
  if (!names.empty()) parts.push_back(absl::StrJoin(names, " / "));
  if (person.sex() != gw::v1::Person::SEX_UNSPECIFIED) {
    parts.push_back(gw::v1::Person::Sex_Name(person.sex()));
  }
  if (!person.date_of_birth().empty()) {
    parts.push_back(absl::StrCat("born ", person.date_of_birth()));
  }
  if (person.age_estimate() != 0) {
    parts.push_back(absl::StrCat("about ", person.age_estimate(), " years"));
  }
  if (!person.nationality().empty()) parts.push_back(person.nationality());
  for (const gw::v1::IdentityDocument& doc : person.documents()) {
    parts.push_back(absl::StrCat(OrDash(doc.type()), " ", doc.number(),
                                 doc.issuing_state().empty() ? "" : " (",
                                 doc.issuing_state(),
                                 doc.issuing_state().empty() ? "" : ")"));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

std::string DeliveriesCell(
    const google::protobuf::RepeatedPtrField<gw::v1::Delivery>& deliveries) {
  std::vector<std::string> parts;
  for (const gw::v1::Delivery& d : deliveries) {
    parts.push_back(
        absl::StrCat(d.recipient(), ":", DeliveryStateName(d.state())));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, " ");
}

std::string NotesCell(
    const google::protobuf::RepeatedPtrField<gw::v1::LanguageText>& notes) {
  std::vector<std::string> parts;
  for (const gw::v1::LanguageText& note : notes) {
    parts.push_back(absl::StrCat("[", OrDash(note.lang()), "] ", note.text()));
  }
  return absl::StrJoin(parts, "; ");
}

std::string Actor(absl::string_view agency, absl::string_view user) {
  if (agency.empty() && user.empty()) return "-";
  return absl::StrCat(OrDash(agency), "/", OrDash(user));
}

}  // namespace

std::string FormatUtcAndLocal(absl::Time t, absl::TimeZone local) {
  std::string text = absl::StrCat(
      absl::FormatTime("%Y-%m-%d %H:%M:%S", t, absl::UTCTimeZone()), " UTC");
  const absl::TimeZone::CivilInfo local_info = local.At(t);
  if (local_info.offset == 0) return text;
  const absl::TimeZone::CivilInfo utc_info = absl::UTCTimeZone().At(t);
  const bool same_day =
      absl::CivilDay(local_info.cs) == absl::CivilDay(utc_info.cs);
  absl::StrAppend(
      &text, " (",
      absl::FormatTime(same_day ? "%H:%M:%S %Ez" : "%Y-%m-%d %H:%M:%S %Ez", t,
                       local),
      " local)");
  return text;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts,
                            absl::TimeZone local) {
  if (IsUnset(ts)) return "-";
  return FormatUtcAndLocal(util::FromTimestamp(ts), local);
}

std::string FormatTimestampShort(const google::protobuf::Timestamp& ts,
                                 absl::TimeZone local) {
  if (IsUnset(ts)) return "-";
  const absl::Time t = util::FromTimestamp(ts);
  std::string text =
      absl::FormatTime("%Y-%m-%d %H:%M:%SZ", t, absl::UTCTimeZone());
  if (local.At(t).offset != 0) {
    absl::StrAppend(&text, " (", absl::FormatTime("%H:%M %Ez", t, local), ")");
  }
  return text;
}

std::string DeliveryStateName(gw::v1::Delivery::State state) {
  if (state == gw::v1::Delivery::STATE_UNSPECIFIED) return "unspecified";
  const std::string& name = gw::v1::Delivery::State_Name(state);
  if (name.empty()) return absl::StrCat("state ", static_cast<int>(state));
  return absl::AsciiStrToLower(name);
}

std::string FormatSendAlertResponse(const gw::v1::SendAlertResponse& response,
                                    const gw::v1::CaseAlert& sent,
                                    absl::TimeZone local) {
  const std::string& alert_id =
      response.alert_id().empty() ? sent.alert_id() : response.alert_id();
  std::string out =
      absl::StrCat("Alert ", alert_id, " accepted at ",
                   FormatTimestamp(response.received_at(), local), "\n");
  if (response.duplicate()) {
    out += "  (already accepted earlier: this is the original answer)\n";
  }
  out += Field("payload sha256", OrDash(response.payload_sha256()));
  out += Field("case", OrDash(sent.case_ref()));
  // Leaf 0 is a real index (the log's first entry), so it is always shown.
  out += Field("audit leaf", absl::StrCat(response.has_receipt()
                                              ? response.receipt().leaf_index()
                                              : response.audit_leaf_index()));
  if (response.has_receipt()) {
    out += FormatReceiptLine(response.receipt());
  }
  size_t state_width = 8;
  for (const gw::v1::Delivery& d : response.deliveries()) {
    state_width = std::max(state_width, DeliveryStateName(d.state()).size());
  }
  for (const gw::v1::Delivery& d : response.deliveries()) {
    std::string value = DeliveryStateName(d.state());
    if (!d.message_id().empty() || !d.reason().empty()) {
      value.append(state_width - value.size(), ' ');
    }
    if (!d.message_id().empty())
      absl::StrAppend(&value, " message ", d.message_id());
    if (!d.reason().empty()) absl::StrAppend(&value, " (", d.reason(), ")");
    out += Field(OrDash(d.recipient()), value);
  }
  if (response.deliveries().empty()) out += Field("recipients", "-");
  return out;
}

std::string FormatAlertRecord(const gw::v1::AlertRecord& record,
                              absl::TimeZone local) {
  const gw::v1::CaseAlert& alert = record.alert();
  std::string out = absl::StrCat("Alert ", OrDash(alert.alert_id()));
  if (record.redacted()) out += "  (the copy released to your agency)";
  out += "\n";
  out += Field("case", OrDash(alert.case_ref()));
  out += Field("kind", gw::v1::CaseAlert::Kind_Name(alert.kind()));
  out += Field("priority", gw::v1::CaseAlert::Priority_Name(alert.priority()));
  out += Field("handling",
               gw::v1::CaseAlert::HandlingCode_Name(alert.handling_code()));
  if (!alert.handling_restriction().empty()) {
    out += Field("restriction", alert.handling_restriction());
  }
  out += Field("origin", Actor(alert.origin_agency(), alert.originator()));
  out += Field("recipients", JoinOrDash(alert.recipients()));
  out += Field("created", FormatTimestamp(alert.created_at(), local));
  out += Field("received", FormatTimestamp(record.received_at(), local));
  out += Field("payload sha256", OrDash(record.payload_sha256()));
  for (int i = 0; i < alert.subjects_size(); ++i) {
    const gw::v1::Subject& subject = alert.subjects(i);
    out += Field(absl::StrCat("subject ", i + 1),
                 absl::StrCat(gw::v1::Subject::Role_Name(subject.role()), ": ",
                              PersonSummary(subject.person())));
  }
  if (alert.has_last_seen()) {
    const gw::v1::LastSeen& seen = alert.last_seen();
    std::string where = seen.place();
    if (!seen.country().empty()) {
      absl::StrAppend(&where, where.empty() ? "" : ", ", seen.country());
    }
    out += Field("last seen", absl::StrCat(FormatTimestamp(seen.at(), local),
                                           where.empty() ? "" : " at ", where));
  }
  for (const gw::v1::LanguageText& text : alert.narrative()) {
    out += Field(absl::StrCat("narrative [", OrDash(text.lang()), "]"),
                 text.text());
  }
  for (const gw::v1::Attachment& a : alert.attachments()) {
    out += Field("attachment",
                 absl::StrCat(OrDash(a.name()), " (", OrDash(a.media_type()),
                              ", ", a.content().size(), " bytes, sha256 ",
                              OrDash(a.sha256()), ")"));
  }
  if (!record.deliveries().empty()) {
    out += "Deliveries:\n";
    TextTable table(
        {"RECIPIENT", "STATE", "MESSAGE", "UPDATED", "ATTEMPTS", "REASON"});
    for (const gw::v1::Delivery& d : record.deliveries()) {
      table.AddRow({OrDash(d.recipient()), DeliveryStateName(d.state()),
                    OrDash(d.message_id()),
                    FormatTimestampShort(d.updated_at(), local),
                    absl::StrCat(d.attempts()), d.reason()});
    }
    out += table.Render("  ");
  }
  return out;
}

std::string FormatAlertTable(
    const google::protobuf::RepeatedPtrField<gw::v1::AlertRecord>& alerts,
    absl::TimeZone local) {
  if (alerts.empty()) return "No alerts.\n";
  TextTable table({"ALERT ID", "KIND", "PRIORITY", "CASE", "ORIGIN", "RECEIVED",
                   "DELIVERIES"});
  for (const gw::v1::AlertRecord& record : alerts) {
    const gw::v1::CaseAlert& alert = record.alert();
    table.AddRow({OrDash(alert.alert_id()),
                  gw::v1::CaseAlert::Kind_Name(alert.kind()),
                  gw::v1::CaseAlert::Priority_Name(alert.priority()),
                  OrDash(alert.case_ref()), OrDash(alert.origin_agency()),
                  FormatTimestampShort(record.received_at(), local),
                  DeliveriesCell(record.deliveries())});
  }
  return table.Render();
}

std::string FormatCaseStatus(const gw::v1::CaseStatus& status,
                             absl::TimeZone local) {
  std::string out = absl::StrCat("Case ", OrDash(status.case_ref()), "\n");
  out += Field("state", gw::v1::CaseStatus::State_Name(status.state()));
  out += Field("owner", OrDash(status.owner_agency()));
  out += Field("shared with", JoinOrDash(status.shared_with()));
  out += Field("updated", FormatTimestamp(status.updated_at(), local));
  if (!status.alert_ids().empty()) {
    out += Field("alerts", absl::StrJoin(status.alert_ids(), ", "));
  }
  if (!status.updated_by().empty())
    out += Field("updated by", status.updated_by());
  if (!status.note().empty()) out += Field("note", NotesCell(status.note()));
  if (!status.history().empty()) {
    out += "History:\n";
    TextTable table({"WHEN", "STATE", "BY", "CAUSE", "NOTE"});
    for (const gw::v1::CaseEvent& e : status.history()) {
      std::string cause = "-";
      if (!e.update_id().empty()) {
        cause = absl::StrCat("update ", e.update_id());
      } else if (!e.alert_id().empty()) {
        cause = absl::StrCat("alert ", e.alert_id());
      }
      table.AddRow({FormatTimestampShort(e.at(), local),
                    gw::v1::CaseStatus::State_Name(e.state()),
                    Actor(e.actor_agency(), e.actor_user()), cause,
                    NotesCell(e.note())});
    }
    out += table.Render("  ");
  }
  return out;
}

std::string FormatCaseTable(
    const google::protobuf::RepeatedPtrField<gw::v1::CaseStatus>& cases,
    absl::TimeZone local) {
  if (cases.empty()) return "No cases.\n";
  TextTable table(
      {"CASE", "STATE", "OWNER", "SHARED WITH", "UPDATED", "ALERTS"});
  for (const gw::v1::CaseStatus& c : cases) {
    table.AddRow(
        {OrDash(c.case_ref()), gw::v1::CaseStatus::State_Name(c.state()),
         OrDash(c.owner_agency()),
         c.shared_with().empty() ? "-" : absl::StrJoin(c.shared_with(), ","),
         FormatTimestampShort(c.updated_at(), local),
         absl::StrCat(c.alert_ids_size())});
  }
  return table.Render();
}

std::string FormatCaseWatchLine(const gw::v1::CaseStatus& status,
                                absl::TimeZone local) {
  google::protobuf::Timestamp at = status.updated_at();
  std::string agency = status.owner_agency();
  std::string user = status.updated_by();
  gw::v1::CaseStatus::State state = status.state();
  if (!status.history().empty()) {
    const gw::v1::CaseEvent& last = *status.history().rbegin();
    if (!IsUnset(last.at())) at = last.at();
    if (!last.actor_agency().empty()) agency = last.actor_agency();
    if (!last.actor_user().empty()) user = last.actor_user();
  }
  const std::string clock =
      IsUnset(at)
          ? "--:--:--"
          : absl::FormatTime("%H:%M:%S", util::FromTimestamp(at), local);
  return absl::StrCat(clock, "  ", OrDash(status.case_ref()), "  ",
                      gw::v1::CaseStatus::State_Name(state), "  by ",
                      OrDash(agency), "/", OrDash(user), "\n");
}

std::string FormatReceiptLine(const gw::v1::Receipt& receipt) {
  return Field("receipt",
               absl::StrCat("leaf ", receipt.leaf_index(), " of ",
                            receipt.checkpoint().tree_size(), ", checkpoint ",
                            receipt.checkpoint().note().empty() ? "unsigned"
                                                                : "signed"));
}

std::string FormatCheckpoint(const gw::v1::Checkpoint& checkpoint,
                             absl::string_view origin, absl::TimeZone local) {
  std::string out = absl::StrCat("Checkpoint of ", OrDash(origin), "\n");
  out += Field("size", absl::StrCat(checkpoint.tree_size()));
  out += Field("root", absl::BytesToHexString(checkpoint.root_hash()));
  out += Field("time", FormatTimestamp(checkpoint.time(), local));
  out += Field("signature", "verified");
  return out;
}

std::string FormatAuditTable(
    const google::protobuf::RepeatedPtrField<gw::v1::LogEntry>& entries,
    absl::TimeZone local) {
  if (entries.empty()) return "No audit entries.\n";
  TextTable table(
      {"LEAF", "TIME", "ACTOR", "ACTION", "OBJECTS", "DECISION", "OUTCOME"});
  for (const gw::v1::LogEntry& log_entry : entries) {
    gw::v1::AuditEntry entry = log_entry.entry();
    if (!log_entry.has_entry()) {
      // Best effort for display only: verify-log checks the bytes.
      static_cast<void>(entry.ParseFromString(log_entry.leaf_data()));
    }
    std::string actor = "-";
    if (!entry.actor_agency().empty() || !entry.actor_user().empty()) {
      actor = absl::StrCat(OrDash(entry.actor_agency()), "/",
                           OrDash(entry.actor_role()), "/",
                           OrDash(entry.actor_user()));
    }
    table.AddRow({absl::StrCat(log_entry.leaf_index()),
                  FormatTimestampShort(entry.time(), local), actor,
                  OrDash(entry.action()), JoinOrDash(entry.object_ids()),
                  OrDash(entry.decision()), OrDash(entry.outcome())});
  }
  return table.Render();
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message,
                                   bool multiline) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = multiline;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print as JSON: ", std::string(status.message())));
  }
  if (json.empty() || json.back() != '\n') json += '\n';
  return json;
}

}  // namespace gw::gwctl
