// tests/unit/tools/partners/th_rtp_mock/th_layout_test.cc
//
// The layout tables are the ICD's: every record type has the length of
// TH-RTP.md §3.1, its fields cover it without gap or overlap, and the seven
// header records share the 74-byte prefix of §3.5.
#include "tools/partners/th_rtp_mock/th_layout.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace gw::th_rtp_mock {
namespace {

TEST(ThLayoutTest, RecordLengthsAreThoseOfTheIcd) {
  const std::map<std::string, size_t> lengths = {
      {"AL", 528}, {"RQ", 387},  {"RD", 377}, {"CS", 261}, {"AK", 221},
      {"NK", 424}, {"HB", 76},   {"SB", 512}, {"DO", 199}, {"NR", 1028},
      {"AT", 245}, {"AD", 4110}, {"TR", 144}};
  ASSERT_EQ(AllRecordSpecs().size(), lengths.size());
  for (const auto& [type, length] : lengths) {
    const RecordSpec* spec = FindRecordSpec(type);
    ASSERT_NE(spec, nullptr) << type;
    EXPECT_EQ(spec->length, length) << type;
  }
  EXPECT_EQ(FindRecordSpec("XX"), nullptr);
}

TEST(ThLayoutTest, FieldsCoverEachRecordExactly) {
  for (const RecordSpec* spec : AllRecordSpecs()) {
    size_t next = 0;
    for (const FieldSpec& field : spec->fields) {
      EXPECT_EQ(field.offset, next) << spec->type << "." << field.name;
      next = field.offset + field.length;
    }
    EXPECT_EQ(next, spec->length) << spec->type;
    const FieldSpec& last = spec->fields.back();
    if (std::string(spec->type) == "TR") {
      EXPECT_EQ(std::string(last.name), "SIGNATURE");
      EXPECT_EQ(last.length, kSignatureLength);
    } else {
      EXPECT_EQ(last.type, FieldType::kEol) << spec->type;
      EXPECT_EQ(last.length, 2u) << spec->type;
    }
  }
}

TEST(ThLayoutTest, HeaderRecordsShareTheCommonPrefix) {
  for (const char* type : {"AL", "RQ", "RD", "CS", "AK", "NK", "HB"}) {
    const RecordSpec* spec = FindRecordSpec(type);
    ASSERT_NE(spec, nullptr);
    const FieldSpec* created = FindField(*spec, "CREATED_AT");
    ASSERT_NE(created, nullptr) << type;
    EXPECT_EQ(created->offset, 60u) << type;
    EXPECT_EQ(created->type, FieldType::kTS) << type;
    EXPECT_EQ(FindField(*spec, "MESSAGE_ID")->offset, 4u) << type;
    EXPECT_EQ(FindField(*spec, "MESSAGE_ID")->length, 36u) << type;
    EXPECT_EQ(FindField(*spec, "SENDER")->offset, 40u) << type;
    EXPECT_EQ(FindField(*spec, "RECIPIENT")->offset, 50u) << type;
  }
  // The smallest frame is HB + TR (§2.3).
  EXPECT_EQ(FindRecordSpec("HB")->length + FindRecordSpec("TR")->length,
            kMinBodyLength);
}

}  // namespace
}  // namespace gw::th_rtp_mock
