// tools/partners/kh_cnp_mock/kh_format.cc
#include "tools/partners/kh_cnp_mock/kh_format.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "adapters/json/jcs.h"
#include "gateway/util/uuid.h"
#include "schemas/embedded.h"
#include "tools/partners/http_mock/views.h"
#include "tools/partners/kh_cnp_mock/kh_rules.h"

namespace gw::kh_cnp_mock {
namespace {

using http_mock::Accepted;
using http_mock::Av;
using http_mock::Endpoint;
using http_mock::Refusal;

constexpr size_t kMaxDetailChars = 500;  // README §2.11

Refusal MakeRefusal(int status, const char* code, std::string location,
                    std::string detail) {
  Refusal refusal;
  refusal.http_status = status;
  refusal.code = code;
  refusal.location = std::move(location);
  refusal.detail = std::move(detail);
  return refusal;
}

// The first `limit` code points of UTF-8 `text`.
std::string CutToChars(const std::string& text, size_t limit) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (chars == limit) return text.substr(0, i);
      ++chars;
    }
  }
  return text;
}

std::string StringMember(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return "";
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool ListHas(const nlohmann::json& object, const char* name,
             std::string_view value) {
  if (!object.is_object()) return false;
  auto it = object.find(name);
  if (it == object.end() || !it->is_array()) return false;
  for (const nlohmann::json& item : *it) {
    if (item.is_string() && item.get_ref<const std::string&>() == value) {
      return true;
    }
  }
  return false;
}

// The received body for received.jsonl: everything but attachment content,
// whose length is kept instead.
nlohmann::json Summarize(nlohmann::json doc) {
  for (const char* payload : {"alert"}) {
    auto it = doc.find(payload);
    if (it == doc.end() || !it->is_object()) continue;
    auto attachments = it->find("attachments");
    if (attachments == it->end() || !attachments->is_array()) continue;
    for (nlohmann::json& attachment : *attachments) {
      auto content = attachment.find("content");
      if (content != attachment.end() && content->is_string()) {
        attachment["content_chars"] =
            content->get_ref<const std::string&>().size();
        attachment.erase("content");
      }
    }
  }
  return doc;
}

// Six (or four) decimal digits from the first hex digits of a message id,
// for default business ids.
std::string SerialFrom(const std::string& message_id, int digits) {
  unsigned long value = 0;
  for (size_t i = 0; i < message_id.size() && i < 8; ++i) {
    const char c = message_id[i];
    const int nibble = c >= 'a' && c <= 'f'   ? c - 'a' + 10
                       : c >= '0' && c <= '9' ? c - '0'
                                              : 0;
    value = value * 16 + static_cast<unsigned long>(nibble);
  }
  unsigned long modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return absl::StrFormat("%0*lu", digits, value % modulus);
}

bool IsIdentifier(const std::string& text) {
  if (text.empty() || text.size() > 64) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || std::string_view("._:/-").find(c) ==
                                 std::string_view::npos)) {
      return false;
    }
  }
  return true;
}

nlohmann::json Text(const char* lang, const char* text) {
  return {{"lang", lang}, {"text", text}};
}

}  // namespace

KhCnpFormat::KhCnpFormat(std::unique_ptr<json::JsonSchema> schema)
    : schema_(std::move(schema)) {}

absl::StatusOr<std::unique_ptr<KhCnpFormat>> KhCnpFormat::Create() {
  absl::StatusOr<std::unique_ptr<json::JsonSchema>> schema =
      json::JsonSchema::Load(embedded::kKhCnpSchemaJson);
  if (!schema.ok()) {
    return absl::InternalError(absl::StrCat(
        "KH-CNP.schema.json does not load: ", schema.status().message()));
  }
  return std::unique_ptr<KhCnpFormat>(new KhCnpFormat(*std::move(schema)));
}

std::vector<std::string> KhCnpFormat::accepted_media_types() const {
  return {"application/json", "application/json; charset=utf-8"};
}

std::vector<Endpoint> KhCnpFormat::partner_endpoints() const {
  return {{"/cnp/v1/alerts", "alert"},
          {"/cnp/v1/repatriation-requests", "repatriation_request"},
          {"/cnp/v1/repatriation-decisions", "repatriation_decision"},
          {"/cnp/v1/case-status", "case_status"}};
}

