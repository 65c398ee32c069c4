// tools/gwctl/help_text.cc
#include "tools/gwctl/help_text.h"

namespace gw::gwctl {

const char kTopHelp[] =
    R"(gwctl - the command-line client of the Mekong Gateway (investigators,
liaisons, auditors and admins).

Usage:
  gwctl [GLOBAL FLAGS] COMMAND [ARGUMENTS] [FLAGS]

Commands:
  send-alert FILE      sign a case alert written in FILE and send it
  get-alert ID         show one alert and the state of its deliveries
  list-alerts          list the alerts you may see
  case get REF         show a case: state, owner, sharing, history
  case list            list the cases you may see
  case update REF      change a case's state (a signed status update)
  case watch REF       print each change of a case as it happens
  watch-deliveries ALERT_ID
                       print each change of an alert's deliveries to
                       partners until every one is final
  delivery list        list deliveries to partners (admins)
  delivery retry MESSAGE_ID
                       try a delivery again now, or re-queue a dead letter
  delivery cancel MESSAGE_ID --reason TEXT
                       stop a delivery that is queued, retrying or failed
  audit checkpoint     show the audit log's signed checkpoint, verified
  audit verify-receipt FILE
                       verify a receipt offline, with only the gateway's
                       signing certificate
  audit verify-log     fetch the whole audit log, recompute its tree, and
                       check it against the signed checkpoint and the one
                       verified last time
  audit search         find audit entries by actor, action, object or time
  help [COMMAND]       the same as gwctl COMMAND --help

Global flags (before or after the command):
  --server HOST:PORT     the gateway to call
                         (env GW_SERVER, else 127.0.0.1:7443)
  --pki DIR              certificates laid out as certs/make-dev-pki writes them
                         (env GW_PKI, else var/pki)
  --as AGENCY/ROLE/USER  who you are: uses DIR/AGENCY/ROLE/USER.crt and .key
                         (env GW_AS, else CN-MPS/investigator/investigator1;
                         for the delivery commands CN-MPS/admin/admin1)
  --cert FILE --key FILE your certificate and private key (PEM), instead of --as
  --server-agency CODE   the agency whose gateway you call: its certificate must
                         chain to DIR/CODE/ca.crt (default CN-MPS)
  --ca FILE              trust this CA certificate for the gateway instead
  --timeout DURATION     deadline of each call: 30, 45s, 2m (default 30s)
  --json                 print the gateway's answer as proto3 JSON with proto
                         field names (fields at their default value are left out)
  -h, --help             show help; also after a command: gwctl case update --help

The connection is mutual TLS: the gateway knows you by your certificate
(O = agency, OU = role, CN = user id), and gwctl signs what you send with the
same key.

Exit codes:
  0  success
  1  the gateway refused the request (the message says why and what to do),
     or a verification failed (a signature, a proof, an altered log)
  2  usage error: unknown command or flag, missing or malformed argument
  3  cannot reach the gateway, or a local file (certificate, key, CA, alert,
     receipt or state file) is missing or unusable

Examples:
  certs/make-dev-pki var/pki
  gwctl send-alert tools/gwctl/examples/missing-child.json
  gwctl list-alerts --case CN-YN-XSBN-2026-0042
  gwctl --as TH-RTP/liaison/liaison1 case get CN-YN-XSBN-2026-0042
  gwctl --server 10.0.0.5:7443 --json case list --state OPEN --all
  gwctl send-alert alert.json --receipt alert.receipt.json
  gwctl audit verify-receipt alert.receipt.json
  gwctl --as CN-MPS/auditor/auditor1 audit verify-log
  gwctl watch-deliveries CNMPS-ALERT-2026-000735
  gwctl delivery list --state retrying,failed --all
)";

const char kSendAlertHelp[] =
    R"(Usage: gwctl send-alert FILE [--dry-run] [--receipt RECEIPT_FILE]

Signs the CaseAlert in FILE with your key and sends it (AlertService.SendAlert).

FILE is JSON (the proto3 JSON mapping of gw.v1.CaseAlert with proto field
names, e.g. "case_ref", "kind": "MISSING_PERSON"), or protobuf text format if
its name ends in .textproto or .txtpb. Unknown fields are refused, named with
their path. See tools/gwctl/examples/ for complete alerts.

