// gateway/crypto/openssl_handles.h
//
// RAII owners for OpenSSL handles: each is a std::unique_ptr whose deleter
// frees the handle with the matching OpenSSL *_free. Use these for every
// handle the project creates; never free one by hand.
#ifndef GW_CRYPTO_OPENSSL_HANDLES_H_
#define GW_CRYPTO_OPENSSL_HANDLES_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>

namespace gw::crypto {

template <typename T, void (*kFree)(T*)>
struct OpensslDeleter {
  void operator()(T* handle) const { kFree(handle); }
};

inline void FreeBio(BIO* bio) { BIO_free_all(bio); }
inline void FreeX509Stack(STACK_OF(X509) * stack) {
  sk_X509_pop_free(stack, X509_free);
}

using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO, FreeBio>>;
using EvpPkeyPtr =
    std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpMdCtxPtr =
    std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509, X509_free>>;
using X509CrlPtr =
    std::unique_ptr<X509_CRL, OpensslDeleter<X509_CRL, X509_CRL_free>>;
using X509StorePtr =
    std::unique_ptr<X509_STORE, OpensslDeleter<X509_STORE, X509_STORE_free>>;
using X509StoreCtxPtr =
    std::unique_ptr<X509_STORE_CTX,
                    OpensslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using X509StackPtr =
    std::unique_ptr<STACK_OF(X509),
                    OpensslDeleter<STACK_OF(X509), FreeX509Stack>>;

}  // namespace gw::crypto

#endif  // GW_CRYPTO_OPENSSL_HANDLES_H_
