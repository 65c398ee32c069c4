// adapters/kh_cnp/kh_http.h
//
// HTTP details of the KH-CNP codec that are not the signature profile
// (adapters/signed_http/) and not the body.
//
//  * Evidence: a request or response written in the layout of the ICD's
//    .http examples (KH-CNP.md §10), so that an auditor can verify the
//    partner's signature later with nothing but the partner's public key:
//      request:   "POST <path> HTTP/1.1" CRLF
//                 "Host: <authority of the signed @target-uri>" CRLF
//      response:  "HTTP/1.1 <status> <reason phrase>" CRLF
//    then, each only when present (the value as received, the name as in
//    the examples): Content-Type, Content-Length (of the body), Content-
//    Digest, Gw-Message-Id, Signature-Input, Signature, each ending in
//    CRLF; an empty line (CRLF); the body bytes as received. A request's
//    @target-uri is "https://" + Host + path. For the examples, this gives
//    the .http files byte for byte. Headers that occur more than once are
//    written once each, in the order received.
//  * ParseRetryAfter: Retry-After as delta-seconds or an HTTP-date (RFC
//    9110 §10.2.3, IMF-fixdate; the obsolete RFC 850 and asctime forms
//    too); nullopt for anything else.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_KH_CNP_KH_HTTP_H_
#define GW_ADAPTERS_KH_CNP_KH_HTTP_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/adapter.h"

namespace gw::kh_cnp {

// The value of `name` (lowercase) when it occurs exactly once in `metadata`.
std::optional<std::string> OneHeader(const adapters::Metadata& metadata,
                                     absl::string_view name);
// Every entry whose name does not start with ':'.
adapters::Metadata HeadersOnly(const adapters::Metadata& metadata);

std::string RequestEvidence(const adapters::PartnerMessage& request);
std::string ResponseEvidence(int status, const adapters::Metadata& headers,
                             absl::string_view body);

absl::string_view ReasonPhrase(int status);

std::optional<absl::Time> ParseRetryAfter(absl::string_view value,
                                          absl::Time now);

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_HTTP_H_
