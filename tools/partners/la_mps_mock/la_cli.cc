// tools/partners/la_mps_mock/la_cli.cc
#include "tools/partners/la_mps_mock/la_cli.h"

#include <sys/stat.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "gateway/util/uuid.h"
#include "tools/partners/la_mps_mock/la_formats.h"
#include "tools/partners/la_mps_mock/la_receiver.h"
#include "tools/partners/la_mps_mock/la_sender.h"
#include "tools/partners/la_mps_mock/la_store.h"

namespace gw::la_mps_mock {
namespace {

const char kTopHelp[] =
    R"(la-mps-mock - a mock of the Lao PDR Ministry of Public Security (LA-MPS)
store-and-forward system, for tests and demos of the gateway's LA-MPS link
(shared/partners/LA-MPS.md). It has its own CSV reader and writer,
independent of the gateway's adapter, so it catches the adapter's mistakes.

Usage:
  la-mps-mock COMMAND [FLAGS]

Commands:
  serve    poll the gateway's outbox/, answer each message with a signed
           .ack in inbox/ (ACCEPTED, REJECTED or CORRUPT, by ICD §7.2),
           and record the gateway's receipts for messages LA-MPS sent
  send     write one LA-MPS message (an alert or a repatriation request)
           into inbox/ and wait for the gateway's .ack in outbox/
  help [COMMAND]   the same as la-mps-mock COMMAND --help

The mock is given the SAME link root as the gateway: it reads DIR/outbox
(the gateway writes there) and writes DIR/inbox (the gateway reads there).

Exit codes:
  0  serve stopped (SIGINT/SIGTERM, or --once done); send: ACCEPTED
  1  send: no valid .ack in time
  2  send: REJECTED, CORRUPT, or an .ack whose payload_sha256 does not match
  3  usage error, or a key, certificate or directory that cannot be used

Examples:
  certs/make-dev-pki var/pki
  la-mps-mock serve --link-root /srv/links/LA-MPS --store var/la-mps-mock \
      --signing-key var/pki/LA-MPS/signing.key \
      --signing-cert var/pki/LA-MPS/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt
  la-mps-mock send --kind alert --link-root /srv/links/LA-MPS \
      --signing-key var/pki/LA-MPS/signing.key \
      --signing-cert var/pki/LA-MPS/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt --wait 5m
  la-mps-mock serve --help
)";

const char kServeHelp[] =
    R"(Usage: la-mps-mock serve --link-root DIR --store DIR
           --signing-key FILE --signing-cert FILE
           --gateway-signing-cert FILE [--gateway-signing-cert FILE2]
           [--poll 60s] [--grace 6h] [--agency LA-MPS] [--peer-agency CN-MPS]
           [--refuse-case-prefix PREFIX]... [--once] [--json]

Plays LA-MPS receiving from the gateway. Every --poll it takes each
<id>.done in DIR/outbox and processes the message as ICD §7.2 says:
  incomplete (.done malformed, .csv/.sig missing or not matching .done):
      waits; after --grace (counted from the first poll that saw it, not
      restarted by rewrites) writes a CORRUPT INCOMPLETE .ack, and a new
      one only when the files change again
  id already final: same .csv digest -> the stored .ack written again,
      byte for byte; other digest -> .ack kept, operator WARNING CONFLICT
  otherwise, in order: PAYLOAD_TOO_LARGE, MALFORMED_CSV, HEADER_MISMATCH,
      AGENCY_MISMATCH, key (unknown -> WARNING HELD, no .ack),
      SIGNATURE_INVALID, NOT_NFC, SCHEMA_VIOLATION, UNKNOWN_REFERENCE
      (--refuse-case-prefix), NOT_A_RECIPIENT; else ACCEPTED with
      partner_ref AGENCY-IN-<year>-<NNNN>
Each .ack is signed with --signing-key and written into DIR/inbox by the
atomic protocol of ICD §3.2 (mode 0640). It also verifies and records the
gateway's .ack files in DIR/outbox for messages `la-mps-mock send` wrote.

Kept under --store (a restarted mock answers duplicates the same way):
  final/<id>.ack, final/<id>.json   the original .ack and digest per id
  received/<id>.csv|.sig|.done       the files of each ACCEPTED message
  received.jsonl                     one JSON object per processed message
      {"message_id","message_type","case_ref","alert_id"|"request_id",
       "status","error_code","error_field","duplicate","received_at",
       "partner_ref","names":[...],"narrative_langs":[...]} and, for the
      gateway's receipts, {"ack_for":ID,"status",...}

Flags:
  --link-root DIR            the gateway's LA-MPS link root (required)
  --store DIR                where the mock keeps its state (required)
  --signing-key FILE         LA-MPS's Ed25519 signing key, PEM (required)
  --signing-cert FILE        its certificate (required)
  --gateway-signing-cert FILE
                             a signing certificate registered to the peer
                             (CN-MPS); repeat for a key rotation (required)
  --poll DURATION            100ms..15m (ICD: 10s..15m; less for tests),
                             default 60s
  --grace DURATION           incomplete grace period, default 6h
  --agency CODE              who the mock is, default LA-MPS
  --peer-agency CODE         the gateway's agency, default CN-MPS
  --refuse-case-prefix P     answer REJECTED UNKNOWN_REFERENCE (error_field
                             case_ref) to messages whose case_ref starts
                             with P; may be repeated
  --once                     poll once and exit
  --json                     print each event as one JSON object per line

Prints one line per event on stdout: ACCEPTED, REJECTED, CORRUPT, WAITING,
DUPLICATE, RECEIPT, and WARNING lines (CONFLICT, HELD, BAD RECEIPT) that
need an operator. Names and other personal data go to received.jsonl only.

Examples:
  la-mps-mock serve --link-root /srv/links/LA-MPS --store /tmp/la-mps \
      --signing-key var/pki/LA-MPS/signing.key \
      --signing-cert var/pki/LA-MPS/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt
  la-mps-mock serve ... --poll 200ms --grace 2s --json
  la-mps-mock serve ... --refuse-case-prefix CN-YN-XSBN-2026-0099 --once
)";