std::vector<Endpoint> KhCnpFormat::gateway_endpoints() const {
  return {{"/gw/kh/v1/alerts", "alert"},
          {"/gw/kh/v1/repatriation-requests", "repatriation_request"},
          {"/gw/kh/v1/repatriation-decisions", "repatriation_decision"},
          {"/gw/kh/v1/case-status", "case_status"}};
}

std::variant<Accepted, Refusal> KhCnpFormat::CheckBody(
    const Endpoint& endpoint, std::string_view body,
    std::string_view header_message_id, std::string_view peer_agency,
    std::string_view own_agency) const {
  // §8: the body's id when it is one, else the header's when that is one.
  auto refuse = [&](Refusal refusal, const nlohmann::json* doc) {
    const std::string body_id =
        doc == nullptr ? "" : StringMember(*doc, "message_id");
    if (util::IsLowercaseUuid(body_id)) {
      refusal.message_id = body_id;
    } else if (util::IsLowercaseUuid(Av(header_message_id))) {
      refusal.message_id = std::string(header_message_id);
    }
    refusal.detail = CutToChars(refusal.detail, kMaxDetailChars);
    return refusal;
  };

  absl::StatusOr<nlohmann::json> parsed = json::ParseStrictJson(body);
  if (!parsed.ok()) {
    const nlohmann::json lenient =
        nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    const nlohmann::json* readable =
        lenient.is_discarded() ? nullptr : &lenient;
    std::optional<json::StrictJsonError> error =
        json::StrictJsonErrorOf(parsed.status());
    if (error.has_value() &&
        error->kind == json::StrictJsonError::Kind::kNumber) {
      return refuse(MakeRefusal(400, "SCHEMA_VIOLATION", error->pointer,
                                "number is not an integer from 0 to 2^53-1 "
                                "(section 3.2)"),
                    readable);
    }
    return refuse(MakeRefusal(400, "MALFORMED_JSON", "",
                              std::string(parsed.status().message())),
                  readable);
  }
  const nlohmann::json& doc = *parsed;
  if (std::optional<json::SchemaViolation> violation = schema_->Validate(doc)) {
    return refuse(MakeRefusal(400, "SCHEMA_VIOLATION", violation->pointer,
                              violation->message),
                  &doc);
  }
  for (auto rule : {&FindNotNfc, &FindZeroWidthInNames, &FindImpossibleDate,
                    &FindHandoverBreach, &FindAttachmentBreach}) {
    if (std::optional<Refusal> breach = (*rule)(doc)) {
      return refuse(*std::move(breach), &doc);
    }
  }
  const std::string message_id = StringMember(doc, "message_id");
  if (message_id != header_message_id) {
    return refuse(MakeRefusal(400, "HEADER_MISMATCH", "/message_id",
                              "message_id is not the Gw-Message-Id header"),
                  &doc);
  }
  const std::string type = StringMember(doc, "message_type");
  if (type != endpoint.kind) {
    return refuse(
        MakeRefusal(400, "WRONG_ENDPOINT", "/message_type",
                    absl::StrCat("message_type does not fit ", endpoint.path)),
        &doc);
  }
  if (StringMember(doc, "sender") != peer_agency) {
    return refuse(MakeRefusal(403, "AGENCY_MISMATCH", "/sender",
                              "sender is not the agency of the client "
                              "certificate"),
                  &doc);
  }
  if (StringMember(doc, "recipient") != own_agency) {
    return refuse(MakeRefusal(403, "AGENCY_MISMATCH", "/recipient",
                              "recipient is not this receiver"),
                  &doc);
  }

  Accepted accepted;
  accepted.message_id = message_id;
  accepted.kind = type;
  const nlohmann::json& payload = doc.at(type);
  accepted.case_ref = StringMember(payload, "case_ref");
  accepted.case_ref_location = absl::StrCat("/", type, "/case_ref");
  std::optional<Refusal> business;
  if (type == "alert" && !ListHas(payload, "recipients", own_agency)) {
    business = MakeRefusal(403, "NOT_A_RECIPIENT", "/alert/recipients",
                           "the alert does not list this receiver");
  } else if (type == "repatriation_request" &&
             StringMember(payload, "requesting_agency") != own_agency &&
             StringMember(payload, "receiving_agency") != own_agency) {
    business = MakeRefusal(403, "NOT_A_RECIPIENT",
                           "/repatriation_request/receiving_agency",
                           "this receiver is no party to the request");
  } else if (type == "case_status" &&
             StringMember(payload, "owner_agency") != own_agency &&
             !ListHas(payload, "shared_with", own_agency)) {
    business = MakeRefusal(403, "NOT_A_RECIPIENT", "/case_status/shared_with",
                           "the case is not shared with this receiver");
  }
  if (business.has_value()) business->message_id = message_id;
  accepted.business_refusal = std::move(business);
  accepted.summary = Summarize(doc);
  return accepted;
}

