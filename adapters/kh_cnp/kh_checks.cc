// adapters/kh_cnp/kh_checks.cc
//
// See kh_checks.h.
#include "adapters/kh_cnp/kh_checks.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "adapters/kh_cnp/kh_text.h"
#include "adapters/kh_cnp/kh_time.h"
#include "gateway/crypto/sha256.h"

namespace gw::kh_cnp {
namespace {

using json::SchemaViolation;
using Json = nlohmann::json;

bool IsTimestampMember(absl::string_view name) {
  return name == "created_at" || name == "at" || name == "decided_at" ||
         name == "updated_at" || name == "received_at";
}

bool IsDateMember(absl::string_view name) {
  return name == "expiry" || name == "completed_on" || name == "date";
}

std::optional<SchemaViolation> Breach(const std::string& pointer,
                                      std::string message) {
  return SchemaViolation{pointer, std::move(message)};
}

std::optional<SchemaViolation> CheckAttachment(const Json& attachment,
                                               const std::string& pointer) {
  const auto content = attachment.find("content");
  if (content == attachment.end() || !content->is_string()) {
    return std::nullopt;
  }
  const std::string& text = content->get_ref<const std::string&>();
  std::string bytes;
  if (!absl::Base64Unescape(text, &bytes) ||
      absl::Base64Escape(bytes) != text) {
    return Breach(pointer + "/content",
                  "is not padded base64 (RFC 4648 §4) in its canonical form "
                  "(KH-CNP.md §4.1)");
  }
  const auto size = attachment.find("size");
  if (size == attachment.end() || !size->is_number_unsigned() ||
      size->get<uint64_t>() != bytes.size()) {
    return Breach(pointer + "/size",
                  "is not the length of the decoded content (KH-CNP.md "
                  "§4.1)");
  }
  const auto sha256 = attachment.find("sha256");
  if (sha256 == attachment.end() || !sha256->is_string() ||
      sha256->get_ref<const std::string&>() != crypto::Sha256Hex(bytes)) {
    return Breach(pointer + "/sha256",
                  "is not the SHA-256 of the decoded content (KH-CNP.md "
                  "§4.1)");
  }
  return std::nullopt;
}

// The §4.4 rule, checked when the walk reaches `member` of the decision.
std::optional<SchemaViolation> CheckHandoverRule(const Json& decision,
                                                 absl::string_view member,
                                                 const std::string& pointer) {
  const auto state = decision.find("state");
  const bool scheduled = state != decision.end() && state->is_string() &&
                         *state == "HANDOVER_SCHEDULED";
  const bool has_handover = decision.contains("handover");
  if (member == "handover" && !scheduled) {
    return Breach(pointer + "/handover",
                  "present although state is not HANDOVER_SCHEDULED "
                  "(KH-CNP.md §4.4)");
  }
  if (member == "state" && scheduled && !has_handover) {
    return Breach(pointer + "/state",
                  "HANDOVER_SCHEDULED without a handover (KH-CNP.md §4.4)");
  }
  return std::nullopt;
}

std::optional<SchemaViolation> Walk(const Json& value,
                                    const std::string& pointer,
                                    absl::string_view name,
                                    absl::string_view parent_name) {
  if (value.is_object()) {
    if (parent_name == "attachments") {
      if (auto breach = CheckAttachment(value, pointer)) return breach;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string child = pointer + "/" + PointerToken(it.key());
      if (name == "repatriation_decision") {
        if (auto breach = CheckHandoverRule(value, it.key(), pointer)) {
          return breach;
        }
      }
      if (auto breach = Walk(*it, child, it.key(), name)) return breach;
    }
    return std::nullopt;
  }
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      // Items are judged as members of the array's own name.
      if (auto breach =
              Walk(value[i], pointer + "/" + std::to_string(i), "", name)) {
        return breach;
      }
    }
    return std::nullopt;
  }
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  if (IsTimestampMember(name) && !ParseTimestamp(text).has_value()) {
    return Breach(pointer, "is not a real instant (KH-CNP.md §5.3)");
  }
  if (IsDateMember(name) && !IsCalendarDate(text)) {
    return Breach(pointer, "is not a real calendar date (KH-CNP.md §5.3)");
  }
  if (name == "date_of_birth" && !IsPartialDate(text)) {
    return Breach(pointer, "is not a real calendar date (KH-CNP.md §5.3)");
  }
  return std::nullopt;
}

}  // namespace

std::optional<SchemaViolation> CheckBeyondSchema(const nlohmann::json& body) {
  return Walk(body, "", "", "");
}

}  // namespace gw::kh_cnp
