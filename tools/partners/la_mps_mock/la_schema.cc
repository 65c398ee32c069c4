// tools/partners/la_mps_mock/la_schema.cc
#include "tools/partners/la_mps_mock/la_schema.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/partners/la_mps_mock/la_formats.h"

namespace gw::la_mps_mock {
namespace {

enum class Fmt {
  kText,
  kCode,
  kFixed,  // exactly codes[0]
  kDocType,
  kAgency,
  kIdentifier,
  kCountry,
  kScript,
  kLang,
  kDate,
  kPartialDate,
  kTimestamp,
  kYesNo,
  kInteger,
  kSha256,
  kBase64,
  kMrz,
  kUuid,
  kMediaType,
};

// Checks that run when a group instance (or list element) is complete.
enum class Post { kNone, kName, kAttachment };
// Checks that run at the end of the file.
enum class RootPost { kNone, kDecision, kAck };

struct Node {
  enum class Kind { kField, kGroup, kList };
  Kind kind = Kind::kField;
  std::string name;
  bool mandatory = false;
  Fmt fmt = Fmt::kText;
  size_t max_chars = 20000;  // §9: text value
  bool multiline = false;
  std::vector<std::string> codes;  // kCode: the allowed names; kFixed
  std::vector<Node> children;      // kGroup; kList of groups
  bool scalar = false;             // kList of single values
  int max_count = 0;               // kList
  int min_count = 0;               // kList: if not empty, at least this
  Post post = Post::kNone;
};

constexpr bool kM = true;   // mandatory
constexpr bool kO = false;  // optional

Node F(std::string name, Fmt fmt, bool mandatory) {
  Node n;
  n.name = std::move(name);
  n.fmt = fmt;
  n.mandatory = mandatory;
  return n;
}

Node T(std::string name, bool mandatory, size_t max_chars,
       bool multiline = false) {
  Node n = F(std::move(name), Fmt::kText, mandatory);
  n.max_chars = max_chars;
  n.multiline = multiline;
  return n;
}

Node C(std::string name, bool mandatory, std::vector<std::string> codes) {
  Node n = F(std::move(name), Fmt::kCode, mandatory);
  n.codes = std::move(codes);
  return n;
}

Node G(std::string name, bool mandatory, std::vector<Node> children,
       Post post = Post::kNone) {
  Node n;
  n.kind = Node::Kind::kGroup;
  n.name = std::move(name);
  n.mandatory = mandatory;
  n.children = std::move(children);
  n.post = post;
  return n;
}

Node L(std::string name, int max_count, std::vector<Node> children,
       Post post = Post::kNone) {
  Node n;
  n.kind = Node::Kind::kList;
  n.name = std::move(name);
  n.max_count = max_count;
  n.children = std::move(children);
  n.post = post;
  return n;
}

Node SL(std::string name, Fmt fmt, int max_count, int min_count = 0) {
  Node n;
  n.kind = Node::Kind::kList;
  n.name = std::move(name);
  n.fmt = fmt;
  n.scalar = true;
  n.max_count = max_count;
  n.min_count = min_count;
  return n;
}

constexpr int kMaxTexts = 20;
constexpr int kMaxAgencies = 16;
constexpr int kMaxNamesOrDocuments = 10;
constexpr int kMaxSubjects = 999;
constexpr int kUnbounded = 1000000;  // bounded by the record limit

std::vector<Node> DocumentChildren() {
  return {F("type", Fmt::kDocType, kM), T("number", kM, 20000),
          F("issuing_state", Fmt::kCountry, kO), F("expiry", Fmt::kDate, kO),
          SL("mrz", Fmt::kMrz, 3, 2)};
}

std::vector<Node> PersonChildren() {
  return {
      L("names", kMaxNamesOrDocuments,
        {F("script", Fmt::kScript, kM), T("family", kO, 100),
         T("given", kO, 100), T("full", kO, 200)},
        Post::kName),
      C("sex", kM, {"FEMALE", "MALE", "UNKNOWN"}),
      F("date_of_birth", Fmt::kPartialDate, kO),
      F("age_estimate", Fmt::kInteger, kO),
      F("nationality", Fmt::kCountry, kO),
      L("documents", kMaxNamesOrDocuments, DocumentChildren()),
  };
}

Node LangTexts(std::string name) {
  return L(std::move(name), kMaxTexts,
           {F("lang", Fmt::kLang, kM), T("text", kM, 20000, true)});
}

struct BodySchema {
  std::vector<Node> children;
  RootPost post = RootPost::kNone;
};

const std::vector<Node>& HeaderNodes() {
  static const auto* const kNodes = [] {
    Node format = F("format", Fmt::kFixed, kM);
    format.codes = {kFormatName};
    return new std::vector<Node>{
        format,
        C("message_type", kM,
          {"ALERT", "REPATRIATION_REQUEST", "REPATRIATION_DECISION",
           "CASE_STATUS"}),
        F("message_id", Fmt::kUuid, kM),
        F("sender", Fmt::kAgency, kM),
        F("recipient", Fmt::kAgency, kM),
        F("message_created_at", Fmt::kTimestamp, kM),
        F("key_id", Fmt::kSha256, kM),
    };
  }();
  return *kNodes;
}

const BodySchema& AlertSchema() {
  static const auto* const kSchema = new BodySchema{{
      F("alert_id", Fmt::kIdentifier, kM),
      F("case_ref", Fmt::kIdentifier, kM),
      C("kind", kM,
        {"MISSING_PERSON", "VICTIM_IDENTIFIED", "SUSPECT_WANTED",
         "ROUTE_INTELLIGENCE"}),
      C("priority", kM, {"ROUTINE", "HIGH", "URGENT"}),
      C("handling_code", kM, {"H0", "H1", "H2", "H3"}),
      F("origin_agency", Fmt::kAgency, kM),
      T("originator", kM, 200),
      SL("recipients", Fmt::kAgency, kMaxAgencies),
      L("subjects", kMaxSubjects,
        {C("role", kM, {"VICTIM", "SUSPECT", "WITNESS"}),
         G("person", kM, PersonChildren())}),
      G("last_seen", kO,
        {F("at", Fmt::kTimestamp, kO), T("place", kO, 200),
         F("country", Fmt::kCountry, kO)}),
      LangTexts("narrative"),
      L("attachments", kUnbounded,
        {T("name", kM, 200), F("media_type", Fmt::kMediaType, kM),
         F("sha256", Fmt::kSha256, kM), F("size", Fmt::kInteger, kM),
         F("included", Fmt::kYesNo, kM), F("content", Fmt::kBase64, kO)},
        Post::kAttachment),
      F("created_at", Fmt::kTimestamp, kM),
  }};
  return *kSchema;
}

const BodySchema& RequestSchema() {
  static const auto* const kSchema = new BodySchema{{
      F("request_id", Fmt::kIdentifier, kM),
      F("case_ref", Fmt::kIdentifier, kM),
      G("victim", kM, PersonChildren()),
      F("requesting_agency", Fmt::kAgency, kM),
      F("receiving_agency", Fmt::kAgency, kM),
      F("identity_verified", Fmt::kYesNo, kM),
      F("nationality_verified", Fmt::kYesNo, kM),
      G("travel_document", kO, DocumentChildren()),
      G("guardian", kO,
        {C("tracing_result", kM,
           {"FOUND", "NOT_FOUND", "IN_PROGRESS", "NOT_STARTED"}),
         G("person", kO, PersonChildren()), LangTexts("notes")}),
      G("best_interests_assessment", kO,
        {C("outcome", kM, {"RETURN", "NO_RETURN", "PENDING", "NOT_REQUIRED"}),
         F("completed_on", Fmt::kDate, kO), LangTexts("summary")}),
      G("proposed_handover", kO,
        {T("border_point", kM, 200), F("date", Fmt::kDate, kM)}),
  }};
  return *kSchema;
}

const BodySchema& DecisionSchema() {
  static const auto* const kSchema = new BodySchema{
      {
          F("request_id", Fmt::kIdentifier, kM),
          F("case_ref", Fmt::kIdentifier, kM),
          C("state", kM,
            {"SUBMITTED", "UNDER_REVIEW", "INFO_REQUESTED", "APPROVED",
             "REJECTED", "HANDOVER_SCHEDULED", "COMPLETED", "CANCELLED"}),
          F("decided_by", Fmt::kAgency, kM),
          F("decided_at", Fmt::kTimestamp, kM),
          LangTexts("reason"),
          G("handover", kO,
            {T("border_point", kM, 200), F("date", Fmt::kDate, kM)}),
      },
      RootPost::kDecision};
  return *kSchema;
}

const BodySchema& CaseStatusSchema() {
  static const auto* const kSchema = new BodySchema{{
      F("case_ref", Fmt::kIdentifier, kM),
      F("owner_agency", Fmt::kAgency, kM),
      C("state", kM,
        {"OPEN", "INVESTIGATING", "VICTIM_LOCATED", "SUSPECT_ARRESTED",
         "PROSECUTION", "CLOSED"}),
      F("updated_at", Fmt::kTimestamp, kM),
      SL("shared_with", Fmt::kAgency, kMaxAgencies),
      LangTexts("note"),
  }};
  return *kSchema;
}

const BodySchema& AckSchema() {
  static const auto* const kSchema = [] {
    Node format = F("format", Fmt::kFixed, kM);
    format.codes = {kFormatName};
    return new BodySchema{
        {
            format,
            C("message_type", kM, {"ACK"}),
            F("message_id", Fmt::kUuid, kM),
            F("sender", Fmt::kAgency, kM),
            F("recipient", Fmt::kAgency, kM),
            C("status", kM, {"ACCEPTED", "REJECTED", "CORRUPT"}),
            F("payload_sha256", Fmt::kSha256, kM),
            F("received_at", Fmt::kTimestamp, kM),
            T("partner_ref", kO, 20000),
            L("warning", kUnbounded,
              {C("code", kM, {"NORMALIZED_NFC"}), T("field", kO, 20000)}),
            C("error_code", kO,
              {"INCOMPLETE", "MALFORMED_CSV", "HEADER_MISMATCH",
               "AGENCY_MISMATCH", "SIGNATURE_INVALID", "SCHEMA_VIOLATION",
               "NOT_NFC", "PAYLOAD_TOO_LARGE", "UNKNOWN_REFERENCE",
               "WORKFLOW_STATE", "NOT_A_RECIPIENT"}),
            T("error_field", kO, 20000),
            T("error_text", kO, 20000, true),
            F("key_id", Fmt::kSha256, kM),
            F("signature", Fmt::kBase64, kM),
        },
        RootPost::kAck};
  }();
  return *kSchema;
}

Refusal Violation(std::string field, std::string text) {
  std::string message = absl::StrCat(field, ": ", text);
  return Refusal{"SCHEMA_VIOLATION", std::move(field), std::move(message)};
}

// "" if `value` has node's format, else the rule it breaks.
std::string CheckValue(const Node& node, absl::string_view value) {
  auto need = [](bool ok, absl::string_view rule) {
    return ok ? std::string() : std::string(rule);
  };
  if (value.empty() && node.fmt != Fmt::kText) {
    return "empty value (an absent field has no record)";
  }
  switch (node.fmt) {
    case Fmt::kText:
      return CheckText(value, node.max_chars, node.multiline);
    case Fmt::kCode:
      if (!IsCodeName(value) || (!node.codes.empty() &&
                                 std::find(node.codes.begin(), node.codes.end(),
                                           value) == node.codes.end())) {
        return absl::StrCat("not one of ", absl::StrJoin(node.codes, ", "));
      }
      return "";
    case Fmt::kFixed:
      return need(value == node.codes.front(),
                  absl::StrCat("must be ", node.codes.front()));
    case Fmt::kDocType:
      return need(IsDocumentType(value),
                  "not a document type ^[A-Z][A-Z0-9_]*$");
    case Fmt::kAgency:
      return need(IsAgencyCode(value),
                  "not an agency code ^[A-Z]{2}-[A-Z]{2,7}$");
    case Fmt::kIdentifier:
      return need(IsIdentifier(value),
                  "not an identifier ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$");
    case Fmt::kCountry:
      return need(IsCountryAlpha3(value), "not an ISO 3166-1 alpha-3 code");
    case Fmt::kScript:
      return need(IsScriptCode(value), "not an ISO 15924 script code");
    case Fmt::kLang:
      return need(IsLanguageTag(value), "not a BCP 47 language tag");
    case Fmt::kDate:
      return need(IsDate(value), "not a real date DD/MM/YYYY");
    case Fmt::kPartialDate:
      return need(IsPartialDate(value),
                  "not a date DD/MM/YYYY, 00/MM/YYYY or 00/00/YYYY");
    case Fmt::kTimestamp:
      return need(IsTimestamp(value),
                  "not a real time DD/MM/YYYY HH:MM:SS+07:00");
    case Fmt::kYesNo:
      return need(IsYesNo(value), "must be Y or N");
    case Fmt::kInteger:
      return need(IsInteger(value),
                  "not an integer (ASCII digits, no sign, no leading zero)");
    case Fmt::kSha256:
      return need(IsLowerHex(value, 64), "not 64 lowercase hex digits");
    case Fmt::kBase64:
      return need(IsBase64(value), "not padded base64 (RFC 4648 §4)");
    case Fmt::kMrz:
      return need(IsMrzLine(value), "not an MRZ line [A-Z0-9<]{30,44}");
    case Fmt::kUuid:
      return need(IsUuid(value), "not a lowercase UUID");
    case Fmt::kMediaType:
      if (std::string text = CheckText(value, node.max_chars, false);
          !text.empty()) {
        return text;
      }
      return need(IsMediaType(value), "not a media type type/subtype");
  }
  return "unknown format";
}

// The path of the first mandatory field inside `node` (for a missing group,
// the field a reader would look for first).
std::string FirstMandatoryPath(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kField:
      return node.name;
    case Node::Kind::kList:
      if (node.scalar) return absl::StrCat(node.name, ".1");
      for (const Node& child : node.children) {
        if (child.mandatory) {
          return absl::StrCat(node.name, ".1.", FirstMandatoryPath(child));
        }
      }
      return absl::StrCat(node.name, ".1");
    case Node::Kind::kGroup:
      for (const Node& child : node.children) {
        if (child.mandatory) {
          return absl::StrCat(node.name, ".", FirstMandatoryPath(child));
        }
      }
      return node.name;
  }
  return node.name;
}

struct Step {
  int pos = 0;
  int index = 0;  // list index, 0 for groups and fields
  const Node* node = nullptr;
};

// 1-based index without leading zeros, as §3.3 writes it.
bool ParseIndex(absl::string_view token, int* index) {
  if (token.empty() || token.size() > 7 || token[0] == '0') return false;
  int n = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *index = n;
  return true;
}

// Maps a path onto the schema; false if no field has this path.
bool Match(const std::vector<Node>& root, absl::string_view path,
           std::vector<Step>* steps) {
  const std::vector<std::string> tokens = absl::StrSplit(path, '.');
  const std::vector<Node>* children = &root;
  size_t i = 0;
  while (i < tokens.size()) {
    const auto it =
        std::find_if(children->begin(), children->end(),
                     [&](const Node& n) { return n.name == tokens[i]; });
    if (it == children->end()) return false;
    Step step;
    step.pos = static_cast<int>(it - children->begin());
    step.node = &*it;
    ++i;
    switch (it->kind) {
      case Node::Kind::kField:
        steps->push_back(step);
        return i == tokens.size();
      case Node::Kind::kGroup:
        steps->push_back(step);
        if (i == tokens.size()) return false;
        children = &it->children;
        break;
      case Node::Kind::kList:
        if (i == tokens.size() || !ParseIndex(tokens[i], &step.index)) {
          return false;
        }
        ++i;
        steps->push_back(step);
        if (it->scalar) return i == tokens.size();
        if (i == tokens.size()) return false;
        children = &it->children;
        break;
    }
  }
  return false;
}

// One open group instance or list element while walking the records.
struct Frame {
  const std::vector<Node>* children = nullptr;
  std::string prefix;  // "subjects.1.person."
  Post post = Post::kNone;
  int last_pos = -1;
  std::map<int, int> counts;                  // list child → last index
  std::map<std::string, std::string> values;  // field child → value
  std::map<int, std::string> first_path;      // child → its first record
};

class Walker {
 public:
  // `records` is the whole list being walked: a mandatory field skipped in
  // one place may be found later, which makes it out of order, not missing.
  Walker(const BodySchema& schema, const std::vector<Record>& records)
      : schema_(schema) {
    for (const Record& r : records) paths_.insert(r.path);
    Frame root;
    root.children = &schema.children;
    frames_.push_back(root);
  }