std::string KhCnpFormat::MakeAck(const http_mock::AckFields& ack) const {
  nlohmann::json body = {
      {"message_type", "ack"},         {"message_id", ack.message_id},
      {"sender", ack.sender},          {"recipient", ack.recipient},
      {"status", "ACCEPTED"},          {"payload_sha256", ack.payload_sha256},
      {"received_at", ack.received_at}};
  if (!ack.partner_ref.empty()) body["partner_ref"] = ack.partner_ref;
  if (!ack.warnings.empty()) {
    nlohmann::json warnings = nlohmann::json::array();
    for (const http_mock::Warning& warning : ack.warnings) {
      nlohmann::json entry = {{"code", warning.code}};
      if (!warning.location.empty()) entry["field"] = warning.location;
      warnings.push_back(std::move(entry));
    }
    body["warnings"] = std::move(warnings);
  }
  return json::Canonical(body);
}

std::string KhCnpFormat::MakeError(const Refusal& refusal,
                                   std::string_view sender,
                                   std::string_view recipient,
                                   std::string_view received_at) const {
  nlohmann::json error = {
      {"code", refusal.code},
      {"detail", refusal.detail.empty()
                     ? std::string("refused")
                     : CutToChars(refusal.detail, kMaxDetailChars)}};
  if (!refusal.location.empty()) error["field"] = refusal.location;
  nlohmann::json body = {{"message_type", "error"},
                         {"sender", std::string(sender)},
                         {"recipient", std::string(recipient)},
                         {"received_at", std::string(received_at)},
                         {"error", std::move(error)}};
  if (!refusal.message_id.empty()) body["message_id"] = refusal.message_id;
  return json::Canonical(body);
}

absl::StatusOr<http_mock::AnswerSummary> KhCnpFormat::ReadAnswer(
    int http_status, std::string_view body) const {
  absl::StatusOr<nlohmann::json> parsed = json::ParseStrictJson(body);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not strict JSON: ", parsed.status().message()));
  }
  const nlohmann::json& doc = *parsed;
  if (std::optional<json::SchemaViolation> violation = schema_->Validate(doc)) {
    return absl::InvalidArgumentError(
        absl::StrCat("fails KH-CNP.schema.json at '", violation->pointer,
                     "': ", violation->message));
  }
  if (std::optional<Refusal> breach = FindImpossibleDate(doc)) {
    return absl::InvalidArgumentError(
        absl::StrCat(breach->location, ": ", breach->detail));
  }
  const std::string type = StringMember(doc, "message_type");
  http_mock::AnswerSummary summary;
  summary.message_id = StringMember(doc, "message_id");
  summary.received_at = StringMember(doc, "received_at");
  const bool success = http_status == 200 || http_status == 202;
  if (type == "ack") {
    if (!success) {
      return absl::InvalidArgumentError(
          absl::StrCat("an ack body with HTTP ", http_status));
    }
    summary.acknowledged = StringMember(doc, "status") == "ACCEPTED";
    summary.payload_sha256 = StringMember(doc, "payload_sha256");
    if (auto it = doc.find("warnings"); it != doc.end()) {
      for (const nlohmann::json& warning : *it) {
        summary.warnings.push_back(
            {StringMember(warning, "code"), StringMember(warning, "field")});
      }
    }
    return summary;
  }
  if (type == "error") {
    if (http_status < 400 || http_status > 599) {
      return absl::InvalidArgumentError(
          absl::StrCat("an error body with HTTP ", http_status));
    }
    const nlohmann::json& error = doc.at("error");
    summary.code = StringMember(error, "code");
    summary.location = StringMember(error, "field");
    summary.detail = StringMember(error, "detail");
    return summary;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("message_type ", type, " is not ack or error"));
}