const char kSendHelp[] =
    R"(Usage: la-mps-mock send --link-root DIR --signing-key FILE --signing-cert FILE
           --gateway-signing-cert FILE --kind alert|repatriation-request
           [--case-ref REF] [--alert-id ID | --request-id ID]
           [--message-id UUID] [--handover-date DD/MM/YYYY]
           [--wait 60s] [--poll 1s] [--corrupt-first] [--corrupt-for 70s]
           [--agency LA-MPS] [--peer-agency CN-MPS] [--json]

Plays LA-MPS sending one message to the gateway: writes DIR/inbox/<id>.csv,
.sig and .done (ICD §3.2: each through a .tmp file, fsync, rename), then
waits for DIR/outbox/<id>.ack and verifies it (signature with
--gateway-signing-cert, message_id, recipient = LA-MPS, payload_sha256 =
SHA-256 of the .csv).

  --kind alert                 ALERT to CN-MPS: MISSING_PERSON, URGENT, H1,
                               one VICTIM with a Lao (Laoo) and a Latin name,
                               a partial date of birth, narratives lo and en
  --kind repatriation-request  REPATRIATION_REQUEST like
                               examples/LA-MPS/inbox/3a0fe15e-....csv

Flags:
  --case-ref REF          default LA-MPS-CASE-<year>-<8 hex digits>
  --alert-id ID           (alert) default LA-MPS-AL-<year>-<8 hex digits>
  --request-id ID         (repatriation-request) default
                          LA-MPS-RQ-<year>-<8 hex digits>
  --message-id UUID       default a new random UUID
  --handover-date DATE    (repatriation-request) default 30 days from today
  --wait DURATION         how long to wait for the .ack, default 60s (the
                          gateway may poll only every 15 min)
  --poll DURATION         how often to look for it, default 1s
  --corrupt-first         first write a .csv cut in half (the gateway sees an
                          incomplete message), then after --corrupt-for or
                          the gateway's CORRUPT .ack, the correct files
  --corrupt-for DURATION  default 70s
  --json                  print the result as one JSON object

