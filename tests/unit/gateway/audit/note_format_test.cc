// tests/unit/gateway/audit/note_format_test.cc
#include "gateway/audit/note_format.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace gw::audit {
namespace {

TEST(NoteFormatTest, KeyNames) {
  struct Case {
    std::string name;
    bool ok;
  };
  const Case cases[] = {
      {"example.com/log", true},
      {"例え.jp/ログ", true},
      {"a", true},
      {"", false},
      {"a b", false},
      {"a\tb", false},
      {"a+b", false},
      {"a\xC2\xA0"
       "b",
       false},  // U+00A0 no-break space
      {"a\xE3\x80\x80"
       "b",
       false},  // U+3000 ideographic space
      {"a\xE2\x80\xA8"
       "b",
       false},                   // U+2028 line separator
      {"a\xff", false},          // not UTF-8
      {"a\xC0\xAF", false},      // overlong
      {"a\xED\xA0\x80", false},  // surrogate
      {"a\x01", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const absl::Status status = CheckKeyName("key_name", c.name);
    EXPECT_EQ(status.ok(), c.ok) << status;
    if (!c.ok) {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_TRUE(absl::StartsWith(status.message(), "key_name:")) << status;
    }
  }
}

TEST(NoteFormatTest, NoteCharacters) {
  EXPECT_TRUE(CheckNoteCharacters("note", "text\n\nmore ü — \x7f\n").ok());
  EXPECT_TRUE(CheckNoteCharacters("note", "").ok());
  for (const std::string& bad :
       {std::string("a\rb\n"), std::string("a\tb\n"), std::string("a\0b", 3),
        std::string("\xE2\x80\n"), std::string("\xF4\x90\x80\x80\n")}) {
    const absl::Status status = CheckNoteCharacters("note", bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(status.message(), "note:")) << status;
  }
}

}  // namespace
}  // namespace gw::audit