absl::StatusOr<std::string> KhCnpFormat::MakeSample(
    const Sample& sample) const {
  absl::Time created;
  std::string parse_error;
  if (!absl::ParseTime(absl::RFC3339_sec, sample.created_at, &created,
                       &parse_error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("created_at is not an RFC 3339 time: ", parse_error));
  }
  const absl::TimeZone utc = absl::UTCTimeZone();
  const std::string year = absl::FormatTime("%Y", created, utc);
  const std::string case_ref =
      sample.case_ref.empty()
          ? absl::StrCat("KH-CNP-", year, "-", SerialFrom(sample.message_id, 4))
          : sample.case_ref;
  if (!IsIdentifier(case_ref)) {
    return absl::InvalidArgumentError(
        "case_ref must be 1-64 of A-Z a-z 0-9 . _ : / - (README section "
        "2.8)");
  }
  auto day = [&](int days) {
    return absl::FormatTime("%Y-%m-%d", created + absl::Hours(24 * days), utc);
  };
  auto instant = [&](absl::Duration offset) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", created + offset, utc);
  };
  nlohmann::json body = {{"message_type", sample.kind},
                         {"message_id", sample.message_id},
                         {"sender", sample.sender},
                         {"recipient", sample.recipient}};
  if (sample.kind == "alert") {
    body["alert"] = {
        {"alert_id",
         absl::StrCat("CNP-AL-", year, "-", SerialFrom(sample.message_id, 6))},
        {"case_ref", case_ref},
        {"kind", "MISSING_PERSON"},
        {"priority", "URGENT"},
        {"handling_code", "H2"},
        {"origin_agency", sample.sender},
        {"originator", "cnp-pp-inv-0031"},
        {"recipients", {sample.recipient}},
        {"subjects",
         {{{"role", "VICTIM"},
           {"person",
            {{"names",
              {{{"script", "Khmr"},
                {"family", "សាកល្បង"},
                {"given", "ស្រីពៅ"},
                {"full", "សាកល្បង ស្រីពៅ"}},
               {{"script", "Latn"},
                {"family", "SAKALBANG"},
                {"given", "Srey Pov"},
                {"full", "SAKALBANG Srey Pov"}}}},
             {"sex", "FEMALE"},
             {"date_of_birth", "2011-08-05"},
             {"age_estimate", 14},
             {"nationality", "KHM"}}}}}},
        {"last_seen",
         {{"at", instant(-absl::Hours(48))},
          {"place", "Phnom Penh central bus station"},
          {"country", "KHM"}}},
        {"narrative",
         {Text("km", "កំណត់ត្រាសាកល្បង។"),
          Text("en",
               "FICTIONAL TEST RECORD. Girl aged 14 last seen at the Phnom "
               "Penh bus station with an adult male; believed to be "
               "travelling north towards the border.")}},
        {"created_at", sample.created_at}};
  } else if (sample.kind == "repatriation_request") {
    body["repatriation_request"] = {
        {"request_id",
         absl::StrCat("CNP-RQ-", year, "-", SerialFrom(sample.message_id, 4))},
        {"case_ref", case_ref},
        {"victim",
         {{"names",
           {{{"script", "Hani"},
             {"family", "测试"},
             {"given", "花"},
             {"full", "测试花"}},
            {{"script", "Latn"},
             {"family", "CESHI"},
             {"given", "Hua"},
             {"full", "CESHI Hua"}}}},
          {"sex", "FEMALE"},
          {"date_of_birth", "2010-11-20"},
          {"age_estimate", 15},
          {"nationality", "CHN"}}},
        {"requesting_agency", sample.sender},
        {"receiving_agency", sample.recipient},
        {"identity_verified", true},
        {"nationality_verified", false},
        {"travel_document",
         {{"type", "PASSPORT"},
          {"number", "E00000001"},
          {"issuing_state", "CHN"},
          {"expiry", "2030-05-31"},
          {"mrz",
           {"P<CHNCESHI<<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            "E000000019CHN1011201F3005316<<<<<<<<<<<<<<08"}}}},
        {"guardian",
         {{"tracing_result", "IN_PROGRESS"},
          {"notes",
           {Text("en",
                 "Mother reported to live in Yunnan; family tracing "
                 "requested from CN-MPS.")}}}},
        {"best_interests_assessment",
         {{"outcome", "RETURN"},
          {"completed_on", day(-2)},
          {"summary",
           {Text("km", "កុមារចង់ត្រឡប់ទៅគ្រួសារវិញ"),
            Text("en", "The child wishes to return to her family.")}}}},
        {"proposed_handover",
         {{"border_point", "Phnom Penh International Airport (PNH)"},
          {"date", day(26)}}}};
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("no sample of kind ", sample.kind,
                     " (use alert or repatriation_request)"));
  }
  return json::Canonical(body);
}

}  // namespace gw::kh_cnp_mock