gwctl fills what you need not type:
  alert_id       a new UUID, if empty (the gateway's idempotency key)
  origin_agency  your certificate's O, if empty
  originator     your certificate's CN, if empty
  created_at     now, if unset
Sending the same alert again is harmless only if the payload is identical:
to resend, keep alert_id AND created_at in FILE. A different alert with a
used alert_id is refused (ALREADY_EXISTS).

Valid values: kind MISSING_PERSON, VICTIM_IDENTIFIED, SUSPECT_WANTED,
ROUTE_INTELLIGENCE; priority ROUTINE, HIGH, URGENT; handling_code H0..H3;
subject role VICTIM, SUSPECT, WITNESS; sex FEMALE, MALE, OTHER, UNKNOWN;
script ISO 15924 ("Hani", "Latn", "Thai", "Mymr"); nationality and country
ISO 3166-1 alpha-3 ("CHN"); date_of_birth "YYYY", "YYYY-MM" or "YYYY-MM-DD";
language tags "en", "zh"; ids 1-128 characters of A-Z a-z 0-9 . _ : -.

Flags:
  --dry-run               print the signed envelope (JSON) and send nothing
  --receipt RECEIPT_FILE  write the gateway's signed receipt to RECEIPT_FILE
                          (JSON), to check later, offline, with gwctl audit
                          verify-receipt RECEIPT_FILE. If the answer carries
                          no receipt, gwctl says so and exits 1 (the alert
                          was still accepted).

The answer lists each recipient's delivery state (queued, sent,
acknowledged, retrying, failed) and, when the gateway sends one, its
receipt: "receipt  leaf N of M, checkpoint signed" (the alert is entry N of
the gateway's audit log, proven against its signed checkpoint of M entries).
Global flags: gwctl --help.

Examples:
  gwctl send-alert tools/gwctl/examples/missing-child.json
  gwctl send-alert --dry-run tools/gwctl/examples/suspect-wanted.textproto
  gwctl --json send-alert alert.json
  gwctl send-alert alert.json --receipt alert.receipt.json
)";

const char kGetAlertHelp[] = R"(Usage: gwctl get-alert ID

Shows alert ID as the gateway holds it (AlertService.GetAlert): its fields,
when it was received, its payload digest, and each recipient's delivery.
A recipient agency sees the copy released to it (marked as such).

Examples:
  gwctl get-alert CNMPS-ALERT-2026-000735
  gwctl --json get-alert 0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11
)";

const char kListAlertsHelp[] =
    R"(Usage: gwctl list-alerts [--case REF] [--kind KIND] [--origin AGENCY]
                         [--page-size N] [--page-token T] [--all]

Lists the alerts you may see (AlertService.ListAlerts), one row each:
alert id, kind, priority, case, origin, received, delivery states.

Flags:
  --case REF        only alerts filed under case REF
  --kind KIND       MISSING_PERSON, VICTIM_IDENTIFIED, SUSPECT_WANTED or
                    ROUTE_INTELLIGENCE
  --origin AGENCY   only alerts sent by AGENCY (e.g. CN-MPS)
  --page-size N     at most N alerts per page (1-1000; the gateway's default 50)
  --page-token T    continue from the page token a previous page printed
  --all             follow the page tokens and list every page

Examples:
  gwctl list-alerts
  gwctl list-alerts --case CN-YN-XSBN-2026-0042 --kind MISSING_PERSON --all
  gwctl --json list-alerts --page-size 10
)";

const char kCaseHelp[] = R"(Usage: gwctl case COMMAND ...

Cases (CaseService): the owner agency changes a case's state; agencies it is
shared with follow it.

Commands:
  case get REF                         state, owner, shared with, history
  case list [--state STATE] [--all]    the cases you may see
  case update REF --state STATE        change the state (signed update)
  case watch REF [--count N]           print each change as it happens

States: OPEN, INVESTIGATING, VICTIM_LOCATED, SUSPECT_ARRESTED, PROSECUTION,
CLOSED. Run gwctl case COMMAND --help for each command's flags.

Examples:
  gwctl case get CN-YN-XSBN-2026-0042
  gwctl case update CN-YN-XSBN-2026-0042 --state VICTIM_LOCATED --note "Found in Mae Sai."
)";

const char kCaseGetHelp[] = R"(Usage: gwctl case get REF

Shows case REF (CaseService.GetCaseStatus): its state, owner agency, the
agencies it is shared with, when it last changed, its alerts, and its history
(when, state, by whom, caused by which update or alert, notes).

Examples:
  gwctl case get CN-YN-XSBN-2026-0042
  gwctl --as MM-MPF/liaison/liaison1 --json case get CN-YN-XSBN-2026-0042
)";