Prints one line on stdout (progress goes to stderr):
  ACCEPTED <id> received_at=... partner_ref=...       exit 0
  REJECTED <error_code> <error_field>: <error_text>   exit 2
  CORRUPT <id> INCOMPLETE: <error_text>               exit 2
  ACK_DIGEST_MISMATCH <id>: ...                       exit 2
  (no valid .ack in time: one sentence on stderr)     exit 1

Examples:
  la-mps-mock send --kind alert --link-root /srv/links/LA-MPS \
      --signing-key var/pki/LA-MPS/signing.key \
      --signing-cert var/pki/LA-MPS/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt
  la-mps-mock send --kind repatriation-request --request-id LA-MPS-RQ-2026-0009 \
      --case-ref LA-MPS-CASE-2026-0021 ... --wait 5m --json
  la-mps-mock send --kind alert ... --corrupt-first --corrupt-for 10s
)";

struct FlagSpec {
  bool takes_value;
  bool repeatable;
};

const std::map<std::string, FlagSpec>& FlagsOf(const std::string& command) {
  static const auto* const kServe = new std::map<std::string, FlagSpec>{
      {"link-root", {true, false}},
      {"store", {true, false}},
      {"signing-key", {true, false}},
      {"signing-cert", {true, false}},
      {"gateway-signing-cert", {true, true}},
      {"poll", {true, false}},
      {"grace", {true, false}},
      {"agency", {true, false}},
      {"peer-agency", {true, false}},
      {"refuse-case-prefix", {true, true}},
      {"once", {false, false}},
      {"json", {false, false}},
  };
  static const auto* const kSend = new std::map<std::string, FlagSpec>{
      {"link-root", {true, false}},      {"signing-key", {true, false}},
      {"signing-cert", {true, false}},   {"gateway-signing-cert", {true, true}},
      {"kind", {true, false}},           {"case-ref", {true, false}},
      {"alert-id", {true, false}},       {"request-id", {true, false}},
      {"message-id", {true, false}},     {"handover-date", {true, false}},
      {"wait", {true, false}},           {"poll", {true, false}},
      {"corrupt-first", {false, false}}, {"corrupt-for", {true, false}},
      {"agency", {true, false}},         {"peer-agency", {true, false}},
      {"json", {false, false}},
  };
  static const auto* const kNone = new std::map<std::string, FlagSpec>();
  if (command == "serve") return *kServe;
  if (command == "send") return *kSend;
  return *kNone;
}

struct CommandLine {
  std::string command;
  std::vector<std::string> positionals;  // after the command
  std::map<std::string, std::vector<std::string>> flags;
  bool help = false;
};

// A usage error: the sentence to print (without the "la-mps-mock: ").
struct UsageError {
  std::string sentence;
};

std::optional<UsageError> Parse(const std::vector<std::string>& args,
                                CommandLine* line) {
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!flags_ended && (arg == "--help" || arg == "-h")) {
      line->help = true;
      continue;
    }
    if (!flags_ended && arg == "--") {
      flags_ended = true;
      continue;
    }
    if (flags_ended || !absl::StartsWith(arg, "--")) {
      if (line->command.empty()) {
        line->command = arg;
      } else {
        line->positionals.push_back(arg);
      }
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const std::string where =
        line->command.empty() ? std::string("la-mps-mock") : line->command;
    const auto& specs = FlagsOf(line->command);
    const auto spec = specs.find(name);
    if (spec == specs.end()) {
      if (line->command.empty()) {
        return UsageError{
            absl::StrCat("flag --", name,
                         " before the command; write the command first, e.g. "
                         "'la-mps-mock serve --",
                         name, " ...'")};
      }
      return UsageError{absl::StrCat("unknown flag --", name, " for ", where,
                                     "; run 'la-mps-mock ", where,
                                     " --help' for its flags")};
    }
    if (spec->second.takes_value) {
      if (!value.has_value()) {
        if (i + 1 >= args.size()) {
          return UsageError{absl::StrCat("--", name,
                                         " needs a value; run 'la-mps-mock ",
                                         where, " --help'")};
        }
        value = args[++i];
      }
    } else if (value.has_value()) {
      return UsageError{absl::StrCat("--", name, " takes no value")};
    } else {
      value = "";
    }
    auto& values = line->flags[name];
    if (!values.empty() && !spec->second.repeatable) {
      return UsageError{
          absl::StrCat("--", name, " is given twice; pass it once")};
    }
    values.push_back(*value);
  }
  return std::nullopt;
}

