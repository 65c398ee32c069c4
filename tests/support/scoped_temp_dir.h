// tests/support/scoped_temp_dir.h
//
// ScopedTempDir is a fresh directory under the test temp dir, removed with
// everything in it when the object goes away: for tests that make large
// files (databases of 100,000 entries) and should not keep them until the
// process exits.
#ifndef GW_TESTS_SUPPORT_SCOPED_TEMP_DIR_H_
#define GW_TESTS_SUPPORT_SCOPED_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "gtest/gtest.h"

namespace gw::testing {

class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern = ::testing::TempDir() + "gw_test.XXXXXX";
    EXPECT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp failed";
    path_ = pattern;
  }
  ~ScopedTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_SCOPED_TEMP_DIR_H_
