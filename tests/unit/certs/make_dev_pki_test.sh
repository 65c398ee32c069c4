#!/usr/bin/env bash
# Tests certs/make-dev-pki: generates PKIs into a temp dir (Ed25519 default, --algo p256, and a
# fixture policy) and checks what gatewayd, gwctl and auditors depend on (CONTRACT.md §2, §6):
# layout, subjects O/OU/CN, chains per agency (and NOT across agencies), expiry, CRL revocation,
# gateway SANs/EKUs, signing.crt always Ed25519, key modes and format, idempotence, errors.
#
# Usage: make_dev_pki_test.sh PROJECT_SOURCE_DIR
# Exits non-zero if any check fails; ends with "N passed, M failed".
set -uo pipefail

src=${1:?usage: make_dev_pki_test.sh PROJECT_SOURCE_DIR}
script="$src/certs/make-dev-pki"
policy_file="$src/policies/agencies.textproto"

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  printf 'FAIL: %s\n' "$*" >&2
}
# check DESCRIPTION CMD... : passes if CMD exits 0.
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then ok; else bad "$what"; fi
}
# check_eq DESCRIPTION ACTUAL EXPECTED
check_eq() {
  if [[ "$2" == "$3" ]]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
# check_has DESCRIPTION HAYSTACK NEEDLE
check_has() {
  if [[ "$2" == *"$3"* ]]; then ok; else bad "$1: '$3' not found in: ${2:0:400}"; fi
}
check_lacks() {
  if [[ "$2" != *"$3"* ]]; then ok; else bad "$1: unexpected '$3' in: ${2:0:400}"; fi
}

command -v openssl >/dev/null || { echo "FAIL: openssl is not installed" >&2; exit 1; }
[[ -x $script ]] || { echo "FAIL: $script is missing or not executable" >&2; exit 1; }

serials=() # filled by check_leaf / check_pki
tmp=$(mktemp -d "${TMPDIR:-/tmp}/make_dev_pki_test.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

# Agencies and roles of the repo policy, read independently of the script (one-line roles lists).
mapfile -t codes < <(sed -n 's/^[[:space:]]*code:[[:space:]]*"\([^"]*\)".*/\1/p' "$policy_file")
declare -A roles_of=()
mapfile -t role_lines < <(sed -n 's/^[[:space:]]*roles:[[:space:]]*\[\(.*\)\].*/\1/p' "$policy_file" | tr -d '",')
check_eq "policy fixture: agencies vs roles lines" "${#codes[@]}" "${#role_lines[@]}"
((${#codes[@]} >= 2)) || { echo "FAIL: need at least two agencies in $policy_file" >&2; exit 1; }
for i in "${!codes[@]}"; do roles_of[${codes[$i]}]=${role_lines[$i]}; done

subject_of() { openssl x509 -in "$1" -noout -subject 2>&1 | sed 's/^subject=//'; }
verify_out() { # CAFILE CERT [extra args] -> prints openssl verify output, returns its status
  local ca=$1 crt=$2
  shift 2
  openssl verify -CAfile "$ca" "$@" "$crt" 2>&1
}
mode_of() { stat -c %a "$1"; }
# has_line TEXT LINE : TEXT contains LINE as a whole line (no fork).
has_line() { [[ $'\n'"$1"$'\n' == *$'\n'"$2"$'\n'* ]]; }

# check_verifies DESCRIPTION CAFILE "ARGS" CERT... : one openssl call; every CERT must print OK.
check_verifies() {
  local what=$1 ca=$2 args=$3 c out
  shift 3
  # shellcheck disable=SC2086  # ARGS is a list of simple words
  out=$(openssl verify -CAfile "$ca" $args "$@" 2>&1)
  for c in "$@"; do
    if has_line "$out" "$c: OK"; then ok; else bad "$what: ${c##*/pki-*/} does not verify: $out"; fi
  done
}
# check_rejects DESCRIPTION CAFILE "ARGS" ERROR CERT... : every CERT must fail with ERROR.
check_rejects() {
  local what=$1 ca=$2 args=$3 err=$4 c out
  shift 4
  # shellcheck disable=SC2086
  out=$(openssl verify -CAfile "$ca" $args "$@" 2>&1)
  for c in "$@"; do
    if has_line "$out" "$c: OK" || ! has_line "$out" "error $c: verification failed"; then
      bad "$what: $c was not rejected: $out"
    fi
  done
  # Every certificate fails, each with the expected error.
  if [[ $(grep -c "$err" <<<"$out") -eq $# ]]; then ok; else bad "$what: want $# x '$err', got: $out"; fi
}

# check_leaf PKI AGENCY BASE SUBJECT KIND ALGO : static checks of a non-CA certificate + key
# (chain checks are batched per agency in check_pki).
check_leaf() {
  local pki=$1 ag=$2 base=$3 subj=$4 kind=$5 algo=$6
  local crt="$base.crt" key="$base.key"
  local name=${crt#"$pki"/}
  if [[ ! -f $crt || ! -f $key ]]; then
    bad "$name: certificate or key missing"
    return
  fi
  local text pc pk
  local first_line
  text=$(openssl x509 -in "$crt" -noout -serial -text -pubkey 2>&1)
  first_line=${text%%$'\n'*}
  serials+=("${first_line#serial=}")
  pc="-----BEGIN PUBLIC KEY-----${text#*-----BEGIN PUBLIC KEY-----}"
  pk=$(openssl pkey -in "$key" -pubout 2>/dev/null)
  check_has "$name subject" "$text" $'\n'"        Subject: $subj"$'\n'
  check_has "$name is X.509 v3" "$text" "Version: 3 (0x2)"
  check_has "$name has SubjectKeyIdentifier" "$text" "X509v3 Subject Key Identifier"
  check_has "$name has AuthorityKeyIdentifier" "$text" "X509v3 Authority Key Identifier"
  check_has "$name is not a CA" "$text" $'X509v3 Basic Constraints: critical\n                CA:FALSE\n'
  check_has "$name issuer" "$text" "Issuer: O = $ag, CN = $ag Dev CA"$'\n'
  check_has "$name keyUsage is only digitalSignature" "$text" \
    $'X509v3 Key Usage: critical\n                Digital Signature\n'
  if [[ $algo == ed25519 ]]; then
    check_has "$name key algorithm" "$text" "Public Key Algorithm: ED25519"
  else
    check_has "$name key algorithm" "$text" "NIST CURVE: P-256"
  fi
  IFS= read -r first_line <"$key"
  check_eq "$name key is unencrypted PEM PKCS#8" "$first_line" "-----BEGIN PRIVATE KEY-----"
  if [[ -n $pc && $pc == "$pk" ]]; then ok; else bad "$name: key does not match certificate"; fi

  case $kind in
    gateway)
      check_has "$name SAN" "$text" "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"$'\n'
      check_has "$name EKU" "$text" \
        $'Extended Key Usage: \n                TLS Web Server Authentication, TLS Web Client Authentication\n'
      ;;
    signing)
      check_lacks "$name has no EKU" "$text" "Extended Key Usage"
      ;;
    user)
      check_has "$name EKU" "$text" $'Extended Key Usage: \n                TLS Web Client Authentication\n'
      ;;
  esac
}

# check_pki PKI ALGO : full check of a PKI generated from the repo policy.
check_pki() {
  local pki=$1 algo=$2
  serials=()
  check "$pki/.complete exists" test -f "$pki/.complete"
  local n=${#codes[@]} i
  for ((i = 0; i < n; i++)); do
    local ag=${codes[$i]} other=${codes[$(((i + 1) % n))]}
    local dir="$pki/$ag" ca="$pki/$ag/ca.crt" crl="$pki/$ag/crl.pem"
    # CA and CRL.
    if [[ ! -f $ca || ! -f $dir/ca.key || ! -f $crl ]]; then
      bad "$ag: ca.crt, ca.key or crl.pem missing"
      continue
    fi
    local catext
    catext=$(openssl x509 -in "$ca" -noout -serial -text 2>&1)
    local first_line=${catext%%$'\n'*}
    serials+=("${first_line#serial=}")
    check_has "$ag CA subject" "$catext" "Subject: O = $ag, CN = $ag Dev CA"$'\n'
    check_has "$ag CA basicConstraints" "$catext" $'X509v3 Basic Constraints: critical\n                CA:TRUE'
    check_has "$ag CA keyUsage" "$catext" $'X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign\n'
    check_has "$ag CA has SubjectKeyIdentifier" "$catext" "X509v3 Subject Key Identifier"
    check_has "$ag CA is X.509 v3" "$catext" "Version: 3 (0x2)"
    check_eq "$ag CA key mode" "$(mode_of "$dir/ca.key")" "600"
    if [[ $algo == ed25519 ]]; then
      check_has "$ag CA key algorithm" "$catext" "Public Key Algorithm: ED25519"
    else
      check_has "$ag CA key algorithm" "$catext" "NIST CURVE: P-256"
    fi
    check_verifies "$ag CA is self-signed and valid" "$ca" "-x509_strict" "$ca"
    local crlout next
    crlout=$(openssl crl -in "$crl" -CAfile "$ca" -noout -nextupdate 2>&1)
    check_has "$ag crl.pem is signed by its CA" "$crlout" "verify OK"
    next=$(sed -n 's/^nextUpdate=//p' <<<"$crlout")
    if [[ -n $next ]] && (($(date -u -d "$next" +%s) > $(date -u -d '+3000 days' +%s))); then ok; else
      bad "$ag crl.pem nextUpdate '$next' is not well in the future"
    fi

    check_leaf "$pki" "$ag" "$dir/gateway" "O = $ag, OU = gateway, CN = gateway" gateway "$algo"
    check_leaf "$pki" "$ag" "$dir/signing" "O = $ag, OU = gateway, CN = signing" signing ed25519

    local r first="" users=()
    for r in ${roles_of[$ag]}; do
      [[ -n $first ]] || first=$r
      check_leaf "$pki" "$ag" "$dir/$r/${r}1" "O = $ag, OU = $r, CN = ${r}1" user "$algo"
      users+=("$dir/$r/${r}1.crt")
    done
    check_leaf "$pki" "$ag" "$dir/$first/expired" "O = $ag, OU = $first, CN = expired" user "$algo"
    check_leaf "$pki" "$ag" "$dir/$first/revoked" "O = $ag, OU = $first, CN = revoked" user "$algo"

    # Chains to its own agency CA, for the purpose each certificate serves.
    check_verifies "$ag users are TLS clients of their CA (CRL checked)" "$ca" \
      "-purpose sslclient -crl_check -CRLfile $crl" "${users[@]}"
    check_verifies "$ag gateway is a TLS server of its CA (CRL checked)" "$ca" \
      "-purpose sslserver -crl_check -CRLfile $crl" "$dir/gateway.crt"
    check_verifies "$ag gateway is a TLS client of its CA" "$ca" "-purpose sslclient" "$dir/gateway.crt"
    check_verifies "$ag gateway matches localhost and 127.0.0.1" "$ca" \
      "-verify_hostname localhost -verify_ip 127.0.0.1" "$dir/gateway.crt"
    check_verifies "$ag gateway matches ::1" "$ca" "-verify_ip ::1" "$dir/gateway.crt"
    check_verifies "$ag signing.crt chains to its CA (CRL checked)" "$ca" \
      "-crl_check -CRLfile $crl" "$dir/signing.crt"

    # ... and never to another agency's CA.
    check_rejects "$ag certificates must not verify against the $other CA" "$pki/$other/ca.crt" "" \
      "unable to get local issuer certificate" "${users[@]}" "$dir/gateway.crt" "$dir/signing.crt"

    # Expired and revoked users of the first role.
    check_rejects "$ag/$first/expired.crt" "$ca" "" "certificate has expired" "$dir/$first/expired.crt"
    check_eq "$ag/$first/expired.crt notAfter is in the past" \
      "$(openssl x509 -in "$dir/$first/expired.crt" -noout -checkend 0 >/dev/null 2>&1; echo $?)" "1"
    check_verifies "$ag/$first/revoked.crt chains (without CRL check)" "$ca" "" "$dir/$first/revoked.crt"
    check_rejects "$ag/$first/revoked.crt with crl_check" "$ca" "-crl_check -CRLfile $crl" \
      "certificate revoked" "$dir/$first/revoked.crt"
  done

  # Every key 0600, and serials unique across the whole PKI.
  check_eq "all key files are mode 600" "$(find "$pki" -name '*.key' ! -perm 0600)" ""
  check_eq "every certificate was checked" "${#serials[@]}" "$(find "$pki" -name '*.crt' | wc -l)"
  check_eq "serial numbers are unique" "$(printf '%s\n' "${serials[@]}" | sort | uniq -d)" ""
  check_eq "serials look random (>= 64 bits)" "$(printf '%s\n' "${serials[@]}" | awk 'length($0) < 16')" ""
  check_eq "no work files left in the PKI" \
    "$(find "$pki" -name '*.csr' -o -name 'index.txt*' -o -name '.work' -o -name '*.log')" ""
}

# ---- --help ----------------------------------------------------------------------------------
help=$("$script" --help 2>&1)
check_eq "--help exits 0" "$?" "0"
check_has "--help shows usage" "$help" "Usage: make-dev-pki"
check_has "--help shows an example" "$help" "--algo p256"

# ---- default (Ed25519) and --algo p256, generated side by side ------------------------------
ed="$tmp/out/pki-ed"
p256="$tmp/out/pki-p256"
start=$(date +%s)
"$script" "$ed" >"$tmp/ed.log" 2>&1 &
ed_pid=$!
"$script" --algo p256 "$p256" >"$tmp/p256.log" 2>&1 &
p256_pid=$!
wait "$ed_pid"
check_eq "default run exits 0 ($(cat "$tmp/ed.log"))" "$?" "0"
wait "$p256_pid"
check_eq "--algo p256 run exits 0 ($(cat "$tmp/p256.log"))" "$?" "0"
echo "generated two PKIs in $(($(date +%s) - start)) s"
genout=$(cat "$tmp/ed.log")
for ag in "${codes[@]}"; do check_has "progress line for $ag" "$genout" "$ag:"; done
check_eq "no temp dirs left next to OUT_DIR" "$(find "$tmp/out" -mindepth 1 -maxdepth 1 -name '.*')" ""
check_pki "$ed" ed25519
check_pki "$p256" p256

# ---- idempotence -----------------------------------------------------------------------------
before=$(cd "$ed" && find . -type f -exec sha256sum {} + | sort)
again=$("$script" "$ed" 2>&1)
check_eq "second run exits 0" "$?" "0"
check_has "second run says nothing to do" "$again" "nothing to do"
after=$(cd "$ed" && find . -type f -exec sha256sum {} + | sort)
check_eq "second run leaves the PKI untouched" "$after" "$before"

out=$("$script" --algo p256 "$ed" 2>&1)
check_eq "a different --algo on a complete PKI without --force fails" "$?" "1"
check_has "mismatch error names --force" "$out" "--force"
check_eq "mismatch leaves the PKI untouched" "$(cd "$ed" && find . -type f -exec sha256sum {} + | sort)" "$before"

old_serial=$(openssl x509 -in "$ed/${codes[0]}/ca.crt" -noout -serial)
out=$("$script" --force "$ed" 2>&1)
check_eq "--force exits 0 ($out)" "$?" "0"
check "--force regenerates the CA" test "$(openssl x509 -in "$ed/${codes[0]}/ca.crt" -noout -serial)" != "$old_serial"
check "--force leaves a complete PKI" test -f "$ed/.complete"
check_eq "--force leaves no temp dirs" "$(find "$tmp/out" -mindepth 1 -maxdepth 1 -name '.*')" ""
out=$(verify_out "$p256/${codes[0]}/ca.crt" "$ed/${codes[0]}/gateway.crt")
check_has "separate PKIs do not trust each other" "$out" "verification failed"

# ---- agencies come from the policy file ------------------------------------------------------
pol="$tmp/pol"
mkdir -p "$pol"
cat >"$pol/agencies.textproto" <<'EOF'
# A fixture policy: comments, '#' inside strings, multi-line and repeated role lists.
label: "fixture # not a comment"
agencies {
  code: "XX-ONE"   # trailing comment with roles: ["bogus"]
  name: "One # Police"
  side: HOME
  roles: [
    "alpha",  # first role gets expired/revoked
    "beta"
  ]
  trust { ca_file: "XX-ONE/ca.crt" crl_file: "XX-ONE/crl.pem" }
}
# agencies { code: "XX-COMMENTED" roles: ["nope"] }
agencies {
  code: 'YY-TWO'
  roles: "gamma"
  roles: "alpha"
  trust { ca_file: "YY-TWO/ca.crt" }
}
EOF
fx="$tmp/fx"
out=$("$script" --policies "$pol" "$fx" 2>&1)
check_eq "fixture policy run exits 0 ($out)" "$?" "0"
check_eq "fixture agencies" "$(cd "$fx" && find . -mindepth 1 -maxdepth 1 -type d | sort | tr '\n' ' ')" "./XX-ONE ./YY-TWO "
check_eq "XX-ONE layout" "$(cd "$fx/XX-ONE" && find . -type f | sort | tr '\n' ' ')" \
  "./alpha/alpha1.crt ./alpha/alpha1.key ./alpha/expired.crt ./alpha/expired.key ./alpha/revoked.crt ./alpha/revoked.key ./beta/beta1.crt ./beta/beta1.key ./ca.crt ./ca.key ./crl.pem ./gateway.crt ./gateway.key ./signing.crt ./signing.key "
check_eq "YY-TWO layout" "$(cd "$fx/YY-TWO" && find . -type f | sort | tr '\n' ' ')" \
  "./alpha/alpha1.crt ./alpha/alpha1.key ./ca.crt ./ca.key ./crl.pem ./gamma/expired.crt ./gamma/expired.key ./gamma/gamma1.crt ./gamma/gamma1.key ./gamma/revoked.crt ./gamma/revoked.key ./gateway.crt ./gateway.key ./signing.crt ./signing.key "
check_eq "YY-TWO user subject" "$(subject_of "$fx/YY-TWO/gamma/gamma1.crt")" "O = YY-TWO, OU = gamma, CN = gamma1"

# ---- errors ----------------------------------------------------------------------------------
echo '# no agencies here' >"$pol/agencies.textproto"
out=$("$script" --policies "$pol" "$tmp/none" 2>&1)
check_eq "policy without agencies fails" "$?" "1"
check_has "policy without agencies: clear error" "$out" "no agencies found"
check_eq "policy without agencies: one line" "$(printf '%s\n' "$out" | wc -l)" "1"
check "policy without agencies: OUT_DIR not created" test ! -e "$tmp/none"

mkdir -p "$tmp/notpki" && touch "$tmp/notpki/precious"
out=$("$script" --force "$tmp/notpki" 2>&1)
check_eq "non-empty foreign OUT_DIR is refused even with --force" "$?" "1"
check "foreign files are kept" test -f "$tmp/notpki/precious"

out=$("$script" --algo rsa "$tmp/x" 2>&1)
check_eq "unknown --algo fails" "$?" "1"
check_has "unknown --algo: says what to use" "$out" "--algo p256"
out=$("$script" 2>&1)
check_eq "missing OUT_DIR fails" "$?" "1"
check_has "missing OUT_DIR: points to --help" "$out" "--help"

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
