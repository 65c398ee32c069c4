// tools/partners/th_rtp_mock/tls.cc
#include "tools/partners/http_mock/tls.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "gateway/crypto/openssl_handles.h"

namespace gw::http_mock {
namespace {

// The oldest OpenSSL error, then the queue cleared.
std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

absl::Status FileError(const char* flag, const std::string& path,
                       const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, ": ", why));
}

std::string SubjectEntry(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  ASN1_STRING* data =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return "";
  std::string value(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return value;
}

}  // namespace

absl::Status ConfigureTls(boost::asio::ssl::context& context,
                          const TlsFiles& files) {
  SSL_CTX* ctx = context.native_handle();
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return absl::InternalError("cannot set the minimum TLS version");
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // TLS 1.2 suites of KH-CNP.md §2.1; TLS 1.3 keeps OpenSSL's defaults
  // (all AEAD).
  if (SSL_CTX_set_cipher_list(ctx,
                              "ECDHE-ECDSA-AES128-GCM-SHA256:"
                              "ECDHE-ECDSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:"
                              "ECDHE-RSA-AES128-GCM-SHA256:"
                              "ECDHE-RSA-AES256-GCM-SHA384:"
                              "ECDHE-RSA-CHACHA20-POLY1305") != 1) {
    return absl::InternalError("cannot set the TLS 1.2 cipher suites");
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert.c_str()) != 1) {
    return FileError("--tls-cert", files.cert, OpenSslError());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) !=
      1) {
    return FileError("--tls-key", files.key, OpenSslError());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return FileError("--tls-key", files.key,
                     "does not match the certificate of --tls-cert");
  }
  if (SSL_CTX_load_verify_locations(ctx, files.peer_ca.c_str(), nullptr) != 1) {
    return FileError("--peer-ca", files.peer_ca, OpenSslError());
  }
  if (!files.peer_crl.empty()) {
    crypto::BioPtr bio(BIO_new_file(files.peer_crl.c_str(), "r"));
    if (bio == nullptr) {
      return FileError("--peer-crl", files.peer_crl, OpenSslError());
    }
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int loaded = 0;
    while (X509_CRL* crl =
               PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_crl(store, crl);
      X509_CRL_free(crl);
      ++loaded;
    }
    ERR_clear_error();  // the end of the file reads as an error
    if (loaded == 0) {
      return FileError("--peer-crl", files.peer_crl, "holds no PEM CRL");
    }
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     nullptr);
  return absl::OkStatus();
}

absl::StatusOr<PeerIdentity> PeerIdentityOf(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) {
    return absl::FailedPreconditionError(
        "the peer presented no valid certificate");
  }
  X509_NAME* subject = X509_get_subject_name(cert);
  return PeerIdentity{SubjectEntry(subject, NID_organizationName),
                      SubjectEntry(subject, NID_organizationalUnitName),
                      SubjectEntry(subject, NID_commonName)};
}

absl::Status CheckPeerIdentity(const PeerIdentity& peer,
                               const std::string& agency) {
  if (peer.organization != agency || peer.unit != "gateway") {
    return absl::PermissionDeniedError(absl::StrCat(
        "the peer certificate is O=", peer.organization, ", OU=", peer.unit,
        "; expected O=", agency, ", OU=gateway"));
  }
  return absl::OkStatus();
}

absl::Status SetExpectedServerName(SSL* ssl, const std::string& name) {
  unsigned char address[16];
  const bool is_ip = inet_pton(AF_INET, name.c_str(), address) == 1 ||
                     inet_pton(AF_INET6, name.c_str(), address) == 1;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_ip) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-server-name ", name, ": not a usable address"));
    }
    return absl::OkStatus();
  }
  if (SSL_set_tlsext_host_name(ssl, name.c_str()) != 1 ||
      SSL_set1_host(ssl, name.c_str()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls-server-name ", name, ": not a usable host name"));
  }
  return absl::OkStatus();
}

}  // namespace gw::http_mock