  std::optional<Refusal> Visit(const Record& r) {
    std::vector<Step> steps;
    if (!Match(schema_.children, r.path, &steps)) {
      return Violation(r.path, "unknown field for this message type");
    }
    size_t d = 0;
    while (d < prev_.size() && d < steps.size() &&
           prev_[d].pos == steps[d].pos && prev_[d].index == steps[d].index) {
      ++d;
    }
    if (!prev_.empty()) {
      if (d == prev_.size() || d == steps.size() ||
          steps[d].pos < prev_[d].pos ||
          (steps[d].pos == prev_[d].pos && steps[d].index < prev_[d].index)) {
        return Violation(r.path, absl::StrCat("out of order (must come before ",
                                              prev_path_, ")"));
      }
    }
    while (frames_.size() > d + 1) {
      if (auto refusal = Close(frames_.back())) return refusal;
      frames_.pop_back();
    }
    for (size_t j = d; j < steps.size(); ++j) {
      Frame& parent = frames_[j];
      const Step& step = steps[j];
      const Node& node = *step.node;
      const bool same_list =
          j == d && j < prev_.size() && prev_[j].pos == step.pos;
      if (!same_list) {
        for (int p = parent.last_pos + 1; p < step.pos; ++p) {
          const Node& skipped = (*parent.children)[p];
          if (skipped.mandatory) return Missing(parent.prefix, skipped);
        }
      }
      std::string element = absl::StrCat(parent.prefix, node.name);
      if (node.kind == Node::Kind::kList) {
        absl::StrAppend(&element, ".", step.index);
        if (step.index > node.max_count) {
          return Violation(element, absl::StrCat("more than ", node.max_count,
                                                 " entries in ", node.name));
        }
        const int expected = same_list ? parent.counts[step.pos] + 1 : 1;
        if (step.index != expected) {
          return Violation(
              r.path, absl::StrCat("index ", step.index, " where ", expected,
                                   " is due (indices are 1, 2, "
                                   "3, ... without gaps)"));
        }
        parent.counts[step.pos] = step.index;
      }
      parent.last_pos = step.pos;
      parent.first_path.emplace(step.pos, r.path);
      if (j + 1 < steps.size()) {
        Frame child;
        child.children = &node.children;
        child.prefix = absl::StrCat(element, ".");
        child.post = node.post;
        frames_.push_back(std::move(child));
      } else {
        if (node.kind == Node::Kind::kField) parent.values[node.name] = r.value;
        if (std::string why = CheckValue(node, r.value); !why.empty()) {
          return Violation(r.path, why);
        }
      }
    }
    prev_ = std::move(steps);
    prev_path_ = r.path;
    return std::nullopt;
  }

