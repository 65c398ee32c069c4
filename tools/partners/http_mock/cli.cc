// tools/partners/http_mock/cli.cc
#include "tools/partners/http_mock/cli.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "gateway/util/uuid.h"
#include "tools/partners/http_mock/receiver.h"
#include "tools/partners/http_mock/sender.h"
#include "tools/partners/http_mock/server.h"

namespace gw::http_mock {
namespace {

constexpr char kTopTemplate[] =
    R"({NAME} - a mock of {PARTNER},
for tests and demos of the Mekong Gateway. It speaks
{ICD} from {AGENCY}'s side with its own
HTTP message signatures, parser and schema checks, independent of the
gateway's adapter, so each checks the other.

Usage:
  {NAME} COMMAND [FLAGS]

Commands:
  serve   the mutual-TLS HTTPS server the gateway POSTs its outbound
          messages to: checks every request as {AGENCY} must (ICD section
          6.4), keeps what it accepts and answers with signed
          acknowledgements and errors
  send    POST one inbound message (an alert or a repatriation request) to
          the gateway's {AGENCY} endpoint and print the gateway's signed
          answer
  help [COMMAND]
          the same as {NAME} COMMAND --help

Exit codes:
  0  success (serve: stopped by SIGINT/SIGTERM; send: every answer an ack)
  1  transport failure: cannot listen, connect or complete TLS; the answer
     is missing, late, unsigned, badly signed or fails the ack checks
  2  send: the gateway answered with a signed refusal (4xx/5xx)
  3  usage or configuration error: unknown command or flag, missing flag,
     unreadable certificate, key, body file or store directory

Examples:
  certs/make-dev-pki var/pki
  {NAME} serve --listen {LISTEN} \
      --tls-cert var/pki/{AGENCY}/gateway.crt --tls-key var/pki/{AGENCY}/gateway.key \
      --peer-ca var/pki/CN-MPS/ca.crt --peer-crl var/pki/CN-MPS/crl.pem \
      --signing-key var/pki/{AGENCY}/signing.key \
      --signing-cert var/pki/{AGENCY}/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt --store var/{AGENCY}
  {NAME} send --to {GATEWAY} --kind alert \
      --tls-cert var/pki/{AGENCY}/gateway.crt --tls-key var/pki/{AGENCY}/gateway.key \
      --peer-ca var/pki/CN-MPS/ca.crt --tls-server-name localhost \
      --signing-key var/pki/{AGENCY}/signing.key \
      --signing-cert var/pki/{AGENCY}/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt
)";

constexpr char kServeTemplate[] =
    R"(Usage: {NAME} serve --listen HOST:PORT --tls-cert FILE --tls-key FILE
           --peer-ca FILE [--peer-crl FILE] --signing-key FILE
           --signing-cert FILE --gateway-signing-cert FILE [...] --store DIR
           [--base-uri URI] [--agency CODE] [--peer-agency CODE]
           [--refuse-case-prefix PREFIX] [--hold-answers-ms N]
           [--fail-first N] [--json]

Listens for the gateway's mutual-TLS connections (TLS 1.3, or 1.2 with
ECDHE and AES-GCM or ChaCha20-Poly1305; HTTP/1.1, kept alive) on the
endpoints
{ENDPOINTS}and answers every request with a signed response, checking in the
order of ICD section 6.4, the first failure answered:
  1  the client certificate chains to --peer-ca (and is not on --peer-crl)
     and is O=<peer agency>, OU=gateway; else the connection is closed
     during or right after the handshake, with no response
  2  path exactly one of the endpoints (no query) [404 WRONG_ENDPOINT],
     method POST [405 WRONG_ENDPOINT]
  3  body at most 8 MiB [413 PAYLOAD_TOO_LARGE; the connection is closed]
  4  one Content-Type, compared without regard to case, one of
{MEDIA}     and no Content-Encoding [415 UNSUPPORTED_MEDIA_TYPE]
  5  one Signature-Input and one Signature, label sig1 only, components
     ("@method" "@target-uri" "content-digest" "gw-message-id"), parameters
     created, keyid, alg="ed25519" [401 SIGNATURE_MISSING]; Signature
     sig1=:<64 bytes>: [401 SIGNATURE_INVALID]
  6  one Content-Digest and one Gw-Message-Id [400 HEADER_MISMATCH]
  7  keyid = SHA-256 of the SubjectPublicKeyInfo of a
     --gateway-signing-cert [401 UNKNOWN_KEY]
  8  created within 300 s of this clock [401 SIGNATURE_EXPIRED]
  9  Content-Digest exactly sha-256=:<32 bytes>: [400 HEADER_MISMATCH] and
     the body's SHA-256 [401 DIGEST_MISMATCH]
  10 Ed25519 signature over the base, @target-uri = --base-uri + path
     [401 SIGNATURE_INVALID]
  11 the body:
{BODY_CHECKS}  12 duplicates: the same message id with the same body digest is answered
     200 with the stored acknowledgement, byte for byte (same received_at),
     freshly signed; with another digest 409 DUPLICATE_ID_CONFLICT. Then
     entitlement (403 NOT_A_RECIPIENT) and --refuse-case-prefix (422
     UNKNOWN_REFERENCE).
