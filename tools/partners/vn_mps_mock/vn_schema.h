// tools/partners/vn_mps_mock/vn_schema.h
//
// VN-MPS.xsd (compiled in: gw::embedded::kVnMpsXsd) as libxml2's XML Schema
// validator applies it, with the error location and text of VN-MPS.md §8:
//
//  * location: xmlGetNodePath of the node at which validation FIRST failed
//    (for a missing required element, the element found in its place, or
//    the parent when nothing follows; for a bad attribute, its element);
//  * text: libxml2's message for that failure, one line, with
//    "{urn:vn:mps:tip:1.0}" written "tip:" (as the rejection example of §10
//    shows), cut to the 200 characters of ErrorText. Messages that would
//    quote a value of the document ("The value '...'", "'...' is not a
//    valid value of ...") are rewritten without the value: an error text
//    travels into the sender's audit log and must not carry personal data.
//
// Thread safety: the compiled schema is immutable; Validate may be called
// from any thread (each call has its own validation context).
#ifndef GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_SCHEMA_H_
#define GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_SCHEMA_H_

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace gw::vn_mps_mock {

struct SchemaViolation {
  std::string location;  // "" when libxml2 names no node
  std::string detail;
  bool internal_error = false;  // the validator itself failed
};

class VnMpsSchema {
 public:
  // Compiles the embedded XSD. INTERNAL if libxml2 refuses it.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<VnMpsSchema>> Load();
  ~VnMpsSchema();
  VnMpsSchema(const VnMpsSchema&) = delete;
  VnMpsSchema& operator=(const VnMpsSchema&) = delete;

  // nullopt when `doc` is valid.
  std::optional<SchemaViolation> Validate(const xmlDoc* doc) const;

 private:
  explicit VnMpsSchema(xmlSchemaPtr schema) : schema_(schema) {}
  xmlSchemaPtr schema_;  // owned
};

// libxml2's message for one validation error made fit for ErrorText (see
// above). Exposed for tests.
std::string SchemaErrorText(int code, const std::string& libxml_message);

}  // namespace gw::vn_mps_mock

#endif  // GW_TOOLS_PARTNERS_VN_MPS_MOCK_VN_SCHEMA_H_
