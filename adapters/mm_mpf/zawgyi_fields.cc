// adapters/mm_mpf/zawgyi_fields.cc
//
// The §5.3 field list is explicit code per message type rather than
// reflection: the list is a contract, a reviewer can read it here, and a
// field added to a proto is not examined until someone decides it holds
// human text. Fields are visited in payload order (field-number order, then
// index) because p_m joins the candidates in that order and warnings and
// conversions are listed in it.
//
// Where the message has no `text_conversions` field (the proto is not ours
// to change here):
//  * RepatriationRecord: conversions go to `request.text_conversions` when
//    the record carries a request, with paths rooted at the record
//    ("request.victim.names[0].given", "history[0].reason[0].text");
//  * CaseStatus: conversions are only returned in the report.
#include "adapters/mm_mpf/zawgyi_fields.h"

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/text/zawgyi.h"
#include "gateway/crypto/sha256.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::mm_mpf {
namespace {

constexpr char kConverted[] = "ZAWGYI_CONVERTED";
constexpr char kUncertain[] = "ZAWGYI_UNCERTAIN";
constexpr char kSuspected[] = "ZAWGYI_SUSPECTED";

// One examined string: its canonical path and where it lives.
struct Field {
  std::string path;
  std::string* text;
};

using Fields = std::vector<Field>;

std::string Indexed(absl::string_view prefix, absl::string_view name,
                    int index) {
  return absl::StrCat(prefix, name, "[", index, "]");
}

void AddIfSet(std::string path, std::string* text, Fields& out) {
  if (!text->empty()) out.push_back(Field{std::move(path), text});
}

void AddTexts(absl::string_view prefix, absl::string_view name,
              google::protobuf::RepeatedPtrField<gw::v1::LanguageText>* texts,
              Fields& out) {
  for (int i = 0; i < texts->size(); ++i) {
    AddIfSet(absl::StrCat(Indexed(prefix, name, i), ".text"),
             texts->Mutable(i)->mutable_text(), out);
  }
}

// `prefix` ends with "." (or is empty for a Person payload).
void AddPerson(absl::string_view prefix, gw::v1::Person* person, Fields& out) {
  for (int j = 0; j < person->names_size(); ++j) {
    gw::v1::PersonName* name = person->mutable_names(j);
    const std::string at = Indexed(prefix, "names", j);
    AddIfSet(absl::StrCat(at, ".family"), name->mutable_family(), out);
    AddIfSet(absl::StrCat(at, ".given"), name->mutable_given(), out);
    AddIfSet(absl::StrCat(at, ".full"), name->mutable_full(), out);
  }
}

void AddAlert(gw::v1::CaseAlert* alert, Fields& out) {
  for (int i = 0; i < alert->subjects_size(); ++i) {
    gw::v1::Subject* subject = alert->mutable_subjects(i);
    // mutable_person() on an unset field would add an empty Person and
    // change the stored message; has_ guards every sub-message below.
    if (subject->has_person()) {
      AddPerson(absl::StrCat(Indexed("", "subjects", i), ".person."),
                subject->mutable_person(), out);
    }
  }
  if (alert->has_last_seen()) {
    AddIfSet("last_seen.place", alert->mutable_last_seen()->mutable_place(),
             out);
  }
  AddTexts("", "narrative", alert->mutable_narrative(), out);
  for (int i = 0; i < alert->attachments_size(); ++i) {
    AddIfSet(absl::StrCat(Indexed("", "attachments", i), ".name"),
             alert->mutable_attachments(i)->mutable_name(), out);
  }
}

void AddRequest(absl::string_view prefix, gw::v1::RepatriationRequest* request,
                Fields& out) {
  if (request->has_victim()) {
    AddPerson(absl::StrCat(prefix, "victim."), request->mutable_victim(), out);
  }
  if (request->has_guardian()) {
    gw::v1::Guardian* guardian = request->mutable_guardian();
    if (guardian->has_person()) {
      AddPerson(absl::StrCat(prefix, "guardian.person."),
                guardian->mutable_person(), out);
    }
    AddTexts(absl::StrCat(prefix, "guardian."), "notes",
             guardian->mutable_notes(), out);
  }
  if (request->has_best_interests_assessment()) {
    AddTexts(absl::StrCat(prefix, "best_interests_assessment."), "summary",
             request->mutable_best_interests_assessment()->mutable_summary(),
             out);
  }
  if (request->has_proposed_handover()) {
    AddIfSet(absl::StrCat(prefix, "proposed_handover.border_point"),
             request->mutable_proposed_handover()->mutable_border_point(), out);
  }
}

void AddRecord(gw::v1::RepatriationRecord* record, Fields& out) {
  if (record->has_request()) {
    AddRequest("request.", record->mutable_request(), out);
  }
  for (int i = 0; i < record->history_size(); ++i) {
    AddTexts(absl::StrCat(Indexed("", "history", i), "."), "reason",
             record->mutable_history(i)->mutable_reason(), out);
  }
}

void AddCaseStatus(gw::v1::CaseStatus* status, Fields& out) {
  for (int i = 0; i < status->history_size(); ++i) {
    AddTexts(absl::StrCat(Indexed("", "history", i), "."), "note",
             status->mutable_history(i)->mutable_note(), out);
  }
  // A status update carries its note at the top level (case.proto).
  AddTexts("", "note", status->mutable_note(), out);
}

// The examined strings of `payload` and, where the message has one, the
// list that conversions are appended to (nullptr otherwise).
struct Examined {
  Fields fields;
  google::protobuf::RepeatedPtrField<gw::v1::TextConversion>* conversions =
      nullptr;
};

absl::StatusOr<Examined> Examine(google::protobuf::Message* payload) {
  if (payload == nullptr) {
    return absl::InvalidArgumentError("payload: missing");
  }
  Examined examined;
  if (auto* alert = google::protobuf::DynamicCastToGenerated<gw::v1::CaseAlert>(
          payload)) {
    AddAlert(alert, examined.fields);
    examined.conversions = alert->mutable_text_conversions();
  } else if (auto* request = google::protobuf::DynamicCastToGenerated<
                 gw::v1::RepatriationRequest>(payload)) {
    AddRequest("", request, examined.fields);
    examined.conversions = request->mutable_text_conversions();
  } else if (auto* record = google::protobuf::DynamicCastToGenerated<
                 gw::v1::RepatriationRecord>(payload)) {
    AddRecord(record, examined.fields);
    if (record->has_request()) {
      examined.conversions =
          record->mutable_request()->mutable_text_conversions();
    }
  } else if (auto* status =
                 google::protobuf::DynamicCastToGenerated<gw::v1::CaseStatus>(
                     payload)) {
    AddCaseStatus(status, examined.fields);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("payload: Zawgyi handling does not support ",
                     payload->GetDescriptor()->full_name()));
  }
  return examined;
}