Accepted messages are stored, then answered 202 with a signed
acknowledgement, partner reference {PREFIX}-<year>-<4-digit counter>. Every
response is signed (@status, content-digest, gw-message-id; without
gw-message-id when the request had none) and echoes Gw-Message-Id.

What it keeps, under --store DIR:
  DIR/received/<message_id>.{EXT}  each accepted body, byte for byte
  DIR/received.jsonl             one JSON object per answered request: time,
                                 method, path, status, message_id,
                                 body_sha256, code/location/detail (refusals),
                                 kind, case_ref, key_id, duplicate,
                                 received_at, partner_ref, stored_file, and
                                 for accepted messages a summary of the
                                 body (ids, agencies, names as received)
  DIR/seen.jsonl                 the duplicate memory with each first ack;
                                 a restarted mock on the same DIR answers
                                 duplicates as before
stdout: "{NAME} listening on HOST:PORT" (always first, also with --json),
then one line per answered request, without personal data. Connection
events go to stderr.

Flags:
  --listen HOST:PORT          where to listen; port 0 picks a free port (the
                              first stdout line says which)
  --tls-cert FILE, --tls-key FILE
                              {AGENCY}'s TLS server certificate (O={AGENCY},
                              OU=gateway) and its key, PEM
  --peer-ca FILE              the CA the gateway's client certificate must
                              chain to
  --peer-crl FILE             that CA's CRL (PEM): revoked certificates fail
                              the handshake
  --signing-key FILE, --signing-cert FILE
                              {AGENCY}'s Ed25519 message-signing key and its
                              certificate: every response is signed with it
  --gateway-signing-cert FILE the gateway's Ed25519 signing certificate; repeat
                              the flag to register several keys (rotation)
  --store DIR                 created if missing
  --base-uri URI              this side's base URI as the gateway signs it
                              (default {BASE}): the
                              gateway's settings must name the same
  --agency CODE               this side's agency (default {AGENCY})
  --peer-agency CODE          the gateway's agency (default CN-MPS)
  --refuse-case-prefix PREFIX answer messages whose case_ref starts with
                              PREFIX with 422 UNKNOWN_REFERENCE naming the
                              case_ref (a permanent refusal: dead-letter
                              tests)
  --hold-answers-ms N         write each answer N ms after the request was
                              handled (timeout and concurrency tests)
  --fail-first N              answer the first N requests 503 UNAVAILABLE
                              with Retry-After: 1, before any check (retry
                              tests)
  --json                      request lines on stdout as JSON objects

