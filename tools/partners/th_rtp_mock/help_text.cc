// tools/partners/th_rtp_mock/help_text.cc
#include "tools/partners/th_rtp_mock/help_text.h"

namespace gw::th_rtp_mock {

const char kTopHelp[] =
    R"(th-rtp-mock - a mock of the Royal Thai Police legacy case system (TH-RTP),
for tests and demos of the Mekong Gateway. It speaks ICD TH-RTP v1.1
(shared/partners/TH-RTP.md) from TH-RTP's side with its own encoder and
decoder, independent of the gateway's adapter, so each checks the other.

Usage:
  th-rtp-mock COMMAND [FLAGS]

Commands:
  serve   the TLS server the gateway delivers its outbound frames to: checks
          every frame as TH-RTP must (ICD section 6), stores what it accepts
          and answers with signed AK / NK frames
  send    deliver one inbound frame (an alert or a repatriation request) to
          the gateway's TH-RTP endpoint and print the gateway's answer
  help [COMMAND]
          the same as th-rtp-mock COMMAND --help

Exit codes:
  0  success (serve: stopped by SIGINT/SIGTERM; send: every answer was AK)
  1  transport failure: cannot listen, connect, complete TLS, or the answer
     is missing, late or invalid
  2  send: the gateway answered NK
  3  usage or configuration error: unknown command or flag, missing flag,
     unreadable certificate, key or store directory

Examples:
  certs/make-dev-pki var/pki
  th-rtp-mock serve --listen 127.0.0.1:7601 \
      --tls-cert var/pki/TH-RTP/gateway.crt --tls-key var/pki/TH-RTP/gateway.key \
      --peer-ca var/pki/CN-MPS/ca.crt --peer-crl var/pki/CN-MPS/crl.pem \
      --signing-key var/pki/TH-RTP/signing.key \
      --signing-cert var/pki/TH-RTP/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt --store var/th-rtp-mock
  th-rtp-mock send --to 127.0.0.1:7602 --kind alert \
      --tls-cert var/pki/TH-RTP/gateway.crt --tls-key var/pki/TH-RTP/gateway.key \
      --peer-ca var/pki/CN-MPS/ca.crt --tls-server-name localhost \
      --signing-key var/pki/TH-RTP/signing.key \
      --signing-cert var/pki/TH-RTP/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt
)";

const char kServeHelp[] =
    R"(Usage: th-rtp-mock serve --listen HOST:PORT --tls-cert FILE --tls-key FILE
           --peer-ca FILE [--peer-crl FILE] --signing-key FILE
           --signing-cert FILE --gateway-signing-cert FILE [...] --store DIR
           [--agency CODE] [--peer-agency CODE] [--refuse-case-prefix PREFIX]
           [--hold-answers-ms N] [--heartbeat-interval-ms N]
           [--dead-peer-timeout-ms N] [--json]

Listens for the gateway's mutual-TLS connections (TLS 1.3, or 1.2 with
ECDHE-ECDSA/RSA-AES256-GCM-SHA384) and answers every data frame with one
signed AK or NK, checking the frame in the order of ICD section 6 with the
mock's own decoder: LEN (100), window (902), record structure (101), order and
sequences (102), RECORD_COUNT (103), SENDER against the TLS peer (130),
KEY_ID (202), SIG_ALG and signature (201), field types record by record
(122, 121, 120), FMT_VERSION (110), RECIPIENT (130), rules across fields
(120, 121); then duplicates (AK DUPLICATE Y with the first RECEIVED_AT and
PARTNER_REF, or 301), entitlement (131) and --refuse-case-prefix (302).
Accepted frames get PARTNER_REF RTP-IN-<B.E. year>-<6-digit counter>.

What it keeps, under --store DIR:
  DIR/received/<message_id>.bin  each accepted frame (length prefix + body)
  DIR/received.jsonl             one JSON object per data frame answered:
                                 message_id, type, case_ref, alert_id or
                                 request_id, received_at, duplicate, answer
                                 ("AK" or "NK <code>"), nk {code, record_no,
                                 field, detail}, body_sha256, partner_ref,
                                 subjects with their decoded names (UTF-8),
                                 texts (topic, lang, text), narrative_langs
  DIR/seen.jsonl                 the duplicate memory; a restarted mock on
                                 the same DIR answers duplicates as before
stdout: "th-rtp-mock listening on HOST:PORT", then one line per data frame
(no names or texts). Connection events go to stderr.

Flags:
  --listen HOST:PORT          where to listen; port 0 picks a free port (the
                              first stdout line says which)
  --tls-cert FILE, --tls-key FILE
                              TH-RTP's TLS certificate (O=TH-RTP, OU=gateway)
                              and its key, PEM
  --peer-ca FILE              the CA the gateway's client certificate must
                              chain to; its subject must be O=<peer agency>,
                              OU=gateway, else the connection is closed
  --peer-crl FILE             that CA's CRL (PEM): revoked certificates fail
                              the handshake
  --signing-key FILE, --signing-cert FILE
                              TH-RTP's Ed25519 message-signing key and its
                              certificate: every AK, NK and HB is signed with
                              it (KEY_ID = SHA-256 of its SubjectPublicKeyInfo)
  --gateway-signing-cert FILE the gateway's Ed25519 signing certificate; repeat
                              the flag to register several keys (rotation)
  --store DIR                 created if missing
  --agency CODE               this side's agency (default TH-RTP)
  --peer-agency CODE          the gateway's agency (default CN-MPS)
  --refuse-case-prefix PREFIX answer frames whose CASE_REF starts with PREFIX
                              with NK 302 UNKNOWN_REFERENCE <REC>.CASE_REF (a
                              permanent rejection, for dead-letter tests)
  --hold-answers-ms N         send each answer N ms after the frame arrived
                              (lets the 32-frame window fill: NK 902)
  --heartbeat-interval-ms N   send HB after N ms without sending (30000)
  --dead-peer-timeout-ms N    close after N ms without a frame (90000)
  --json                      stdout lines as JSON objects

