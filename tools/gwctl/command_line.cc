// tools/gwctl/command_line.cc
#include "tools/gwctl/command_line.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gw::gwctl {
namespace {

enum class FlagKind { kGlobalValue, kGlobalBool, kCommandValue, kCommandBool };

struct FlagSpec {
  absl::string_view name;
  FlagKind kind;
};

constexpr FlagSpec kFlags[] = {
    {"server", FlagKind::kGlobalValue},
    {"pki", FlagKind::kGlobalValue},
    {"as", FlagKind::kGlobalValue},
    {"cert", FlagKind::kGlobalValue},
    {"key", FlagKind::kGlobalValue},
    {"server-agency", FlagKind::kGlobalValue},
    {"ca", FlagKind::kGlobalValue},
    {"timeout", FlagKind::kGlobalValue},
    {"json", FlagKind::kGlobalBool},
    {"help", FlagKind::kGlobalBool},
    {"case", FlagKind::kCommandValue},
    {"kind", FlagKind::kCommandValue},
    {"origin", FlagKind::kCommandValue},
    {"page-size", FlagKind::kCommandValue},
    {"page-token", FlagKind::kCommandValue},
    {"state", FlagKind::kCommandValue},
    {"note", FlagKind::kCommandValue},
    {"lang", FlagKind::kCommandValue},
    {"update-id", FlagKind::kCommandValue},
    {"count", FlagKind::kCommandValue},
    {"receipt", FlagKind::kCommandValue},
    {"signing-cert", FlagKind::kCommandValue},
    {"actor", FlagKind::kCommandValue},
    {"action", FlagKind::kCommandValue},
    {"object", FlagKind::kCommandValue},
    {"since", FlagKind::kCommandValue},
    {"until", FlagKind::kCommandValue},
    {"recipient", FlagKind::kCommandValue},
    {"alert", FlagKind::kCommandValue},
    {"reason", FlagKind::kCommandValue},
    {"dry-run", FlagKind::kCommandBool},
    {"all", FlagKind::kCommandBool},
};

const FlagSpec* FindFlag(absl::string_view name) {
  for (const FlagSpec& spec : kFlags) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// "30" (seconds), "30s", "1m30s", "500ms"; must be positive.
absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text) {
  absl::Duration timeout;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(text, &seconds)) {
    timeout = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(text, &timeout)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--timeout ", text,
        " is not a duration: pass seconds (30) or a duration such as 45s or "
        "2m"));
  }
  if (timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--timeout must be positive: pass seconds (30) or a duration such as "
        "45s or 2m");
  }
  return timeout;
}

std::string EnvOr(const EnvLookup& env, const std::string& name,
                  absl::string_view fallback) {
  if (env) {
    std::optional<std::string> value = env(name);
    if (value.has_value() && !value->empty()) return *value;
  }
  return std::string(fallback);
}

absl::Status SetGlobal(absl::string_view name, const std::string& value,
                       GlobalOptions* global) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " needs a non-empty value"));
  }
  if (name == "server") {
    global->server = value;
  } else if (name == "pki") {
    global->pki_dir = value;
  } else if (name == "as") {
    global->identity = value;
    global->identity_is_default = false;
  } else if (name == "cert") {
    global->cert_path = value;
  } else if (name == "key") {
    global->key_path = value;
  } else if (name == "server-agency") {
    global->server_agency = value;
  } else if (name == "ca") {
    global->ca_path = value;
  } else if (name == "timeout") {
    absl::StatusOr<absl::Duration> timeout = ParseTimeout(value);
    if (!timeout.ok()) return timeout.status();
    global->timeout = *timeout;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const EnvLookup& env) {
  CommandLine line;
  line.global.server = EnvOr(env, "GW_SERVER", kDefaultServer);
  line.global.pki_dir = EnvOr(env, "GW_PKI", kDefaultPkiDir);
  line.global.identity = EnvOr(env, "GW_AS", kDefaultIdentity);
  line.global.identity_is_default = EnvOr(env, "GW_AS", "").empty();
  line.global.server_agency = std::string(kDefaultServerAgency);

  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || arg == "-" || !absl::StartsWith(arg, "-")) {
      line.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "-h") {
      line.help = true;
      continue;
    }
    absl::string_view body = arg;
    if (!absl::ConsumePrefix(&body, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", arg, " (flags are spelled --name)"));
    }
    std::string name(body);
    std::optional<std::string> value;
    if (const size_t eq = body.find('='); eq != absl::string_view::npos) {
      name = std::string(body.substr(0, eq));
      value = std::string(body.substr(eq + 1));
    }
    const FlagSpec* spec = FindFlag(name);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    const bool takes_value = spec->kind == FlagKind::kGlobalValue ||
                             spec->kind == FlagKind::kCommandValue;
    if (!takes_value && value.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", name, " takes no value (write just --", name, ")"));
    }
    if (takes_value && !value.has_value()) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
      value = args[++i];
    }
    switch (spec->kind) {
      case FlagKind::kGlobalValue:
        if (absl::Status s = SetGlobal(name, *value, &line.global); !s.ok()) {
          return s;
        }
        break;
      case FlagKind::kGlobalBool:
        if (name == "json") line.global.json = true;
        if (name == "help") line.help = true;
        break;
      case FlagKind::kCommandValue:
        line.flags[name] = *value;
        break;
      case FlagKind::kCommandBool:
        line.flags[name] = "";
        break;
    }
  }
  return line;
}

}  // namespace gw::gwctl
