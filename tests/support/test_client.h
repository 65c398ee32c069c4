// tests/support/test_client.h
//
// A client the way users meet the gateway: a gRPC channel over mutual TLS
// with one of the dev PKI's certificates, and envelopes signed with that
// user's key.
#ifndef GW_TESTS_SUPPORT_TEST_CLIENT_H_
#define GW_TESTS_SUPPORT_TEST_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "gw/v1/alert.pb.h"
#include "gw/v1/envelope.pb.h"

namespace gw::testing {

// A channel to `address` presenting `cert_base`.crt/.key, trusting the CA of
// `server_agency` in the dev PKI (or in `pki_dir` if given).
std::shared_ptr<grpc::Channel> ChannelWithCert(
    const std::string& address, const std::string& cert_base,
    const std::string& server_agency = "CN-MPS",
    const std::string& pki_dir = "");
// The same with the dev PKI's user AGENCY/ROLE/USER.
std::shared_ptr<grpc::Channel> ChannelAs(const std::string& address,
                                         const std::string& agency,
                                         const std::string& role,
                                         const std::string& user);

// An envelope with `payload` serialized and signed with `cert_base`.key.
gw::v1::Envelope SignedEnvelope(const std::string& payload_type,
                                const google::protobuf::Message& payload,
                                const std::string& cert_base);

// An envelope carrying exactly `payload` bytes, signed with `cert_base`.key.
gw::v1::Envelope SignedEnvelopeBytes(const std::string& payload_type,
                                     const std::string& payload,
                                     const std::string& cert_base);

// "DIR/AGENCY/ROLE/USER" (add .crt / .key).
std::string UserCertBase(const std::string& agency, const std::string& role,
                         const std::string& user);

// A client context with a 30 s deadline.
std::unique_ptr<grpc::ClientContext> CallContext();

// A fresh copy of the policy set in `source_dir` whose partners.textproto
// is replaced by `partners_textproto` (none if empty).
std::string PolicyDirWithPartners(const std::string& source_dir,
                                  const std::string& partners_textproto);

// gatewayd arguments for a gateway on `data_dir` with the test dev PKI and
// the project's policies/ without partner links.
std::vector<std::string> GatewayArgs(const std::string& data_dir);

// The bytes of `path` (a test failure if unreadable).
std::string ReadFileForTest(const std::string& path);

// A valid fictional MISSING_PERSON alert from CN-MPS investigator1.
gw::v1::CaseAlert SampleAlert(const std::string& alert_id,
                              const std::string& case_ref,
                              const std::vector<std::string>& recipients);

}  // namespace gw::testing

#endif  // GW_TESTS_SUPPORT_TEST_CLIENT_H_
