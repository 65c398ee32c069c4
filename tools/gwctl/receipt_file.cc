// tools/gwctl/receipt_file.cc
#include "tools/gwctl/receipt_file.h"

#include "absl/strings/str_cat.h"
#include "gateway/audit/log_origin.h"
#include "gateway/util/file.h"
#include "google/protobuf/descriptor.h"
#include "nlohmann/json.hpp"
#include "tools/gwctl/json_syntax.h"
#include "tools/gwctl/message_file.h"
#include "tools/gwctl/output_file.h"
#include "tools/gwctl/readable_output.h"

namespace gw::gwctl {

absl::Status ParseReceiptJson(absl::string_view text, absl::string_view name,
                              gw::v1::Receipt* receipt) {
  if (absl::Status syntax = CheckJsonSyntax(text); !syntax.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ":", syntax.message()));
  }
  const nlohmann::json json =
      nlohmann::json::parse(text.begin(), text.end(), nullptr,
                            /*allow_exceptions=*/false);
  if (json.is_object() && json.contains("receipt")) {
    const nlohmann::json& inner = json["receipt"];
    if (!inner.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": receipt: want a JSON object"));
    }
    return ParseJsonMessage(inner.dump(), absl::StrCat(name, " (its receipt)"),
                            receipt);
  }
  return ParseJsonMessage(text, name, receipt);
}

absl::Status LoadReceiptFile(const std::string& path,
                             gw::v1::Receipt* receipt) {
  absl::StatusOr<std::string> text = util::ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseReceiptJson(*text, path, receipt);
}

absl::Status WriteReceiptFile(const std::string& path,
                              const gw::v1::Receipt& receipt) {
  absl::StatusOr<std::string> json = ToJson(receipt, /*multiline=*/true);
  if (!json.ok()) return json.status();
  return WriteFileAtomically(path, *json);
}

std::optional<gw::v1::Receipt> ReceiptIn(
    const google::protobuf::Message& answer) {
  const google::protobuf::FieldDescriptor* field =
      answer.GetDescriptor()->FindFieldByName("receipt");
  if (field == nullptr || field->is_repeated() ||
      field->message_type() != gw::v1::Receipt::descriptor()) {
    return std::nullopt;
  }
  const google::protobuf::Reflection* reflection = answer.GetReflection();
  if (!reflection->HasField(answer, field)) return std::nullopt;
  gw::v1::Receipt receipt;
  receipt.CopyFrom(reflection->GetMessage(answer, field));
  return receipt;
}

std::optional<gw::v1::Receipt> ReceiptInTrailers(
    const std::multimap<grpc::string_ref, grpc::string_ref>& trailers) {
  auto it = trailers.find(audit::kReceiptTrailer);
  if (it == trailers.end()) return std::nullopt;
  gw::v1::Receipt receipt;
  if (!receipt.ParseFromArray(it->second.data(),
                              static_cast<int>(it->second.size()))) {
    return std::nullopt;
  }
  return receipt;
}

}  // namespace gw::gwctl
