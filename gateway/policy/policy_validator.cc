// gateway/policy/policy_validator.cc
#include "gateway/policy/policy_validator.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gateway/policy/gw_v1_methods.h"
#include "gateway/policy/policy.h"
#include "gw/v1/alert.pb.h"

namespace gw::policy::internal {
namespace {

using gw::policy::v1::Agency;
using gw::policy::v1::AlertRoute;
using gw::policy::v1::Limits;
using gw::policy::v1::PolicySet;
using gw::policy::v1::RpcRule;
using gw::v1::CaseAlert;

constexpr absl::string_view kWantCode = "(want AA-AAA, upper case)";

// "\"TH_RTP\"": a value from a file, quoted and escaped.
std::string Quote(absl::string_view value) {
  return absl::StrCat("\"", absl::CHexEscape(value), "\"");
}

// "AA-AAA": two upper-case ASCII letters, '-', three upper-case letters.
bool IsAgencyCode(absl::string_view code) {
  if (code.size() != 6 || code[2] != '-') return false;
  for (size_t i : {0, 1, 3, 4, 5}) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(code[i]))) {
      return false;
    }
  }
  return true;
}

// Lower-case ASCII letter, then lower-case letters, digits, '-' or '_'.
bool IsRoleName(absl::string_view role) {
  if (role.empty() || !absl::ascii_islower(static_cast<unsigned char>(role[0])))
    return false;
  for (char c : role) {
    const auto u = static_cast<unsigned char>(c);
    if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

// A path under the PKI directory: relative, without "." or ".." segments.
bool IsPkiRelativePath(absl::string_view path) {
  if (path.empty() || path[0] == '/') return false;
  for (absl::string_view segment : absl::StrSplit(path, '/')) {
    if (segment.empty() || segment == "." || segment == "..") return false;
  }
  return true;
}

std::string KindName(int kind) {
  const std::string& name =
      CaseAlert::Kind_Name(static_cast<CaseAlert::Kind>(kind));
  return name.empty() ? absl::StrCat(kind) : name;
}

class Validator {
 public:
  explicit Validator(const ParsedPolicySet& parsed)
      : parsed_(parsed), set_(parsed.set) {}

  std::vector<std::string> Run() && {
    CheckSetOnce("label", parsed_.label_files);
    CheckSetOnce("limits", parsed_.limits_files);
    CheckAgencies();
    CheckRpcRules();
    CheckAlertRoutes();
    CheckLimits();
    return std::move(errors_);
  }

 private:
  void Add(absl::string_view file, absl::string_view path,
           absl::string_view reason) {
    errors_.push_back(absl::StrCat(file, ": ", path, ": ", reason));
  }

  static std::string Element(absl::string_view field,
                             const ElementOrigin& origin) {
    return absl::StrCat(field, "[", origin.index, "]");
  }
  static std::string Where(absl::string_view field,
                           const ElementOrigin& origin) {
    return absl::StrCat(origin.file, ": ", Element(field, origin));
  }

  void CheckSetOnce(absl::string_view field,
                    const std::vector<std::string>& files) {
    for (size_t i = 1; i < files.size(); ++i) {
      Add(files[i], field,
          absl::StrCat("also set in ", files[0], " (set ", field,
                       " in one file only)"));
    }
  }

  void CheckAgencies() {
    absl::flat_hash_map<std::string, const ElementOrigin*> first;
    for (int i = 0; i < set_.agencies_size(); ++i) {
      const Agency& agency = set_.agencies(i);
      const ElementOrigin& origin = parsed_.agencies[i];
      const std::string base = Element("agencies", origin);
      if (agency.code().empty()) {
        Add(origin.file, base + ".code", absl::StrCat("missing ", kWantCode));
      } else if (!IsAgencyCode(agency.code())) {
        Add(origin.file, base + ".code",
            absl::StrCat(Quote(agency.code()), " is not an agency code ",
                         kWantCode));
      } else if (auto [it, inserted] = first.emplace(agency.code(), &origin);
                 !inserted) {
        Add(origin.file, base + ".code",
            absl::StrCat("duplicate agency code ", Quote(agency.code()),
                         " (first at ", Where("agencies", *it->second), ")"));
      } else {
        known_agencies_.emplace(agency.code(), &agency);
      }
      CheckSide(agency, origin, base);
      CheckAgencyRoles(agency, origin, base);
      CheckTrust(agency, origin, base);
    }
  }

  void CheckSide(const Agency& agency, const ElementOrigin& origin,
                 const std::string& base) {
    if (agency.side() == gw::policy::v1::SIDE_UNSPECIFIED) {
      Add(origin.file, base + ".side", "missing (want HOME or PARTNER)");
    } else if (!gw::policy::v1::Side_IsValid(agency.side())) {
      Add(origin.file, base + ".side",
          absl::StrCat(agency.side(), " is not a side (want HOME or PARTNER)"));
    }
  }

  void CheckAgencyRoles(const Agency& agency, const ElementOrigin& origin,
                        const std::string& base) {
    if (agency.roles().empty()) {
      Add(origin.file, base + ".roles",
          "empty (want at least one role, e.g. \"investigator\")");
    }
    absl::flat_hash_set<absl::string_view> seen;
    for (int j = 0; j < agency.roles_size(); ++j) {
      const std::string& role = agency.roles(j);
      const std::string path = absl::StrCat(base, ".roles[", j, "]");
      if (!IsRoleName(role)) {
        Add(origin.file, path,
            absl::StrCat(Quote(role),
                         " is not a role name (want lower case letters, "
                         "digits, '-' or '_')"));
      } else if (!seen.insert(role).second) {
        Add(origin.file, path, absl::StrCat("duplicate role ", Quote(role)));
      } else {
        known_roles_.insert(role);
      }
    }
  }

  void CheckTrust(const Agency& agency, const ElementOrigin& origin,
                  const std::string& base) {
    if (!agency.has_trust()) {
      Add(origin.file, base + ".trust",
          "missing (want ca_file and crl_file, relative to the PKI "
          "directory)");
      return;
    }
    const std::pair<absl::string_view, const std::string*> files[] = {
        {"ca_file", &agency.trust().ca_file()},
        {"crl_file", &agency.trust().crl_file()},
    };
    for (const auto& [field, value] : files) {
      const std::string path = absl::StrCat(base, ".trust.", field);
      if (value->empty()) {
        Add(origin.file, path,
            "missing (want a PEM file relative to the PKI directory)");
      } else if (!IsPkiRelativePath(*value)) {
        Add(origin.file, path,
            absl::StrCat(Quote(*value),
                         " must be relative to the PKI directory, without "
                         "'.', '..' or empty segments"));
      }
    }
  }

  void CheckRpcRules() {
    absl::flat_hash_map<std::string, const ElementOrigin*> first;
    for (int i = 0; i < set_.rpc_rules_size(); ++i) {
      const RpcRule& rule = set_.rpc_rules(i);
      const ElementOrigin& origin = parsed_.rpc_rules[i];
      const std::string base = Element("rpc_rules", origin);
      if (rule.rpc().empty()) {
        Add(origin.file, base + ".rpc",
            "missing (want e.g. gw.v1.AlertService/SendAlert)");
      } else if (absl::Status method = CheckGwV1Method(rule.rpc());
                 !method.ok()) {
        Add(origin.file, base + ".rpc", method.message());
      } else if (auto [it, inserted] = first.emplace(rule.rpc(), &origin);
                 !inserted) {
        Add(origin.file, base + ".rpc",
            absl::StrCat("duplicate rule for ", rule.rpc(), " (first at ",
                         Where("rpc_rules", *it->second),
                         "; write one rule per rpc)"));
      }
      CheckRuleRoles(rule, origin, base);
      CheckRuleAgencies(rule, origin, base);
    }
  }

  void CheckRuleRoles(const RpcRule& rule, const ElementOrigin& origin,
                      const std::string& base) {
    if (rule.roles().empty()) {
      Add(origin.file, base + ".roles",
          "empty (want at least one role; a rule without roles allows no "
          "one)");
    }
    absl::flat_hash_set<absl::string_view> seen;
    for (int j = 0; j < rule.roles_size(); ++j) {
      const std::string& role = rule.roles(j);
      const std::string path = absl::StrCat(base, ".roles[", j, "]");
      if (!known_roles_.contains(role)) {
        Add(origin.file, path,
            absl::StrCat(Quote(role), " is not a role of any agency"));
      } else if (!seen.insert(role).second) {
        Add(origin.file, path, absl::StrCat("duplicate role ", Quote(role)));
      }
    }
  }

  void CheckRuleAgencies(const RpcRule& rule, const ElementOrigin& origin,
                         const std::string& base) {
    absl::flat_hash_set<absl::string_view> seen;
    for (int j = 0; j < rule.agencies_size(); ++j) {
      const std::string& code = rule.agencies(j);
      const std::string path = absl::StrCat(base, ".agencies[", j, "]");
      auto it = known_agencies_.find(code);
      if (it == known_agencies_.end()) {
        Add(origin.file, path,
            absl::StrCat(Quote(code), " is not a known agency"));
      } else if (!seen.insert(code).second) {
        Add(origin.file, path, absl::StrCat("duplicate agency ", Quote(code)));
      } else if (!HoldsAnyRole(*it->second, rule)) {
        Add(origin.file, path,
            absl::StrCat(code, " holds none of the rule's roles"));
      }
    }
  }

  static bool HoldsAnyRole(const Agency& agency, const RpcRule& rule) {
    for (const std::string& role : rule.roles()) {
      for (const std::string& held : agency.roles()) {
        if (role == held) return true;
      }
    }
    return false;
  }

  void CheckAlertRoutes() {
    absl::flat_hash_map<std::string, const ElementOrigin*> first;
    for (int i = 0; i < set_.alert_routes_size(); ++i) {
      const AlertRoute& route = set_.alert_routes(i);
      const ElementOrigin& origin = parsed_.alert_routes[i];
      const std::string base = Element("alert_routes", origin);
      auto it = known_agencies_.find(route.recipient());
      if (route.recipient().empty()) {
        Add(origin.file, base + ".recipient",
            "missing (want a PARTNER agency code)");
      } else if (it == known_agencies_.end()) {
        Add(origin.file, base + ".recipient",
            absl::StrCat(Quote(route.recipient()), " is not a known agency"));
      } else if (it->second->side() != gw::policy::v1::PARTNER) {
        Add(origin.file, base + ".recipient",
            absl::StrCat(route.recipient(),
                         " is not a PARTNER agency (alerts are routed to "
                         "partners only)"));
      } else if (auto [prev, inserted] =
                     first.emplace(route.recipient(), &origin);
                 !inserted) {
        Add(origin.file, base + ".recipient",
            absl::StrCat("duplicate route for ", route.recipient(),
                         " (first at ", Where("alert_routes", *prev->second),
                         "; write one route per recipient)"));
      }
      CheckKinds(route, origin, base);
    }
  }

  void CheckKinds(const AlertRoute& route, const ElementOrigin& origin,
                  const std::string& base) {
    if (route.kinds().empty()) {
      Add(origin.file, base + ".kinds",
          "empty (want at least one alert kind, e.g. MISSING_PERSON)");
    }
    absl::flat_hash_set<int> seen;
    for (int j = 0; j < route.kinds_size(); ++j) {
      const int kind = route.kinds(j);
      const std::string path = absl::StrCat(base, ".kinds[", j, "]");
      if (kind == CaseAlert::KIND_UNSPECIFIED ||
          !CaseAlert::Kind_IsValid(kind)) {
        Add(origin.file, path,
            absl::StrCat(KindName(kind), " is not an alert kind"));
      } else if (!seen.insert(kind).second) {
        Add(origin.file, path, absl::StrCat("duplicate kind ", KindName(kind)));
      }
    }
  }

  void CheckLimits() {
    const Limits& limits = set_.limits();
    if (limits.max_attachment_bytes() > limits.max_message_bytes()) {
      const std::string file = parsed_.limits_files.empty()
                                   ? std::string("policy")
                                   : parsed_.limits_files.back();
      Add(file, "limits.max_attachment_bytes",
          absl::StrCat(limits.max_attachment_bytes(),
                       " is larger than limits.max_message_bytes ",
                       limits.max_message_bytes()));
    }
  }

  const ParsedPolicySet& parsed_;
  const PolicySet& set_;
  // Filled by CheckAgencies: the first agency of each well-formed code, and
  // every well-formed role some agency holds. Values point into set_.
  absl::flat_hash_map<std::string, const Agency*> known_agencies_;
  absl::flat_hash_set<std::string> known_roles_;
  std::vector<std::string> errors_;
};

uint32_t OrDefault(uint32_t value, uint32_t fallback) {
  return value == 0 ? fallback : value;
}

}  // namespace

void FillDefaultLimits(Limits* limits) {
  limits->set_max_message_bytes(
      OrDefault(limits->max_message_bytes(), kDefaultMaxMessageBytes));
  limits->set_max_attachment_bytes(
      OrDefault(limits->max_attachment_bytes(), kDefaultMaxAttachmentBytes));
  limits->set_max_attachments(
      OrDefault(limits->max_attachments(), kDefaultMaxAttachments));
  limits->set_max_subjects(
      OrDefault(limits->max_subjects(), kDefaultMaxSubjects));
  limits->set_max_recipients(
      OrDefault(limits->max_recipients(), kDefaultMaxRecipients));
  limits->set_max_text_bytes(
      OrDefault(limits->max_text_bytes(), kDefaultMaxTextBytes));
}

std::vector<std::string> ValidatePolicySet(const ParsedPolicySet& parsed) {
  return Validator(parsed).Run();
}

}  // namespace gw::policy::internal
