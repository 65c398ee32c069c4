// tests/unit/adapters/th_rtp/records_test.cc
//
// The record tables against TH-RTP.md §3: every record length of §3.1 and
// offsets spot-checked from each table, and the writer's padding rules.
#include "adapters/th_rtp/records.h"

#include <string>

#include "gtest/gtest.h"

namespace gw::th_rtp {
namespace {

TEST(RecordsTest, LengthsAreThoseOfTheRecordCatalogue) {
  const std::pair<const char*, size_t> kLengths[] = {
      {"AL", 528}, {"RQ", 387},  {"RD", 377}, {"CS", 261}, {"AK", 221},
      {"NK", 424}, {"HB", 76},   {"SB", 512}, {"DO", 199}, {"NR", 1028},
      {"AT", 245}, {"AD", 4110}, {"TR", 144}};
  for (const auto& [code, length] : kLengths) {
    const RecordSpec* spec = SpecForCode(code);
    ASSERT_NE(spec, nullptr) << code;
    EXPECT_EQ(spec->length, length) << code;
  }
  EXPECT_EQ(SpecForCode("XX"), nullptr);
  EXPECT_EQ(AllRecordSpecs().size(), 13u);
}

TEST(RecordsTest, OffsetsMatchTheIcdTables) {
  struct Row {
    const char* record;
    const char* field;
    size_t offset;
    size_t length;
  };
  const Row kRows[] = {
      {"AL", "CREATED_AT", 60, 14},
      {"AL", "ORIGINATOR", 242, 64},
      {"AL", "LAST_SEEN_PLACE", 400, 120},
      {"AL", "TEXT_SUBST", 525, 1},
      {"RQ", "BIA_DATE", 248, 8},
      {"RQ", "HANDOVER_DATE", 376, 8},
      {"RD", "DECIDED_AT", 232, 14},
      {"RD", "HANDOVER_DATE", 366, 8},
      {"CS", "SHARED_WITH", 178, 80},
      {"AK", "PARTNER_REF", 189, 30},
      {"NK", "REASON_TEXT", 222, 200},
      {"NK", "FIELD_NAME", 198, 24},
      {"HB", "EOL", 74, 2},
      {"SB", "LATN_FULL", 388, 120},
      {"SB", "TRUNCATED", 509, 1},
      {"DO", "MRZ_3", 153, 44},
      {"NR", "TEXT", 26, 1000},
      {"AT", "CHUNK_COUNT", 239, 4},
      {"AD", "DATA", 12, 4096},
      {"TR", "SIG_ALG", 72, 8},
      {"TR", "SIGNATURE", 80, 64},
  };
  for (const Row& row : kRows) {
    const FieldSpec* f = SpecForCode(row.record)->Find(row.field);
    ASSERT_NE(f, nullptr) << row.record << "." << row.field;
    EXPECT_EQ(f->offset, row.offset) << row.record << "." << row.field;
    EXPECT_EQ(f->length, row.length) << row.record << "." << row.field;
  }
}

TEST(RecordsTest, WriterPadsByFieldType) {
  RecordWriter w(RecordType::kSB);
  w.SetNumber("SUBJ_SEQ", 7).Set("ROLE", "VICTIM").SetNumber("AGE_ESTIMATE", 5);
  absl::StatusOr<std::string> record = std::move(w).Finish();
  ASSERT_TRUE(record.ok()) << record.status();
  ASSERT_EQ(record->size(), 512u);
  RecordView view(Spec(RecordType::kSB), *record, 1);
  EXPECT_EQ(view.Raw("REC_TYPE"), "SB");
  EXPECT_EQ(view.Raw("SUBJ_SEQ"), "007");
  EXPECT_EQ(view.Raw("ROLE"), "VICTIM  ");
  EXPECT_EQ(view.Raw("BIRTH_DATE"), "00000000");  // blank D
  EXPECT_EQ(view.Raw("AGE_ESTIMATE"), "005");
  EXPECT_EQ(view.Raw("NATIONALITY"), "   ");  // blank A
  EXPECT_EQ(record->substr(510), "\r\n");

  absl::StatusOr<std::string> tr = RecordWriter(RecordType::kTR).Finish();
  ASSERT_TRUE(tr.ok());
  EXPECT_EQ(tr->size(), 144u);
  EXPECT_EQ(tr->substr(80), std::string(64, '\0'));  // no EOL in TR
}

TEST(RecordsTest, WriterRefusesValuesWiderThanTheField) {
  RecordWriter w(RecordType::kSB);
  w.Set("NATIONALITY", "CHNX");
  absl::StatusOr<std::string> record = std::move(w).Finish();
  EXPECT_EQ(record.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(record.status().message().find("SB.NATIONALITY"),
            absl::string_view::npos);

  RecordWriter n(RecordType::kSB);
  n.SetNumber("SUBJ_SEQ", 1000);
  EXPECT_FALSE(std::move(n).Finish().ok());
}

TEST(RecordsTest, PermittedByteSets) {
  int thai = 0;
  for (int b = 0; b < 256; ++b) {
    thai += IsThaiFieldByte(static_cast<unsigned char>(b)) ? 1 : 0;
  }
  // §5.1: "182 characters in all": 95 ASCII, A1-DA and DF-FB.
  EXPECT_EQ(thai, 182);
  EXPECT_FALSE(IsThaiFieldByte(0x80));
  EXPECT_FALSE(IsThaiFieldByte(0xA0));
  EXPECT_FALSE(IsThaiFieldByte(0xDB));
  EXPECT_FALSE(IsThaiFieldByte(0xDE));
  EXPECT_TRUE(IsThaiFieldByte(0xDF));
  EXPECT_TRUE(IsThaiFieldByte(0xFB));
  EXPECT_FALSE(IsThaiFieldByte(0xFC));
  EXPECT_FALSE(IsThaiFieldByte(0x0A));  // LF only in NR.TEXT
}

}  // namespace
}  // namespace gw::th_rtp