  std::optional<Refusal> Finish() {
    while (frames_.size() > 1) {
      if (auto refusal = Close(frames_.back())) return refusal;
      frames_.pop_back();
    }
    if (auto refusal = Close(frames_.front())) return refusal;
    return RootChecks(frames_.front());
  }

 private:
  Refusal Missing(const std::string& prefix, const Node& node) const {
    const std::string path = absl::StrCat(prefix, FirstMandatoryPath(node));
    return Violation(path, paths_.count(path) > 0
                               ? "out of order (comes later in the file)"
                               : "missing (mandatory)");
  }

  std::optional<Refusal> Close(Frame& frame) {
    const std::vector<Node>& children = *frame.children;
    for (size_t p = static_cast<size_t>(frame.last_pos + 1);
         p < children.size(); ++p) {
      if (children[p].mandatory) return Missing(frame.prefix, children[p]);
    }
    for (const auto& [pos, count] : frame.counts) {
      const Node& list = children[static_cast<size_t>(pos)];
      if (count < list.min_count) {
        return Violation(
            absl::StrCat(frame.prefix, list.name, ".", count + 1),
            absl::StrCat(list.name, " has ", count, " line(s); want 2 or 3"));
      }
    }
    const std::string group =
        frame.prefix.empty() ? std::string()
                             : frame.prefix.substr(0, frame.prefix.size() - 1);
    switch (frame.post) {
      case Post::kNone:
        break;
      case Post::kName:
        if (!frame.values.count("family") && !frame.values.count("given") &&
            !frame.values.count("full")) {
          return Violation(group, "a name needs family, given or full");
        }
        break;
      case Post::kAttachment: {
        const std::string included = frame.values["included"];
        const auto content = frame.values.find("content");
        if (included == "Y" && content == frame.values.end()) {
          return Violation(absl::StrCat(frame.prefix, "content"),
                           "missing (mandatory when included is Y)");
        }
        if (included == "N" && content != frame.values.end()) {
          return Violation(absl::StrCat(frame.prefix, "content"),
                           "present although included is N");
        }
        if (content != frame.values.end()) {
          std::string bytes;
          absl::Base64Unescape(content->second, &bytes);
          if (absl::StrCat(bytes.size()) != frame.values["size"]) {
            return Violation(absl::StrCat(frame.prefix, "size"),
                             "not the length of the decoded content");
          }
        }
        break;
      }
    }
    return std::nullopt;
  }

