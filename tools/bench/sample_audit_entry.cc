// tools/bench/sample_audit_entry.cc
#include "tools/bench/sample_audit_entry.h"

#include <cstdint>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gw::bench {
namespace {

// SplitMix64: a fixed, well-mixed function of the index (unlike absl::Hash,
// the same in every build).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 32 pseudo-random bytes as lowercase hex: the shape of payload_sha256.
std::string DigestHex(uint64_t seed) {
  std::string bytes;
  for (uint64_t word = 0; word < 4; ++word) {
    const uint64_t value = Mix(seed * 4 + word);
    for (int shift = 0; shift < 64; shift += 8) {
      bytes.push_back(static_cast<char>((value >> shift) & 0xff));
    }
  }
  return absl::BytesToHexString(bytes);
}

constexpr const char* kAgencies[] = {"CN-MPS", "TH-RTP", "VN-MPS",
                                     "LA-MPS", "KH-CNP", "MM-MPF"};
constexpr const char* kRoles[] = {"liaison", "investigator", "gateway",
                                  "auditor"};
// 2024-05-01T00:00:00Z; one entry every 250 ms from there.
constexpr int64_t kFirstEntrySeconds = 1714521600;

}  // namespace

gw::v1::AuditEntry SampleAuditEntry(uint64_t index) {
  const uint64_t r = Mix(index);
  const uint64_t agency = r % 6;
  const uint64_t case_number = (r >> 8) % 50000;

  gw::v1::AuditEntry entry;
  const int64_t millis = static_cast<int64_t>(index) * 250;
  entry.mutable_time()->set_seconds(kFirstEntrySeconds + millis / 1000);
  entry.mutable_time()->set_nanos(static_cast<int32_t>(millis % 1000) *
                                  1000000);
  entry.set_actor_agency(kAgencies[agency]);
  entry.set_actor_role(kRoles[(r >> 4) % 4]);
  entry.set_actor_user(absl::StrFormat("officer-%04d", (r >> 16) % 2000));
  const std::string case_id = absl::StrFormat(
      "case:%s-2024-%05d", kAgencies[(r >> 24) % 6], case_number);
  // Mostly accepted alerts, then status updates, then refused reads.
  switch ((r >> 32) % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      entry.set_action("AlertService.SendAlert");
      entry.add_object_ids(
          absl::StrCat("alert:", DigestHex(index).substr(0, 32)));
      entry.add_object_ids(case_id);
      break;
    case 6:
    case 7:
    case 8:
      entry.set_action("CaseService.UpdateCaseStatus");
      entry.add_object_ids(case_id);
      break;
    default:
      entry.set_action("AlertService.GetAlert");
      entry.add_object_ids(case_id);
      entry.set_decision("DENY");
      entry.set_outcome("PERMISSION_DENIED");
      entry.set_reason("alert_id: not visible to the caller's agency");
      entry.set_policy_version(DigestHex(~uint64_t{0}));
      return entry;
  }
  entry.set_payload_sha256(DigestHex(index ^ 0x5a5a5a5aULL));
  entry.set_decision("ALLOW");
  entry.set_outcome("OK");
  entry.set_policy_version(DigestHex(~uint64_t{0}));
  return entry;
}

}  // namespace gw::bench
