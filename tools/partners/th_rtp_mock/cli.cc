// tools/partners/th_rtp_mock/cli.cc
#include "tools/partners/th_rtp_mock/cli.h"

#include <memory>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/crypto/signer.h"
#include "gateway/crypto/verifier.h"
#include "gateway/util/file.h"
#include "tools/partners/th_rtp_mock/help_text.h"
#include "tools/partners/th_rtp_mock/receiver.h"
#include "tools/partners/th_rtp_mock/sender.h"
#include "tools/partners/th_rtp_mock/server.h"

namespace gw::th_rtp_mock {
namespace {

const std::set<std::string>& BooleanFlags() {
  static const auto* flags = new std::set<std::string>{"json", "help"};
  return *flags;
}

struct CommandSpec {
  const char* name;
  const char* help;
  std::set<std::string> flags;     // accepted
  std::set<std::string> required;  // must be given
  std::set<std::string> repeatable;
};

const CommandSpec kServe = {
    "serve",
    kServeHelp,
    {"listen", "tls-cert", "tls-key", "peer-ca", "peer-crl", "signing-key",
     "signing-cert", "gateway-signing-cert", "store", "agency", "peer-agency",
     "refuse-case-prefix", "hold-answers-ms", "heartbeat-interval-ms",
     "dead-peer-timeout-ms", "json"},
    {"listen", "tls-cert", "tls-key", "peer-ca", "signing-key", "signing-cert",
     "gateway-signing-cert", "store"},
    {"gateway-signing-cert"},
};

const CommandSpec kSend = {
    "send",
    kSendHelp,
    {"to", "tls-cert", "tls-key", "peer-ca", "peer-crl", "tls-server-name",
     "signing-key", "signing-cert", "gateway-signing-cert", "kind", "case-ref",
     "alert-id", "request-id", "message-id", "repeat", "agency", "peer-agency",
     "timeout-ms", "json"},
    {"to", "tls-cert", "tls-key", "peer-ca", "signing-key", "signing-cert",
     "gateway-signing-cert", "kind"},
    {"gateway-signing-cert"},
};

int Usage(std::ostream& err, const std::string& command,
          const std::string& problem) {
  err << "th-rtp-mock: " << problem << "; run 'th-rtp-mock "
      << (command.empty() ? "" : command + " ") << "--help' for usage."
      << std::endl;
  return kExitUsage;
}

// The one value of a flag, or `fallback`.
std::string Flag(const CommandLine& line, const std::string& name,
                 const std::string& fallback = "") {
  auto it = line.flags.find(name);
  return it == line.flags.end() ? fallback : it->second.back();
}

bool IsAgencyCode(const std::string& v) {
  if (v.size() < 5 || v.size() > 10 || v[2] != '-') return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i == 2) continue;
    if (v[i] < 'A' || v[i] > 'Z') return false;
  }
  return true;
}

