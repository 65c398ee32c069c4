// The schema files compiled into the programs are the partners' own, byte
// for byte: the copies under schemas/partners/ and what the build embedded
// from them still match the interface documents (shared/partners/), so a
// change of ICD version cannot go unnoticed.
#include "schemas/embedded.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace gw {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string Icd(const std::string& name) {
  return ReadFile(std::string(GW_PARTNER_EXAMPLES_DIR) + "/../" + name);
}

TEST(EmbeddedSchemasTest, KhCnpSchemaIsTheIcdFile) {
  const std::string icd = Icd("KH-CNP.schema.json");
  ASSERT_FALSE(icd.empty()) << "shared/partners/KH-CNP.schema.json missing";
  EXPECT_EQ(std::string(embedded::kKhCnpSchemaJson), icd);
  EXPECT_EQ(ReadFile(std::string(GW_SOURCE_DIR) +
                     "/schemas/partners/KH-CNP.schema.json"),
            icd);
}

TEST(EmbeddedSchemasTest, VnMpsXsdIsTheIcdFile) {
  const std::string icd = Icd("VN-MPS.xsd");
  ASSERT_FALSE(icd.empty()) << "shared/partners/VN-MPS.xsd missing";
  EXPECT_EQ(std::string(embedded::kVnMpsXsd), icd);
  EXPECT_EQ(
      ReadFile(std::string(GW_SOURCE_DIR) + "/schemas/partners/VN-MPS.xsd"),
      icd);
}

}  // namespace
}  // namespace gw
