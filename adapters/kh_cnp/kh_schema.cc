// adapters/kh_cnp/kh_schema.cc
//
// See kh_schema.h.
#include "adapters/kh_cnp/kh_schema.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "schemas/embedded.h"

namespace gw::kh_cnp {

absl::StatusOr<const json::JsonSchema*> KhCnpSchema() {
  // Leaked on purpose: codecs on any thread may use it until exit.
  static const absl::StatusOr<std::unique_ptr<json::JsonSchema>>* const loaded =
      new absl::StatusOr<std::unique_ptr<json::JsonSchema>>(
          json::JsonSchema::Load(embedded::kKhCnpSchemaJson));
  if (!loaded->ok()) {
    return absl::InternalError(
        absl::StrCat("KH-CNP.schema.json (embedded) does not load: ",
                     loaded->status().message()));
  }
  return (*loaded)->get();
}

}  // namespace gw::kh_cnp
