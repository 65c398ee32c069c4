// tools/gwctl/message_file.cc
#include "tools/gwctl/message_file.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "gateway/util/file.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "tools/gwctl/json_syntax.h"

namespace gw::gwctl {
namespace {

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

// What a value of protobuf JSON type `type` (as protobuf names it in its
// errors) must look like.
std::string WantForType(absl::string_view type) {
  if (absl::ConsumePrefix(&type, kTypeUrlPrefix)) {
    if (type == "google.protobuf.Timestamp") {
      return "an RFC 3339 time such as \"2026-03-10T09:15:00Z\"";
    }
    const google::protobuf::EnumDescriptor* e =
        google::protobuf::DescriptorPool::generated_pool()->FindEnumTypeByName(
            std::string(type));
    if (e != nullptr) {
      std::vector<std::string> names;
      for (int i = 0; i < e->value_count(); ++i) {
        if (e->value(i)->number() != 0) names.push_back(e->value(i)->name());
      }
      return absl::StrCat("one of ", absl::StrJoin(names, ", "));
    }
    return absl::StrCat("a ", type);
  }
  if (type == "TYPE_STRING") return "a string in double quotes";
  if (type == "TYPE_BYTES") return "base64 in double quotes";
  if (type == "TYPE_BOOL") return "true or false";
  if (absl::StrContains(type, "INT") || absl::StrContains(type, "FIXED")) {
    return "a whole number";
  }
  if (type == "TYPE_DOUBLE" || type == "TYPE_FLOAT") return "a number";
  return absl::StrCat("a value of ", type);
}

// Rewrites protobuf's JSON field errors, e.g.
//   "(subjects[0].person) nick: Cannot find field."
//   "(kind): invalid value \"NOPE\" for type type.googleapis.com/..."
// into "field.path: reason". Anything else is returned unchanged.
std::string FieldErrorFromProtobuf(absl::string_view message) {
  std::string path;
  absl::string_view rest = message;
  if (absl::ConsumePrefix(&rest, "(")) {
    const size_t close = rest.find(')');
    if (close == absl::string_view::npos) return std::string(message);
    path = std::string(rest.substr(0, close));
    rest.remove_prefix(close + 1);
    if (!absl::ConsumePrefix(&rest, ": ")) {
      absl::ConsumePrefix(&rest, " ");
      const size_t colon = rest.find(": ");
      if (colon == absl::string_view::npos) return std::string(message);
      path = absl::StrCat(path, path.empty() ? "" : ".", rest.substr(0, colon));
      rest.remove_prefix(colon + 2);
    }
  } else {
    const size_t colon = rest.find(": ");
    if (colon == absl::string_view::npos) return std::string(message);
    path = std::string(rest.substr(0, colon));
    rest.remove_prefix(colon + 2);
  }
  if (absl::StartsWith(rest, "Cannot find field")) {
    return absl::StrCat(path, ": unknown field");
  }
  if (absl::ConsumePrefix(&rest, "invalid value ")) {
    const size_t for_type = rest.rfind(" for type ");
    if (for_type != absl::string_view::npos) {
      absl::string_view value = rest.substr(0, for_type);
      absl::string_view type = rest.substr(for_type + 10);
      // Timestamp errors repeat the field name before the value.
      const size_t inner = value.rfind(": ");
      if (absl::StartsWith(value, "Field '") &&
          inner != absl::string_view::npos) {
        value.remove_prefix(inner + 2);
      }
      return absl::StrCat(path, ": invalid value ", value, ", want ",
                          WantForType(type));
    }
  }
  return absl::StrCat(path, ": ", rest);
}

// Collects the first text-format error with its 1-based position.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (!error_.empty()) return;
    error_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  void AddWarning(int, int, const std::string&) override {}
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

bool IsTextprotoPath(absl::string_view path) {
  return absl::EndsWith(path, ".textproto") || absl::EndsWith(path, ".txtpb") ||
         absl::EndsWith(path, ".pbtxt");
}

absl::Status ParseJsonMessage(absl::string_view text, absl::string_view name,
                              google::protobuf::Message* message) {
  if (absl::Status syntax = CheckJsonSyntax(text); !syntax.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ":", syntax.message()));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  message->Clear();
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), message,
      options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": ", FieldErrorFromProtobuf(std::string(status.message()))));
  }
  return absl::OkStatus();
}

absl::Status ParseTextprotoMessage(absl::string_view text,
                                   absl::string_view name,
                                   google::protobuf::Message* message) {
  FirstErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.AllowUnknownField(false);
  parser.AllowUnknownExtension(false);
  message->Clear();
  if (!parser.ParseFromString(std::string(text), message)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ":",
                     errors.error().empty() ? " does not parse as text format"
                                            : errors.error()));
  }
  return absl::OkStatus();
}

absl::Status LoadMessageFile(const std::string& path,
                             google::protobuf::Message* message) {
  absl::StatusOr<std::string> text = util::ReadFile(path);
  if (!text.ok()) return text.status();
  if (IsTextprotoPath(path)) return ParseTextprotoMessage(*text, path, message);
  return ParseJsonMessage(*text, path, message);
}

}  // namespace gw::gwctl
