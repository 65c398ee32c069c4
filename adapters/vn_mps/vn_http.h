// adapters/vn_mps/vn_http.h
//
// HTTP details the VN-MPS codec needs beyond the signature profile: the
// evidence layout (the exact form of the .http files under
// shared/partners/examples/VN-MPS/), reason phrases and Retry-After.
//
// Evidence layout: the start line, then the headers the ICD's messages
// carry, in the examples' order and spelling, each as "Name: value" with
// CR LF, then an empty line and the body byte for byte:
//   request:  "POST <:path> HTTP/1.1", Host, Content-Type, Content-Length,
//             Content-Digest, Gw-Message-Id, Signature-Input, Signature;
//   response: "HTTP/1.1 <status> <reason phrase>", Content-Type,
//             Content-Length, Content-Digest, Gw-Message-Id,
//             Signature-Input, Signature, Retry-After.
// Headers are taken from the metadata as received (every occurrence, in
// order; absent ones left out), except Content-Length, which is always the
// body's length. The reason phrase is RFC 9110's for the code (the
// transport reports only the code). So a message of the examples comes out
// as its .http file, and the partner's signature can be checked again from
// the evidence alone.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_VN_MPS_VN_HTTP_H_
#define GW_ADAPTERS_VN_MPS_VN_HTTP_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"

namespace gw::vn_mps {

// RFC 9110 reason phrase ("Accepted"); "" for a code it does not name.
absl::string_view ReasonPhrase(int status);

std::string RequestEvidence(const adapters::PartnerMessage& request);
std::string ResponseEvidence(int status, const adapters::Metadata& headers,
                             absl::string_view body);

// The value of pseudo-header or header `name` when it occurs exactly once.
std::optional<std::string> OneHeader(const adapters::Metadata& headers,
                                     absl::string_view name);

// The time a Retry-After header (delta-seconds or IMF-fixdate) names,
// relative to `now`; nullopt when absent or unreadable.
std::optional<absl::Time> RetryAfter(const adapters::Metadata& headers,
                                     absl::Time now);

}  // namespace gw::vn_mps

#endif  // GW_ADAPTERS_VN_MPS_VN_HTTP_H_
