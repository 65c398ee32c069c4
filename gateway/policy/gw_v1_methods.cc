// gateway/policy/gw_v1_methods.cc
#include "gateway/policy/gw_v1_methods.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/audit.pb.h"
#include "gw/v1/case.pb.h"
#include "gw/v1/delivery.pb.h"
#include "gw/v1/receipt.pb.h"
#include "gw/v1/repatriation.pb.h"

namespace gw::policy::internal {
namespace {

using google::protobuf::FileDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

constexpr absl::string_view kPackagePrefix = "gw.v1.";

// The files that declare gw.v1 services. Naming one message of each keeps
// its generated code, and so its descriptors, in the link.
const std::vector<const FileDescriptor*>& ServiceFiles() {
  static const auto* const files = new std::vector<const FileDescriptor*>{
      gw::v1::SendAlertRequest::descriptor()->file(),
      gw::v1::GetCheckpointRequest::descriptor()->file(),
      gw::v1::GetCaseStatusRequest::descriptor()->file(),
      gw::v1::Receipt::descriptor()->file(),
      gw::v1::ReviewRequest::descriptor()->file(),
      gw::v1::ListDeliveriesRequest::descriptor()->file(),
  };
  return *files;
}

// "gw.v1.AlertService, gw.v1.AuditService, ...", sorted.
std::string ServiceNames() {
  std::vector<std::string> names;
  for (const FileDescriptor* file : ServiceFiles()) {
    for (int i = 0; i < file->service_count(); ++i) {
      names.push_back(file->service(i)->full_name());
    }
  }
  std::sort(names.begin(), names.end());
  return absl::StrJoin(names, ", ");
}

std::string MethodNames(const ServiceDescriptor& service) {
  std::vector<std::string> names;
  for (int i = 0; i < service.method_count(); ++i) {
    names.push_back(service.method(i)->name());
  }
  return absl::StrJoin(names, ", ");
}

absl::Status NotAMethod(absl::string_view rpc, absl::string_view hint) {
  return absl::InvalidArgumentError(absl::StrCat(
      absl::CHexEscape(rpc), " is not a gw.v1 method (", hint, ")"));
}

}  // namespace

absl::Status CheckGwV1Method(absl::string_view rpc) {
  (void)ServiceFiles();  // registers the descriptors before the look-up
  if (absl::StartsWith(rpc, "/")) {
    return NotAMethod(rpc, "write it without the leading '/'");
  }
  const size_t slash = rpc.find('/');
  if (slash == absl::string_view::npos) {
    return NotAMethod(rpc, "want SERVICE/METHOD, e.g. " +
                               std::string(kPackagePrefix) +
                               "AlertService/SendAlert");
  }
  const absl::string_view service_name = rpc.substr(0, slash);
  const absl::string_view method_name = rpc.substr(slash + 1);
  const ServiceDescriptor* service = nullptr;
  if (absl::StartsWith(service_name, kPackagePrefix)) {
    service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            std::string(service_name));
  }
  if (service == nullptr || service->file()->package() != "gw.v1") {
    return NotAMethod(rpc, absl::StrCat("services: ", ServiceNames()));
  }
  const MethodDescriptor* method =
      service->FindMethodByName(std::string(method_name));
  if (method == nullptr) {
    return NotAMethod(rpc, absl::StrCat(service->full_name(), " has ",
                                        MethodNames(*service)));
  }
  return absl::OkStatus();
}

}  // namespace gw::policy::internal
