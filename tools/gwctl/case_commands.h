// tools/gwctl/case_commands.h
//
// The CaseService commands (proto/gw/v1/case.proto):
//   case get REF                                       GetCaseStatus
//   case list [--state STATE] [--page-size N] [--page-token T] [--all]
//                                                      ListCases
//   case update REF --state STATE [--note TEXT] [--lang TAG]
//               [--update-id ID] [--receipt FILE]      UpdateCaseStatus
//   case watch REF [--count N]                         WatchCase (stream)
// Each returns the process exit code (exit_code.h) after printing the
// answer on context.out, or one sentence on context.err.
// REQUIRES: invocation.args holds exactly the command's arguments and
// invocation.flags only its flags (the dispatcher checks both).
#ifndef GW_TOOLS_GWCTL_CASE_COMMANDS_H_
#define GW_TOOLS_GWCTL_CASE_COMMANDS_H_

#include "tools/gwctl/invocation.h"

namespace gw::gwctl {

int RunCaseGet(const Invocation& invocation, const RunContext& context);
int RunCaseList(const Invocation& invocation, const RunContext& context);
int RunCaseUpdate(const Invocation& invocation, const RunContext& context);
int RunCaseWatch(const Invocation& invocation, const RunContext& context);

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_CASE_COMMANDS_H_
