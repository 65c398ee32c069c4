// adapters/transport/link_tls.cc
//
// See link_tls.h for the contract.
#include "adapters/transport/link_tls.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gateway/crypto/openssl_handles.h"

namespace gw::adapters::link_tls {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using ErrorCode = boost::system::error_code;

absl::StatusOr<HostPort> SplitHostPort(absl::string_view field,
                                       absl::string_view value,
                                       bool allow_port_zero) {
  const size_t colon = value.rfind(':');
  if (colon == absl::string_view::npos || colon == 0 ||
      colon + 1 == value.size()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": want host:port"));
  }
  absl::string_view host = value.substr(0, colon);
  const absl::string_view port = value.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": write an IPv6 address as [address]:port"));
  }
  int number = -1;
  if (host.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port, &number) || number > 65535 ||
      (number == 0 && !allow_port_zero)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": want host:port with a port from ",
                     allow_port_zero ? 0 : 1, " to 65535"));
  }
  return HostPort{std::string(host), std::string(port)};
}

std::string SingleSubjectAttribute(X509* cert, int nid) {
  X509_NAME* name = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0 || X509_NAME_get_index_by_NID(name, nid, index) >= 0) {
    return "";
  }
  ASN1_STRING* value =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, value);
  if (len < 0) {
    ERR_clear_error();
    return "";
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

absl::Status AddTrust(X509_STORE* store, const std::string& ca_pem,
                      const std::string& crl_pem) {
  std::vector<crypto::X509Ptr> cas;
  {
    crypto::BioPtr bio(
        BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())));
    while (X509* cert =
               PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      cas.emplace_back(cert);
    }
    ERR_clear_error();  // the loop ends on "no start line"
  }
  if (cas.empty()) {
    return absl::InvalidArgumentError(
        "peer_ca_pem: no PEM certificate; want the partner agency's CA");
  }
  for (const auto& ca : cas) {
    if (X509_STORE_add_cert(store, ca.get()) != 1) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          "peer_ca_pem: a certificate could not be added to the trust store");
    }
  }
  if (crl_pem.empty()) return absl::OkStatus();

  crypto::BioPtr bio(
      BIO_new_mem_buf(crl_pem.data(), static_cast<int>(crl_pem.size())));
  int crls = 0;
  while (X509_CRL* raw =
             PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
    crypto::X509CrlPtr crl(raw);
    // A CRL of another CA would make every handshake fail later with
    // "unable to get certificate CRL"; say so now.
    const bool issued_by_ca =
        std::any_of(cas.begin(), cas.end(), [&](const crypto::X509Ptr& ca) {
          return X509_NAME_cmp(X509_CRL_get_issuer(crl.get()),
                               X509_get_subject_name(ca.get())) == 0 &&
                 X509_CRL_verify(crl.get(), X509_get0_pubkey(ca.get())) == 1;
        });
    ERR_clear_error();
    if (!issued_by_ca) {
      return absl::InvalidArgumentError(
          "peer_crl_pem: a CRL is not signed by a CA of peer_ca_pem");
    }
    if (X509_STORE_add_crl(store, crl.get()) != 1) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          "peer_crl_pem: a CRL could not be added to the trust store");
    }
    ++crls;
  }
  ERR_clear_error();
  if (crls == 0) {
    return absl::InvalidArgumentError("peer_crl_pem: no PEM X.509 CRL");
  }
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  return absl::OkStatus();
}

absl::Status ConfigureContext(ssl::context& context,
                              const TlsMaterial& material, bool server,
                              const char* tls12_ciphers) {
  SSL_CTX* native = context.native_handle();
  // No session resumption either: a resumed session would skip the chain,
  // CRL and subject checks.
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1) {
    ERR_clear_error();
    return absl::InternalError("TLS: OpenSSL refused the protocol settings");
  }
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_NO_TICKET |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  if (server) SSL_CTX_set_num_tickets(native, 0);

  ErrorCode ec;
  context.use_certificate_chain(asio::buffer(material.cert_pem), ec);
  if (ec) {
    ERR_clear_error();
    return absl::InvalidArgumentError("cert_pem: not a PEM certificate chain");
  }
  context.use_private_key(asio::buffer(material.key_pem), ssl::context::pem,
                          ec);
  if (ec) {
    ERR_clear_error();
    return absl::InvalidArgumentError("key_pem: not a PEM private key");
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("key_pem: does not match cert_pem");
  }
  absl::Status trust = AddTrust(SSL_CTX_get_cert_store(native),
                                material.peer_ca_pem, material.peer_crl_pem);
  if (!trust.ok()) return trust;
  context.set_verify_mode(
      server ? ssl::verify_peer | ssl::verify_fail_if_no_peer_cert
             : ssl::verify_peer,
      ec);
  if (ec) return absl::InternalError("TLS: cannot set the verify mode");
  return absl::OkStatus();
}

void ExpectServerName(SSL* ssl, const std::string& server_name) {
  ErrorCode not_ip;
  asio::ip::make_address(server_name, not_ip);
  if (!not_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), server_name.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, server_name.c_str());
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    SSL_set1_host(ssl, server_name.c_str());
  }
}

bool CheckPeerCertificate(bool preverified, X509_STORE_CTX* store,
                          const std::string& peer_agency,
                          std::string* failure) {
  const int depth = X509_STORE_CTX_get_error_depth(store);
  if (!preverified) {
    if (failure->empty()) {
      *failure = absl::StrCat(
          "peer certificate refused at depth ", depth, ": ",
          X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)));
    }
    return false;
  }
  if (depth != 0) return true;
  X509* cert = X509_STORE_CTX_get_current_cert(store);
  const std::string agency = SingleSubjectAttribute(cert, NID_organizationName);
  const std::string role =
      SingleSubjectAttribute(cert, NID_organizationalUnitName);
  if (agency != peer_agency || role != kGatewayRole) {
    *failure = absl::StrCat("peer certificate refused: subject O=", agency,
                            " OU=", role, ", want O=", peer_agency,
                            " OU=", kGatewayRole);
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return false;
  }
  return true;
}

std::string HandshakeRefusal(size_t in_progress, size_t from_address) {
  if (in_progress < kMaxInboundHandshakes &&
      from_address < kMaxHandshakesPerAddress) {
    return "";
  }
  return absl::StrCat(in_progress, " TLS handshakes in progress (",
                      from_address, " from this address)");
}

std::string EndpointText(const asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return address.is_v6()
             ? absl::StrCat("[", address.to_string(), "]:", endpoint.port())
             : absl::StrCat(address.to_string(), ":", endpoint.port());
}

std::string LoggableId(std::string_view id) {
  if (id.empty()) return "(no message id)";
  const bool uuid_like =
      id.size() <= 36 && std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_isxdigit(c) || c == '-';
      });
  return uuid_like ? std::string(id) : "(unprintable message id)";
}

}  // namespace gw::adapters::link_tls