std::string Flag(const CommandLine& line, const std::string& name,
                 const std::string& fallback = "") {
  const auto it = line.flags.find(name);
  if (it == line.flags.end() || it->second.empty()) return fallback;
  return it->second.back();
}

bool HasFlag(const CommandLine& line, const std::string& name) {
  return line.flags.count(name) > 0;
}

// "60s", "100ms", "6h", "15m", or whole seconds ("60").
std::optional<absl::Duration> ParseDurationValue(const std::string& text) {
  int64_t seconds = 0;
  if (absl::SimpleAtoi(text, &seconds) && seconds >= 0) {
    return absl::Seconds(seconds);
  }
  absl::Duration d;
  if (absl::ParseDuration(text, &d) && d >= absl::ZeroDuration() &&
      d != absl::InfiniteDuration()) {
    return d;
  }
  return std::nullopt;
}

class Cli {
 public:
  explicit Cli(const CliContext& context) : context_(context) {}

  int Fail(int code, const std::string& sentence) {
    *context_.err << "la-mps-mock: " << sentence
                  << (absl::EndsWith(sentence, ".") ? "" : ".") << std::endl;
    return code;
  }

  // Reads a duration flag in [min, max].
  bool Duration(const CommandLine& line, const std::string& name,
                absl::Duration fallback, absl::Duration min, absl::Duration max,
                const std::string& range_hint, absl::Duration* out) {
    const std::string text = Flag(line, name);
    if (text.empty()) {
      *out = fallback;
      return true;
    }
    std::optional<absl::Duration> d = ParseDurationValue(text);
    if (!d.has_value() || *d < min || *d > max) {
      Fail(kExitUsage, absl::StrCat("--", name, " must be a duration ",
                                    range_hint, ", e.g. --", name, " ",
                                    absl::FormatDuration(fallback)));
      return false;
    }
    *out = *d;
    return true;
  }

  bool Require(const CommandLine& line, const std::string& name,
               const std::string& what) {
    if (!Flag(line, name).empty()) return true;
    Fail(kExitUsage,
         absl::StrCat(line.command, " needs --", name, " ", what,
                      "; run 'la-mps-mock ", line.command, " --help'"));
    return false;
  }

  bool Agency(const CommandLine& line, const std::string& name,
              const std::string& fallback, std::string* out) {
    *out = Flag(line, name, fallback);
    if (IsAgencyCode(*out)) return true;
    Fail(kExitUsage,
         absl::StrCat("--", name, " must be an agency code like ", fallback,
                      " (two letters, '-', 2 to 7 letters)"));
    return false;
  }

  // Loads the signer and the gateway's verifiers; false after printing.
  bool LoadKeys(const CommandLine& line) {
    absl::StatusOr<std::unique_ptr<crypto::Signer>> signer =
        crypto::Signer::FromPemFiles(Flag(line, "signing-key"),
                                     Flag(line, "signing-cert"));
    if (!signer.ok()) {
      Fail(kExitUsage,
           absl::StrCat("cannot load the LA-MPS signing key (",
                        signer.status().message(),
                        "); pass --signing-key and --signing-cert of one "
                        "Ed25519 key, e.g. var/pki/LA-MPS/signing.key and "
                        "var/pki/LA-MPS/signing.crt"));
      return false;
    }
    if ((*signer)->algorithm() != crypto::KeyAlgorithm::kEd25519) {
      Fail(kExitUsage,
           "--signing-key is not an Ed25519 key, which the LA-MPS link "
           "requires (ICD §6); pass an Ed25519 key such as "
           "var/pki/LA-MPS/signing.key");
      return false;
    }
    signer_ = *std::move(signer);
    for (const std::string& path : line.flags.at("gateway-signing-cert")) {
      absl::StatusOr<std::string> pem = util::ReadFile(path);
      absl::StatusOr<std::unique_ptr<crypto::Verifier>> verifier =
          pem.ok()
              ? crypto::Verifier::FromCertificatePem(*pem)
              : absl::StatusOr<std::unique_ptr<crypto::Verifier>>(pem.status());
      if (!verifier.ok()) {
        Fail(kExitUsage,
             absl::StrCat("cannot load --gateway-signing-cert ", path, " (",
                          verifier.status().message(),
                          "); pass the gateway's signing certificate, e.g. "
                          "var/pki/CN-MPS/signing.crt"));
        return false;
      }
      verifiers_.push_back(*std::move(verifier));
    }
    return true;
  }

