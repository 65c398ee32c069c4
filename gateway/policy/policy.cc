// gateway/policy/policy.cc
#include "gateway/policy/policy.h"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/policy/policy_parser.h"
#include "gateway/policy/policy_validator.h"
#include "gateway/policy/policy_version.h"
#include "gateway/util/status_macros.h"

namespace gw::policy {
namespace {

using gw::policy::v1::Agency;
using gw::policy::v1::AlertRoute;
using gw::policy::v1::PolicySet;
using gw::policy::v1::RpcRule;
using gw::v1::CaseAlert;
using PolicyFiles = std::vector<std::pair<std::string, std::string>>;

constexpr absl::string_view kExtension = ".textproto";

// A caller-supplied value (from a certificate or a request) as it may appear
// in an audit reason: escaped, and cut at 64 bytes.
std::string Printable(absl::string_view value) {
  constexpr size_t kMaxBytes = 64;
  std::string out = absl::CHexEscape(value.substr(0, kMaxBytes));
  if (value.size() > kMaxBytes) out += "...";
  return out;
}

Decision Allow(std::string reason) { return Decision{true, std::move(reason)}; }
Decision Deny(std::string reason) { return Decision{false, std::move(reason)}; }

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              absl::string_view value) {
  for (const std::string& item : list) {
    if (item == value) return true;
  }
  return false;
}

std::string KindName(CaseAlert::Kind kind) {
  const std::string& name = CaseAlert::Kind_Name(kind);
  return name.empty() ? absl::StrCat(static_cast<int>(kind)) : name;
}

bool IsPolicyFileName(const std::string& name) {
  return !absl::StartsWith(name, ".") && absl::EndsWith(name, kExtension) &&
         name.size() > kExtension.size();
}

absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path.string(), ": cannot be opened"));
  }
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  if (in.bad()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path.string(), ": cannot be read"));
  }
  return content;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Policy>> Policy::Load(
    const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (fs::exists(dir, ec) ||
        (ec && ec != std::errc::no_such_file_or_directory)) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, ": not a readable directory"));
    }
    return absl::NotFoundError(absl::StrCat(dir, ": no such directory"));
  }
  std::vector<fs::path> paths;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (IsPolicyFileName(name) && fs::is_regular_file(it->path(), type_ec)) {
      paths.push_back(it->path());
    }
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": cannot be listed: ", ec.message()));
  }
  if (paths.empty()) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": no *", kExtension, " policy files"));
  }
  PolicyFiles files;
  for (const fs::path& path : paths) {
    GW_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
    files.emplace_back(path.filename().string(), std::move(content));
  }
  return FromFiles(files);
}

absl::StatusOr<std::shared_ptr<const Policy>> Policy::FromFiles(
    const PolicyFiles& files) {
  if (files.empty()) {
    return absl::NotFoundError(
        absl::StrCat("policy: no *", kExtension, " policy files"));
  }
  PolicyFiles sorted = files;
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].first == sorted[i - 1].first) {
      return absl::InvalidArgumentError(
          absl::StrCat(sorted[i].first, ": two policy files have this name"));
    }
  }
  GW_ASSIGN_OR_RETURN(internal::ParsedPolicySet parsed,
                      internal::ParsePolicyFiles(sorted));
  internal::FillDefaultLimits(parsed.set.mutable_limits());
  if (std::vector<std::string> errors = internal::ValidatePolicySet(parsed);
      !errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  GW_ASSIGN_OR_RETURN(std::string version, internal::PolicyVersion(sorted));
  return std::shared_ptr<const Policy>(
      new Policy(std::move(parsed.set), std::move(version)));
}

Policy::Policy(PolicySet set, std::string version)
    : set_(std::move(set)), version_(std::move(version)) {
  for (const Agency& agency : set_.agencies()) {
    agencies_.emplace(agency.code(), &agency);
  }
  for (const RpcRule& rule : set_.rpc_rules()) {
    rpc_rules_.emplace(
        rule.rpc(), CompiledRpcRule{&rule, absl::StrCat("allowed by rpc_rules[",
                                                        rule.rpc(), "]")});
  }
  for (const AlertRoute& route : set_.alert_routes()) {
    uint64_t& kinds = alert_kinds_[route.recipient()];
    for (int kind : route.kinds()) {
      if (kind > 0 && kind < 64) kinds |= uint64_t{1} << kind;
    }
  }
}

const Agency* Policy::FindAgency(absl::string_view code) const {
  auto it = agencies_.find(code);
  return it == agencies_.end() ? nullptr : it->second;
}

Decision Policy::MayCall(absl::string_view agency, absl::string_view role,
                         absl::string_view rpc) const {
  const Agency* caller = FindAgency(agency);
  if (caller == nullptr) {
    return Deny(
        absl::StrCat("denied: agency ", Printable(agency), " is not known"));
  }
  if (!Contains(caller->roles(), role)) {
    return Deny(absl::StrCat("denied: agency ", caller->code(), " has no role ",
                             Printable(role)));
  }
  auto it = rpc_rules_.find(rpc);
  if (it == rpc_rules_.end()) {
    return Deny(absl::StrCat("denied: no rule for ", Printable(rpc),
                             " (deny by default)"));
  }
  const RpcRule& rule = *it->second.rule;
  if (!Contains(rule.roles(), role)) {
    return Deny(
        absl::StrCat("denied: no rule lets role ", role, " call ", rule.rpc()));
  }
  if (!rule.agencies().empty() && !Contains(rule.agencies(), agency)) {
    return Deny(absl::StrCat("denied: rpc_rules[", rule.rpc(),
                             "] does not list agency ", caller->code()));
  }
  return Allow(it->second.allowed_reason);
}

Decision Policy::MayReceiveAlert(absl::string_view recipient,
                                 CaseAlert::Kind kind) const {
  const Agency* agency = FindAgency(recipient);
  if (agency == nullptr) {
    return Deny(
        absl::StrCat("denied: agency ", Printable(recipient), " is not known"));
  }
  auto it = alert_kinds_.find(recipient);
  if (it == alert_kinds_.end()) {
    return Deny(
        absl::StrCat("denied: no alert_routes entry for ", agency->code()));
  }
  const int k = static_cast<int>(kind);
  if (k <= 0 || k >= 64 || (it->second & (uint64_t{1} << k)) == 0) {
    return Deny(absl::StrCat("denied: alert_routes[", agency->code(),
                             "] does not list kind ", KindName(kind)));
  }
  return Allow(absl::StrCat("allowed by alert_routes[", agency->code(), "]"));
}

}  // namespace gw::policy
