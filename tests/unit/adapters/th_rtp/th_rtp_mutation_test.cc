// tests/unit/adapters/th_rtp/th_rtp_mutation_test.cc
//
// Frames come from another agency's network: whatever bytes arrive, the
// codec answers with a status and never crashes, and no altered frame is
// ever accepted (every body byte before the trailer's signature is signed,
// the signature covers the rest, and LEN must match). Thousands of
// deterministic mutations of the examples: flipped bits, truncations,
// insertions, overwritten runs, with and without a corrected LEN.
#include <cstdint>
#include <random>
#include <string>

#include "adapters/th_rtp/th_rtp_codec.h"
#include "gtest/gtest.h"
#include "tests/unit/adapters/th_rtp/th_rtp_examples.h"

namespace gw::th_rtp {
namespace {

using testing::Link;
using testing::ReadExample;

constexpr int kMutations = 3000;

// `frame` changed in one random way; LEN is corrected half of the time so
// that mutations reach past the length check.
std::string Mutate(const std::string& frame, std::mt19937& random) {
  std::string out = frame;
  auto pick = [&](size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(random);
  };
  switch (pick(5)) {
    case 0:  // flip one bit
      out[pick(out.size())] ^= static_cast<char>(1u << pick(8));
      break;
    case 1:  // truncate
      out.resize(pick(out.size()));
      break;
    case 2:  // insert a byte
      out.insert(out.begin() + static_cast<long>(pick(out.size() + 1)),
                 static_cast<char>(pick(256)));
      break;
    case 3: {  // overwrite a run with one byte value
      const size_t at = pick(out.size());
      const size_t n = std::min<size_t>(1 + pick(64), out.size() - at);
      out.replace(at, n, n, static_cast<char>(pick(256)));
      break;
    }
    default:  // drop a run
      out.erase(pick(out.size()), 1 + pick(200));
      break;
  }
  if (out.size() >= 4 && pick(2) == 0) {
    const uint32_t len = static_cast<uint32_t>(out.size() - 4);
    out[0] = static_cast<char>(len >> 24);
    out[1] = static_cast<char>(len >> 16);
    out[2] = static_cast<char>(len >> 8);
    out[3] = static_cast<char>(len);
  }
  return out;
}

adapters::PartnerMessage Frame(std::string bytes) {
  adapters::PartnerMessage message;
  message.bytes = std::move(bytes);
  return message;
}

TEST(ThRtpMutationTest, NoAlteredInboundFrameIsAccepted) {
  Link link;
  auto gateway = link.Gateway();
  const std::string original = ReadExample("repatriation-request-inbound.bin");
  ASSERT_TRUE(gateway->Decode("TH-RTP", Frame(original)).ok());
  std::mt19937 random(20261128);
  int accepted = 0;
  for (int i = 0; i < kMutations; ++i) {
    const std::string mutated = Mutate(original, random);
    if (mutated == original) continue;
    auto decoded = gateway->Decode("TH-RTP", Frame(mutated));
    if (decoded.ok()) ++accepted;
    // The control-frame classifier sees the same bytes first.
    if (mutated.size() >= 4) {
      (void)gateway->Inspect(std::string_view(mutated).substr(4), "TH-RTP");
    }
  }
  EXPECT_EQ(accepted, 0);
}

TEST(ThRtpMutationTest, NoAlteredAnswerCountsAsDelivered) {
  Link link;
  auto gateway = link.Gateway();
  // The alert the example AK acknowledges, as the gateway sent it.
  const std::string sent_frame = ReadExample("alert-outbound.bin");
  adapters::OutboundMessage message;
  message.message_id = testing::kAlertMessageId;
  message.recipient = "TH-RTP";
  const std::string ack = ReadExample("ack-inbound.bin");
  adapters::PartnerAnswer answer;
  answer.bytes = ack;
  ASSERT_EQ(gateway->ReadAnswer(message, Frame(sent_frame), answer).kind,
            adapters::DeliveryOutcome::Kind::kDelivered);
  std::mt19937 random(1128);
  int delivered = 0;
  for (int i = 0; i < kMutations; ++i) {
    answer.bytes = Mutate(ack, random);
    if (answer.bytes == ack) continue;
    if (gateway->ReadAnswer(message, Frame(sent_frame), answer).kind ==
        adapters::DeliveryOutcome::Kind::kDelivered) {
      ++delivered;
    }
  }
  EXPECT_EQ(delivered, 0);
}

}  // namespace
}  // namespace gw::th_rtp