Examples:
  {NAME} serve --listen 127.0.0.1:0 --tls-cert pki/{AGENCY}/gateway.crt \
      --tls-key pki/{AGENCY}/gateway.key --peer-ca pki/CN-MPS/ca.crt \
      --signing-key pki/{AGENCY}/signing.key \
      --signing-cert pki/{AGENCY}/signing.crt \
      --gateway-signing-cert pki/CN-MPS/signing.crt --store /tmp/{AGENCY}
  ... --refuse-case-prefix REFUSE- --fail-first 2 --json
)";

constexpr char kSendTemplate[] =
    R"(Usage: {NAME} send --to HOST:PORT --tls-cert FILE --tls-key FILE
           --peer-ca FILE [--peer-crl FILE] [--tls-server-name NAME]
           --signing-key FILE --signing-cert FILE
           --gateway-signing-cert FILE [...] [--gateway-base-uri URI]
           [--kind alert|repatriation_request] [--message-id UUID]
           [--case-ref REF] [--body FILE] [--path PATH] [--tamper-body]
           [--repeat N] [--agency CODE] [--peer-agency CODE]
           [--timeout-ms N] [--json]

POSTs one inbound message to the gateway's {AGENCY} endpoint, as {AGENCY}
does, signed with the mock's own RFC 9421 code over
@target-uri = --gateway-base-uri + path:
{GWENDPOINTS}The body:
{SAMPLES}All persons are fictional (partners/README.md section 4). With --body FILE
the file is sent as is (e.g. a schema-invalid body), to the endpoint of
--kind, with Gw-Message-Id from --message-id, else the body's own id.

The answer counts only if it is signed by a --gateway-signing-cert key with
the response profile and echoes Gw-Message-Id, and its body is an
acknowledgement (200/202) naming the sent message id with payload_sha256 =
SHA-256 of the sent body, or an error body (4xx/5xx). It prints
  202 ACCEPTED message_id=<id> received_at=<ts> duplicate=no [warnings=...]
  200 ACCEPTED message_id=<id> received_at=<ts> duplicate=yes
  400 SCHEMA_VIOLATION message_id=<id> location=<pointer> detail=<text>
With --json: {"status", "acknowledged", "duplicate", "message_id",
"received_at", "payload_sha256", "code", "location", "detail",
"warnings": [{"code", "location"}]}, one object per answer.

Flags:
  --to HOST:PORT              where the gateway's {AGENCY} endpoint listens
  --tls-cert FILE, --tls-key FILE
                              {AGENCY}'s TLS client certificate and key
  --peer-ca FILE              the CA of the gateway's server certificate,
                              which must be O=<peer agency>, OU=gateway
  --peer-crl FILE             that CA's CRL (PEM)
  --tls-server-name NAME      the name the gateway's certificate must carry
                              (default: HOST of --to)
  --signing-key FILE, --signing-cert FILE
                              {AGENCY}'s Ed25519 message-signing key and cert
  --gateway-signing-cert FILE the gateway's signing certificate; repeatable
  --gateway-base-uri URI      the gateway's base URI as its settings name it
                              (default {GWBASE})
  --kind KIND                 alert (default) or repatriation_request
  --message-id UUID           lowercase UUID (default: a random version 4)
  --case-ref REF              the message's case_ref (default: a new one)
  --body FILE                 send this file instead of a sample
  --path PATH                 POST to PATH instead of the endpoint of --kind
                              (wrong-endpoint tests)
  --tamper-body               change one body byte after signing (the
                              gateway must refuse: 401 DIGEST_MISMATCH)
  --repeat N                  send the same bytes N times, each with a fresh
                              signature (the second and later answers must
                              be 200 duplicates)
  --agency CODE               this side (default {AGENCY})
  --peer-agency CODE          the gateway's agency (default CN-MPS)
  --timeout-ms N              how long to wait for each answer (30000)
  --json                      print one JSON object per answer