  std::optional<Refusal> RootChecks(Frame& root) {
    const std::vector<Node>& children = *root.children;
    auto position = [&](absl::string_view name) {
      for (size_t p = 0; p < children.size(); ++p) {
        if (children[p].name == name) return static_cast<int>(p);
      }
      return -1;
    };
    switch (schema_.post) {
      case RootPost::kNone:
        break;
      case RootPost::kDecision: {
        const bool scheduled = root.values["state"] == "HANDOVER_SCHEDULED";
        const auto handover = root.first_path.find(position("handover"));
        if (scheduled && handover == root.first_path.end()) {
          return Violation("handover.border_point",
                           "missing (mandatory when state is "
                           "HANDOVER_SCHEDULED)");
        }
        if (!scheduled && handover != root.first_path.end()) {
          return Violation(handover->second,
                           "handover only with state HANDOVER_SCHEDULED");
        }
        break;
      }
      case RootPost::kAck: {
        const std::string status = root.values["status"];
        const bool has_code = root.values.count("error_code") > 0;
        const bool has_text = root.values.count("error_text") > 0;
        if (status == "ACCEPTED") {
          if (has_code || has_text || root.values.count("error_field")) {
            return Violation(has_code   ? "error_code"
                             : has_text ? "error_text"
                                        : "error_field",
                             "error records in an ACCEPTED receipt");
          }
          break;
        }
        if (!has_code)
          return Violation("error_code",
                           "missing (mandatory "
                           "for REJECTED/CORRUPT)");
        if (!has_text)
          return Violation("error_text",
                           "missing (mandatory "
                           "for REJECTED/CORRUPT)");
        const bool incomplete = root.values["error_code"] == "INCOMPLETE";
        if ((status == "CORRUPT") != incomplete) {
          return Violation("error_code",
                           "INCOMPLETE goes with CORRUPT and only with it");
        }
        break;
      }
    }
    return std::nullopt;
  }