struct Scored {
  Field field;
  double p = 0;
};

// Candidates with their p_f, and p_m (0 when there is no candidate).
std::vector<Scored> Score(const Fields& fields, double& p_message) {
  const text::ZawgyiDetector& detector = text::ZawgyiDetector::Default();
  std::vector<Scored> candidates;
  std::vector<absl::string_view> texts;
  for (const Field& field : fields) {
    if (!text::HasMyanmarCodePoint(*field.text)) continue;
    candidates.push_back(Scored{field, detector.Probability(*field.text)});
    texts.push_back(*field.text);
  }
  p_message =
      texts.empty() ? 0 : detector.Probability(absl::StrJoin(texts, " "));
  return candidates;
}

double Round6(double p) { return std::round(p * 1e6) / 1e6; }

gw::v1::ReceiptWarning Warning(const char* code, const std::string& path) {
  gw::v1::ReceiptWarning warning;
  warning.set_code(code);
  warning.set_field(path);
  return warning;
}

}  // namespace

absl::StatusOr<ZawgyiReport> ConvertInboundZawgyi(
    google::protobuf::Message* payload) {
  absl::StatusOr<Examined> examined = Examine(payload);
  if (!examined.ok()) return examined.status();
  ZawgyiReport report;
  const std::vector<Scored> candidates =
      Score(examined->fields, report.message_probability);
  const double p_m = report.message_probability;

  // All conversions are computed before any field is written, so a failure
  // leaves the message exactly as received.
  std::vector<std::pair<std::string*, std::string>> rewrites;
  for (const Scored& c : candidates) {
    const bool convert =
        c.p >= text::kZawgyiConvertAt ||
        (c.p > text::kZawgyiUnicodeAt && p_m >= text::kZawgyiConvertAt);
    if (!convert) {
      if (c.p > text::kZawgyiUnicodeAt) {
        report.warnings.push_back(Warning(kUncertain, c.field.path));
      }
      continue;
    }
    absl::StatusOr<std::string> unicode = text::ZawgyiToUnicode(*c.field.text);
    if (!unicode.ok()) {
      return absl::Status(
          unicode.status().code(),
          absl::StrCat(c.field.path, ": ", unicode.status().message()));
    }
    gw::v1::TextConversion conversion;
    conversion.set_field(c.field.path);
    conversion.set_from_encoding("Zawgyi");
    conversion.set_transform("Zawgyi-my");
    conversion.set_field_probability(Round6(c.p));
    conversion.set_message_probability(Round6(p_m));
    conversion.set_original_utf8_sha256(crypto::Sha256Hex(*c.field.text));
    report.conversions.push_back(std::move(conversion));
    report.warnings.push_back(Warning(kConverted, c.field.path));
    rewrites.emplace_back(c.field.text, *std::move(unicode));
  }
  for (auto& [text, unicode] : rewrites) *text = std::move(unicode);
  if (examined->conversions != nullptr) {
    for (const gw::v1::TextConversion& conversion : report.conversions) {
      *examined->conversions->Add() = conversion;
    }
  }
  return report;
}

absl::StatusOr<ZawgyiReport> DetectOutboundZawgyi(
    const google::protobuf::Message& payload) {
  // The field walk needs mutable access; a copy keeps the payload (which
  // the author signed) untouched by construction.
  std::unique_ptr<google::protobuf::Message> copy(payload.New());
  copy->CopyFrom(payload);
  absl::StatusOr<Examined> examined = Examine(copy.get());
  if (!examined.ok()) return examined.status();
  ZawgyiReport report;
  for (const Scored& c : Score(examined->fields, report.message_probability)) {
    if (c.p >= text::kZawgyiConvertAt) {
      report.warnings.push_back(Warning(kSuspected, c.field.path));
    }
  }
  return report;
}

}  // namespace gw::mm_mpf