Exit codes: 0 every answer an ack; 2 a signed refusal; 1 transport failure
or an answer that fails the checks (one sentence says what to do); 3 usage
or configuration error.

Examples:
  {NAME} send --to {GATEWAY} --kind alert --case-ref DEMO-CASE-0001 \
      --tls-cert var/pki/{AGENCY}/gateway.crt --tls-key var/pki/{AGENCY}/gateway.key \
      --peer-ca var/pki/CN-MPS/ca.crt --tls-server-name localhost \
      --signing-key var/pki/{AGENCY}/signing.key \
      --signing-cert var/pki/{AGENCY}/signing.crt \
      --gateway-signing-cert var/pki/CN-MPS/signing.crt
  {NAME} send ... --kind repatriation_request --repeat 2 --json
  {NAME} send ... --kind repatriation_request --body bad-date.{EXT} \
      --message-id 3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12
  {NAME} send ... --tamper-body
)";

std::string Fill(const char* text, const MockProgram& program,
                 const PartnerFormat& format) {
  std::string endpoints;
  for (const Endpoint& e : format.partner_endpoints()) {
    absl::StrAppend(&endpoints, "  POST ", e.path, "  (", e.kind, ")\n");
  }
  std::string gateway_endpoints;
  for (const Endpoint& e : format.gateway_endpoints()) {
    if (e.kind != "alert" && e.kind != "repatriation_request") continue;
    absl::StrAppend(&gateway_endpoints, "  --kind ", e.kind, ": POST ", e.path,
                    "\n");
  }
  std::string media;
  for (const std::string& m : format.accepted_media_types()) {
    absl::StrAppend(&media, "       ", m, "\n");
  }
  std::string body_checks = program.body_checks_help;
  std::string samples = program.samples_help;
  return absl::StrReplaceAll(text,
                             {{"{NAME}", program.name},
                              {"{PARTNER}", program.partner},
                              {"{ICD}", program.icd},
                              {"{AGENCY}", format.agency()},
                              {"{BASE}", program.default_base_uri},
                              {"{GWBASE}", program.default_gateway_base_uri},
                              {"{PREFIX}", program.partner_ref_prefix},
                              {"{LISTEN}", program.example_listen},
                              {"{GATEWAY}", program.example_gateway},
                              {"{ENDPOINTS}", endpoints},
                              {"{GWENDPOINTS}", gateway_endpoints},
                              {"{MEDIA}", media},
                              {"{BODY_CHECKS}", body_checks},
                              {"{SAMPLES}", samples},
                              {"{EXT}", format.file_extension()}});
}

const std::set<std::string>& BooleanFlags() {
  static const auto* flags =
      new std::set<std::string>{"json", "help", "tamper-body"};
  return *flags;
}

struct CommandSpec {
  const char* name;
  std::set<std::string> flags;
  std::set<std::string> required;
  std::set<std::string> repeatable;
};

const CommandSpec& ServeSpec() {
  static const auto* spec = new CommandSpec{
      "serve",
      {"listen", "tls-cert", "tls-key", "peer-ca", "peer-crl", "signing-key",
       "signing-cert", "gateway-signing-cert", "store", "base-uri", "agency",
       "peer-agency", "refuse-case-prefix", "hold-answers-ms", "fail-first",
       "json"},
      {"listen", "tls-cert", "tls-key", "peer-ca", "signing-key",
       "signing-cert", "gateway-signing-cert", "store"},
      {"gateway-signing-cert"}};
  return *spec;
}

const CommandSpec& SendSpec() {
  static const auto* spec =
      new CommandSpec{"send",
                      {"to",
                       "tls-cert",
                       "tls-key",
                       "peer-ca",
                       "peer-crl",
                       "tls-server-name",
                       "signing-key",
                       "signing-cert",
                       "gateway-signing-cert",
                       "gateway-base-uri",
                       "kind",
                       "message-id",
                       "case-ref",
                       "body",
                       "path",
                       "tamper-body",
                       "repeat",
                       "agency",
                       "peer-agency",
                       "timeout-ms",
                       "json"},
                      {"to", "tls-cert", "tls-key", "peer-ca", "signing-key",
                       "signing-cert", "gateway-signing-cert"},
                      {"gateway-signing-cert"}};
  return *spec;
}

