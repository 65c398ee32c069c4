// tests/unit/adapters/la_mps/la_mps_mutation_test.cc
//
// Files come from another agency's system over an intermittent transfer:
// whatever bytes arrive, the codec answers with a status and never crashes,
// and no altered message or receipt is ever accepted. Thousands of
// deterministic mutations of the examples; the .done marker is recomputed
// for each mutated .csv (as anyone who can write the directory could do),
// so the mutations reach the CSV parser and the field rules before the
// signature refuses them.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/la_mps/la_files.h"
#include "adapters/la_mps/la_mps_codec.h"
#include "adapters/transport/file_drop_protocol.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"
#include "tests/unit/adapters/la_mps/la_examples.h"

namespace gw::la_mps {
namespace {

using testing::Example;
using testing::kAlertId;
using testing::kRequestId;

constexpr int kMutations = 3000;

std::string Mutate(const std::string& bytes, std::mt19937& random) {
  std::string out = bytes;
  auto pick = [&](size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(random);
  };
  // Bytes that matter to a CSV parser, besides random ones.
  static const char kSpecial[] = {',', '"', '\r', '\n', '\0', '\xff', '.'};
  const char byte = pick(2) == 0 ? kSpecial[pick(sizeof(kSpecial))]
                                 : static_cast<char>(pick(256));
  switch (pick(4)) {
    case 0:
      if (!out.empty()) out[pick(out.size())] = byte;
      break;
    case 1:
      out.resize(pick(out.size()));
      break;
    case 2:
      out.insert(out.begin() + static_cast<long>(pick(out.size() + 1)), byte);
      break;
    default:
      out.erase(pick(out.size()), 1 + pick(80));
      break;
  }
  return out;
}

class LaMpsMutationTest : public ::testing::Test {
 protected:
  std::unique_ptr<crypto::Signer> gateway_signer_ =
      gw::testing::Rfc8032Signer(1);
  std::unique_ptr<crypto::Verifier> partner_key_ =
      gw::testing::Rfc8032Verifier(2);
  LaMpsCodec codec_{"CN-MPS", "LA-MPS", gateway_signer_.get(),
                    std::vector<const crypto::Verifier*>{partner_key_.get()},
                    [] { return absl::FromUnixSeconds(1790000000); }};
};

TEST_F(LaMpsMutationTest, NoAlteredInboundMessageIsAccepted) {
  const std::string csv = Example("inbox", absl::StrCat(kRequestId, ".csv"));
  const std::string sig = Example("inbox", absl::StrCat(kRequestId, ".sig"));
  auto message = [&](const std::string& csv_bytes) {
    adapters::PartnerMessage m;
    m.message_id = kRequestId;
    m.content_type = "text/csv";
    m.bytes = csv_bytes;
    m.metadata = {
        {adapters::kSigFile, sig},
        {adapters::kDoneFile, MakeDoneFile(kRequestId, csv_bytes, sig)}};
    return m;
  };
  // The original is authentic and accepted: the mutations are refused for
  // what they changed.
  const auto original = codec_.Decode("LA-MPS", message(csv));
  ASSERT_TRUE(original.ok()) << original.status();
  std::mt19937 random(20261128);
  int accepted = 0;
  for (int i = 0; i < kMutations; ++i) {
    const std::string mutated = Mutate(csv, random);
    if (mutated == csv) continue;
    if (codec_.Decode("LA-MPS", message(mutated)).ok()) ++accepted;
  }
  EXPECT_EQ(accepted, 0);
}

TEST_F(LaMpsMutationTest, NoAlteredReceiptCountsAsDelivered) {
  const std::string csv = Example("outbox", absl::StrCat(kAlertId, ".csv"));
  const std::string ack = Example("inbox", absl::StrCat(kAlertId, ".ack"));
  adapters::OutboundMessage message;
  message.message_id = kAlertId;
  message.recipient = "LA-MPS";
  adapters::PartnerMessage sent;
  sent.message_id = kAlertId;
  sent.bytes = csv;
  adapters::PartnerAnswer answer;
  answer.bytes = ack;
  ASSERT_EQ(codec_.ReadAnswer(message, sent, answer).kind,
            adapters::DeliveryOutcome::Kind::kDelivered);
  std::mt19937 random(1128);
  int delivered = 0;
  int final_acks = 0;
  for (int i = 0; i < kMutations; ++i) {
    answer.bytes = Mutate(ack, random);
    if (answer.bytes == ack) continue;
    if (codec_.ReadAnswer(message, sent, answer).kind ==
        adapters::DeliveryOutcome::Kind::kDelivered) {
      ++delivered;
    }
    if (codec_.InspectAck(kAlertId, answer.bytes) ==
        adapters::FileDropProtocol::AckKind::kFinal) {
      ++final_acks;
    }
  }
  EXPECT_EQ(delivered, 0);
  EXPECT_EQ(final_acks, 0);
}

}  // namespace
}  // namespace gw::la_mps
