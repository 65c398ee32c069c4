// tools/partners/kh_cnp_mock/kh_rules.cc
#include "tools/partners/kh_cnp_mock/kh_rules.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <functional>
#include <set>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/sha256.h"

namespace gw::kh_cnp_mock {
namespace {

using http_mock::Refusal;

// Called for every value with its pointer and its member name ("" for
// array items) and the member name of its parent (for array items: the
// array's name). The first refusal stops the walk.
using Visitor = std::function<std::optional<Refusal>(
    const nlohmann::json& value, const std::string& pointer,
    const std::string& key, const std::string& parent_key)>;

std::optional<Refusal> Walk(const nlohmann::json& value,
                            const std::string& pointer, const std::string& key,
                            const std::string& parent_key,
                            const Visitor& visit) {
  if (std::optional<Refusal> found = visit(value, pointer, key, parent_key)) {
    return found;
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (std::optional<Refusal> found = Walk(
              it.value(), absl::StrCat(pointer, "/", PointerToken(it.key())),
              it.key(), key, visit)) {
        return found;
      }
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (std::optional<Refusal> found =
              Walk(value[i], absl::StrCat(pointer, "/", i), "", key, visit)) {
        return found;
      }
    }
  }
  return std::nullopt;
}

Refusal Violation(const std::string& pointer, std::string detail,
                  const char* code = "SCHEMA_VIOLATION") {
  Refusal refusal;
  refusal.http_status = 400;
  refusal.code = code;
  refusal.location = pointer;
  refusal.detail = std::move(detail);
  return refusal;
}

bool IsDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string PointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsNfc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfc = unorm2_getNFCInstance(&status);
  if (U_FAILURE(status)) return false;
  int32_t length = 0;
  status = U_ZERO_ERROR;
  u_strFromUTF8(nullptr, 0, &length, text.data(),
                static_cast<int32_t>(text.size()), &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return false;
  std::vector<UChar> utf16(static_cast<size_t>(length) + 1);
  status = U_ZERO_ERROR;
  u_strFromUTF8(utf16.data(), length + 1, nullptr, text.data(),
                static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status)) return false;
  status = U_ZERO_ERROR;
  const UBool normalized =
      unorm2_isNormalized(nfc, utf16.data(), length, &status);
  return U_SUCCESS(status) && normalized;
}

bool IsRealDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !IsDigits(text.substr(0, 4)) || !IsDigits(text.substr(5, 2)) ||
      !IsDigits(text.substr(8, 2))) {
    return false;
  }
  const int year = ToInt(text.substr(0, 4));
  const int month = ToInt(text.substr(5, 2));
  const int day = ToInt(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= days;
}

std::optional<Refusal> FindNotNfc(const nlohmann::json& doc) {
  return Walk(
      doc, "", "", "",
      [](const nlohmann::json& value, const std::string& pointer,
         const std::string&, const std::string&) -> std::optional<Refusal> {
        if (value.is_string() && !IsNfc(value.get_ref<const std::string&>())) {
          return Violation(pointer, "string is not in Unicode NFC", "NOT_NFC");
        }
        return std::nullopt;
      });
}

std::optional<Refusal> FindZeroWidthInNames(const nlohmann::json& doc) {
  return Walk(doc, "", "", "",
              [](const nlohmann::json& value, const std::string& pointer,
                 const std::string&,
                 const std::string& parent_key) -> std::optional<Refusal> {
                // A names entry: an object whose array is named "names".
                if (!value.is_object() || parent_key != "names")
                  return std::nullopt;
                for (const char* member : {"family", "full", "given"}) {
                  auto it = value.find(member);
                  if (it == value.end() || !it->is_string()) continue;
                  const std::string& text = it->get_ref<const std::string&>();
                  if (text.find("\xE2\x80\x8B") != std::string::npos ||
                      text.find("\xE2\x80\x8C") != std::string::npos) {
                    return Violation(
                        absl::StrCat(pointer, "/", member),
                        "name member contains ZERO WIDTH SPACE or ZERO WIDTH "
                        "NON-JOINER (section 5.2)");
                  }
                }
                return std::nullopt;
              });
}

std::optional<Refusal> FindImpossibleDate(const nlohmann::json& doc) {
  static const std::set<std::string> kDates = {"expiry", "completed_on",
                                               "date"};
  static const std::set<std::string> kTimestamps = {
      "created_at", "at", "decided_at", "updated_at", "received_at"};
  return Walk(
      doc, "", "", "",
      [](const nlohmann::json& value, const std::string& pointer,
         const std::string& key, const std::string&) -> std::optional<Refusal> {
        if (!value.is_string()) return std::nullopt;
        const std::string& text = value.get_ref<const std::string&>();
        if (kDates.count(key) > 0 ||
            (key == "date_of_birth" && text.size() == 10)) {
          if (!IsRealDate(text)) {
            return Violation(pointer, "not a real calendar date (section 5.3)");
          }
        } else if (kTimestamps.count(key) > 0) {
          if (text.size() < 10 || !IsRealDate(text.substr(0, 10))) {
            return Violation(pointer, "not a real instant (section 5.3)");
          }
        }
        return std::nullopt;
      });
}

std::optional<Refusal> FindHandoverBreach(const nlohmann::json& doc) {
  auto decision = doc.find("repatriation_decision");
  if (!doc.is_object() || decision == doc.end() || !decision->is_object()) {
    return std::nullopt;
  }
  auto state = decision->find("state");
  const bool scheduled = state != decision->end() && state->is_string() &&
                         *state == "HANDOVER_SCHEDULED";
  const bool has_handover = decision->contains("handover");
  if (has_handover && !scheduled) {
    return Violation("/repatriation_decision/handover",
                     "handover is present but state is not "
                     "HANDOVER_SCHEDULED (section 4.4)");
  }
  if (scheduled && !has_handover) {
    return Violation("/repatriation_decision/state",
                     "state HANDOVER_SCHEDULED needs a handover (section 4.4)");
  }
  return std::nullopt;
}

std::optional<Refusal> FindAttachmentBreach(const nlohmann::json& doc) {
  return Walk(doc, "", "", "",
              [](const nlohmann::json& value, const std::string& pointer,
                 const std::string&,
                 const std::string& parent_key) -> std::optional<Refusal> {
                if (!value.is_object() || parent_key != "attachments") {
                  return std::nullopt;
                }
                auto content = value.find("content");
                if (content == value.end() || !content->is_string()) {
                  return std::nullopt;
                }
                std::string bytes;
                if (!absl::Base64Unescape(
                        content->get_ref<const std::string&>(), &bytes)) {
                  return Violation(absl::StrCat(pointer, "/content"),
                                   "content is not base64");
                }
                auto size = value.find("size");
                if (size == value.end() || !size->is_number_integer() ||
                    size->get<uint64_t>() != bytes.size()) {
                  return Violation(
                      absl::StrCat(pointer, "/content"),
                      "content does not have the length given by size "
                      "(section 4.1)");
                }
                auto sha256 = value.find("sha256");
                if (sha256 == value.end() || !sha256->is_string() ||
                    *sha256 != crypto::Sha256Hex(bytes)) {
                  return Violation(absl::StrCat(pointer, "/content"),
                                   "content does not have the SHA-256 given by "
                                   "sha256 (section 4.1)");
                }
                return std::nullopt;
              });
}

}  // namespace gw::kh_cnp_mock
