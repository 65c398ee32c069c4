// tools/gwctl/gwctl.cc
#include "tools/gwctl/gwctl.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/gwctl/alert_commands.h"
#include "tools/gwctl/audit_commands.h"
#include "tools/gwctl/case_commands.h"
#include "tools/gwctl/command_support.h"
#include "tools/gwctl/delivery_commands.h"
#include "tools/gwctl/exit_code.h"
#include "tools/gwctl/help_text.h"

namespace gw::gwctl {
namespace {

using Handler = int (*)(const Invocation&, const RunContext&);

struct CommandSpec {
  const char* name;               // "send-alert", "case update"
  std::vector<std::string> args;  // argument names, e.g. {"FILE"}
  std::set<std::string> flags;    // command flags it accepts
  const char* help;
  Handler run;
  // Who the command speaks as without --as, GW_AS or --cert; null = the
  // global default (command_line.h).
  const char* default_identity = nullptr;
};

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>{
      {"send-alert",
       {"FILE"},
       {"dry-run", "receipt"},
       kSendAlertHelp,
       RunSendAlert},
      {"get-alert", {"ID"}, {}, kGetAlertHelp, RunGetAlert},
      {"list-alerts",
       {},
       {"case", "kind", "origin", "page-size", "page-token", "all"},
       kListAlertsHelp,
       RunListAlerts},
      {"case get", {"REF"}, {}, kCaseGetHelp, RunCaseGet},
      {"case list",
       {},
       {"state", "page-size", "page-token", "all"},
       kCaseListHelp,
       RunCaseList},
      {"case update",
       {"REF"},
       {"state", "note", "lang", "update-id", "receipt"},
       kCaseUpdateHelp,
       RunCaseUpdate},
      {"case watch", {"REF"}, {"count"}, kCaseWatchHelp, RunCaseWatch},
      {"audit checkpoint",
       {},
       {"signing-cert"},
       kAuditCheckpointHelp,
       RunAuditCheckpoint},
      {"audit verify-receipt",
       {"FILE"},
       {"signing-cert"},
       kAuditVerifyReceiptHelp,
       RunAuditVerifyReceipt},
      {"audit verify-log",
       {},
       {"signing-cert", "state"},
       kAuditVerifyLogHelp,
       RunAuditVerifyLog},
      {"audit search",
       {},
       {"actor", "action", "object", "since", "until", "page-size",
        "page-token", "all"},
       kAuditSearchHelp,
       RunAuditSearch},
      {"delivery list",
       {},
       {"recipient", "alert", "state", "page-size", "page-token", "all"},
       kDeliveryListHelp,
       RunDeliveryList,
       kDeliveryDefaultIdentity},
      {"delivery retry",
       {"MESSAGE_ID"},
       {},
       kDeliveryRetryHelp,
       RunDeliveryRetry,
       kDeliveryDefaultIdentity},
      {"delivery cancel",
       {"MESSAGE_ID"},
       {"reason"},
       kDeliveryCancelHelp,
       RunDeliveryCancel,
       kDeliveryDefaultIdentity},
      {"watch-deliveries",
       {"ALERT_ID"},
       {},
       kWatchDeliveriesHelp,
       RunWatchDeliveries},
  };
  return *commands;
}

// The command named by the first one or two words, or null. *words is how
// many words the name has.
const CommandSpec* FindCommand(const std::vector<std::string>& positionals,
                               size_t* words) {
  for (const CommandSpec& spec : Commands()) {
    const std::string name = spec.name;
    if (positionals.size() >= 1 && positionals[0] == name) {
      *words = 1;
      return &spec;
    }
    if (positionals.size() >= 2 &&
        absl::StrCat(positionals[0], " ", positionals[1]) == name) {
      *words = 2;
      return &spec;
    }
  }
  return nullptr;
}

// A word that groups commands ("case get", "audit search", ...).
struct CommandGroup {
  const char* name;
  const char* help;
  const char* commands;  // for messages: "get, list, update or watch"
};

constexpr CommandGroup kGroups[] = {
    {"case", kCaseHelp, "get, list, update or watch"},
    {"audit", kAuditHelp, "checkpoint, verify-receipt, verify-log or search"},
    {"delivery", kDeliveryHelp, "list, retry or cancel"},
};

const CommandGroup* FindGroup(const std::string& word) {
  for (const CommandGroup& group : kGroups) {
    if (word == group.name) return &group;
  }
  return nullptr;
}

int PrintHelp(const RunContext& context, const char* text) {
  *context.out << text;
  return kExitOk;
}

// `gwctl help [WORDS...]`, `gwctl --help`, `gwctl case --help`, ...
int Help(const RunContext& context, const std::vector<std::string>& topic) {
  if (topic.empty()) return PrintHelp(context, kTopHelp);
  size_t words = 0;
  if (const CommandSpec* spec = FindCommand(topic, &words)) {
    return PrintHelp(context, spec->help);
  }
  if (const CommandGroup* group = FindGroup(topic[0])) {
    return PrintHelp(context, group->help);
  }
  return UsageError(
      context, "",
      absl::StrCat("there is no command '", absl::StrJoin(topic, " "), "'"));
}

}  // namespace

int RunGwctl(const std::vector<std::string>& args, const RunContext& context) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(args, context.env);
  if (!line.ok()) return UsageError(context, "", line.status().message());
  const std::vector<std::string>& words = line->positionals;

  if (!words.empty() && words[0] == "help") {
    return Help(context,
                std::vector<std::string>(words.begin() + 1, words.end()));
  }
  if (words.empty()) {
    if (line->help) return PrintHelp(context, kTopHelp);
    return UsageError(context, "",
                      "no command given (e.g. gwctl send-alert FILE)");
  }
  size_t name_words = 0;
  const CommandSpec* spec = FindCommand(words, &name_words);
  if (spec == nullptr) {
    if (const CommandGroup* group = FindGroup(words[0])) {
      if (words.size() == 1) {
        if (line->help) return PrintHelp(context, group->help);
        return UsageError(
            context, group->name,
            absl::StrCat(group->name, " needs a command: ", group->commands));
      }
      return UsageError(
          context, group->name,
          absl::StrCat("there is no command '", group->name, " ", words[1],
                       "' (use ", group->commands, ")"));
    }
    return UsageError(context, "",
                      absl::StrCat("there is no command '", words[0], "'"));
  }
  if (line->help) return PrintHelp(context, spec->help);

  Invocation invocation;
  invocation.command = spec->name;
  invocation.global = line->global;
  if (spec->default_identity != nullptr &&
      invocation.global.identity_is_default &&
      invocation.global.cert_path.empty()) {
    invocation.global.identity = spec->default_identity;
  }
  invocation.args.assign(words.begin() + name_words, words.end());
  invocation.flags = line->flags;
  if (invocation.args.size() != spec->args.size()) {
    if (invocation.args.size() < spec->args.size()) {
      return UsageError(context, spec->name,
                        absl::StrCat(spec->name, " needs ",
                                     spec->args[invocation.args.size()]));
    }
    return UsageError(
        context, spec->name,
        absl::StrCat(
            spec->name, " takes ",
            spec->args.empty()
                ? "no arguments"
                : absl::StrCat("only ", absl::StrJoin(spec->args, " ")),
            ", but got '", invocation.args[spec->args.size()], "' too"));
  }
  for (const auto& [flag, value] : invocation.flags) {
    if (spec->flags.count(flag) == 0) {
      return UsageError(context, spec->name,
                        absl::StrCat(spec->name, " does not take --", flag));
    }
  }
  return spec->run(invocation, context);
}

}  // namespace gw::gwctl