class Cli {
 public:
  Cli(const MockProgram& program, const PartnerFormat& format,
      std::ostream& out, std::ostream& err)
      : program_(program), format_(format), out_(out), err_(err) {}

  int Run(const std::vector<std::string>& args) {
    absl::StatusOr<CommandLine> line = ParseCommandLine(args);
    if (!line.ok()) return Usage("", std::string(line.status().message()));
    if (line->command == "help") return Help(line->positionals);
    if (line->command.empty()) {
      if (line->help) return Help({});
      return Usage("", "no command given (serve or send)");
    }
    if (line->command != "serve" && line->command != "send") {
      return Usage("", absl::StrCat("there is no command '", line->command,
                                    "' (use serve or send)"));
    }
    if (line->help) return Help({line->command});
    return line->command == "serve" ? Serve(*line) : Send(*line);
  }

 private:
  int Usage(const std::string& command, const std::string& problem) {
    err_ << program_.name << ": " << problem << "; run '" << program_.name
         << " " << (command.empty() ? "" : command + " ")
         << "--help' for usage." << std::endl;
    return kExitUsage;
  }

  int Help(const std::vector<std::string>& topic) {
    if (topic.empty()) {
      out_ << TopHelp(program_, format_);
    } else if (topic[0] == "serve") {
      out_ << ServeHelp(program_, format_);
    } else if (topic[0] == "send") {
      out_ << SendHelp(program_, format_);
    } else {
      return Usage("", absl::StrCat("there is no command '", topic[0], "'"));
    }
    return kExitOk;
  }

  static std::string Flag(const CommandLine& line, const std::string& name,
                          const std::string& fallback = "") {
    auto it = line.flags.find(name);
    return it == line.flags.end() ? fallback : it->second.back();
  }

  static std::string CheckFlags(const CommandSpec& spec,
                                const CommandLine& line) {
    if (!line.positionals.empty()) {
      return absl::StrCat(spec.name, " takes no arguments, but got '",
                          line.positionals.front(), "'");
    }
    for (const auto& [name, values] : line.flags) {
      if (spec.flags.count(name) == 0) {
        return absl::StrCat(spec.name, " does not take --", name);
      }
      if (values.size() > 1 && spec.repeatable.count(name) == 0) {
        return absl::StrCat("--", name, " is given twice");
      }
      if (BooleanFlags().count(name) > 0 && !values.back().empty()) {
        return absl::StrCat("--", name, " takes no value");
      }
    }
    for (const std::string& name : spec.required) {
      if (line.flags.count(name) == 0) {
        return absl::StrCat(spec.name, " needs --", name);
      }
    }
    return "";
  }

  static std::string IntFlag(const CommandLine& line, const std::string& name,
                             long long minimum, long long* value) {
    auto it = line.flags.find(name);
    if (it == line.flags.end()) return "";
    if (!absl::SimpleAtoi(it->second.back(), value) || *value < minimum) {
      return absl::StrCat("--", name, " needs a whole number of at least ",
                          minimum);
    }
    return "";
  }