  const BodySchema& schema_;
  std::set<std::string> paths_;
  std::vector<Frame> frames_;
  std::vector<Step> prev_;
  std::string prev_path_;
};

const BodySchema* BodySchemaFor(absl::string_view type) {
  if (type == "ALERT") return &AlertSchema();
  if (type == "REPATRIATION_REQUEST") return &RequestSchema();
  if (type == "REPATRIATION_DECISION") return &DecisionSchema();
  if (type == "CASE_STATUS") return &CaseStatusSchema();
  return nullptr;
}

}  // namespace

const std::vector<std::string>& HeaderFields() {
  static const auto* const kFields = [] {
    auto* fields = new std::vector<std::string>();
    for (const Node& n : HeaderNodes()) fields->push_back(n.name);
    return fields;
  }();
  return *kFields;
}

bool IsKnownMessageType(absl::string_view type) {
  return BodySchemaFor(type) != nullptr;
}

std::optional<Refusal> ValidateMessage(const std::vector<Record>& records) {
  const std::vector<Node>& header = HeaderNodes();
  if (records.size() < header.size()) {
    return Violation(header[records.size()].name, "missing (mandatory)");
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (records[i].path != header[i].name) {
      return Violation(header[i].name, "header record out of place");
    }
    if (std::string why = CheckValue(header[i], records[i].value);
        !why.empty()) {
      return Violation(header[i].name, why);
    }
  }
  const BodySchema* schema = BodySchemaFor(records[1].value);
  if (schema == nullptr) {
    return Violation("message_type", "not a message type LA-MPS receives");
  }
  Walker walker(*schema, records);
  for (size_t i = header.size(); i < records.size(); ++i) {
    if (auto refusal = walker.Visit(records[i])) return refusal;
  }
  return walker.Finish();
}

std::optional<Refusal> ValidateAck(const std::vector<Record>& records) {
  Walker walker(AckSchema(), records);
  for (const Record& r : records) {
    if (auto refusal = walker.Visit(r)) return refusal;
  }
  if (auto refusal = walker.Finish()) return refusal;
  if (records.empty() || records.back().path != "signature") {
    return Violation("signature", "not the last record");
  }
  return std::nullopt;
}

}  // namespace gw::la_mps_mock