const char kCaseListHelp[] =
    R"(Usage: gwctl case list [--state STATE] [--page-size N] [--page-token T] [--all]

Lists the cases you may see (CaseService.ListCases): case, state, owner,
shared with, updated, number of alerts.

Flags:
  --state STATE     only cases in STATE (OPEN, INVESTIGATING, VICTIM_LOCATED,
                    SUSPECT_ARRESTED, PROSECUTION, CLOSED)
  --page-size N     at most N cases per page (1-1000)
  --page-token T    continue from the page token a previous page printed
  --all             follow the page tokens and list every page

Examples:
  gwctl case list
  gwctl case list --state INVESTIGATING --all
)";

const char kCaseUpdateHelp[] =
    R"(Usage: gwctl case update REF --state STATE [--note TEXT] [--lang TAG]
                         [--update-id ID] [--receipt RECEIPT_FILE]

Changes the state of case REF, which your agency owns
(CaseService.UpdateCaseStatus). gwctl builds a gw.v1.CaseStatus payload
(case_ref REF, owner_agency = your certificate's O, state, update_id,
updated_by = your certificate's CN, the note), signs it with your key, and
prints the case as it now stands.

Flags:
  --state STATE    OPEN, INVESTIGATING, VICTIM_LOCATED, SUSPECT_ARRESTED,
                   PROSECUTION or CLOSED (required)
  --note TEXT      why the state changed
  --lang TAG       language of the note (default en; e.g. zh, th)
  --update-id ID   the update's idempotency key (default: a new UUID); send
                   the same update again with the same id to retry safely
  --receipt RECEIPT_FILE
                   write the gateway's signed receipt to RECEIPT_FILE (JSON),
                   for gwctl audit verify-receipt; exits 1 if the answer
                   carries none (the update was still accepted)

Examples:
  gwctl case update CN-YN-XSBN-2026-0042 --state INVESTIGATING
  gwctl case update CN-YN-XSBN-2026-0042 --state VICTIM_LOCATED \
      --note "已在湄赛找到" --lang zh --update-id xsbn-0042-upd-3
  gwctl case update CN-YN-XSBN-2026-0042 --state CLOSED --receipt close.json
)";

const char kCaseWatchHelp[] = R"(Usage: gwctl case watch REF [--count N]

Prints case REF now and then each change as it happens (CaseService.WatchCase,
a server stream), one line per update:
  HH:MM:SS  CASE  STATE  by AGENCY/USER
(local time). With --json, one JSON object per line. Stops after N messages
with --count N, otherwise when the gateway ends the stream or on Ctrl-C.

Examples:
  gwctl case watch CN-YN-XSBN-2026-0042
  gwctl --json case watch CN-YN-XSBN-2026-0042 --count 2
)";

const char kAuditHelp[] = R"(Usage: gwctl audit COMMAND ...

The gateway's tamper-evident audit log (AuditService): every action and
refusal is one entry of an RFC 9162 Merkle tree, and the gateway signs
checkpoints of it (size and root hash) with its Ed25519 signing key. gwctl
never takes the log on trust: it checks everything against the gateway's
signing certificate,
  --signing-cert FILE   default PKI/SERVER_AGENCY/signing.crt
                        (--pki DIR, --server-agency CODE; e.g.
                        var/pki/CN-MPS/signing.crt)
whose subject O names the agency: its log is "mekong-gateway/AGENCY/audit".

Commands:
  audit checkpoint              the signed checkpoint: size, root, time
  audit verify-receipt FILE     verify a receipt offline (no gateway needed)
  audit verify-log [--state F]  recompute the whole log and check it
  audit search [filters]        find entries (actor, action, object, time)

Exit codes: 0 verified; 1 a verification failed or the gateway refused;
2 usage; 3 the gateway or a local file is unusable.

Examples:
  gwctl audit checkpoint
  gwctl send-alert alert.json --receipt r.json && gwctl audit verify-receipt r.json
  gwctl --as CN-MPS/auditor/auditor1 audit verify-log
  gwctl audit search --actor TH-RTP --since 2026-11-01 --all
)";

const char kAuditCheckpointHelp[] =
    R"(Usage: gwctl audit checkpoint [--signing-cert FILE]

Fetches the audit log's latest checkpoint (AuditService.GetCheckpoint) and
verifies its note, a C2SP signed note by the gateway's signing key whose
size and root must equal the checkpoint's. Prints the log's name, size,
root hash (hex), time and "signature verified"; with --json, the
checkpoint. A checkpoint that does not verify is exit 1.