  static bool SplitHostPort(const std::string& text, std::string* host,
                            std::string* port) {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
      return false;
    }
    *host = text.substr(0, colon);
    *port = text.substr(colon + 1);
    if (absl::StartsWith(*host, "[") && absl::EndsWith(*host, "]")) {
      *host = host->substr(1, host->size() - 2);
    }
    int number = 0;
    return absl::SimpleAtoi(*port, &number) && number >= 0 && number <= 65535;
  }

  static bool IsAgencyCode(const std::string& v) {
    if (v.size() < 5 || v.size() > 10 || v[2] != '-') return false;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i == 2) continue;
      if (v[i] < 'A' || v[i] > 'Z') return false;
    }
    return true;
  }

  // "https://host[:port]", lowercase, no path (KH-CNP.md §6.1).
  static bool IsBaseUri(const std::string& uri) {
    if (!absl::StartsWith(uri, "https://") || uri.size() <= 8) return false;
    for (char c : uri.substr(8)) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
      if (!ok) return false;
    }
    return true;
  }

  struct Keys {
    std::unique_ptr<crypto::Signer> signer;
    std::vector<std::unique_ptr<crypto::Verifier>> gateway;
    std::vector<const crypto::Verifier*> gateway_view;
  };

  bool LoadKeys(const CommandLine& line, const std::string& agency,
                Keys* keys) {
    const std::string key = Flag(line, "signing-key");
    const std::string cert = Flag(line, "signing-cert");
    absl::StatusOr<std::unique_ptr<crypto::Signer>> signer =
        crypto::Signer::FromPemFiles(key, cert);
    if (!signer.ok() ||
        (*signer)->algorithm() != crypto::KeyAlgorithm::kEd25519) {
      err_ << program_.name << ": --signing-key " << key << " / --signing-cert "
           << cert << ": "
           << (signer.ok() ? "the key is not Ed25519"
                           : std::string(signer.status().message()))
           << "; pass " << agency
           << "'s Ed25519 message-signing key and its certificate (dev PKI: "
              "var/pki/"
           << agency << "/signing.key and signing.crt)." << std::endl;
      return false;
    }
    keys->signer = *std::move(signer);
    for (const std::string& path : line.flags.at("gateway-signing-cert")) {
      absl::StatusOr<std::string> pem = util::ReadFile(path);
      absl::StatusOr<std::unique_ptr<crypto::Verifier>> verifier =
          pem.ok()
              ? crypto::Verifier::FromCertificatePem(*pem)
              : absl::StatusOr<std::unique_ptr<crypto::Verifier>>(pem.status());
      if (!verifier.ok() ||
          (*verifier)->algorithm() != crypto::KeyAlgorithm::kEd25519) {
        err_ << program_.name << ": --gateway-signing-cert " << path << ": "
             << (verifier.ok() ? "its key is not Ed25519"
                               : std::string(verifier.status().message()))
             << "; pass the gateway's Ed25519 signing certificate (dev PKI: "
                "var/pki/CN-MPS/signing.crt)."
             << std::endl;
        return false;
      }
      keys->gateway_view.push_back(verifier->get());
      keys->gateway.push_back(*std::move(verifier));
    }
    return true;
  }

  static TlsFiles TlsFrom(const CommandLine& line) {
    return {Flag(line, "tls-cert"), Flag(line, "tls-key"),
            Flag(line, "peer-ca"), Flag(line, "peer-crl")};
  }

  int Serve(const CommandLine& line) {
    const std::string problem = CheckFlags(ServeSpec(), line);
    if (!problem.empty()) return Usage("serve", problem);
    ServerOptions server;
    if (!SplitHostPort(Flag(line, "listen"), &server.host, &server.port)) {
      return Usage("serve",
                   "--listen needs HOST:PORT, e.g. 127.0.0.1:7460 or "
                   "127.0.0.1:0");
    }
    server.tls = TlsFrom(line);
    server.peer_agency = Flag(line, "peer-agency", "CN-MPS");
    const std::string agency = Flag(line, "agency", format_.agency());
    for (const std::string* code : std::initializer_list<const std::string*>{
             &agency, &server.peer_agency}) {
      if (!IsAgencyCode(*code)) {
        return Usage("serve",
                     absl::StrCat("'", *code, "' is not an agency code like ",
                                  format_.agency()));
      }
    }
    const std::string base_uri =
        Flag(line, "base-uri", program_.default_base_uri);
    if (!IsBaseUri(base_uri)) {
      return Usage("serve",
                   absl::StrCat("--base-uri needs a lowercase https://host[:"
                                "port] without a path, e.g. ",
                                program_.default_base_uri));
    }
    long long hold = 0, fail_first = 0;
    std::string bad = IntFlag(line, "hold-answers-ms", 0, &hold);
    if (bad.empty()) bad = IntFlag(line, "fail-first", 0, &fail_first);
    if (!bad.empty()) return Usage("serve", bad);
    server.hold_answers = std::chrono::milliseconds(hold);
    const bool json = line.flags.count("json") > 0;

    Keys keys;
    if (!LoadKeys(line, agency, &keys)) return kExitUsage;
    ReceiverOptions options;
    options.own_agency = agency;
    options.peer_agency = server.peer_agency;
    options.base_uri = base_uri;
    options.store_dir = Flag(line, "store");
    options.refuse_case_prefix = Flag(line, "refuse-case-prefix");
    options.partner_ref_prefix = program_.partner_ref_prefix;
    options.peer_keys = keys.gateway_view;
    options.signer = keys.signer.get();
    options.fail_first = static_cast<int>(fail_first);
    absl::StatusOr<std::unique_ptr<Receiver>> receiver =
        Receiver::Open(format_, std::move(options));
    if (!receiver.ok()) {
      err_ << program_.name
           << ": cannot open the store: " << receiver.status().message()
           << "; pass a writable directory with --store." << std::endl;
      return kExitUsage;
    }

    // SIGINT/SIGTERM are taken by sigwait below; the server's thread
    // inherits the mask, so no handler runs anywhere else.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &signals, &previous);

    std::mutex output;
    const std::string& name = program_.name;
    absl::StatusOr<std::unique_ptr<Server>> running = Server::Start(
        server, **receiver,
        [this, json, &output](const RequestReport& report) {
          std::lock_guard<std::mutex> lock(output);
          if (json) {
            nlohmann::json line = report.ToJson(/*personal_data=*/false);
            line["event"] = "request";
            out_ << line.dump(-1, ' ', false,
                              nlohmann::json::error_handler_t::replace)
                 << std::endl;
          } else {
            out_ << report.ToLine() << std::endl;
          }
        },
        [this, &name, &output](const std::string& event) {
          std::lock_guard<std::mutex> lock(output);
          err_ << name << ": " << event << std::endl;
        });
    if (!running.ok()) {
      pthread_sigmask(SIG_SETMASK, &previous, nullptr);
      if (absl::IsInvalidArgument(running.status())) {
        err_ << name << ": " << running.status().message()
             << "; pass readable PEM files (dev PKI: var/pki/" << agency
             << "/gateway.crt, gateway.key and var/pki/CN-MPS/ca.crt, "
                "crl.pem)."
             << std::endl;
        return kExitUsage;
      }
      err_ << name << ": " << running.status().message()
           << "; choose a free port with --listen HOST:PORT (port 0 picks "
              "one)."
           << std::endl;
      return kExitTransport;
    }
    {
      std::lock_guard<std::mutex> lock(output);
      out_ << name << " listening on " << (*running)->address() << std::endl;
    }
    int received = 0;
    sigwait(&signals, &received);
    {
      std::lock_guard<std::mutex> lock(output);
      err_ << name << ": stopping (signal " << received << ")" << std::endl;
    }
    (*running)->Stop();
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return kExitOk;
  }

  int Send(const CommandLine& line) {
    const std::string problem = CheckFlags(SendSpec(), line);
    if (!problem.empty()) return Usage("send", problem);
    SendOptions options;
    options.program = program_.name;
    if (!SplitHostPort(Flag(line, "to"), &options.host, &options.port)) {
      return Usage("send",
                   absl::StrCat("--to needs HOST:PORT of the gateway's ",
                                format_.agency(), " endpoint"));
    }
    options.tls = TlsFrom(line);
    options.server_name = Flag(line, "tls-server-name", options.host);
    options.own_agency = Flag(line, "agency", format_.agency());
    options.peer_agency = Flag(line, "peer-agency", "CN-MPS");
    for (const std::string* code :
         {&options.own_agency, &options.peer_agency}) {
      if (!IsAgencyCode(*code)) {
        return Usage("send",
                     absl::StrCat("'", *code, "' is not an agency code like ",
                                  format_.agency()));
      }
    }
    options.gateway_base_uri =
        Flag(line, "gateway-base-uri", program_.default_gateway_base_uri);
    if (!IsBaseUri(options.gateway_base_uri)) {
      return Usage("send",
                   absl::StrCat("--gateway-base-uri needs a lowercase "
                                "https://host[:port] without a path, e.g. ",
                                program_.default_gateway_base_uri));
    }
    options.kind =
        absl::StrReplaceAll(Flag(line, "kind", "alert"), {{"-", "_"}});
    if (options.kind != "alert" && options.kind != "repatriation_request") {
      return Usage("send", "--kind must be alert or repatriation_request");
    }
    options.message_id = Flag(line, "message-id");
    if (!options.message_id.empty() &&
        !util::IsLowercaseUuid(options.message_id)) {
      return Usage("send",
                   "--message-id needs a lowercase UUID such as "
                   "3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12");
    }
    options.case_ref = Flag(line, "case-ref");
    options.body_file = Flag(line, "body");
    if (!options.body_file.empty() && !options.case_ref.empty()) {
      return Usage("send", "--case-ref goes with a sample, not with --body");
    }
    options.path = Flag(line, "path");
    if (line.flags.count("path") > 0 && !absl::StartsWith(options.path, "/")) {
      return Usage("send", "--path needs an absolute path such as /x");
    }
    options.tamper_body = line.flags.count("tamper-body") > 0;
    long long repeat = 1, timeout = 30000;
    std::string bad = IntFlag(line, "repeat", 1, &repeat);
    if (bad.empty()) bad = IntFlag(line, "timeout-ms", 1, &timeout);
    if (!bad.empty()) return Usage("send", bad);
    options.repeat = static_cast<int>(repeat);
    options.timeout = std::chrono::milliseconds(timeout);
    options.json = line.flags.count("json") > 0;

    Keys keys;
    if (!LoadKeys(line, options.own_agency, &keys)) return kExitUsage;
    return RunSend(options, format_, *keys.signer, keys.gateway_view, out_,
                   err_);
  }

  const MockProgram& program_;
  const PartnerFormat& format_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args) {
  CommandLine line;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      line.help = true;
      continue;
    }
    if (absl::StartsWith(arg, "--") && arg.size() > 2) {
      std::string name = arg.substr(2);
      std::string value;
      const size_t equals = name.find('=');
      if (equals != std::string::npos) {
        value = name.substr(equals + 1);
        name = name.substr(0, equals);
      } else if (BooleanFlags().count(name) == 0) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("--", name, " needs a value"));
        }
        value = args[++i];
      }
      line.flags[name].push_back(value);
      continue;
    }
    if (absl::StartsWith(arg, "-") && arg.size() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option '", arg, "'"));
    }
    if (line.command.empty()) {
      line.command = arg;
    } else {
      line.positionals.push_back(arg);
    }
  }
  return line;
}

std::string TopHelp(const MockProgram& program, const PartnerFormat& format) {
  return Fill(kTopTemplate, program, format);
}

std::string ServeHelp(const MockProgram& program, const PartnerFormat& format) {
  return Fill(kServeTemplate, program, format);
}

std::string SendHelp(const MockProgram& program, const PartnerFormat& format) {
  return Fill(kSendTemplate, program, format);
}

int RunMockProgram(const MockProgram& program, const PartnerFormat& format,
                   const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) {
  return Cli(program, format, out, err).Run(args);
}

}  // namespace gw::http_mock
