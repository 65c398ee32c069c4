#!/bin/sh
# Regenerates the pinned checkpoint note with the openssl CLI only (no gateway
# code), so checkpoint_signer_test compares our output against an independent
# implementation. signing.key/.crt are a throwaway Ed25519 test key.
#   cd tests/unit/gateway/audit/testdata/note && ./make-golden.sh
set -eu
ORIGIN="example.com/mekong-audit-test"
# Root of the 8-leaf certificate-transparency test tree.
ROOT=$(printf '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328' | xxd -r -p | base64)
printf '%s\n8\n%s\n' "$ORIGIN" "$ROOT" > body.tmp
openssl pkey -in signing.key -pubout -outform DER | tail -c 32 > pub.tmp
KEYID=$( (printf '%s\n\001' "$ORIGIN"; cat pub.tmp) | openssl dgst -sha256 -binary | head -c 4 | xxd -p)
openssl pkeyutl -sign -rawin -inkey signing.key -in body.tmp -out sig.tmp
SIG=$( (printf "$KEYID" | xxd -r -p; cat sig.tmp) | base64 -w0)
(cat body.tmp; printf '\n\342\200\224 %s %s\n' "$ORIGIN" "$SIG") > checkpoint-size8.note
VK=$( (printf '\001'; cat pub.tmp) | base64 -w0)
echo "$ORIGIN+$KEYID+$VK" > vkey.txt
rm -f body.tmp pub.tmp sig.tmp