bool IsLowerUuid(const std::string& v) {
  if (v.size() != 36) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = v[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

// "host:port", "[v6]:port".
bool SplitHostPort(const std::string& text, std::string* host,
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

// Checks the flags of `spec` in `line`; "" if fine, else the problem.
std::string CheckFlags(const CommandSpec& spec, const CommandLine& line) {
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
  }
  for (const std::string& name : spec.required) {
    if (line.flags.count(name) == 0) {
      return absl::StrCat(spec.name, " needs --", name);
    }
  }
  return "";
}

// Reads a non-negative integer flag into *value; "" or the problem.
std::string IntFlag(const CommandLine& line, const std::string& name,
                    long long minimum, long long* value) {
  auto it = line.flags.find(name);
  if (it == line.flags.end()) return "";
  if (!absl::SimpleAtoi(it->second.back(), value) || *value < minimum) {
    return absl::StrCat("--", name, " needs a whole number of at least ",
                        minimum);
  }
  return "";
}

struct Keys {
  std::unique_ptr<crypto::Signer> signer;
  std::vector<std::unique_ptr<crypto::Verifier>> peer;
  std::vector<const crypto::Verifier*> peer_view;
};

// Loads --signing-key/--signing-cert and every --gateway-signing-cert;
// prints the sentence and returns false on failure.
bool LoadKeys(const CommandLine& line, Keys* keys, std::ostream& err) {
  const std::string key = Flag(line, "signing-key");
  const std::string cert = Flag(line, "signing-cert");
  absl::StatusOr<std::unique_ptr<crypto::Signer>> signer =
      crypto::Signer::FromPemFiles(key, cert);
  if (!signer.ok() ||
      (*signer)->algorithm() != crypto::KeyAlgorithm::kEd25519) {
    err << "th-rtp-mock: --signing-key " << key << " / --signing-cert " << cert
        << ": "
        << (signer.ok() ? "the key is not Ed25519"
                        : std::string(signer.status().message()))
        << "; pass TH-RTP's Ed25519 message-signing key and its certificate "
           "(dev PKI: var/pki/TH-RTP/signing.key and signing.crt)."
        << std::endl;
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
      err << "th-rtp-mock: --gateway-signing-cert " << path << ": "
          << (verifier.ok() ? "its key is not Ed25519"
                            : std::string(verifier.status().message()))
          << "; pass the gateway's Ed25519 signing certificate (dev PKI: "
             "var/pki/CN-MPS/signing.crt)."
          << std::endl;
      return false;
    }
    keys->peer_view.push_back(verifier->get());
    keys->peer.push_back(*std::move(verifier));
  }
  return true;
}

TlsFiles TlsFrom(const CommandLine& line) {
  return {Flag(line, "tls-cert"), Flag(line, "tls-key"), Flag(line, "peer-ca"),
          Flag(line, "peer-crl")};
}

int RunServe(const CommandLine& line, std::ostream& out, std::ostream& err) {
  const std::string problem = CheckFlags(kServe, line);
  if (!problem.empty()) return Usage(err, "serve", problem);
  ServerOptions options;
  if (!SplitHostPort(Flag(line, "listen"), &options.host, &options.port)) {
    return Usage(err, "serve",
                 "--listen needs HOST:PORT, e.g. 127.0.0.1:7601 or "
                 "127.0.0.1:0");
  }
  options.tls = TlsFrom(line);
  options.peer_agency = Flag(line, "peer-agency", "CN-MPS");
  const std::string agency = Flag(line, "agency", "TH-RTP");
  for (const std::string* code : std::initializer_list<const std::string*>{
           &agency, &options.peer_agency}) {
    if (!IsAgencyCode(*code)) {
      return Usage(
          err, "serve",
          absl::StrCat("'", *code, "' is not an agency code like TH-RTP"));
    }
  }
  long long hold = 0, heartbeat = 30000, dead = 90000;
  for (auto [name, value, minimum] :
       {std::make_tuple("hold-answers-ms", &hold, 0LL),
        std::make_tuple("heartbeat-interval-ms", &heartbeat, 1LL),
        std::make_tuple("dead-peer-timeout-ms", &dead, 1LL)}) {
    const std::string bad = IntFlag(line, name, minimum, value);
    if (!bad.empty()) return Usage(err, "serve", bad);
  }
  options.hold_answers = std::chrono::milliseconds(hold);
  options.heartbeat_interval = std::chrono::milliseconds(heartbeat);
  options.dead_peer_timeout = std::chrono::milliseconds(dead);
  options.json = line.flags.count("json") > 0;

  Keys keys;
  if (!LoadKeys(line, &keys, err)) return kExitUsage;
  ReceiverOptions receiver_options;
  receiver_options.own_agency = agency;
  receiver_options.peer_agency = options.peer_agency;
  receiver_options.store_dir = Flag(line, "store");
  receiver_options.refuse_case_prefix = Flag(line, "refuse-case-prefix");
  receiver_options.peer_keys = keys.peer_view;
  receiver_options.signer = keys.signer.get();
  absl::StatusOr<std::unique_ptr<Receiver>> receiver =
      Receiver::Open(std::move(receiver_options));
  if (!receiver.ok()) {
    err << "th-rtp-mock: cannot open the store: " << receiver.status().message()
        << "; pass a writable directory with --store." << std::endl;
    return kExitUsage;
  }
  absl::Status served = RunServer(options, **receiver, out, err);
  if (absl::IsInvalidArgument(served)) {
    err << "th-rtp-mock: " << served.message()
        << "; pass readable PEM files (dev PKI: var/pki/TH-RTP/gateway.crt, "
           "gateway.key and var/pki/CN-MPS/ca.crt, crl.pem)."
        << std::endl;
    return kExitUsage;
  }
  if (!served.ok()) {
    err << "th-rtp-mock: " << served.message()
        << "; choose a free port with --listen HOST:PORT (port 0 picks one)."
        << std::endl;
    return kExitTransport;
  }
  return kExitOk;
}

int RunSendCommand(const CommandLine& line, std::ostream& out,
                   std::ostream& err) {
  const std::string problem = CheckFlags(kSend, line);
  if (!problem.empty()) return Usage(err, "send", problem);
  SendOptions options;
  if (!SplitHostPort(Flag(line, "to"), &options.host, &options.port)) {
    return Usage(err, "send",
                 "--to needs HOST:PORT of the gateway's TH-RTP endpoint");
  }
  options.tls = TlsFrom(line);
  options.server_name = Flag(line, "tls-server-name", options.host);
  options.own_agency = Flag(line, "agency", "TH-RTP");
  options.peer_agency = Flag(line, "peer-agency", "CN-MPS");
  for (const std::string* code : {&options.own_agency, &options.peer_agency}) {
    if (!IsAgencyCode(*code)) {
      return Usage(
          err, "send",
          absl::StrCat("'", *code, "' is not an agency code like TH-RTP"));
    }
  }
  options.kind = Flag(line, "kind");
  if (options.kind != "alert" && options.kind != "repatriation-request") {
    return Usage(err, "send", "--kind must be alert or repatriation-request");
  }
  if (options.kind == "alert" && line.flags.count("request-id") > 0) {
    return Usage(err, "send",
                 "--request-id goes with --kind "
                 "repatriation-request, not alert");
  }
  if (options.kind != "alert" && line.flags.count("alert-id") > 0) {
    return Usage(err, "send", "--alert-id goes with --kind alert");
  }
  options.case_ref = Flag(line, "case-ref");
  options.alert_id = Flag(line, "alert-id");
  options.request_id = Flag(line, "request-id");
  options.message_id = Flag(line, "message-id");
  if (!options.message_id.empty() && !IsLowerUuid(options.message_id)) {
    return Usage(err, "send",
                 "--message-id needs a lowercase UUID such as "
                 "3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12");
  }
  long long repeat = 1, timeout = 30000;
  std::string bad = IntFlag(line, "repeat", 1, &repeat);
  if (bad.empty()) bad = IntFlag(line, "timeout-ms", 1, &timeout);
  if (!bad.empty()) return Usage(err, "send", bad);
  options.repeat = static_cast<int>(repeat);
  options.answer_timeout = std::chrono::milliseconds(timeout);
  options.json = line.flags.count("json") > 0;

  Keys keys;
  if (!LoadKeys(line, &keys, err)) return kExitUsage;
  return RunSend(options, *keys.signer, keys.peer_view, out, err);
}

int Help(const std::vector<std::string>& topic, std::ostream& out,
         std::ostream& err) {
  if (topic.empty()) {
    out << kTopHelp;
    return kExitOk;
  }
  if (topic[0] == "serve") {
    out << kServeHelp;
    return kExitOk;
  }
  if (topic[0] == "send") {
    out << kSendHelp;
    return kExitOk;
  }
  return Usage(err, "", absl::StrCat("there is no command '", topic[0], "'"));
}

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

int RunMock(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(args);
  if (!line.ok()) return Usage(err, "", std::string(line.status().message()));
  if (line->command == "help") return Help(line->positionals, out, err);
  if (line->command.empty()) {
    if (line->help) return Help({}, out, err);
    return Usage(err, "", "no command given (serve or send)");
  }
  if (line->command != "serve" && line->command != "send") {
    return Usage(err, "",
                 absl::StrCat("there is no command '", line->command,
                              "' (use serve or send)"));
  }
  if (line->help) return Help({line->command}, out, err);
  return line->command == "serve" ? RunServe(*line, out, err)
                                  : RunSendCommand(*line, out, err);
}

}  // namespace gw::th_rtp_mock
