// tests/unit/adapters/la_mps/la_examples.h
//
// Test helpers: the files of shared/partners/examples/LA-MPS/ (read from
// GW_PARTNER_EXAMPLES_DIR, set by tests/CMakeLists.txt) and the two RFC 8032
// test keys as the example signers (TEST 1 = CN-MPS, TEST 2 = LA-MPS).
#ifndef GW_TESTS_UNIT_ADAPTERS_LA_MPS_LA_EXAMPLES_H_
#define GW_TESTS_UNIT_ADAPTERS_LA_MPS_LA_EXAMPLES_H_

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gw::la_mps::testing {

inline constexpr char kAlertId[] = "c000a73d-0a25-5904-bedf-ad6b56692274";
inline constexpr char kRequestId[] = "3a0fe15e-fed5-5450-b663-cde8d7c5afc1";
inline constexpr char kStatusId[] = "03d1e44d-e158-551e-9881-0a18763ec1a6";

// The bytes of examples/LA-MPS/<dir>/<name>; fails the test if missing.
inline std::string Example(const std::string& dir, const std::string& name) {
  const std::string path =
      absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/LA-MPS/", dir, "/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace gw::la_mps::testing

#endif  // GW_TESTS_UNIT_ADAPTERS_LA_MPS_LA_EXAMPLES_H_
