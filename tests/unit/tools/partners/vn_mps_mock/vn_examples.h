// tests/unit/tools/partners/vn_mps_mock/vn_examples.h
//
// The VN-MPS example documents of shared/partners/examples/VN-MPS/ (found
// through GW_PARTNER_EXAMPLES_DIR), and a helper to alter a valid document
// for negative tests.
#ifndef GW_TESTS_UNIT_TOOLS_PARTNERS_VN_MPS_MOCK_VN_EXAMPLES_H_
#define GW_TESTS_UNIT_TOOLS_PARTNERS_VN_MPS_MOCK_VN_EXAMPLES_H_

#include <string>
#include <vector>

namespace gw::vn_mps_mock::testing {

// Every .xml file of examples/VN-MPS/, by file name.
const std::vector<std::string>& ExampleXmlNames();

// The bytes of examples/VN-MPS/<name>; fails the test if unreadable.
std::string Example(const std::string& name);

// `text` with its only occurrence of `from` replaced by `to`; fails the
// test if `from` does not occur exactly once (so an edit can never
// silently miss).
std::string ReplaceOnce(const std::string& text, const std::string& from,
                        const std::string& to);

// The §3.3 repatriation decision the gateway sent in the example of
// rejection-400-inbound (id 4bab93b1-..., CN-MPS -> VN-MPS), with
// tip:DecidingAgencyCode: `decision_body` is what goes inside
// tip:RepatriationDecision.
std::string DecisionDocument(const std::string& decision_body);
// Its usual body: an APPROVED decision with DecidingAgencyCode
// CN-MPS and DecisionDateTime 2026-03-14T05:00:00Z.
std::string DecisionBody();

inline constexpr char kDecisionMessageId[] =
    "4bab93b1-d2cd-5102-8c88-3f4feb3f9c1b";

}  // namespace gw::vn_mps_mock::testing

#endif  // GW_TESTS_UNIT_TOOLS_PARTNERS_VN_MPS_MOCK_VN_EXAMPLES_H_