  std::vector<const crypto::Verifier*> VerifierPointers() const {
    std::vector<const crypto::Verifier*> out;
    for (const auto& v : verifiers_) out.push_back(v.get());
    return out;
  }

  bool LinkRootExists(const std::string& root) {
    struct stat st;
    if (::stat(root.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return true;
    Fail(kExitUsage,
         absl::StrCat("--link-root ", root,
                      " is not a directory; create it or pass the link root "
                      "the gateway's LA-MPS adapter uses"));
    return false;
  }

  void Print(const nlohmann::json& json) {
    *context_.out << json.dump(-1, ' ', false,
                               nlohmann::json::error_handler_t::replace)
                  << std::endl;
  }

  int Serve(const CommandLine& line) {
    if (!Require(line, "link-root", "DIR (the gateway's LA-MPS link root)") ||
        !Require(line, "store", "DIR (where the mock keeps its state)") ||
        !Require(line, "signing-key", "FILE (LA-MPS's signing key)") ||
        !Require(line, "signing-cert", "FILE (its certificate)") ||
        !Require(line, "gateway-signing-cert",
                 "FILE (the gateway's signing certificate)")) {
      return kExitUsage;
    }
    absl::Duration poll, grace;
    if (!Duration(line, "poll", absl::Seconds(60), absl::Milliseconds(100),
                  absl::Minutes(15), "from 100ms to 15m", &poll) ||
        !Duration(line, "grace", absl::Hours(6), absl::ZeroDuration(),
                  absl::Hours(24 * 30), "from 0s to 720h", &grace)) {
      return kExitUsage;
    }
    ReceiverOptions options;
    options.link_root = Flag(line, "link-root");
    options.grace = grace;
    if (!Agency(line, "agency", "LA-MPS", &options.policy.self) ||
        !Agency(line, "peer-agency", "CN-MPS", &options.policy.peer)) {
      return kExitUsage;
    }
    if (HasFlag(line, "refuse-case-prefix")) {
      options.policy.refuse_case_prefixes = line.flags.at("refuse-case-prefix");
    }
    if (!LinkRootExists(options.link_root) || !LoadKeys(line)) {
      return kExitUsage;
    }
    options.policy.peer_keys = VerifierPointers();
    absl::StatusOr<std::unique_ptr<MockStore>> store =
        MockStore::Open(Flag(line, "store"));
    if (!store.ok()) {
      return Fail(kExitUsage, absl::StrCat("cannot open the store (",
                                           store.status().message(),
                                           "); pass a writable --store DIR"));
    }
    const bool json = HasFlag(line, "json");
    const bool once = HasFlag(line, "once");
    Receiver receiver(options, signer_.get(), store->get(),
                      [&](const Event& event) {
                        if (json) {
                          Print(event.json);
                        } else {
                          *context_.out << event.line << std::endl;
                        }
                      });
    std::vector<std::string> key_ids;
    for (const auto& v : verifiers_) key_ids.push_back(v->key_id_hex());
    if (json) {
      Print({{"event", "started"},
             {"agency", options.policy.self},
             {"peer", options.policy.peer},
             {"link_root", options.link_root},
             {"store", Flag(line, "store")},
             {"poll_ms", absl::ToInt64Milliseconds(poll)},
             {"grace_ms", absl::ToInt64Milliseconds(grace)},
             {"key_id", signer_->key_id_hex()},
             {"peer_key_ids", key_ids}});
    } else {
      *context_.out << "la-mps-mock serving as " << options.policy.self
                    << " for " << options.policy.peer << ": reading "
                    << options.link_root << "/outbox, writing "
                    << options.link_root << "/inbox, poll "
                    << absl::FormatDuration(poll) << ", grace "
                    << absl::FormatDuration(grace) << ", key id "
                    << signer_->key_id_hex() << std::endl;
    }
    if (poll < absl::Seconds(10)) {
      *context_.err << "la-mps-mock: note: --poll "
                    << absl::FormatDuration(poll)
                    << " is below the ICD's 10s minimum (fine for tests)"
                    << std::endl;
    }
    while (true) {
      if (absl::Status s = receiver.PollOnce(absl::Now()); !s.ok()) {
        *context_.err << "la-mps-mock: poll failed (" << s.message()
                      << "); retrying in " << absl::FormatDuration(poll)
                      << std::endl;
      }
      if (once) return kExitOk;
      const absl::Time next = absl::Now() + poll;
      while (absl::Now() < next) {
        if (context_.stop()) return kExitOk;
        absl::SleepFor(std::min(absl::Milliseconds(50), next - absl::Now()));
      }
      if (context_.stop()) return kExitOk;
    }
  }

  int Send(const CommandLine& line) {
    if (!Require(line, "link-root", "DIR (the gateway's LA-MPS link root)") ||
        !Require(line, "signing-key", "FILE (LA-MPS's signing key)") ||
        !Require(line, "signing-cert", "FILE (its certificate)") ||
        !Require(line, "gateway-signing-cert",
                 "FILE (the gateway's signing certificate)") ||
        !Require(line, "kind", "alert|repatriation-request")) {
      return kExitUsage;
    }
    SendOptions options;
    options.link_root = Flag(line, "link-root");
    options.kind = Flag(line, "kind");
    if (options.kind != "alert" && options.kind != "repatriation-request") {
      return Fail(kExitUsage, "--kind must be alert or repatriation-request");
    }
    const bool alert = options.kind == "alert";
    if (alert && HasFlag(line, "request-id")) {
      return Fail(kExitUsage,
                  "--request-id is for --kind repatriation-request; use "
                  "--alert-id with --kind alert");
    }
    if (!alert && HasFlag(line, "alert-id")) {
      return Fail(kExitUsage,
                  "--alert-id is for --kind alert; use --request-id with "
                  "--kind repatriation-request");
    }
    if (!alert && HasFlag(line, "handover-date") == false) {
      options.handover_date = absl::ToCivilDay(absl::Now(), LaoTime()) + 30;
    } else if (!alert) {
      std::optional<absl::CivilDay> day =
          ParseDate(Flag(line, "handover-date"));
      if (!day.has_value()) {
        return Fail(kExitUsage,
                    "--handover-date must be a real date DD/MM/YYYY, e.g. "
                    "--handover-date 16/04/2027");
      }
      options.handover_date = *day;
    } else if (HasFlag(line, "handover-date")) {
      return Fail(kExitUsage,
                  "--handover-date is for --kind repatriation-request");
    }
    options.message_id = Flag(line, "message-id");
    if (options.message_id.empty()) options.message_id = util::NewUuidV4();
    if (!IsUuid(options.message_id)) {
      return Fail(kExitUsage,
                  "--message-id must be a lowercase UUID, e.g. "
                  "3a0fe15e-fed5-5450-b663-cde8d7c5afc1");
    }
    const int year = absl::ToCivilYear(absl::Now(), LaoTime()).year();
    const std::string suffix =
        absl::StrCat(year, "-", options.message_id.substr(0, 8));
    options.case_ref =
        Flag(line, "case-ref", absl::StrCat("LA-MPS-CASE-", suffix));
    options.alert_id =
        Flag(line, "alert-id", absl::StrCat("LA-MPS-AL-", suffix));
    options.request_id =
        Flag(line, "request-id", absl::StrCat("LA-MPS-RQ-", suffix));
    for (const auto& [flag, value] :
         {std::pair<std::string, std::string>{"case-ref", options.case_ref},
          {"alert-id", options.alert_id},
          {"request-id", options.request_id}}) {
      if (!IsIdentifier(value)) {
        return Fail(kExitUsage,
                    absl::StrCat("--", flag,
                                 " must be 1-64 characters of A-Z a-z 0-9 . _ "
                                 ": / -, starting with a letter or digit"));
      }
    }
    if (!Duration(line, "wait", absl::Seconds(60), absl::ZeroDuration(),
                  absl::Hours(24 * 7), "from 0s to 168h", &options.wait) ||
        !Duration(line, "poll", absl::Seconds(1), absl::Milliseconds(10),
                  absl::Minutes(15), "from 10ms to 15m", &options.poll) ||
        !Duration(line, "corrupt-for", absl::Seconds(70), absl::ZeroDuration(),
                  absl::Hours(24), "from 0s to 24h", &options.corrupt_for)) {
      return kExitUsage;
    }
    options.corrupt_first = HasFlag(line, "corrupt-first");
    if (!Agency(line, "agency", "LA-MPS", &options.self) ||
        !Agency(line, "peer-agency", "CN-MPS", &options.peer)) {
      return kExitUsage;
    }
    if (!LinkRootExists(options.link_root) || !LoadKeys(line)) {
      return kExitUsage;
    }
    SendClock clock;
    clock.now = [] { return absl::Now(); };
    clock.sleep = [](absl::Duration d) { absl::SleepFor(d); };
    const bool json = HasFlag(line, "json");
    absl::StatusOr<SendResult> result =
        SendAndWait(options, *signer_, VerifierPointers(), clock,
                    [&](const std::string& progress) {
                      *context_.err << "la-mps-mock: " << progress << std::endl;
                    });
    if (!result.ok()) {
      return Fail(
          kExitUsage,
          absl::StrCat("cannot write the message (", result.status().message(),
                       "); check that --link-root is writable"));
    }
    if (json) {
      nlohmann::json out = result->json;
      out["kind"] = options.kind;
      Print(out);
    }
    switch (result->outcome) {
      case SendResult::Outcome::kAccepted:
        if (!json) *context_.out << result->line << std::endl;
        return kExitOk;
      case SendResult::Outcome::kRefused:
        if (!json) *context_.out << result->line << std::endl;
        return kExitRefused;
      case SendResult::Outcome::kNoAck:
        *context_.err << result->line << std::endl;
        return kExitNoAck;
    }
    return kExitNoAck;
  }

 private:
  const CliContext& context_;
  std::unique_ptr<crypto::Signer> signer_;
  std::vector<std::unique_ptr<crypto::Verifier>> verifiers_;
};

}  // namespace

int RunLaMpsMock(const std::vector<std::string>& args,
                 const CliContext& context) {
  Cli cli(context);
  CommandLine line;
  if (std::optional<UsageError> error = Parse(args, &line)) {
    return cli.Fail(kExitUsage, error->sentence);
  }
  if (line.command == "help") {
    line.help = true;
    line.command = line.positionals.empty() ? "" : line.positionals.front();
    line.positionals.clear();
  }
  if (line.help) {
    if (line.command.empty()) {
      *context.out << kTopHelp;
    } else if (line.command == "serve") {
      *context.out << kServeHelp;
    } else if (line.command == "send") {
      *context.out << kSendHelp;
    } else {
      return cli.Fail(kExitUsage,
                      absl::StrCat("no command '", line.command,
                                   "'; the commands are serve and send"));
    }
    return kExitOk;
  }
  if (line.command.empty()) {
    return cli.Fail(kExitUsage,
                    "no command given; run 'la-mps-mock --help' (the "
                    "commands are serve and send)");
  }
  if (line.command != "serve" && line.command != "send") {
    return cli.Fail(kExitUsage,
                    absl::StrCat("no command '", line.command,
                                 "'; the commands are serve and send"));
  }
  if (!line.positionals.empty()) {
    return cli.Fail(
        kExitUsage,
        absl::StrCat("unexpected argument '", line.positionals[0], "' for ",
                     line.command, "; its inputs are flags, see 'la-mps-mock ",
                     line.command, " --help'"));
  }
  return line.command == "serve" ? cli.Serve(line) : cli.Send(line);
}

}  // namespace gw::la_mps_mock