Examples:
  th-rtp-mock serve --listen 127.0.0.1:0 --tls-cert pki/TH-RTP/gateway.crt \
      --tls-key pki/TH-RTP/gateway.key --peer-ca pki/CN-MPS/ca.crt \
      --signing-key pki/TH-RTP/signing.key --signing-cert pki/TH-RTP/signing.crt \
      --gateway-signing-cert pki/CN-MPS/signing.crt --store /tmp/rtp
  ... --refuse-case-prefix REFUSE- --hold-answers-ms 2000 --json
)";

const char kSendHelp[] =
    R"(Usage: th-rtp-mock send --to HOST:PORT --tls-cert FILE --tls-key FILE
           --peer-ca FILE [--peer-crl FILE] [--tls-server-name NAME]
           --signing-key FILE --signing-cert FILE
           --gateway-signing-cert FILE [...]
           --kind alert|repatriation-request [--case-ref REF]
           [--alert-id ID | --request-id ID] [--message-id UUID]
           [--repeat N] [--agency CODE] [--peer-agency CODE]
           [--timeout-ms N] [--json]

Delivers one inbound frame to the gateway's TH-RTP endpoint, as TH-RTP does
(TH-RTP is the TLS client for its own data frames), built and signed with the
mock's own encoder:
  alert                 AL from TH-RTP to CN-MPS: MISSING_PERSON, URGENT, H1,
                        ORIGIN_AGENCY TH-RTP, ORIGINATOR rtp-inv-0042,
                        RECIPIENTS CN-MPS, one VICTIM (Thai name มาลี ทดสอบ,
                        Latin name Malee THOTSOP, born 2011-08 = 25540800),
                        narrative in Thai and in English
  repatriation-request  RQ as examples/TH-RTP/repatriation-request-inbound
                        (victim CESHI Hua, passport as travel document,
                        assessment in Thai and English, tracing note), with
                        the given ids, BIA date 2 days ago and handover in 14
                        days
All persons are fictional (partners/README.md section 4).

It waits for each answer (default 30 s), verifies its signature with
--gateway-signing-cert, that it names the sent MESSAGE_ID and that its body
digest is the SHA-256 of the sent body, then prints
  AK <message_id> received_at=<TS> duplicate=N partner_ref=<ref>
  NK <code> <field>: <text> (retryable=Y|N)
Heartbeats from the gateway are verified and skipped.

Flags:
  --to HOST:PORT              the gateway's TH-RTP endpoint
  --tls-cert FILE, --tls-key FILE
                              TH-RTP's TLS client certificate and key
  --peer-ca FILE              the CA of the gateway's server certificate,
                              which must be O=<peer agency>, OU=gateway
  --peer-crl FILE             that CA's CRL (PEM)
  --tls-server-name NAME      the name the gateway's certificate must carry
                              (default: HOST of --to)
  --signing-key FILE, --signing-cert FILE
                              TH-RTP's Ed25519 message-signing key and cert
  --gateway-signing-cert FILE the gateway's signing certificate; repeatable
  --kind KIND                 alert or repatriation-request
  --case-ref REF              default RTP-CASE-<B.E. year>-<6 digits>
  --alert-id ID               (alert) default RTP-AL-<B.E. year>-<6 digits>
  --request-id ID             (repatriation-request) default
                              RTP-RQ-<B.E. year>-<6 digits>
  --message-id UUID           lowercase UUID (default: a random version 4)
  --repeat N                  send the same bytes N times, one after the
                              other's answer (the second and later answers
                              must be AK DUPLICATE Y)
  --agency CODE               this side (default TH-RTP)
  --peer-agency CODE          the gateway's agency (default CN-MPS)
  --timeout-ms N              how long to wait for each answer (30000)
  --json                      print one JSON object per answer

Exit codes: 0 every answer AK; 2 an NK; 1 transport failure (with one
sentence saying what to do); 3 usage or configuration error.

Examples:
  th-rtp-mock send --to 127.0.0.1:7602 --kind alert --case-ref RTP-CASE-2569-0007 \
      --tls-cert var/pki/TH-RTP/gateway.crt --tls-key var/pki/TH-RTP/gateway.key \
      --peer-ca var/pki/CN-MPS/ca.crt --tls-server-name localhost \
      --signing-key var/pki/TH-RTP/signing.key \
      --signing-cert var/pki/TH-RTP/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt
  th-rtp-mock send ... --kind repatriation-request \
      --request-id RTP-RQ-2569-000058 --repeat 2 --json
)";

}  // namespace gw::th_rtp_mock