Flags:
  --signing-cert FILE   the gateway's signing certificate (PEM); default
                        PKI/SERVER_AGENCY/signing.crt

Examples:
  gwctl audit checkpoint
  gwctl --server-agency CN-MPS --json audit checkpoint
  gwctl audit checkpoint --signing-cert /etc/mekong/cn-mps-signing.crt
)";

const char kAuditVerifyReceiptHelp[] =
    R"(Usage: gwctl audit verify-receipt FILE [--signing-cert FILE]

Verifies a receipt OFFLINE, without contacting any gateway, with only the
gateway's signing certificate. FILE holds a gw.v1.Receipt as JSON, as
written by send-alert --receipt / case update --receipt, or a whole answer
with a "receipt" member (what gwctl --json send-alert prints). Checks, in
order, each printed as it passes:
  signature     the gateway signed the receipt (its key, its key id)
  checkpoint    the checkpoint note is signed by the same key for the
                gateway's log, and says the receipt's size and root
  inclusion     the receipt's audit entry (leaf_data) is leaf N of that tree
  audit entry   the entry records the receipt's payload sha256
Then "receipt verified" (exit 0), or the failure naming the field (exit 1).

Flags:
  --signing-cert FILE   the gateway's signing certificate (PEM); default
                        PKI/SERVER_AGENCY/signing.crt

Examples:
  gwctl audit verify-receipt alert.receipt.json
  gwctl audit verify-receipt --signing-cert cn-mps-signing.crt answer.json
  gwctl --json audit verify-receipt alert.receipt.json
)";

const char kAuditVerifyLogHelp[] =
    R"(Usage: gwctl audit verify-log [--state FILE] [--signing-cert FILE]

Audits the whole log as a certificate-transparency monitor does:
  1. fetches the checkpoint and verifies its signature;
  2. if FILE remembers a checkpoint verified earlier, fetches a consistency
     proof from it to the new one (the log only grew, nothing was rewritten);
  3. fetches every entry (GetEntries, 1000 at a time; progress on stderr
     when it takes more than 2 s), recomputes every leaf hash and the root,
     and compares the root with the signed one;
  4. remembers the new checkpoint in FILE for the next run.
Any mismatch is exit 1 with one sentence naming the first altered leaf or
the broken consistency ("the log was altered: leaf 1234 is not the entry
the signed checkpoint of size 5000 committed to"); FILE is then left as it
was, as evidence.

Flags:
  --state FILE          the remembered checkpoint (JSON); default
                        var/gwctl/audit-SERVER_AGENCY.checkpoint
  --signing-cert FILE   the gateway's signing certificate (PEM); default
                        PKI/SERVER_AGENCY/signing.crt

Examples:
  gwctl --as CN-MPS/auditor/auditor1 audit verify-log
  gwctl audit verify-log --state /var/lib/audit/cn-mps.checkpoint
  gwctl --json audit verify-log
)";

const char kAuditSearchHelp[] =
    R"(Usage: gwctl audit search [--actor AGENCY[/USER]] [--action ACTION]
                          [--object ID] [--since TIME] [--until TIME]
                          [--page-size N] [--page-token T] [--all]

Finds audit entries (AuditService.SearchAudit), one row each: leaf, time,
actor (agency/role/user), action, objects, decision, outcome. Entries hold
ids and digests only, never personal data. To prove an entry, verify the
whole log (gwctl audit verify-log).

Flags:
  --actor AGENCY[/USER]  entries by that agency (and user)
  --action ACTION        e.g. AlertService.SendAlert
  --object ID            e.g. alert:CNMPS-ALERT-2026-000735 or case:REF
  --since TIME           from TIME: RFC 3339 (2026-11-28T09:00:00Z) or a
                         date (2026-11-28, UTC midnight)
  --until TIME           up to TIME, same forms
  --page-size N          at most N entries per page (1-1000)
  --page-token T         continue from the page token a previous page printed
  --all                  follow the page tokens and list every page

Examples:
  gwctl audit search --actor TH-RTP/liaison1 --all
  gwctl audit search --action CaseService.UpdateCaseStatus --since 2026-11-01
  gwctl --json audit search --object case:CN-YN-XSBN-2026-0042
)";

const char kWatchDeliveriesHelp[] = R"(Usage: gwctl watch-deliveries ALERT_ID

