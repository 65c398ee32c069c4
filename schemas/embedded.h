// schemas/embedded.h
//
// The partner schema files compiled into the program (schemas/CMakeLists.txt),
// byte for byte as in schemas/partners/. Link gw_schema_kh_cnp /
// gw_schema_vn_mps for the symbol you use.
#ifndef GW_SCHEMAS_EMBEDDED_H_
#define GW_SCHEMAS_EMBEDDED_H_

#include <string_view>

namespace gw::embedded {

extern const std::string_view kKhCnpSchemaJson;  // KH-CNP.schema.json
extern const std::string_view kVnMpsXsd;         // VN-MPS.xsd

}  // namespace gw::embedded

#endif  // GW_SCHEMAS_EMBEDDED_H_
