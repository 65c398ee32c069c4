// tools/gwctl/help_text.cc
#include "tools/gwctl/help_text.h"

namespace gw::gwctl {

const char kTopHelp[] =
    R"(gwctl - the command-line client of the Mekong Gateway (investigators,
liaisons; later reviewers and auditors).

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
  help [COMMAND]       the same as gwctl COMMAND --help

Global flags (before or after the command):
  --server HOST:PORT     the gateway to call
                         (env GW_SERVER, else 127.0.0.1:7443)
  --pki DIR              certificates laid out as certs/make-dev-pki writes them
                         (env GW_PKI, else var/pki)
  --as AGENCY/ROLE/USER  who you are: uses DIR/AGENCY/ROLE/USER.crt and .key
                         (env GW_AS, else CN-MPS/investigator/investigator1)
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
  1  the gateway refused the request (the message says why and what to do)
  2  usage error: unknown command or flag, missing or malformed argument
  3  cannot reach the gateway, or a local file (certificate, key, CA, alert
     file) is missing or unusable

Examples:
  certs/make-dev-pki var/pki
  gwctl send-alert tools/gwctl/examples/missing-child.json
  gwctl list-alerts --case CN-YN-XSBN-2026-0042
  gwctl --as TH-RTP/liaison/liaison1 case get CN-YN-XSBN-2026-0042
  gwctl --server 10.0.0.5:7443 --json case list --state OPEN --all
)";

const char kSendAlertHelp[] = R"(Usage: gwctl send-alert FILE [--dry-run]

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
  --dry-run   print the signed envelope (JSON) and send nothing

The answer lists each recipient's delivery state (queued, sent,
acknowledged, retrying, failed). Global flags: gwctl --help.

Examples:
  gwctl send-alert tools/gwctl/examples/missing-child.json
  gwctl send-alert --dry-run tools/gwctl/examples/suspect-wanted.textproto
  gwctl --json send-alert alert.json
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
                         [--update-id ID]

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

Examples:
  gwctl case update CN-YN-XSBN-2026-0042 --state INVESTIGATING
  gwctl case update CN-YN-XSBN-2026-0042 --state VICTIM_LOCATED \
      --note "已在湄赛找到" --lang zh --update-id xsbn-0042-upd-3
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

}  // namespace gw::gwctl