Prints the state of each delivery of alert ALERT_ID to its recipients, then
each change as it happens (AlertService.WatchDeliveries, a server stream;
only the agency that sent the alert may watch it), one line per event:
  HH:MM:SS  TH-RTP  queued        message 0b6f1c9e-...
  HH:MM:SS  TH-RTP  sent          attempt 1, message 0b6f1c9e-...
  HH:MM:SS  VN-MPS  retrying      attempt 1 failed: UNAVAILABLE; next attempt 09:20:00
  HH:MM:SS  TH-RTP  acknowledged  receipt leaf 12
  HH:MM:SS  VN-MPS  failed        after 8 attempts: refused by the partner
  HH:MM:SS  LA-MPS  cancelled     REASON
(times local; "receipt leaf N" is the partner's signed receipt for it).
With --json, one JSON object (a gw.v1.DeliveryEvent) per line. Stops when
every delivery is final (acknowledged, failed or cancelled), when the
gateway ends the stream, or on Ctrl-C.

Examples:
  gwctl watch-deliveries CNMPS-ALERT-2026-000735
  gwctl --json watch-deliveries 0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11
)";

const char kDeliveryHelp[] = R"(Usage: gwctl delivery COMMAND ...

Deliveries to partners (DeliveryService): each alert is delivered to each
recipient agency as one message, tried again with backoff until the
partner acknowledges it or it fails for good (a dead letter). For the home
agency's admins: without --as (or GW_AS) these commands speak as
CN-MPS/admin/admin1.

Commands:
  delivery list [--recipient AGENCY] [--alert ID] [--state S1,S2] [--all]
                                       the deliveries, oldest first
  delivery retry MESSAGE_ID            try now, or re-queue a dead letter
  delivery cancel MESSAGE_ID --reason TEXT
                                       stop a delivery

States: queued, sent, acknowledged, retrying, failed, cancelled. Run
gwctl delivery COMMAND --help for each command's flags. To follow one
alert's deliveries as they happen: gwctl watch-deliveries ALERT_ID.

Examples:
  gwctl delivery list --state failed
  gwctl delivery retry 0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11
)";

const char kDeliveryListHelp[] =
    R"(Usage: gwctl delivery list [--recipient AGENCY] [--alert ID]
                           [--state S1,S2,...] [--page-size N]
                           [--page-token T] [--all]

Lists deliveries to partners (DeliveryService.ListDeliveries), oldest
first, one row each: message id, alert, recipient, state, attempts, next
attempt (local time), reason of the last failure or of the cancellation.

Flags:
  --recipient AGENCY  only deliveries to AGENCY (e.g. TH-RTP)
  --alert ID          only the deliveries of alert ID
  --state S1,S2,...   only deliveries in one of these states: queued, sent,
                      acknowledged, retrying, failed, cancelled
  --page-size N       at most N deliveries per page (1-1000; default 50)
  --page-token T      continue from the page token a previous page printed
  --all               follow the page tokens and list every page

Examples:
  gwctl delivery list --state queued,retrying,failed
  gwctl delivery list --recipient MM-MPF --all
  gwctl --json delivery list --alert CNMPS-ALERT-2026-000735
)";

const char kDeliveryRetryHelp[] = R"(Usage: gwctl delivery retry MESSAGE_ID

Tries delivery MESSAGE_ID again (DeliveryService.RetryDelivery):
  queued or retrying   the next attempt is made now (skipping the backoff
                       and an open circuit breaker once), same message
  failed or cancelled  queued again as a NEW message (a new id; the
                       partner refused the old one), attempts reset
An acknowledged delivery, or one whose attempt is in flight, is refused.
Prints the delivery as it now is; the action is in the audit log under
your name.

Examples:
  gwctl delivery retry 0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11
  gwctl --as CN-MPS/admin/admin2 delivery retry 0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11
)";

const char kDeliveryCancelHelp[] =
    R"(Usage: gwctl delivery cancel MESSAGE_ID --reason TEXT

Cancels delivery MESSAGE_ID (DeliveryService.CancelDelivery): a queued,
retrying or failed delivery is not tried again, and the next message of the
same case to that partner may go. An acknowledged or already cancelled
delivery, or one whose attempt is in flight, is refused.

Flags:
  --reason TEXT   why (required; one line, at most 500 bytes): recorded in
                  the audit log and shown to the alert's sender. Write no
                  personal data in it.

Examples:
  gwctl delivery cancel 0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11 --reason "Sent by other channel"
  gwctl --json delivery cancel 0b6f1c9e-4f1a-4c39-9a43-6f0e2f4b8d11 --reason "Duplicate of case 0042"
)";

}  // namespace gw::gwctl
